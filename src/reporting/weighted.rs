//! The tallies of a weighted report: the profile tallies the filters select (from the
//! profile rollups, or counted from the score rows when a group cut and a segment
//! comparison come together, as the unweighted report does), weighted by raking to the
//! survey's targets (`report::weighted_tallies`), with the counts the rollups keep besides.

use std::collections::BTreeMap;

use super::EXPORT_PAGE;
use crate::db::{ReportFilter, Store, StoreError};
use crate::domain::report::{weighted_tallies, ProfileTally, ReportOptions, ReportTallies};
use crate::domain::tally::Tally;
use crate::domain::weighting::Margin;

/// The report's tallies weighted to `margins`, and everyone who completed (the funnel).
pub(super) async fn weighted_report_tallies(
    store: &Store,
    survey_id: i64,
    filter: &ReportFilter,
    options: &ReportOptions,
    margins: &[Margin],
    same_item_set: &impl Fn(i64) -> bool,
) -> Result<(ReportTallies, u64), StoreError> {
    let rows = if filter.segment.is_some() && options.segment.is_some() {
        counted_profiles(store, survey_id, filter).await?
    } else {
        store
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
            .collect()
    };
    let mut tallies = weighted_tallies(&rows, margins, options.segment.as_deref(), same_item_set);
    let (everyone, flagged) = store.report_counts(survey_id, filter).await?;
    tallies.flagged = flagged;
    Ok((tallies, everyone))
}

/// Profile tallies counted from the score rows the filter admits, a page at a time (per
/// version, local day and profile; flagged responses only when the filter counts them).
async fn counted_profiles(
    store: &Store,
    survey_id: i64,
    filter: &ReportFilter,
) -> Result<Vec<ProfileTally>, StoreError> {
    type Key = (i64, i64, Vec<(String, String)>);
    let mut profiles: BTreeMap<Key, Tally> = BTreeMap::new();
    let mut after = None;
    loop {
        let (rows, next) = store
            .report_rows_page(survey_id, filter, after, EXPORT_PAGE)
            .await?;
        for r in rows {
            if !(filter.include_flagged || r.scores.quality.is_clean()) {
                continue;
            }
            let profile = r
                .scores
                .segments
                .iter()
                .map(|(k, o)| (k.clone(), o.clone()))
                .collect();
            let day = filter.zone.day_of(r.completed_at);
            profiles
                .entry((r.version_id, day, profile))
                .or_default()
                .add(&r.scores);
        }
        match next {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    Ok(profiles
        .into_iter()
        .map(|((version_id, day, profile), tally)| ProfileTally {
            version_id,
            day,
            profile,
            tally,
        })
        .collect())
}
