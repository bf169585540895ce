//! A survey's weighting targets: stored as validated margins (JSON), with who set them and
//! when; setting and clearing them is audited in the same transaction.

use super::audit::{audit, Actor};
use super::{now_ms, to_json, Store, StoreError};
use crate::domain::weighting::Margin;

/// The targets a report is weighted to.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightingTargets {
    pub margins: Vec<Margin>,
    /// The staff e-mail of whoever set them.
    pub set_by: String,
    /// Unix milliseconds.
    pub set_at: i64,
}

impl Store {
    /// The survey's weighting targets, if any are set.
    pub async fn weighting_targets(
        &self,
        survey_id: i64,
    ) -> Result<Option<WeightingTargets>, StoreError> {
        let row: Option<(String, String, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT margins, set_by, set_at FROM weighting_targets WHERE survey_id = $1",
            )
            .bind(survey_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(|(json, set_by, set_at)| {
            let margins = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("weighting targets: {e}")))?;
            Ok(WeightingTargets {
                margins,
                set_by,
                set_at,
            })
        })
        .transpose()
    }

    /// Replaces the survey's targets by `margins` (validated by the caller against the
    /// survey: `weighting::validate_margins`), or removes them when `margins` is empty.
    pub async fn set_weighting_targets(
        &self,
        (survey_id, brand_id): (i64, i64),
        margins: &[Margin],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let detail = margins
            .iter()
            .map(|m| {
                let shares: Vec<String> = m
                    .targets
                    .iter()
                    .map(|(o, share)| format!("{o} {:.2}%", share * 100.0))
                    .collect();
                format!("{}: {}", m.question, shares.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM weighting_targets WHERE survey_id = $1")
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            if !margins.is_empty() {
                sqlx::query(
                    "INSERT INTO weighting_targets (survey_id, margins, set_by, set_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(survey_id)
                .bind(to_json(&margins))
                .bind(&actor.email)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            }
            let action = if margins.is_empty() {
                "weighting_cleared"
            } else {
                "weighting_set"
            };
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
        Ok(())
    }
}
