//! Report tallies from the profile rollups (`Store::profile_tallies`): weighted by raking
//! to the survey's targets (`report::weighted_tallies`), or as counted for a segment
//! comparison or a group cut, which the profile rows serve in few rows (whole months,
//! weeks, then days of each profile, against one row per day and group otherwise), a cut
//! and a comparison together included. The counts the report needs besides (everyone who
//! completed, the flagged responses of its base) come from the rollups, counted in the
//! database.

use crate::db::{ReportFilter, Store, StoreError};
use crate::domain::report::{self, ProfileTally, ReportOptions, ReportTallies};
use crate::domain::weighting::Margin;

/// The report's tallies from the profile rows the filter's cover selects, weighted to
/// `margins` if given, and everyone who completed (for the funnel).
pub(super) async fn profile_report_tallies(
    store: &Store,
    survey_id: i64,
    filter: &ReportFilter,
    options: &ReportOptions,
    margins: Option<&[Margin]>,
    same_item_set: &impl Fn(i64) -> bool,
) -> Result<(ReportTallies, u64), StoreError> {
    let rows: Vec<ProfileTally> = store
        .profile_tallies(survey_id, filter, options.period)
        .await?
        .into_iter()
        // A profile row's days lie inside one trend period: its first day stands for it.
        .map(|row| ProfileTally {
            version_id: row.version_id,
            day: row.bucket_start,
            profile: row.profile,
            tally: row.tally,
        })
        .collect();
    let segment = options.segment.as_deref();
    let mut tallies = match margins {
        Some(margins) => report::weighted_tallies(&rows, margins, segment, same_item_set),
        None => report::profile_tallies(&rows, segment, same_item_set),
    };
    let (everyone, flagged) = store.report_counts(survey_id, filter).await?;
    tallies.flagged = flagged;
    Ok((tallies, everyone))
}
