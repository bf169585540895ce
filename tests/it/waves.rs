//! Two waves compared: two populations imported as response CSV, one completed in May and
//! June, one in August and September with 120 respondents made to share the brand's values.
//! The comparison's figures (JSON and page) must equal counts made here from the stored
//! answers, its interval Newcombe's written out again here; overlapping waves are refused
//! and another brand's manager does not learn the survey exists.

use std::collections::HashMap;

use crate::common;

use common::TestApp;
use valuebond::domain::report::DAY_MS;
use valuebond::domain::{Answer, Construct};
use valuebond::reporting::parse_day;

const PASSWORD: &str = "waves password";
const FILTERS: &str =
    "first_from=2026-05-01&first_to=2026-07-10&second_from=2026-07-11&second_to=2026-09-30";

/// Values-bonded of scored respondents completed before and after `split` (Unix ms).
async fn counted_here(app: &TestApp, split: i64) -> [(u64, u64); 2] {
    let store = &app.store;
    let def = common::demo_definition();
    let value_items = common::bond_items(&def, Construct::ValueCongruence);
    let contact_items = common::bond_items(&def, Construct::ContactBond);
    let survey = store.survey_by_slug("terra-bond").await.unwrap().unwrap();
    let completed: HashMap<i64, i64> = store
        .report_rows(survey.id, &Default::default())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.respondent_id, r.completed_at))
        .collect();
    let mut counts = [(0, 0); 2];
    for (id, answers) in store.completed_answers(survey.id).await.unwrap() {
        let answers: HashMap<String, String> = answers.into_iter().collect();
        let wave = usize::from(completed[&id] >= split);
        if let (Some(v), Some(_)) = (
            common::bond_mean(&answers, &value_items),
            common::bond_mean(&answers, &contact_items),
        ) {
            counts[wave].0 += u64::from(v >= def.bond_threshold);
            counts[wave].1 += 1;
        }
    }
    counts
}

async fn two_imported_waves_differ_by_what_was_imported(app: &TestApp) {
    let def = common::demo_definition();
    let at = |day: &str| parse_day(day).unwrap() * DAY_MS;
    let first = common::population_csv_until(&def, 300, 21, at("2026-07-01"), |_, _| {});
    // The second wave: the first 120 respondents agree fully with every value item.
    let second = common::population_csv_until(&def, 300, 22, at("2026-09-21"), |i, answers| {
        if i < 120 {
            for q in def.questions_with(Construct::ValueCongruence) {
                let x = if q.reverse { 1 } else { 7 };
                answers.insert(q.key.clone(), Answer::Scale(x));
            }
        }
    });
    for csv in [first, second] {
        let imported = valuebond::reporting::import_responses(&app.store, "terra-bond", &csv)
            .await
            .unwrap();
        assert_eq!(imported, 300);
    }
    let [(x1, n1), (x2, n2)] = counted_here(app, at("2026-07-11")).await;
    assert!(n1 >= 250 && n2 >= 250, "most respondents are scored");

    let b = common::signed_in_admin(app, PASSWORD).await;
    let res = b
        .get(&format!("/reports/terra-bond/compare.json?{FILTERS}"))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(json["filters"], FILTERS, "the comparison names its waves");
    let c = &json["comparison"];
    assert_eq!(
        (
            c["first_responses"].as_u64(),
            c["second_responses"].as_u64()
        ),
        (Some(300), Some(300))
    );
    let rows = c["rows"].as_array().unwrap();
    let values = rows
        .iter()
        .find(|r| r["measure"]["measure"] == "values_bonded")
        .unwrap();
    let x = |f: &serde_json::Value| (f["x"].as_u64().unwrap(), f["n"].as_u64().unwrap());
    assert_eq!(
        x(&values["first"]),
        (x1, n1),
        "first wave counted from the answers"
    );
    assert_eq!(
        x(&values["second"]),
        (x2, n2),
        "second wave counted from the answers"
    );
    // Newcombe's hybrid score interval of p2 − p1, written out again.
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let (w1, w2) = (
        common::wilson(x1 as f64, n1 as f64),
        common::wilson(x2 as f64, n2 as f64),
    );
    let diff = p2 - p1;
    let lo = diff - ((p2 - w2.0).powi(2) + (w1.1 - p1).powi(2)).sqrt();
    let hi = diff + ((w2.1 - p2).powi(2) + (p1 - w1.0).powi(2)).sqrt();
    let change = &values["change"];
    let close = |a: &serde_json::Value, b: f64| assert!((a.as_f64().unwrap() - b).abs() < 1e-9);
    close(&change["diff"], diff);
    close(&change["ci"]["lo"], lo);
    close(&change["ci"]["hi"], hi);
    assert!(diff > 0.2, "120 of 300 made values-bonded: {diff}");
    assert_eq!(change["detectable"], true);
    assert!(change["p"].as_f64().unwrap() < 1e-6);
    let tested: Vec<&serde_json::Value> = rows.iter().filter(|r| !r["change"].is_null()).collect();
    assert_eq!(c["family"].as_u64(), Some(tested.len() as u64));
    assert!(
        tested.len() > 10,
        "headline, classes, values and NPS are compared"
    );
    for r in &tested {
        assert!(r["change"]["p_holm"].as_f64() >= r["change"]["p"].as_f64());
    }

    // The page says it in words, and keeps the waves in its form and language links.
    let html = b
        .get(&format!("/reports/terra-bond/compare?{FILTERS}&lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("figures changed detectably"), "{html}");
    assert!(html.contains(r#"value="2026-07-11""#));
    assert!(html.contains(&format!(
        "{:+.1} [{:.1}; {:.1}]",
        100.0 * diff,
        100.0 * lo,
        100.0 * hi
    )));

    // Waves that could share a respondent are refused, with the form to correct them.
    let res = b
        .get("/reports/terra-bond/compare?first_from=2026-05-01&second_from=2026-06-01&lang=en")
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("The two waves overlap"));
    let res = b
        .get("/reports/terra-bond/compare.json?first_from=2026-05-01&second_from=2026-06-01")
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing chosen: the form, with a suggestion, and no figures.
    let html = b
        .get("/reports/terra-bond/compare?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Suggested: last month against this month"));
    assert!(!html.contains("sec-waves"));

    // Another brand's manager: the survey does not exist for them.
    common::create_manager(app, "moto@example.vn", PASSWORD, "tudo-motor").await;
    let other = app.browser();
    other.login("moto@example.vn", PASSWORD).await;
    for path in ["compare", "compare.json"] {
        let res = other
            .get(&format!("/reports/terra-bond/{path}?{FILTERS}"))
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
    }
}

on_every_backend!(
    two_imported_waves_differ_by_what_was_imported_on_every_backend,
    two_imported_waves_differ_by_what_was_imported
);
