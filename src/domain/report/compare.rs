//! Two independent shares compared (a segment group against the rest, one block order
//! against the other): Newcombe's interval, and a pooled z test or Fisher's exact test.

use serde::Serialize;

use crate::domain::stats::{fisher_exact, shown, two_proportions, Interval, Proportion};

/// The difference of two independent shares x1/n1 − x2/n2.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GroupDifference {
    pub diff: f64,
    /// Newcombe's hybrid score interval.
    pub ci: Interval,
    /// Pooled z test, or Fisher's exact test when an expected count is below 5.
    pub p: f64,
    pub fisher: bool,
}

/// Compares two independent groups' shares (first − second), if both bases are large
/// enough to be shown (small groups are suppressed, so they are not compared either).
/// Weighted shares are compared on their effective counts, never with Fisher's test (it
/// needs whole counts).
pub(super) fn compare_groups(first: &Proportion, second: &Proportion) -> Option<GroupDifference> {
    if !shown(first.n) || !shown(second.n) {
        return None;
    }
    let ([x1, n1], [x2, n2]) = (first.counts, second.counts);
    let diff = two_proportions((x1, n1), (x2, n2))?;
    let weighted = [x1, n1, x2, n2].iter().any(|c| c.is_weighted());
    let table = [[x1.n, n1.n - x1.n], [x2.n, n2.n - x2.n]];
    let (p, fisher) = match diff.test {
        Some(test) if weighted || min_expected_2x2(&table) >= 5.0 => (test.p, false),
        _ => (
            fisher_exact(table[0][0], table[0][1], table[1][0], table[1][1]),
            true,
        ),
    };
    Some(GroupDifference {
        diff: diff.diff,
        ci: diff.ci,
        p,
        fisher,
    })
}

/// Under an expected count of 5 the z test's normal approximation is off: Fisher's then.
fn min_expected_2x2(t: &[[u64; 2]; 2]) -> f64 {
    let n = (t[0][0] + t[0][1] + t[1][0] + t[1][1]) as f64;
    let rows = [t[0][0] + t[0][1], t[1][0] + t[1][1]];
    let cols = [t[0][0] + t[1][0], t[0][1] + t[1][1]];
    rows.iter()
        .flat_map(|r| cols.iter().map(move |c| (*r * *c) as f64 / n))
        .fold(f64::INFINITY, f64::min)
}
