//! The profile rollups weighted reports read (`Store::profile_tallies`): over two survey
//! versions and about 100 days of responses (some flagged, some without segment answers,
//! two completed through the pages), for ranges unbounded, recent, and crossing months,
//! cut to a group or to versions, flagged responses counted in or not, by week and by
//! month: each profile row equals a recount of the stored score rows in its bucket, their
//! merge equals the report's tally of everyone, and by trend period its days. The same
//! after respondents are deleted, and after the rollups are rebuilt from the score rows.

use std::collections::BTreeMap;

use crate::common;

use common::TestApp;
use valuebond::db::{Actor, CompleteResponse, ProfileRow, ReportFilter, Store};
use valuebond::domain::quality::QualityFlags;
use valuebond::domain::report::{period_start, Period, ScoredResponse, DAY_MS};
use valuebond::domain::tally::{BucketKind, ReportCover, Tally};
use valuebond::domain::zone::SurveyZone;

const SLUG: &str = "terra-bond";
const DAYS: i64 = 100;

/// What identifies a profile row: version, bucket kind and start, flags, profile.
type ProfileKey = (i64, BucketKind, i64, QualityFlags, Vec<(String, String)>);

/// A tally as a recount would make it: α sums a removal emptied keep their item count
/// (`AlphaSums::add`), though they are as empty as sums never added to.
fn normalized(t: &Tally) -> Tally {
    let mut t = t.clone();
    for sums in [&mut t.values_alpha, &mut t.contact_alpha] {
        if sums.n == 0 {
            *sums = Default::default();
        }
    }
    t
}

fn assert_tally_close(a: &Tally, b: &Tally, what: &str) {
    let (a, b) = (&normalized(a), &normalized(b));
    assert_eq!(a.responses, b.responses, "{what}: responses");
    assert_eq!(a.at(5.0).headline, b.at(5.0).headline, "{what}: headline");
    common::assert_json_close(
        &serde_json::to_value(a).unwrap(),
        &serde_json::to_value(b).unwrap(),
        what,
    );
}

/// The keys of the tallies that count someone.
fn nonempty<K>(m: &BTreeMap<K, Tally>) -> Vec<&K> {
    m.iter()
        .filter(|(_, t)| t.responses.n > 0)
        .map(|(k, _)| k)
        .collect()
}

fn assert_tallies_close<K: Ord + std::fmt::Debug>(
    a: &BTreeMap<K, Tally>,
    b: &BTreeMap<K, Tally>,
    what: &str,
) {
    assert_eq!(nonempty(a), nonempty(b), "{what}: keys");
    for (key, tally) in a.iter().filter(|(_, t)| t.responses.n > 0) {
        assert_tally_close(tally, &b[key], &format!("{what} {key:?}"));
    }
}

/// `count` responses into one version, completed over the `DAYS` days before `now`, with
/// flags on every sixth and no segment answers on every eleventh.
async fn load(store: &Store, (survey_id, version_id): (i64, i64), count: usize, seed: u64) {
    let def = store.version_definition(version_id).await.unwrap().unwrap();
    let mut population = valuebond::demo::population::Population::new(seed);
    let now = valuebond::db::now_ms();
    let responses: Vec<CompleteResponse> = (0..count)
        .map(|i| {
            let answers = population.respondent(&def);
            let mut scores = valuebond::domain::scoring::score_respondent(&def, &answers);
            if i % 6 == 0 {
                scores.quality = QualityFlags::from_bits(1 + (i / 6 % 7) as i64);
            }
            if i % 11 == 0 {
                scores.segments.clear();
            }
            CompleteResponse {
                token_hash: format!("profiles-{seed}-{i}"),
                locale: "vi".into(),
                completed_at: population.completed_at(now, DAYS),
                last_page: def.pages.len() as i64 - 1,
                answers: Vec::new(),
                scores,
            }
        })
        .collect();
    store
        .insert_complete_responses(survey_id, version_id, &def.zone(), &responses)
        .await
        .unwrap();
}

/// The profile rows the filter should read, counted here from the stored score rows: each
/// admitted response in the one covered bucket that holds its day.
fn recount(
    rows: &[ScoredResponse],
    filter: &ReportFilter,
    period: Period,
) -> BTreeMap<ProfileKey, Tally> {
    let from_day = filter.from_ms.map(|ms| filter.zone.day_of(ms));
    let to_day = filter.to_ms.map(|ms| filter.zone.day_of(ms - 1));
    let cover = ReportCover::new(from_day, to_day, period);
    let mut expected: BTreeMap<ProfileKey, Tally> = BTreeMap::new();
    for row in rows {
        let day = filter.zone.day_of(row.completed_at);
        let in_range = from_day.is_none_or(|f| f <= day) && to_day.is_none_or(|t| day <= t);
        let flags_ok = row.scores.quality.is_clean() || filter.include_flagged;
        if !(in_range && flags_ok && filter.admits(row)) {
            continue;
        }
        let holders: Vec<(BucketKind, i64)> = BucketKind::ALL
            .into_iter()
            .map(|kind| (kind, kind.start_of(day)))
            .filter(|&(kind, start)| cover.covers(kind, start))
            .collect();
        assert_eq!(holders.len(), 1, "day {day} in one bucket: {holders:?}");
        let (kind, start) = holders[0];
        let profile = row.scores.segments.clone().into_iter().collect();
        expected
            .entry((row.version_id, kind, start, row.scores.quality, profile))
            .or_default()
            .add(&row.scores);
    }
    expected
}

fn by_key(profiles: &[ProfileRow]) -> BTreeMap<ProfileKey, Tally> {
    let mut map = BTreeMap::new();
    for p in profiles {
        let key = (
            p.version_id,
            p.kind,
            p.bucket_start,
            p.flags,
            p.profile.clone(),
        );
        assert!(
            map.insert(key, p.tally.clone()).is_none(),
            "one row per key"
        );
    }
    map
}

/// Every check of one filter and period against the report's tallies and a recount.
async fn check(
    store: &Store,
    survey_id: i64,
    rows: &[ScoredResponse],
    filter: &ReportFilter,
    period: Period,
) {
    let what = format!("{period:?} {filter:?}");
    let profiles = store
        .profile_tallies(survey_id, filter, period)
        .await
        .unwrap();
    assert_tallies_close(&by_key(&profiles), &recount(rows, filter, period), &what);
    let (report, _) = store
        .report_tallies(survey_id, filter, None, |_| true)
        .await
        .unwrap();
    let mut merged = Tally::default();
    let mut by_period: BTreeMap<i64, Tally> = BTreeMap::new();
    for p in &profiles {
        merged.merge(&p.tally);
        by_period
            .entry(period_start(p.bucket_start, period))
            .or_default()
            .merge(&p.tally);
    }
    assert_tally_close(&merged, &report.all, &format!("{what}: everyone"));
    let mut report_by_period: BTreeMap<i64, Tally> = BTreeMap::new();
    for (day, tally) in &report.by_day {
        report_by_period
            .entry(period_start(*day, period))
            .or_default()
            .merge(tally);
    }
    assert_tallies_close(&by_period, &report_by_period, &format!("{what}: trend"));
}

/// The filters of the story: unbounded, the last 30 days, a range crossing months (from
/// and to inside a day), a group, each version; flagged counted in or not.
fn filters(zone: &SurveyZone, versions: [i64; 2]) -> Vec<ReportFilter> {
    let today = zone.day_of(valuebond::db::now_ms());
    let base = ReportFilter {
        zone: zone.clone(),
        ..ReportFilter::default()
    };
    let shapes = [
        base.clone(),
        ReportFilter {
            from_ms: Some(zone.day_start_ms(today - 29)),
            ..base.clone()
        },
        ReportFilter {
            from_ms: Some(zone.day_start_ms(today - 80) + 5 * 3_600_000),
            to_ms: Some(zone.day_start_ms(today - 20) + 3 * 3_600_000),
            ..base.clone()
        },
        ReportFilter {
            to_ms: Some(zone.day_start_ms(today - 45)),
            segment: Some(("tenure".into(), "under_1y".into())),
            ..base.clone()
        },
        ReportFilter {
            versions: vec![versions[0]],
            ..base.clone()
        },
        ReportFilter {
            versions: vec![versions[1]],
            from_ms: Some(zone.day_start_ms(today - DAYS + 3) - DAY_MS / 2),
            ..base
        },
    ];
    shapes
        .into_iter()
        .flat_map(|f| {
            [false, true].map(|include_flagged| ReportFilter {
                include_flagged,
                ..f.clone()
            })
        })
        .collect()
}

async fn check_all(store: &Store, survey_id: i64, filters: &[ReportFilter]) {
    let rows = store
        .report_rows(survey_id, &ReportFilter::default())
        .await
        .unwrap();
    for filter in filters {
        for period in [Period::Week, Period::Month] {
            check(store, survey_id, &rows, filter, period).await;
        }
    }
}

/// Version 1 (the demo's) and version 2 (another threshold), with responses in both.
async fn two_versions_with_responses(app: &TestApp) -> (i64, [i64; 2], SurveyZone) {
    let store = &app.store;
    let survey = store.survey_by_slug(SLUG).await.unwrap().unwrap();
    let v1 = survey.live_version_id.unwrap();
    load(store, (survey.id, v1), 900, 31).await;
    let actor = Actor {
        user_id: None,
        email: "test@example.vn".into(),
    };
    let draft = store
        .edit_draft(SLUG, &actor, |def| {
            def.bond_threshold = 5.5;
            Ok::<_, ()>("threshold 5.5".to_string())
        })
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    store.publish_draft(&draft, &actor).await.unwrap();
    load(store, (survey.id, draft.version_id), 600, 32).await;
    // Two through the pages (today, the page post's rollup path).
    for _ in 0..2 {
        common::complete_demo_survey(&app.browser(), "yes").await;
    }
    (survey.id, [v1, draft.version_id], draft.definition.zone())
}

/// Every rollup row with responses, as (version, day, cut) → tally.
async fn nonempty_rollups(store: &Store, survey_id: i64) -> BTreeMap<(i64, i64, String), Tally> {
    store
        .rollup_rows(survey_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, _, _, t)| t.responses.n > 0)
        .map(|(v, d, c, t)| ((v, d, c), t))
        .collect()
}

async fn profile_rollups_equal_a_recount_and_the_report(app: &TestApp) {
    let store = &app.store;
    let (survey_id, versions, zone) = two_versions_with_responses(app).await;
    let filters = filters(&zone, versions);
    check_all(store, survey_id, &filters).await;

    // Unbounded, by month, the cover is month rows only: together they hold everyone.
    let everyone = ReportFilter {
        zone: zone.clone(),
        include_flagged: true,
        ..ReportFilter::default()
    };
    let months =
        |profiles: &[ProfileRow]| -> u64 { profiles.iter().map(|p| p.tally.responses.n).sum() };
    let before = months(
        &store
            .profile_tallies(survey_id, &everyone, Period::Month)
            .await
            .unwrap(),
    );
    assert_eq!(before, 1502);

    // Deleted respondents leave them: four flagged, four without segment answers, four
    // clean ones with.
    let rows = store
        .report_rows(survey_id, &ReportFilter::default())
        .await
        .unwrap();
    let some = |keep: fn(&ScoredResponse) -> bool| rows.iter().filter(move |r| keep(r)).take(4);
    let deleted: Vec<&ScoredResponse> = some(|r| !r.scores.quality.is_clean())
        .chain(some(|r| {
            r.scores.quality.is_clean() && r.scores.segments.is_empty()
        }))
        .chain(some(|r| {
            r.scores.quality.is_clean() && !r.scores.segments.is_empty()
        }))
        .collect();
    assert_eq!(deleted.len(), 12);
    for row in &deleted {
        store.delete_respondent(row.respondent_id).await.unwrap();
    }
    let after = months(
        &store
            .profile_tallies(survey_id, &everyone, Period::Month)
            .await
            .unwrap(),
    );
    assert_eq!(after, before - 12);
    check_all(store, survey_id, &filters).await;

    // The rebuild from the score rows writes the same rows (those that still count someone).
    let incremental = nonempty_rollups(store, survey_id).await;
    assert!(incremental
        .keys()
        .any(|(_, _, cut)| cut.starts_with('!') && cut.contains("=w")));
    store.rebuild_rollups().await.unwrap();
    let rebuilt = nonempty_rollups(store, survey_id).await;
    assert_tallies_close(&incremental, &rebuilt, "rebuilt rollups");
    check_all(store, survey_id, &filters).await;
}

on_every_backend!(
    profile_rollups_equal_a_recount_and_the_report_on_every_backend,
    profile_rollups_equal_a_recount_and_the_report
);
