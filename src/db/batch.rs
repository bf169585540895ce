//! Statements that run together: one hand-off on SQLite, one after another on PostgreSQL.
//!
//! On SQLite every statement is a hand-off to the connection's thread and back, and under
//! load those hand-offs, not SQLite's own work, are what a page post costs. SQLite runs a
//! string of several statements in one call, so a [`Batch`] sends all of them at once.
//! PostgreSQL cannot prepare several statements in one message, so there they run one by
//! one (in the caller's transaction either way). Statements are written once, each
//! numbering its own placeholders from `$1`, and [`RunBatch`] runs them on either
//! backend's connection, so code that goes through batches is written once for both.

use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, Either, Encode, FromRow, PgConnection, SqliteConnection, Type};

use super::{Backend, StoreError};

/// One argument of a batched statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        Arg::Int(v)
    }
}

impl From<Option<f64>> for Arg {
    fn from(v: Option<f64>) -> Arg {
        Arg::Real(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(Some(v.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(Some(v))
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Arg {
        Arg::Text(v.map(str::to_owned))
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Arg {
        Arg::Text(v)
    }
}

/// Binds `args` to `query`, on either backend.
pub(super) fn bind_args<'q, DB: Database>(
    query: Query<'q, DB, DB::Arguments<'q>>,
    args: impl IntoIterator<Item = Arg>,
) -> Query<'q, DB, DB::Arguments<'q>>
where
    Option<i64>: Encode<'q, DB> + Type<DB>,
    Option<f64>: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
{
    args.into_iter().fold(query, |query, arg| match arg {
        Arg::Int(v) => query.bind(v),
        Arg::Real(v) => query.bind(v),
        Arg::Text(v) => query.bind(v),
    })
}

/// Tells a waiting caller how its write ended once its batch's commit is known: `Ok` when
/// the write is durable (the SQLite group commit answers every caller this way).
pub type Deliver = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// Statements that need nothing read between them (the rows they read come back together,
/// [`RunBatch::fetch_batch`]), each a single statement (so that, on SQLite, a failure can be
/// traced to the statement that failed).
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<(String, Vec<Arg>)>,
}

impl Batch {
    /// Adds a statement whose placeholders are `$1` … `$n` for `args`.
    pub fn push(&mut self, sql: impl Into<String>, args: Vec<Arg>) {
        self.statements.push((sql.into(), args));
    }

    /// Adds every statement of `other` after this batch's.
    pub fn append(&mut self, other: Batch) {
        self.statements.extend(other.statements);
    }

    /// How many statements the batch holds.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    /// The statements as one SQLite string, placeholders renumbered to run on through it.
    fn joined(&self) -> String {
        let mut offset = 0;
        let mut out = String::new();
        for (sql, args) in &self.statements {
            out.push_str(&renumber(sql, offset));
            out.push_str(";\n");
            offset += args.len();
        }
        out
    }
}

/// `sql` with every placeholder `$n` turned into `$(n + offset)`. (No statement of the
/// store has a `$` inside a literal.)
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&digits),
        }
    }
    out
}

/// A connection of either backend: what goes through a [`Batch`] is written once for both
/// (the report rollups, the audit log, a respondent's start).
pub trait RunBatch: Send {
    const BACKEND: Backend;

    /// Runs the statements of `batch` in order.
    fn run_batch(
        &mut self,
        batch: Batch,
    ) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send;

    /// Runs the statements of `batch` in order and returns the rows they read.
    fn fetch_batch<T>(
        &mut self,
        batch: Batch,
    ) -> impl std::future::Future<Output = Result<Vec<T>, sqlx::Error>> + Send
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send;
}

/// Why a batch failed on SQLite, and how far it got.
#[derive(Debug)]
pub struct BatchFailure {
    /// Statements of the batch that completed before the one that failed.
    pub completed: usize,
    pub error: sqlx::Error,
}

/// Runs `batch` on SQLite in one call and returns the rows its statements read, in order.
/// With `persistent` the connection keeps the call's statements prepared for the next call
/// with the same text; text that rarely repeats would only push useful ones out.
pub async fn run_sqlite(
    conn: &mut SqliteConnection,
    batch: Batch,
    persistent: bool,
) -> Result<Vec<SqliteRow>, BatchFailure> {
    let mut rows = Vec::new();
    if batch.statements.is_empty() {
        return Ok(rows);
    }
    let sql = batch.joined();
    let args = batch.statements.into_iter().flat_map(|(_, args)| args);
    let query = bind_args(sqlx::query(&sql), args).persistent(persistent);
    // The stream reports the end of each statement (`Left`) after its rows (`Right`).
    let mut completed = 0;
    let mut stream = sqlx::Executor::fetch_many(conn, query);
    loop {
        match stream.try_next().await {
            Ok(Some(Either::Left(_))) => completed += 1,
            Ok(Some(Either::Right(row))) => rows.push(row),
            Ok(None) => return Ok(rows),
            Err(error) => return Err(BatchFailure { completed, error }),
        }
    }
}

impl RunBatch for SqliteConnection {
    const BACKEND: Backend = Backend::Sqlite;

    async fn run_batch(&mut self, batch: Batch) -> Result<(), sqlx::Error> {
        run_sqlite(self, batch, true)
            .await
            .map(|_| ())
            .map_err(|f| f.error)
    }

    async fn fetch_batch<T>(&mut self, batch: Batch) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send,
    {
        let rows = run_sqlite(self, batch, true).await.map_err(|f| f.error)?;
        rows.iter().map(T::from_row).collect()
    }
}

impl RunBatch for PgConnection {
    const BACKEND: Backend = Backend::Postgres;

    async fn run_batch(&mut self, batch: Batch) -> Result<(), sqlx::Error> {
        for (sql, args) in batch.statements {
            bind_args(sqlx::query(&sql), args)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    async fn fetch_batch<T>(&mut self, batch: Batch) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send,
    {
        let mut read = Vec::new();
        for (sql, args) in batch.statements {
            for row in bind_args(sqlx::query(&sql), args)
                .fetch_all(&mut *self)
                .await?
            {
                read.push(T::from_row(&row)?);
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_run_on_through_the_joined_statements() {
        assert_eq!(
            renumber("UPDATE t SET a = $1, b = $12 WHERE c = $2", 3),
            "UPDATE t SET a = $4, b = $15 WHERE c = $5"
        );
        assert_eq!(renumber("SELECT '$'", 3), "SELECT '$'");
        let mut batch = Batch::default();
        batch.push("INSERT INTO t VALUES ($1, $2)", vec![1.into(), "a".into()]);
        batch.push("UPDATE u SET x = $1", vec![None::<i64>.into()]);
        assert_eq!(
            batch.joined(),
            "INSERT INTO t VALUES ($1, $2);\nUPDATE u SET x = $3;\n"
        );
    }

    #[tokio::test]
    async fn a_batch_runs_every_statement_with_its_own_arguments_on_sqlite() {
        use sqlx::Connection;
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, r REAL)")
            .execute(&mut conn)
            .await
            .unwrap();
        let mut batch = Batch::default();
        batch.push(
            "INSERT INTO t (k, n, r) VALUES ($1, $2, $3)",
            vec!["a".into(), 1.into(), Some(0.5).into()],
        );
        batch.push(
            "INSERT INTO t (k, n, r) VALUES ($1, $2, $3)",
            vec!["b".into(), None::<i64>.into(), None::<f64>.into()],
        );
        batch.push(
            "UPDATE t SET n = $1 WHERE k = $2",
            vec![7.into(), "a".into()],
        );
        conn.run_batch(batch).await.unwrap();
        let rows: Vec<(String, Option<i64>, Option<f64>)> =
            sqlx::query_as("SELECT k, n, r FROM t ORDER BY k")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![("a".into(), Some(7), Some(0.5)), ("b".into(), None, None)]
        );
    }

    #[tokio::test]
    async fn a_failing_batch_on_sqlite_says_how_many_statements_completed() {
        use sqlx::{Connection, Row};
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let mut batch = Batch::default();
        batch.push("CREATE TABLE t (k INTEGER PRIMARY KEY)", Vec::new());
        batch.push(
            "INSERT INTO t (k) VALUES ($1), ($2)",
            vec![1.into(), 2.into()],
        );
        batch.push("SELECT k FROM t WHERE k > $1 ORDER BY k", vec![0.into()]);
        let rows = run_sqlite(&mut conn, batch, false).await.unwrap();
        let read: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(read, vec![1, 2]);

        let mut failing = Batch::default();
        failing.push("INSERT INTO t (k) VALUES ($1)", vec![3.into()]);
        failing.push("INSERT INTO t (k) VALUES ($1)", vec![1.into()]);
        failing.push("INSERT INTO t (k) VALUES ($1)", vec![4.into()]);
        let Err(failure) = run_sqlite(&mut conn, failing, false).await else {
            panic!("a duplicate key must fail")
        };
        assert_eq!(failure.completed, 1);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            count, 3,
            "the statements before the failing one ran, the rest did not"
        );
    }
}
