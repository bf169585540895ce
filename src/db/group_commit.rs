//! Group commit for SQLite: concurrent respondent writes share one durable transaction.
//!
//! SQLite with `synchronous=FULL` pays one fsync per commit (≈ 1.7 ms here), so one
//! transaction per page post caps a server at a few hundred posts per second however idle
//! its CPU is. The committer task takes every write job waiting in its queue (up to
//! [`MAX_BATCH`]), runs each inside its own savepoint of one transaction, commits once,
//! and only then answers each caller. So:
//! - an acknowledged write is durable (the answer is sent after the shared COMMIT);
//! - a job that fails (or panics) is rolled back to its savepoint alone and reports its
//!   error; the other jobs of the batch still commit;
//! - if the COMMIT itself fails, every job of the batch reports the failure and nothing of
//!   the batch is stored.
//!
//! Under no load a batch holds one job, so a lone respondent waits for nothing extra.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use futures_util::FutureExt;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::StoreError;

/// The most jobs one transaction carries (bounds the time any one caller waits).
pub const MAX_BATCH: usize = 256;
/// Jobs that may wait for the committer before callers wait to enqueue (backpressure).
const QUEUE: usize = 4 * MAX_BATCH;

pub type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Tells a waiting caller how its job ended once the batch's commit is known.
type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A type-erased job: runs on the batch's connection (inside its savepoint) and says
/// whether it succeeded, with the callback that answers its caller.
type Job =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, (bool, Deliver)> + Send>;

/// Handle to the committer task; cloning shares the queue.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the committer on `pool` (SQLite's single write connection).
    ///
    /// The committer gets a thread of its own. A batch is a chain of statements, each a
    /// hand-off to the connection's thread and back; as a task among the server's request
    /// tasks, the committer would wait behind all of them at every step of the chain, and
    /// every respondent would wait for that. The thread ends when the last handle is dropped.
    pub fn start(pool: SqlitePool) -> std::io::Result<GroupCommit> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("group-commit".into())
            .spawn(move || runtime.block_on(run(pool, queue)))?;
        Ok(GroupCommit { jobs })
    }

    /// Runs `job` in the next batch and returns its result once the batch is durable.
    /// The job runs inside the batch's transaction, in a savepoint of its own, so it must
    /// not begin a transaction itself.
    pub async fn run<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, StoreError>>();
        let erased: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = job(conn).await;
                let ok = result.is_ok();
                let deliver: Deliver = Box::new(move |commit| {
                    let _ = answer.send(commit.map_err(StoreError::Commit).and(result));
                });
                (ok, deliver)
            })
        });
        self.jobs
            .send(erased)
            .await
            .map_err(|_| StoreError::Commit("the store is closed".into()))?;
        // A dropped answer means the job panicked (its savepoint was rolled back).
        answered
            .await
            .map_err(|_| StoreError::Commit("the write was abandoned".into()))?
    }
}

async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let delivers = commit_batch(&pool, std::mem::take(&mut batch)).await;
        for (deliver, outcome) in delivers {
            deliver(outcome);
        }
    }
}

/// How the statement before a job's savepoint ends what came before it.
#[derive(Clone, Copy)]
enum Before {
    /// Nothing: the batch's transaction begins here.
    Start,
    /// The previous job succeeded: its savepoint becomes part of the transaction.
    Kept,
    /// The previous job failed or panicked: its savepoint is undone.
    Undone,
}

impl Before {
    fn sql(self) -> &'static str {
        match self {
            Before::Start => "BEGIN",
            Before::Kept => "RELEASE job",
            Before::Undone => "ROLLBACK TO job; RELEASE job",
        }
    }
}

/// Runs one batch; returns each job's callback with the outcome to tell it.
///
/// The transaction and savepoints are plain SQL rather than sqlx transactions so that the
/// end of one job's savepoint and the start of the next travel as one statement: each
/// statement is a hand-off to the connection's thread, and the committer's chain of them
/// is what every waiting respondent waits for.
async fn commit_batch(pool: &SqlitePool, batch: Vec<Job>) -> Vec<(Deliver, Result<(), String>)> {
    let mut delivers: Vec<Deliver> = Vec::with_capacity(batch.len());
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        // The jobs are dropped unrun: their callers hear "abandoned".
        Err(_) => return Vec::new(),
    };
    let mut before = Before::Start;
    let result: Result<(), sqlx::Error> = async {
        for job in batch {
            let sql = format!("{}; SAVEPOINT job", before.sql());
            sqlx::query(&sql).execute(&mut *conn).await?;
            before = match AssertUnwindSafe(job(&mut conn)).catch_unwind().await {
                Ok((true, deliver)) => {
                    delivers.push(deliver);
                    Before::Kept
                }
                Ok((false, deliver)) => {
                    delivers.push(deliver);
                    Before::Undone
                }
                // The panic dropped the job's callback; its caller hears "abandoned".
                Err(_) => Before::Undone,
            };
        }
        let sql = format!("{}; COMMIT", before.sql());
        sqlx::query(&sql).execute(&mut *conn).await?;
        Ok(())
    }
    .await;
    if result.is_err() {
        // Leave no transaction open on the pooled connection; if even that fails, the
        // connection is not reused.
        if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_err() {
            conn.close_on_drop();
        }
    }
    // Jobs not reached when the batch failed are dropped too: their callers hear "abandoned".
    let outcome = result.map_err(|e| e.to_string());
    delivers.into_iter().map(|d| (d, outcome.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    async fn pool(dir: &tempfile::TempDir) -> SqlitePool {
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        pool
    }

    fn insert(commits: &GroupCommit, id: i64) -> tokio::task::JoinHandle<Result<i64, StoreError>> {
        let commits = commits.clone();
        tokio::spawn(async move {
            commits
                .run(move |conn| {
                    Box::pin(async move {
                        sqlx::query("INSERT INTO t (id) VALUES ($1)")
                            .bind(id)
                            .execute(&mut *conn)
                            .await?;
                        Ok(id)
                    })
                })
                .await
        })
    }

    async fn stored(pool: &SqlitePool) -> Vec<i64> {
        sqlx::query_scalar("SELECT id FROM t ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn concurrent_jobs_all_commit_and_answer_their_own_result() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir).await;
        let commits = GroupCommit::start(pool.clone()).unwrap();
        let jobs: Vec<_> = (1..=300).map(|id| insert(&commits, id)).collect();
        for (id, job) in (1..=300).zip(jobs) {
            assert_eq!(job.await.unwrap().unwrap(), id);
        }
        assert_eq!(stored(&pool).await, (1..=300).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_failing_or_panicking_job_is_rolled_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir).await;
        let commits = GroupCommit::start(pool.clone()).unwrap();
        // Hold the committer on a slow first job so the rest queue into one batch.
        let slow = {
            let commits = commits.clone();
            tokio::spawn(async move {
                commits
                    .run(|conn| {
                        Box::pin(async move {
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                            sqlx::query("INSERT INTO t (id) VALUES (1)")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let before = insert(&commits, 2);
        let duplicate = insert(&commits, 1);
        let panicking = {
            let commits = commits.clone();
            tokio::spawn(async move {
                commits
                    .run(|conn| {
                        Box::pin(async move {
                            sqlx::query("INSERT INTO t (id) VALUES (99)")
                                .execute(&mut *conn)
                                .await?;
                            let stored: i64 =
                                sqlx::query_scalar("SELECT COUNT(*) FROM t WHERE id = 99")
                                    .fetch_one(&mut *conn)
                                    .await?;
                            assert_eq!(stored, 0, "a bug in one job");
                            Ok(())
                        })
                    })
                    .await
            })
        };
        let after = insert(&commits, 3);
        slow.await.unwrap().unwrap();
        assert_eq!(before.await.unwrap().unwrap(), 2);
        assert!(matches!(
            duplicate.await.unwrap(),
            Err(StoreError::Database(_))
        ));
        assert!(matches!(
            panicking.await.unwrap(),
            Err(StoreError::Commit(_))
        ));
        assert_eq!(after.await.unwrap().unwrap(), 3);
        assert_eq!(stored(&pool).await, vec![1, 2, 3]);
    }
}
