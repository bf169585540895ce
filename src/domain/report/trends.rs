//! Section 8, trends: both bond shares per week or month of completion, in the survey's
//! time zone.

use std::collections::BTreeMap;

use serde::Serialize;

use super::calendar::{civil_from_days, days_from_civil};
use super::headline::headline;
use super::Period;
use crate::domain::stats::Proportion;
use crate::domain::tally::Tally;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First day of the week (Monday) or month, "YYYY-MM-DD", in the survey's time zone.
    pub starts: String,
    pub values_bonded: Proportion,
    pub contact_bonded: Proportion,
    /// Complete responses of the period, and those without both bond scores.
    pub responses: u64,
    pub missing: u64,
}

/// The first day of the week (Monday) or month that `day` falls in.
pub fn period_start(day: i64, period: Period) -> i64 {
    match period {
        // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
        Period::Week => day - (day + 3).rem_euclid(7),
        Period::Month => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, m, 1)
        }
    }
}

pub(super) fn trends(
    days: &BTreeMap<i64, Tally>,
    period: Period,
    threshold: f64,
) -> Vec<TrendPoint> {
    let mut buckets: BTreeMap<i64, Tally> = BTreeMap::new();
    for (&day, tally) in days {
        buckets
            .entry(period_start(day, period))
            .or_default()
            .merge(tally);
    }
    buckets
        .into_iter()
        .map(|(start, t)| {
            let h = headline(&t.at(threshold).headline, t.responses);
            let (y, m, d) = civil_from_days(start);
            TrendPoint {
                starts: format!("{y:04}-{m:02}-{d:02}"),
                values_bonded: h.values_bonded,
                contact_bonded: h.contact_bonded,
                responses: t.responses.n,
                missing: h.insufficient,
            }
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{at, options, row};
    use crate::domain::report::{build, Funnel, ReportOptions};
    use crate::domain::survey::tests::demo;

    #[test]
    fn trends_bucket_by_week_and_month() {
        // 2026-11-23 is a Monday (day 20415); 2026-11-30 the next.
        let monday = days_from_civil(2026, 11, 23);
        assert_eq!(civil_from_days(monday), (2026, 11, 23));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            days_from_civil(2024, 2, 29) + 1,
            days_from_civil(2024, 3, 1)
        );
        let rows = vec![
            at(monday - 1, row(Some(6.0), Some(6.0))),
            at(monday, row(Some(6.0), Some(3.0))),
            at(monday + 6, row(Some(3.0), Some(3.0))),
            at(monday + 7, row(Some(6.0), Some(3.0))),
        ];
        let weekly = build(
            &demo(),
            &rows,
            Funnel::default(),
            &ReportOptions {
                period: Period::Week,
                ..options()
            },
        )
        .trends;
        let starts: Vec<&str> = weekly.iter().map(|p| p.starts.as_str()).collect();
        assert_eq!(starts, ["2026-11-16", "2026-11-23", "2026-11-30"]);
        assert_eq!(
            (weekly[1].values_bonded.x, weekly[1].values_bonded.n),
            (1, 2)
        );
        let monthly = build(&demo(), &rows, Funnel::default(), &options()).trends;
        assert_eq!(
            monthly
                .iter()
                .map(|p| p.starts.as_str())
                .collect::<Vec<_>>(),
            ["2026-11-01"]
        );
    }
}
