//! What the listening section reads and writes: free-text answers of complete responses
//! (newest first, a bounded batch at a time, never the whole survey), the codes people
//! gave them (audited), the brand's value keywords and the survey's masking switch.

use super::audit::{audit, Actor};
use super::{now_ms, ReportFilter, Store, StoreError};

/// One free-text answer with what the listening section shows and filters it by.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TextAnswerRow {
    pub respondent_id: i64,
    pub version_id: i64,
    pub completed_at: i64,
    pub values_bond: Option<f64>,
    pub contact_bond: Option<f64>,
    /// The respondent's segment answers (JSON: question → option).
    pub segments: String,
    pub question_key: String,
    pub value: String,
}

/// Where a newest-first read of text answers stopped: the last row's (completed_at,
/// respondent_id, question_key); the next read starts just after it.
pub type TextCursor = (i64, i64, String);

/// Whether a person confirmed a code on an answer or rejected it (a rejected suggestion
/// is not suggested again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeStatus {
    Confirmed,
    Rejected,
}

impl CodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatus::Confirmed => "confirmed",
            CodeStatus::Rejected => "rejected",
        }
    }
}

/// A code stored on one answer.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoredCode {
    pub respondent_id: i64,
    pub question_key: String,
    pub code: String,
    pub status: String,
}

/// Confirmed codes counted by what classifies and filters a respondent: the rows are as
/// few as the distinct (version, segments, V, C) of coded respondents.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CodeCountRow {
    pub version_id: i64,
    pub segments: String,
    pub values_bond: Option<f64>,
    pub contact_bond: Option<f64>,
    /// None for the count of coded answers (whatever their codes).
    pub code: Option<String>,
    pub answers: i64,
}

/// A stated value's keywords, one per line, in each language.
#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct ValueKeywordRow {
    pub value_key: String,
    pub keywords_vi: String,
    pub keywords_en: String,
}

/// The quality flags a filter admits: every response, or only unflagged ones.
fn max_quality(filter: &ReportFilter) -> i64 {
    if filter.include_flagged {
        i64::MAX
    } else {
        0
    }
}

fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Up to `limit` answers to the questions `keys` of complete responses within the
    /// filter's period (and quality flags), newest first, after `before`. Versions and the
    /// segment group are left to the caller, as for the report's own rows.
    pub async fn text_answers_batch(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
        keys: &[String],
        before: Option<&TextCursor>,
        limit: usize,
    ) -> Result<Vec<TextAnswerRow>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT s.respondent_id, s.version_id, s.completed_at, s.values_bond, s.contact_bond,
                    s.segments, a.question_key, a.value
             FROM respondent_scores s JOIN answers a ON a.respondent_id = s.respondent_id
             WHERE s.survey_id = $1 AND s.completed_at >= $2 AND s.completed_at < $3
               AND s.quality <= $4
               AND (s.completed_at < $5 OR (s.completed_at = $5 AND (s.respondent_id < $6
                    OR (s.respondent_id = $6 AND a.question_key > $7))))
               AND a.value <> '' AND a.question_key IN ({})
             ORDER BY s.completed_at DESC, s.respondent_id DESC, a.question_key LIMIT $8",
            placeholders(9, keys.len())
        );
        let (at, id, key) = before
            .cloned()
            .unwrap_or((i64::MAX, i64::MAX, String::new()));
        Ok(on_pool!(self.read(), |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(survey_id)
                .bind(filter.from_ms.unwrap_or(i64::MIN))
                .bind(filter.to_ms.unwrap_or(i64::MAX))
                .bind(max_quality(filter))
                .bind(at)
                .bind(id)
                .bind(&key)
                .bind(limit as i64);
            for k in keys {
                query = query.bind(k);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// The codes stored on the answers of the given respondents of the survey.
    pub async fn answer_codes_of(
        &self,
        survey_id: i64,
        respondent_ids: &[i64],
    ) -> Result<Vec<StoredCode>, StoreError> {
        let mut out = Vec::new();
        for ids in respondent_ids.chunks(500) {
            let sql = format!(
                "SELECT respondent_id, question_key, code, status FROM answer_codes
                 WHERE survey_id = $1 AND respondent_id IN ({}) ORDER BY code",
                placeholders(2, ids.len())
            );
            let rows: Vec<StoredCode> = on_pool!(self.read(), |pool| {
                let mut query = sqlx::query_as(&sql).bind(survey_id);
                for id in ids {
                    query = query.bind(id);
                }
                query.fetch_all(pool).await?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// Confirms or rejects `code` on one answer (`None`: removes it), with an audit line, in
    /// one transaction. False (nothing written) when the survey has no such non-empty
    /// answer of a complete response.
    pub async fn set_answer_code(
        &self,
        (survey_id, brand_id): (i64, i64),
        (respondent_id, question_key): (i64, &str),
        code: &str,
        status: Option<CodeStatus>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let action = match status {
            Some(CodeStatus::Confirmed) => "answer_code_confirmed",
            Some(CodeStatus::Rejected) => "answer_code_rejected",
            None => "answer_code_removed",
        };
        let detail = format!("respondent {respondent_id}, {question_key}: {code}");
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let exists: Option<(i64,)> = sqlx::query_as(
                "SELECT s.respondent_id FROM respondent_scores s
                 JOIN answers a ON a.respondent_id = s.respondent_id
                 WHERE s.survey_id = $1 AND s.respondent_id = $2 AND a.question_key = $3
                   AND a.value <> ''",
            )
            .bind(survey_id)
            .bind(respondent_id)
            .bind(question_key)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_none() {
                return Ok(false);
            }
            sqlx::query(
                "DELETE FROM answer_codes WHERE respondent_id = $1 AND question_key = $2 AND code = $3",
            )
            .bind(respondent_id)
            .bind(question_key)
            .bind(code)
            .execute(&mut *tx)
            .await?;
            if let Some(status) = status {
                sqlx::query(
                    "INSERT INTO answer_codes (survey_id, respondent_id, question_key, code, status, set_by, set_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(survey_id)
                .bind(respondent_id)
                .bind(question_key)
                .bind(code)
                .bind(status.as_str())
                .bind(&actor.email)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            }
            audit(
                &mut *tx,
                actor,
                action,
                Some(brand_id),
                Some(survey_id),
                &detail,
            )
            .await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Confirmed codes of complete responses within the filter's period and flags, counted
    /// per (version, segments, V, C): each code's answers, and (code None) the answers
    /// with any confirmed code.
    pub async fn code_counts(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
    ) -> Result<Vec<CodeCountRow>, StoreError> {
        let select = |code: &str, from: &str, group: &str| {
            format!(
                "SELECT s.version_id, s.segments, s.values_bond, s.contact_bond, {code} AS code,
                        COUNT(*) AS answers
                 FROM {from} c JOIN respondent_scores s ON s.respondent_id = c.respondent_id
                 WHERE s.survey_id = $1 AND s.completed_at >= $2 AND s.completed_at < $3
                   AND s.quality <= $4
                 GROUP BY s.version_id, s.segments, s.values_bond, s.contact_bond{group}"
            )
        };
        let confirmed = "(SELECT respondent_id, question_key, code FROM answer_codes
                          WHERE survey_id = $1 AND status = 'confirmed')";
        let coded = "(SELECT DISTINCT respondent_id, question_key FROM answer_codes
                      WHERE survey_id = $1 AND status = 'confirmed')";
        let sql = format!(
            "{} UNION ALL {}",
            select("c.code", confirmed, ", c.code"),
            select("NULL", coded, "")
        );
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql)
                .bind(survey_id)
                .bind(filter.from_ms.unwrap_or(i64::MIN))
                .bind(filter.to_ms.unwrap_or(i64::MAX))
                .bind(max_quality(filter))
                .fetch_all(pool)
                .await?
        }))
    }

    /// The brand's value keywords (values without any have no row).
    pub async fn value_keywords(&self, brand_id: i64) -> Result<Vec<ValueKeywordRow>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT value_key, keywords_vi, keywords_en FROM value_keywords
                 WHERE brand_id = $1 ORDER BY value_key",
            )
            .bind(brand_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the brand's value keywords by `rows` (rows without keywords are dropped),
    /// with an audit line.
    pub async fn set_value_keywords(
        &self,
        brand_id: i64,
        rows: &[ValueKeywordRow],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let kept: Vec<&ValueKeywordRow> = rows
            .iter()
            .filter(|r| !r.keywords_vi.trim().is_empty() || !r.keywords_en.trim().is_empty())
            .collect();
        let detail = kept
            .iter()
            .map(|r| r.value_key.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM value_keywords WHERE brand_id = $1")
                .bind(brand_id)
                .execute(&mut *tx)
                .await?;
            for r in &kept {
                sqlx::query(
                    "INSERT INTO value_keywords (brand_id, value_key, keywords_vi, keywords_en)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(brand_id)
                .bind(&r.value_key)
                .bind(&r.keywords_vi)
                .bind(&r.keywords_en)
                .execute(&mut *tx)
                .await?;
            }
            audit(
                &mut *tx,
                actor,
                "value_keywords_set",
                Some(brand_id),
                None,
                &detail,
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Whether contact details in the survey's text are masked (the default).
    pub async fn text_masked(&self, survey_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT masked FROM text_masking WHERE survey_id = $1")
                .bind(survey_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_none_or(|(masked,)| masked != 0))
    }

    /// Turns masking of the survey's text on or off, with an audit line.
    pub async fn set_text_masked(
        &self,
        (survey_id, brand_id): (i64, i64),
        masked: bool,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let action = if masked {
            "text_masking_on"
        } else {
            "text_masking_off"
        };
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM text_masking WHERE survey_id = $1")
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO text_masking (survey_id, masked, set_by, set_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(survey_id)
            .bind(i64::from(masked))
            .bind(&actor.email)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            audit(&mut *tx, actor, action, Some(brand_id), Some(survey_id), "").await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
