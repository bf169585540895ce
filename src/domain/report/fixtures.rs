//! Score rows for the report's unit tests: a respondent with only V and C set, completed on
//! a given day, and the options most tests compute at.

use std::collections::BTreeMap;

use super::{Period, ReportOptions, ScoredResponse};
use crate::domain::scoring::{BondClass, RespondentScores};

pub(super) fn row(v: Option<f64>, c: Option<f64>) -> RespondentScores {
    RespondentScores {
        values_bond: v,
        contact_bond: c,
        bond_class: BondClass::classify(v, c, 5.0),
        alignment: None,
        shared_values: vec![],
        contact_actual: None,
        contact_preferred: None,
        contact_fit: None,
        nps: None,
        nps_class: None,
        relationship: None,
        relationship_reason: None,
        advocacy: None,
        voice: None,
        story_recall: None,
        segments: BTreeMap::new(),
        importance: BTreeMap::new(),
        perception: BTreeMap::new(),
        congruence_items: vec![],
        contact_items: vec![],
        block_order: None,
        quality: Default::default(),
    }
}

pub(super) fn at(day: i64, scores: RespondentScores) -> ScoredResponse {
    ScoredResponse {
        respondent_id: 0,
        version_id: 1,
        locale: "vi".into(),
        completed_at: day * 86_400_000 + 3_600_000,
        scores,
    }
}

pub(super) fn options() -> ReportOptions {
    ReportOptions {
        threshold: 5.0,
        segment: None,
        period: Period::Month,
        include_flagged: false,
    }
}
