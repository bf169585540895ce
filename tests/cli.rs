//! The `valuebond` binary's subcommands, run as a user would run them.

use std::process::Command;

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
        serde_json::from_str(include_str!("../src/demo/terra-bond.json")).unwrap();
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
    def["pages"][2]["questions"][1]["value"] = "teleportation".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, def.to_string()).unwrap();
    let (ok, out) = valuebond(dir.path(), &["import-survey", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("pages[0].questions[0] (relationship).construct: construct relationship needs a YesNoDk question"), "{out}");
    assert!(out.contains("pages[2].questions[1] (per_environment).value: \"teleportation\" is not a stated value of the brand"), "{out}");

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
