//! The weighted report (`measurement.md`, "Weighting"): the report's tallies with every
//! respondent counted at the weight raking gives their cell.
//!
//! A respondent's weight depends only on their answers to the weighting questions, so the
//! report is computed from tallies kept per *profile* (one combination of answers to every
//! segment question; `ProfileTally`), never from single respondents: the profiles are
//! projected onto the weighting questions to give raking its cells, and each profile's
//! tally is then weighed by its cell's weight (`Tally::weighed`) and merged. Every figure
//! built from the merged tallies is the weighted one, with n_eff for its own base.
//!
//! When raking cannot weight (it does not converge, or a target cannot be met) the same
//! tallies are merged at weight 1: the report is the unweighted one, and says why.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ReportTallies;
use crate::domain::stats::shown;
use crate::domain::tally::Tally;
use crate::domain::weighting::{rake, weight_range, Cell, Margin, RakingOutcome};

/// The tally of the respondents of one survey version who gave the same answers to the
/// segment questions, over one stretch of days (a day, week or month: `day` is its first
/// day, and it lies inside one trend period).
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileTally {
    pub version_id: i64,
    pub day: i64,
    /// (question, option) for each segment question answered.
    pub profile: Vec<(String, String)>,
    pub tally: Tally,
}

impl ProfileTally {
    fn answer(&self, question: &str) -> Option<&str> {
        self.profile
            .iter()
            .find(|(q, _)| q == question)
            .map(|(_, o)| o.as_str())
    }
}

/// How a report was weighted, shown at its top.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weighting {
    pub margins: Vec<MarginSummary>,
    pub outcome: WeightingOutcome,
    /// Each cell's answers to the weighting questions (in `margins` order) and its weight,
    /// when weighted: the response CSV gives each respondent theirs. Not exported in the
    /// report: with the targets, a cell's weight would tell how many people it holds.
    #[serde(skip)]
    pub cells: Vec<(Vec<Option<String>>, f64)>,
}

/// One weighting question: its target shares and how many respondents did not answer it
/// (they keep their weight for it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarginSummary {
    pub question: String,
    pub targets: Vec<TargetShare>,
    pub unanswered: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetShare {
    pub option: String,
    pub share: f64,
}

/// Whether the figures are weighted, and if not, why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WeightingOutcome {
    /// Every figure is weighted. n_eff is Kish's effective size of all respondents; the
    /// weights' range shows when a few respondents stand for many.
    Weighted {
        rounds: u32,
        n_eff: f64,
        largest_weight: f64,
        smallest_weight: f64,
    },
    /// Raking did not meet the targets within `weighting::MAX_ROUNDS`: unweighted figures.
    NotConverged { rounds: u32 },
    /// An option has a target above 0 but no respondent among those reported chose it.
    EmptyTarget { question: String, option: String },
    /// Respondents chose an option that has no target (added in a later version).
    UntargetedAnswer { question: String, option: String },
    /// Fewer than 30 respondents: nothing about them is shown, their weights neither.
    TooFew,
}

impl Weighting {
    pub fn is_weighted(&self) -> bool {
        matches!(self.outcome, WeightingOutcome::Weighted { .. })
    }

    /// The weight of a respondent with these segment answers; None when the report is not
    /// weighted (or no respondent of the report had these answers).
    pub fn weight_of(&self, segments: &BTreeMap<String, String>) -> Option<f64> {
        let answers: Vec<Option<String>> = self
            .margins
            .iter()
            .map(|m| segments.get(&m.question).cloned())
            .collect();
        self.cells
            .iter()
            .find(|(cell, _)| *cell == answers)
            .map(|(_, w)| *w)
    }
}

/// The report's tallies from profile tallies, each counted as it is (unweighted): what a
/// segment comparison or a group cut reads, as every profile row holds all its segment
/// answers.
pub fn profile_tallies(
    rows: &[ProfileTally],
    segment: Option<&str>,
    same_item_set: impl Fn(i64) -> bool,
) -> ReportTallies {
    merge_profiles(rows, |_| 1.0, segment, same_item_set)
}

/// Merges the profile tallies into the report's tallies, row `i` weighed by `weight(i)`.
/// α sums stay unweighted (reliability is of the instrument, over the respondents).
fn merge_profiles(
    rows: &[ProfileTally],
    weight: impl Fn(usize) -> f64,
    segment: Option<&str>,
    same_item_set: impl Fn(i64) -> bool,
) -> ReportTallies {
    let mut tallies = ReportTallies::default();
    let mut by_version: BTreeMap<i64, Tally> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let w = weight(i);
        let weighed = if w == 1.0 {
            std::borrow::Cow::Borrowed(&row.tally)
        } else {
            std::borrow::Cow::Owned(row.tally.weighed(w))
        };
        tallies.all.merge(&weighed);
        tallies.by_day.entry(row.day).or_default().merge(&weighed);
        if let Some(option) = segment.and_then(|k| row.answer(k)) {
            tallies
                .by_segment
                .entry(option.to_string())
                .or_default()
                .merge(&weighed);
        }
        by_version
            .entry(row.version_id)
            .or_default()
            .merge(&row.tally);
    }
    for (version, tally) in &by_version {
        tallies.reliability.add(tally, same_item_set(*version));
    }
    tallies
}

/// The report's tallies from profile tallies, weighted by raking over `margins` (unweighted
/// when raking fails; `weighting` says which). `segment` is the compared segment question;
/// `same_item_set` says which versions' α sums belong to the report's item set.
pub fn weighted_tallies(
    rows: &[ProfileTally],
    margins: &[Margin],
    segment: Option<&str>,
    same_item_set: impl Fn(i64) -> bool,
) -> ReportTallies {
    let respondents: u64 = rows.iter().map(|r| r.tally.responses.n).sum();
    if !shown(respondents) {
        // Every figure of so small a base is suppressed; its weights, n_eff and who did not
        // answer would tell about it all the same, so it is not weighted.
        let mut tallies = profile_tallies(rows, segment, same_item_set);
        tallies.weighting = Some(Weighting {
            margins: Vec::new(),
            outcome: WeightingOutcome::TooFew,
            cells: Vec::new(),
        });
        return tallies;
    }
    let (cells, cell_of_row) = raking_cells(rows, margins);
    let raking = rake(margins, &cells);
    let weights: Vec<f64> = raking
        .weights()
        .map_or_else(|| vec![1.0; cells.len()], <[f64]>::to_vec);
    let mut tallies = merge_profiles(rows, |i| weights[cell_of_row[i]], segment, same_item_set);
    let outcome = match raking.outcome {
        RakingOutcome::Converged { rounds, .. } => {
            let range = weight_range(&cells, &weights);
            WeightingOutcome::Weighted {
                rounds,
                n_eff: tallies.all.responses.n_eff(),
                largest_weight: range.map_or(1.0, |r| r.largest),
                smallest_weight: range.map_or(1.0, |r| r.smallest),
            }
        }
        RakingOutcome::NotConverged { rounds } => WeightingOutcome::NotConverged { rounds },
        RakingOutcome::EmptyTarget { question, option } => {
            WeightingOutcome::EmptyTarget { question, option }
        }
        RakingOutcome::UntargetedAnswer { question, option } => {
            WeightingOutcome::UntargetedAnswer { question, option }
        }
    };
    tallies.weighting = Some(Weighting {
        margins: margins
            .iter()
            .zip(&raking.unanswered)
            .map(|(m, &unanswered)| MarginSummary {
                question: m.question.clone(),
                targets: m
                    .targets
                    .iter()
                    .map(|(option, share)| TargetShare {
                        option: option.clone(),
                        share: *share,
                    })
                    .collect(),
                unanswered,
            })
            .collect(),
        cells: match outcome {
            WeightingOutcome::Weighted { .. } => cells
                .into_iter()
                .zip(weights)
                .map(|(cell, w)| (cell.answers, w))
                .collect(),
            _ => Vec::new(),
        },
        outcome,
    });
    tallies
}

/// Raking's cells (the rows' answers to the weighting questions, with their respondents)
/// and, per row, the index of its cell.
fn raking_cells(rows: &[ProfileTally], margins: &[Margin]) -> (Vec<Cell>, Vec<usize>) {
    let mut index: BTreeMap<Vec<Option<String>>, usize> = BTreeMap::new();
    let mut cells: Vec<Cell> = Vec::new();
    let cell_of_row = rows
        .iter()
        .map(|row| {
            let answers: Vec<Option<String>> = margins
                .iter()
                .map(|m| row.answer(&m.question).map(str::to_string))
                .collect();
            let i = *index.entry(answers.clone()).or_insert_with(|| {
                cells.push(Cell { answers, count: 0 });
                cells.len() - 1
            });
            cells[i].count += row.tally.responses.n;
            i
        })
        .collect();
    (cells, cell_of_row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{options, row};
    use crate::domain::report::{build_from, Funnel, ReportOptions};
    use crate::domain::survey::tests::demo;

    fn vector() -> serde_json::Value {
        let all: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap();
        all["v2"]["raking"].clone()
    }

    fn margins(case: &serde_json::Value) -> Vec<Margin> {
        let order: [(&str, &[&str]); 2] = [
            ("tenure", &["under_1y", "from_1_to_3y", "over_3y"]),
            ("region", &["north", "south"]),
        ];
        order
            .iter()
            .map(|(q, options)| Margin {
                question: q.to_string(),
                targets: options
                    .iter()
                    .map(|o| (o.to_string(), case["targets"][q][o].as_f64().unwrap()))
                    .collect(),
            })
            .collect()
    }

    /// The vector's respondents as profile tallies: one per (tenure, region) and day, the
    /// values-bonded ones with V = 6, C = 2 and the others V = C = 2; spread over two days
    /// so that trends have two points.
    fn profile_rows(case: &serde_json::Value) -> Vec<ProfileTally> {
        let mut by_profile: BTreeMap<(i64, String, String), Tally> = BTreeMap::new();
        for (i, r) in case["respondents"].as_array().unwrap().iter().enumerate() {
            let (tenure, region) = (r["tenure"].as_str().unwrap(), r["region"].as_str().unwrap());
            let bonded = r["values_bonded"].as_u64().unwrap() == 1;
            let mut s = row(Some(if bonded { 6.0 } else { 2.0 }), Some(2.0));
            s.segments.insert("tenure".into(), tenure.into());
            s.segments.insert("region".into(), region.into());
            by_profile
                .entry(((i % 2) as i64, tenure.into(), region.into()))
                .or_default()
                .add(&s);
        }
        by_profile
            .into_iter()
            .map(|((day, tenure, region), tally)| ProfileTally {
                version_id: 1,
                day,
                profile: vec![("region".into(), region), ("tenure".into(), tenure)],
                tally,
            })
            .collect()
    }

    fn close(a: f64, b: &serde_json::Value, tol: f64) {
        let b = b.as_f64().unwrap();
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    #[test]
    fn the_weighted_headline_is_the_reference_weighted_share() {
        let case = vector();
        let rows = profile_rows(&case);
        let tallies = weighted_tallies(&rows, &margins(&case), Some("tenure"), |_| true);
        let weighting = tallies.weighting.clone().unwrap();
        let WeightingOutcome::Weighted {
            rounds,
            n_eff,
            largest_weight,
            smallest_weight,
        } = weighting.outcome
        else {
            panic!("not weighted: {:?}", weighting.outcome);
        };
        assert_eq!(u64::from(rounds), case["rounds"].as_u64().unwrap());
        close(n_eff, &case["n_eff"], 1e-6);
        close(largest_weight, &case["max_weight"], 1e-6);
        close(smallest_weight, &case["min_weight"], 1e-6);
        assert_eq!(
            weighting
                .margins
                .iter()
                .map(|m| m.unanswered)
                .collect::<Vec<_>>(),
            [0, 0]
        );

        let with_segment = ReportOptions {
            segment: Some("tenure".into()),
            ..options()
        };
        let report = build_from(&demo(), &tallies, Funnel::default(), &with_segment);
        let share = report.headline.values_bonded;
        assert_eq!((share.n, report.responses), (240, 240));
        close(share.p.unwrap(), &case["values_bonded_weighted"], 1e-6);
        close(share.n_eff.unwrap(), &case["n_eff"], 1e-6);
        close(share.ci.unwrap().lo, &case["wilson_n_eff"][0], 1e-6);
        close(share.ci.unwrap().hi, &case["wilson_n_eff"][1], 1e-6);
        // The classes are weighted on the same base; the trend points add up to it.
        let classes: f64 = report
            .headline
            .classes
            .iter()
            .map(|c| c.share.p.unwrap())
            .sum();
        assert!((classes - 1.0).abs() < 1e-12);
        let trend_total: u64 = report.trends.iter().map(|t| t.responses).sum();
        assert_eq!(trend_total, 240);
        // Weighting by tenure brings its groups' weighted shares of everyone to the targets.
        let groups = &tallies.by_segment;
        for (option, target) in [("under_1y", 0.3), ("from_1_to_3y", 0.4), ("over_3y", 0.3)] {
            let share = groups[option]
                .responses
                .share_of(tallies.all.responses)
                .unwrap();
            assert!((share - target).abs() < 1e-6, "{option}: {share}");
        }
        let segments = report.segments.unwrap();
        let mut weighted_groups = segments.groups.iter().filter(|g| g.respondents > 0);
        assert!(weighted_groups.all(|g| g.headline.values_bonded.n_eff.is_some()));
    }

    #[test]
    fn a_base_under_30_is_not_weighted_and_tells_nothing_about_its_cells() {
        let case = vector();
        let rows: Vec<ProfileTally> = profile_rows(&case)
            .into_iter()
            .filter(|r| r.tally.responses.n < 30)
            .take(1)
            .collect();
        let n: u64 = rows.iter().map(|r| r.tally.responses.n).sum();
        assert!(n > 0 && n < 30, "{n}");
        let tallies = weighted_tallies(&rows, &margins(&case), None, |_| true);
        let weighting = tallies.weighting.clone().unwrap();
        assert_eq!(weighting.outcome, WeightingOutcome::TooFew);
        assert!(weighting.margins.is_empty() && weighting.cells.is_empty());
        assert_eq!(tallies.all, profile_tallies(&rows, None, |_| true).all);
        let json = serde_json::to_value(&weighting).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"margins": [], "outcome": {"status": "too_few"}})
        );
    }

    #[test]
    fn targets_that_cannot_be_met_give_the_unweighted_report_and_say_why() {
        let case = vector();
        let rows = profile_rows(&case);
        let mut impossible = margins(&case);
        // Nobody answered "south" in this cut of the rows: a target above 0 cannot be met.
        let north: Vec<ProfileTally> = rows
            .iter()
            .filter(|r| r.answer("region") == Some("north"))
            .cloned()
            .collect();
        let tallies = weighted_tallies(&north, &impossible, None, |_| true);
        assert_eq!(
            tallies.weighting.as_ref().unwrap().outcome,
            WeightingOutcome::EmptyTarget {
                question: "region".into(),
                option: "south".into()
            }
        );
        let report = build_from(&demo(), &tallies, Funnel::default(), &options());
        assert_eq!(report.headline.values_bonded.n_eff, None);
        let plain = north.iter().fold(Tally::default(), |mut t, r| {
            t.merge(&r.tally);
            t
        });
        assert_eq!(tallies.all, plain);

        // Targets that contradict each other never converge.
        impossible[1].targets = vec![("north".into(), 1.0), ("south".into(), 0.0)];
        impossible[0].targets = vec![
            ("under_1y".into(), 0.0),
            ("from_1_to_3y".into(), 0.0),
            ("over_3y".into(), 1.0),
        ];
        let contradict: Vec<ProfileTally> = rows
            .iter()
            .filter(|r| {
                !(r.answer("region") == Some("north") && r.answer("tenure") == Some("over_3y"))
            })
            .cloned()
            .collect();
        let tallies = weighted_tallies(&contradict, &impossible, None, |_| true);
        assert!(!tallies.weighting.as_ref().unwrap().is_weighted());
        let report = build_from(&demo(), &tallies, Funnel::default(), &options());
        assert_eq!(report.headline.values_bonded.n_eff, None);
    }
}
