//! Weighting end to end: the `v2.raking` population (240 respondents by tenure and region)
//! imported as response CSV into the demo survey (its region becomes the demo's outdoor
//! activity: north → rarely, south → weekly), targets entered through the report's form,
//! and every weighted figure read back from the JSON, the page and the CSV export, to the
//! reference's 1e-6. Bad targets are refused (422, nothing stored); weights switch off;
//! another brand's manager cannot weight the survey.

use crate::common;

use common::TestApp;
use valuebond::domain::{Answer, AnswerSet, Construct, SurveyDefinition};

const PASSWORD: &str = "weighting password";

fn vector() -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(include_str!("../data/stats_vectors.json")).unwrap();
    all["v2"]["raking"].clone()
}

fn activity_of(region: &str) -> &'static str {
    match region {
        "north" => "rarely",
        _ => "weekly",
    }
}

/// Sets every bond item so that the respondent is values-bonded (V = 7, C = 2) or not
/// (V = 2, C = 3), never straight-lined (so no response is flagged and left out).
fn set_bond(def: &SurveyDefinition, answers: &mut AnswerSet, values_bonded: bool) {
    let (v, c) = if values_bonded { (7, 2) } else { (2, 3) };
    for (construct, x) in [(Construct::ValueCongruence, v), (Construct::ContactBond, c)] {
        for q in def.questions_with(construct) {
            let x = if q.reverse { 8 - x } else { x };
            answers.insert(q.key.clone(), Answer::Scale(x));
        }
    }
}

fn reference_csv(def: &SurveyDefinition, case: &serde_json::Value) -> String {
    let people = case["respondents"].as_array().unwrap();
    common::population_csv(def, people.len(), 31, |i, answers| {
        let r = &people[i];
        let choose = |key: &str, option: &str| (key.to_string(), Answer::Choice(option.into()));
        let (k, a) = choose("tenure", r["tenure"].as_str().unwrap());
        answers.insert(k, a);
        let (k, a) = choose("activity", activity_of(r["region"].as_str().unwrap()));
        answers.insert(k, a);
        set_bond(def, answers, r["values_bonded"].as_u64() == Some(1));
    })
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The targets of `v2.raking` as the form sends them (the demo's extra options at 0).
fn target_form(tenure_over_3y: &str) -> Vec<(String, String)> {
    pairs(&[
        ("filters", ""),
        ("weight", "tenure"),
        ("weight", "activity"),
        ("target.tenure.not_yet", "0"),
        ("target.tenure.under_1y", "30"),
        ("target.tenure.from_1_to_3y", "40"),
        ("target.tenure.over_3y", tenure_over_3y),
        ("target.activity.rarely", "50"),
        ("target.activity.few_times_year", "0"),
        ("target.activity.monthly", "0"),
        ("target.activity.weekly", "50"),
    ])
}

fn close(a: &serde_json::Value, b: &serde_json::Value, what: &str) {
    let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
    assert!((a - b).abs() < 1e-6, "{what}: {a} vs {b}");
}

async fn report_json(b: &common::Browser, query: &str) -> serde_json::Value {
    let res = b
        .get(&format!("/reports/terra-bond/report.json?{query}"))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

async fn targets_weight_every_figure_to_the_reference(app: &TestApp) {
    let def = common::demo_definition();
    let case = vector();
    let imported = valuebond::reporting::import_responses(
        &app.store,
        "terra-bond",
        &reference_csv(&def, &case),
    )
    .await
    .unwrap();
    assert_eq!(imported, 240);
    let b = common::signed_in_admin(app, PASSWORD).await;

    // Before any targets: unweighted, and the card says so.
    let plain = report_json(&b, "").await;
    assert!(plain["report"]["weighting"].is_null());
    close(
        &plain["report"]["headline"]["values_bonded"]["p"],
        &case["values_bonded_unweighted"],
        "unweighted share",
    );
    let html = b
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("No targets set: the figures are unweighted."));

    // Targets that do not add up are refused with the form kept; nothing is stored.
    let res = b
        .post("/reports/terra-bond/weighting?lang=en", &target_form("20"))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("add up to 90.00%, not 100%"), "{html}");
    assert!(html.contains(r#"value="20""#), "the entered share is kept");
    assert!(report_json(&b, "").await["report"]["weighting"].is_null());

    // The reference targets: every figure is weighted.
    let res = b
        .post("/reports/terra-bond/weighting", &target_form("30"))
        .await;
    assert_eq!(
        common::location(&res),
        "/reports/terra-bond?weighting=saved#weighting"
    );
    let json = report_json(&b, "").await;
    let r = &json["report"];
    let outcome = &r["weighting"]["outcome"];
    assert_eq!(outcome["status"], "weighted", "{outcome}");
    close(&outcome["n_eff"], &case["n_eff"], "n_eff");
    close(
        &outcome["largest_weight"],
        &case["max_weight"],
        "largest weight",
    );
    close(
        &outcome["smallest_weight"],
        &case["min_weight"],
        "smallest weight",
    );
    let share = &r["headline"]["values_bonded"];
    assert_eq!(share["n"], 240);
    close(
        &share["p"],
        &case["values_bonded_weighted"],
        "weighted share",
    );
    close(&share["n_eff"], &case["n_eff"], "share's n_eff");
    close(&share["ci"]["lo"], &case["wilson_n_eff"][0], "interval");
    close(&share["ci"]["hi"], &case["wilson_n_eff"][1], "interval");
    assert!(
        r["outcomes"][0]["nps"]["n_eff"].is_number(),
        "outcomes are weighted too"
    );

    // The page says so at the top, with n, n_eff and the weights' range.
    let html = b
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("The figures are weighted: 240 respondents, effective sample size n_eff = 193.1; smallest weight 0.51, largest 2.24."), "{html}");
    assert!(html.contains("Targets set by admin@example.vn on"));
    assert!(html.contains(r#"name="target.tenure.from_1_to_3y" min="0" max="100" step="0.01" inputmode="decimal" value="40""#));

    // Each respondent's weight in the CSV is their cell's reference weight.
    let csv = b
        .get("/reports/terra-bond/responses.csv")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (tenure, activity, weight) = (column("tenure"), column("activity"), column("weight"));
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let region = if &record[activity] == "rarely" {
            "north"
        } else {
            "south"
        };
        let cell = format!("{}/{region}", &record[tenure]);
        let w: f64 = record[weight].parse().unwrap();
        close(&serde_json::json!(w), &case["weight_by_cell"][&cell], &cell);
        rows += 1;
    }
    assert_eq!(rows, 240);

    // The switch shows the unweighted figures, and says the targets are there.
    let off = report_json(&b, "weights=off").await;
    assert!(off["report"]["weighting"].is_null());
    assert!(off["report"]["headline"]["values_bonded"]["n_eff"].is_null());
    assert_eq!(off["filters"], "weights=off");

    // A base where a target cannot be met: unweighted, and why.
    let cut = report_json(&b, "cut=activity:rarely").await;
    assert_eq!(
        cut["report"]["weighting"]["outcome"]["status"],
        "empty_target"
    );
    assert!(cut["report"]["headline"]["values_bonded"]["n_eff"].is_null());

    // Removing the targets; the audit log has both changes.
    let res = b
        .post(
            "/reports/terra-bond/weighting",
            &pairs(&[("filters", ""), ("clear", "1")]),
        )
        .await;
    assert_eq!(
        common::location(&res),
        "/reports/terra-bond?weighting=removed#weighting"
    );
    assert!(report_json(&b, "").await["report"]["weighting"].is_null());
    let audit = app.store.audit_log(None, 10).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"weighting_set") && actions.contains(&"weighting_cleared"));

    // Another brand's manager cannot weight this survey (nor learn it exists).
    common::create_manager(app, "moto@example.vn", PASSWORD, "tudo-motor").await;
    let other = app.browser();
    other.login("moto@example.vn", PASSWORD).await;
    let res = other
        .post("/reports/terra-bond/weighting", &target_form("30"))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND);
    assert!(app
        .store
        .weighting_targets(
            app.store
                .survey_by_slug("terra-bond")
                .await
                .unwrap()
                .unwrap()
                .id
        )
        .await
        .unwrap()
        .is_none());
}

on_every_backend!(
    targets_weight_every_figure_to_the_reference_on_every_backend,
    targets_weight_every_figure_to_the_reference
);
