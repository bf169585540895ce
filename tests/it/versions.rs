//! A report over two survey versions with different bond thresholds and item sets. A
//! population is imported as response CSV into version 1 (t = 5.0, three value items) and
//! version 2 (t = 5.5, two value items); the report's figures, from the rollups (page JSON
//! and CLI) and from the score rows (a group cut with a segment comparison), must equal
//! counts made here from the stored answers at the report's one threshold, 5.5.

use std::collections::HashMap;
use std::process::Command;

use crate::common;

use common::TestApp;
use valuebond::db::Actor;
use valuebond::domain::Construct;

const PASSWORD: &str = "versions password";

#[derive(Debug, Default, PartialEq)]
struct Counts {
    scored: u64,
    values_bonded: u64,
    contact_bonded: u64,
    /// values_only, both, contact_only, neither
    classes: [u64; 4],
}

fn count_at(pairs: &[(f64, f64)], t: f64) -> Counts {
    let mut c = Counts::default();
    for &(v, k) in pairs {
        c.scored += 1;
        c.values_bonded += u64::from(v >= t);
        c.contact_bonded += u64::from(k >= t);
        let class = match (v >= t, k >= t) {
            (true, false) => 0,
            (true, true) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        c.classes[class] += 1;
    }
    c
}

fn counts_of(headline: &serde_json::Value) -> Counts {
    let x = |v: &serde_json::Value| v["x"].as_u64().unwrap();
    let class = |name: &str| {
        headline["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"] == name)
            .map(|c| x(&c["share"]))
            .unwrap()
    };
    Counts {
        scored: headline["scored"].as_u64().unwrap(),
        values_bonded: x(&headline["values_bonded"]),
        contact_bonded: x(&headline["contact_bonded"]),
        classes: ["values_only", "both", "contact_only", "neither"].map(class),
    }
}

async fn a_report_over_two_versions_counts_everyone_at_the_reports_threshold(app: &TestApp) {
    let store = &app.store;
    let v1 = store
        .newest_version("terra-bond")
        .await
        .unwrap()
        .unwrap()
        .definition;
    assert_eq!(v1.bond_threshold, 5.0);
    let value_items = common::bond_items(&v1, Construct::ValueCongruence);
    let contact_items = common::bond_items(&v1, Construct::ContactBond);
    assert!(value_items.iter().any(|(_, reverse)| *reverse));
    let imported = valuebond::reporting::import_responses(
        store,
        "terra-bond",
        &common::population_csv(&v1, 400, 11, |_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(imported, 400);

    // Version 2: a stricter threshold and one value item fewer.
    let actor = Actor {
        user_id: None,
        email: "test@example.vn".into(),
    };
    let draft = store
        .edit_draft("terra-bond", &actor, |def| {
            def.bond_threshold = 5.5;
            for page in &mut def.pages {
                page.questions.retain(|q| q.key != "vc_close");
            }
            Ok::<_, ()>("threshold 5.5, without vc_close".to_string())
        })
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    store.publish_draft(&draft, &actor).await.unwrap();
    let v2 = draft.definition;
    let imported = valuebond::reporting::import_responses(
        store,
        "terra-bond",
        &common::population_csv(&v2, 400, 12, |_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(imported, 400);

    // Counted here, from the stored answers, at the report's threshold (the newest, 5.5).
    let survey = store.survey_by_slug("terra-bond").await.unwrap().unwrap();
    let stored = store.completed_answers(survey.id).await.unwrap();
    assert_eq!(stored.len(), 800);
    let rows = store
        .report_rows(survey.id, &Default::default())
        .await
        .unwrap();
    let version_of: HashMap<i64, i64> = rows
        .iter()
        .map(|r| (r.respondent_id, r.version_id))
        .collect();
    let mut pairs = Vec::new();
    let mut complete_value_items = HashMap::<i64, u64>::new();
    for (id, answers) in &stored {
        let answers: HashMap<String, String> = answers.iter().cloned().collect();
        if let (Some(v), Some(c)) = (
            common::bond_mean(&answers, &value_items),
            common::bond_mean(&answers, &contact_items),
        ) {
            pairs.push((v, c));
        }
        let version = version_of[id];
        let items = if version == draft.version_id { 2 } else { 3 };
        let answered = value_items
            .iter()
            .filter(|(k, _)| answers.get(k).is_some_and(|a| a.parse::<u8>().is_ok()))
            .count();
        if answered == items {
            *complete_value_items.entry(version).or_default() += 1;
        }
    }
    let expected = count_at(&pairs, 5.5);
    // The test is only worth something if the two thresholds disagree on this population.
    assert_ne!(count_at(&pairs, 5.0).values_bonded, expected.values_bonded);

    let b = common::signed_in_admin(app, PASSWORD).await;
    let json = |path: &'static str| {
        let b = &b;
        async move {
            let res = b.get(path).await;
            assert_eq!(res.status(), reqwest::StatusCode::OK, "{path}");
            serde_json::from_str::<serde_json::Value>(&res.text().await.unwrap()).unwrap()
        }
    };

    // Rollup path.
    // Every response counts here, the flagged ones too (straight-liners of the population).
    let report = json("/reports/terra-bond/report.json?flagged=include").await;
    let r = &report["report"];
    assert_eq!(r["threshold"], 5.5);
    assert_eq!(counts_of(&r["headline"]), expected, "rollups at t = 5.5");
    let sensitivity = r["sensitivity"].as_array().unwrap();
    for (row, t) in sensitivity.iter().zip([5.0, 6.0]) {
        assert_eq!(row["threshold"], t);
        assert_eq!(
            row["values_bonded"]["x"].as_u64().unwrap(),
            count_at(&pairs, t).values_bonded,
            "sensitivity at {t}"
        );
    }
    // Trends add up to the headline at the same t.
    let trend_bonded: u64 = r["trends"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values_bonded"]["x"].as_u64().unwrap())
        .sum();
    assert_eq!(trend_bonded, expected.values_bonded);
    // α over the respondents whose version has the newest version's items; the others
    // are counted as another item set.
    let alpha = &r["reliability"]["values_bond"];
    assert_eq!(alpha["items"], 2);
    assert_eq!(
        alpha["complete_cases"].as_u64(),
        complete_value_items.get(&draft.version_id).copied()
    );
    let first_version_complete: u64 = complete_value_items
        .iter()
        .filter(|(v, _)| **v != draft.version_id)
        .map(|(_, n)| n)
        .sum();
    assert!(first_version_complete > 0);
    assert_eq!(
        alpha["other_item_set"].as_u64(),
        Some(first_version_complete)
    );

    // The page shows the same headline.
    let html = b
        .get("/reports/terra-bond?lang=en&flagged=include")
        .await
        .text()
        .await
        .unwrap();
    let sentence = common::values_headline(expected.values_bonded, expected.scored);
    assert!(html.contains(&sentence), "{sentence}");

    // Direct path (a group cut with a segment comparison is counted from the score rows):
    // each group's headline equals the count of that group's answers.
    let cut = json(
        "/reports/terra-bond/report.json?cut=tenure:under_1y&segment=activity&flagged=include",
    )
    .await;
    let mut in_group = Vec::new();
    for answers in stored.values() {
        let answers: HashMap<String, String> = answers.iter().cloned().collect();
        if answers.get("tenure").map(String::as_str) != Some("under_1y") {
            continue;
        }
        if let (Some(v), Some(c)) = (
            common::bond_mean(&answers, &value_items),
            common::bond_mean(&answers, &contact_items),
        ) {
            in_group.push((v, c));
        }
    }
    assert_eq!(cut["report"]["threshold"], 5.5);
    assert_eq!(
        counts_of(&cut["report"]["headline"]),
        count_at(&in_group, 5.5),
        "direct path"
    );

    // The response CSV is streamed a page (500) of respondents at a time: every complete
    // respondent once, numbered in completion order, with their stored answers.
    let res = b.get("/reports/terra-bond/responses.csv").await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let csv = res.text().await.unwrap();
    let records = valuebond::domain::responses_csv::parse_records(&csv).unwrap();
    assert_eq!(records.len() - 1, stored.len(), "one row each");
    assert!(stored.len() > valuebond::reporting::EXPORT_PAGE);
    let at = records[0].iter().position(|c| c == "completed_at").unwrap();
    for (i, row) in records[1..].iter().enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
        if i > 0 {
            assert!(records[i][at] <= row[at], "completion order");
        }
    }
    // Compressed as browsers ask for it, the stream ends cleanly too.
    for encoding in ["br", "gzip"] {
        let res = b
            .get_with(
                "/reports/terra-bond/responses.csv",
                ("accept-encoding", encoding),
            )
            .await;
        assert_eq!(res.headers()["content-encoding"], encoding);
        let body = res
            .bytes()
            .await
            .expect("the whole compressed file arrives");
        assert!(body.len() > 1000);
    }
    let tenure = records[0].iter().position(|c| c == "tenure").unwrap();
    let mut tenures: Vec<String> = records[1..].iter().map(|r| r[tenure].clone()).collect();
    let mut stored_tenures: Vec<String> = stored
        .values()
        .map(|a| {
            a.iter()
                .find(|(k, _)| k == "tenure")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect();
    tenures.sort();
    stored_tenures.sort();
    assert_eq!(tenures, stored_tenures, "the stored answers, each once");

    // The CLI prints the same report.
    let mut cli = Command::new(env!("CARGO_BIN_EXE_valuebond"));
    cli.args([
        "report",
        "terra-bond",
        "--format",
        "json",
        "--include-flagged",
    ])
    .env("RUST_LOG", "warn")
    .env("DATA_DIR", &app.config.data_dir)
    .env("DATABASE_URL", app.config.database_url());
    let out = cli.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts_of(&printed["report"]["headline"]), expected, "CLI");
}

on_every_backend!(
    a_report_over_two_versions_counts_everyone_at_the_reports_threshold_on_every_backend,
    a_report_over_two_versions_counts_everyone_at_the_reports_threshold
);
