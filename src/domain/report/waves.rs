//! Waves, "did it change?" (`measurement.md`, "Waves"): two reports of one survey over
//! disjoint sets of respondents (two periods, or two versions) and, for the headline
//! shares, the bond classes, each stated value's perceived and shared rates and NPS, the
//! difference second − first with its interval and p, Holm-adjusted over the family of
//! differences shown. Respondents are independent between waves (one response per person
//! per survey), so each difference is one of two independent samples.

use serde::Serialize;

use super::compare::compare_groups;
use super::{Report, CLASSES};
use crate::domain::scoring::BondClass;
use crate::domain::stats::{holm, normal_two_sided_p, shown, Interval, Nps, Proportion, Z95};

/// A figure compared across the two waves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "measure", content = "value", rename_all = "snake_case")]
pub enum WaveMeasure {
    ValuesBonded,
    ContactBonded,
    Class(BondClass),
    /// A stated value's perception rate (perception ≥ 5), by the value's key.
    Perceived(String),
    /// A stated value's shared-value rate (importance ≥ 6 and perception ≥ 5).
    Shared(String),
    Nps,
}

/// One wave's figure; suppressed bases serialise as their n alone, as in the report.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum WaveFigure {
    Share(Proportion),
    Nps(Nps),
}

impl WaveFigure {
    pub fn n(&self) -> u64 {
        match self {
            WaveFigure::Share(p) => p.n,
            WaveFigure::Nps(v) => v.n,
        }
    }
}

/// Second − first, for a share as a fraction (0.045 = 4.5 points), for NPS in NPS points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WaveChange {
    pub diff: f64,
    /// Newcombe's hybrid score interval; NPS: diff ± 1.96·√(SE₁² + SE₂²).
    pub ci: Interval,
    /// Pooled z test (Fisher's exact test when an expected count is below 5); NPS: z on the
    /// difference's SE.
    pub p: f64,
    pub fisher: bool,
    /// Holm-adjusted over every change of the comparison.
    pub p_holm: f64,
    /// The interval excludes 0; otherwise "no detectable change".
    pub detectable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveRow {
    pub measure: WaveMeasure,
    pub first: WaveFigure,
    pub second: WaveFigure,
    /// None when a base is under 30 (suppression is total), or when there is nothing to
    /// test (`no_events`).
    pub change: Option<WaveChange>,
    /// No respondent of either wave has the event (or NPS does not vary): shown as such,
    /// not tested and not counted in the Holm family.
    pub no_events: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveComparison {
    /// The threshold both waves are classified at (the second wave's survey setting).
    pub threshold: f64,
    pub first_responses: u64,
    pub second_responses: u64,
    pub rows: Vec<WaveRow>,
    /// The number of changes tested: the Holm family.
    pub family: usize,
}

impl WaveComparison {
    /// Changes whose interval excludes 0.
    pub fn detectable(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.change.is_some_and(|c| c.detectable))
            .count()
    }
}

/// Compares two reports computed at the same threshold. Values are labelled by the second
/// (newer) wave's brand profile; a value the first wave's profile lacks is not compared.
pub fn compare_waves(first: &Report, second: &Report) -> WaveComparison {
    debug_assert_eq!(first.threshold, second.threshold);
    let mut rows = vec![
        share_row(
            WaveMeasure::ValuesBonded,
            first.headline.values_bonded,
            second.headline.values_bonded,
        ),
        share_row(
            WaveMeasure::ContactBonded,
            first.headline.contact_bonded,
            second.headline.contact_bonded,
        ),
    ];
    rows.extend(CLASSES.iter().map(|&class| {
        let share = |r: &Report| {
            r.headline
                .classes
                .iter()
                .find(|c| c.class == class)
                .map_or(Proportion::new(0u64, 0u64), |c| c.share)
        };
        share_row(WaveMeasure::Class(class), share(first), share(second))
    }));
    for value in second.values.values.iter().filter(|v| !v.placebo) {
        let Some(before) = first
            .values
            .values
            .iter()
            .find(|v| v.key == value.key && !v.placebo)
        else {
            continue;
        };
        rows.push(share_row(
            WaveMeasure::Perceived(value.key.clone()),
            before.perceived,
            value.perceived,
        ));
        rows.push(share_row(
            WaveMeasure::Shared(value.key.clone()),
            before.shared,
            value.shared,
        ));
    }
    rows.push(nps_row(overall_nps(first), overall_nps(second)));
    let family = adjust(&mut rows);
    WaveComparison {
        threshold: second.threshold,
        first_responses: first.responses,
        second_responses: second.responses,
        rows,
        family,
    }
}

/// Holm over the changes tested; returns the family's size.
fn adjust(rows: &mut [WaveRow]) -> usize {
    let p: Vec<f64> = rows.iter().filter_map(|r| r.change.map(|c| c.p)).collect();
    let mut adjusted = holm(&p).into_iter();
    for change in rows.iter_mut().filter_map(|r| r.change.as_mut()) {
        change.p_holm = adjusted.next().unwrap_or(1.0);
    }
    p.len()
}

fn share_row(measure: WaveMeasure, first: Proportion, second: Proportion) -> WaveRow {
    let both_shown = shown(first.n) && shown(second.n);
    let no_events = both_shown && first.x + second.x == 0;
    let change = (!no_events)
        .then(|| compare_groups(&second, &first))
        .flatten()
        .map(|d| WaveChange {
            diff: d.diff,
            ci: d.ci,
            p: d.p,
            fisher: d.fisher,
            p_holm: d.p,
            detectable: excludes_zero(d.ci),
        });
    WaveRow {
        measure,
        first: WaveFigure::Share(first),
        second: WaveFigure::Share(second),
        change,
        no_events,
    }
}

/// NPS of all respondents of a report (the first row of its outcomes).
fn overall_nps(r: &Report) -> Nps {
    r.outcomes
        .iter()
        .find(|o| o.class.is_none())
        .map_or(crate::domain::stats::nps(0u64, 0u64, 0u64), |o| o.nps)
}

fn nps_row(first: Nps, second: Nps) -> WaveRow {
    let both_shown = shown(first.n) && shown(second.n);
    let values = first.score.zip(first.se).zip(second.score.zip(second.se));
    let (mut change, mut no_events) = (None, false);
    if let (true, Some(((s1, se1), (s2, se2)))) = (both_shown, values) {
        let se = (se1 * se1 + se2 * se2).sqrt();
        let diff = s2 - s1;
        if se > 0.0 {
            let ci = Interval {
                lo: (diff - Z95 * se).max(-200.0),
                hi: (diff + Z95 * se).min(200.0),
            };
            let p = normal_two_sided_p(diff / se);
            change = Some(WaveChange {
                diff,
                ci,
                p,
                fisher: false,
                p_holm: p,
                detectable: excludes_zero(ci),
            });
        } else {
            // Everyone a promoter (or everyone a detractor…) in both waves: no variation.
            no_events = true;
        }
    }
    WaveRow {
        measure: WaveMeasure::Nps,
        first: WaveFigure::Nps(first),
        second: WaveFigure::Nps(second),
        change,
        no_events,
    }
}

fn excludes_zero(ci: Interval) -> bool {
    ci.lo > 0.0 || ci.hi < 0.0
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{at, options, row};
    use super::super::{build, Funnel};
    use super::*;
    use crate::domain::scoring::NpsClass;
    use crate::domain::survey::tests::demo;

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap()
    }

    fn close(a: f64, b: &serde_json::Value) {
        let b = b.as_f64().unwrap();
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }

    /// `x` of `n` respondents values-bonded (V 6), the rest not (V 3); nobody contact-bonded.
    fn wave(x: usize, n: usize) -> Report {
        let rows: Vec<_> = (0..n)
            .map(|i| at(0, row(Some(if i < x { 6.0 } else { 3.0 }), Some(3.0))))
            .collect();
        build(&demo(), &rows, Funnel::default(), &options())
    }

    /// Promoters, detractors and passives in that order, each with V and C of 3.
    fn nps_wave(promoters: usize, detractors: usize, n: usize) -> Report {
        let rows: Vec<_> = (0..n)
            .map(|i| {
                let mut s = row(Some(3.0), Some(3.0));
                let (score, class) = if i < promoters {
                    (10, NpsClass::Promoter)
                } else if i < promoters + detractors {
                    (3, NpsClass::Detractor)
                } else {
                    (8, NpsClass::Passive)
                };
                s.nps = Some(score);
                s.nps_class = Some(class);
                at(0, s)
            })
            .collect();
        build(&demo(), &rows, Funnel::default(), &options())
    }

    fn find<'a>(c: &'a WaveComparison, m: &WaveMeasure) -> &'a WaveRow {
        c.rows.iter().find(|r| &r.measure == m).unwrap()
    }

    #[test]
    fn a_share_changes_by_newcombes_interval_and_the_pooled_z() {
        let v = vectors();
        let case = &v["v2"]["wave_share_difference"];
        let pair = |k: &str| {
            (
                case[k][0].as_u64().unwrap() as usize,
                case[k][1].as_u64().unwrap() as usize,
            )
        };
        let ((x1, n1), (x2, n2)) = (pair("first"), pair("second"));
        let c = compare_waves(&wave(x1, n1), &wave(x2, n2));
        let values = find(&c, &WaveMeasure::ValuesBonded).change.unwrap();
        close(values.diff, &case["diff"]);
        close(values.ci.lo, &case["newcombe_ci"][0]);
        close(values.ci.hi, &case["newcombe_ci"][1]);
        close(values.p, &case["p"]);
        assert!(!values.fisher && !values.detectable);
        // Nobody is contact-bonded in either wave: "no events", not tested, not counted.
        let contact = find(&c, &WaveMeasure::ContactBonded);
        assert!(contact.no_events && contact.change.is_none());
        assert_eq!(
            c.family,
            c.rows.iter().filter(|r| r.change.is_some()).count()
        );
        assert_eq!((c.first_responses, c.second_responses), (350, 400));
    }

    #[test]
    fn nps_changes_by_the_se_of_two_independent_scores() {
        let v = vectors();
        let case = &v["v2"]["wave_nps_difference"];
        let counts = |k: &str| {
            let w = &case[k];
            let get = |f: &str| w[f].as_u64().unwrap() as usize;
            (get("promoters"), get("detractors"), get("n"))
        };
        let (p1, d1, n1) = counts("first");
        let (p2, d2, n2) = counts("second");
        let c = compare_waves(&nps_wave(p1, d1, n1), &nps_wave(p2, d2, n2));
        let nps = find(&c, &WaveMeasure::Nps).change.unwrap();
        close(nps.diff, &case["diff"]);
        close(nps.ci.lo, &case["ci"][0]);
        close(nps.ci.hi, &case["ci"][1]);
        close(nps.p, &case["p"]);
        assert!(!nps.detectable);
    }

    #[test]
    fn holm_runs_over_the_changes_shown_and_small_bases_are_not_compared() {
        // 40 → 80 of 100 values-bonded: a clear change, and the classes move with it.
        let c = compare_waves(&wave(40, 100), &wave(80, 100));
        let tested: Vec<&WaveChange> = c.rows.iter().filter_map(|r| r.change.as_ref()).collect();
        assert_eq!(c.family, tested.len());
        let p: Vec<f64> = tested.iter().map(|t| t.p).collect();
        let expected = holm(&p);
        for (t, want) in tested.iter().zip(expected) {
            assert_eq!(t.p_holm, want);
            assert!(t.p_holm >= t.p);
        }
        let values = find(&c, &WaveMeasure::ValuesBonded).change.unwrap();
        assert!(values.detectable && values.diff > 0.39 && values.diff < 0.41);
        assert!(c.detectable() >= 1);
        let class = find(&c, &WaveMeasure::Class(BondClass::ValuesOnly));
        assert!(class.change.unwrap().detectable);

        // 29 respondents in the first wave: nothing is compared, and the serialised
        // figures carry the base alone.
        let small = compare_waves(&wave(10, 29), &wave(80, 100));
        assert!(small.rows.iter().all(|r| r.change.is_none()));
        assert_eq!(small.family, 0);
        let json = serde_json::to_value(&small).unwrap();
        assert_eq!(
            json["rows"][0]["first"],
            serde_json::json!({"n": 29, "base": "suppressed"})
        );
        assert_eq!(
            json["rows"][0]["measure"],
            serde_json::json!({"measure": "values_bonded"})
        );
    }

    #[test]
    fn stated_values_are_compared_by_key_without_the_placebo() {
        let c = compare_waves(&wave(40, 100), &wave(80, 100));
        let def = demo();
        let real: Vec<&str> = def
            .brand
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.key.as_str())
            .collect();
        for key in &real {
            assert!(c
                .rows
                .iter()
                .any(|r| r.measure == WaveMeasure::Perceived(key.to_string())));
            assert!(c
                .rows
                .iter()
                .any(|r| r.measure == WaveMeasure::Shared(key.to_string())));
        }
        let placebo = def.brand.values.iter().find(|v| v.placebo).unwrap();
        assert!(!c
            .rows
            .iter()
            .any(|r| r.measure == WaveMeasure::Perceived(placebo.key.clone())));
        // Nobody rated perception here: the rows are there with empty bases, untested.
        let perceived = find(&c, &WaveMeasure::Perceived(real[0].to_string()));
        assert!(perceived.change.is_none() && perceived.first.n() == 0);
    }
}
