//! Page posts: the write every respondent waits for.
//!
//! A post reads the respondent's state (the respondent, whether this idempotency key was
//! seen, the answers so far), has the domain decide on it (`flow::decide_page`), and
//! writes the decision; a repeated key replays the first outcome, so nothing is ever
//! written twice. One post, end to end:
//!
//! ```text
//! api::respondent    Store::record_page    page_posts (this file)       domain::flow
//!   post_page ──────▶ queued (SQLite) ───▶ read state
//!                     or postgres::record       │ stored answers ──────▶ decide_page
//!                                               │ ◀── PageDecision or Refusal
//!                                               │ write answers, scores, rollups; COMMIT
//!   redirect  ◀────── PageOutcome ◀─────────────┘
//! ```
//!
//! - On PostgreSQL (`postgres`) the state comes with the visit's read, and the writes are
//!   one statement of data-modifying CTEs that writes only if the respondent row is still
//!   the version read (`xmin`); otherwise the post reads and decides again.
//! - On SQLite the group commit (`group_commit`) hands over all the posts of its batch at
//!   once ([`write_posts`]): one statement reads the state of all of them, each is decided
//!   in memory, each post's writes go out as one call in a savepoint of its own (so a
//!   failing post is rolled back alone), and the report rollups of the posts that complete
//!   a response are read and updated once for the batch. Every call is a hand-off to the
//!   connection's thread and back, which the single committer waits for; this way a post
//!   costs one call.

pub mod postgres;

use std::collections::{BTreeMap, HashSet};
use std::panic::AssertUnwindSafe;

use sqlx::{FromRow, SqliteConnection};
use tokio::sync::oneshot;

use super::batch::{run_sqlite, Arg, Batch, Deliver, RunBatch};
use super::quality::{complete_timing, evidence_after, fold_duration, read_durations, Timing};
use super::respondents::parse_answers;
use super::rollups::{update_batch_rollups, Completion};
use super::scores::push_scores;
use super::{Backend, PageOutcome, PostContext, RespondentRow, StoreError};
use crate::domain::flow::PageDecision;
use crate::domain::quality::QualityFlags;
use crate::domain::scoring::RespondentScores;
use crate::domain::tally::rollup_keys;
use crate::domain::zone::SurveyZone;

/// What a post is decided on.
pub enum PostState {
    /// The respondent no longer exists (deleted).
    Gone,
    /// The idempotency key was seen before: the redirect it got then.
    Replayed(String),
    AlreadyCompleted,
    Open {
        respondent: RespondentRow,
        timing: Timing,
        stored: Vec<(String, String)>,
    },
}

/// The decision on one post: what to write, if anything, and how to tell the caller once
/// it is known whether the write is durable.
pub struct Decided {
    write: Option<(RespondentRow, Timing, PageWrite)>,
    deliver: Deliver,
}

/// A page post waiting for the SQLite committer.
pub struct PagePost {
    respondent_id: i64,
    idem_key: String,
    now: i64,
    decide: Box<dyn FnOnce(PostState) -> Decided + Send>,
}

/// What a decided post writes.
struct PageWrite {
    upserts: Vec<(String, String)>,
    deletes: Vec<String>,
    current_page: i64,
    locale: &'static str,
    /// The respondent's bot evidence after this post (`quality::evidence_after`).
    evidence: QualityFlags,
    /// Present when this post completes the response (its flags but the speeder one,
    /// which `quality::complete_timing` adds).
    completion: Option<RespondentScores>,
    zone: SurveyZone,
    /// Where the respondent goes next; replayed for a repeated idempotency key.
    redirect: String,
}

impl PageWrite {
    fn of(
        decision: PageDecision,
        context: &PostContext,
        (respondent, timing): (&RespondentRow, Timing),
        now: i64,
    ) -> PageWrite {
        let evidence = evidence_after(
            timing,
            context.honeypot,
            context.time_pages,
            decision.timed_questions,
            now,
        );
        PageWrite {
            upserts: decision.upserts,
            deletes: decision.deletes,
            current_page: decision.current_page as i64,
            locale: context.locale.code(),
            evidence,
            // The scores say which bond block came first (the respondent's drawn order)
            // and carry the bot evidence of every page.
            completion: decision.completion.map(|mut scores| {
                scores.block_order = respondent.block_order();
                scores.quality = scores.quality.union(evidence);
                scores
            }),
            zone: context.zone.clone(),
            redirect: decision.next.href(&context.slug),
        }
    }
}

/// Turns the stored state and the decision into what to write and what to answer.
fn settle<R>(
    state: PostState,
    context: &PostContext,
    now: i64,
    decide: impl FnOnce(Vec<(String, String)>) -> Result<PageDecision, R>,
) -> (Option<(RespondentRow, Timing, PageWrite)>, PageOutcome<R>) {
    match state {
        PostState::Gone => (None, PageOutcome::Gone),
        PostState::Replayed(to) => (None, PageOutcome::Replayed(to)),
        PostState::AlreadyCompleted => (None, PageOutcome::AlreadyCompleted),
        PostState::Open {
            respondent,
            timing,
            stored,
        } => match decide(stored) {
            Ok(decision) => {
                let write = PageWrite::of(decision, context, (&respondent, timing), now);
                let to = write.redirect.clone();
                (Some((respondent, timing, write)), PageOutcome::Written(to))
            }
            Err(refusal) => (None, PageOutcome::Rejected(refusal)),
        },
    }
}

/// The answers of respondent `r` as one JSON text `[[key, value], …]` (`[]` when there are
/// none), for [`parse_answers`]: one row per read instead of one per answer. On SQLite every
/// row is a hand-off from the connection's thread (a wake-up) and a copy of every other
/// column, which cost more than the query itself. (`Store::survey_visit` reads the answers
/// the same way.)
fn answers_json(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "(SELECT json_group_array(json_array(a.question_key, a.value)) FROM answers a
              WHERE a.respondent_id = r.id) AS answers"
        }
        Backend::Postgres => {
            "(SELECT COALESCE(json_agg(json_build_array(a.question_key, a.value)), '[]')::text
              FROM answers a WHERE a.respondent_id = r.id) AS answers"
        }
    }
}

/// SQLite's read of the state of `posts` posts (PostgreSQL reads a post's state with its
/// visit, `postgres::post_visit`): arguments (job index, respondent id, idempotency key) per
/// post; one row per post whose respondent exists, tagged with its job.
fn state_sql(posts: usize) -> String {
    let wanted: Vec<String> = (0..posts)
        .map(|i| {
            format!(
                "(CAST(${} AS BIGINT), CAST(${} AS BIGINT), CAST(${} AS TEXT))",
                3 * i + 1,
                3 * i + 2,
                3 * i + 3
            )
        })
        .collect();
    let answers = answers_json(Backend::Sqlite);
    format!(
        "WITH q (job, rid, idem) AS (VALUES {})
         SELECT q.job, r.id, r.survey_id, r.version_id, r.locale, r.current_page, r.completed_at,
                r.block_order, r.started_at, r.updated_at, r.quality, p.redirect_to, {answers}
         FROM q JOIN respondents r ON r.id = q.rid
         LEFT JOIN page_posts p ON p.respondent_id = r.id AND p.idem_key = q.idem",
        wanted.join(", "),
    )
}

fn state_args<'a>(posts: impl Iterator<Item = (i64, &'a str)>) -> Vec<Arg> {
    posts
        .enumerate()
        .flat_map(|(job, (respondent_id, idem_key))| {
            [(job as i64).into(), respondent_id.into(), idem_key.into()]
        })
        .collect()
}

/// One row of `state_sql`: which post it is for, the respondent, a replayed redirect and
/// the stored answers (`answers_json`).
#[derive(FromRow)]
struct StateRow {
    job: i64,
    #[sqlx(flatten)]
    respondent: RespondentRow,
    started_at: i64,
    updated_at: i64,
    quality: i64,
    redirect_to: Option<String>,
    answers: String,
}

/// The state of each of `posts` posts from the rows `state_sql` read (a post without a row
/// has no respondent any more).
fn states(rows: Vec<StateRow>, posts: usize) -> Result<Vec<PostState>, StoreError> {
    let mut states: Vec<PostState> = (0..posts).map(|_| PostState::Gone).collect();
    for row in rows {
        let Some(state) = usize::try_from(row.job)
            .ok()
            .and_then(|j| states.get_mut(j))
        else {
            continue;
        };
        *state = match (row.redirect_to, row.respondent.completed_at) {
            (Some(to), _) => PostState::Replayed(to),
            (None, Some(_)) => PostState::AlreadyCompleted,
            (None, None) => PostState::Open {
                respondent: row.respondent,
                timing: Timing {
                    started_at: row.started_at,
                    served_at: row.updated_at,
                    evidence: QualityFlags::from_bits(row.quality),
                },
                stored: parse_answers(&row.answers)?,
            },
        };
    }
    Ok(states)
}

/// Everything a decided post writes but the report rollups (read-modify-write, done per
/// post on PostgreSQL and per batch on SQLite).
/// `bucket`: a completion's duration bucket (`complete_timing`), stored with its scores.
fn page_writes(
    r: &RespondentRow,
    idem_key: &str,
    now: i64,
    write: &PageWrite,
    bucket: Option<i64>,
) -> Batch {
    let mut batch = Batch::default();
    // The page's answers are one upsert; a key twice in one statement is an error on
    // PostgreSQL, so the last value wins.
    let upserts: BTreeMap<&str, &str> = write
        .upserts
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if !upserts.is_empty() {
        let rows: Vec<String> = (0..upserts.len())
            .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
            .collect();
        let mut args: Vec<Arg> = vec![r.id.into()];
        for (key, value) in upserts {
            args.extend([key.into(), value.into()]);
        }
        batch.push(
            format!(
                "INSERT INTO answers (respondent_id, question_key, value) VALUES {}
                 ON CONFLICT (respondent_id, question_key) DO UPDATE SET value = excluded.value",
                rows.join(", ")
            ),
            args,
        );
    }
    for key in &write.deletes {
        batch.push(
            "DELETE FROM answers WHERE respondent_id = $1 AND question_key = $2",
            vec![r.id.into(), key.as_str().into()],
        );
    }
    let completed_at = write.completion.as_ref().map(|_| now);
    batch.push(
        "UPDATE respondents SET current_page = $1, locale = $2, updated_at = $3, completed_at = $4, quality = $5
         WHERE id = $6",
        vec![
            write.current_page.into(),
            write.locale.into(),
            now.into(),
            completed_at.into(),
            write.evidence.bits().into(),
            r.id.into(),
        ],
    );
    if let Some(s) = &write.completion {
        push_scores(
            &mut batch,
            (r.id, r.survey_id, r.version_id),
            (now, bucket),
            write.locale,
            s,
        );
        batch.push(
            "UPDATE survey_versions SET completed = completed + 1 WHERE id = $1",
            vec![r.version_id.into()],
        );
    }
    batch.push(
        "INSERT INTO page_posts (respondent_id, idem_key, redirect_to, created_at) VALUES ($1, $2, $3, $4)",
        vec![
            r.id.into(),
            idem_key.into(),
            write.redirect.as_str().into(),
            now.into(),
        ],
    );
    batch
}

/// A page post for the SQLite group commit (`GroupCommit::post`), and where its outcome
/// arrives once the batch that carries it is durable.
pub fn queued<R: Send + 'static>(
    respondent_id: i64,
    idem_key: &str,
    now: i64,
    context: PostContext,
    decide: impl FnOnce(Vec<(String, String)>) -> Result<PageDecision, R> + Send + 'static,
) -> (
    PagePost,
    oneshot::Receiver<Result<PageOutcome<R>, StoreError>>,
) {
    let (answer, answered) = oneshot::channel();
    let post = PagePost {
        respondent_id,
        idem_key: idem_key.to_owned(),
        now,
        decide: Box::new(move |state| {
            let (write, outcome) = settle(state, &context, now, decide);
            let deliver: Deliver = Box::new(move |durable| {
                let _ = answer.send(durable.map(|()| outcome));
            });
            Decided { write, deliver }
        }),
    };
    (post, answered)
}

/// A decided post's writes, waiting to go out.
struct Pending {
    writes: Batch,
    /// Its place in the batch's `delivers`.
    slot: usize,
    completion: Option<Completion>,
}

/// Runs the page posts of one group-commit batch inside its open transaction.
///
/// `lead` is what must run before anything else (the BEGIN); it travels with the first
/// read. Each post's callback goes to `delivers` with its own result; the batch's commit
/// decides the rest. Returns the statements still to run before the commit (the rollup
/// updates), for the caller to send with its next statement. An `Err` fails the batch.
pub async fn write_posts(
    conn: &mut SqliteConnection,
    lead: Batch,
    posts: Vec<PagePost>,
    delivers: &mut Vec<(Deliver, Result<(), StoreError>)>,
) -> Result<Batch, StoreError> {
    let mut lead = lead;
    let mut waiting = posts;
    let mut completions = Vec::new();
    while !waiting.is_empty() {
        // A round holds one post per respondent: a second post of the same respondent (a
        // double submit) must see what the first wrote, so it waits for the next round.
        let mut seen = HashSet::new();
        let (round, later): (Vec<PagePost>, Vec<PagePost>) = waiting
            .into_iter()
            .partition(|p| seen.insert(p.respondent_id));
        waiting = later;

        let mut read = std::mem::take(&mut lead);
        read.push(
            state_sql(round.len()),
            state_args(round.iter().map(|p| (p.respondent_id, p.idem_key.as_str()))),
        );
        let rows = run_sqlite(conn, read, false)
            .await
            .map_err(|f| StoreError::Database(f.error))?;
        let rows = rows
            .iter()
            .map(StateRow::from_row)
            .collect::<Result<Vec<_>, _>>()?;

        let mut decided = Vec::new();
        let count = round.len();
        for (post, state) in round.into_iter().zip(states(rows, count)?) {
            let PagePost {
                idem_key,
                now,
                decide,
                ..
            } = post;
            // The decision is the caller's code: if it panics, the post is dropped (its
            // caller hears "abandoned") and the committer carries on.
            let Ok(Decided { write, deliver }) =
                std::panic::catch_unwind(AssertUnwindSafe(|| decide(state)))
            else {
                continue;
            };
            delivers.push((deliver, Ok(())));
            if let Some(write) = write {
                decided.push(DecidedWrite {
                    idem_key,
                    now,
                    write,
                    slot: delivers.len() - 1,
                });
            }
        }
        let pending = pending_writes(conn, decided).await?;
        lead = write_pending(conn, pending, delivers, &mut completions).await?;
    }
    if completions.is_empty() {
        return Ok(lead);
    }
    conn.run_batch(std::mem::take(&mut lead)).await?;
    update_batch_rollups(conn, &completions).await
}

/// A post of a round that will write: its key, time, what to write and its slot in
/// `delivers`.
struct DecidedWrite {
    idem_key: String,
    now: i64,
    write: (RespondentRow, Timing, PageWrite),
    slot: usize,
}

/// The writes of a round's decided posts. Completions first read the durations of their versions (one statement) to
/// set their speeder flags, in order, each counting in the next one's median.
async fn pending_writes(
    conn: &mut SqliteConnection,
    decided: Vec<DecidedWrite>,
) -> Result<Vec<Pending>, StoreError> {
    let completing: std::collections::BTreeSet<i64> = decided
        .iter()
        .filter(|d| d.write.2.completion.is_some())
        .map(|d| d.write.0.version_id)
        .collect();
    let mut durations = read_durations(&mut *conn, completing).await?;
    let mut pending = Vec::new();
    for DecidedWrite {
        idem_key,
        now,
        write: (r, timing, mut write),
        slot,
    } in decided
    {
        let mut writes = Batch::default();
        let bucket = write.completion.as_mut().map(|scores| {
            complete_timing(
                scores,
                &mut durations,
                (r.version_id, timing.started_at, now),
            )
        });
        if let Some(bucket) = bucket {
            fold_duration(&mut writes, r.version_id, bucket);
        }
        writes.append(page_writes(&r, &idem_key, now, &write, bucket));
        let completion = write.completion.map(|scores| Completion {
            survey_id: r.survey_id,
            version_id: r.version_id,
            keys: rollup_keys(now, &write.zone, &scores),
            scores,
        });
        pending.push(Pending {
            writes,
            slot,
            completion,
        });
    }
    Ok(pending)
}

/// Sends the writes of decided posts, each post in one call between "SAVEPOINT post" and
/// "RELEASE post", so a failing post is rolled back alone (and told its error) while the
/// others are written. One call per post rather than one for all: a call's text is kept
/// prepared and a post's repeats with the shape of its page, while a call of the whole
/// batch would be new text every time, and parsing its many statements costs more CPU than
/// the hand-offs it saves. Returns what must run next (the end of a failed post's
/// savepoint), to travel with the caller's next statement.
async fn write_pending(
    conn: &mut SqliteConnection,
    pending: Vec<Pending>,
    delivers: &mut [(Deliver, Result<(), StoreError>)],
    completions: &mut Vec<Completion>,
) -> Result<Batch, StoreError> {
    let mut lead = Batch::default();
    for post in pending {
        let mut call = std::mem::take(&mut lead);
        let before = call.len();
        call.push("SAVEPOINT post", Vec::new());
        call.append(post.writes);
        call.push("RELEASE post", Vec::new());
        match run_sqlite(conn, call, true).await {
            Ok(_) => completions.extend(post.completion),
            // The statements sent ahead of the post failed: the batch fails.
            Err(f) if f.completed < before => return Err(StoreError::Database(f.error)),
            Err(f) => {
                delivers[post.slot].1 = Err(StoreError::Database(f.error));
                lead.push("ROLLBACK TO post", Vec::new());
                lead.push("RELEASE post", Vec::new());
            }
        }
    }
    Ok(lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use std::time::Duration;

    /// A store with one survey and `n` started respondents; an answer "boom" fails to insert.
    async fn store_with_respondents(dir: &tempfile::TempDir, n: usize) -> (Store, Vec<i64>) {
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        for sql in [
            "INSERT INTO brands (id, slug, name, profile, created_at) VALUES (1, 'b', 'B', '{}', 0)",
            "INSERT INTO surveys (id, brand_id, slug, status, created_at) VALUES (1, 1, 's', 'open', 0)",
            "INSERT INTO survey_versions (id, survey_id, version, definition, created_at) VALUES (1, 1, 1, '{}', 0)",
            "CREATE TRIGGER boom BEFORE INSERT ON answers WHEN NEW.value = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        ] {
            sqlx::query(sql).execute(&s.write).await.unwrap();
        }
        let mut ids = Vec::new();
        for i in 0..n {
            let r = store
                .start_respondent(1, 1, &format!("t{i}"), "vi", 0, None)
                .await
                .unwrap();
            ids.push(r.id);
        }
        (store, ids)
    }

    /// Posts answer q1 = `value` and q2 = how many answers were stored before, with survey
    /// slug `slug` (so the redirect tells which post's decision was written).
    fn post(
        store: &Store,
        respondent_id: i64,
        idem: &str,
        value: &str,
        slug: &str,
    ) -> tokio::task::JoinHandle<Result<PageOutcome<()>, StoreError>> {
        let (store, idem, value) = (store.clone(), idem.to_owned(), value.to_owned());
        let context = PostContext {
            slug: slug.to_owned(),
            locale: crate::domain::Locale::Vi,
            zone: Default::default(),
            honeypot: false,
            time_pages: true,
        };
        tokio::spawn(async move {
            store
                .record_page(respondent_id, &idem, None, context, move |stored| {
                    Ok(PageDecision {
                        upserts: vec![
                            ("q1".into(), value.clone()),
                            ("q2".into(), stored.len().to_string()),
                        ],
                        deletes: Vec::new(),
                        current_page: 1,
                        completion: None,
                        next: crate::domain::flow::Destination::Page(1),
                        timed_questions: 0,
                    })
                })
                .await
        })
    }

    #[tokio::test]
    async fn the_posts_of_one_batch_are_written_together_and_a_failing_one_alone_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let (store, ids) = store_with_respondents(&dir, 3).await;
        let Store::Sqlite(s) = &store else {
            unreachable!()
        };
        // Hold the committer on a slow job so the posts queue into one batch.
        let slow = {
            let commits = s.commits.clone();
            tokio::spawn(async move {
                commits
                    .run(|_| {
                        Box::pin(async {
                            tokio::time::sleep(Duration::from_millis(150)).await;
                            Ok(())
                        })
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(30)).await;
        let first = post(&store, ids[0], "a", "x", "a");
        let failing = post(&store, ids[1], "b", "boom", "b");
        let other = post(&store, ids[2], "c", "y", "c");
        // A double submit of the first respondent: a later round, it sees the first's answers.
        let second = post(&store, ids[0], "d", "z", "d");
        let replay = post(&store, ids[2], "c", "ignored", "ignored");
        let gone = post(&store, 999, "e", "x", "e");
        slow.await.unwrap().unwrap();

        assert!(matches!(first.await.unwrap(), Ok(PageOutcome::Written(to)) if to == "/s/a/p/2"));
        assert!(matches!(
            failing.await.unwrap(),
            Err(StoreError::Database(_))
        ));
        assert!(matches!(other.await.unwrap(), Ok(PageOutcome::Written(_))));
        assert!(matches!(second.await.unwrap(), Ok(PageOutcome::Written(_))));
        assert!(matches!(replay.await.unwrap(), Ok(PageOutcome::Replayed(to)) if to == "/s/c/p/2"));
        assert!(matches!(gone.await.unwrap(), Ok(PageOutcome::Gone)));

        assert_eq!(
            store.answers(ids[0]).await.unwrap(),
            vec![("q1".into(), "z".into()), ("q2".into(), "2".into())]
        );
        assert!(store.answers(ids[1]).await.unwrap().is_empty());
        assert_eq!(
            store.answers(ids[2]).await.unwrap(),
            vec![("q1".into(), "y".into()), ("q2".into(), "0".into())]
        );
        let pages: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, current_page FROM respondents ORDER BY id")
                .fetch_all(&s.read)
                .await
                .unwrap();
        assert_eq!(pages, vec![(ids[0], 1), (ids[1], 0), (ids[2], 1)]);
        let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM page_posts")
            .fetch_one(&s.read)
            .await
            .unwrap();
        assert_eq!(posts, 3);
    }

    fn row(job: i64, redirect: Option<&str>, completed: Option<i64>, answers: &str) -> StateRow {
        StateRow {
            job,
            respondent: RespondentRow {
                id: 10 + job,
                survey_id: 1,
                version_id: 1,
                locale: "vi".into(),
                current_page: 0,
                completed_at: completed,
                block_order: None,
            },
            started_at: 1,
            updated_at: 2,
            quality: 4,
            redirect_to: redirect.map(str::to_owned),
            answers: answers.to_owned(),
        }
    }

    #[test]
    fn rows_become_one_state_per_post() {
        let read = states(
            vec![
                row(0, None, None, r#"[["q1","1"],["q2","a \"b\"\n"]]"#),
                row(2, Some("/s/x/p/2"), None, r#"[["q1","1"]]"#),
                row(3, None, Some(5), "[]"),
                row(4, None, None, "[]"),
                row(9, None, None, "[]"),
            ],
            5,
        )
        .unwrap();
        assert!(
            matches!(&read[0], PostState::Open { respondent, stored, timing }
            if respondent.id == 10 && (timing.started_at, timing.served_at, timing.evidence.bits()) == (1, 2, 4) && stored == &[("q1".to_string(), "1".to_string()), ("q2".to_string(), "a \"b\"\n".to_string())])
        );
        assert!(matches!(read[1], PostState::Gone));
        assert!(matches!(&read[2], PostState::Replayed(to) if to == "/s/x/p/2"));
        assert!(matches!(read[3], PostState::AlreadyCompleted));
        assert!(matches!(&read[4], PostState::Open { stored, .. } if stored.is_empty()));
        assert!(matches!(
            states(vec![row(0, None, None, "[[1]]")], 1),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn the_state_read_numbers_three_arguments_per_post() {
        let sql = state_sql(2);
        assert!(sql.contains("(CAST($4 AS BIGINT), CAST($5 AS BIGINT), CAST($6 AS TEXT))"));
        assert!(!sql.contains("FOR UPDATE"));
        assert_eq!(
            state_args([(7, "a"), (8, "b")].into_iter()),
            vec![
                Arg::from(0),
                7.into(),
                "a".into(),
                1.into(),
                8.into(),
                "b".into()
            ]
        );
    }
}
