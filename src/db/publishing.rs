//! Putting a survey before respondents: publishing its draft, changing its status (closing,
//! reopening, archiving), how it is handed out ([`Distribution`]) and its invite links.

use super::audit::{audit, Actor};
use super::drafts::definition_json;
use super::{now_ms, Draft, Store, StoreError, SurveyStatus};

/// What publishing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    Now,
    /// The newest version was already live.
    AlreadyLive,
    /// Someone saved the draft after it was checked: check again.
    ChangedMeanwhile,
}

/// How a survey is handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Only invite links start a response (the public link shows "invitation needed").
    pub invite_only: bool,
    /// A browser that completed a response may not start another.
    pub one_per_browser: bool,
}

/// Invite links of a survey: (created, used).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct InviteCounts {
    pub created: i64,
    pub used: i64,
}

/// What using an invite link found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteUse {
    /// Not used before: now claimed for this respondent.
    Claimed,
    /// Already used by this same respondent (a reload): fine.
    Same,
    /// Used by someone else, or not an invite of this survey.
    Refused,
}

impl Store {
    /// Publishes the survey's draft version: it becomes the live version and the survey
    /// opens. The caller has run the checker on `draft.definition`, which is what is
    /// published (with the brand profile it was checked with) — unless the draft was saved
    /// again since it was read, in which case nothing happens.
    pub async fn publish_draft(
        &self,
        draft: &Draft,
        actor: &Actor,
    ) -> Result<Published, StoreError> {
        let now = now_ms();
        let json = definition_json(&draft.definition)?;
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE survey_versions SET published_at = $1, definition = $2, pages = $5
                 WHERE id = $3 AND published_at IS NULL AND definition = $4",
            )
            .bind(now)
            .bind(&json)
            .bind(draft.version_id)
            .bind(&draft.stored)
            .bind(draft.definition.pages.len() as i64)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                let (published,): (Option<i64>,) =
                    sqlx::query_as("SELECT published_at FROM survey_versions WHERE id = $1")
                        .bind(draft.version_id)
                        .fetch_one(&mut *tx)
                        .await?;
                return Ok(if published.is_some() {
                    Published::AlreadyLive
                } else {
                    Published::ChangedMeanwhile
                });
            }
            sqlx::query("UPDATE surveys SET live_version_id = $1, status = 'open' WHERE id = $2")
                .bind(draft.version_id)
                .bind(draft.survey_id)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                "published",
                Some(draft.brand_id),
                Some(draft.survey_id),
                &format!("version {}", draft.version),
            )
            .await?;
            tx.commit().await?;
            Ok(Published::Now)
        })
    }

    /// Closes, reopens or archives a survey, with an audit line.
    pub async fn change_status(
        &self,
        survey_id: i64,
        brand_id: i64,
        status: SurveyStatus,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE surveys SET status = $1 WHERE id = $2")
                .bind(status.as_str())
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                status.audit_action(),
                Some(brand_id),
                Some(survey_id),
                "",
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn set_distribution(
        &self,
        survey_id: i64,
        brand_id: i64,
        d: Distribution,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let access = if d.invite_only { "invite" } else { "public" };
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE surveys SET access = $1, one_per_browser = $2 WHERE id = $3")
                .bind(access)
                .bind(i64::from(d.one_per_browser))
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            let detail = format!("access {access}, one per browser {}", d.one_per_browser);
            audit(
                &mut *tx,
                actor,
                "distribution_changed",
                Some(brand_id),
                Some(survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores the hashes of freshly generated invite tokens.
    pub async fn create_invites(
        &self,
        survey_id: i64,
        brand_id: i64,
        token_hashes: &[String],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            for hash in token_hashes {
                sqlx::query(
                    "INSERT INTO invites (token_hash, survey_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(hash)
                .bind(survey_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            audit(
                &mut *tx,
                actor,
                "invites_created",
                Some(brand_id),
                Some(survey_id),
                &token_hashes.len().to_string(),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn invite_counts(&self, survey_id: i64) -> Result<InviteCounts, StoreError> {
        let (created, used): (i64, i64) = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT COUNT(*), COUNT(used_at) FROM invites WHERE survey_id = $1")
                .bind(survey_id)
                .fetch_one(pool)
                .await?
        });
        Ok(InviteCounts { created, used })
    }

    /// Whether an invite of this survey is unused (or used by `respondent_id`);
    /// `None` if there is no such invite.
    pub async fn invite_usable(
        &self,
        survey_id: i64,
        token_hash: &str,
        respondent_id: Option<i64>,
    ) -> Result<Option<bool>, StoreError> {
        let row: Option<(Option<i64>,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT respondent_id FROM invites WHERE token_hash = $1 AND survey_id = $2",
            )
            .bind(token_hash)
            .bind(survey_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(owner,)| owner.is_none() || owner == respondent_id))
    }

    /// Claims an invite for a respondent (once: a second respondent is refused).
    pub async fn claim_invite(
        &self,
        survey_id: i64,
        token_hash: &str,
        respondent_id: i64,
    ) -> Result<InviteUse, StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let n = sqlx::query("UPDATE invites SET used_at = $1, respondent_id = $2 WHERE token_hash = $3 AND survey_id = $4 AND used_at IS NULL")
                .bind(now).bind(respondent_id).bind(token_hash).bind(survey_id)
                .execute(pool).await?.rows_affected();
            if n == 1 {
                return Ok(InviteUse::Claimed);
            }
            let owner: Option<(Option<i64>,)> = sqlx::query_as(
                "SELECT respondent_id FROM invites WHERE token_hash = $1 AND survey_id = $2",
            )
            .bind(token_hash)
            .bind(survey_id)
            .fetch_optional(pool)
            .await?;
            Ok(if owner == Some((Some(respondent_id),)) {
                InviteUse::Same
            } else {
                InviteUse::Refused
            })
        })
    }
}

impl SurveyStatus {
    fn audit_action(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "unpublished",
            SurveyStatus::Open => "reopened",
            SurveyStatus::Closed => "closed",
            SurveyStatus::Archived => "archived",
        }
    }
}
