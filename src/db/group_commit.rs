//! Group commit for SQLite: concurrent respondent writes share one durable transaction.
//!
//! SQLite with `synchronous=FULL` pays one fsync per commit, so one transaction per page
//! post would cap a server at the disk's fsync rate however idle its CPU is. The committer
//! task takes every write job waiting in its queue (up to [`MAX_BATCH`]), runs each inside
//! its own savepoint of one transaction, commits once, and only then answers each caller.
//! So:
//! - an acknowledged write is durable (the answer is sent after the shared COMMIT);
//! - a job that fails (or panics) is rolled back to its savepoint alone and reports its
//!   error; the other jobs of the batch still commit;
//! - if the batch fails otherwise (the COMMIT, or the report rollups of its page posts),
//!   every job of the batch reports the failure and nothing of the batch is stored.
//!
//! Page posts, the bulk of the writes, are not run as separate jobs: the batch's posts are
//! read with one statement, then each is decided and written with one call, and their
//! report rollups are updated once (`page_posts::write_posts`).
//! Under no load a batch holds one job, so a lone respondent waits for nothing extra.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use futures_util::FutureExt;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::batch::{Batch, Deliver, RunBatch};
use super::page_posts::{write_posts, PagePost};
use super::StoreError;

/// The most jobs one transaction carries (bounds the time any one caller waits).
pub const MAX_BATCH: usize = 256;
/// Jobs that may wait for the committer before callers wait to enqueue (backpressure).
const QUEUE: usize = 4 * MAX_BATCH;

pub type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Any write, type-erased: runs on the batch's connection inside its own savepoint and
/// says whether it succeeded, with the callback that answers its caller.
type EachJob =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, (bool, Deliver)> + Send>;

/// A job for the committer.
enum Job {
    Each(EachJob),
    /// A page post: the batch's posts are read together (`page_posts::write_posts`).
    Post(PagePost),
}

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
        let erased = Job::Each(Box::new(move |conn| {
            Box::pin(async move {
                let result = job(conn).await;
                let ok = result.is_ok();
                let deliver: Deliver = Box::new(move |durable| {
                    let _ = answer.send(durable.and(result));
                });
                (ok, deliver)
            })
        }));
        self.enqueue(erased).await?;
        // A dropped answer means the job panicked (its savepoint was rolled back).
        answered
            .await
            .map_err(|_| StoreError::Commit("the write was abandoned".into()))?
    }

    /// Queues a page post for the next batch; the post answers its caller itself.
    pub async fn post(&self, post: PagePost) -> Result<(), StoreError> {
        self.enqueue(Job::Post(post)).await
    }

    async fn enqueue(&self, job: Job) -> Result<(), StoreError> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| StoreError::Commit("the store is closed".into()))
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

/// Runs one batch; returns each job's callback with the outcome to tell it.
///
/// The transaction and savepoints are plain SQL rather than sqlx transactions so that
/// they travel with the statements around them (`lead`: what must run before the next
/// statement sent): each call is a hand-off to the connection's thread, and the
/// committer's chain of them is what every waiting respondent waits for. The jobs of a
/// batch are concurrent requests, none answered yet, so any order of them is a valid one:
/// page posts go first, all together.
async fn commit_batch(
    pool: &SqlitePool,
    batch: Vec<Job>,
) -> Vec<(Deliver, Result<(), StoreError>)> {
    let mut delivers: Vec<(Deliver, Result<(), StoreError>)> = Vec::with_capacity(batch.len());
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        // The jobs are dropped unrun: their callers hear "abandoned".
        Err(_) => return Vec::new(),
    };
    let (mut posts, mut each) = (Vec::new(), Vec::new());
    for job in batch {
        match job {
            Job::Post(post) => posts.push(post),
            Job::Each(job) => each.push(job),
        }
    }
    let mut lead = Batch::default();
    lead.push("BEGIN", Vec::new());
    let result: Result<(), StoreError> = async {
        if !posts.is_empty() {
            lead = write_posts(&mut conn, lead, posts, &mut delivers).await?;
        }
        for job in each {
            lead.push("SAVEPOINT job", Vec::new());
            conn.run_batch(std::mem::take(&mut lead)).await?;
            let ok = match AssertUnwindSafe(job(&mut conn)).catch_unwind().await {
                Ok((ok, deliver)) => {
                    delivers.push((deliver, Ok(())));
                    ok
                }
                // The panic dropped the job's callback; its caller hears "abandoned".
                Err(_) => false,
            };
            if !ok {
                lead.push("ROLLBACK TO job", Vec::new());
            }
            lead.push("RELEASE job", Vec::new());
        }
        lead.push("COMMIT", Vec::new());
        Ok(conn.run_batch(lead).await?)
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
    let failure = result.err().map(|e| e.to_string());
    delivers
        .into_iter()
        .map(|(deliver, own)| {
            let outcome = match &failure {
                Some(e) => Err(StoreError::Commit(e.clone())),
                None => own,
            };
            (deliver, outcome)
        })
        .collect()
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
