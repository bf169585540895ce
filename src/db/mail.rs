//! Invitations by e-mail: a brand's contacts, unsubscribes, and the queue of messages that
//! every instance's sender (`mailer`) claims with a lease, sends and marks.

use std::collections::HashMap;

use super::audit::{audit, Actor};
use super::{now_ms, to_json, Store, StoreError};
use crate::domain::contacts::{
    plan_send, reminder_due, ContactRow, Recipient, SendPlan, Sent, CAP_WINDOW_MS,
};

/// A contact as the send screen lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub unsubscribed: bool,
}

/// A survey's queue, by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub cancelled: i64,
}

/// A claimed message with what its e-mail needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Outgoing {
    pub id: i64,
    pub brand_id: i64,
    pub survey_id: i64,
    pub contact_id: i64,
    pub seq: i32,
    pub attempts: i32,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub brand_name: String,
    pub survey_slug: String,
    pub unsubscribed: bool,
    pub completed: bool,
}

// The statements run inside transactions on either backend (see `on_pool!`).
/// The brand's contacts with what a send needs to know of them, and the plan for them.
macro_rules! send_plan_on {
    ($conn:expr, $brand_id:expr, $survey_id:expr, $cap:expr) => {{
        let sql = format!(
            "SELECT c.id, {UNSUBSCRIBED} AS unsubscribed,
                EXISTS (SELECT 1 FROM mail_messages m WHERE m.contact_id = c.id
                        AND m.survey_id = $2 AND m.seq = 0) AS invited
             FROM contacts c WHERE c.brand_id = $1 ORDER BY c.id"
        );
        let rows: Vec<(i64, bool, bool)> = sqlx::query_as(&sql)
            .bind($brand_id)
            .bind($survey_id)
            .fetch_all(&mut *$conn)
            .await?;
        let recipients: Vec<Recipient> = rows
            .into_iter()
            .map(|(contact_id, unsubscribed, invited)| Recipient {
                contact_id,
                unsubscribed,
                invited,
            })
            .collect();
        let recent = recent_counts!(&mut *$conn, $brand_id, now_ms());
        plan_send(&recipients, &recent, $cap)
    }};
}

/// Survey e-mails per contact of the brand in the cap's window: sent in the last 30 days,
/// or waiting to be sent (they will be, within it).
macro_rules! recent_counts {
    ($conn:expr, $brand_id:expr, $now:expr) => {{
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT contact_id, COUNT(*) FROM mail_messages WHERE brand_id = $1
               AND (status IN ('queued', 'sending') OR (status = 'sent' AND sent_at > $2))
             GROUP BY contact_id",
        )
        .bind($brand_id)
        .bind($now - CAP_WINDOW_MS)
        .fetch_all(&mut *$conn)
        .await?;
        rows.into_iter().collect::<HashMap<i64, i64>>()
    }};
}

/// Holds the brand's row until the transaction ends (`$sql` locks it on PostgreSQL; on
/// SQLite the single writer connection already serialises sends).
macro_rules! lock_brand {
    ($conn:expr, $sql:expr, $brand_id:expr) => {{
        sqlx::query($sql)
            .bind($brand_id)
            .execute(&mut *$conn)
            .await?;
    }};
}

macro_rules! insert_message {
    ($conn:expr, ($brand_id:expr, $survey_id:expr, $contact_id:expr), $seq:expr, $hash:expr, $now:expr) => {{
        sqlx::query(
            "INSERT INTO mail_messages (brand_id, survey_id, contact_id, seq, invite_hash, status, not_before, queued_at)
             VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6)",
        )
        .bind($brand_id)
        .bind($survey_id)
        .bind($contact_id)
        .bind(i32::from($seq))
        .bind($hash)
        .bind($now)
        .execute(&mut *$conn)
        .await?;
    }};
}

/// Whose messages count as "not unsubscribed": the contact's address is not in
/// `unsubscribes` for the contact's brand.
const UNSUBSCRIBED: &str =
    "EXISTS (SELECT 1 FROM unsubscribes u WHERE u.brand_id = c.brand_id AND u.email = c.email)";

impl Store {
    /// Adds the uploaded contacts to the brand's, or updates the ones already there (name,
    /// language, segment answers); `unsubscribe_hash` gives each address's token hash.
    /// Returns how many were new. An unsubscribe is kept apart and stays.
    pub async fn upsert_contacts(
        &self,
        brand_id: i64,
        contacts: &[ContactRow],
        unsubscribe_hash: &(dyn Fn(&str) -> String + Sync),
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let (before,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE brand_id = $1")
                    .bind(brand_id)
                    .fetch_one(&mut *tx)
                    .await?;
            for c in contacts {
                sqlx::query(
                    "INSERT INTO contacts (brand_id, email, name, locale, segments, unsubscribe_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (brand_id, email) DO UPDATE SET name = excluded.name,
                        locale = excluded.locale, segments = excluded.segments",
                )
                .bind(brand_id)
                .bind(&c.email)
                .bind(&c.name)
                .bind(c.locale.code())
                .bind(to_json(&c.segments))
                .bind(unsubscribe_hash(&c.email))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let (after,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE brand_id = $1")
                    .bind(brand_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let detail = contacts.len().to_string();
            audit(
                &mut *tx,
                actor,
                "contacts_uploaded",
                Some(brand_id),
                None,
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok((after - before).max(0) as u64)
        })
    }

    /// The brand's contacts (newest first, at most `limit`) and how many there are.
    pub async fn contacts(
        &self,
        brand_id: i64,
        limit: i64,
    ) -> Result<(Vec<ContactSummary>, i64), StoreError> {
        let sql = format!(
            "SELECT c.id, c.email, c.name, c.locale, {UNSUBSCRIBED} AS unsubscribed
             FROM contacts c WHERE c.brand_id = $1 ORDER BY c.id DESC LIMIT $2"
        );
        on_pool!(self.read(), |pool| {
            let rows = sqlx::query_as(&sql)
                .bind(brand_id)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE brand_id = $1")
                .bind(brand_id)
                .fetch_one(pool)
                .await?;
            Ok((rows, n))
        })
    }

    /// Deletes a contact of the brand with all their messages; false if there is none.
    pub async fn delete_contact(
        &self,
        brand_id: i64,
        contact_id: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM mail_messages WHERE contact_id = $1 AND brand_id = $2")
                .bind(contact_id)
                .bind(brand_id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM contacts WHERE id = $1 AND brand_id = $2")
                .bind(contact_id)
                .bind(brand_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                audit(&mut *tx, actor, "contact_deleted", Some(brand_id), None, "").await?;
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Who an invitation send of the survey would reach now (the send screen's figures).
    pub async fn send_plan(
        &self,
        brand_id: i64,
        survey_id: i64,
        cap: i64,
    ) -> Result<SendPlan, StoreError> {
        on_pool!(self.read(), |pool| {
            let mut conn = pool.acquire().await?;
            Ok(send_plan_on!(&mut *conn, brand_id, survey_id, cap))
        })
    }

    /// Queues the survey's invitation to every contact the plan reaches, each with a new
    /// single-use invite (`invite_hash` gives its token hash from the contact's id), in one
    /// transaction; the brand's row is locked meanwhile so that two sends at once cannot
    /// both pass the cap. Returns the plan it followed.
    pub async fn queue_invitations(
        &self,
        (brand_id, survey_id): (i64, i64),
        cap: i64,
        invite_hash: &(dyn Fn(i64) -> String + Sync),
        actor: &Actor,
    ) -> Result<SendPlan, StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            lock_brand!(&mut *tx, self.lock_brand_sql(), brand_id);
            let plan = send_plan_on!(&mut *tx, brand_id, survey_id, cap);
            for &contact_id in &plan.to_queue {
                let hash = invite_hash(contact_id);
                sqlx::query(
                    "INSERT INTO invites (token_hash, survey_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(&hash)
                .bind(survey_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                insert_message!(&mut *tx, (brand_id, survey_id, contact_id), 0, &hash, now);
            }
            let detail = plan.to_queue.len().to_string();
            audit(
                &mut *tx,
                actor,
                "invitations_queued",
                Some(brand_id),
                Some(survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok(plan)
        })
    }

    /// Queues a reminder to every invited contact who has not completed the survey, whose
    /// last message went out `days` ago or more, and who has had fewer than two; the cap
    /// and unsubscribes hold as for invitations. Returns (queued, held back by the cap).
    pub async fn queue_reminders(
        &self,
        (brand_id, survey_id): (i64, i64),
        days: i64,
        cap: i64,
        actor: &Actor,
    ) -> Result<(usize, usize), StoreError> {
        let now = now_ms();
        let sql = format!(
            "SELECT m.contact_id, m.seq, m.sent_at, m.invite_hash, {UNSUBSCRIBED} AS unsubscribed,
                EXISTS (SELECT 1 FROM invites i JOIN respondents r ON r.id = i.respondent_id
                        WHERE i.token_hash = m.invite_hash AND r.completed_at IS NOT NULL) AS completed
             FROM mail_messages m JOIN contacts c ON c.id = m.contact_id
             WHERE m.survey_id = $1 ORDER BY m.contact_id, m.seq"
        );
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            lock_brand!(&mut *tx, self.lock_brand_sql(), brand_id);
            let rows: Vec<(i64, i32, Option<i64>, String, bool, bool)> = sqlx::query_as(&sql)
                .bind(survey_id)
                .fetch_all(&mut *tx)
                .await?;
            let recent = recent_counts!(&mut *tx, brand_id, now);
            let (mut queued, mut held) = (0, 0);
            // Rows are ordered by contact and number: the last row of a contact is its newest.
            for (i, (contact_id, seq, sent_at, hash, unsubscribed, completed)) in
                rows.iter().enumerate()
            {
                if rows.get(i + 1).is_some_and(|next| next.0 == *contact_id) {
                    continue;
                }
                let sent = Sent {
                    last_seq: *seq as u8,
                    last_sent_at: *sent_at,
                    completed: *completed,
                    unsubscribed: *unsubscribed,
                };
                let Some(next) = reminder_due(&sent, now, days) else {
                    continue;
                };
                if recent.get(contact_id).copied().unwrap_or(0) >= cap {
                    held += 1;
                    continue;
                }
                insert_message!(
                    &mut *tx,
                    (brand_id, survey_id, *contact_id),
                    next,
                    hash,
                    now
                );
                queued += 1;
            }
            let detail = queued.to_string();
            audit(
                &mut *tx,
                actor,
                "reminders_queued",
                Some(brand_id),
                Some(survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok((queued, held))
        })
    }

    /// The survey's messages by status.
    pub async fn queue_counts(&self, survey_id: i64) -> Result<QueueCounts, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT status, COUNT(*) FROM mail_messages WHERE survey_id = $1 GROUP BY status",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?
        });
        let mut c = QueueCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "queued" => c.queued = n,
                "sending" => c.sending = n,
                "sent" => c.sent = n,
                "failed" => c.failed = n,
                _ => c.cancelled = n,
            }
        }
        Ok(c)
    }

    /// The brand's name and the address of an unsubscribe token's contact, if any.
    pub async fn unsubscribe_target(
        &self,
        token_hash: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT b.name, c.email FROM contacts c JOIN brands b ON b.id = c.brand_id
                 WHERE c.unsubscribe_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Unsubscribes the token's address from every survey e-mail of its brand, at once:
    /// its waiting messages are cancelled. Bounded work: one indexed lookup and two writes.
    /// Returns the brand's name, or `None` for an unknown token.
    pub async fn unsubscribe(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let found: Option<(i64, i64, String)> = sqlx::query_as(
                "SELECT c.id, c.brand_id, c.email FROM contacts c WHERE c.unsubscribe_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((contact_id, brand_id, email)) = found else {
                return Ok(None);
            };
            sqlx::query(
                "INSERT INTO unsubscribes (brand_id, email, at) VALUES ($1, $2, $3)
                 ON CONFLICT (brand_id, email) DO NOTHING",
            )
            .bind(brand_id)
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE mail_messages SET status = 'cancelled', claimed_until = NULL
                 WHERE contact_id = $1 AND status = 'queued'",
            )
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
            let (name,): (String,) = sqlx::query_as("SELECT name FROM brands WHERE id = $1")
                .bind(brand_id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(name))
        })
    }
}

impl Store {
    fn lock_brand_sql(&self) -> &'static str {
        match self.backend() {
            super::Backend::Postgres => "SELECT id FROM brands WHERE id = $1 FOR UPDATE",
            super::Backend::Sqlite => "SELECT id FROM brands WHERE id = $1",
        }
    }
}
