//! The report rollups as a completed response changes them: one tally per survey version,
//! day and cut. Their rebuild from the score rows is `reports`'.
//!
//! A rollup key's figures may be spread over several rows, its *parts*: the folded row
//! (`part` = 0) and, on PostgreSQL, one row per completion not folded yet (`part` = the
//! respondent's id). Every reader sums the parts of a key, so a report is the same before
//! and after a fold. Why parts: a completion that read-modify-wrote the folded rows (its
//! day's row for everyone, its groups' and profiles' rows) would hold their locks until
//! its commit, and every other completion of the survey that day would queue behind it,
//! however many instances run. So on PostgreSQL a completion only inserts rows of its
//! own (`page_posts::postgres`), and [`fold_parts`], in the background, adds them to the
//! folded rows and deletes them in one transaction (its locks contend with other folds
//! only). SQLite has a single writer: its group commit folds each batch's completions
//! straight into the folded rows ([`update_batch_rollups`]), as do loaded responses and
//! deleted respondents on both databases ([`update_rollups`]). `response_durations` and
//! `survey_versions.completed` are kept the same way ([`completed_sql`]); a deletion takes
//! its response out of the duration counts by the bucket its score row keeps
//! (`quality::remove_duration`).

use std::collections::BTreeMap;

use sqlx::{PgConnection, PgPool, SqliteConnection};

use super::batch::{Batch, RunBatch};
use super::{to_json, Backend, Store, StoreError};
use crate::domain::scoring::RespondentScores;
use crate::domain::tally::{split_rollup_cut, Tally};

/// Rollup rows one statement reads at most (bounds the statement's parameters).
pub(super) const ROLLUP_CHUNK: usize = 100;

/// Reads the rollup rows of `keys` in one statement. PostgreSQL locks them for the rest of
/// the transaction, in byte order of the key as Rust sorts them (`COLLATE "C"`), the same
/// order the rows were created in, so concurrent transactions cannot deadlock; SQLite
/// needs no locks (one writer).
fn rollup_select(backend: Backend, keys: usize) -> String {
    let wanted: Vec<String> = (0..keys)
        .map(|i| format!("(day = ${} AND cut = ${})", 2 * i + 3, 2 * i + 4))
        .collect();
    format!(
        "SELECT day, cut, tally FROM report_rollups WHERE survey_id = $1 AND version_id = $2 AND part = 0 AND ({}){}",
        wanted.join(" OR "),
        match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " ORDER BY day, cut COLLATE \"C\" FOR UPDATE",
        }
    )
}

/// Read-modify-writes the folded report rollup rows `keys` ((day, cut) pairs in sorted order) of
/// one survey version in the transaction open on `conn`: creates the missing rows, reads
/// them all (one call with the creates on SQLite), calls `update` on each and adds the
/// rows' updates to `updates`, which the caller runs before committing.
pub(super) async fn update_rollups<'k, C: RunBatch>(
    conn: &mut C,
    (survey_id, version_id): (i64, i64),
    keys: impl IntoIterator<Item = &'k (i64, String)>,
    updates: &mut Batch,
    mut update: impl FnMut(&mut Tally, &(i64, String)) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let keys: Vec<&(i64, String)> = keys.into_iter().collect();
    for chunk in keys.chunks(ROLLUP_CHUNK) {
        let mut read = Batch::default();
        let mut wanted = vec![survey_id.into(), version_id.into()];
        for (day, cut) in chunk {
            read.push(
                "INSERT INTO report_rollups (survey_id, version_id, day, cut, tally) VALUES ($1, $2, $3, $4, '{}')
                 ON CONFLICT DO NOTHING",
                vec![survey_id.into(), version_id.into(), (*day).into(), cut.as_str().into()],
            );
            wanted.extend([(*day).into(), cut.as_str().into()]);
        }
        read.push(rollup_select(C::BACKEND, chunk.len()), wanted);
        let rows: Vec<(i64, String, String)> = conn.fetch_batch(read).await?;
        for (day, cut, json) in rows {
            let mut tally: Tally = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
            let key = (day, cut);
            update(&mut tally, &key)?;
            let (day, cut) = key;
            updates.push(
                "UPDATE report_rollups SET tally = $1 WHERE survey_id = $2 AND version_id = $3 AND day = $4 AND cut = $5 AND part = 0",
                vec![to_json(&tally).into(), survey_id.into(), version_id.into(), day.into(), cut.into()],
            );
        }
    }
    Ok(())
}

/// A response completed by a post of the batch, for the report rollups.
pub(super) struct Completion {
    pub survey_id: i64,
    pub version_id: i64,
    pub keys: Vec<(i64, String)>,
    pub scores: RespondentScores,
}

/// Adds the batch's completed responses to the report rollups: creates the missing rows,
/// reads each touched row once, applies every completion in order, and returns the updates
/// (to be sent with the commit).
pub(super) async fn update_batch_rollups(
    conn: &mut SqliteConnection,
    completions: &[Completion],
) -> Result<Batch, StoreError> {
    let mut by_version: BTreeMap<(i64, i64), Vec<&Completion>> = BTreeMap::new();
    for c in completions {
        by_version
            .entry((c.survey_id, c.version_id))
            .or_default()
            .push(c);
    }
    let mut updates = Batch::default();
    for ((survey_id, version_id), group) in by_version {
        let keys: std::collections::BTreeSet<&(i64, String)> =
            group.iter().flat_map(|c| c.keys.iter()).collect();
        update_rollups(
            &mut *conn,
            (survey_id, version_id),
            keys,
            &mut updates,
            |t, key| {
                for c in group.iter().filter(|c| c.keys.contains(key)) {
                    t.add(&c.scores);
                }
                Ok(())
            },
        )
        .await?;
    }
    Ok(updates)
}

/// Unfolded rows one fold takes at most (of each table): bounds its transaction and memory.
pub const FOLD_ROWS: i64 = 5_000;

/// `survey_versions.completed` of the version row `alias` with its unfolded completions: a
/// completion's unfolded rows include one for everyone, cut "" or "!flags".
pub(super) fn completed_sql(alias: &str) -> String {
    format!(
        "({alias}.completed + (SELECT COUNT(*) FROM report_rollups u
          WHERE u.version_id = {alias}.id AND u.part <> 0 AND (u.cut = '' OR u.cut LIKE '!_')))"
    )
}

impl Store {
    /// Folds up to [`FOLD_ROWS`] unfolded rows of each table ([`fold_parts`]) and returns
    /// how many it folded; SQLite has none.
    pub async fn fold(&self) -> Result<usize, StoreError> {
        match self {
            Store::Sqlite(_) => Ok(0),
            Store::Postgres(p) => fold_parts(&p.pool).await,
        }
    }
}

/// Folds up to [`FOLD_ROWS`] unfolded rows of each table into the folded rows, in one
/// transaction, and returns how many it folded. Rows another fold holds are skipped (`SKIP
/// LOCKED`), so folds on several instances share the work; the folded rows are locked in
/// key order (`update_rollups`), as respondent deletions and loads lock them, so no two
/// transactions wait on each other in a circle.
async fn fold_parts(pool: &PgPool) -> Result<usize, StoreError> {
    let mut tx = pool.begin().await?;
    let rows: Vec<(i64, i64, i64, String, i64, String)> = sqlx::query_as(
        "SELECT survey_id, version_id, day, cut, part, tally FROM report_rollups
         WHERE part <> 0 ORDER BY version_id, part LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(FOLD_ROWS)
    .fetch_all(&mut *tx)
    .await?;
    let durations: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT version_id, seconds, part, responses FROM response_durations
         WHERE part <> 0 ORDER BY part LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(FOLD_ROWS)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() && durations.is_empty() {
        return Ok(0);
    }
    fold_rollup_rows(&mut tx, &rows).await?;
    fold_duration_rows(&mut tx, &durations).await?;
    tx.commit().await?;
    Ok(rows.len() + durations.len())
}

/// Folds unfolded rollup `rows` (survey, version, day, cut, part, tally): their sums added
/// to the folded rows (read and locked in key order), the rows deleted, and the versions'
/// completed counts raised by their completions.
async fn fold_rollup_rows(
    tx: &mut PgConnection,
    rows: &[(i64, i64, i64, String, i64, String)],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    type Sums = BTreeMap<(i64, String), Tally>;
    let mut by_version: BTreeMap<(i64, i64), Sums> = BTreeMap::new();
    let mut completed: BTreeMap<i64, i64> = BTreeMap::new();
    for (survey, version, day, cut, _, json) in rows {
        let tally: Tally =
            serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
        if split_rollup_cut(cut).1.is_empty() {
            *completed.entry(*version).or_default() += 1;
        }
        by_version
            .entry((*survey, *version))
            .or_default()
            .entry((*day, cut.clone()))
            .or_default()
            .merge(&tally);
    }
    for (survey_version, sums) in &by_version {
        add_to_folded(&mut *tx, *survey_version, sums).await?;
    }
    sqlx::query(
        "DELETE FROM report_rollups r
         USING unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[])
            AS f(survey_id, version_id, day, cut, part)
         WHERE r.part <> 0 AND r.survey_id = f.survey_id AND r.version_id = f.version_id
           AND r.day = f.day AND r.cut = f.cut AND r.part = f.part",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE survey_versions v SET completed = v.completed + f.n
         FROM unnest($1::bigint[], $2::bigint[]) AS f(id, n) WHERE v.id = f.id",
    )
    .bind(completed.keys().copied().collect::<Vec<_>>())
    .bind(completed.values().copied().collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Adds `sums` ((day, cut) → tally) to the folded rows of one survey version, in three
/// statements whatever the number of keys (`update_rollups` sends one per key, which on
/// PostgreSQL is a round trip each): creates the missing rows, reads them all locked in
/// key order (as `update_rollups` locks them), writes them all back.
async fn add_to_folded(
    tx: &mut PgConnection,
    (survey_id, version_id): (i64, i64),
    sums: &BTreeMap<(i64, String), Tally>,
) -> Result<(), StoreError> {
    let days: Vec<i64> = sums.keys().map(|(day, _)| *day).collect();
    let cuts: Vec<String> = sums.keys().map(|(_, cut)| cut.clone()).collect();
    sqlx::query(
        "INSERT INTO report_rollups (survey_id, version_id, day, cut, tally)
         SELECT $1, $2, k.day, k.cut, '{}' FROM unnest($3::bigint[], $4::text[]) AS k(day, cut)
         ON CONFLICT DO NOTHING",
    )
    .bind(survey_id)
    .bind(version_id)
    .bind(&days)
    .bind(&cuts)
    .execute(&mut *tx)
    .await?;
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT r.day, r.cut, r.tally FROM report_rollups r
         JOIN unnest($3::bigint[], $4::text[]) AS k(day, cut) ON r.day = k.day AND r.cut = k.cut
         WHERE r.survey_id = $1 AND r.version_id = $2 AND r.part = 0
         ORDER BY r.day, r.cut COLLATE \"C\" FOR UPDATE OF r",
    )
    .bind(survey_id)
    .bind(version_id)
    .bind(&days)
    .bind(&cuts)
    .fetch_all(&mut *tx)
    .await?;
    let (mut days, mut cuts, mut tallies) = (Vec::new(), Vec::new(), Vec::new());
    for (day, cut, json) in rows {
        let mut tally: Tally =
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
        if let Some(sum) = sums.get(&(day, cut.clone())) {
            tally.merge(sum);
        }
        days.push(day);
        cuts.push(cut);
        tallies.push(to_json(&tally));
    }
    sqlx::query(
        "UPDATE report_rollups r SET tally = k.tally
         FROM unnest($3::bigint[], $4::text[], $5::text[]) AS k(day, cut, tally)
         WHERE r.survey_id = $1 AND r.version_id = $2 AND r.part = 0 AND r.day = k.day
           AND r.cut = k.cut",
    )
    .bind(survey_id)
    .bind(version_id)
    .bind(days)
    .bind(cuts)
    .bind(tallies)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Folds unfolded duration rows (version, seconds, part, responses).
async fn fold_duration_rows(
    tx: &mut PgConnection,
    rows: &[(i64, i64, i64, i64)],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sums: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for (version, seconds, _, responses) in rows {
        *sums.entry((*version, *seconds)).or_default() += responses;
    }
    sqlx::query(
        "INSERT INTO response_durations (version_id, seconds, responses)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])
         ON CONFLICT (version_id, seconds, part)
         DO UPDATE SET responses = response_durations.responses + excluded.responses",
    )
    .bind(sums.keys().map(|k| k.0).collect::<Vec<_>>())
    .bind(sums.keys().map(|k| k.1).collect::<Vec<_>>())
    .bind(sums.values().copied().collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM response_durations d
         USING unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS f(version_id, seconds, part)
         WHERE d.part <> 0 AND d.version_id = f.version_id AND d.seconds = f.seconds
           AND d.part = f.part",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::Count;
    use sqlx::{Connection, SqliteConnection};

    #[tokio::test]
    async fn update_rollups_creates_the_missing_rows_and_updates_each_once() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query(
            "CREATE TABLE report_rollups (survey_id INTEGER, version_id INTEGER, day INTEGER,
                cut TEXT, tally TEXT, part INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (survey_id, cut, day, version_id, part))",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let keys = [(1, String::new()), (1, "q:a".to_string())];
        for added in [&keys[..1], &keys[..]] {
            let mut updates = Batch::default();
            update_rollups(&mut conn, (7, 8), added, &mut updates, |t, _| {
                t.responses += Count::of(1);
                Ok(())
            })
            .await
            .unwrap();
            assert_eq!(updates.len(), added.len());
            conn.run_batch(updates).await.unwrap();
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT cut, tally FROM report_rollups WHERE survey_id = 7 AND version_id = 8 ORDER BY cut")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let responses: Vec<(String, u64)> = rows
            .into_iter()
            .map(|(cut, json)| {
                (
                    cut,
                    serde_json::from_str::<Tally>(&json).unwrap().responses.n,
                )
            })
            .collect();
        assert_eq!(responses, [(String::new(), 2), ("q:a".to_string(), 1)]);
    }
}
