//! The mail queue as the senders see it: claiming due messages with a lease, and marking
//! each one's outcome. Every mark names the claimer, so an instance whose lease ran out
//! (and whose message another instance took over) cannot overwrite the newer outcome.

use super::{now_ms, Backend, Store, StoreError};
use crate::db::Outgoing;

/// Due: queued and past its `not_before`, or claimed by a sender whose lease ran out (it
/// was killed or cut off before it marked the message).
const DUE: &str =
    "((status = 'queued' AND not_before <= $3) OR (status = 'sending' AND claimed_until < $3))";

impl Store {
    /// Messages sent in the last minute and messages claimed now, by every instance (the
    /// shared rate per minute is spent by both).
    pub async fn mail_rate_used(&self) -> Result<(i64, i64), StoreError> {
        let now = now_ms();
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT
                   (SELECT COUNT(*) FROM mail_messages WHERE sent_at > $1),
                   (SELECT COUNT(*) FROM mail_messages WHERE status = 'sending' AND claimed_until >= $2)",
            )
            .bind(now - 60_000)
            .bind(now)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Claims up to `limit` due messages for `claimer` until `now + lease_ms`, oldest
    /// first, and returns them with what their e-mails need. One statement: on PostgreSQL
    /// the rows are picked with `FOR UPDATE SKIP LOCKED` and the update re-checks that each
    /// is still due, so two instances never claim the same message; on SQLite the database
    /// has one writer at a time.
    pub async fn claim_messages(
        &self,
        claimer: &str,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let now = now_ms();
        let skip_locked = match self.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let claim = format!(
            "UPDATE mail_messages SET status = 'sending', claimed_until = $1, claimed_by = $2,
                attempts = attempts + 1
             WHERE id IN (SELECT id FROM mail_messages WHERE {DUE} ORDER BY id LIMIT $4 {skip_locked})
               AND {DUE}
             RETURNING id"
        );
        let ids: Vec<(i64,)> = on_pool!(self.write(), |pool| {
            sqlx::query_as(&claim)
                .bind(now + lease_ms)
                .bind(claimer)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if let Some(m) = self.outgoing(id).await? {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// A claimed message with its contact, brand and survey, and whether it should still
    /// go: the address may have unsubscribed, or (for a reminder) the contact completed.
    async fn outgoing(&self, id: i64) -> Result<Option<Outgoing>, StoreError> {
        let sql = "SELECT m.id, m.brand_id, m.survey_id, m.contact_id, m.seq, m.attempts,
                c.email, c.name, c.locale, b.name AS brand_name, s.slug AS survey_slug,
                EXISTS (SELECT 1 FROM unsubscribes u WHERE u.brand_id = c.brand_id AND u.email = c.email)
                    AS unsubscribed,
                EXISTS (SELECT 1 FROM invites i JOIN respondents r ON r.id = i.respondent_id
                        WHERE i.token_hash = m.invite_hash AND r.completed_at IS NOT NULL) AS completed
             FROM mail_messages m JOIN contacts c ON c.id = m.contact_id
             JOIN brands b ON b.id = m.brand_id JOIN surveys s ON s.id = m.survey_id
             WHERE m.id = $1";
        Ok(on_pool!(self.write(), |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await?
        }))
    }

    /// Marks a message sent, if `claimer` still holds it; false if it does not (its lease
    /// ran out and another instance took it).
    pub async fn mark_sent(&self, id: i64, claimer: &str) -> Result<bool, StoreError> {
        self.finish_message(
            id,
            claimer,
            "status = 'sent', sent_at = $3, claimed_until = NULL, last_error = NULL",
            (now_ms(), None),
        )
        .await
    }

    /// Puts a message back in the queue until `not_before` (a temporary refusal).
    pub async fn mark_retry(
        &self,
        id: i64,
        claimer: &str,
        not_before: i64,
        error: &str,
    ) -> Result<bool, StoreError> {
        self.finish_message(
            id,
            claimer,
            "status = 'queued', not_before = $3, claimed_until = NULL, last_error = $4",
            (not_before, Some(error)),
        )
        .await
    }

    /// A message that will not be sent: refused for good, or no longer wanted
    /// (`cancelled`: unsubscribed, or completed before its reminder).
    pub async fn mark_dropped(
        &self,
        id: i64,
        claimer: &str,
        cancelled: bool,
        error: &str,
    ) -> Result<bool, StoreError> {
        let set = if cancelled {
            "status = 'cancelled', claimed_until = NULL, last_error = $4"
        } else {
            "status = 'failed', claimed_until = NULL, last_error = $4"
        };
        self.finish_message(id, claimer, set, (now_ms(), Some(error)))
            .await
    }

    async fn finish_message(
        &self,
        id: i64,
        claimer: &str,
        set: &str,
        (at, error): (i64, Option<&str>),
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE mail_messages SET {set}
             WHERE id = $1 AND claimed_by = $2 AND status = 'sending'"
        );
        let error: Option<String> = error.map(|e| e.chars().take(300).collect());
        let n = on_pool!(self.write(), |pool| {
            sqlx::query(&sql)
                .bind(id)
                .bind(claimer)
                .bind(at)
                .bind(error)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }
}
