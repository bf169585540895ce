//! Section 9, reliability: Cronbach's α of both bond scales over complete cases, summed
//! only across versions that share the report's bond items.

use serde::Serialize;

use crate::domain::stats::shown;
use crate::domain::tally::{AlphaSums, Tally};
use crate::domain::{Construct, SurveyDefinition};

/// Cronbach's α below this is flagged.
pub const ALPHA_WARNING: f64 = 0.70;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reliability {
    pub values_bond: ScaleReliability,
    pub contact_bond: ScaleReliability,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleReliability {
    pub items: usize,
    /// Respondents who answered every item (α uses complete cases).
    pub complete_cases: u64,
    /// Complete cases of versions with other bond items, left out of α.
    pub other_item_set: u64,
    pub alpha: Option<f64>,
    /// α below 0.70.
    pub weak: bool,
}

fn scale_reliability(sums: &AlphaSums, other_item_set: u64) -> ScaleReliability {
    let alpha = shown(sums.n).then(|| sums.alpha()).flatten();
    ScaleReliability {
        items: sums.items,
        complete_cases: sums.n,
        other_item_set,
        alpha,
        weak: alpha.is_some_and(|a| a < ALPHA_WARNING),
    }
}

pub(super) fn reliability(sums: &ReliabilitySums) -> Reliability {
    Reliability {
        values_bond: scale_reliability(&sums.values, sums.values_other_item_set),
        contact_bond: scale_reliability(&sums.contact, sums.contact_other_item_set),
    }
}

/// Cronbach's α sums of one item set, and how many complete cases of other item sets were
/// left out (`measurement.md`, "α per item set").
#[derive(Clone, Debug, Default)]
pub struct ReliabilitySums {
    pub values: AlphaSums,
    pub contact: AlphaSums,
    pub values_other_item_set: u64,
    pub contact_other_item_set: u64,
}

impl ReliabilitySums {
    /// Adds one version's sums: into α if its item set is the report's, else counted aside.
    /// Sums of one item set add up in any order, so the result does not depend on the
    /// order rollups are read in.
    pub fn add(&mut self, tally: &Tally, same_item_set: bool) {
        if same_item_set {
            self.values.merge(&tally.values_alpha);
            self.contact.merge(&tally.contact_alpha);
        } else {
            self.values_other_item_set += tally.values_alpha.n;
            self.contact_other_item_set += tally.contact_alpha.n;
        }
    }
}

/// The bond items of a version, by key and reverse flag, in survey order: α is computed
/// per such set.
pub fn bond_item_set(def: &SurveyDefinition) -> Vec<(Construct, String, bool)> {
    [Construct::ValueCongruence, Construct::ContactBond]
        .into_iter()
        .flat_map(|c| {
            def.questions_with(c)
                .map(move |q| (c, q.key.clone(), q.reverse))
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ScoredResponse};
    use crate::domain::survey::tests::demo;

    #[test]
    fn alpha_of_merged_versions_does_not_depend_on_their_order() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/data/stats_vectors.json")).unwrap();
        let tally_of = |rows: &[serde_json::Value]| {
            let mut t = Tally::default();
            for r in rows {
                let mut s = row(None, None);
                s.congruence_items = r
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| Some(x.as_u64().unwrap() as u8))
                    .collect();
                t.add(&s);
            }
            t
        };
        let items = v["cronbach_alpha"]["items"].as_array().unwrap();
        let (a, b) = items.split_at(3);
        let other = tally_of(&[serde_json::json!([1, 2]), serde_json::json!([7, 7])]);
        let parts = [(tally_of(a), true), (tally_of(b), true), (other, false)];
        let mut alphas = Vec::new();
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            let mut sums = ReliabilitySums::default();
            for i in order {
                sums.add(&parts[i].0, parts[i].1);
            }
            assert_eq!(sums.values_other_item_set, 2);
            assert_eq!(sums.values.n, items.len() as u64);
            alphas.push(sums.values.alpha().unwrap());
        }
        assert!(alphas.iter().all(|x| (x - alphas[0]).abs() < 1e-12));
        assert!((alphas[0] - v["cronbach_alpha"]["alpha"].as_f64().unwrap()).abs() < 1e-4);
    }

    #[test]
    fn reliability_uses_complete_cases() {
        let v = &serde_json::from_str::<serde_json::Value>(include_str!(
            "../../../tests/data/stats_vectors.json"
        ))
        .unwrap()["cronbach_alpha"];
        // The reference rows four times over: α is unchanged by repeating every row, and
        // 32 complete cases reach the base of 30 that α needs to be shown.
        let mut rows: Vec<ScoredResponse> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .cycle()
            .take(4 * v["items"].as_array().unwrap().len())
            .map(|r| {
                let mut s = row(None, None);
                s.congruence_items = r
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| Some(x.as_u64().unwrap() as u8))
                    .collect();
                at(0, s)
            })
            .collect();
        let mut incomplete = row(None, None);
        incomplete.congruence_items = vec![Some(1), None, Some(7)];
        rows.push(at(0, incomplete));
        let r = build(&demo(), &rows, Funnel::default(), &options()).reliability;
        assert_eq!((r.values_bond.items, r.values_bond.complete_cases), (3, 32));
        assert!((r.values_bond.alpha.unwrap() - v["alpha"].as_f64().unwrap()).abs() < 1e-4);
        assert!(!r.values_bond.weak);
        assert_eq!(r.contact_bond.alpha, None);
        // Under 30 complete cases α is not shown.
        let r = build(&demo(), &rows[..8], Funnel::default(), &options()).reliability;
        assert_eq!(
            (r.values_bond.complete_cases, r.values_bond.alpha),
            (8, None)
        );
    }
}
