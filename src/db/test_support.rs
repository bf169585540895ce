//! Store methods only the tests call (the unit tests and tests/it): reads that check what
//! was stored, and shortcuts that set up a state the app reaches only slowly or through
//! pages. The app does not call them.
//!
//! They are compiled into every build, not behind `cfg(test)` or a feature: the integration
//! tests link the release library `cargo leptos build --release` compiled, so `make test`
//! compiles the crate in release once; a feature would compile the library and the server
//! binary a second time (minutes on a small CI machine) and swap the binary the browser
//! tests run. Unused, they cost the app nothing.

use std::collections::HashMap;

use super::{ReportFilter, RespondentRow, Store, StoreError, SurveyStatus};
use crate::domain::report::ScoredResponse;
use crate::domain::tally::Tally;

/// A completed respondent's headline scores as stored.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoredScores {
    pub bond_class: String,
    pub values_bond: Option<f64>,
    pub contact_bond: Option<f64>,
    pub alignment: Option<f64>,
    pub nps_class: Option<String>,
    pub contact_fit: Option<String>,
}

/// Tables `count_rows` may count (the name is put into SQL, so it must be one of these).
const COUNTABLE: [&str; 18] = [
    "brands",
    "contacts",
    "mail_messages",
    "unsubscribes",
    "surveys",
    "survey_versions",
    "respondents",
    "answers",
    "page_posts",
    "respondent_scores",
    "users",
    "user_brands",
    "sessions",
    "report_shares",
    "report_rollups",
    "response_durations",
    "audit_log",
    "invites",
];

/// Score rows `report_rows` reads per statement.
const REPORT_ROWS_PAGE: usize = 5_000;

impl Store {
    /// Rows in one of the store's tables.
    pub async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        if !COUNTABLE.contains(&table) {
            return Err(StoreError::UnknownTable(table.to_string()));
        }
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql).fetch_one(pool).await?
        });
        Ok(n)
    }

    /// How many stored page posts carry this idempotency key (an acknowledged post must be
    /// there exactly once).
    pub async fn page_posts_with_key(&self, idem_key: &str) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM page_posts WHERE idem_key = $1")
                .bind(idem_key)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    pub async fn respondent_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RespondentRow>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT id, survey_id, version_id, locale, current_page, completed_at, block_order
                 FROM respondents WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The stored scores of a completed respondent.
    pub async fn scores(&self, respondent_id: i64) -> Result<Option<StoredScores>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT bond_class, values_bond, contact_bond, alignment, nps_class, contact_fit
                 FROM respondent_scores WHERE respondent_id = $1",
            )
            .bind(respondent_id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The scores of every complete response the filter selects, oldest first.
    pub async fn report_rows(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
    ) -> Result<Vec<ScoredResponse>, StoreError> {
        let mut rows = Vec::new();
        let mut after = None;
        loop {
            let (page, next) = self
                .report_rows_page(survey_id, filter, after, REPORT_ROWS_PAGE)
                .await?;
            rows.extend(page);
            match next {
                Some(cursor) => after = Some(cursor),
                None => return Ok(rows),
            }
        }
    }

    /// Stored answers of complete respondents of a survey, grouped by respondent id.
    pub async fn completed_answers(
        &self,
        survey_id: i64,
    ) -> Result<HashMap<i64, Vec<(String, String)>>, StoreError> {
        let rows: Vec<(i64, String, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT a.respondent_id, a.question_key, a.value FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE r.survey_id = $1 AND r.completed_at IS NOT NULL",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?
        });
        let mut by_respondent: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (id, key, value) in rows {
            by_respondent.entry(id).or_default().push((key, value));
        }
        Ok(by_respondent)
    }

    /// Opens, closes or archives a survey without an audit line; false if there is no such
    /// survey.
    pub async fn set_survey_status(
        &self,
        slug: &str,
        status: SurveyStatus,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self.write(), |pool| {
            sqlx::query("UPDATE surveys SET status = $1 WHERE slug = $2")
                .bind(status.as_str())
                .bind(slug)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Moves a respondent's clock back by `by_ms`: as if they had started, and been served
    /// their current page, that much earlier (tests of response quality's timing rules).
    pub async fn backdate_respondent(
        &self,
        respondent_id: i64,
        by_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query(
                "UPDATE respondents SET started_at = started_at - $1, updated_at = updated_at - $1
                 WHERE id = $2",
            )
            .bind(by_ms)
            .bind(respondent_id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Every report rollup key of a survey with its parts summed (`rollups`): (version, day,
    /// cut, tally).
    pub async fn rollup_rows(
        &self,
        survey_id: i64,
    ) -> Result<Vec<(i64, i64, String, Tally)>, StoreError> {
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT version_id, day, cut, tally FROM report_rollups WHERE survey_id = $1",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?
        });
        let mut keys: std::collections::BTreeMap<(i64, i64, String), Tally> = Default::default();
        for (version, day, cut, json) in rows {
            let tally: Tally = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
            keys.entry((version, day, cut)).or_default().merge(&tally);
        }
        Ok(keys
            .into_iter()
            .map(|((version, day, cut), tally)| (version, day, cut, tally))
            .collect())
    }

    /// Rows completions wrote that are not folded yet (`rollups`), of both tables.
    pub async fn unfolded_rows(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM report_rollups WHERE part <> 0)
                      + (SELECT COUNT(*) FROM response_durations WHERE part <> 0)",
            )
            .fetch_one(pool)
            .await?;
            n
        }))
    }

    /// A survey's duration counts (the speeder median's, `response_durations`), every
    /// version's parts summed: responses per bucket, buckets with none left out.
    pub async fn duration_counts(&self, survey_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT d.seconds, CAST(SUM(d.responses) AS BIGINT) FROM response_durations d
                 JOIN survey_versions v ON v.id = d.version_id WHERE v.survey_id = $1
                 GROUP BY d.seconds HAVING SUM(d.responses) <> 0 ORDER BY d.seconds",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// When each complete respondent of a survey started and completed, for a direct count
    /// of `duration_counts`.
    pub async fn completion_times(&self, survey_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT started_at, completed_at FROM respondents
                 WHERE survey_id = $1 AND completed_at IS NOT NULL",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Rebuilds every report rollup from the score rows, as a start does when a migration
    /// asks for it.
    pub async fn rebuild_rollups(&self) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query("INSERT INTO maintenance (task) VALUES ('rebuild_rollups')")
                .execute(pool)
                .await?;
        });
        self.rebuild_rollups_if_asked().await
    }

    /// Moves a session's clock back by `by_ms`, for tests of expiry.
    pub async fn backdate_session(&self, id_hash: &str, by_ms: i64) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query(
                "UPDATE sessions SET created_at = created_at - $1, last_seen_at = last_seen_at - $1
                 WHERE id_hash = $2",
            )
            .bind(by_ms)
            .bind(id_hash)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
