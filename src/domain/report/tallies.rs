//! The tallies a report is computed from, and the direct path that counts them from score
//! rows (when no rollup fits the filters).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ReliabilitySums, ScoredResponse, Weighting};
use crate::domain::quality::{Flag, QualityFlags};
use crate::domain::tally::Tally;
use crate::domain::zone::SurveyZone;

/// The tallies a report is computed from: all selected respondents, per completion day,
/// and per option of the compared segment question (if any), plus the reliability sums of
/// the respondents whose version has the report's item set.
#[derive(Clone, Debug, Default)]
pub struct ReportTallies {
    pub all: Tally,
    pub by_day: BTreeMap<i64, Tally>,
    pub by_segment: BTreeMap<String, Tally>,
    pub reliability: ReliabilitySums,
    /// Flagged responses of the report's base (everyone, or the group it is cut to),
    /// whether or not they are counted in the tallies above.
    pub flagged: FlaggedCounts,
    /// How the tallies were weighted, when the report asked for weights
    /// (`weighted::weighted_tallies`); None: unweighted, as counted.
    pub weighting: Option<Weighting>,
}

/// How many responses were flagged, and why (a response may have several flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FlaggedCounts {
    pub responses: u64,
    pub speeder: u64,
    pub straight_liner: u64,
    pub bot: u64,
}

impl FlaggedCounts {
    /// Counts `n` responses flagged `flags` (nothing when they are clean).
    pub fn add(&mut self, flags: QualityFlags, n: u64) {
        if flags.is_clean() {
            return;
        }
        self.responses += n;
        for flag in flags.flags() {
            *match flag {
                Flag::Speeder => &mut self.speeder,
                Flag::StraightLiner => &mut self.straight_liner,
                Flag::Bot => &mut self.bot,
            } += n;
        }
    }
}

impl ReportTallies {
    /// Tallies of score rows (the direct path, used when no rollup fits the filters).
    /// `same_item_set` says which versions have the report's bond items.
    pub fn of_rows(
        rows: &[ScoredResponse],
        segment: Option<&str>,
        zone: &SurveyZone,
        include_flagged: bool,
        same_item_set: impl Fn(i64) -> bool,
    ) -> ReportTallies {
        let mut count = DirectCount::new(segment, zone, include_flagged);
        for r in rows {
            count.add(r);
        }
        count.finish(same_item_set)
    }
}

/// The direct path fed row by row (a page at a time, so memory does not grow with the
/// survey): the same tallies as `ReportTallies::of_rows` of all the rows.
pub struct DirectCount<'a> {
    segment: Option<&'a str>,
    zone: &'a SurveyZone,
    include_flagged: bool,
    tallies: ReportTallies,
    by_version: BTreeMap<i64, Tally>,
}

impl<'a> DirectCount<'a> {
    pub fn new(
        segment: Option<&'a str>,
        zone: &'a SurveyZone,
        include_flagged: bool,
    ) -> DirectCount<'a> {
        DirectCount {
            segment,
            zone,
            include_flagged,
            tallies: ReportTallies::default(),
            by_version: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, r: &ScoredResponse) {
        let tallies = &mut self.tallies;
        tallies.flagged.add(r.scores.quality, 1);
        if !(self.include_flagged || r.scores.quality.is_clean()) {
            return;
        }
        tallies.all.add(&r.scores);
        let day = self.zone.day_of(r.completed_at);
        tallies.by_day.entry(day).or_default().add(&r.scores);
        self.by_version
            .entry(r.version_id)
            .or_default()
            .add(&r.scores);
        if let Some(option) = self.segment.and_then(|k| r.scores.segments.get(k)) {
            tallies
                .by_segment
                .entry(option.clone())
                .or_default()
                .add(&r.scores);
        }
    }

    pub fn finish(mut self, same_item_set: impl Fn(i64) -> bool) -> ReportTallies {
        for (version, tally) in &self.by_version {
            self.tallies.reliability.add(tally, same_item_set(*version));
        }
        self.tallies
    }
}
