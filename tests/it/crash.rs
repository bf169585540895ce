//! Crash test: respondents submit to a real `valuebond serve` process that is killed with
//! SIGKILL at random moments and restarted, three times, on each backend. Respondents
//! retry a failed post with the same idempotency key, as a browser resubmitting would.
//! Afterwards: every acknowledged page post is stored exactly once, every completed
//! response has its scores and is in the report rollups, and the stored scores equal
//! those recomputed from the stored answers.

use crate::common;

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{demo_definition, hidden_value, page_form};
use valuebond::db::{Backend, ReportFilter, Store};
use valuebond::domain::answer::Answer;
use valuebond::domain::scoring::score_respondent;
use valuebond::domain::AnswerSet;

pub fn serve(port: u16, dir: &std::path::Path, database_url: Option<&str>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_valuebond"));
    cmd.args(["serve", "--demo"])
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", dir)
        .env("DEMO_RESPONSES", "0")
        .env("RATE_CLIENT", "0")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match database_url {
        Some(url) => cmd.env("DATABASE_URL", url),
        None => cmd.env_remove("DATABASE_URL"),
    };
    cmd.spawn().expect("start valuebond")
}

pub async fn wait_ready(base: &str) {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come back");
}

/// Sends a request until some answer arrives (the server may be down or restarting).
async fn persist(make: impl Fn() -> reqwest::RequestBuilder) -> reqwest::Response {
    loop {
        match make().send().await {
            Ok(r) => return r,
            Err(_) => tokio::time::sleep(Duration::from_millis(30)).await,
        }
    }
}

/// Respondents one after another until `stop`; returns the idempotency keys of the page
/// posts the server acknowledged.
async fn respondents(base: String, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<String>>>) {
    let def = demo_definition();
    while !stop.load(Ordering::Relaxed) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let survey = format!("{base}/s/{}", def.slug);
        let intro = persist(|| client.get(&survey))
            .await
            .text()
            .await
            .unwrap_or_default();
        let Some(token) = hidden_value(&intro, "token") else {
            continue;
        };
        let res = persist(|| {
            client
                .post(format!("{survey}/start"))
                .form(&[("token", token.clone())])
        })
        .await;
        let mut to = common::location(&res);
        let mut answers = AnswerSet::new();
        while to.contains("/p/") {
            let html = persist(|| client.get(format!("{base}{to}")))
                .await
                .text()
                .await
                .unwrap_or_default();
            if hidden_value(&html, "_idem").is_none() {
                break;
            }
            let mut so_far = answers.clone();
            let form = page_form(&def, &mut so_far, "yes", &html);
            let idem = hidden_value(&html, "_idem").unwrap();
            // The same post again after a failure: the idempotency key makes it safe.
            let res = persist(|| client.post(format!("{base}{to}")).form(&form)).await;
            if res.status() == reqwest::StatusCode::SEE_OTHER {
                acked.lock().unwrap().push(idem);
                answers = so_far;
                to = common::location(&res);
            } else {
                break;
            }
        }
    }
}

/// What a crash run did.
pub struct CrashRun {
    pub kills: usize,
    pub acknowledged: usize,
    pub completed: i64,
}

/// `respondents` submitting concurrently while the server is killed with SIGKILL `kills`
/// times, at moments drawn from `seed` (50 ms to 1.5 s apart, so some land inside batches
/// and some between), and restarted each time; then every check of the module doc.
pub async fn crash_and_recover(
    backend: Backend,
    kills: usize,
    respondents_at_once: usize,
    seed: u64,
) -> CrashRun {
    let dir = tempfile::tempdir().unwrap();
    let mut pg = None;
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let admin = std::env::var("TEST_POSTGRES_URL").unwrap();
            let name = format!("vb_crash_{}", std::process::id());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            pg = Some((pool, name));
            Some(url)
        }
    };
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = serve(port, dir.path(), database_url.as_deref());
    wait_ready(&base).await;

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let load: Vec<_> = (0..respondents_at_once)
        .map(|_| tokio::spawn(respondents(base.clone(), stop.clone(), acked.clone())))
        .collect();
    // Kill at random moments, restart, let the load resume.
    let mut rng = seed;
    for _ in 0..kills {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let wait_ms = 50 + (rng >> 33) % 1450;
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        child = serve(port, dir.path(), database_url.as_deref());
        wait_ready(&base).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    child.kill().unwrap();
    let _ = child.wait();

    // Check the database the crashed server left behind.
    let url = database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/valuebond.db", dir.path().display()));
    let store = Store::connect(&url).await.unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "the load did something: {} posts",
        acked.len()
    );
    let keys: std::collections::HashSet<&String> = acked.iter().collect();
    assert_eq!(keys.len(), acked.len(), "idempotency keys are unique");
    let stored = store.count_rows("page_posts").await.unwrap();
    assert!(
        stored as usize >= acked.len(),
        "every acknowledged post is stored"
    );
    for idem in &acked {
        assert_eq!(
            store.page_posts_with_key(idem).await.unwrap(),
            1,
            "exactly once: {idem}"
        );
    }
    let def = demo_definition();
    let survey = store.survey_by_slug(&def.slug).await.unwrap().unwrap();
    let rows = store
        .report_rows(survey.id, &ReportFilter::default())
        .await
        .unwrap();
    let (tallies, everyone) = store
        .report_tallies(survey.id, &ReportFilter::default(), None, |_| true)
        .await
        .unwrap();
    let (_, completed) = store.respondent_counts(survey.id).await.unwrap();
    assert_eq!(
        rows.len() as i64,
        completed,
        "every completed response has its scores"
    );
    assert_eq!(everyone as i64, completed, "and is in the rollups");
    // Posted at machine speed, some responses are flagged as bots: left out of the
    // figures, counted as flagged.
    assert_eq!(
        (tallies.all.responses.n + tallies.flagged.responses) as i64,
        completed
    );
    let answers = store.completed_answers(survey.id).await.unwrap();
    for row in &rows {
        let set: AnswerSet = answers[&row.respondent_id]
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), Answer::from_stored(def.question(k)?, v)?)))
            .collect();
        // The block order was drawn at the start, not computed from the answers.
        assert!(row.scores.block_order.is_some());
        let expected = score_respondent(&def, &set);
        // Straight-lining is the answers' to say; speeder and bot the server's clock.
        use valuebond::domain::quality::Flag;
        assert_eq!(
            row.scores.quality.has(Flag::StraightLiner),
            expected.quality.has(Flag::StraightLiner)
        );
        assert_eq!(
            valuebond::domain::scoring::RespondentScores {
                block_order: row.scores.block_order,
                quality: row.scores.quality,
                ..expected
            },
            row.scores,
            "scores match the answers"
        );
    }
    eprintln!(
        "{backend:?}: {kills} SIGKILLs, {} acknowledged page posts all stored once, {completed} complete responses consistent",
        acked.len()
    );
    store.close().await;
    if let Some((pool, name)) = pg {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&pool)
            .await;
    }
    CrashRun {
        kills,
        acknowledged: acked.len(),
        completed,
    }
}

/// The short version (`make test`); `make soak` runs 20 kills under 50 respondents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed() {
    for backend in common::backends() {
        crash_and_recover(backend, 3, 6, 2012).await;
    }
}
