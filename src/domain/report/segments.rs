//! Section 7, segments: the headline, relationship and NPS per group of one segment
//! question, and each group against the rest, Holm-adjusted over the distinct tests.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ceb::ceb;
use super::compare::compare_groups;
use super::headline::{headline, Headline};
use crate::domain::stats::{holm, nps, Count, Interval, Nps, Proportion};
use crate::domain::tally::Tally;
use crate::domain::{Construct, SurveyDefinition};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentSection {
    pub key: String,
    pub groups: Vec<SegmentGroup>,
    /// Respondents who did not answer the segment question.
    pub missing: u64,
    /// Each group against everyone else who answered, Holm-adjusted over this family of
    /// distinct tests (with two groups, one test per measure).
    pub comparisons: Vec<SegmentComparison>,
    /// Measures no one in any group has: shown as "no events", not tested, not counted.
    pub no_events: Vec<Measure>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentGroup {
    pub option: String,
    pub respondents: u64,
    pub headline: Headline,
    pub relationship: Proportion,
    pub nps: Nps,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    ValuesBonded,
    ContactBonded,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentComparison {
    pub option: String,
    pub measure: Measure,
    /// The group's share minus the rest's, with Newcombe's interval.
    pub diff: f64,
    pub ci: Interval,
    /// Pooled z test, or Fisher's exact test when an expected count is below 5.
    pub p: f64,
    pub fisher: bool,
    pub p_holm: f64,
}

pub(super) fn segment_section(
    def: &SurveyDefinition,
    key: &str,
    tallies: &BTreeMap<String, Tally>,
    all: &Tally,
    threshold: f64,
) -> Option<SegmentSection> {
    let question = def
        .questions_with(Construct::Segment)
        .find(|q| q.key == key)?;
    let empty = Tally::default();
    let groups: Vec<SegmentGroup> = question
        .options
        .iter()
        .map(|option| {
            let t = tallies.get(&option.key).unwrap_or(&empty);
            SegmentGroup {
                option: option.key.clone(),
                respondents: t.responses.n,
                headline: headline(&t.at(threshold).headline, t.responses),
                relationship: ceb(t).relationship,
                nps: nps(
                    t.outcomes.promoters,
                    t.outcomes.detractors,
                    t.outcomes.nps_n,
                ),
            }
        })
        .collect();
    let answered: u64 = groups.iter().map(|g| g.respondents).sum();

    let mut comparisons = Vec::new();
    let mut no_events = Vec::new();
    for measure_kind in [Measure::ValuesBonded, Measure::ContactBonded] {
        let bases: Vec<(&SegmentGroup, Proportion)> = groups
            .iter()
            .map(|g| (g, measure(&g.headline, measure_kind)))
            .filter(|(_, p)| p.n > 0)
            .collect();
        let (all_x, all_n) = bases
            .iter()
            .fold((Count::default(), Count::default()), |(x, n), (_, p)| {
                (x + p.counts[0], n + p.counts[1])
            });
        if all_x.n == 0 {
            // No one has this bond in any group: there is nothing to test.
            if bases.len() >= 2 {
                no_events.push(measure_kind);
            }
            continue;
        }
        // With exactly two groups, "B vs the rest" is "A vs the rest" mirrored: one test.
        let compared = if bases.len() == 2 { 1 } else { bases.len() };
        for (g, p) in bases.iter().take(compared) {
            if let Some(c) = compare_with_rest(&g.option, measure_kind, *p, all_x, all_n) {
                comparisons.push(c);
            }
        }
    }
    let adjusted = holm(&comparisons.iter().map(|c| c.p).collect::<Vec<_>>());
    for (c, p) in comparisons.iter_mut().zip(adjusted) {
        c.p_holm = p;
    }
    Some(SegmentSection {
        key: key.to_string(),
        missing: all.responses.n.saturating_sub(answered),
        groups,
        comparisons,
        no_events,
    })
}

/// One group's share against the rest of those who answered the segment question, if
/// both bases are large enough to be shown.
fn compare_with_rest(
    option: &str,
    measure: Measure,
    p: Proportion,
    all_x: Count,
    all_n: Count,
) -> Option<SegmentComparison> {
    let [x, n] = p.counts;
    let d = compare_groups(&p, &Proportion::new(all_x - x, all_n - n))?;
    Some(SegmentComparison {
        option: option.to_string(),
        measure,
        diff: d.diff,
        ci: d.ci,
        p: d.p,
        fisher: d.fisher,
        p_holm: d.p,
    })
}

fn measure(h: &Headline, m: Measure) -> Proportion {
    match m {
        Measure::ValuesBonded => h.values_bonded,
        Measure::ContactBonded => h.contact_bonded,
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ReportOptions};
    use crate::domain::survey::tests::demo;

    /// The demo survey with its first segment question's options replaced by `groups`.
    fn with_segment_groups(groups: &[&str]) -> (SurveyDefinition, String) {
        let mut def = demo();
        let key = def
            .questions_with(Construct::Segment)
            .next()
            .unwrap()
            .key
            .clone();
        for page in &mut def.pages {
            for q in &mut page.questions {
                if q.key == key {
                    q.options = groups
                        .iter()
                        .map(|g| crate::domain::survey::ChoiceOption {
                            key: g.to_string(),
                            text: crate::domain::LocalizedText::new(*g, *g),
                        })
                        .collect();
                }
            }
        }
        (def, key)
    }

    #[test]
    fn the_holm_family_counts_each_distinct_test_once() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap();
        for case in v["v2"]["holm_family"].as_array().unwrap() {
            let values = case["groups"]["values_bonded"].as_object().unwrap();
            let contact = &case["groups"]["contact_bonded"];
            let names: Vec<&str> = values.keys().map(String::as_str).collect();
            // Keep the vector's group order (JSON objects come back sorted).
            let mut order: Vec<&str> = Vec::new();
            for g in case["tests"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["group"].as_str())
                .chain(names.iter().copied())
            {
                if !order.contains(&g) {
                    order.push(g);
                }
            }
            for n in &names {
                if !order.contains(n) {
                    order.push(n);
                }
            }
            let (def, key) = with_segment_groups(&order);
            let mut rows = Vec::new();
            for g in &order {
                let pair = |m: &serde_json::Value| {
                    (
                        m[0].as_u64().unwrap() as usize,
                        m[1].as_u64().unwrap() as usize,
                    )
                };
                let (xv, n) = pair(&values[*g]);
                let (xc, _) = pair(&contact[*g]);
                for i in 0..n {
                    let mut s = row(
                        Some(if i < xv { 6.0 } else { 3.0 }),
                        Some(if i < xc { 6.0 } else { 3.0 }),
                    );
                    s.segments.insert(key.clone(), g.to_string());
                    rows.push(at(0, s));
                }
            }
            let report = build(
                &def,
                &rows,
                Funnel::default(),
                &ReportOptions {
                    segment: Some(key.clone()),
                    ..options()
                },
            );
            let seg = report.segments.unwrap();
            assert_eq!(
                seg.comparisons.len() as u64,
                case["family_size"].as_u64().unwrap()
            );
            for t in case["tests"].as_array().unwrap() {
                let measure = match t["measure"].as_str().unwrap() {
                    "values_bonded" => Measure::ValuesBonded,
                    _ => Measure::ContactBonded,
                };
                if t["no_events"] == true {
                    assert!(seg.no_events.contains(&measure));
                    assert!(seg.comparisons.iter().all(|c| c.measure != measure));
                    continue;
                }
                let c = seg
                    .comparisons
                    .iter()
                    .find(|c| c.measure == measure && c.option == t["group"].as_str().unwrap())
                    .unwrap();
                let close = |a: f64, b: &serde_json::Value| {
                    assert!((a - b.as_f64().unwrap()).abs() < 1e-6, "{a} vs {b}")
                };
                close(c.diff, &t["diff"]);
                close(c.ci.lo, &t["newcombe_ci"][0]);
                close(c.ci.hi, &t["newcombe_ci"][1]);
                close(c.p, &t["p"]);
                close(c.p_holm, &t["p_holm"]);
                assert_eq!(c.fisher, t["fisher"].as_bool().unwrap());
            }
        }
    }

    #[test]
    fn segments_are_compared_with_holm_and_small_groups_left_out() {
        let def = demo();
        let segment = def.questions_with(Construct::Segment).next().unwrap();
        let options_keys: Vec<String> = segment.options.iter().map(|o| o.key.clone()).collect();
        let mut rows = Vec::new();
        for (g, n, bonded) in [(0usize, 200, 150), (1, 200, 60), (2, 10, 5)] {
            for i in 0..n {
                let v = if i < bonded { 6.0 } else { 3.0 };
                let mut s = row(Some(v), Some(3.0));
                s.segments
                    .insert(segment.key.clone(), options_keys[g].clone());
                rows.push(at(0, s));
            }
        }
        rows.push(at(0, row(Some(6.0), Some(6.0))));
        let report = build(
            &def,
            &rows,
            Funnel::default(),
            &ReportOptions {
                segment: Some(segment.key.clone()),
                ..options()
            },
        );
        let seg = report.segments.unwrap();
        assert_eq!(seg.missing, 1);
        assert_eq!(seg.groups[2].respondents, 10);
        // Two comparable groups × two measures; the 10-respondent group is not compared.
        let values: Vec<&SegmentComparison> = seg
            .comparisons
            .iter()
            .filter(|c| c.measure == Measure::ValuesBonded)
            .collect();
        assert_eq!(values.len(), 2);
        assert!(values.iter().all(|c| c.option != options_keys[2]));
        let first = values.iter().find(|c| c.option == options_keys[0]).unwrap();
        assert!(first.diff > 0.3 && first.p_holm <= 1.0 && first.p_holm >= first.p);
        // No one is contact-bonded in any group: nothing to test, and not in the family.
        assert!(seg
            .comparisons
            .iter()
            .all(|c| c.measure != Measure::ContactBonded));
        assert_eq!(seg.no_events, [Measure::ContactBonded]);
        // An unknown segment key gives no section rather than an empty one.
        let none = build(
            &def,
            &rows,
            Funnel::default(),
            &ReportOptions {
                segment: Some("nope".into()),
                ..options()
            },
        );
        assert!(none.segments.is_none());
    }
}
