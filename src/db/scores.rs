//! The `respondent_scores` row of a completed response, both ways: its insert, which a
//! completion adds to its batch ([`push_scores`]), and its read back into a
//! [`ScoredResponse`] ([`SCORE_COLUMNS`], [`ScoreRecord`]). Both spell out the same
//! columns, hence one file.

use serde::de::DeserializeOwned;

use super::batch::{Arg, Batch};
use super::{to_json, StoreError};
use crate::domain::report::ScoredResponse;
use crate::domain::scoring::RespondentScores;

/// The columns of a `respondent_scores` row as a completion inserts it, in the order of
/// [`score_args`].
pub(super) const SCORE_INSERT_COLUMNS: &str = "respondent_id, survey_id, version_id, completed_at, locale,
    values_bond, contact_bond, bond_class, alignment, shared_values, contact_actual, contact_preferred,
    contact_fit, nps, nps_class, relationship, relationship_reason, advocacy, voice, story_recall, segments,
    importance, perception, congruence_items, contact_items, block_order, quality, duration_bucket";

/// The values of [`SCORE_INSERT_COLUMNS`] but the first (the respondent's id).
/// `duration_bucket`: the bucket the completion counted in `response_durations` (`None`
/// for an imported response, which is not counted), for a deletion to take it out.
pub(super) fn score_args(
    (survey_id, version_id): (i64, i64),
    (completed_at, duration_bucket): (i64, Option<i64>),
    locale: &str,
    s: &RespondentScores,
) -> Vec<Arg> {
    vec![
        survey_id.into(),
        version_id.into(),
        completed_at.into(),
        locale.into(),
        s.values_bond.into(),
        s.contact_bond.into(),
        s.bond_class.as_str().into(),
        s.alignment.into(),
        to_json(&s.shared_values).into(),
        s.contact_actual.map(i64::from).into(),
        s.contact_preferred.map(i64::from).into(),
        s.contact_fit.map(|f| f.as_str()).into(),
        s.nps.map(i64::from).into(),
        s.nps_class.map(|c| c.as_str()).into(),
        s.relationship.clone().into(),
        s.relationship_reason.clone().into(),
        s.advocacy.clone().into(),
        s.voice.into(),
        s.story_recall.clone().into(),
        to_json(&s.segments).into(),
        to_json(&s.importance).into(),
        to_json(&s.perception).into(),
        to_json(&s.congruence_items).into(),
        to_json(&s.contact_items).into(),
        s.block_order.map(|o| o.as_str()).into(),
        s.quality.bits().into(),
        duration_bucket.into(),
    ]
}

/// Adds the insert of one row of `respondent_scores` to `batch`.
pub(super) fn push_scores(
    batch: &mut Batch,
    (respondent_id, survey_id, version_id): (i64, i64, i64),
    completed: (i64, Option<i64>),
    locale: &str,
    s: &RespondentScores,
) {
    let mut args = vec![respondent_id.into()];
    args.extend(score_args((survey_id, version_id), completed, locale, s));
    let placeholders: Vec<String> = (1..=args.len()).map(|i| format!("${i}")).collect();
    batch.push(
        format!(
            "INSERT INTO respondent_scores ({SCORE_INSERT_COLUMNS}) VALUES ({})",
            placeholders.join(", ")
        ),
        args,
    );
}

/// The columns `ScoreRecord` reads.
pub(super) const SCORE_COLUMNS: &str = "respondent_id, survey_id, version_id, locale, completed_at, values_bond, contact_bond,
    bond_class, alignment, shared_values, contact_actual, contact_preferred, contact_fit, nps, nps_class, relationship,
    relationship_reason, advocacy, voice, story_recall, segments, importance, perception, congruence_items, contact_items,
    block_order, quality";

#[derive(sqlx::FromRow)]
pub(super) struct ScoreRecord {
    respondent_id: i64,
    survey_id: i64,
    version_id: i64,
    locale: String,
    completed_at: i64,
    values_bond: Option<f64>,
    contact_bond: Option<f64>,
    bond_class: String,
    alignment: Option<f64>,
    shared_values: String,
    contact_actual: Option<i64>,
    contact_preferred: Option<i64>,
    contact_fit: Option<String>,
    nps: Option<i64>,
    nps_class: Option<String>,
    relationship: Option<String>,
    relationship_reason: Option<String>,
    advocacy: Option<String>,
    voice: Option<f64>,
    story_recall: Option<String>,
    segments: String,
    importance: String,
    perception: String,
    congruence_items: String,
    contact_items: String,
    block_order: Option<String>,
    quality: i64,
}

fn json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("score column: {e}")))
}

/// Stored enum names ("values_only", "over", …) back into their types.
fn named<T: DeserializeOwned>(name: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|e| StoreError::Corrupt(format!("score column: {e}")))
}

fn small(n: Option<i64>) -> Option<u8> {
    n.and_then(|v| u8::try_from(v).ok())
}

impl ScoreRecord {
    /// The survey id and the response.
    pub(super) fn into_response(self) -> Result<(i64, ScoredResponse), StoreError> {
        let scores = RespondentScores {
            values_bond: self.values_bond,
            contact_bond: self.contact_bond,
            bond_class: named(&self.bond_class)?,
            alignment: self.alignment,
            shared_values: json(&self.shared_values)?,
            contact_actual: small(self.contact_actual),
            contact_preferred: small(self.contact_preferred),
            contact_fit: self.contact_fit.as_deref().map(named).transpose()?,
            nps: small(self.nps),
            nps_class: self.nps_class.as_deref().map(named).transpose()?,
            relationship: self.relationship,
            relationship_reason: self.relationship_reason,
            advocacy: self.advocacy,
            voice: self.voice,
            story_recall: self.story_recall,
            segments: json(&self.segments)?,
            importance: json(&self.importance)?,
            perception: json(&self.perception)?,
            congruence_items: json(&self.congruence_items)?,
            contact_items: json(&self.contact_items)?,
            block_order: self
                .block_order
                .as_deref()
                .map(|o| {
                    crate::domain::flow::BlockOrder::parse(o)
                        .ok_or_else(|| StoreError::Corrupt(format!("block order {o:?}")))
                })
                .transpose()?,
            quality: crate::domain::quality::QualityFlags::from_bits(self.quality),
        };
        Ok((
            self.survey_id,
            ScoredResponse {
                respondent_id: self.respondent_id,
                version_id: self.version_id,
                locale: self.locale,
                completed_at: self.completed_at,
                scores,
            },
        ))
    }
}
