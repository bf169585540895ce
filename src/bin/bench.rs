//! Benchmarks that write their figures to `bench/results/` (run by `make bench`).
//!
//! `bench submissions`: respondents completing the 5-page demo survey with plain form
//! posts (as a browser without JavaScript) at 1, 50 and 200 concurrent respondents as
//! fast as the server answers, then 200 respondents paced to offer 2,000 page posts per
//! second together, against a real `valuebond serve` process on SQLite and PostgreSQL:
//! page posts and complete responses per second, p50/p99 latency, errors, and the
//! server's memory. Each level is measured after a warm-up second that is not counted.
//! Baselines from the same run: a bare handler of the same server (`/healthz`) under the
//! same concurrency, and a loop of bare durable inserts of the same rows.
//!
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

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("valuebond-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn backends() -> Vec<Backend> {
    let mut list = Vec::new();
    let dir = temp_dir("sqlite");
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
        let dir = temp_dir("pg");
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

async fn report_bench(sizes: &[usize]) -> serde_json::Value {
    let thirty_days_ago =
        valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 - 30);
    let variants = [
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
    ];
    let mut results = Vec::new();
    for backend in backends().await {
        let app = Application::build(backend.config.clone())
            .await
            .expect("app");
        let store = app.state().store.clone();
        seed_demo(&store).await.expect("demo surveys");
        let user = create_staff(
            &store,
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
        let cookie = format!("vb_session={token}");
        let router = router(app.state().clone());
        let mut loaded = 0;
        for &size in sizes {
            let started = Instant::now();
            seed_responses_with(&store, SLUG, size - loaded, size as u64, false)
                .await
                .expect("seed");
            let seeded = started.elapsed().as_secs_f64();
            loaded = size;
            let (baseline, _) = time(&router, "/login", &cookie).await;
            for (variant, path) in &variants {
                let (p50, p95) = time(&router, path, &cookie).await;
                println!(
                    "{:<10} {:>9} responses  {:<22} p50 {:>8.2} ms  p95 {:>8.2} ms  ({:.1}× /login)  loaded in {:.0} s",
                    backend.name, size, variant, p50, p95, p50 / baseline, seeded
                );
                results.push(json!({
                    "backend": backend.name, "responses": size, "variant": variant, "path": path,
                    "p50_ms": p50, "p95_ms": p95, "baseline_login_page_p50_ms": baseline, "ratio_to_baseline": p50 / baseline,
                    "seconds_to_load_this_step": seeded,
                }));
            }
        }
        store.close().await;
        let _ = std::fs::remove_dir_all(&backend.dir);
        if let Some((admin, name)) = backend.drop {
            if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
            }
        }
    }
    json!({ "benchmark": "report latency (warm, in-process through the router)", "rounds": ROUNDS, "results": results })
}

fn markdown(report: &serde_json::Value) -> String {
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

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    match args.first().map(String::as_str) {
        Some("report") => {
            let report = report_bench(&sizes).await;
            let dir = std::path::Path::new("bench/results");
            std::fs::create_dir_all(dir).expect("results dir");
            std::fs::write(dir.join("report-latency.json"), format!("{report:#}\n"))
                .expect("write results");
            std::fs::write(dir.join("report-latency.md"), markdown(&report))
                .expect("write results");
            println!("written to bench/results/report-latency.{{json,md}}");
        }
        Some("submissions") => {
            let seconds = args
                .iter()
                .position(|a| a == "--seconds")
                .and_then(|i| args.get(i + 1))
                .and_then(|s| s.parse().ok())
                .unwrap_or(8u64);
            // Only the paced level and no files: for quick comparisons of two builds.
            let paced_only = args.iter().any(|a| a == "--paced-only");
            let results = submissions::run(Duration::from_secs(seconds), paced_only).await;
            if paced_only {
                return;
            }
            let dir = std::path::Path::new("bench/results");
            std::fs::create_dir_all(dir).expect("results dir");
            std::fs::write(dir.join("submissions.json"), format!("{results:#}\n"))
                .expect("write results");
            std::fs::write(dir.join("submissions.md"), submissions::markdown(&results))
                .expect("write results");
            println!("written to bench/results/submissions.{{json,md}}");
        }
        _ => {
            eprintln!("usage: bench report [--sizes 10000,100000,1000000] | bench submissions [--seconds 8] [--paced-only]");
            std::process::exit(2);
        }
    }
}

mod submissions {
    //! The submission load test (see the file's header).

    use std::process::{Child, Command, Stdio};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use serde_json::json;
    use valuebond::db::Store;
    use valuebond::demo::population::Population;
    use valuebond::domain::answer::{Answer, DONT_KNOW};
    use valuebond::domain::{flow, AnswerSet, SurveyDefinition};

    /// Closed loop: each respondent posts as soon as the previous answer arrives, so these
    /// levels measure the most the server takes (and latency there is mostly queueing).
    const CONCURRENCY: [usize; 3] = [1, 50, 200];
    /// Open loop: 200 respondents together offering 2,000 page posts per second on a fixed
    /// schedule (each one every 100 ms), the target load; latency is measured from when
    /// each post was due, so a late server cannot hide its lateness.
    const PACED: (usize, f64) = (200, 2000.0);
    /// How long each level runs before it is measured: respondents arrive, connections
    /// open, caches and prepared statements fill. Nothing sent in this time is counted.
    const WARMUP: Duration = Duration::from_secs(1);

    struct Server {
        child: Child,
        base: String,
        dir: std::path::PathBuf,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("port")
    }

    /// Starts `valuebond serve --demo` (no synthetic responses, no rate limits).
    async fn start(database_url: Option<&str>) -> Server {
        let exe = std::env::current_exe()
            .expect("exe")
            .with_file_name("valuebond");
        let dir = super::temp_dir(&format!("load-{}", free_port()));
        let port = free_port();
        let mut cmd = Command::new(exe);
        cmd.args(["serve", "--demo"])
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", &dir)
            .env("DEMO_RESPONSES", "0")
            .env("RATE_CLIENT", "0")
            .env("RATE_SURVEY", "0")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        match database_url {
            Some(url) => cmd.env("DATABASE_URL", url),
            None => cmd.env_remove("DATABASE_URL"),
        };
        // Owned by `Server` at once, so the process is killed and reaped on every path.
        let server = Server {
            child: cmd
                .spawn()
                .expect("start valuebond (build it with cargo leptos build --release)"),
            base: format!("http://127.0.0.1:{port}"),
            dir,
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client
                .get(format!("{}/readyz", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not become ready");
    }

    /// CPU time the process has used (user + system), in seconds. Linux reports it in
    /// USER_HZ ticks, which are 1/100 s on every Linux ABI.
    fn cpu_seconds(pid: u32) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        (ticks(11) + ticks(12)) as f64 / 100.0
    }

    fn rss_kib(pid: u32) -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
            })
            .unwrap_or(0)
    }

    fn hidden(html: &str, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker)? + marker.len();
        let end = html[start..].find('"')? + start;
        Some(html[start..end].to_string())
    }

    fn fields(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for q in flow::visible_questions(def, page, answers) {
            let name = flow::field_name(&q.key);
            match answers.get(&q.key) {
                Some(Answer::Choices(keys)) => keys
                    .iter()
                    .for_each(|k| out.push((name.clone(), k.clone()))),
                Some(Answer::DontKnow) => out.push((name, DONT_KNOW.to_string())),
                Some(a) => out.push((name, a.to_stored())),
                None => {}
            }
        }
        out
    }

    #[derive(Default)]
    struct Counters {
        posts: AtomicU64,
        completes: AtomicU64,
        errors: AtomicU64,
    }

    /// When a paced respondent's next step is due.
    struct Schedule {
        next: Instant,
        every: Duration,
    }

    impl Schedule {
        /// Waits until the next step is due; returns when it was due.
        async fn step(&mut self) -> Instant {
            let due = self.next;
            self.next += self.every;
            tokio::time::sleep_until(due.into()).await;
            due
        }
    }

    /// One respondent after another until the deadline; latencies of page posts (µs) sent
    /// from `measured_from` on (the ones before warm the server up and are not counted).
    /// With `pace`, each page post is due `pace` after the previous one (the next
    /// respondent starts in the gap), and latency counts from when the post was due.
    async fn respondent_loop(
        base: String,
        def: Arc<SurveyDefinition>,
        seed: u64,
        (measured_from, deadline): (Instant, Instant),
        counters: Arc<Counters>,
        pace: Option<Duration>,
    ) -> Vec<u32> {
        let mut latencies = Vec::new();
        let mut population = Population::new(seed);
        // The survey as shown in each block order: a respondent's pages follow the one the
        // server drew for them, recognised from the questions on the page.
        let shown: Vec<SurveyDefinition> = flow::BlockOrder::BOTH
            .iter()
            .map(|&o| flow::in_block_order(&def, o))
            .collect();
        // Paced respondents start spread over the time one of them takes for the whole
        // survey, so that at any moment they are on different pages, as people arriving
        // one by one are. (Spread over one interval only, they would move in lockstep: all
        // on the same page, and all starting their next response in the same few
        // milliseconds of every survey-length period.)
        let mut schedule = pace.map(|every| Schedule {
            next: Instant::now()
                + every.mul_f64(def.pages.len() as f64 * (seed % 1000) as f64 / 1000.0),
            every,
        });
        while Instant::now() < deadline {
            let client = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client");
            let answers = population.respondent(&def);
            let survey = format!("{base}/s/{}", def.slug);
            let Ok(intro) = client.get(&survey).send().await else {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let html = intro.text().await.unwrap_or_default();
            let Some(token) = hidden(&html, "token") else {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let started = client
                .post(format!("{survey}/start"))
                .form(&[("token", token)])
                .send()
                .await;
            let mut to = match started {
                Ok(r) if r.status().as_u16() == 303 => location(&r),
                _ => {
                    counters.errors.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            };
            let mut so_far = AnswerSet::new();
            while to.contains("/p/") && Instant::now() < deadline {
                let page: usize = to
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1)
                    - 1;
                let Ok(res) = client.get(format!("{base}{to}")).send().await else {
                    break;
                };
                let html = res.text().await.unwrap_or_default();
                let Some(idem) = hidden(&html, "_idem") else {
                    counters.errors.fetch_add(1, Ordering::Relaxed);
                    break;
                };
                let def = shown
                    .iter()
                    .find(|d| {
                        flow::visible_questions(d, page, &answers)
                            .iter()
                            .all(|q| html.contains(&format!("name=\"q.{}\"", q.key)))
                    })
                    .unwrap_or(&shown[0]);
                for q in flow::visible_questions(def, page, &answers) {
                    if let Some(a) = answers.get(&q.key) {
                        so_far.insert(q.key.clone(), a.clone());
                    }
                }
                let mut form = fields(def, page, &so_far);
                form.push(("_idem".into(), idem));
                form.push(("_nav".into(), "next".into()));
                let sent = match &mut schedule {
                    Some(schedule) => schedule.step().await,
                    None => Instant::now(),
                };
                let res = client.post(format!("{base}{to}")).form(&form).send().await;
                let took = sent.elapsed().as_micros() as u32;
                match res {
                    Ok(r) if r.status().as_u16() == 303 => {
                        to = location(&r);
                        if sent >= measured_from {
                            latencies.push(took);
                            counters.posts.fetch_add(1, Ordering::Relaxed);
                            if to.ends_with("/thanks") {
                                counters.completes.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    _ => {
                        counters.errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
        }
        latencies
    }

    fn location(r: &reqwest::Response) -> String {
        r.headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    fn percentile(sorted: &[u32], p: f64) -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i] as f64 / 1000.0
    }

    /// GET /healthz from `concurrency` clients for `duration`: requests per second.
    async fn bare_handler(base: &str, concurrency: usize, duration: Duration) -> f64 {
        let deadline = Instant::now() + duration;
        let count = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let (base, count) = (base.to_string(), count.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    while Instant::now() < deadline {
                        if client
                            .get(format!("{base}/healthz"))
                            .send()
                            .await
                            .is_ok_and(|r| r.status().is_success())
                        {
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
        count.load(Ordering::Relaxed) as f64 / duration.as_secs_f64()
    }

    /// The rows one page post writes (answers, the respondent update, the idempotency
    /// key), inserted in a loop of durable transactions: transactions per second.
    async fn bare_inserts(database_url: &str, duration: Duration) -> f64 {
        let store = Store::connect(database_url).await.expect("connect");
        store.migrate().await.expect("migrate");
        valuebond::demo::seed_demo(&store).await.expect("demo");
        let survey = store
            .survey_by_slug("terra-bond")
            .await
            .expect("survey")
            .expect("survey");
        let version = survey.live_version_id.expect("live");
        let mut n = 0u64;
        let started = Instant::now();
        while started.elapsed() < duration {
            let token = valuebond::tokens::hash_token(&valuebond::tokens::new_token());
            let r = store
                .start_respondent(survey.id, version, &token, "vi", 0, None)
                .await
                .expect("start");
            let decision = valuebond::domain::flow::PageDecision {
                upserts: (0..6)
                    .map(|i| (format!("vc_{i}"), "6".to_string()))
                    .collect(),
                deletes: vec![],
                current_page: 1,
                completion: None,
                next: valuebond::domain::flow::Destination::Page(1),
            };
            let context = valuebond::db::PostContext {
                slug: "terra-bond".into(),
                locale: valuebond::domain::Locale::Vi,
                zone: Default::default(),
            };
            let outcome: valuebond::db::PageOutcome<()> = store
                .record_page(r.id, "idem", context, move |_| Ok(decision))
                .await
                .expect("write");
            let _ = outcome;
            n += 1;
        }
        store.close().await;
        n as f64 / started.elapsed().as_secs_f64()
    }

    pub async fn run(duration: Duration, paced_only: bool) -> serde_json::Value {
        let def =
            Arc::new(SurveyDefinition::parse(valuebond::demo::DEMO_SURVEYS[0]).expect("demo"));
        let mut backends: Vec<(&str, Option<String>)> = vec![("SQLite", None)];
        let admin = std::env::var("TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let mut pg_db = None;
        if let Some(admin) = &admin {
            let name = format!("vb_load_{}", std::process::id());
            let pool = sqlx::PgPool::connect(admin).await.expect("PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .expect("create");
            let url = format!("{}/{name}", admin.rsplit_once('/').expect("url").0);
            backends.push(("PostgreSQL", Some(url)));
            pg_db = Some((pool, name));
        }
        let mut rows = Vec::new();
        for (backend, url) in &backends {
            let server = start(url.as_deref()).await;
            let pid = server.child.id();
            let idle_rss = rss_kib(pid);
            let inserts_url = match url {
                Some(u) => u.clone(),
                None => format!("sqlite://{}/baseline.db", server.dir.display()),
            };
            let inserts = if paced_only {
                0.0
            } else {
                bare_inserts(&inserts_url, duration).await
            };
            let levels = CONCURRENCY
                .iter()
                .filter(|_| !paced_only)
                .map(|&c| (c, None))
                .chain(std::iter::once((PACED.0, Some(PACED.1))));
            for (concurrency, offered) in levels {
                // Each paced respondent's share of the offered posts per second.
                let pace = offered.map(|rate| Duration::from_secs_f64(concurrency as f64 / rate));
                let counters = Arc::new(Counters::default());
                let measured_from = Instant::now() + WARMUP;
                let deadline = measured_from + duration;
                let peak = Arc::new(AtomicU64::new(0));
                let sampler = {
                    let peak = peak.clone();
                    tokio::spawn(async move {
                        while Instant::now() < deadline {
                            peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                    })
                };
                let tasks: Vec<_> = (0..concurrency)
                    .map(|i| {
                        tokio::spawn(respondent_loop(
                            server.base.clone(),
                            def.clone(),
                            i as u64 * 7919 + concurrency as u64,
                            (measured_from, deadline),
                            counters.clone(),
                            pace,
                        ))
                    })
                    .collect();
                tokio::time::sleep_until(measured_from.into()).await;
                let cpu_before = cpu_seconds(pid);
                let mut latencies = Vec::new();
                for t in tasks {
                    latencies.extend(t.await.unwrap_or_default());
                }
                let elapsed = measured_from.elapsed().as_secs_f64();
                let server_cpu = cpu_seconds(pid) - cpu_before;
                let _ = sampler.await;
                latencies.sort_unstable();
                let bare = bare_handler(&server.base, concurrency, duration / 2).await;
                let posts = counters.posts.load(Ordering::Relaxed) as f64 / elapsed;
                let row = json!({
                    "backend": backend, "concurrency": concurrency, "offered_posts_per_s": offered, "seconds": elapsed,
                    "page_posts_per_s": posts,
                    "completes_per_s": counters.completes.load(Ordering::Relaxed) as f64 / elapsed,
                    "p50_ms": percentile(&latencies, 0.5), "p99_ms": percentile(&latencies, 0.99),
                    "errors": counters.errors.load(Ordering::Relaxed),
                    "bare_handler_rps": bare, "bare_durable_inserts_per_s": inserts,
                    // Server CPU per page post, with the page GET and the share of the intro
                    // and start that go with it: comparable across runs on a noisy machine.
                    "server_cpu_us_per_post": server_cpu * 1e6 / counters.posts.load(Ordering::Relaxed).max(1) as f64,
                    "rss_idle_mib": idle_rss as f64 / 1024.0, "rss_peak_mib": peak.load(Ordering::Relaxed) as f64 / 1024.0,
                });
                println!("{row}");
                rows.push(row);
            }
            drop(server);
        }
        if let Some((pool, name)) = pg_db {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&pool)
                .await;
        }
        json!({ "benchmark": "survey submissions (form posts, no JavaScript)", "seconds_per_level": duration.as_secs(), "results": rows })
    }

    pub fn markdown(results: &serde_json::Value) -> String {
        let mut out = String::from(
            "| backend | respondents | page posts/s | completes/s | p50 | p99 | errors | server CPU per post | bare handler req/s | bare durable inserts/s | RSS idle → peak |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        for r in results["results"].as_array().into_iter().flatten() {
            let f = |k: &str| r[k].as_f64().unwrap_or(0.0);
            let respondents = match r["offered_posts_per_s"].as_f64() {
                Some(rate) => format!("{}, paced: {rate:.0} posts/s offered", r["concurrency"]),
                None => r["concurrency"].to_string(),
            };
            out.push_str(&format!(
                "| {} | {} | {:.0} | {:.1} | {:.1} ms | {:.1} ms | {} | {:.0} µs | {:.0} | {:.0} | {:.0} → {:.0} MiB |\n",
                r["backend"].as_str().unwrap_or(""),
                respondents,
                f("page_posts_per_s"),
                f("completes_per_s"),
                f("p50_ms"),
                f("p99_ms"),
                r["errors"],
                f("server_cpu_us_per_post"),
                f("bare_handler_rps"),
                f("bare_durable_inserts_per_s"),
                f("rss_idle_mib"),
                f("rss_peak_mib"),
            ));
        }
        out
    }
}
