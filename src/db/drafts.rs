//! A survey's versions as admins write them: creating a survey (an admin's draft, or a
//! definition imported from the command line, published at once if asked), reading its
//! newest version, and editing its draft.
//!
//! Versioning: a survey's versions are rows of `survey_versions`; a version with
//! `published_at` set never changes again. Editing a survey edits its newest version if it
//! is still a draft, otherwise a new draft version (a copy of the newest) is created first.
//! Respondents keep the version they started, so an edit never changes what anyone answered.

use super::audit::{audit, Actor};
use super::batch::{Batch, RunBatch};
use super::{now_ms, Backend, Store, StoreError, SurveyStatus};
use crate::domain::{BrandProfile, SurveyDefinition};

/// The version an admin edits.
#[derive(Clone, Debug)]
pub struct Draft {
    pub survey_id: i64,
    pub brand_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub definition: SurveyDefinition,
    /// The definition as stored when read: publishing checks nobody changed it since.
    pub(super) stored: String,
}

/// survey id, brand id, version id, version, definition, published at, brand profile.
type NewestRow = (i64, i64, i64, i64, String, Option<i64>, String);

pub(super) fn definition_json(def: &SurveyDefinition) -> Result<String, StoreError> {
    serde_json::to_string(def).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_definition(json: &str) -> Result<SurveyDefinition, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("survey definition: {e}")))
}

impl Store {
    /// Imports a survey definition as version 1 of a new survey; creates its brand if the
    /// slug is new, otherwise uses the stored brand profile (and checks the survey against it).
    /// Returns the survey id.
    pub async fn import_survey(
        &self,
        def: &SurveyDefinition,
        publish: bool,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        let mut def = def.clone();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let existing: Option<(i64, String)> =
                sqlx::query_as("SELECT id, profile FROM brands WHERE slug = $1")
                    .bind(&def.brand.slug)
                    .fetch_optional(&mut *tx)
                    .await?;
            let brand_id = match existing {
                Some((id, profile)) => {
                    def.brand = serde_json::from_str::<BrandProfile>(&profile)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    def.validate().map_err(|e| StoreError::BrandMismatch {
                        brand: def.brand.slug.clone(),
                        problem: e.to_string(),
                    })?;
                    id
                }
                None => {
                    let profile = serde_json::to_string(&def.brand)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    let (id,): (i64,) = sqlx::query_as("INSERT INTO brands (slug, name, profile, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(&def.brand.slug)
                        .bind(&def.brand.name)
                        .bind(profile)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM surveys WHERE slug = $1")
                .bind(&def.slug)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::SurveySlugTaken(def.slug.clone()));
            }
            let status = if publish {
                SurveyStatus::Open
            } else {
                SurveyStatus::Draft
            };
            let (survey_id,): (i64,) = sqlx::query_as("INSERT INTO surveys (brand_id, slug, status, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(brand_id)
                .bind(&def.slug)
                .bind(status.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let (version_id,): (i64,) = sqlx::query_as(
                "INSERT INTO survey_versions (survey_id, version, definition, created_at, published_at, pages)
                 VALUES ($1, 1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(survey_id)
            .bind(serde_json::to_string(&def).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(now)
            .bind(publish.then_some(now))
            .bind(publish.then_some(def.pages.len() as i64))
            .fetch_one(&mut *tx)
            .await?;
            if publish {
                sqlx::query("UPDATE surveys SET live_version_id = $1 WHERE id = $2")
                    .bind(version_id)
                    .bind(survey_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(survey_id)
        })
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
            Backend::Sqlite => "SELECT id FROM surveys WHERE slug = $1",
            Backend::Postgres => "SELECT id FROM surveys WHERE slug = $1 FOR UPDATE",
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
            let Some(newest) = newest else {
                return Ok(None);
            };
            let (mut draft, published) = draft_to_edit(newest)?;
            let detail = match edit(&mut draft.definition) {
                Ok(detail) => detail,
                Err(refusal) => return Ok(Some(Err(refusal))),
            };
            if published {
                save_as_new_version(&mut *tx, &mut draft, actor, now).await?;
            } else {
                save_over_draft(&mut *tx, &mut draft).await?;
            }
            audit(
                &mut *tx,
                actor,
                "survey_edited",
                Some(draft.brand_id),
                Some(draft.survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok(Some(Ok(draft)))
        })
    }
}

/// What an edit starts from: the newest version, its definition with the brand's current
/// profile, and whether that version is published (so the edit is saved as a new one).
fn draft_to_edit(
    (survey_id, brand_id, version_id, version, json, published_at, profile): NewestRow,
) -> Result<(Draft, bool), StoreError> {
    let mut definition = parse_definition(&json)?;
    definition.brand =
        serde_json::from_str(&profile).map_err(|e| StoreError::Corrupt(format!("brand: {e}")))?;
    let draft = Draft {
        survey_id,
        brand_id,
        version_id,
        version,
        definition,
        stored: json,
    };
    Ok((draft, published_at.is_some()))
}

/// Saves the edited `draft`, read from a published version, as the survey's next version
/// (a new draft, audited as such) in the transaction open on `conn`; `draft` takes its
/// number, id and stored text.
async fn save_as_new_version<C: RunBatch>(
    conn: &mut C,
    draft: &mut Draft,
    actor: &Actor,
    now: i64,
) -> Result<(), StoreError> {
    let json = definition_json(&draft.definition)?;
    let version = draft.version + 1;
    let mut insert = Batch::default();
    insert.push(
        "INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        vec![draft.survey_id.into(), version.into(), json.as_str().into(), now.into()],
    );
    let inserted: Vec<(i64,)> = conn.fetch_batch(insert).await?;
    let (version_id,) = inserted.first().copied().ok_or(sqlx::Error::RowNotFound)?;
    audit(
        conn,
        actor,
        "draft_created",
        Some(draft.brand_id),
        Some(draft.survey_id),
        &format!("version {version}"),
    )
    .await?;
    draft.version = version;
    draft.version_id = version_id;
    draft.stored = json;
    Ok(())
}

/// Saves the edited `draft` over its unpublished version in the transaction open on `conn`;
/// `draft` takes the stored text.
async fn save_over_draft<C: RunBatch>(conn: &mut C, draft: &mut Draft) -> Result<(), StoreError> {
    let json = definition_json(&draft.definition)?;
    let mut update = Batch::default();
    update.push(
        "UPDATE survey_versions SET definition = $1 WHERE id = $2 AND published_at IS NULL RETURNING id",
        vec![json.as_str().into(), draft.version_id.into()],
    );
    // A batch returns rows, not counts: RETURNING tells whether the draft was still there
    // to update.
    let updated: Vec<(i64,)> = conn.fetch_batch(update).await?;
    if updated.is_empty() {
        // Published between our read and this write (publishing does not take the survey
        // lock): nothing is written; the admin tries again.
        return Err(StoreError::DraftPublishedMeanwhile);
    }
    draft.stored = json;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit saves over an unpublished draft, saves a published version's edit as the
    /// next version, and refuses a draft published between its read and its save.
    #[tokio::test]
    async fn an_edit_saves_over_the_draft_or_as_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let actor = Actor {
            user_id: None,
            email: "test@example.vn".into(),
        };
        let def = crate::domain::survey::tests::demo();
        store.import_survey(&def, false).await.unwrap();
        let edit = |threshold: f64| {
            move |def: &mut SurveyDefinition| {
                def.bond_threshold = threshold;
                Ok::<_, ()>(format!("threshold {threshold}"))
            }
        };

        let first = store.newest_version(&def.slug).await.unwrap().unwrap();
        let saved = store
            .edit_draft(&def.slug, &actor, edit(5.5))
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!((saved.version_id, saved.version), (first.version_id, 1));
        let stored = store.newest_version(&def.slug).await.unwrap().unwrap();
        assert_eq!(stored.definition.bond_threshold, 5.5);
        assert_eq!(stored.stored, saved.stored);

        assert_eq!(
            store.publish_draft(&saved, &actor).await.unwrap(),
            crate::db::Published::Now
        );
        let next = store
            .edit_draft(&def.slug, &actor, edit(6.0))
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(next.version, 2);
        assert_ne!(next.version_id, saved.version_id);
        let stored = store.newest_version(&def.slug).await.unwrap().unwrap();
        assert_eq!(
            (stored.version_id, stored.stored),
            (next.version_id, next.stored)
        );
        let actions: Vec<String> = store
            .audit_log(None, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(
            actions[..3],
            ["survey_edited", "draft_created", "published"]
        );

        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        let mut published = saved.clone();
        published.definition.bond_threshold = 7.0;
        let mut tx = s.write.begin().await.unwrap();
        assert!(matches!(
            save_over_draft(&mut *tx, &mut published).await,
            Err(StoreError::DraftPublishedMeanwhile)
        ));
        assert_eq!(published.stored, saved.stored);
    }
}
