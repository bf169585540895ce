//! Suppression is total: a group of 29 respondents selected with a cut filter yields no
//! share, interval, test, α or rank, on the page, in the JSON export, through a share link
//! and from the CLI, and its responses are not exported as CSV.

use std::process::Command;

use crate::common;

use common::{location, TestApp};
use reqwest::StatusCode;
use valuebond::domain::Answer;

const PASSWORD: &str = "suppression password";
const SMALL: &str = "tenure:over_3y";

/// Every object with a `base` must be a suppressed base alone (`n` and `base`), and no
/// test statistic may be present anywhere below `value`.
fn assert_nothing_derived(value: &serde_json::Value, path: &str) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(base) = map.get("base") {
                assert_eq!(base, "suppressed", "{path}");
                let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
                keys.sort();
                assert_eq!(keys, ["base", "n"], "{path}: only the base is exported");
            }
            for (k, v) in map {
                if [
                    "paired",
                    "alpha",
                    "bins",
                    "net_perception",
                    "perceived_rank",
                ]
                .contains(&k.as_str())
                    || k.ends_with("_vs_benchmark")
                    || k.ends_with("_trend")
                    || k == "fit_independence"
                {
                    assert!(v.is_null(), "{path}.{k} = {v}");
                }
                assert_nothing_derived(v, &format!("{path}.{k}"));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                assert_nothing_derived(v, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

async fn a_group_of_29_is_suppressed_everywhere(app: &TestApp) {
    let def = app
        .store
        .newest_version("terra-bond")
        .await
        .unwrap()
        .unwrap()
        .definition;
    // 200 respondents, exactly 29 of them customers for more than 3 years.
    let csv = common::population_csv(&def, 200, 5, |i, answers| {
        let tenure = if i < 29 { "over_3y" } else { "under_1y" };
        answers.insert("tenure".into(), Answer::Choice(tenure.into()));
    });
    valuebond::reporting::import_responses(&app.store, "terra-bond", &csv)
        .await
        .unwrap();
    let b = common::signed_in_admin(app, PASSWORD).await;

    // JSON: the whole report of the group carries bases only.
    let res = b
        .get(&format!("/reports/terra-bond/report.json?cut={SMALL}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(json["report"]["responses"], 29);
    assert_nothing_derived(&json["report"], "report");
    // The same report without the cut shows its figures (the check above can fail).
    let all: serde_json::Value = serde_json::from_str(
        &b.get("/reports/terra-bond/report.json")
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(all["report"]["headline"]["values_bonded"]["p"].is_number());
    assert!(all["report"]["headline"]["paired"].is_object());

    // The page says "too few" and shows no share.
    let html = b
        .get(&format!("/reports/terra-bond?cut={SMALL}&lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Too few responses to show (n = 29"), "{html}");
    assert!(!html.contains("of scored respondents share the brand"));

    // CSV: refused with a clear message, in the user's language.
    let res = b
        .get(&format!(
            "/reports/terra-bond/responses.csv?cut={SMALL}&lang=en"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Only 29 responses match these filters"));
    let res = b.get("/reports/terra-bond/responses.csv").await;
    assert_eq!(res.status(), StatusCode::OK);

    // A share link with the cut shows no figure either.
    let in_a_week = valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 + 7);
    let res = b
        .post(
            "/reports/terra-bond/share?lang=en",
            &[
                ("filters".into(), format!("cut={SMALL}")),
                ("expires".into(), in_a_week),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", location(&res));
    let created = res.text().await.unwrap();
    let start = created.find("/shared/").expect("the link is shown");
    let link: String = created[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();
    let shared = app
        .browser()
        .get(&format!("{link}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        shared.contains("Too few responses to show (n = 29"),
        "{shared}"
    );
    assert!(!shared.contains("of scored respondents share the brand"));

    // The CLI prints the same suppressed report and refuses the CSV.
    let cli = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_valuebond"))
            .args(["report", "terra-bond", "--cut", SMALL, "--format", format])
            .env("RUST_LOG", "warn")
            .env("DATA_DIR", &app.config.data_dir)
            .env("DATABASE_URL", app.config.database_url())
            .output()
            .unwrap()
    };
    let out = cli("json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_nothing_derived(&printed["report"], "cli");
    let out = cli("csv");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only 29 responses match these filters"));

    // A comparison whose first wave is two days (a handful of the 200, spread over 60
    // days) exports that wave's bases alone and compares nothing.
    let res = b
        .get("/reports/terra-bond/compare.json?first_from=2026-08-01&first_to=2026-08-02&second_from=2026-08-03")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let c = &json["comparison"];
    let small = c["first_responses"].as_u64().unwrap();
    assert!((1..30).contains(&small), "{small} in the first wave");
    assert_eq!(c["family"], 0);
    for row in c["rows"].as_array().unwrap() {
        assert!(row["change"].is_null(), "{row}");
        assert_nothing_derived(&row["first"], "comparison first wave");
        assert_eq!(row["first"]["base"], "suppressed", "{row}");
    }
}

on_every_backend!(
    a_group_of_29_is_suppressed_everywhere_on_every_backend,
    a_group_of_29_is_suppressed_everywhere
);
