//! `bench report`: report latency with 10k, 100k and 1M complete responses in the
//! database, on SQLite and (with `TEST_POSTGRES_URL`) PostgreSQL. Each request goes
//! through the real router (session check, queries, report, HTML), in process, warm.
//! Every figure is also given as a ratio to the sign-in page (a small server-rendered
//! page through the same router) measured in the same run, because this machine is
//! shared and noisy.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use tower::ServiceExt;
use valuebond::accounts::create_staff;
use valuebond::config::Config;
use valuebond::db::Store;
use valuebond::demo::{seed_demo, seed_responses_with};
use valuebond::domain::account::Role;
use valuebond::startup::{router, Application};
use valuebond::tokens::{hash_token, new_token};

const SLUG: &str = "terra-bond";
const ROUNDS: usize = 15;

struct Backend {
    name: &'static str,
    config: Config,
    /// PostgreSQL: (admin URL, database) to drop afterwards.
    drop: Option<(String, String)>,
    /// SQLite: the data directory to remove afterwards.
    dir: std::path::PathBuf,
}

async fn backends() -> Vec<Backend> {
    let mut list = Vec::new();
    let dir = crate::temp_dir("sqlite");
    list.push(Backend {
        name: "SQLite",
        config: Config::for_data_dir(&dir),
        drop: None,
        dir,
    });
    if let Some(admin) = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let name = format!("vb_bench_{}", std::process::id());
        let pool = sqlx::PgPool::connect(&admin)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&pool)
            .await
            .expect("create database");
        pool.close().await;
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(admin.clone());
        let dir = crate::temp_dir("pg");
        let mut config = Config::for_data_dir(&dir);
        config.database_url = Some(format!("{base}/{name}"));
        list.push(Backend {
            name: "PostgreSQL",
            config,
            drop: Some((admin, name)),
            dir,
        });
    } else {
        eprintln!("TEST_POSTGRES_URL is not set: PostgreSQL is not benchmarked");
    }
    list
}

impl Backend {
    /// Removes the data directory, and the database on PostgreSQL.
    async fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin, name)) = self.drop {
            if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
            }
        }
    }
}

/// Median and 95th percentile of `ROUNDS` warm requests, in milliseconds.
async fn time(app: &axum::Router, path: &str, cookie: &str) -> (f64, f64) {
    let request = || {
        Request::get(path)
            .header(header::COOKIE, cookie)
            .header(header::HOST, "bench")
            .body(Body::empty())
            .expect("request")
    };
    for _ in 0..3 {
        let res = app.clone().oneshot(request()).await.expect("response");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let res = app.clone().oneshot(request()).await.expect("response");
        axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        samples.push(started.elapsed());
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(samples[ROUNDS / 2]),
        ms(samples[(ROUNDS * 95).div_ceil(100) - 1]),
    )
}

/// The report views timed at every size: (name, path).
fn variants() -> [(&'static str, String); 5] {
    let thirty_days_ago =
        valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 - 30);
    [
        ("full report", format!("/reports/{SLUG}")),
        (
            "segment comparison",
            format!("/reports/{SLUG}?segment=tenure"),
        ),
        (
            "last 30 days, weekly",
            format!("/reports/{SLUG}?from={thirty_days_ago}&period=week"),
        ),
        ("one group", format!("/reports/{SLUG}?cut=activity:weekly")),
        ("JSON export", format!("/reports/{SLUG}/report.json")),
    ]
}

/// The views timed again once the survey is weighted over two questions (tenure and
/// outdoor activity: raking over their 25 cells, from the profile rollups).
fn weighted_variants() -> [(&'static str, String); 3] {
    let thirty_days_ago =
        valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 - 30);
    [
        ("full report, weighted", format!("/reports/{SLUG}")),
        (
            "segment comparison, weighted",
            format!("/reports/{SLUG}?segment=tenure"),
        ),
        (
            "last 30 days weekly, weighted",
            format!("/reports/{SLUG}?from={thirty_days_ago}&period=week"),
        ),
    ]
}

/// The timed weighted views must be weighted, not fallen back to unweighted figures.
async fn assert_weighted(app: &axum::Router, cookie: &str) {
    let request = Request::get(format!("/reports/{SLUG}/report.json"))
        .header(header::COOKIE, cookie)
        .header(header::HOST, "bench")
        .body(Body::empty())
        .expect("request");
    let res = app.clone().oneshot(request).await.expect("response");
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    let json: serde_json::Value = serde_json::from_slice(&body).expect("report JSON");
    let status = &json["report"]["weighting"]["outcome"]["status"];
    assert_eq!(status, "weighted", "the bench's targets weight the report");
}

/// Sets the demo survey's weighting targets (tenure 10/30/30/30 %, activity 25 % each), or
/// removes them.
async fn set_targets(store: &Store, weighted: bool) {
    let share = |q: &str, shares: &[(&str, f64)]| valuebond::domain::weighting::Margin {
        question: q.to_string(),
        targets: shares.iter().map(|(o, s)| (o.to_string(), *s)).collect(),
    };
    let margins = if weighted {
        vec![
            share(
                "tenure",
                &[
                    ("not_yet", 0.1),
                    ("under_1y", 0.3),
                    ("from_1_to_3y", 0.3),
                    ("over_3y", 0.3),
                ],
            ),
            share(
                "activity",
                &[
                    ("rarely", 0.25),
                    ("few_times_year", 0.25),
                    ("monthly", 0.25),
                    ("weekly", 0.25),
                ],
            ),
        ]
    } else {
        Vec::new()
    };
    let survey = store
        .survey_by_slug(SLUG)
        .await
        .expect("survey")
        .expect("the demo survey");
    let actor = valuebond::db::Actor {
        user_id: None,
        email: "bench".into(),
    };
    store
        .set_weighting_targets((survey.id, survey.brand_id), &margins, &actor)
        .await
        .expect("targets");
}

pub async fn run(sizes: &[usize]) -> serde_json::Value {
    let variants = variants();
    let mut results = Vec::new();
    for backend in backends().await {
        results.extend(run_backend(&backend, sizes, &variants).await);
        backend.remove().await;
    }
    json!({ "benchmark": "report latency (warm, in-process through the router)", "rounds": ROUNDS, "results": results })
}

/// Loads the responses size by size (each step adds to the last) and times every view
/// at each size: one result per size and view.
async fn run_backend(
    backend: &Backend,
    sizes: &[usize],
    variants: &[(&str, String)],
) -> Vec<serde_json::Value> {
    let app = Application::build(backend.config.clone())
        .await
        .expect("app");
    let store = app.state().store.clone();
    seed_demo(&store).await.expect("demo surveys");
    let cookie = admin_session(&store).await;
    let router = router(app.state().clone());
    let mut results = Vec::new();
    let mut loaded = 0;
    for &size in sizes {
        let started = Instant::now();
        seed_responses_with(&store, SLUG, size - loaded, size as u64, false)
            .await
            .expect("seed");
        let seeded = started.elapsed().as_secs_f64();
        loaded = size;
        let (baseline, _) = time(&router, "/login", &cookie).await;
        let weighted = weighted_variants();
        for weigh in [false, true] {
            set_targets(&store, weigh).await;
            if weigh {
                assert_weighted(&router, &cookie).await;
            }
            let views = if weigh { &weighted[..] } else { variants };
            for (variant, path) in views {
                let (p50, p95) = time(&router, path, &cookie).await;
                println!(
                    "{:<10} {:>9} responses  {:<32} p50 {:>8.2} ms  p95 {:>8.2} ms  ({:.1}× /login)  loaded in {:.0} s",
                    backend.name, size, variant, p50, p95, p50 / baseline, seeded
                );
                results.push(json!({
                    "backend": backend.name, "responses": size, "variant": variant, "path": path,
                    "p50_ms": p50, "p95_ms": p95, "baseline_login_page_p50_ms": baseline, "ratio_to_baseline": p50 / baseline,
                    "seconds_to_load_this_step": seeded,
                }));
            }
        }
        set_targets(&store, false).await;
    }
    store.close().await;
    results
}

/// Creates an admin and signs them in: the session cookie the timed requests carry.
async fn admin_session(store: &Store) -> String {
    let user = create_staff(
        store,
        "bench@valuebond.vn",
        "bench password 123",
        Role::Admin,
    )
    .await
    .expect("admin");
    let token = new_token();
    store
        .create_session(&hash_token(&token), user)
        .await
        .expect("session");
    format!("vb_session={token}")
}

/// The README's table of the results.
pub fn markdown(report: &serde_json::Value) -> String {
    let mut out = String::from("| backend | responses | view | p50 | p95 | × sign-in page |\n|---|---:|---|---:|---:|---:|\n");
    for r in report["results"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} ms | {:.1} ms | {:.1} |\n",
            r["backend"].as_str().unwrap_or(""),
            r["responses"],
            r["variant"].as_str().unwrap_or(""),
            r["p50_ms"].as_f64().unwrap_or(0.0),
            r["p95_ms"].as_f64().unwrap_or(0.0),
            r["ratio_to_baseline"].as_f64().unwrap_or(0.0),
        ));
    }
    out
}
