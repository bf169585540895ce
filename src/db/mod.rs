//! The store: one interface over SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! Queries are written once in portable SQL (`$n` placeholders work on both) and run on
//! whichever pool is configured through `on_pool!`, which expands the same code once per
//! backend, so each arm is ordinary monomorphic sqlx code. What is written through a
//! [`Batch`](batch::Batch) (the respondents' writes, the report rollups, the audit log, a
//! draft's save) is written once, as functions over [`RunBatch`](batch::RunBatch), which
//! both backends' connections implement. Backend differences (migrations, row locks, pool
//! shape) are spelled out where they occur.
//!
//! This file holds the [`Store`] itself: its error type, its pools and `on_pool!`,
//! connecting and migrating, and what concerns the whole database (shared secrets, ping,
//! backup, integrity check). The rest of `Store`'s methods live with what they touch:
//!
//! - `surveys`: surveys as respondents' pages and admins' lists read them;
//! - `respondents`: a respondent's start, visit, page post (the entry point; the path is
//!   `page_posts`, group-committed on SQLite by `group_commit`) and deletion;
//! - `scores` and `rollups`: what a completed response adds for the reports;
//! - `reports`: what the reports read, and the rollups' bulk writes; `profiles`: the
//!   rollups per profile that weighted reports read;
//! - `brands`, `drafts` and `publishing`: what admins write; `audit`: who wrote what;
//! - `accounts`: staff accounts, sessions and report share links;
//! - `batch`: statements run together, on either backend;
//! - `test_support`: methods only the tests call.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL: expected sqlite://… or postgres://…")]
    UnsupportedUrl,
    #[error("a brand with slug \"{0}\" already exists")]
    BrandSlugTaken(String),
    #[error("a survey with slug \"{0}\" already exists")]
    SurveySlugTaken(String),
    #[error("a user with e-mail {0} already exists")]
    EmailTaken(String),
    /// An edit of a draft that was published between its read and its write.
    #[error("the draft was published meanwhile; try the edit again")]
    DraftPublishedMeanwhile,
    /// An imported survey does not validate against the brand profile already stored.
    #[error("against the stored brand \"{brand}\": {problem}")]
    BrandMismatch { brand: String, problem: String },
    #[error("backup copies the embedded SQLite database; back up PostgreSQL with pg_dump or base backups")]
    BackupNeedsSqlite,
    #[error("{} already exists", .0.display())]
    FileExists(std::path::PathBuf),
    #[error("unknown table {0:?}")]
    UnknownTable(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    /// A group-committed write did not become durable (see `group_commit`).
    #[error("the write was not committed: {0}")]
    Commit(String),
}

/// Which database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// PostgreSQL: two pools on one database, `DATABASE_POOL` connections between them (three
/// quarters for the pages; at least one each). The respondents' pages (the page's read, the
/// post's read and write, a few statements run thousands of times a second) use connections
/// that keep generic plans; everything else (reports, staff pages, folds, mail) keeps
/// PostgreSQL's default, which plans a statement again for its arguments when that looks
/// cheaper.
///
/// Why: with the default, every page post's statement was planned again at each execution
/// (a fifth of the database's CPU under load, perf); generic plans cut the database's CPU
/// per post by about a fifth (`bench submissions`). The page statements look rows up by
/// unique keys, so one plan fits every argument. Reports read ranges of cuts, days and
/// times whose best plan may depend on the arguments: they keep the default (`bench report`
/// measured no difference either way at 100,000 responses). A generic plan is made again
/// when its tables' statistics change (autovacuum's ANALYZE).
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    pages: PgPool,
}

/// SQLite allows one writer at a time: all writes go through a single connection (so they
/// queue in-process instead of failing with SQLITE_BUSY), reads use a pool in parallel.
/// The respondents' writes (many, small, concurrent) are group-committed on it.
#[derive(Clone)]
pub struct SqliteStore {
    write: SqlitePool,
    read: SqlitePool,
    commits: GroupCommit,
}

/// One of a store's pools, for `on_pool!`.
enum StorePool<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

impl Store {
    /// The pool writes go to (on SQLite its single connection).
    fn write(&self) -> StorePool<'_> {
        match self {
            Store::Sqlite(s) => StorePool::Sqlite(&s.write),
            Store::Postgres(p) => StorePool::Postgres(&p.pool),
        }
    }

    /// The pool reads go to.
    fn read(&self) -> StorePool<'_> {
        match self {
            Store::Sqlite(s) => StorePool::Sqlite(&s.read),
            Store::Postgres(p) => StorePool::Postgres(&p.pool),
        }
    }

    /// The pool the respondents' page reads go to (`PgStore`).
    fn pages(&self) -> StorePool<'_> {
        match self {
            Store::Sqlite(s) => StorePool::Sqlite(&s.read),
            Store::Postgres(p) => StorePool::Postgres(&p.pages),
        }
    }
}

/// Runs `$body` with `$pool` bound to the pool `$pools` holds, expanded once per backend:
/// sqlx's pools, connections and rows are different types on each, and a function generic
/// over both would need a bound for every type it binds or reads. Written like a closure so
/// that rustfmt formats the body, but it is not one: `?` and `return` in the body leave the
/// enclosing function.
macro_rules! on_pool {
    ($pools:expr, |$pool:ident| $body:expr) => {
        match $pools {
            $crate::db::StorePool::Sqlite($pool) => $body,
            $crate::db::StorePool::Postgres($pool) => $body,
        }
    };
}

// After the macro: `on_pool!` is in scope only in the modules declared below it.
mod accounts;
mod audit;
mod batch;
mod brands;
mod drafts;
mod group_commit;
mod listening;
mod mail;
mod mail_queue;
mod page_posts;
mod profiles;
mod publishing;
mod quality;
mod reports;
mod respondents;
mod rollups;
mod scores;
mod surveys;
pub mod test_support;
mod weighting;

use group_commit::GroupCommit;

pub use crate::domain::survey::SurveyStatus;
pub use accounts::{BrandSummary, ReportableSurvey, ShareRecord, UserRecord, UserSummary};
pub use audit::{Actor, AuditEntry};
pub use drafts::Draft;
pub use listening::{
    CodeCountRow, CodeStatus, StoredCode, TextAnswerRow, TextCursor, ValueKeywordRow,
};
pub use mail::{ContactSummary, Outgoing, QueueCounts};
pub use page_posts::postgres::Prefetched;
pub use profiles::ProfileRow;
pub use publishing::{Distribution, InviteCounts, InviteUse, Published};
pub use reports::{CompleteResponse, ReportFilter, RowCursor, VersionSummary};
pub use respondents::{PageOutcome, PostContext, RespondentRow, ResponseSummary, SurveyVisit};
pub use rollups::FOLD_ROWS;

/// PostgreSQL connections an instance keeps at most unless configured (`DATABASE_POOL`).
pub const DEFAULT_POOL: u32 = 16;
pub use surveys::{SurveyListing, SurveyRow};
pub use weighting::WeightingTargets;

/// Current time as Unix milliseconds, the representation of every timestamp column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// JSON text of the list- and map-valued score columns (plain strings and maps cannot fail).
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`); the SQLite file and its
    /// directory are created if missing.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_pooled(url, DEFAULT_POOL).await
    }

    /// As `connect`, with at most `pool` connections to PostgreSQL.
    pub async fn connect_pooled(url: &str, pool: u32) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            // WAL lets readers work beside the writer; synchronous=FULL makes every
            // acknowledged commit durable across power loss, not just process crashes.
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            if let Some(dir) = options
                .get_filename()
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
            }
            // No ping before each use: a connection is an open file in this process, there
            // is nothing to go stale, and the ping is a hand-off to the connection's thread
            // that would double the cost of every read.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            let commits = GroupCommit::start(write.clone())
                .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
            Ok(Store::Sqlite(SqliteStore {
                write,
                read,
                commits,
            }))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            // The pages get three quarters of the connections, the rest everything else.
            let pages_share = (pool - pool / 4).max(1);
            let pool_of = |options: PgConnectOptions, connections: u32| {
                PgPoolOptions::new()
                    .max_connections(connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
            };
            let pages = pool_of(
                options
                    .clone()
                    .options([("plan_cache_mode", "force_generic_plan")]),
                pages_share,
            )
            .await?;
            let pool = pool_of(options, (pool / 4).max(1)).await?;
            Ok(Store::Postgres(PgStore { pool, pages }))
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations, then the maintenance a migration asked for (a rollup
    /// rebuild). On PostgreSQL sqlx holds an advisory lock meanwhile, so several instances
    /// starting at once migrate exactly once; the maintenance task is claimed by deleting
    /// its row, so it too runs once.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => sqlx::migrate!("migrations/sqlite").run(&s.write).await?,
            Store::Postgres(p) => sqlx::migrate!("migrations/postgres").run(&p.pool).await?,
        }
        self.rebuild_rollups_if_asked().await
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => {
                s.read.close().await;
                s.write.close().await;
            }
            Store::Postgres(p) => {
                p.pages.close().await;
                p.pool.close().await;
            }
        }
    }

    /// The shared secret `name` (base64url, 256 bits), made by whichever instance asks first.
    pub async fn server_secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(fresh)
                .execute(pool)
                .await?;
            let (value,): (String,) =
                sqlx::query_as("SELECT value FROM server_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(pool)
                    .await?;
            Ok(value)
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self.read(), |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// A consistent copy of the SQLite database at `path` while the app keeps serving
    /// (`VACUUM INTO` reads one snapshot; writers are not blocked for long). PostgreSQL
    /// deployments back up with their own tools (`pg_dump`, base backups + WAL).
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let Store::Sqlite(s) = self else {
            return Err(StoreError::BackupNeedsSqlite);
        };
        if path.exists() {
            return Err(StoreError::FileExists(path.to_path_buf()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&s.read)
            .await?;
        Ok(())
    }

    /// Whether the database passes SQLite's integrity check (PostgreSQL: a ping).
    pub async fn check_integrity(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (result,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_one(&s.read)
                    .await?;
                Ok(result == "ok")
            }
            Store::Postgres(_) => self.ping().await.map(|_| true),
        }
    }
}
