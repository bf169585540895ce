//! A page post on PostgreSQL, in two round trips and one transaction.
//!
//! 1. The read: the respondent's visit (`Store::post_visit`: survey, respondent, stored
//!    answers, a replayed redirect) together with the row's version (`xmin`, which every
//!    update of the row changes) and, for a post of the version's last page, the durations
//!    the speeder rule needs; no transaction is open meanwhile.
//! 2. The domain decides (`settle`), and one statement writes the decision: data-modifying
//!    CTEs that update the respondent row *if it is still the version read* (that update
//!    takes the row's lock, and waits for a concurrent post of the same respondent to end)
//!    and, only if it did, insert the answers, the idempotency key and, for a completion,
//!    the score row and the completion's own rollup and duration rows (`rollups`: no row
//!    another completion writes, so completions of one survey do not queue on each other).
//!    A single statement is atomic: all of it is written, or nothing.
//!
//! If another post of the respondent was written in between, the update matches no row and
//! nothing is written: the post is read and decided again on what that post wrote (a
//! repeated idempotency key then replays). Concurrent posts of one respondent are rare
//! (a double click), so the optimistic write costs less than holding a row lock across a
//! round trip, and no connection waits with a transaction open.

use std::collections::BTreeMap;

use sqlx::{FromRow, PgPool};

use super::{answers_json, settle, PageWrite, PostState};
use crate::db::batch::Arg;
use crate::db::quality::{complete_timing, read_durations, Timing};
use crate::db::respondents::parse_answers;
use crate::db::scores::{score_args, SCORE_INSERT_COLUMNS};
use crate::db::surveys::SurveyRecord;
use crate::db::Backend;
use crate::db::{PageOutcome, PostContext, RespondentRow, StoreError, SurveyVisit};
use crate::domain::flow::PageDecision;
use crate::domain::quality::{Durations, QualityFlags};
use crate::domain::tally::{rollup_keys, Tally};

/// Decisions one post makes at most when other posts of its respondent keep being written
/// between its read and its write.
const ATTEMPTS: usize = 4;

/// What a post's read found about its respondent, to decide on.
pub struct Prefetched {
    state: PostState,
    /// The respondent row's `xmin` when read.
    row_version: String,
    /// The version's duration counts, when read (posts of the last page).
    durations: Option<Durations>,
}

/// The respondent columns a post reads after the survey's (or alone), and the durations
/// (`$4` is the posted page's index; `durations` is NULL unless it is the version's last
/// page, or the version's page count is not known).
fn respondent_columns() -> String {
    format!(
        "r.id AS respondent_id, r.version_id, r.locale, r.current_page, r.completed_at,
         r.block_order, r.started_at, r.updated_at, r.quality, r.xmin::text AS row_version,
         p.redirect_to, {}",
        answers_json(Backend::Postgres)
    )
}

const DURATIONS: &str = "(SELECT COALESCE(string_agg(d.seconds || ':' || d.responses, ','), '')
     FROM response_durations d WHERE d.version_id = r.version_id)";

/// The respondent part of a post's read (NULLs when the token matches nobody).
#[derive(FromRow)]
struct RespondentState {
    respondent_id: Option<i64>,
    version_id: Option<i64>,
    locale: Option<String>,
    current_page: Option<i64>,
    completed_at: Option<i64>,
    block_order: Option<String>,
    started_at: Option<i64>,
    updated_at: Option<i64>,
    quality: Option<i64>,
    row_version: Option<String>,
    redirect_to: Option<String>,
    answers: String,
    durations: Option<String>,
}

#[derive(FromRow)]
struct VisitState {
    #[sqlx(flatten)]
    survey: SurveyRecord,
    #[sqlx(flatten)]
    respondent: RespondentState,
}

impl RespondentState {
    /// The respondent row and what the post decides on; `None` when there is none.
    fn prefetched(self, survey_id: i64) -> Result<Option<(RespondentRow, Prefetched)>, StoreError> {
        let (Some(id), Some(version_id), Some(locale), Some(current_page), Some(row_version)) = (
            self.respondent_id,
            self.version_id,
            self.locale,
            self.current_page,
            self.row_version,
        ) else {
            return Ok(None);
        };
        let respondent = RespondentRow {
            id,
            survey_id,
            version_id,
            locale,
            current_page,
            completed_at: self.completed_at,
            block_order: self.block_order,
        };
        let state = match (self.redirect_to, respondent.completed_at) {
            (Some(to), _) => PostState::Replayed(to),
            (None, Some(_)) => PostState::AlreadyCompleted,
            (None, None) => PostState::Open {
                respondent: respondent.clone(),
                timing: Timing {
                    started_at: self.started_at.unwrap_or_default(),
                    served_at: self.updated_at.unwrap_or_default(),
                    evidence: QualityFlags::from_bits(self.quality.unwrap_or_default()),
                },
                stored: parse_answers(&self.answers)?,
            },
        };
        let durations = self.durations.as_deref().map(parse_durations).transpose()?;
        Ok(Some((
            respondent,
            Prefetched {
                state,
                row_version,
                durations,
            },
        )))
    }
}

/// Duration counts read as "seconds:responses,…" (one row per part: summed here).
fn parse_durations(text: &str) -> Result<Durations, StoreError> {
    let mut durations = Durations::default();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let parsed = pair
            .split_once(':')
            .and_then(|(s, n)| Some((s.parse::<i64>().ok()?, n.parse::<u64>().ok()?)));
        let Some((seconds, n)) = parsed else {
            return Err(StoreError::Corrupt(format!("durations: {pair:?}")));
        };
        durations.add_many(seconds, n);
    }
    Ok(durations)
}

/// The read of a page post (round trip 1): the visit `Store::survey_visit` reads, with the
/// state the post is decided on.
pub async fn post_visit(
    pool: &PgPool,
    slug: &str,
    token_hash: Option<&str>,
    (idem_key, page): (&str, usize),
) -> Result<Option<(SurveyVisit, Option<Prefetched>)>, StoreError> {
    let respondent_columns = respondent_columns();
    let sql = format!(
        "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
            s.access, s.one_per_browser, {respondent_columns},
            CASE WHEN r.completed_at IS NULL AND p.redirect_to IS NULL
                      AND (v.pages IS NULL OR $4 + 1 >= v.pages) THEN {DURATIONS} END AS durations
         FROM surveys s JOIN brands b ON b.id = s.brand_id
         LEFT JOIN respondents r ON r.token_hash = $2 AND r.survey_id = s.id
         LEFT JOIN survey_versions v ON v.id = r.version_id
         LEFT JOIN page_posts p ON p.respondent_id = r.id AND p.idem_key = $3
         WHERE s.slug = $1 AND s.status <> 'draft'"
    );
    let row: Option<VisitState> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(token_hash)
        .bind(idem_key)
        .bind(page as i64)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let survey = crate::db::SurveyRow::try_from(row.survey)?;
    let found = row.respondent.prefetched(survey.id)?;
    let (respondent, prefetched) = found.unzip();
    Ok(Some((
        SurveyVisit {
            survey,
            respondent,
            answers: Vec::new(),
        },
        prefetched,
    )))
}

/// The state of a post read again by the respondent's id (after a concurrent write).
async fn read_again(
    pool: &PgPool,
    respondent_id: i64,
    idem_key: &str,
) -> Result<Prefetched, StoreError> {
    let respondent_columns = respondent_columns();
    let sql = format!(
        "SELECT r.survey_id, {respondent_columns}, {DURATIONS} AS durations
         FROM respondents r
         LEFT JOIN page_posts p ON p.respondent_id = r.id AND p.idem_key = $2
         WHERE r.id = $1"
    );
    let row = sqlx::query(&sql)
        .bind(respondent_id)
        .bind(idem_key)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Ok(Prefetched {
            state: PostState::Gone,
            row_version: String::new(),
            durations: None,
        });
    };
    let survey_id: i64 = sqlx::Row::try_get(&row, "survey_id")?;
    let state = RespondentState::from_row(&row)?;
    Ok(state
        .prefetched(survey_id)?
        .map(|(_, p)| p)
        .unwrap_or(Prefetched {
            state: PostState::Gone,
            row_version: String::new(),
            durations: None,
        }))
}

/// Records one page post (see the module's comment): `prefetched` is what the visit read,
/// if it was read with the post (otherwise it is read here).
pub async fn record<R>(
    pool: &PgPool,
    (respondent_id, idem_key): (i64, &str),
    prefetched: Option<Prefetched>,
    now: i64,
    context: PostContext,
    decide: impl Fn(Vec<(String, String)>) -> Result<PageDecision, R>,
) -> Result<PageOutcome<R>, StoreError> {
    let mut read = match prefetched {
        Some(p) => p,
        None => read_again(pool, respondent_id, idem_key).await?,
    };
    for _ in 0..ATTEMPTS {
        let (write, outcome) = settle(read.state, &context, now, &decide);
        let Some((r, timing, mut write)) = write else {
            return Ok(outcome);
        };
        let mut bucket = None;
        if let Some(scores) = &mut write.completion {
            let so_far = match read.durations {
                Some(d) => d,
                // A completion before the last page (later pages all skipped).
                None => {
                    let mut conn = pool.acquire().await?;
                    let mut all = read_durations(&mut *conn, [r.version_id]).await?;
                    all.remove(&r.version_id).unwrap_or_default()
                }
            };
            let mut durations = BTreeMap::from([(r.version_id, so_far)]);
            let timed = (r.version_id, timing.started_at, now);
            bucket = Some(complete_timing(scores, &mut durations, timed));
        }
        let written =
            write_post(pool, (&r, &read.row_version), idem_key, now, &write, bucket).await?;
        if written {
            return Ok(outcome);
        }
        read = read_again(pool, respondent_id, idem_key).await?;
    }
    Err(StoreError::Commit(
        "other posts of this respondent kept being written meanwhile".into(),
    ))
}

/// Arguments of one statement, numbered as they are added.
#[derive(Default)]
struct Args {
    plain: Vec<(usize, Arg)>,
    ints: Vec<(usize, Vec<i64>)>,
    texts: Vec<(usize, Vec<String>)>,
    count: usize,
}

impl Args {
    /// Adds an argument; returns its placeholder.
    fn one(&mut self, arg: impl Into<Arg>) -> String {
        self.count += 1;
        self.plain.push((self.count, arg.into()));
        format!("${}", self.count)
    }

    fn ints(&mut self, values: Vec<i64>) -> String {
        self.count += 1;
        self.ints.push((self.count, values));
        format!("${}::bigint[]", self.count)
    }

    fn texts(&mut self, values: Vec<String>) -> String {
        self.count += 1;
        self.texts.push((self.count, values));
        format!("${}::text[]", self.count)
    }
}

/// Writes a decided post in one statement (round trip 2); `false` when the respondent row
/// is no longer the version read (nothing was written).
async fn write_post(
    pool: &PgPool,
    (r, row_version): (&RespondentRow, &str),
    idem_key: &str,
    now: i64,
    write: &PageWrite,
    bucket: Option<i64>,
) -> Result<bool, StoreError> {
    let (sql, args) = write_statement((r, row_version), idem_key, now, write, bucket);
    // Placeholders were numbered in the order added; bind them in that order.
    let mut ordered: Vec<(usize, Bound)> = Vec::with_capacity(args.count);
    ordered.extend(args.plain.into_iter().map(|(i, a)| (i, Bound::One(a))));
    ordered.extend(args.ints.into_iter().map(|(i, a)| (i, Bound::Ints(a))));
    ordered.extend(args.texts.into_iter().map(|(i, a)| (i, Bound::Texts(a))));
    ordered.sort_by_key(|(i, _)| *i);
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for (_, bound) in ordered {
        query = match bound {
            Bound::One(Arg::Int(v)) => query.bind(v),
            Bound::One(Arg::Real(v)) => query.bind(v),
            Bound::One(Arg::Text(v)) => query.bind(v),
            Bound::Ints(v) => query.bind(v),
            Bound::Texts(v) => query.bind(v),
        };
    }
    Ok(query.fetch_one(pool).await? == 1)
}

enum Bound {
    One(Arg),
    Ints(Vec<i64>),
    Texts(Vec<String>),
}

/// The statement of [`write_post`]: it returns 1 when the respondent row was the version
/// read (and everything is written), 0 otherwise (nothing is). Every CTE but the first
/// selects from `r`, the updated row, so each writes nothing when it is empty.
fn write_statement(
    (r, row_version): (&RespondentRow, &str),
    idem_key: &str,
    now: i64,
    write: &PageWrite,
    bucket: Option<i64>,
) -> (String, Args) {
    let mut a = Args::default();
    let completed_at = write.completion.as_ref().map(|_| now);
    let mut sql = format!(
        "WITH r AS (
            UPDATE respondents SET current_page = {}, locale = {}, updated_at = {}, completed_at = {},
                quality = {}
            WHERE id = {} AND xmin = {}::xid AND completed_at IS NULL RETURNING id
         )",
        a.one(write.current_page),
        a.one(write.locale),
        a.one(now),
        a.one(completed_at),
        a.one(write.evidence.bits()),
        a.one(r.id),
        a.one(row_version),
    );
    // The last value of a key wins, and a key deleted is not upserted (the SQLite path
    // upserts, then deletes); one row per key (ON CONFLICT may touch a row once).
    let upserts: BTreeMap<&str, &str> = write
        .upserts
        .iter()
        .filter(|(k, _)| !write.deletes.contains(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Only the CTEs this post needs: most posts delete nothing, and every CTE adds to
    // the plan the database initialises for each execution.
    if !upserts.is_empty() {
        sql.push_str(&format!(
            ", answered AS (
                INSERT INTO answers (respondent_id, question_key, value)
                SELECT r.id, u.k, u.v FROM r, unnest({}, {}) AS u(k, v)
                ON CONFLICT (respondent_id, question_key) DO UPDATE SET value = excluded.value
             )",
            a.texts(upserts.keys().map(|k| k.to_string()).collect()),
            a.texts(upserts.values().map(|v| v.to_string()).collect()),
        ));
    }
    if !write.deletes.is_empty() {
        sql.push_str(&format!(
            ", unanswered AS (
                DELETE FROM answers WHERE respondent_id = {} AND question_key = ANY({})
                    AND EXISTS (SELECT 1 FROM r)
             )",
            a.one(r.id),
            a.texts(write.deletes.clone()),
        ));
    }
    sql.push_str(&format!(
        ", posted AS (
            INSERT INTO page_posts (respondent_id, idem_key, redirect_to, created_at)
            SELECT r.id, {}, {}, {} FROM r
         )",
        a.one(idem_key),
        a.one(write.redirect.as_str()),
        a.one(now),
    ));
    if let (Some(scores), Some(bucket)) = (&write.completion, bucket) {
        sql.push_str(&completion_ctes(&mut a, r, now, write, scores, bucket));
    }
    sql.push_str(" SELECT COUNT(*) FROM r");
    (sql, a)
}

/// The CTEs a completion adds: its score row, its duration and its tally under each of its
/// rollup keys, the last two as rows of its own (`part` = the respondent's id).
fn completion_ctes(
    a: &mut Args,
    r: &RespondentRow,
    now: i64,
    write: &PageWrite,
    scores: &crate::domain::scoring::RespondentScores,
    bucket: i64,
) -> String {
    let values: Vec<String> = score_args(
        (r.survey_id, r.version_id),
        (now, Some(bucket)),
        write.locale,
        scores,
    )
    .into_iter()
    .map(|arg| a.one(arg))
    .collect();
    let keys = rollup_keys(now, &write.zone, scores);
    let mut tally = Tally::default();
    tally.add(scores);
    let (survey, version) = (a.one(r.survey_id), a.one(r.version_id));
    format!(
        ", scored AS (
            INSERT INTO respondent_scores ({SCORE_INSERT_COLUMNS}) SELECT r.id, {} FROM r
         ), timed AS (
            INSERT INTO response_durations (version_id, seconds, responses, part)
            SELECT {version}, {}, 1, r.id FROM r
         ), rolled AS (
            INSERT INTO report_rollups (survey_id, version_id, day, cut, tally, part)
            SELECT {survey}, {version}, k.day, k.cut, {}, r.id FROM r, unnest({}, {}) AS k(day, cut)
         )",
        values.join(", "),
        a.one(bucket),
        a.one(crate::db::to_json(&tally)),
        a.ints(keys.iter().map(|(day, _)| *day).collect()),
        a.texts(keys.into_iter().map(|(_, cut)| cut).collect()),
    )
}
