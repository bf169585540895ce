//! The report rollups as a completed response changes them: one tally per survey version,
//! day and cut, read-modify-written in the transaction that adds the response (a page post,
//! loaded responses) or takes it away (a deleted respondent). Their rebuild from the score
//! rows is `reports`'.

use std::collections::BTreeMap;

use sqlx::SqliteConnection;

use super::batch::{Batch, RunBatch};
use super::{to_json, Backend, StoreError};
use crate::domain::scoring::RespondentScores;
use crate::domain::tally::Tally;

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
        "SELECT day, cut, tally FROM report_rollups WHERE survey_id = $1 AND version_id = $2 AND ({}){}",
        wanted.join(" OR "),
        match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " ORDER BY day, cut COLLATE \"C\" FOR UPDATE",
        }
    )
}

/// Read-modify-writes the report rollup rows `keys` ((day, cut) pairs in sorted order) of
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
                "UPDATE report_rollups SET tally = $1 WHERE survey_id = $2 AND version_id = $3 AND day = $4 AND cut = $5",
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
                cut TEXT, tally TEXT, PRIMARY KEY (survey_id, cut, day, version_id))",
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
