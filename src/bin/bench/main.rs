//! Benchmarks that write their figures to `bench/results/` (run by `make bench`):
//! `bench report`, report latency with many responses loaded (see [`report`]), and
//! `bench submissions`, respondents posting survey pages to a real server (see
//! [`submissions`]). Each runs on SQLite, and on PostgreSQL too with `TEST_POSTGRES_URL`.

mod report;
mod submissions;

use std::path::{Path, PathBuf};
use std::time::Duration;

const USAGE: &str = "usage: bench report [--sizes 10000,100000,1000000] | bench submissions [--seconds 8] [--paced-only]";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("report") => {
            let sizes: Vec<usize> = value_of(&args, "--sizes")
                .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
                .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
            let report = report::run(&sizes).await;
            write_results("report-latency", &report, &report::markdown(&report));
        }
        Some("submissions") => {
            let seconds = value_of(&args, "--seconds")
                .and_then(|s| s.parse().ok())
                .unwrap_or(8u64);
            // Only the paced levels and no files: for quick comparisons of two builds.
            let paced_only = args.iter().any(|a| a == "--paced-only");
            let results = submissions::run(Duration::from_secs(seconds), paced_only).await;
            if paced_only {
                return;
            }
            write_results("submissions", &results, &submissions::markdown(&results));
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

/// The argument after `flag`, if both are there.
fn value_of<'a>(args: &'a [String], flag: &str) -> Option<&'a String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
}

/// Writes `bench/results/{stem}.json` (pretty-printed) and `{stem}.md` (the README's table).
fn write_results(stem: &str, results: &serde_json::Value, markdown: &str) {
    let dir = Path::new("bench/results");
    std::fs::create_dir_all(dir).expect("results dir");
    std::fs::write(dir.join(format!("{stem}.json")), format!("{results:#}\n"))
        .expect("write results");
    std::fs::write(dir.join(format!("{stem}.md")), markdown).expect("write results");
    println!("written to bench/results/{stem}.{{json,md}}");
}

/// An empty scratch directory for one backend's data, named after this process.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("valuebond-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
