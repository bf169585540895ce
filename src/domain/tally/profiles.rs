//! Rollups per profile: a respondent's full combination of segment answers, so that a
//! weighted report (raking over the segment questions) can weight each profile's tally.
//! The group rollups ("question:option") cannot: a respondent is in one row per answer
//! there, and the joint distribution of the answers is lost.
//!
//! A completion is counted in three profile rows, one per bucket it falls in: its local
//! day, its week (Monday first) and its month. A report over a range then reads each
//! profile in few rows (the range's *cover*: whole months, whole weeks inside the rest of
//! a month, single days), where day rows alone would be one row per profile and day.
//!
//! The cut of a profile row is `=` + the bucket's letter + the profile, e.g.
//! `"=wactivity:weekly,tenure:under_1y"` for a week, `"=m"` for a month of respondents
//! without segment answers; a flagged response's rows carry its flags first (`"!5=d…"`, as
//! every flagged rollup row does). No group cut or everyone's cut contains `=`, so the
//! reads of the group rollups never match a profile row, and the other way round.

use crate::domain::quality::QualityFlags;
use crate::domain::report::{period_start, Period};
use crate::domain::scoring::RespondentScores;
use crate::domain::survey::is_key;

use super::{flagged_prefix, split_rollup_cut};

/// What the first character of a cut (after its flags) is in every profile row.
pub const PROFILE_MARK: char = '=';

/// A profile: a respondent's segment answers, (question, option) in question order.
pub type Profile = Vec<(String, String)>;

/// The span of days one profile row counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BucketKind {
    Day,
    /// Monday to Sunday.
    Week,
    /// The 1st to the last day of a calendar month.
    Month,
}

impl BucketKind {
    pub const ALL: [BucketKind; 3] = [BucketKind::Day, BucketKind::Week, BucketKind::Month];

    /// Its letter in a cut, after `PROFILE_MARK`.
    pub fn letter(self) -> char {
        match self {
            BucketKind::Day => 'd',
            BucketKind::Week => 'w',
            BucketKind::Month => 'm',
        }
    }

    pub fn of_letter(letter: char) -> Option<BucketKind> {
        BucketKind::ALL.into_iter().find(|k| k.letter() == letter)
    }

    /// The first day of the bucket of this kind that `day` falls in (the row's `day`).
    pub fn start_of(self, day: i64) -> i64 {
        match self {
            BucketKind::Day => day,
            BucketKind::Week => period_start(day, Period::Week),
            BucketKind::Month => period_start(day, Period::Month),
        }
    }

    /// The last day of the bucket of this kind that starts on `start`.
    pub fn last_day(self, start: i64) -> i64 {
        match self {
            BucketKind::Day => start,
            BucketKind::Week => start + 6,
            BucketKind::Month => next_month_start(start) - 1,
        }
    }
}

/// The 1st of the month after the one `day` falls in (months have 28 to 31 days, so 31
/// days after a 1st is early in the next month).
fn next_month_start(day: i64) -> i64 {
    period_start(period_start(day, Period::Month) + 31, Period::Month)
}

/// A respondent's profile as a cut writes it: their segment answers in question order,
/// `"q1:o1,q2:o2"`; `""` without segment answers. Questions and answers are
/// keys (`survey::is_key`: a segment answer is one of its question's option keys, or "dk"),
/// so neither separator can occur inside one.
pub fn profile_text(segments: &std::collections::BTreeMap<String, String>) -> String {
    segments
        .iter()
        .map(|(question, option)| format!("{question}:{option}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The cut of the profile row of `kind` for responses with these flags and this profile.
pub fn profile_cut(flags: QualityFlags, kind: BucketKind, profile: &str) -> String {
    format!(
        "{}{PROFILE_MARK}{}{profile}",
        flagged_prefix(flags),
        kind.letter()
    )
}

/// The profile rows (bucket start day, cut) a respondent completed on local day `day` is
/// counted in: the day's, the week's and the month's.
pub fn profile_keys(day: i64, s: &RespondentScores) -> [(i64, String); 3] {
    let profile = profile_text(&s.segments);
    BucketKind::ALL.map(|kind| (kind.start_of(day), profile_cut(s.quality, kind, &profile)))
}

/// A profile row's cut read back: its flags, bucket kind and profile ((question, option)
/// in question order). `None` for every other rollup row (everyone's, a group's) and for
/// anything `profile_cut` would not have written.
pub fn parse_profile_cut(cut: &str) -> Option<(QualityFlags, BucketKind, Profile)> {
    let (flags, rest) = split_rollup_cut(cut);
    let mut chars = rest.strip_prefix(PROFILE_MARK)?.chars();
    let kind = BucketKind::of_letter(chars.next()?)?;
    let text = chars.as_str();
    let profile: Profile = if text.is_empty() {
        Vec::new()
    } else {
        text.split(',')
            .map(|answer| {
                let (question, option) = answer.split_once(':')?;
                (is_key(question) && is_key(option))
                    .then(|| (question.to_string(), option.to_string()))
            })
            .collect::<Option<_>>()?
    };
    // Only the one spelling `profile_cut` writes ("!0=d", unsorted questions: not a row).
    let sorted = profile.windows(2).all(|w| w[0].0 < w[1].0);
    let written = profile_cut(flags, kind, text) == cut;
    (sorted && written).then_some((flags, kind, profile))
}

/// The buckets of one kind whose first day is in `first_start..=last_start`. Rows exist
/// only at the starts of their buckets (Mondays, 1sts), so these are whole buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BucketRange {
    pub kind: BucketKind,
    pub first_start: i64,
    pub last_start: i64,
}

/// The buckets a report over a range of days reads: every day of the range in exactly one
/// of them, none reaching outside the range, each inside one period of the report's trend
/// (so trends add up from them). Few: for `Period::Month` whole months, then whole weeks
/// inside what is left of a month, then days; for `Period::Week` whole weeks, then days
/// (a month crosses weeks). At most seven ranges, which the SQL reads with one condition
/// each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportCover {
    ranges: Vec<BucketRange>,
}

impl ReportCover {
    /// The cover of `from_day..=to_day` (local days; `None`: unbounded on that side).
    pub fn new(from_day: Option<i64>, to_day: Option<i64>, period: Period) -> ReportCover {
        let mut cover = ReportCover::default();
        if from_day.zip(to_day).is_some_and(|(from, to)| from > to) {
            return cover;
        }
        match period {
            Period::Week => cover.weeks_then_days(from_day, to_day),
            Period::Month => cover.months_then_weeks(from_day, to_day),
        }
        cover.join_adjacent_days();
        cover
    }

    /// Its ranges of buckets, by kind and start.
    pub fn ranges(&self) -> &[BucketRange] {
        &self.ranges
    }

    /// Whether the bucket of `kind` starting on `start` is one the cover reads.
    pub fn covers(&self, kind: BucketKind, start: i64) -> bool {
        kind.start_of(start) == start
            && self
                .ranges
                .iter()
                .any(|r| r.kind == kind && (r.first_start..=r.last_start).contains(&start))
    }

    fn push(&mut self, kind: BucketKind, first_start: i64, last_start: i64) {
        if first_start <= last_start {
            self.ranges.push(BucketRange {
                kind,
                first_start,
                last_start,
            });
        }
    }

    /// Whole months, then the stretches before the first and after the last whole month,
    /// each inside one month (a range without a whole month crosses at most one month's
    /// end: split there).
    fn months_then_weeks(&mut self, from: Option<i64>, to: Option<i64>) {
        let first = from.map(|f| next_month_start(f - 1));
        let last = to.map(|t| period_start(period_start(t + 1, Period::Month) - 1, Period::Month));
        let (lo, hi) = (first.unwrap_or(i64::MIN), last.unwrap_or(i64::MAX));
        if lo <= hi {
            self.push(BucketKind::Month, lo, hi);
            if let Some((f, first)) = from.zip(first) {
                if f < first {
                    self.weeks_then_days(Some(f), Some(first - 1));
                }
            }
            if let Some((t, last)) = to.zip(last) {
                let after = next_month_start(last);
                if after <= t {
                    self.weeks_then_days(Some(after), Some(t));
                }
            }
        } else if let Some((f, t)) = from.zip(to) {
            let boundary = next_month_start(f);
            if boundary <= t {
                self.weeks_then_days(Some(f), Some(boundary - 1));
                self.weeks_then_days(Some(boundary), Some(t));
            } else {
                self.weeks_then_days(Some(f), Some(t));
            }
        }
    }

    /// Whole weeks (Monday to Sunday) inside the range, then the days before and after.
    fn weeks_then_days(&mut self, from: Option<i64>, to: Option<i64>) {
        // The first Monday on or after `from`; the last Monday whose Sunday is by `to`.
        let first = from.map(|f| period_start(f + 6, Period::Week));
        let last = to.map(|t| period_start(t - 6, Period::Week));
        let (lo, hi) = (first.unwrap_or(i64::MIN), last.unwrap_or(i64::MAX));
        if lo <= hi {
            self.push(BucketKind::Week, lo, hi);
            if let Some((f, first)) = from.zip(first) {
                self.push(BucketKind::Day, f, first - 1);
            }
            if let Some((t, last)) = to.zip(last) {
                self.push(BucketKind::Day, last + 7, t);
            }
        } else if let Some((f, t)) = from.zip(to) {
            self.push(BucketKind::Day, f, t);
        }
    }

    /// Day ranges that meet (the end of one month's stretch and the start of the next)
    /// become one condition.
    fn join_adjacent_days(&mut self) {
        self.ranges.sort_by_key(|r| (r.kind, r.first_start));
        let mut joined: Vec<BucketRange> = Vec::with_capacity(self.ranges.len());
        for r in self.ranges.drain(..) {
            match joined.last_mut() {
                Some(prev)
                    if prev.kind == BucketKind::Day
                        && r.kind == BucketKind::Day
                        && prev.last_start.checked_add(1) == Some(r.first_start) =>
                {
                    prev.last_start = r.last_start;
                }
                _ => joined.push(r),
            }
        }
        self.ranges = joined;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quality::Flag;
    use crate::domain::report::days_from_civil;
    use proptest::prelude::*;

    fn scores_with(segments: &[(&str, &str)], quality: QualityFlags) -> RespondentScores {
        let mut s = crate::domain::scoring::score_respondent(
            &crate::domain::survey::tests::demo(),
            &Default::default(),
        );
        s.segments = segments
            .iter()
            .map(|(q, o)| (q.to_string(), o.to_string()))
            .collect();
        s.quality = quality;
        s
    }

    #[test]
    fn a_completion_is_counted_in_its_day_week_and_month_profile_rows() {
        // 2026-11-26 is a Thursday: its week starts on Monday the 23rd.
        let day = days_from_civil(2026, 11, 26);
        let s = scores_with(
            &[("tenure", "under_1y"), ("activity", "weekly")],
            QualityFlags::CLEAN,
        );
        let profile = "activity:weekly,tenure:under_1y";
        assert_eq!(
            profile_keys(day, &s),
            [
                (day, format!("=d{profile}")),
                (days_from_civil(2026, 11, 23), format!("=w{profile}")),
                (days_from_civil(2026, 11, 1), format!("=m{profile}")),
            ]
        );
        let flagged = scores_with(&[], QualityFlags::CLEAN.with(Flag::Bot));
        let cuts: Vec<String> = profile_keys(day, &flagged).map(|k| k.1).into();
        assert_eq!(cuts, ["!4=d", "!4=w", "!4=m"]);
    }

    #[test]
    fn profile_cuts_read_back_as_written_and_nothing_else_reads_as_one() {
        let speeder = QualityFlags::CLEAN.with(Flag::Speeder);
        for flags in [QualityFlags::CLEAN, speeder, QualityFlags::from_bits(7)] {
            for kind in BucketKind::ALL {
                for segments in [
                    vec![],
                    vec![("tenure", "under_1y")],
                    vec![("a_1", "x"), ("b", "o_2"), ("c9", "z")],
                ] {
                    let s = scores_with(&segments, flags);
                    let cut = profile_cut(flags, kind, &profile_text(&s.segments));
                    let want: Vec<(String, String)> = s.segments.clone().into_iter().collect();
                    assert_eq!(parse_profile_cut(&cut), Some((flags, kind, want)), "{cut}");
                }
            }
        }
        for other in [
            "",
            "tenure:under_1y",
            "!5",
            "!5tenure:under_1y",
            "=",
            "=x",
            "=dtenure",
            "=dtenure:",
            "=d,",
            "=db:x,a:y",
            "=da:x,a:y",
            "!0=d",
            "!=d",
            "=dA:b",
            "=da:b,",
        ] {
            assert_eq!(parse_profile_cut(other), None, "{other:?}");
        }
    }

    /// The buckets that could hold `day`: its day, week and month.
    fn buckets_of(day: i64) -> [(BucketKind, i64); 3] {
        BucketKind::ALL.map(|kind| (kind, kind.start_of(day)))
    }

    /// Checks a cover on the days `window` (a range can be unbounded; the window is where
    /// it is looked at): each day of the range is in exactly one covered bucket, the days
    /// outside in none; no covered bucket reaches outside the range or crosses a period.
    fn check_cover(from: Option<i64>, to: Option<i64>, period: Period, window: (i64, i64)) {
        let cover = ReportCover::new(from, to, period);
        let in_range = |d: i64| from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t);
        for day in window.0..=window.1 {
            let holders = buckets_of(day)
                .into_iter()
                .filter(|&(kind, start)| cover.covers(kind, start))
                .count();
            assert_eq!(
                holders,
                usize::from(in_range(day)),
                "day {day} of {from:?}..={to:?} by {period:?}: {cover:?}"
            );
            for kind in BucketKind::ALL {
                if kind.start_of(day) != day || !cover.covers(kind, day) {
                    continue;
                }
                let last = kind.last_day(day);
                assert!(in_range(day) && in_range(last), "{kind:?} {day} outside");
                assert_eq!(
                    period_start(day, period),
                    period_start(last, period),
                    "{kind:?} {day} crosses a {period:?}"
                );
            }
        }
        assert!(cover.ranges().len() <= 7, "{cover:?}");
    }

    /// Covered buckets of a bounded range.
    fn bucket_count(from: i64, to: i64, period: Period) -> usize {
        let cover = ReportCover::new(Some(from), Some(to), period);
        (from..=to)
            .flat_map(|day| BucketKind::ALL.map(|kind| (kind, day)))
            .filter(|&(kind, day)| cover.covers(kind, day))
            .count()
    }

    fn period() -> impl Strategy<Value = Period> {
        prop_oneof![Just(Period::Week), Just(Period::Month)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Ranges from a day to 400 days long, around 2023-2025 (2024 is a leap year),
        /// bounded or not on either side.
        #[test]
        fn a_cover_counts_every_day_of_its_range_once_within_one_period(
            start in days_from_civil(2023, 1, 1)..days_from_civil(2025, 12, 31),
            length in 0i64..400,
            bounded in (any::<bool>(), any::<bool>()),
            period in period(),
        ) {
            let from = bounded.0.then_some(start);
            let to = bounded.1.then_some(start + length);
            check_cover(from, to, period, (start - 70, start + length + 70));
        }
    }

    #[test]
    fn covers_across_month_and_year_ends_and_leap_days() {
        let d = days_from_civil;
        for (from, to) in [
            (d(2024, 2, 28), d(2024, 3, 1)),
            (d(2024, 2, 1), d(2024, 2, 29)),
            (d(2023, 12, 31), d(2024, 1, 1)),
            (d(2023, 12, 4), d(2024, 1, 31)),
            (d(2023, 1, 31), d(2023, 3, 1)),
            (d(2026, 6, 1), d(2026, 6, 1)),
            (d(1969, 12, 15), d(1970, 1, 15)),
        ] {
            for period in [Period::Week, Period::Month] {
                check_cover(Some(from), Some(to), period, (from - 40, to + 40));
                check_cover(None, Some(to), period, (from - 400, to + 40));
                check_cover(Some(from), None, period, (from - 40, to + 400));
            }
        }
        for period in [Period::Week, Period::Month] {
            check_cover(None, None, period, (d(2023, 11, 1), d(2024, 3, 31)));
            check_cover(Some(10), Some(9), period, (0, 20));
        }
        // Whole months and weeks, then days: Feb 2024 is one month row; Monday 4 Dec 2023
        // to Sunday 31 Dec 2023 four week rows; Mar 1-3 three days.
        let cover = ReportCover::new(Some(d(2023, 12, 4)), Some(d(2024, 3, 3)), Period::Month);
        assert_eq!(
            cover.ranges(),
            [
                BucketRange {
                    kind: BucketKind::Day,
                    first_start: d(2024, 3, 1),
                    last_start: d(2024, 3, 3)
                },
                BucketRange {
                    kind: BucketKind::Week,
                    first_start: d(2023, 12, 4),
                    last_start: d(2023, 12, 25)
                },
                BucketRange {
                    kind: BucketKind::Month,
                    first_start: d(2024, 1, 1),
                    last_start: d(2024, 2, 1)
                },
            ]
        );
    }

    #[test]
    fn ninety_days_are_read_in_at_most_25_buckets() {
        // Every 90-day range starting in 2023-2026: the most buckets any of them needs
        // (day rows alone would be 90).
        let d = days_from_civil;
        let most = |period| {
            (d(2023, 1, 1)..d(2027, 1, 1))
                .map(|from| bucket_count(from, from + 89, period))
                .max()
                .unwrap_or_default()
        };
        let (by_month, by_week) = (most(Period::Month), most(Period::Week));
        // Weeks: always 12 whole weeks and 6 days. Months: two or three whole months, and
        // on each side of them up to 12 days and a few weeks of a partial month.
        assert_eq!(by_week, 18);
        assert_eq!(by_month, 25);
    }
}
