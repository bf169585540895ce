//! `bench submissions`: respondents completing the 5-page demo survey with plain form
//! posts (as a browser without JavaScript) at 1, 50 and 200 concurrent respondents as
//! fast as the server answers, then 200 respondents paced to offer 2,000 (and 1,000 and
//! 500) page posts per second together, against a real `valuebond serve` process on SQLite and PostgreSQL:
//! page posts and complete responses per second, p50/p99 latency, errors, and the
//! server's memory. Each level is measured after a warm-up second that is not counted.
//! Baselines from the same run: a bare handler of the same server (`/healthz`) under the
//! same concurrency, and a loop of bare durable inserts of the same rows.
//!
//! On PostgreSQL the levels run again with two `valuebond serve` processes on the same
//! database, respondents split between them, as behind a load balancer. CPU per post is
//! measured for the app processes and for PostgreSQL's (every process of the cluster,
//! from `/proc`), so that on a small machine the limit shows: posts per second cannot
//! exceed the cores divided by the total CPU a post costs.
//!
//! Last, the scale-out pair: one and then two instances whose pools are kept small
//! ([`SCALE_OUT`]), so that an instance's connections, not the machine's cores, bound what
//! it serves. A second instance brings its own connections; completions grow with it only
//! if they do not queue on each other in the database (shared rows locked until commit),
//! which is what the pair shows while the machine still has CPU to spare (its busy share
//! is measured for every level from `/proc/stat`).

mod baselines;
mod respondent;
mod server;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use valuebond::domain::SurveyDefinition;

use baselines::{bare_handler, bare_inserts};
use respondent::{respondent_loop, Counters};
use server::{cpu_seconds, machine_ticks, postgres_cpu_seconds, rss_kib, start, Server};

/// Closed loop: each respondent posts as soon as the previous answer arrives, so these
/// levels measure the most the server takes (and latency there is mostly queueing).
const CONCURRENCY: [usize; 3] = [1, 50, 200];
/// Open loop: 200 respondents together offering 2,000 page posts per second on a fixed
/// schedule (each one every 100 ms), the target load; latency is measured from when
/// each post was due, so a late server cannot hide its lateness. The lower rates show
/// what a backend holds when the 2,000 are more than the machine's cores can serve.
const PACED: [(usize, f64); 3] = [(200, 2000.0), (200, 1000.0), (200, 500.0)];
/// How long each level runs before it is measured: respondents arrive, connections
/// open, caches and prepared statements fill. Nothing sent in this time is counted.
const WARMUP: Duration = Duration::from_secs(1);
/// The scale-out pair's load and pool: this many respondents as fast as the servers answer,
/// against instances of `DATABASE_POOL` connections each (see `Store::connect_pooled`: one
/// for the pages, one for the rest).
const SCALE_OUT: (usize, u32) = (40, 1);

/// What every backend and level of a run shares.
struct Run {
    def: Arc<SurveyDefinition>,
    /// How long each level is measured.
    duration: Duration,
    /// Only the paced levels, without the baselines.
    paced_only: bool,
    /// The port of the PostgreSQL cluster under test (its CPU is measured), 0 for none.
    postgres_port: u16,
}

/// One load level: this many respondents, as fast as the server answers or (with a
/// rate) paced to offer that many page posts per second together.
#[derive(Clone, Copy)]
struct Level {
    concurrency: usize,
    offered: Option<f64>,
}

pub async fn run(duration: Duration, paced_only: bool) -> serde_json::Value {
    let admin = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let run = Run {
        def: Arc::new(SurveyDefinition::parse(valuebond::demo::DEMO_SURVEYS[0]).expect("demo")),
        duration,
        paced_only,
        postgres_port: admin.as_deref().map_or(0, url_port),
    };
    let mut backends: Vec<(&str, Option<String>)> = vec![("SQLite", None)];
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
        rows.extend(run_backend(&run, backend, url.as_deref(), Setup::plain(1)).await);
        if url.is_some() {
            rows.extend(run_backend(&run, backend, url.as_deref(), Setup::plain(2)).await);
        }
    }
    if let Some(url) = backends.iter().find_map(|(_, url)| url.as_deref()) {
        let (concurrency, pool) = SCALE_OUT;
        for instances in [1, 2] {
            let setup = Setup {
                instances,
                pool: Some(pool),
                levels: vec![Level {
                    concurrency,
                    offered: None,
                }],
            };
            rows.extend(run_backend(&run, "PostgreSQL", Some(url), setup).await);
        }
    }
    if let Some((pool, name)) = pg_db {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&pool)
            .await;
    }
    json!({ "benchmark": "survey submissions (form posts, no JavaScript)", "seconds_per_level": duration.as_secs(), "results": rows })
}

/// Vacuums and analyzes the PostgreSQL database before each level (`VACUUM ANALYZE`), and
/// analyzes it again near the end of the level's warm-up (`ANALYZE`), as autovacuum does
/// on a database in service (its nap is a minute, a level six seconds): no level runs on
/// statistics that say its tables are empty while they grow by thousands of rows. The
/// second one matters to the first level of a fresh database: statistics taken of empty
/// tables make plans that scan them whole, kept (generic plans) until the next ANALYZE.
async fn settle(url: &str, statement: &str) {
    let pool = sqlx::PgPool::connect(url).await.expect("PostgreSQL");
    sqlx::query(statement)
        .execute(&pool)
        .await
        .expect(statement);
    pool.close().await;
}

/// The port of a `postgres://user@host:port/db` URL (5432 when it names none).
fn url_port(url: &str) -> u16 {
    url.rsplit_once('@')
        .map_or(url, |(_, host)| host)
        .split('/')
        .next()
        .and_then(|host| host.rsplit_once(':'))
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(5432)
}

/// The servers a backend's levels run against, and the levels.
struct Setup {
    instances: usize,
    /// `DATABASE_POOL` of each instance (the server's default without one).
    pool: Option<u32>,
    levels: Vec<Level>,
}

impl Setup {
    /// Instances with default pools, through the closed-loop and the paced levels.
    fn plain(instances: usize) -> Setup {
        let closed = CONCURRENCY.iter().map(|&c| Level {
            concurrency: c,
            offered: None,
        });
        let paced = PACED.iter().map(|&(c, rate)| Level {
            concurrency: c,
            offered: Some(rate),
        });
        Setup {
            instances,
            pool: None,
            levels: closed.chain(paced).collect(),
        }
    }
}

/// Every level of `setup` against fresh servers on `url` (SQLite in the server's own
/// directory without one): a row of figures per level.
async fn run_backend(
    run: &Run,
    backend: &str,
    url: Option<&str>,
    setup: Setup,
) -> Vec<serde_json::Value> {
    let instances = setup.instances;
    // One after the other: the first one seeds the demo, the next finds it.
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(start(url, setup.pool).await);
    }
    let server = &servers[0];
    let idle_rss = rss_kib(server.child.id());
    let inserts_url = match url {
        Some(u) => u.to_string(),
        None => format!("sqlite://{}/baseline.db", server.dir.display()),
    };
    let inserts = if run.paced_only || instances > 1 || setup.pool.is_some() {
        0.0
    } else {
        bare_inserts(&inserts_url, run.duration).await
    };
    // Quick runs skip the closed-loop levels, but not the scale-out pair's one.
    let levels = setup
        .levels
        .iter()
        .filter(|l| !run.paced_only || l.offered.is_some() || setup.pool.is_some());
    let mut rows = Vec::new();
    for &level in levels {
        if let Some(url) = url {
            settle(url, "VACUUM ANALYZE").await;
        }
        let measured = measure(run, &servers, level, url).await;
        let bare = bare_handler(&server.base, level.concurrency, run.duration / 2).await;
        let posts = measured.posts as f64 / measured.elapsed;
        let per_post = |cpu: f64| cpu * 1e6 / measured.posts.max(1) as f64;
        let row = json!({
            "backend": backend, "instances": instances, "pool": setup.pool, "concurrency": level.concurrency, "offered_posts_per_s": level.offered, "seconds": measured.elapsed,
            "page_posts_per_s": posts,
            "completes_per_s": measured.completes as f64 / measured.elapsed,
            "p50_ms": percentile(&measured.latencies, 0.5), "p99_ms": percentile(&measured.latencies, 0.99),
            "errors": measured.errors,
            "bare_handler_rps": bare, "bare_durable_inserts_per_s": inserts,
            // Server CPU per page post, with the page GET and the share of the intro
            // and start that go with it: comparable across runs on a noisy machine.
            "server_cpu_us_per_post": per_post(measured.server_cpu),
            // PostgreSQL's processes (none on SQLite, where the database is the server's).
            "database_cpu_us_per_post": url.map(|_| per_post(measured.database_cpu)),
            // The machine's, all processes (load generator included): 1.0 is every core.
            "machine_busy": measured.machine_busy,
            "rss_idle_mib": idle_rss as f64 / 1024.0, "rss_peak_mib": measured.peak_rss as f64 / 1024.0,
        });
        println!("{row}");
        rows.push(row);
    }
    rows
}

/// What the server did in one level's measured time.
struct Measured {
    /// Seconds from the end of the warm-up to the last respondent's end.
    elapsed: f64,
    posts: u64,
    completes: u64,
    errors: u64,
    /// Page post latencies in µs, sorted.
    latencies: Vec<u32>,
    /// CPU seconds the servers used.
    server_cpu: f64,
    /// CPU seconds PostgreSQL's processes used.
    database_cpu: f64,
    /// The share of the machine's CPU time that was busy (all processes).
    machine_busy: f64,
    /// The most resident memory seen, in KiB.
    peak_rss: u64,
}

/// Runs one level: the respondents (split between the servers) through the warm-up and
/// the measured time, while the first server's memory is sampled; a PostgreSQL database
/// (`url`) is analyzed near the end of the warm-up.
async fn measure(run: &Run, servers: &[Server], level: Level, url: Option<&str>) -> Measured {
    let pid = servers[0].child.id();
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let servers_cpu = || pids.iter().map(|p| cpu_seconds(*p)).sum::<f64>();
    // Each paced respondent's share of the offered posts per second.
    let pace = level
        .offered
        .map(|rate| Duration::from_secs_f64(level.concurrency as f64 / rate));
    let counters = Arc::new(Counters::default());
    let measured_from = Instant::now() + WARMUP;
    let deadline = measured_from + run.duration;
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
    let tasks: Vec<_> = (0..level.concurrency)
        .map(|i| {
            tokio::spawn(respondent_loop(
                servers[i % servers.len()].base.clone(),
                run.def.clone(),
                i as u64 * 7919 + level.concurrency as u64,
                (measured_from, deadline),
                counters.clone(),
                pace,
            ))
        })
        .collect();
    if let Some(url) = url {
        tokio::time::sleep_until((measured_from - WARMUP / 4).into()).await;
        settle(url, "ANALYZE").await;
    }
    tokio::time::sleep_until(measured_from.into()).await;
    let cpu_before = servers_cpu();
    let database_before = postgres_cpu_seconds(run.postgres_port);
    let machine_before = machine_ticks();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap_or_default());
    }
    let elapsed = measured_from.elapsed().as_secs_f64();
    let server_cpu = servers_cpu() - cpu_before;
    let database_cpu = postgres_cpu_seconds(run.postgres_port) - database_before;
    let machine_busy = machine_before.busy_share_until(&machine_ticks());
    let _ = sampler.await;
    latencies.sort_unstable();
    Measured {
        elapsed,
        posts: counters.posts.load(Ordering::Relaxed),
        completes: counters.completes.load(Ordering::Relaxed),
        errors: counters.errors.load(Ordering::Relaxed),
        latencies,
        server_cpu,
        database_cpu,
        machine_busy,
        peak_rss: peak.load(Ordering::Relaxed),
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

/// The README's table of the results.
pub fn markdown(results: &serde_json::Value) -> String {
    let mut out = String::from(
        "| backend | instances | respondents | page posts/s | completes/s | p50 | p99 | errors | CPU per post: app + database = total | machine busy | bare handler req/s | bare durable inserts/s | RSS idle → peak |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|\n",
    );
    for r in results["results"].as_array().into_iter().flatten() {
        let f = |k: &str| r[k].as_f64().unwrap_or(0.0);
        let mut respondents = match r["offered_posts_per_s"].as_f64() {
            Some(rate) => format!("{}, paced: {rate:.0} posts/s offered", r["concurrency"]),
            None => r["concurrency"].to_string(),
        };
        if let Some(pool) = r["pool"].as_u64() {
            respondents.push_str(&format!(", scale-out: DATABASE_POOL={pool} per instance"));
        }
        let app = f("server_cpu_us_per_post");
        let cpu = match r["database_cpu_us_per_post"].as_f64() {
            Some(db) => format!("{app:.0} + {db:.0} = {:.0} µs", app + db),
            None => format!("{app:.0} µs (SQLite runs in the app)"),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.1} | {:.1} ms | {:.1} ms | {} | {} | {:.0}% | {:.0} | {:.0} | {:.0} → {:.0} MiB |\n",
            r["backend"].as_str().unwrap_or(""),
            r["instances"].as_u64().unwrap_or(1),
            respondents,
            f("page_posts_per_s"),
            f("completes_per_s"),
            f("p50_ms"),
            f("p99_ms"),
            r["errors"],
            cpu,
            f("machine_busy") * 100.0,
            f("bare_handler_rps"),
            f("bare_durable_inserts_per_s"),
            f("rss_idle_mib"),
            f("rss_peak_mib"),
        ));
    }
    out
}
