//! The long runs (`make soak`, not `make test`): the crash test at 20 SIGKILLs under 50
//! respondents, the hostile run at 10,000 requests per backend, and a 200,000-response
//! export. Each writes its figures to `bench/results/soak-*.md` (copied into the README).

use crate::common;
use crate::crash::{crash_and_recover, serve, wait_ready};
use crate::hostile::hostile_run;

use common::TestApp;
use reqwest::StatusCode;

fn write_result(name: &str, text: &str) {
    eprintln!("{text}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/results");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("soak-{name}.md")), text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: make soak"]
async fn soak_crash_twenty_kills_per_backend() {
    let mut lines = vec![
        "| backend | SIGKILLs | respondents at once | acknowledged page posts | complete responses |".to_string(),
        "|---|---:|---:|---:|---:|".to_string(),
    ];
    for backend in common::backends() {
        let run = crash_and_recover(backend, 20, 50, 7000).await;
        assert!(
            run.acknowledged >= 5000,
            "{backend:?}: only {} acknowledged posts",
            run.acknowledged
        );
        lines.push(format!(
            "| {backend:?} | {} | 50 | {} (each stored exactly once) | {} (scores and rollups equal a recount) |",
            run.kills, run.acknowledged, run.completed
        ));
    }
    write_result("crash", &(lines.join("\n") + "\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: make soak"]
async fn soak_hostile_ten_thousand_requests_per_backend() {
    let mut lines = vec![
        "| backend | requests | 5xx | stored state changed |".to_string(),
        "|---|---:|---:|---|".to_string(),
    ];
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let tried = hostile_run(&app, 10_000).await;
        assert!(tried >= 10_000);
        lines.push(format!("| {backend:?} | {tried} | 0 | no |"));
        app.finish().await;
    }
    write_result("hostile", &(lines.join("\n") + "\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: make soak"]
async fn soak_export_of_200000_responses_in_bounded_memory() {
    const RESPONSES: usize = 200_000;
    const PASSWORD: &str = "soak export password";
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/valuebond.db", dir.path().display());
    let store = valuebond::db::Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    valuebond::demo::seed_demo(&store).await.unwrap();
    let started = std::time::Instant::now();
    valuebond::demo::seed_responses(&store, "terra-bond", RESPONSES, 2012)
        .await
        .unwrap();
    let seeded_in = started.elapsed();
    valuebond::accounts::create_staff(
        &store,
        "admin@example.vn",
        PASSWORD,
        valuebond::domain::account::Role::Admin,
    )
    .await
    .unwrap();
    store.close().await;

    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(port, dir.path(), None);
    wait_ready(&base).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(format!("{base}/login"))
        .header("origin", base.as_str())
        .form(&[("email", "admin@example.vn"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Warm: the report once (its rollups), so the export's growth is the export's.
    let res = client
        .get(format!("{base}/reports/terra-bond"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (_, peak_before) = common::memory(server.id());

    let started = std::time::Instant::now();
    let mut res = client
        .get(format!("{base}/reports/terra-bond/responses.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.windows(2).filter(|w| w == b"\r\n").count();
    }
    let took = started.elapsed();
    let (_, peak_after) = common::memory(server.id());
    let _ = server.kill();
    let _ = server.wait();
    let growth = peak_after.saturating_sub(peak_before);
    assert_eq!(lines, RESPONSES + 1, "a header and one line per response");
    assert!(growth < 50 * 1024 * 1024, "peak RSS grew by {growth} bytes");
    write_result(
        "export",
        &format!(
            "| responses | CSV size | export time | server peak RSS before | growth during the export |\n|---:|---:|---:|---:|---:|\n| {RESPONSES} | {:.0} MB | {:.1} s | {:.0} MB | {:.1} MB |\n\n(seeded in {:.0} s)\n",
            bytes as f64 / 1e6,
            took.as_secs_f64(),
            peak_before as f64 / 1e6,
            growth as f64 / 1e6,
            seeded_in.as_secs_f64()
        ),
    );
}
