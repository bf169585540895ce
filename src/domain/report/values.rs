//! Sections 3 and 4, stated against perceived values: each value's ratings, declared and
//! perceived ranks, perception net of the placebo, the say–do gap; and the alignment index.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::stats::{holm, mcnemar, shown, Base, McNemar, Mean, Proportion};
use crate::domain::tally::{Tally, ValueCounts};
use crate::domain::BrandProfile;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValuesSection {
    pub values: Vec<ValueFigures>,
    /// The placebo's perception rate: the share that "perceives" a value never claimed.
    pub guessing_baseline: Option<Proportion>,
    /// Some value the brand declares above another is perceived significantly below it
    /// (paired McNemar, Holm over the pairs shown): the brand says one thing, customers see
    /// another. Never set by a tie in weight or a difference the data do not support.
    pub say_do_gap: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueFigures {
    pub key: String,
    pub placebo: bool,
    /// Declared weight, normalised over non-placebo values (0 for the placebo).
    pub weight: f64,
    /// 1 = the brand's heaviest stated value; equal weights share a rank; None for the placebo.
    pub declared_rank: Option<u32>,
    /// 1 = among the values customers perceive most: 1 + the number of values perceived
    /// significantly more often (paired, Holm-adjusted), so values whose rates do not
    /// differ share a rank. None for the placebo and when the perception base is under 30.
    pub perceived_rank: Option<u32>,
    pub importance: Mean,
    pub perception: Mean,
    /// Perception ≥ 5 among respondents who rated perception.
    pub perceived: Proportion,
    /// Perceived rate minus the placebo's among respondents who rated both (a paired
    /// difference with McNemar's test and interval); None without a placebo or when fewer
    /// than 30 rated both.
    pub net_perception: Option<McNemar>,
    /// Importance ≥ 6 and perception ≥ 5 among respondents who rated both.
    pub shared: Proportion,
    /// Respondents counted in the report without an answer for each figure.
    pub missing: ValueMissing,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ValueMissing {
    pub importance: u64,
    pub perception: u64,
    /// Without both ratings (the shared-value base).
    pub shared: u64,
}

/// Significance level of the paired comparisons behind perceived ranks.
const RANK_ALPHA: f64 = 0.05;

pub(super) fn values_section(brand: &BrandProfile, t: &Tally) -> ValuesSection {
    let mut values = value_figures(brand, t);
    // The placebo is the first one customers rated (a brand normally has one).
    let placebo = values.iter().position(|v| v.placebo && v.perceived.n > 0);
    let guessing_baseline = placebo.map(|i| values[i].perceived);
    let real: Vec<usize> = (0..values.len()).filter(|&i| !values[i].placebo).collect();
    let declared = declared_ranks(&values, &real);
    let shown: Vec<usize> = real
        .iter()
        .copied()
        .filter(|&i| values[i].perceived.base != Base::Suppressed)
        .collect();
    let above = perceived_above(t, &values, &shown);
    let say_do_gap = above
        .iter()
        .any(|&(higher, lower)| values[lower].weight > values[higher].weight + 1e-12);
    for &i in &real {
        let net = placebo.and_then(|p| {
            let (b, c, n) = t.perceived_pair(&values[i].key, &values[p].key);
            (Base::of(n.n) != Base::Suppressed)
                .then(|| mcnemar(b, c, n))
                .flatten()
        });
        let v = &mut values[i];
        v.declared_rank = declared.get(&i).copied();
        v.perceived_rank = shown
            .contains(&i)
            .then(|| 1 + above.iter().filter(|&&(_, lower)| lower == i).count() as u32);
        v.net_perception = net;
    }
    ValuesSection {
        values,
        guessing_baseline,
        say_do_gap,
    }
}

/// Each value's own figures; its ranks and net perception compare it with other values,
/// so `values_section` fills them in afterwards.
fn value_figures(brand: &BrandProfile, t: &Tally) -> Vec<ValueFigures> {
    let weights: BTreeMap<&str, f64> = brand.normalized_weights().into_iter().collect();
    let empty = ValueCounts::default();
    brand
        .values
        .iter()
        .map(|v| {
            let c = t.values.get(&v.key).unwrap_or(&empty);
            ValueFigures {
                key: v.key.clone(),
                placebo: v.placebo,
                weight: weights.get(v.key.as_str()).copied().unwrap_or(0.0),
                declared_rank: None,
                perceived_rank: None,
                importance: c.importance.moments().mean(),
                perception: c.perception.moments().mean(),
                perceived: Proportion::new(c.perceived, c.perception.n),
                net_perception: None,
                shared: Proportion::new(c.shared, c.both),
                missing: ValueMissing {
                    importance: t.responses.n.saturating_sub(c.importance.n.n),
                    perception: t.responses.n.saturating_sub(c.perception.n.n),
                    shared: t.responses.n.saturating_sub(c.both.n),
                },
            }
        })
        .collect()
}

/// Competition ranks ("1, 1, 3"): values with equal weight share a rank, so a tie is
/// never read as an order the brand did not declare.
fn declared_ranks(values: &[ValueFigures], real: &[usize]) -> BTreeMap<usize, u32> {
    real.iter()
        .map(|&i| {
            let heavier = real
                .iter()
                .filter(|&&j| values[j].weight > values[i].weight + 1e-12)
                .count();
            (i, heavier as u32 + 1)
        })
        .collect()
}

/// Every pair of shown values is compared (paired McNemar on their perceived rates, among
/// respondents who rated both), Holm-adjusted over those pairs. Returns (higher, lower)
/// for each pair where `higher` is perceived significantly more often than `lower`.
fn perceived_above(t: &Tally, values: &[ValueFigures], shown: &[usize]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize, McNemar)> = Vec::new();
    for (k, &i) in shown.iter().enumerate() {
        for &j in &shown[k + 1..] {
            let (only_i, only_j, n) = t.perceived_pair(&values[i].key, &values[j].key);
            if Base::of(n.n) == Base::Suppressed {
                continue;
            }
            if let Some(test) = mcnemar(only_i, only_j, n) {
                pairs.push((i, j, test));
            }
        }
    }
    let adjusted = holm(&pairs.iter().map(|(_, _, m)| m.p).collect::<Vec<_>>());
    pairs
        .iter()
        .zip(adjusted)
        .filter(|(_, p)| *p < RANK_ALPHA)
        .map(|((i, j, m), _)| if m.diff > 0.0 { (*i, *j) } else { (*j, *i) })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlignmentSection {
    pub mean: Mean,
    /// Respondents per tenth of [0, 1] (exact tenths in their own bin; the last includes
    /// 1); None when fewer than 30 have an index. Unweighted in a weighted report too: the
    /// bins show who answered (the mean above is weighted).
    pub bins: Option<[u64; 10]>,
    pub missing: u64,
}

pub(super) fn alignment_section(t: &Tally) -> AlignmentSection {
    AlignmentSection {
        mean: t.alignment.moments().mean(),
        bins: shown(t.alignment.n.n).then(|| t.alignment_bins.map(|c| c.n)),
        missing: t.responses.n.saturating_sub(t.alignment.n.n),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ScoredResponse};
    use crate::domain::survey::tests::demo;
    use crate::domain::SurveyDefinition;

    #[test]
    fn values_are_ranked_and_netted_against_the_placebo() {
        let def = demo();
        let real: Vec<&str> = def
            .brand
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.key.as_str())
            .collect();
        let placebo = def
            .brand
            .values
            .iter()
            .find(|v| v.placebo)
            .unwrap()
            .key
            .clone();
        let rows: Vec<ScoredResponse> = (0..40)
            .map(|i| {
                let mut s = row(None, None);
                // The first real value is perceived by all, the last by nobody; the placebo by 1 in 4.
                s.perception.insert(real[0].to_string(), 7);
                s.importance.insert(real[0].to_string(), 6);
                s.perception.insert(real[real.len() - 1].to_string(), 2);
                s.perception
                    .insert(placebo.clone(), if i % 4 == 0 { 6 } else { 3 });
                at(0, s)
            })
            .collect();
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let get = |k: &str| values.values.iter().find(|v| v.key == k).unwrap();
        assert_eq!(values.guessing_baseline.unwrap().x, 10);
        // Net perception is paired: among the 40 who rated both, 30 perceive the first value
        // but not the placebo and none the reverse.
        let net = get(real[0]).net_perception.unwrap();
        assert!((net.diff - 0.75).abs() < 1e-9);
        assert!(net.ci.hi <= 1.0 && net.p < 1e-6);
        assert!((get(real[real.len() - 1]).net_perception.unwrap().diff + 0.25).abs() < 1e-9);
        assert_eq!(get(real[0]).perceived_rank, Some(1));
        assert_eq!(get(real[real.len() - 1]).perceived_rank, Some(2));
        // Values nobody rated have no perceived rank.
        assert_eq!(get(real[1]).perceived_rank, None);
        // The heaviest declared value is perceived most: no say–do gap.
        assert!(!values.say_do_gap);
        assert_eq!(get(real[0]).shared.x, 40);
        assert_eq!(get(&placebo).declared_rank, None);
        // Weights 0.35, 0.25, 0.2, 0.2: the two equal weights share rank 3.
        let mut declared: Vec<u32> = values
            .values
            .iter()
            .filter_map(|v| v.declared_rank)
            .collect();
        declared.sort();
        assert_eq!(declared, [1, 2, 3, 3]);
    }

    /// 400 respondents rating the perception of the demo's four real values; value k is
    /// perceived by `perceived[k]` of them, each value by a different (overlapping) run of
    /// respondents, so pairs disagree in both directions as real answers do.
    fn perceived_population(perceived: [usize; 4]) -> (SurveyDefinition, Vec<ScoredResponse>) {
        let def = demo();
        let real: Vec<String> = def
            .brand
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(|v| v.key.clone())
            .collect();
        let rows = (0..400)
            .map(|i| {
                let mut s = row(None, None);
                for (k, key) in real.iter().enumerate() {
                    s.perception.insert(
                        key.clone(),
                        if (i + 100 * k) % 400 < perceived[k] {
                            6
                        } else {
                            3
                        },
                    );
                }
                at(0, s)
            })
            .collect();
        (def, rows)
    }

    /// One rank of every non-placebo value, in brand order.
    fn real_ranks(
        values: &ValuesSection,
        rank: impl Fn(&ValueFigures) -> Option<u32>,
    ) -> Vec<Option<u32>> {
        values
            .values
            .iter()
            .filter(|v| !v.placebo)
            .map(rank)
            .collect()
    }

    #[test]
    fn perceived_rates_that_do_not_differ_share_a_rank_and_make_no_gap() {
        // 53%, 54%, 53%, 51%: the data do not support any order.
        let (def, rows) = perceived_population([212, 216, 212, 204]);
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let ranks = real_ranks(&values, |v| v.perceived_rank);
        assert_eq!(ranks, [Some(1); 4]);
        assert!(!values.say_do_gap);
    }

    #[test]
    fn a_value_declared_higher_but_perceived_significantly_lower_is_a_say_do_gap() {
        // Weights 0.35, 0.25, 0.2, 0.2; the lightest two are perceived far more often.
        let (def, rows) = perceived_population([80, 80, 320, 320]);
        let values = build(&def, &rows, Funnel::default(), &options()).values;
        let ranks = real_ranks(&values, |v| v.perceived_rank);
        assert_eq!(ranks, [Some(3), Some(3), Some(1), Some(1)]);
        assert!(values.say_do_gap);
        // Declared ranks are not changed by perception: equal weights share rank 3.
        let declared = real_ranks(&values, |v| v.declared_rank);
        assert_eq!(declared, [Some(1), Some(2), Some(3), Some(3)]);
    }
}
