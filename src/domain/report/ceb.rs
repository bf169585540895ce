//! Section 2, the CEB replication: the share with a relationship with the brand and the
//! reasons they give, each tested against the CEB / HBR 2012 benchmark.

use serde::Serialize;

use crate::domain::stats::{score_test, shown, Count, Proportion, ZTest};
use crate::domain::tally::Tally;

/// The CEB / HBR 2012 figures the replication is compared with.
pub const CEB_RELATIONSHIP: f64 = 0.23;
pub const CEB_SHARED_VALUES: f64 = 0.64;
pub const CEB_FREQUENT_CONTACT: f64 = 0.13;
/// The relationship reasons a survey offers (`measurement.md`).
pub const REASONS: [&str; 5] = [
    "shared_values",
    "frequent_contact",
    "rewards",
    "habit_convenience",
    "other",
];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ceb {
    /// relationship = yes among yes + no ("don't know" and skipped are missing).
    pub relationship: Proportion,
    pub relationship_missing: u64,
    pub relationship_vs_benchmark: Option<ZTest>,
    /// Each reason's share among respondents with a relationship who gave a reason.
    pub reasons: Vec<ReasonShare>,
    pub reasons_missing: u64,
    pub shared_values_vs_benchmark: Option<ZTest>,
    pub frequent_contact_vs_benchmark: Option<ZTest>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonShare {
    pub reason: &'static str,
    pub share: Proportion,
}

pub(super) fn ceb(t: &Tally) -> Ceb {
    let [yes, no] = t.relationship;
    let n = yes + no;
    let with_reason: Count = t.reasons.iter().sum();
    let reason_count = |r: &str| {
        REASONS
            .iter()
            .position(|x| *x == r)
            .map_or(Count::default(), |i| t.reasons[i])
    };
    Ceb {
        relationship: Proportion::new(yes, n),
        relationship_missing: t.responses.n.saturating_sub(n.n),
        relationship_vs_benchmark: shown(n.n)
            .then(|| score_test(yes, n, CEB_RELATIONSHIP))
            .flatten(),
        reasons_missing: yes.n.saturating_sub(with_reason.n),
        shared_values_vs_benchmark: shown(with_reason.n)
            .then(|| {
                score_test(
                    reason_count("shared_values"),
                    with_reason,
                    CEB_SHARED_VALUES,
                )
            })
            .flatten(),
        frequent_contact_vs_benchmark: shown(with_reason.n)
            .then(|| {
                score_test(
                    reason_count("frequent_contact"),
                    with_reason,
                    CEB_FREQUENT_CONTACT,
                )
            })
            .flatten(),
        reasons: REASONS
            .iter()
            .map(|&reason| ReasonShare {
                reason,
                share: Proportion::new(reason_count(reason), with_reason),
            })
            .collect(),
    }
}
#[cfg(test)]
mod tests {
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel};
    use crate::domain::survey::tests::demo;

    #[test]
    fn the_ceb_replication_counts_dont_know_as_missing() {
        let mut rows = Vec::new();
        let mut push = |rel: Option<&str>, reason: Option<&str>, n: usize| {
            for _ in 0..n {
                let mut s = row(Some(4.0), Some(4.0));
                s.relationship = rel.map(str::to_string);
                s.relationship_reason = reason.map(str::to_string);
                rows.push(at(0, s));
            }
        };
        push(Some("yes"), Some("shared_values"), 16);
        push(Some("yes"), Some("frequent_contact"), 3);
        push(Some("yes"), Some("rewards"), 4);
        push(Some("yes"), None, 2);
        push(Some("no"), None, 75);
        push(Some("dk"), None, 9);
        push(None, None, 1);
        let ceb = build(&demo(), &rows, Funnel::default(), &options()).ceb;
        assert_eq!(
            (
                ceb.relationship.x,
                ceb.relationship.n,
                ceb.relationship_missing
            ),
            (25, 100, 10)
        );
        let share = |r: &str| ceb.reasons.iter().find(|s| s.reason == r).unwrap().share;
        assert_eq!(
            (share("shared_values").x, share("shared_values").n),
            (16, 23)
        );
        assert_eq!(ceb.reasons_missing, 2);
        let z = ceb.relationship_vs_benchmark.unwrap().z;
        assert!((z - (0.25 - 0.23) / (0.23f64 * 0.77 / 100.0).sqrt()).abs() < 1e-12);
    }
}
