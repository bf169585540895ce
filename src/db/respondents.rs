//! Respondents: starting one, the single read a respondent's request makes
//! ([`Store::survey_visit`]), recording a page post (the entry point: how it is written is
//! `page_posts`), deleting a respondent with everything stored about them, and the admin's
//! reads of responses.

use super::batch::{Batch, RunBatch};
use super::page_posts::postgres::Prefetched;
use super::quality::remove_duration;
use super::rollups::update_rollups;
use super::scores::{ScoreRecord, SCORE_COLUMNS};
use super::surveys::{zone_of_definition, SurveyRecord};
use super::{now_ms, page_posts, Backend, Store, StoreError, SurveyRow};
use crate::domain::flow::PageDecision;
use crate::domain::quality::QualityFlags;
use crate::domain::tally::{rollup_keys, split_rollup_cut};
use crate::domain::Locale;

/// Decodes the answers read as one JSON text `[[key, value], …]` (`page_posts::answers_json`).
pub(super) fn parse_answers(json: &str) -> Result<Vec<(String, String)>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("answers: {e}")))
}

/// A respondent's progress through one survey version.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RespondentRow {
    pub id: i64,
    pub survey_id: i64,
    pub version_id: i64,
    pub locale: String,
    /// Zero-based index of the page to show next.
    pub current_page: i64,
    pub completed_at: Option<i64>,
    /// The order the bond blocks are shown in ("values_first" / "contact_first"), drawn at
    /// the start; NULL for respondents of a survey that cannot counterbalance them.
    pub block_order: Option<String>,
}

impl RespondentRow {
    pub fn block_order(&self) -> Option<crate::domain::flow::BlockOrder> {
        self.block_order
            .as_deref()
            .and_then(crate::domain::flow::BlockOrder::parse)
    }
}

/// A complete response in the admin's list of responses.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseSummary {
    pub id: i64,
    /// The version's number (1, 2, …).
    pub version: i64,
    pub completed_at: i64,
    pub quality: QualityFlags,
}

/// A survey as a respondent's request sees it (see `Store::survey_visit`).
#[derive(Clone, Debug)]
pub struct SurveyVisit {
    pub survey: SurveyRow,
    pub respondent: Option<RespondentRow>,
    /// (question key, stored text); empty unless asked for.
    pub answers: Vec<(String, String)>,
}

/// The row of `survey_visit`: the survey, the respondent's columns (NULL when the token
/// matches nobody of this survey) and their answers as one JSON text.
#[derive(sqlx::FromRow)]
struct VisitRow {
    #[sqlx(flatten)]
    survey: SurveyRecord,
    respondent_id: Option<i64>,
    version_id: Option<i64>,
    locale: Option<String>,
    current_page: Option<i64>,
    completed_at: Option<i64>,
    block_order: Option<String>,
    answers: String,
}

/// The score row of a respondent being deleted, with the duration bucket it was counted in
/// (`quality::remove_duration`).
#[derive(sqlx::FromRow)]
struct DeletedScores {
    #[sqlx(flatten)]
    record: ScoreRecord,
    duration_bucket: Option<i64>,
}

/// What a page post is recorded with besides its decision: the survey's slug (for the
/// redirect), the language the respondent answers in, and the survey's time zone (the
/// report rollups count a completion on its local day).
#[derive(Clone, Debug)]
pub struct PostContext {
    pub slug: String,
    pub locale: Locale,
    pub zone: crate::domain::zone::SurveyZone,
    /// The post filled in the honeypot field no person sees (`quality`: a bot).
    pub honeypot: bool,
    /// Whether a page posted within a second of being served counts as a bot's
    /// (`Config::time_pages`; off only where tests post at machine speed).
    pub time_pages: bool,
}

/// The result of a page post.
#[derive(Debug)]
pub enum PageOutcome<R> {
    Written(String),
    /// The idempotency key was seen before: nothing written, same redirect.
    Replayed(String),
    AlreadyCompleted,
    /// The respondent no longer exists (deleted).
    Gone,
    /// The caller refused the post after seeing the stored answers; nothing written.
    Rejected(R),
}

impl Store {
    /// Starts a respondent, or returns the one already started with this token
    /// (a double-clicked "Start" must not create two).
    pub async fn start_respondent(
        &self,
        survey_id: i64,
        version_id: i64,
        token_hash: &str,
        locale: &str,
        first_page: i64,
        block_order: Option<crate::domain::flow::BlockOrder>,
    ) -> Result<RespondentRow, StoreError> {
        // On a repeated token the no-op update makes RETURNING give the existing row, so
        // one statement both starts and finds.
        let mut start = Batch::default();
        start.push(
            "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page, started_at, updated_at, block_order)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
             ON CONFLICT (token_hash) DO UPDATE SET token_hash = excluded.token_hash
             RETURNING id, survey_id, version_id, locale, current_page, completed_at, block_order",
            vec![
                survey_id.into(),
                version_id.into(),
                token_hash.into(),
                locale.into(),
                first_page.into(),
                now_ms().into(),
                block_order.map(|o| o.as_str()).into(),
            ],
        );
        // On SQLite a job of the group commit; on PostgreSQL one statement is a durable
        // transaction of its own.
        let mut rows: Vec<RespondentRow> = match self {
            Store::Sqlite(s) => {
                s.commits
                    .run(move |conn| Box::pin(async move { Ok(conn.fetch_batch(start).await?) }))
                    .await?
            }
            Store::Postgres(p) => p.pool.acquire().await?.fetch_batch(start).await?,
        };
        Ok(rows.pop().ok_or(sqlx::Error::RowNotFound)?)
    }

    /// What a respondent's page needs, in one statement: the survey (not a draft), the
    /// respondent `token_hash` belongs to if they answer this survey, and with
    /// `with_answers` their answers, as one JSON text (`page_posts::answers_json`). Every
    /// statement is a hand-off to a connection's thread on SQLite and a round trip on
    /// PostgreSQL, so the respondent pages, the hot path under load, read once.
    pub async fn survey_visit(
        &self,
        slug: &str,
        token_hash: Option<&str>,
        with_answers: bool,
    ) -> Result<Option<SurveyVisit>, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                    s.access, s.one_per_browser,
                    r.id AS respondent_id, r.version_id, r.locale, r.current_page, r.completed_at, r.block_order,
                    (SELECT json_group_array(json_array(a.question_key, a.value)) FROM answers a
                     WHERE a.respondent_id = r.id AND $3) AS answers
                 FROM surveys s JOIN brands b ON b.id = s.brand_id
                 LEFT JOIN respondents r ON r.token_hash = $2 AND r.survey_id = s.id
                 WHERE s.slug = $1 AND s.status <> 'draft'"
            }
            Backend::Postgres => {
                "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                    s.access, s.one_per_browser,
                    r.id AS respondent_id, r.version_id, r.locale, r.current_page, r.completed_at, r.block_order,
                    (SELECT COALESCE(json_agg(json_build_array(a.question_key, a.value)), '[]')::text FROM answers a
                     WHERE a.respondent_id = r.id AND $3) AS answers
                 FROM surveys s JOIN brands b ON b.id = s.brand_id
                 LEFT JOIN respondents r ON r.token_hash = $2 AND r.survey_id = s.id
                 WHERE s.slug = $1 AND s.status <> 'draft'"
            }
        };
        let row: Option<VisitRow> = on_pool!(self.pages(), |pool| {
            sqlx::query_as(sql)
                .bind(slug)
                .bind(token_hash)
                .bind(with_answers)
                .fetch_optional(pool)
                .await?
        });
        let Some(row) = row else {
            return Ok(None);
        };
        let survey = SurveyRow::try_from(row.survey)?;
        let respondent = match (
            row.respondent_id,
            row.version_id,
            row.locale,
            row.current_page,
        ) {
            (Some(id), Some(version_id), Some(locale), Some(current_page)) => Some(RespondentRow {
                id,
                survey_id: survey.id,
                version_id,
                locale,
                current_page,
                completed_at: row.completed_at,
                block_order: row.block_order,
            }),
            _ => None,
        };
        Ok(Some(SurveyVisit {
            survey,
            respondent,
            answers: parse_answers(&row.answers)?,
        }))
    }

    /// The read of a page post: `survey_visit`'s, and on PostgreSQL in the same statement
    /// what the post of page `page` with `idem_key` is decided on (`record_page`), so that
    /// a post makes two round trips (`page_posts::postgres`). On SQLite the group commit
    /// reads that in its write transaction.
    pub async fn post_visit(
        &self,
        slug: &str,
        token_hash: Option<&str>,
        (idem_key, page): (&str, usize),
    ) -> Result<Option<(SurveyVisit, Option<Prefetched>)>, StoreError> {
        match self {
            Store::Sqlite(_) => Ok(self
                .survey_visit(slug, token_hash, false)
                .await?
                .map(|visit| (visit, None))),
            Store::Postgres(p) => {
                page_posts::postgres::post_visit(&p.pages, slug, token_hash, (idem_key, page)).await
            }
        }
    }

    /// A respondent's stored answers as (question key, stored text).
    pub async fn answers(&self, respondent_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT question_key, value FROM answers WHERE respondent_id = $1 ORDER BY question_key")
                .bind(respondent_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Records one page post durably: the idempotency key is checked, then `decide` (the
    /// domain's `flow::decide_page`) sees the stored answers and says what to write. A
    /// repeated key replays the first outcome; nothing is ever written twice. How each
    /// backend does it: `page_posts`.
    /// `prefetched` is what `post_visit` read for the post, if it did (PostgreSQL).
    /// `decide` may be called again when another post of the respondent was written
    /// between the read and the write (PostgreSQL: `page_posts::postgres`).
    pub async fn record_page<R: Send + 'static>(
        &self,
        respondent_id: i64,
        idem_key: &str,
        prefetched: Option<Prefetched>,
        context: PostContext,
        decide: impl Fn(Vec<(String, String)>) -> Result<PageDecision, R> + Send + 'static,
    ) -> Result<PageOutcome<R>, StoreError> {
        let now = now_ms();
        match self {
            Store::Sqlite(s) => {
                let (post, answered) =
                    page_posts::queued(respondent_id, idem_key, now, context, decide);
                s.commits.post(post).await?;
                // A dropped answer means the decision panicked or the batch failed before it.
                answered
                    .await
                    .map_err(|_| StoreError::Commit("the write was abandoned".into()))?
            }
            Store::Postgres(p) => {
                let post = (respondent_id, idem_key);
                page_posts::postgres::record(&p.pages, post, prefetched, now, context, decide).await
            }
        }
    }

    /// Deletes a respondent and everything stored about them.
    pub async fn delete_respondent(&self, respondent_id: i64) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let mut writes = Batch::default();
            // A completed response leaves the report rollups too.
            let scored: Option<DeletedScores> = sqlx::query_as(&format!(
                "SELECT {}, duration_bucket FROM respondent_scores WHERE respondent_id = $1",
                SCORE_COLUMNS
            ))
            .bind(respondent_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(DeletedScores {
                record,
                duration_bucket,
            }) = scored
            {
                let (survey_id, row) = record.into_response()?;
                // First, before any folded row is locked: a fold holds the unfolded rows
                // it folds, this waits for it, and a fold never waits holding them.
                let key = (row.version_id, respondent_id);
                remove_duration(&mut *tx, key, duration_bucket, &mut writes).await?;
                let (definition,): (String,) =
                    sqlx::query_as("SELECT definition FROM survey_versions WHERE id = $1")
                        .bind(row.version_id)
                        .fetch_one(&mut *tx)
                        .await?;
                // Rows of the response not folded yet (`rollups`) go with it; from the
                // folded rows it is subtracted. A fold under way holds the rows it folds,
                // so this delete waits for it and then finds them folded.
                let unfolded: Vec<(i64, String)> = sqlx::query_as(
                    "DELETE FROM report_rollups WHERE version_id = $1 AND part = $2 AND part <> 0
                     RETURNING day, cut",
                )
                .bind(row.version_id)
                .bind(respondent_id)
                .fetch_all(&mut *tx)
                .await?;
                let keys: Vec<(i64, String)> = rollup_keys(
                    row.completed_at,
                    &zone_of_definition(&definition)?,
                    &row.scores,
                )
                .into_iter()
                .filter(|key| !unfolded.contains(key))
                .collect();
                update_rollups(
                    &mut *tx,
                    (survey_id, row.version_id),
                    &keys,
                    &mut writes,
                    |t, _| {
                        t.apply(&row.scores, -1)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))
                    },
                )
                .await?;
                // The folded count holds the response once its row for everyone is folded.
                if keys
                    .iter()
                    .any(|(_, cut)| split_rollup_cut(cut).1.is_empty())
                {
                    writes.push(
                        "UPDATE survey_versions SET completed = completed - 1 WHERE id = $1",
                        vec![row.version_id.into()],
                    );
                }
            }
            for delete in [
                "DELETE FROM respondent_scores WHERE respondent_id = $1",
                "DELETE FROM page_posts WHERE respondent_id = $1",
                "DELETE FROM answers WHERE respondent_id = $1",
                "DELETE FROM respondents WHERE id = $1",
            ] {
                writes.push(delete, vec![respondent_id.into()]);
            }
            tx.run_batch(writes).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Counts of (started, completed) respondents of a survey.
    pub async fn respondent_counts(&self, survey_id: i64) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(completed_at) FROM respondents WHERE survey_id = $1",
            )
            .bind(survey_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Completed responses of a survey, newest first: (respondent id, version, completed at).
    pub async fn completed_responses(
        &self,
        survey_id: i64,
        limit: i64,
    ) -> Result<Vec<ResponseSummary>, StoreError> {
        let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT r.id, v.version, r.completed_at, COALESCE(s.quality, 0)
                 FROM respondents r JOIN survey_versions v ON v.id = r.version_id
                 LEFT JOIN respondent_scores s ON s.respondent_id = r.id
                 WHERE r.survey_id = $1 AND r.completed_at IS NOT NULL ORDER BY r.completed_at DESC, r.id DESC LIMIT $2",
            )
            .bind(survey_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, version, completed_at, quality)| ResponseSummary {
                id,
                version,
                completed_at,
                quality: QualityFlags::from_bits(quality),
            })
            .collect())
    }

    /// One complete respondent of a survey: its version id, quality flags and answers.
    pub async fn response_of(
        &self,
        survey_id: i64,
        respondent_id: i64,
    ) -> Result<Option<(i64, QualityFlags, Vec<(String, String)>)>, StoreError> {
        let row: Option<(i64, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT r.version_id, COALESCE(s.quality, 0) FROM respondents r
                 LEFT JOIN respondent_scores s ON s.respondent_id = r.id
                 WHERE r.id = $1 AND r.survey_id = $2 AND r.completed_at IS NOT NULL",
            )
            .bind(respondent_id)
            .bind(survey_id)
            .fetch_optional(pool)
            .await?
        });
        match row {
            None => Ok(None),
            Some((version_id, quality)) => Ok(Some((
                version_id,
                QualityFlags::from_bits(quality),
                self.answers(respondent_id).await?,
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Distribution, SurveyStatus};

    /// The statements that read a `SurveyRecord` or a `RespondentRow` spell out their
    /// columns: each must read every field.
    #[tokio::test]
    async fn the_survey_and_respondent_reads_decode_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        for sql in [
            "INSERT INTO brands (id, slug, name, profile, created_at) VALUES (1, 'b', 'Brand', '{}', 0)",
            "INSERT INTO surveys (id, brand_id, slug, status, live_version_id, created_at, one_per_browser)
             VALUES (1, 1, 's', 'open', 1, 0, 1)",
            "INSERT INTO survey_versions (id, survey_id, version, definition, created_at, published_at)
             VALUES (1, 1, 1, '{}', 0, 0)",
        ] {
            sqlx::query(sql).execute(&s.write).await.unwrap();
        }
        let started = store
            .start_respondent(1, 1, "t", "vi", 2, None)
            .await
            .unwrap();
        assert_eq!((started.survey_id, started.current_page), (1, 2));
        sqlx::query(
            "INSERT INTO answers (respondent_id, question_key, value) VALUES ($1, 'q', 'a')",
        )
        .bind(started.id)
        .execute(&s.write)
        .await
        .unwrap();

        let survey = store.survey_by_slug("s").await.unwrap().unwrap();
        assert_eq!(
            (
                survey.id,
                survey.status,
                survey.live_version_id,
                survey.brand_name.as_str()
            ),
            (1, SurveyStatus::Open, Some(1), "Brand")
        );
        assert_eq!(
            survey.distribution,
            Distribution {
                invite_only: false,
                one_per_browser: true
            }
        );
        assert_eq!(store.public_surveys().await.unwrap().len(), 1);
        let visit = store
            .survey_visit("s", Some("t"), true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(visit.survey.slug, "s");
        let respondent = visit.respondent.unwrap();
        assert_eq!(
            (
                respondent.id,
                respondent.version_id,
                respondent.locale.as_str()
            ),
            (started.id, 1, "vi")
        );
        assert_eq!(visit.answers, [("q".to_string(), "a".to_string())]);
        let visit = store
            .survey_visit("s", Some("x"), false)
            .await
            .unwrap()
            .unwrap();
        assert!(visit.respondent.is_none() && visit.answers.is_empty());
    }
}
