//! The store: one interface over SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! Queries are written once in portable SQL (`$n` placeholders work on both) and run on
//! whichever pool is configured through `on_pool!`, which expands the same code once per
//! backend, so each arm is ordinary monomorphic sqlx code. What is written through a
//! [`Batch`] (the respondents' writes, the report rollups, the audit log) is written once,
//! as functions over [`RunBatch`], which both backends' connections implement. Backend
//! differences (migrations, row locks, pool shape) are spelled out where they occur.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::domain::flow::PageDecision;
use crate::domain::scoring::RespondentScores;
use crate::domain::tally::{rollup_keys, Tally};
use crate::domain::{BrandProfile, Locale, SurveyDefinition};

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
    Postgres(PgPool),
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
            Store::Postgres(p) => StorePool::Postgres(p),
        }
    }

    /// The pool reads go to.
    fn read(&self) -> StorePool<'_> {
        match self {
            Store::Sqlite(s) => StorePool::Sqlite(&s.read),
            Store::Postgres(p) => StorePool::Postgres(p),
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

/// Adds the insert of one row of `respondent_scores` to `batch`.
fn push_scores(
    batch: &mut Batch,
    (respondent_id, survey_id, version_id): (i64, i64, i64),
    completed_at: i64,
    locale: &str,
    s: &RespondentScores,
) {
    batch.push(
        "INSERT INTO respondent_scores (respondent_id, survey_id, version_id, completed_at, locale,
            values_bond, contact_bond, bond_class, alignment, shared_values, contact_actual, contact_preferred,
            contact_fit, nps, nps_class, relationship, relationship_reason, advocacy, voice, story_recall, segments,
            importance, perception, congruence_items, contact_items, block_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
            $22, $23, $24, $25, $26)",
        vec![
            respondent_id.into(),
            survey_id.into(),
            version_id.into(),
            completed_at.into(),
            locale.into(),
            s.values_bond.into(),
            s.contact_bond.into(),
            s.bond_class.as_str().into(),
            s.alignment.into(),
            to_json(&s.shared_values).into(),
            s.contact_actual.map(i64::from).into(),
            s.contact_preferred.map(i64::from).into(),
            s.contact_fit.map(|f| f.as_str()).into(),
            s.nps.map(i64::from).into(),
            s.nps_class.map(|c| c.as_str()).into(),
            s.relationship.clone().into(),
            s.relationship_reason.clone().into(),
            s.advocacy.clone().into(),
            s.voice.into(),
            s.story_recall.clone().into(),
            to_json(&s.segments).into(),
            to_json(&s.importance).into(),
            to_json(&s.perception).into(),
            to_json(&s.congruence_items).into(),
            to_json(&s.contact_items).into(),
            s.block_order.map(|o| o.as_str()).into(),
        ],
    );
}

/// The time zone of a stored survey definition, read without parsing the rest of it.
fn zone_of_definition(json: &str) -> Result<crate::domain::zone::SurveyZone, StoreError> {
    #[derive(serde::Deserialize)]
    struct ZoneOnly {
        #[serde(default)]
        time_zone: Option<String>,
    }
    let only: ZoneOnly = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("survey definition: {e}")))?;
    Ok(only
        .time_zone
        .and_then(|name| crate::domain::zone::SurveyZone::parse(&name))
        .unwrap_or_default())
}

/// Rollup rows one statement reads at most (bounds the statement's parameters).
const ROLLUP_CHUNK: usize = 100;

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
async fn update_rollups<'k, C: RunBatch>(
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

mod accounts;
mod authoring;
mod batch;
mod group_commit;
mod page_posts;
mod reports;
pub mod test_support;

use batch::{Batch, RunBatch};
use group_commit::GroupCommit;

pub use accounts::{BrandSummary, ReportableSurvey, ShareRecord, UserRecord, UserSummary};
pub use authoring::{
    Actor, AuditEntry, Distribution, Draft, InviteCounts, InviteUse, Published, SurveyListing,
};
pub use reports::{CompleteResponse, ReportFilter, RowCursor, VersionSummary};

/// Current time as Unix milliseconds, the representation of every timestamp column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Lifecycle of a survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
    Archived,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
            SurveyStatus::Archived => "archived",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "draft" => SurveyStatus::Draft,
            "open" => SurveyStatus::Open,
            "closed" => SurveyStatus::Closed,
            "archived" => SurveyStatus::Archived,
            other => return Err(StoreError::Corrupt(format!("survey status {other:?}"))),
        })
    }
}

/// Decodes the answers read as one JSON text `[[key, value], …]` (`page_posts::answers_json`).
pub(crate) fn parse_answers(json: &str) -> Result<Vec<(String, String)>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("answers: {e}")))
}

/// A survey with its brand's name, as `survey_by_slug`, `public_surveys` and `survey_visit`
/// select it (surveys `s` joined with brands `b`).
#[derive(sqlx::FromRow)]
struct SurveyRecord {
    id: i64,
    slug: String,
    status: String,
    live_version_id: Option<i64>,
    brand_id: i64,
    brand_name: String,
    access: String,
    one_per_browser: i64,
}

/// A survey as the respondent pages need it.
#[derive(Clone, Debug)]
pub struct SurveyRow {
    pub id: i64,
    pub slug: String,
    pub status: SurveyStatus,
    pub live_version_id: Option<i64>,
    pub brand_id: i64,
    pub brand_name: String,
    pub distribution: Distribution,
}

impl TryFrom<SurveyRecord> for SurveyRow {
    type Error = StoreError;
    fn try_from(r: SurveyRecord) -> Result<Self, StoreError> {
        Ok(SurveyRow {
            id: r.id,
            slug: r.slug,
            status: SurveyStatus::parse(&r.status)?,
            live_version_id: r.live_version_id,
            brand_id: r.brand_id,
            brand_name: r.brand_name,
            distribution: Distribution {
                invite_only: r.access == "invite",
                one_per_browser: r.one_per_browser != 0,
            },
        })
    }
}

/// A respondent's progress through one survey version.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RespondentRow {
    pub id: i64,
    pub survey_id: i64,
    pub version_id: i64,
    pub locale: String,
    /// Zero-based index of the page to show next.
    pub current_page: i64,
    pub completed_at: Option<i64>,
    /// The order the bond blocks are shown in ("values_first" / "contact_first"), drawn at
    /// the start; NULL for respondents of a survey that cannot counterbalance them.
    pub block_order: Option<String>,
}

impl RespondentRow {
    pub fn block_order(&self) -> Option<crate::domain::flow::BlockOrder> {
        self.block_order
            .as_deref()
            .and_then(crate::domain::flow::BlockOrder::parse)
    }
}

/// A survey as a respondent's request sees it (see `Store::survey_visit`).
#[derive(Clone, Debug)]
pub struct SurveyVisit {
    pub survey: SurveyRow,
    pub respondent: Option<RespondentRow>,
    /// (question key, stored text); empty unless asked for.
    pub answers: Vec<(String, String)>,
}

/// The row of `survey_visit`: the survey, the respondent's columns (NULL when the token
/// matches nobody of this survey) and their answers as one JSON text.
#[derive(sqlx::FromRow)]
struct VisitRow {
    #[sqlx(flatten)]
    survey: SurveyRecord,
    respondent_id: Option<i64>,
    version_id: Option<i64>,
    locale: Option<String>,
    current_page: Option<i64>,
    completed_at: Option<i64>,
    block_order: Option<String>,
    answers: String,
}

/// What a page post is recorded with besides its decision: the survey's slug (for the
/// redirect), the language the respondent answers in, and the survey's time zone (the
/// report rollups count a completion on its local day).
#[derive(Clone, Debug)]
pub struct PostContext {
    pub slug: String,
    pub locale: Locale,
    pub zone: crate::domain::zone::SurveyZone,
}

/// The result of a page post.
#[derive(Debug)]
pub enum PageOutcome<R> {
    Written(String),
    /// The idempotency key was seen before: nothing written, same redirect.
    Replayed(String),
    AlreadyCompleted,
    /// The respondent no longer exists (deleted).
    Gone,
    /// The caller refused the post after seeing the stored answers; nothing written.
    Rejected(R),
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`); the SQLite file and its
    /// directory are created if missing.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
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
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Store::Postgres(pool))
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
            Store::Postgres(p) => sqlx::migrate!("migrations/postgres").run(p).await?,
        }
        self.rebuild_rollups_if_asked().await
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => {
                s.read.close().await;
                s.write.close().await;
            }
            Store::Postgres(p) => p.close().await,
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

    /// Imports a survey definition as version 1 of a new survey; creates its brand if the
    /// slug is new, otherwise uses the stored brand profile (and checks the survey against it).
    /// Returns the survey id.
    pub async fn import_survey(
        &self,
        def: &SurveyDefinition,
        publish: bool,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        let mut def = def.clone();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let existing: Option<(i64, String)> =
                sqlx::query_as("SELECT id, profile FROM brands WHERE slug = $1")
                    .bind(&def.brand.slug)
                    .fetch_optional(&mut *tx)
                    .await?;
            let brand_id = match existing {
                Some((id, profile)) => {
                    def.brand = serde_json::from_str::<BrandProfile>(&profile)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    def.validate().map_err(|e| StoreError::BrandMismatch {
                        brand: def.brand.slug.clone(),
                        problem: e.to_string(),
                    })?;
                    id
                }
                None => {
                    let profile = serde_json::to_string(&def.brand)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    let (id,): (i64,) = sqlx::query_as("INSERT INTO brands (slug, name, profile, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(&def.brand.slug)
                        .bind(&def.brand.name)
                        .bind(profile)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    id
                }
            };
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM surveys WHERE slug = $1")
                .bind(&def.slug)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::SurveySlugTaken(def.slug.clone()));
            }
            let status = if publish {
                SurveyStatus::Open
            } else {
                SurveyStatus::Draft
            };
            let (survey_id,): (i64,) = sqlx::query_as("INSERT INTO surveys (brand_id, slug, status, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(brand_id)
                .bind(&def.slug)
                .bind(status.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let (version_id,): (i64,) = sqlx::query_as(
                "INSERT INTO survey_versions (survey_id, version, definition, created_at, published_at) VALUES ($1, 1, $2, $3, $4) RETURNING id",
            )
            .bind(survey_id)
            .bind(serde_json::to_string(&def).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(now)
            .bind(publish.then_some(now))
            .fetch_one(&mut *tx)
            .await?;
            if publish {
                sqlx::query("UPDATE surveys SET live_version_id = $1 WHERE id = $2")
                    .bind(version_id)
                    .bind(survey_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(survey_id)
        })
    }

    /// Whether a survey with this slug exists (any status).
    pub async fn survey_exists(&self, slug: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id FROM surveys WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    pub async fn survey_by_slug(&self, slug: &str) -> Result<Option<SurveyRow>, StoreError> {
        let sql =
            "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                s.access, s.one_per_browser
             FROM surveys s JOIN brands b ON b.id = s.brand_id WHERE s.slug = $1";
        let record: Option<SurveyRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(sql).bind(slug).fetch_optional(pool).await?
        });
        record.map(SurveyRow::try_from).transpose()
    }

    /// Open surveys with a live version that anyone may answer (not invite-only), for the
    /// home page.
    pub async fn public_surveys(&self) -> Result<Vec<SurveyRow>, StoreError> {
        let sql =
            "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                s.access, s.one_per_browser
             FROM surveys s JOIN brands b ON b.id = s.brand_id
             WHERE s.status = 'open' AND s.live_version_id IS NOT NULL AND s.access <> 'invite'
             ORDER BY s.id";
        let records: Vec<SurveyRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        records.into_iter().map(SurveyRow::try_from).collect()
    }

    /// The stored definition of a survey version.
    pub async fn version_definition(
        &self,
        version_id: i64,
    ) -> Result<Option<SurveyDefinition>, StoreError> {
        let row: Option<(String,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT definition FROM survey_versions WHERE id = $1")
                .bind(version_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(json,)| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("version {version_id}: {e}")))
        })
        .transpose()
    }

    /// Starts a respondent, or returns the one already started with this token
    /// (a double-clicked "Start" must not create two).
    pub async fn start_respondent(
        &self,
        survey_id: i64,
        version_id: i64,
        token_hash: &str,
        locale: &str,
        first_page: i64,
        block_order: Option<crate::domain::flow::BlockOrder>,
    ) -> Result<RespondentRow, StoreError> {
        // On a repeated token the no-op update makes RETURNING give the existing row, so
        // one statement both starts and finds.
        let mut start = Batch::default();
        start.push(
            "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page, started_at, updated_at, block_order)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
             ON CONFLICT (token_hash) DO UPDATE SET token_hash = excluded.token_hash
             RETURNING id, survey_id, version_id, locale, current_page, completed_at, block_order",
            vec![
                survey_id.into(),
                version_id.into(),
                token_hash.into(),
                locale.into(),
                first_page.into(),
                now_ms().into(),
                block_order.map(|o| o.as_str()).into(),
            ],
        );
        // On SQLite a job of the group commit; on PostgreSQL one statement is a durable
        // transaction of its own.
        let mut rows: Vec<RespondentRow> = match self {
            Store::Sqlite(s) => {
                s.commits
                    .run(move |conn| Box::pin(async move { Ok(conn.fetch_batch(start).await?) }))
                    .await?
            }
            Store::Postgres(p) => p.acquire().await?.fetch_batch(start).await?,
        };
        Ok(rows.pop().ok_or(sqlx::Error::RowNotFound)?)
    }

    /// What a respondent's page needs, in one statement: the survey (not a draft), the
    /// respondent `token_hash` belongs to if they answer this survey, and with
    /// `with_answers` their answers, as one JSON text (`page_posts::answers_json`). Every
    /// statement is a hand-off to a connection's thread on SQLite and a round trip on
    /// PostgreSQL, so the respondent pages, the hot path under load, read once.
    pub async fn survey_visit(
        &self,
        slug: &str,
        token_hash: Option<&str>,
        with_answers: bool,
    ) -> Result<Option<SurveyVisit>, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                    s.access, s.one_per_browser,
                    r.id AS respondent_id, r.version_id, r.locale, r.current_page, r.completed_at, r.block_order,
                    (SELECT json_group_array(json_array(a.question_key, a.value)) FROM answers a
                     WHERE a.respondent_id = r.id AND $3) AS answers
                 FROM surveys s JOIN brands b ON b.id = s.brand_id
                 LEFT JOIN respondents r ON r.token_hash = $2 AND r.survey_id = s.id
                 WHERE s.slug = $1 AND s.status <> 'draft'"
            }
            Backend::Postgres => {
                "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                    s.access, s.one_per_browser,
                    r.id AS respondent_id, r.version_id, r.locale, r.current_page, r.completed_at, r.block_order,
                    (SELECT COALESCE(json_agg(json_build_array(a.question_key, a.value)), '[]')::text FROM answers a
                     WHERE a.respondent_id = r.id AND $3) AS answers
                 FROM surveys s JOIN brands b ON b.id = s.brand_id
                 LEFT JOIN respondents r ON r.token_hash = $2 AND r.survey_id = s.id
                 WHERE s.slug = $1 AND s.status <> 'draft'"
            }
        };
        let row: Option<VisitRow> = on_pool!(self.read(), |pool| {
            sqlx::query_as(sql)
                .bind(slug)
                .bind(token_hash)
                .bind(with_answers)
                .fetch_optional(pool)
                .await?
        });
        let Some(row) = row else {
            return Ok(None);
        };
        let survey = SurveyRow::try_from(row.survey)?;
        let respondent = match (
            row.respondent_id,
            row.version_id,
            row.locale,
            row.current_page,
        ) {
            (Some(id), Some(version_id), Some(locale), Some(current_page)) => Some(RespondentRow {
                id,
                survey_id: survey.id,
                version_id,
                locale,
                current_page,
                completed_at: row.completed_at,
                block_order: row.block_order,
            }),
            _ => None,
        };
        Ok(Some(SurveyVisit {
            survey,
            respondent,
            answers: parse_answers(&row.answers)?,
        }))
    }

    /// A respondent's stored answers as (question key, stored text).
    pub async fn answers(&self, respondent_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT question_key, value FROM answers WHERE respondent_id = $1 ORDER BY question_key")
                .bind(respondent_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Records one page post durably: the idempotency key is checked, then `decide` (the
    /// domain's `flow::decide_page`) sees the stored answers and says what to write. A
    /// repeated key replays the first outcome; nothing is ever written twice. How each
    /// backend does it: `page_posts`.
    pub async fn record_page<R: Send + 'static>(
        &self,
        respondent_id: i64,
        idem_key: &str,
        context: PostContext,
        decide: impl FnOnce(Vec<(String, String)>) -> Result<PageDecision, R> + Send + 'static,
    ) -> Result<PageOutcome<R>, StoreError> {
        let now = now_ms();
        match self {
            Store::Sqlite(s) => {
                let (post, answered) =
                    page_posts::queued(respondent_id, idem_key, now, context, decide);
                s.commits.post(post).await?;
                // A dropped answer means the decision panicked or the batch failed before it.
                answered
                    .await
                    .map_err(|_| StoreError::Commit("the write was abandoned".into()))?
            }
            Store::Postgres(p) => {
                page_posts::record_on_postgres(p, respondent_id, idem_key, now, context, decide)
                    .await
            }
        }
    }

    /// Deletes a respondent and everything stored about them.
    pub async fn delete_respondent(&self, respondent_id: i64) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let mut writes = Batch::default();
            // A completed response leaves the report rollups too.
            let scored: Option<reports::ScoreRecord> = sqlx::query_as(&format!(
                "SELECT {} FROM respondent_scores WHERE respondent_id = $1",
                reports::SCORE_COLUMNS
            ))
            .bind(respondent_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(record) = scored {
                let (survey_id, row) = record.into_response()?;
                let (definition,): (String,) =
                    sqlx::query_as("SELECT definition FROM survey_versions WHERE id = $1")
                        .bind(row.version_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let keys = rollup_keys(
                    row.completed_at,
                    &zone_of_definition(&definition)?,
                    &row.scores,
                );
                update_rollups(
                    &mut *tx,
                    (survey_id, row.version_id),
                    &keys,
                    &mut writes,
                    |t, _| {
                        t.apply(&row.scores, -1)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))
                    },
                )
                .await?;
                writes.push(
                    "UPDATE survey_versions SET completed = completed - 1 WHERE id = $1",
                    vec![row.version_id.into()],
                );
            }
            for delete in [
                "DELETE FROM respondent_scores WHERE respondent_id = $1",
                "DELETE FROM page_posts WHERE respondent_id = $1",
                "DELETE FROM answers WHERE respondent_id = $1",
                "DELETE FROM respondents WHERE id = $1",
            ] {
                writes.push(delete, vec![respondent_id.into()]);
            }
            tx.run_batch(writes).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Counts of (started, completed) respondents of a survey.
    pub async fn respondent_counts(&self, survey_id: i64) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(completed_at) FROM respondents WHERE survey_id = $1",
            )
            .bind(survey_id)
            .fetch_one(pool)
            .await?
        }))
    }
}

/// JSON text of the list- and map-valued score columns (plain strings and maps cannot fail).
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

impl Store {
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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, SqliteConnection};

    /// The statements that read a `SurveyRecord` or a `RespondentRow` spell out their
    /// columns: each must read every field.
    #[tokio::test]
    async fn the_survey_and_respondent_reads_decode_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        for sql in [
            "INSERT INTO brands (id, slug, name, profile, created_at) VALUES (1, 'b', 'Brand', '{}', 0)",
            "INSERT INTO surveys (id, brand_id, slug, status, live_version_id, created_at, one_per_browser)
             VALUES (1, 1, 's', 'open', 1, 0, 1)",
            "INSERT INTO survey_versions (id, survey_id, version, definition, created_at, published_at)
             VALUES (1, 1, 1, '{}', 0, 0)",
        ] {
            sqlx::query(sql).execute(&s.write).await.unwrap();
        }
        let started = store
            .start_respondent(1, 1, "t", "vi", 2, None)
            .await
            .unwrap();
        assert_eq!((started.survey_id, started.current_page), (1, 2));
        sqlx::query(
            "INSERT INTO answers (respondent_id, question_key, value) VALUES ($1, 'q', 'a')",
        )
        .bind(started.id)
        .execute(&s.write)
        .await
        .unwrap();

        let survey = store.survey_by_slug("s").await.unwrap().unwrap();
        assert_eq!(
            (
                survey.id,
                survey.status,
                survey.live_version_id,
                survey.brand_name.as_str()
            ),
            (1, SurveyStatus::Open, Some(1), "Brand")
        );
        assert_eq!(
            survey.distribution,
            Distribution {
                invite_only: false,
                one_per_browser: true
            }
        );
        assert_eq!(store.public_surveys().await.unwrap().len(), 1);
        let visit = store
            .survey_visit("s", Some("t"), true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(visit.survey.slug, "s");
        let respondent = visit.respondent.unwrap();
        assert_eq!(
            (
                respondent.id,
                respondent.version_id,
                respondent.locale.as_str()
            ),
            (started.id, 1, "vi")
        );
        assert_eq!(visit.answers, [("q".to_string(), "a".to_string())]);
        let visit = store
            .survey_visit("s", Some("x"), false)
            .await
            .unwrap()
            .unwrap();
        assert!(visit.respondent.is_none() && visit.answers.is_empty());
    }

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
                t.responses += 1;
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
            .map(|(cut, json)| (cut, serde_json::from_str::<Tally>(&json).unwrap().responses))
            .collect();
        assert_eq!(responses, [(String::new(), 2), ("q:a".to_string(), 1)]);
    }
}
