//! What admins write: brands, survey drafts and their versions, publishing, invite links,
//! distribution settings and the audit log.
//!
//! Versioning: a survey's versions are rows of `survey_versions`; a version with
//! `published_at` set never changes again. Editing a survey edits its newest version if it
//! is still a draft, otherwise a new draft version (a copy of the newest) is created first.
//! Respondents keep the version they started, so an edit never changes what anyone answered.

use super::batch::{Batch, RunBatch};
use super::{now_ms, Store, StoreError, SurveyStatus};
use crate::domain::{BrandProfile, SurveyDefinition};

/// Who did an authoring action, for the audit log (`None` user = the command line).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub email: String,
}

impl Actor {
    /// A signed-in staff member as the audit log names them.
    pub fn of(staff: &crate::domain::account::Staff) -> Actor {
        Actor {
            user_id: Some(staff.id),
            email: staff.email.clone(),
        }
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub survey_slug: Option<String>,
    pub brand_name: Option<String>,
    pub detail: String,
}

/// A survey as the admin's lists show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SurveyListing {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub brand_id: i64,
    /// Number of the live version, if one was published.
    pub live_version: Option<i64>,
    /// The newest version (the draft if there is one): number, definition, published when.
    pub newest_version: i64,
    pub newest: String,
    pub newest_published: Option<i64>,
    pub completed: i64,
}

/// The version an admin edits.
#[derive(Clone, Debug)]
pub struct Draft {
    pub survey_id: i64,
    pub brand_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub definition: SurveyDefinition,
    /// The definition as stored when read: publishing checks nobody changed it since.
    stored: String,
}

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

/// survey id, brand id, version id, version, definition, published at, brand profile.
type NewestRow = (i64, i64, i64, i64, String, Option<i64>, String);

fn definition_json(def: &SurveyDefinition) -> Result<String, StoreError> {
    serde_json::to_string(def).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_definition(json: &str) -> Result<SurveyDefinition, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("survey definition: {e}")))
}

/// Adds a line to the audit log in the transaction open on `conn`.
async fn audit<C: RunBatch>(
    conn: &mut C,
    actor: &Actor,
    action: &str,
    brand_id: Option<i64>,
    survey_id: Option<i64>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let mut insert = Batch::default();
    insert.push(
        "INSERT INTO audit_log (at, user_id, actor, action, brand_id, survey_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            now_ms().into(),
            actor.user_id.into(),
            actor.email.as_str().into(),
            action.into(),
            brand_id.into(),
            survey_id.into(),
            detail.into(),
        ],
    );
    conn.run_batch(insert).await
}

impl Store {
    /// A brand's id and profile.
    pub async fn brand(&self, slug: &str) -> Result<Option<(i64, BrandProfile)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, profile FROM brands WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(id, json)| {
            serde_json::from_str(&json)
                .map(|p| (id, p))
                .map_err(|e| StoreError::Corrupt(format!("brand {slug}: {e}")))
        })
        .transpose()
    }

    pub async fn brand_by_id(&self, id: i64) -> Result<Option<(String, BrandProfile)>, StoreError> {
        let row: Option<(String, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT slug, profile FROM brands WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(slug, json)| {
            serde_json::from_str(&json)
                .map(|p| (slug.clone(), p))
                .map_err(|e| StoreError::Corrupt(format!("brand {slug}: {e}")))
        })
        .transpose()
    }

    /// Creates a brand; `BrandSlugTaken` if the slug is taken. Returns its id.
    pub async fn create_brand(
        &self,
        profile: &BrandProfile,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM brands WHERE slug = $1")
                .bind(&profile.slug)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::BrandSlugTaken(profile.slug.clone()));
            }
            let (id,): (i64,) = sqlx::query_as("INSERT INTO brands (slug, name, profile, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(&profile.slug)
                .bind(&profile.name)
                .bind(&json)
                .bind(now_ms())
                .fetch_one(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                "brand_created",
                Some(id),
                None,
                &profile.name,
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Replaces a brand's profile (its slug stays). Published survey versions keep the
    /// profile they were published with; drafts take the new one when next saved.
    pub async fn update_brand(
        &self,
        brand_id: i64,
        profile: &BrandProfile,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE brands SET name = $1, profile = $2 WHERE id = $3")
                .bind(&profile.name)
                .bind(&json)
                .bind(brand_id)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                "brand_edited",
                Some(brand_id),
                None,
                &profile.name,
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Surveys of a brand with their newest version (archived ones last).
    pub async fn surveys_of_brand(&self, brand_id: i64) -> Result<Vec<SurveyListing>, StoreError> {
        let sql = "SELECT s.id, s.slug, s.status, s.brand_id,
                (SELECT l.version FROM survey_versions l WHERE l.id = s.live_version_id) AS live_version,
                v.version AS newest_version, v.definition AS newest, v.published_at AS newest_published,
                (SELECT CAST(COALESCE(SUM(x.completed), 0) AS BIGINT) FROM survey_versions x WHERE x.survey_id = s.id) AS completed
             FROM surveys s JOIN survey_versions v ON v.survey_id = s.id
                AND v.version = (SELECT MAX(version) FROM survey_versions WHERE survey_id = s.id)
             WHERE s.brand_id = $1
             ORDER BY CASE WHEN s.status = 'archived' THEN 1 ELSE 0 END, s.created_at DESC, s.id DESC";
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(sql).bind(brand_id).fetch_all(pool).await?
        }))
    }

    /// Creates a survey whose version 1 is an (unpublished) draft; `SurveySlugTaken` if the slug is
    /// taken. The definition need not pass the checker yet: drafts may be incomplete.
    pub async fn create_draft_survey(
        &self,
        brand_id: i64,
        def: &SurveyDefinition,
        actor: &Actor,
        action: &str,
    ) -> Result<i64, StoreError> {
        let json = definition_json(def)?;
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM surveys WHERE slug = $1")
                .bind(&def.slug)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::SurveySlugTaken(def.slug.clone()));
            }
            let (survey_id,): (i64,) = sqlx::query_as("INSERT INTO surveys (brand_id, slug, status, created_at) VALUES ($1, $2, 'draft', $3) RETURNING id")
                .bind(brand_id)
                .bind(&def.slug)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES ($1, 1, $2, $3)")
                .bind(survey_id)
                .bind(&json)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                action,
                Some(brand_id),
                Some(survey_id),
                &def.slug,
            )
            .await?;
            tx.commit().await?;
            Ok(survey_id)
        })
    }

    /// The newest version of a survey, as it would be edited (without creating a draft).
    pub async fn newest_version(&self, slug: &str) -> Result<Option<Draft>, StoreError> {
        let row: Option<(i64, i64, i64, i64, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT s.id, s.brand_id, v.id, v.version, v.definition FROM surveys s
                 JOIN survey_versions v ON v.survey_id = s.id
                 WHERE s.slug = $1 ORDER BY v.version DESC LIMIT 1",
            )
            .bind(slug)
            .fetch_optional(pool)
            .await?
        });
        row.map(|(survey_id, brand_id, version_id, version, json)| {
            Ok(Draft {
                survey_id,
                brand_id,
                version_id,
                version,
                definition: parse_definition(&json)?,
                stored: json,
            })
        })
        .transpose()
    }

    /// Applies `edit` to the survey's draft, creating the draft (a copy of the newest,
    /// published version) first if needed. The draft takes the brand's current profile.
    /// `edit` returns the audit detail, or an error that leaves everything unchanged.
    /// Returns the saved draft, or `None` if there is no such survey.
    pub async fn edit_draft<E>(
        &self,
        slug: &str,
        actor: &Actor,
        edit: impl FnOnce(&mut SurveyDefinition) -> Result<String, E>,
    ) -> Result<Option<Result<Draft, E>>, StoreError> {
        let now = now_ms();
        // Two admins editing at once take turns: PostgreSQL locks the survey row before the
        // newest version is read (SQLite's writes are serialised anyway).
        let lock = match self.backend() {
            super::Backend::Sqlite => "SELECT id FROM surveys WHERE slug = $1",
            super::Backend::Postgres => "SELECT id FROM surveys WHERE slug = $1 FOR UPDATE",
        };
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(lock).bind(slug).execute(&mut *tx).await?;
            let newest: Option<NewestRow> = sqlx::query_as(
                "SELECT s.id, s.brand_id, v.id, v.version, v.definition, v.published_at, b.profile FROM surveys s
                 JOIN survey_versions v ON v.survey_id = s.id JOIN brands b ON b.id = s.brand_id
                 WHERE s.slug = $1 ORDER BY v.version DESC LIMIT 1",
            )
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((
                survey_id,
                brand_id,
                mut version_id,
                mut version,
                json,
                published_at,
                profile,
            )) = newest
            else {
                return Ok(None);
            };
            let mut def = parse_definition(&json)?;
            def.brand = serde_json::from_str(&profile)
                .map_err(|e| StoreError::Corrupt(format!("brand: {e}")))?;
            let detail = match edit(&mut def) {
                Ok(detail) => detail,
                Err(refusal) => return Ok(Some(Err(refusal))),
            };
            let json = definition_json(&def)?;
            if published_at.is_some() {
                version += 1;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(survey_id)
                .bind(version)
                .bind(&json)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                version_id = id;
                audit(
                    &mut *tx,
                    actor,
                    "draft_created",
                    Some(brand_id),
                    Some(survey_id),
                    &format!("version {version}"),
                )
                .await?;
            } else {
                let n = sqlx::query("UPDATE survey_versions SET definition = $1 WHERE id = $2 AND published_at IS NULL")
                    .bind(&json)
                    .bind(version_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    // Published between our read and this write (publishing does not take
                    // the survey lock): nothing is written; the admin tries again.
                    return Err(StoreError::DraftPublishedMeanwhile);
                }
            }
            audit(
                &mut *tx,
                actor,
                "survey_edited",
                Some(brand_id),
                Some(survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok(Some(Ok(Draft {
                survey_id,
                brand_id,
                version_id,
                version,
                definition: def,
                stored: json,
            })))
        })
    }

    /// One line in the audit log for a change made elsewhere (users and passwords).
    pub async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut conn = pool.acquire().await?;
            audit(&mut *conn, actor, action, None, None, detail).await?;
        });
        Ok(())
    }

    /// Ends a share link of survey `survey_id` at once; false if there is no such link.
    pub async fn revoke_share(
        &self,
        survey_id: i64,
        brand_id: i64,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let n =
                sqlx::query("DELETE FROM report_shares WHERE survey_id = $1 AND token_hash = $2")
                    .bind(survey_id)
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n > 0 {
                audit(
                    &mut *tx,
                    actor,
                    "share_revoked",
                    Some(brand_id),
                    Some(survey_id),
                    &token_hash[..token_hash.len().min(12)],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(n > 0)
        })
    }

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
                "UPDATE survey_versions SET published_at = $1, definition = $2
                 WHERE id = $3 AND published_at IS NULL AND definition = $4",
            )
            .bind(now)
            .bind(&json)
            .bind(draft.version_id)
            .bind(&draft.stored)
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

    /// The newest audit lines, of one survey or of everything.
    pub async fn audit_log(
        &self,
        survey_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = "SELECT a.at, a.actor, a.action, s.slug AS survey_slug, b.name AS brand_name, a.detail
             FROM audit_log a LEFT JOIN surveys s ON s.id = a.survey_id LEFT JOIN brands b ON b.id = a.brand_id
             WHERE ($1 IS NULL OR a.survey_id = $1) ORDER BY a.id DESC LIMIT $2";
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(sql)
                .bind(survey_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Completed responses of a survey, newest first: (respondent id, version, completed at).
    pub async fn completed_responses(
        &self,
        survey_id: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT r.id, v.version, r.completed_at FROM respondents r JOIN survey_versions v ON v.id = r.version_id
                 WHERE r.survey_id = $1 AND r.completed_at IS NOT NULL ORDER BY r.completed_at DESC, r.id DESC LIMIT $2",
            )
            .bind(survey_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One respondent of a survey: its version id and answers.
    pub async fn response_of(
        &self,
        survey_id: i64,
        respondent_id: i64,
    ) -> Result<Option<(i64, Vec<(String, String)>)>, StoreError> {
        let row: Option<(i64,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT version_id FROM respondents WHERE id = $1 AND survey_id = $2 AND completed_at IS NOT NULL")
                .bind(respondent_id).bind(survey_id).fetch_optional(pool).await?
        });
        match row {
            None => Ok(None),
            Some((version_id,)) => Ok(Some((version_id, self.answers(respondent_id).await?))),
        }
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
