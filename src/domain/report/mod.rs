//! The alignment report (`measurement.md`, "Report figures"), computed from tallies of the
//! stored per-respondent scores of complete responses. Pure: the database hands in rows or
//! rollups, this module returns every figure with its base and interval; pages and exports
//! render it. Here: the report, its options and `build_from`; each section in its own file.

mod calendar;
mod ceb;
mod compare;
mod contact;
mod headline;
mod outcomes;
mod reliability;
mod segments;
mod tallies;
mod trends;
mod values;
mod waves;
mod weighted;

use serde::Serialize;

use super::scoring::{BondClass, RespondentScores};
use super::SurveyDefinition;

pub use calendar::{civil_from_days, day_of, days_from_civil, DAY_MS};
pub use ceb::{
    Ceb, ReasonShare, CEB_FREQUENT_CONTACT, CEB_RELATIONSHIP, CEB_SHARED_VALUES, REASONS,
};
pub use compare::GroupDifference;
pub use contact::{ClassFit, ClassMean, ContactSection, FitShare, LevelBond};
pub use headline::{
    ClassShare, Headline, OrderEffect, OrderHeadline, Sensitivity, SENSITIVITY_THRESHOLDS,
};
pub use outcomes::{OutcomeMissing, Outcomes};
pub use reliability::{
    bond_item_set, Reliability, ReliabilitySums, ScaleReliability, ALPHA_WARNING,
};
pub use segments::{Measure, SegmentComparison, SegmentGroup, SegmentSection};
pub use tallies::{DirectCount, FlaggedCounts, ReportTallies};
pub use trends::{period_start, TrendPoint};
pub use values::{AlignmentSection, ValueFigures, ValueMissing, ValuesSection};
pub use waves::{compare_waves, WaveChange, WaveComparison, WaveFigure, WaveMeasure, WaveRow};
pub use weighted::{
    profile_tallies, weighted_tallies, MarginSummary, ProfileTally, TargetShare, Weighting,
    WeightingOutcome,
};

/// The four bond classes, in report order.
pub const CLASSES: [BondClass; 4] = [
    BondClass::ValuesOnly,
    BondClass::Both,
    BondClass::ContactOnly,
    BondClass::Neither,
];

/// One complete response as the report sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredResponse {
    pub respondent_id: i64,
    pub version_id: i64,
    pub locale: String,
    /// Completion time, Unix milliseconds.
    pub completed_at: i64,
    pub scores: RespondentScores,
}

/// Respondents who started but did not finish, by the page they stopped on (0-based).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Funnel {
    pub started: u64,
    pub completed: u64,
    pub stopped_on_page: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
}

/// What the report is computed over, besides the rows themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    /// Bond threshold t (the survey's setting).
    pub threshold: f64,
    /// The segment question to compare groups of (section 7), if any.
    pub segment: Option<String>,
    pub period: Period,
    /// Count flagged responses (`quality`) in the figures too; by default they are left out.
    pub include_flagged: bool,
}

/// Which flagged responses the report left out, or counted on request.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QualitySummary {
    /// Whether the figures count the flagged responses.
    pub included: bool,
    pub flagged: FlaggedCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub threshold: f64,
    pub responses: u64,
    pub quality: QualitySummary,
    /// Set when the report was asked to weight: the targets, and whether the figures below
    /// are weighted (with n_eff and the weights' range) or why not.
    pub weighting: Option<Weighting>,
    pub funnel: Funnel,
    pub headline: Headline,
    pub sensitivity: Vec<Sensitivity>,
    /// The headline by block order; None when no respondent was shown a drawn order.
    pub order_effect: Option<OrderEffect>,
    pub ceb: Ceb,
    pub values: ValuesSection,
    pub alignment: AlignmentSection,
    pub contact: ContactSection,
    pub outcomes: Vec<Outcomes>,
    pub segments: Option<SegmentSection>,
    pub trends: Vec<TrendPoint>,
    pub reliability: Reliability,
}

/// Computes the whole report from tallies at the report's threshold `options.threshold`
/// (the newest of the selected versions gives the brand profile, segment questions and t).
pub fn build_from(
    def: &SurveyDefinition,
    tallies: &ReportTallies,
    funnel: Funnel,
    options: &ReportOptions,
) -> Report {
    let all = &tallies.all;
    let t = options.threshold;
    let at = all.at(t);
    Report {
        threshold: t,
        responses: all.responses.n,
        quality: QualitySummary {
            included: options.include_flagged,
            flagged: tallies.flagged,
        },
        weighting: tallies.weighting.clone(),
        funnel,
        headline: headline::headline(&at.headline, all.responses),
        sensitivity: headline::sensitivity(all, t),
        order_effect: headline::order_effect(all, t),
        ceb: ceb::ceb(all),
        values: values::values_section(&def.brand, all),
        alignment: values::alignment_section(all),
        contact: contact::contact_section(all, &at),
        outcomes: outcomes::outcomes_by_class(&at, all.responses),
        segments: options
            .segment
            .as_deref()
            .and_then(|key| segments::segment_section(def, key, &tallies.by_segment, all, t)),
        trends: trends::trends(&tallies.by_day, options.period, t),
        reliability: reliability::reliability(&tallies.reliability),
    }
}

/// Computes the whole report from score rows.
pub fn build(
    def: &SurveyDefinition,
    rows: &[ScoredResponse],
    funnel: Funnel,
    options: &ReportOptions,
) -> Report {
    let tallies = ReportTallies::of_rows(
        rows,
        options.segment.as_deref(),
        &def.zone(),
        options.include_flagged,
        |_| true,
    );
    build_from(def, &tallies, funnel, options)
}

#[cfg(test)]
mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::{at, options, row};
    use super::*;
    use crate::domain::survey::tests::demo;

    #[test]
    fn every_figure_says_how_many_had_no_answer_for_it() {
        let def = demo();
        let value = def.brand.values[0].key.clone();
        // 40 values-only respondents (V 6, C 3); the first 10 skip NPS and the value's
        // perception, the next 5 have no contact level; 3 more have no C (insufficient).
        let mut rows: Vec<ScoredResponse> = (0..40)
            .map(|i| {
                let mut s = row(Some(6.0), Some(3.0));
                if i >= 10 {
                    s.nps = Some(9);
                    s.nps_class = Some(crate::domain::scoring::NpsClass::Promoter);
                    s.perception.insert(value.clone(), 6);
                }
                s.importance.insert(value.clone(), 7);
                if !(10..15).contains(&i) {
                    s.contact_actual = Some(3);
                }
                at(0, s)
            })
            .collect();
        rows.extend((0..3).map(|_| at(0, row(Some(6.0), None))));
        let r = build(&def, &rows, Funnel::default(), &options());
        let v = r.values.values.iter().find(|v| v.key == value).unwrap();
        assert_eq!(
            (v.missing.importance, v.missing.perception, v.missing.shared),
            (3, 13, 13)
        );
        let all = &r.outcomes[0];
        assert_eq!((all.respondents, all.missing.nps), (43, 13));
        let values_only = r
            .outcomes
            .iter()
            .find(|o| o.class == Some(BondClass::ValuesOnly))
            .unwrap();
        assert_eq!((values_only.respondents, values_only.missing.nps), (40, 10));
        assert_eq!(values_only.missing.advocacy, 40);
        assert_eq!(r.contact.level_missing, 5);
        let annual = r
            .contact
            .annual_contacts
            .iter()
            .find(|m| m.class == BondClass::ValuesOnly)
            .unwrap();
        assert_eq!(annual.missing, 5);
        assert_eq!((r.trends[0].responses, r.trends[0].missing), (43, 3));
    }

    #[test]
    fn an_empty_survey_gives_an_empty_report_not_a_panic() {
        let report = build(
            &demo(),
            &[],
            Funnel::default(),
            &ReportOptions {
                segment: Some("x".into()),
                ..options()
            },
        );
        assert_eq!(report.headline.scored, 0);
        assert_eq!(report.headline.values_bonded.p, None);
        assert!(report.headline.paired.is_none());
        assert!(report.trends.is_empty());
        assert_eq!(report.alignment.mean.mean, None);
        assert!(report.outcomes.iter().all(|o| o.nps.score.is_none()));
    }
}
