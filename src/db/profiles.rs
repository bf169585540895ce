//! What weighted reports read: the profile rollups (`domain::tally::profiles`) of a report's
//! range, in the few rows of its cover (whole months, weeks, then days) instead of a row per
//! profile and day. They are written with the other rollups (`rollup_keys`).

use super::{ReportFilter, Store, StoreError};
use crate::domain::quality::QualityFlags;
use crate::domain::report::Period;
use crate::domain::tally::{
    parse_profile_cut, BucketKind, Profile, ReportCover, Tally, PROFILE_MARK,
};

/// The tally of one profile in one bucket of one survey version.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileRow {
    pub version_id: i64,
    /// The bucket's first day (a local day in the survey's zone: a Monday, a 1st).
    pub bucket_start: i64,
    pub kind: BucketKind,
    /// The flags of the responses counted (clean unless the filter counts flagged ones in).
    pub flags: QualityFlags,
    /// The segment answers (question, option) in question order; empty for respondents
    /// who gave none.
    pub profile: Profile,
    pub tally: Tally,
}

/// A bound argument of the cover's statement.
#[derive(Clone, Debug, PartialEq)]
enum CoverArg {
    Cut(String),
    Day(i64),
}

/// The statement that reads a cover's rows, and its arguments after the survey id (`$1`):
/// per range of buckets, the cuts of its kind ("=k" up to "=" and the next letter: every
/// profile of that kind, in any collation that keeps a common prefix together) and the
/// range of start days; when flagged responses are counted in, the same after each flag
/// prefix "!1" … "!7". One SELECT per range, joined by UNION ALL: each reads a range of the
/// primary key (survey, cut, day), where an OR of three or more would make SQLite (which
/// has no statistics here) scan every row of the survey. The reader still checks each row (`parse_profile_cut`,
/// `ReportCover::covers`), so a row a collation's order lets through is not counted.
/// With a `group` ("question:option", the filter's cut) every SELECT also asks for cuts
/// containing it (`LIKE`, the last argument): the profiles of other groups are neither
/// sent nor parsed (LIKE's `_` may let a few more through; the reader drops them).
fn cover_select(
    cover: &ReportCover,
    include_flagged: bool,
    group: Option<&str>,
) -> (String, Vec<CoverArg>) {
    let mut prefixes = vec![String::new()];
    if include_flagged {
        prefixes.extend((1..=7).map(|flags| format!("!{flags}")));
    }
    let group_arg = 2 + 4 * prefixes.len() * cover.ranges().len();
    let in_group = group
        .map(|_| format!(" AND cut LIKE ${group_arg}"))
        .unwrap_or_default();
    let mut selects = Vec::new();
    let mut args = Vec::new();
    for prefix in &prefixes {
        for range in cover.ranges() {
            let letter = range.kind.letter();
            let next = char::from(letter as u8 + 1);
            let i = 2 + args.len();
            selects.push(format!(
                "SELECT version_id, day, cut, tally FROM report_rollups
                 WHERE survey_id = $1 AND cut >= ${i} AND cut < ${} AND day >= ${} AND day <= ${}{in_group}",
                i + 1,
                i + 2,
                i + 3
            ));
            args.extend([
                CoverArg::Cut(format!("{prefix}{PROFILE_MARK}{letter}")),
                CoverArg::Cut(format!("{prefix}{PROFILE_MARK}{next}")),
                CoverArg::Day(range.first_start),
                CoverArg::Day(range.last_start),
            ]);
        }
    }
    if let Some(group) = group {
        args.push(CoverArg::Cut(format!("%{group}%")));
    }
    (selects.join("\n UNION ALL "), args)
}

/// Whether a profile row read for a cover is one the filter counts; its parts if so.
fn admitted(
    filter: &ReportFilter,
    cover: &ReportCover,
    version_id: i64,
    day: i64,
    cut: &str,
) -> Option<(QualityFlags, BucketKind, Profile)> {
    let (flags, kind, profile) = parse_profile_cut(cut)?;
    let version_ok = filter.versions.is_empty() || filter.versions.contains(&version_id);
    let flags_ok = flags.is_clean() || filter.include_flagged;
    let segment_ok = filter
        .segment
        .as_ref()
        .is_none_or(|(question, option)| profile.iter().any(|(q, o)| q == question && o == option));
    (version_ok && flags_ok && segment_ok && cover.covers(kind, day))
        .then_some((flags, kind, profile))
}

impl Store {
    /// The profile tallies of the responses the filter selects, one per survey version,
    /// bucket of the range's cover (`ReportCover` for the trend `period`: each bucket lies
    /// in one trend period) and profile, with flagged responses' rows apart (by flags) when
    /// the filter counts them in. Merged, they are exactly the report's tally of everyone
    /// (`report_tallies`); the days are bounded as there, by the local days of the
    /// filter's instants. One statement (none for an empty range).
    pub async fn profile_tallies(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
        period: Period,
    ) -> Result<Vec<ProfileRow>, StoreError> {
        let from_day = filter.from_ms.map(|ms| filter.zone.day_of(ms));
        let to_day = filter.to_ms.map(|ms| filter.zone.day_of(ms - 1));
        let cover = ReportCover::new(from_day, to_day, period);
        if cover.ranges().is_empty() {
            return Ok(Vec::new());
        }
        let group = filter.segment.as_ref().map(|(q, o)| format!("{q}:{o}"));
        let (sql, args) = cover_select(&cover, filter.include_flagged, group.as_deref());
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self.read(), |pool| {
            let mut query = sqlx::query_as(&sql).bind(survey_id);
            for arg in &args {
                query = match arg {
                    CoverArg::Cut(cut) => query.bind(cut),
                    CoverArg::Day(day) => query.bind(*day),
                };
            }
            query.fetch_all(pool).await?
        });
        let mut profiles: Vec<ProfileRow> = Vec::new();
        // A key's parts (`rollups`) become one row, where its first part was read.
        let mut seen: std::collections::HashMap<(i64, i64, String), usize> = Default::default();
        for (version_id, day, cut, json) in rows {
            let Some((flags, kind, profile)) = admitted(filter, &cover, version_id, day, &cut)
            else {
                continue;
            };
            let tally: Tally = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
            match seen.entry((version_id, day, cut)) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    profiles[*at.get()].tally.merge(&tally);
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(profiles.len());
                }
            }
            profiles.push(ProfileRow {
                version_id,
                bucket_start: day,
                kind,
                flags,
                profile,
                tally,
            });
        }
        Ok(profiles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::days_from_civil;

    /// Whether `(day, cut)` is read by one of the SELECTs, compared as SQLite does (bytes).
    fn passes(args: &[CoverArg], day: i64, cut: &str) -> bool {
        args.chunks(4).any(|c| match c {
            [CoverArg::Cut(lo), CoverArg::Cut(hi), CoverArg::Day(first), CoverArg::Day(last)] => {
                lo.as_str() <= cut && cut < hi.as_str() && (*first..=*last).contains(&day)
            }
            _ => panic!("arguments come in fours: {c:?}"),
        })
    }

    #[test]
    fn the_cover_select_reads_the_profile_rows_of_its_buckets_and_no_other_rollup() {
        let d = days_from_civil;
        // Mon 4 Dec 2023 to Sun 3 Mar 2024: Dec by weeks, Jan and Feb, Mar 1-3 by days.
        let cover = ReportCover::new(Some(d(2023, 12, 4)), Some(d(2024, 3, 3)), Period::Month);
        let (sql, args) = cover_select(&cover, false, None);
        assert_eq!(cover.ranges().len(), 3);
        assert_eq!(args.len(), 12);
        assert_eq!(sql.matches("SELECT ").count(), 3);
        assert_eq!(sql.matches("UNION ALL").count(), 2);
        assert!(sql.contains(
            "WHERE survey_id = $1 AND cut >= $2 AND cut < $3 AND day >= $4 AND day <= $5"
        ));
        assert!(sql.ends_with(
            "WHERE survey_id = $1 AND cut >= $10 AND cut < $11 AND day >= $12 AND day <= $13"
        ));
        let profile = "activity:weekly,tenure:under_1y";
        for (day, cut, read) in [
            (d(2024, 1, 1), format!("=m{profile}"), true),
            (d(2024, 1, 1), "=m".to_string(), true),
            (d(2023, 12, 11), format!("=w{profile}"), true),
            (d(2024, 3, 2), format!("=d{profile}"), true),
            // Rows of other buckets, other rollups, flagged responses not counted in.
            (d(2024, 3, 1), format!("=m{profile}"), false),
            (d(2024, 1, 1), format!("=d{profile}"), false),
            (d(2024, 3, 4), format!("=d{profile}"), false),
            (d(2024, 1, 1), String::new(), false),
            (d(2024, 1, 1), "tenure:under_1y".to_string(), false),
            (d(2024, 1, 1), "mood:x".to_string(), false),
            (d(2024, 1, 1), format!("!5=m{profile}"), false),
            (d(2024, 1, 1), "!5".to_string(), false),
        ] {
            assert_eq!(passes(&args, day, &cut), read, "{day} {cut}");
        }

        let (_, flagged) = cover_select(&cover, true, None);
        assert_eq!(flagged.len(), 8 * 12);
        assert!(passes(&flagged, d(2024, 1, 1), &format!("!5=m{profile}")));
        assert!(!passes(&flagged, d(2024, 1, 1), "!5tenure:under_1y"));
        assert!(!passes(&flagged, d(2024, 1, 1), "!5"));

        // A cut to one group: every SELECT asks for cuts containing it, the last argument.
        let (sql, args) = cover_select(&cover, false, Some("tenure:under_1y"));
        assert_eq!(sql.matches(" AND cut LIKE $14").count(), 3);
        assert_eq!(
            args.last(),
            Some(&CoverArg::Cut("%tenure:under_1y%".into()))
        );
        assert!(passes(&args[..12], d(2024, 1, 1), &format!("=m{profile}")));
    }
}
