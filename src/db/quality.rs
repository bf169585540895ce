//! Response quality at completion (`domain::quality`): the bot evidence a page post adds to
//! the respondent row, and the speeder rule, which needs the durations of the version's
//! complete responses so far (`response_durations`, a row per `duration_bucket`), read and
//! counted in the transaction that completes the response.

use std::collections::BTreeMap;

use super::batch::{Batch, RunBatch};
use super::StoreError;
use crate::domain::quality::{
    self, duration_bucket, duration_seconds, Durations, Flag, QualityFlags,
};
use crate::domain::scoring::RespondentScores;

/// What the server knows about a respondent's timing and evidence before a post.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub started_at: i64,
    /// When the respondent's current page was served: the server sent them there when
    /// it answered their previous post (or started them), so this is that moment.
    pub served_at: i64,
    /// Bot evidence gathered on earlier pages.
    pub evidence: QualityFlags,
}

/// The respondent's bot evidence after a post: the earlier evidence, the honeypot, and,
/// when `time_pages`, a page of three or more questions posted within a second.
pub fn evidence_after(
    timing: Timing,
    honeypot: bool,
    time_pages: bool,
    timed_questions: usize,
    now: i64,
) -> QualityFlags {
    let fast = time_pages && quality::fast_page(timed_questions, timing.served_at, now);
    timing.evidence.with_if(Flag::Bot, honeypot || fast)
}

/// The duration counts of `versions`, one statement.
pub async fn read_durations<C: RunBatch>(
    conn: &mut C,
    versions: impl IntoIterator<Item = i64>,
) -> Result<BTreeMap<i64, Durations>, StoreError> {
    let versions: Vec<i64> = versions.into_iter().collect();
    let mut out: BTreeMap<i64, Durations> = versions
        .iter()
        .map(|v| (*v, Durations::default()))
        .collect();
    if versions.is_empty() {
        return Ok(out);
    }
    let wanted: Vec<String> = (1..=versions.len()).map(|i| format!("${i}")).collect();
    let mut read = Batch::default();
    read.push(
        format!(
            "SELECT version_id, seconds, responses FROM response_durations WHERE version_id IN ({})",
            wanted.join(", ")
        ),
        versions.iter().map(|v| (*v).into()).collect(),
    );
    let rows: Vec<(i64, i64, i64)> = conn.fetch_batch(read).await?;
    for (version, seconds, responses) in rows {
        if let Some(d) = out.get_mut(&version) {
            d.add_many(seconds, responses.max(0) as u64);
        }
    }
    Ok(out)
}

/// A completion's speeder flag, from its version's durations so far (`read_durations`),
/// which then count it. Returns the duration's bucket, for the caller to store.
pub fn complete_timing(
    scores: &mut RespondentScores,
    durations: &mut BTreeMap<i64, Durations>,
    (version_id, started_at, now): (i64, i64, i64),
) -> i64 {
    let so_far = durations.entry(version_id).or_default();
    let seconds = duration_seconds(started_at, now);
    scores.quality = scores
        .quality
        .with_if(Flag::Speeder, quality::speeder(seconds, so_far));
    let bucket = duration_bucket(seconds);
    so_far.add(bucket);
    bucket
}

/// Counts a completion's duration `bucket` in the folded row of its version (SQLite's
/// single writer; on PostgreSQL a completion inserts a row of its own, `rollups`).
pub fn fold_duration(writes: &mut Batch, version_id: i64, bucket: i64) {
    writes.push(
        "INSERT INTO response_durations (version_id, seconds, responses) VALUES ($1, $2, 1)
         ON CONFLICT (version_id, seconds, part) DO UPDATE SET responses = response_durations.responses + 1",
        vec![version_id.into(), bucket.into()],
    );
}

/// Takes a deleted completion out of its version's duration counts: its own row if it is
/// not folded yet (PostgreSQL, `part` = the respondent's id), otherwise one response from
/// the folded row of `counted_in`, the bucket its score row names (`None` for an imported
/// response, which was not counted). The delete runs now; the writes are added to `writes`.
pub async fn remove_duration<C: RunBatch>(
    conn: &mut C,
    (version_id, respondent_id): (i64, i64),
    counted_in: Option<i64>,
    writes: &mut Batch,
) -> Result<(), StoreError> {
    let mut unfolded = Batch::default();
    unfolded.push(
        "DELETE FROM response_durations WHERE version_id = $1 AND part = $2 AND part <> 0
         RETURNING seconds",
        vec![version_id.into(), respondent_id.into()],
    );
    let removed: Vec<(i64,)> = conn.fetch_batch(unfolded).await?;
    let (true, Some(bucket)) = (removed.is_empty(), counted_in) else {
        return Ok(()); // removed with its own row, or never counted
    };
    let key = vec![version_id.into(), bucket.into()];
    writes.push(
        "UPDATE response_durations SET responses = responses - 1
         WHERE version_id = $1 AND seconds = $2 AND part = 0",
        key.clone(),
    );
    // The rows stay few: a bucket nobody is in has none.
    writes.push(
        "DELETE FROM response_durations
         WHERE version_id = $1 AND seconds = $2 AND part = 0 AND responses <= 0",
        key,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::db::Store;
    use crate::domain::quality::duration_bucket;

    /// The migration's backfill buckets the durations of earlier responses as completions
    /// do (`duration_bucket`).
    #[tokio::test]
    async fn the_backfill_buckets_durations_as_completions_do() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        let seconds = [5_i64, 5, 599, 601, 605, 3_599, 7_259, 100_000];
        let mut setup = vec![
            "INSERT INTO brands (id, slug, name, profile, created_at) VALUES (1, 'b', 'B', '{}', 0)".to_string(),
            "INSERT INTO surveys (id, brand_id, slug, status, created_at) VALUES (1, 1, 's', 'open', 0)".to_string(),
            "INSERT INTO survey_versions (id, survey_id, version, definition, created_at) VALUES (1, 1, 1, '{}', 0)".to_string(),
        ];
        for (i, d) in seconds.iter().enumerate() {
            setup.push(format!(
                "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page,
                    started_at, updated_at, completed_at) VALUES (1, 1, 't{i}', 'vi', 0, 1000, 0, {})",
                1000 + d * 1000 + 999
            ));
        }
        // An imported response (no time spent) and a partial one are not counted.
        setup.push(
            "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page,
            started_at, updated_at, completed_at) VALUES (1, 1, 'imported', 'vi', 0, 50, 50, 50)"
                .into(),
        );
        setup.push(
            "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page,
            started_at, updated_at) VALUES (1, 1, 'partial', 'vi', 0, 50, 50)"
                .into(),
        );
        let migration = include_str!("../../migrations/sqlite/0007_response_quality.sql");
        let backfill = &migration[migration.find("INSERT INTO response_durations").unwrap()..];
        for sql in setup.iter().map(String::as_str).chain([backfill]) {
            sqlx::query(sql).execute(&s.write).await.unwrap();
        }
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT seconds, responses FROM response_durations WHERE version_id = 1 ORDER BY seconds",
        )
        .fetch_all(&s.write)
        .await
        .unwrap();
        let mut expected = std::collections::BTreeMap::<i64, i64>::new();
        for d in seconds {
            *expected.entry(duration_bucket(d)).or_default() += 1;
        }
        assert_eq!(rows, expected.into_iter().collect::<Vec<_>>());
    }
}
