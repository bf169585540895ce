//! The `valuebond` binary's subcommands, run as a user would run them.

use std::process::Command;

use crate::common;

fn valuebond(data_dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_valuebond"))
        .args(args)
        .env("DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run valuebond");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn help_explains_every_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, help) = valuebond(dir.path(), &["--help"]);
    assert!(ok);
    for needle in [
        "serve",
        "migrate",
        "import-survey",
        "seed-demo",
        "DATABASE_URL",
        "BIND",
        "DATA_DIR",
    ] {
        assert!(help.contains(needle), "--help mentions {needle}:\n{help}");
    }
}

#[test]
fn import_survey_publishes_a_valid_file_and_names_the_problems_of_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let mut def: serde_json::Value =
        serde_json::from_str(include_str!("../../src/demo/terra-bond.json")).unwrap();
    def["slug"] = "terra-pilot".into();
    std::fs::write(&good, def.to_string()).unwrap();
    let (ok, out) = valuebond(dir.path(), &["import-survey", good.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("imported survey \"terra-pilot\" and published at /s/terra-pilot"),
        "{out}"
    );
    assert!(
        dir.path().join("valuebond.db").exists(),
        "SQLite database created under DATA_DIR"
    );

    let (ok, out) = valuebond(dir.path(), &["import-survey", good.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        out.contains("a survey with slug \"terra-pilot\" already exists"),
        "{out}"
    );

    def["slug"] = "terra-broken".into();
    def["pages"][0]["questions"][0]["type"] = "recommend10".into();
    def["pages"][5]["questions"][1]["value"] = "teleportation".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, def.to_string()).unwrap();
    let (ok, out) = valuebond(dir.path(), &["import-survey", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("pages[0].questions[0] (relationship).construct: construct relationship needs a YesNoDk question"), "{out}");
    assert!(out.contains("pages[5].questions[1] (per_repair).value: \"teleportation\" is not a stated value of the brand"), "{out}");

    std::fs::write(&bad, "{ \"slug\": ").unwrap();
    let (ok, out) = valuebond(dir.path(), &["import-survey", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("line 1, column"), "{out}");
}

#[test]
fn seed_demo_loads_the_demo_surveys_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = valuebond(dir.path(), &["seed-demo"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("terra-bond") && out.contains("moto-freedom"),
        "{out}"
    );
    let (ok, out) = valuebond(dir.path(), &["seed-demo"]);
    assert!(ok);
    assert!(out.contains("already present"), "{out}");
    let (ok, out) = valuebond(dir.path(), &["migrate"]);
    assert!(ok, "{out}");
}

fn valuebond_stdin(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_valuebond"))
        .args(args)
        .env("DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run valuebond");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn responses_export_and_import_between_instances_give_the_same_report() {
    let first = tempfile::tempdir().unwrap();
    let (ok, out) = valuebond(first.path(), &["seed-demo", "--responses", "150"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("150 synthetic responses added to terra-bond"),
        "{out}"
    );
    assert!(
        out.contains("demo admin account: admin@demo.valuebond.vn  password: "),
        "{out}"
    );
    let (ok, json) = valuebond(first.path(), &["report", "terra-bond", "--format", "json"]);
    assert!(ok, "{json}");
    let original: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(original["report"]["responses"], 150);
    let (ok, csv) = valuebond(
        first.path(),
        &["report", "terra-bond", "--format", "csv", "--bom"],
    );
    assert!(ok, "{csv}");
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(
        csv.lines().count(),
        151,
        "a header and one row per response"
    );
    let file = first.path().join("responses.csv");
    std::fs::write(&file, &csv).unwrap();

    // Another instance with the same survey imports the file and reports the same figures.
    let second = tempfile::tempdir().unwrap();
    assert!(valuebond(second.path(), &["seed-demo"]).0);
    let (ok, out) = valuebond(
        second.path(),
        &["import-responses", "terra-bond", file.to_str().unwrap()],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("imported 150 complete responses into terra-bond"),
        "{out}"
    );
    let (ok, json) = valuebond(second.path(), &["report", "terra-bond"]);
    assert!(ok, "{json}");
    let imported: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Equal up to the last bits of sums added in another order.
    common::assert_json_close(&imported["report"], &original["report"], "report");

    // A filtered report over the CLI uses the page's filters.
    let (ok, json) = valuebond(
        second.path(),
        &[
            "report",
            "terra-bond",
            "--segment",
            "tenure",
            "--cut",
            "activity:weekly",
        ],
    );
    assert!(ok, "{json}");
    let cut: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(cut["filters"], "segment=tenure&cut=activity%3Aweekly");
    assert!(cut["report"]["responses"].as_u64().unwrap() < 150);
    assert_eq!(cut["report"]["segments"]["key"], "tenure");
}

#[test]
fn a_bad_response_file_is_refused_whole_with_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    assert!(valuebond(dir.path(), &["seed-demo", "--responses", "30"]).0);
    let (_, csv) = valuebond(dir.path(), &["report", "terra-bond", "--format", "csv"]);
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // Row 3 of the file: its locale becomes "fr".
    // Every cell is quoted; the cells before the locale hold no comma.
    let locale = lines[0].split(',').position(|c| c == "\"locale\"").unwrap();
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[locale] = "\"fr\"".into();
    lines[2] = cells.join(",");
    let other = tempfile::tempdir().unwrap();
    assert!(valuebond(other.path(), &["seed-demo"]).0);
    let file = other.path().join("bad.csv");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let (ok, out) = valuebond(
        other.path(),
        &["import-responses", "terra-bond", file.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(
        out.contains("row 3, column \"locale\": \"fr\" is not vi or en"),
        "{out}"
    );
    assert!(out.contains("nothing was imported"), "{out}");
    let (_, json) = valuebond(other.path(), &["report", "terra-bond"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["report"]["responses"], 0);
    let (ok, out) = valuebond(
        other.path(),
        &["import-responses", "nope", file.to_str().unwrap()],
    );
    assert!(!ok && out.contains("no survey with slug \"nope\""), "{out}");
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = valuebond_stdin(
        dir.path(),
        &["create-admin", "--email", "Boss@Brand.vn"],
        "a long enough password\n",
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("admin account created for boss@brand.vn"),
        "{out}"
    );
    assert!(
        !out.contains("a long enough password"),
        "the password is never echoed"
    );
    let (ok, out) = valuebond_stdin(
        dir.path(),
        &["create-admin", "--email", "boss@brand.vn"],
        "another long password\n",
    );
    assert!(!ok && out.contains("already exists"), "{out}");
    let (ok, out) = valuebond_stdin(
        dir.path(),
        &["create-admin", "--email", "x@brand.vn"],
        "short\n",
    );
    assert!(!ok && out.contains("at least 12 characters"), "{out}");
    let (ok, out) = valuebond_stdin(
        dir.path(),
        &["create-manager", "--email", "m@brand.vn", "--brand", "nope"],
        "a long enough password\n",
    );
    assert!(!ok && out.contains("no brand with slug \"nope\""), "{out}");
}

#[test]
fn backup_and_restore_round_trip() {
    let live = tempfile::tempdir().unwrap();
    assert!(valuebond(live.path(), &["seed-demo", "--responses", "40"]).0);
    let file = live.path().join("copy.db");
    let (ok, out) = valuebond(live.path(), &["backup", file.to_str().unwrap()]);
    assert!(ok && out.contains("backup written to"), "{out}");
    let (ok, out) = valuebond(live.path(), &["backup", file.to_str().unwrap()]);
    assert!(
        !ok && out.contains("already exists"),
        "never overwrites: {out}"
    );
    let (_, original) = valuebond(live.path(), &["report", "terra-bond"]);

    let restored = tempfile::tempdir().unwrap();
    let (ok, out) = valuebond(restored.path(), &["restore", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    let (_, again) = valuebond(restored.path(), &["report", "terra-bond"]);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&original).unwrap(),
        serde_json::from_str(&again).unwrap(),
    );
    assert_eq!(a["report"], b["report"]);

    let junk = live.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let (ok, out) = valuebond(restored.path(), &["restore", junk.to_str().unwrap()]);
    assert!(!ok, "{out}");
    let (_, still) = valuebond(restored.path(), &["report", "terra-bond"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&still).unwrap()["report"],
        a["report"],
        "a refused restore changes nothing"
    );
}

#[test]
fn survey_json_round_trips_between_instances() {
    let first = tempfile::tempdir().unwrap();
    assert!(valuebond(first.path(), &["seed-demo"]).0);
    let (ok, exported) = valuebond(first.path(), &["export-survey", "moto-freedom"]);
    assert!(ok, "{exported}");
    let file = first.path().join("moto.json");
    std::fs::write(&file, &exported).unwrap();
    let second = tempfile::tempdir().unwrap();
    let (ok, out) = valuebond(second.path(), &["import-survey", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    let (ok, again) = valuebond(second.path(), &["export-survey", "moto-freedom"]);
    assert!(ok);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&exported).unwrap(),
        serde_json::from_str(&again).unwrap(),
    );
    assert_eq!(a, b, "the same survey on both instances");
    let original: serde_json::Value =
        serde_json::from_str(include_str!("../../src/demo/moto-freedom.json")).unwrap();
    assert_eq!(a["pages"], original["pages"]);
    let (ok, out) = valuebond(second.path(), &["export-survey", "nope"]);
    assert!(!ok && out.contains("no survey with slug \"nope\""), "{out}");
}

#[test]
fn the_cli_weights_only_when_asked_and_only_with_targets() {
    let dir = tempfile::tempdir().unwrap();
    assert!(valuebond(dir.path(), &["seed-demo", "--responses", "200"]).0);
    let (ok, out) = valuebond(dir.path(), &["report", "terra-bond", "--weighted"]);
    assert!(!ok && out.contains("has no weighting targets"), "{out}");

    // Targets as the report page stores them (tenure 10 / 30 / 30 / 30 %).
    let config = valuebond::config::Config::for_data_dir(dir.path());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = valuebond::db::Store::connect(&config.database_url())
            .await
            .unwrap();
        let survey = store.survey_by_slug("terra-bond").await.unwrap().unwrap();
        let def = common::demo_definition();
        let fields: Vec<(String, String)> = [
            ("weight", "tenure"),
            ("target.tenure.not_yet", "10"),
            ("target.tenure.under_1y", "30"),
            ("target.tenure.from_1_to_3y", "30"),
            ("target.tenure.over_3y", "30"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let margins = valuebond::domain::weighting::margins_from_form(&def, &fields).unwrap();
        let actor = valuebond::db::Actor {
            user_id: None,
            email: String::new(),
        };
        store
            .set_weighting_targets((survey.id, survey.brand_id), &margins, &actor)
            .await
            .unwrap();
        store.close().await;
    });

    let (ok, json) = valuebond(dir.path(), &["report", "terra-bond", "--weighted"]);
    assert!(ok, "{json}");
    let weighted: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        weighted["report"]["weighting"]["outcome"]["status"],
        "weighted"
    );
    assert!(weighted["report"]["headline"]["values_bonded"]["n_eff"].is_number());
    let (ok, json) = valuebond(dir.path(), &["report", "terra-bond"]);
    assert!(ok, "{json}");
    let plain: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(plain["report"]["weighting"].is_null());
    assert_eq!(plain["filters"], "weights=off");
    let (_, csv) = valuebond(
        dir.path(),
        &["report", "terra-bond", "--format", "csv", "--weighted"],
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let weight = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "weight")
        .unwrap();
    for record in reader.records() {
        let w: f64 = record.unwrap()[weight].parse().unwrap();
        assert!(w > 0.0);
    }
}
