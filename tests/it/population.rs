//! A synthetic population of 7,000 customers (CEB-like: about 23% with a relationship,
//! most of them for shared values) is loaded into the real database, and the report served
//! over HTTP is checked against figures the test computes itself from the stored answers.

use crate::common;

use common::TestApp;
use reqwest::StatusCode;
use valuebond::demo::seed_responses;

const PASSWORD: &str = "population password";

/// The agree-7 items on the pages holding bond items, with their reverse flag.
fn bond_page_agree7_items(def: &valuebond::domain::SurveyDefinition) -> Vec<(String, bool)> {
    use valuebond::domain::{Construct, QuestionKind};
    def.pages
        .iter()
        .filter(|p| {
            p.questions.iter().any(|q| {
                matches!(
                    q.construct,
                    Some(Construct::ValueCongruence | Construct::ContactBond)
                )
            })
        })
        .flat_map(|p| p.questions.iter())
        .filter(|q| q.kind == QuestionKind::Agree7)
        .map(|q| (q.key.clone(), q.reverse))
        .collect()
}

/// Straight-lining written out again: one value for every answered item, one of them
/// reverse-keyed.
fn straight_lined(
    answers: &std::collections::HashMap<String, String>,
    items: &[(String, bool)],
) -> bool {
    let answered: Vec<(&String, bool)> = items
        .iter()
        .filter_map(|(k, reverse)| Some((answers.get(k)?, *reverse)))
        .filter(|(v, _)| v.parse::<u8>().is_ok())
        .collect();
    answered.iter().any(|(_, reverse)| *reverse)
        && answered.iter().all(|(v, _)| *v == answered[0].0)
}

async fn the_report_matches_figures_computed_from_the_answers(app: &TestApp) {
    seed_responses(&app.store, "terra-bond", 7000, 42)
        .await
        .unwrap();
    let b = common::signed_in_admin(app, PASSWORD).await;
    // Every response is counted here, the flagged ones too (checked below).
    let res = b
        .get("/reports/terra-bond/report.json?flagged=include")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let report = &json["report"];

    // Independent computation from the raw answers.
    let def = common::demo_definition();
    let keys = |construct: &str| -> Vec<(String, bool)> {
        def.questions()
            .filter(|q| q.construct.map(|c| c.name()) == Some(construct))
            .map(|q| (q.key.clone(), q.reverse))
            .collect()
    };
    let (vc, cb) = (keys("value_congruence"), keys("contact_bond"));
    let relationship = keys("relationship")[0].0.clone();
    let survey = app
        .store
        .survey_by_slug("terra-bond")
        .await
        .unwrap()
        .unwrap();
    let all = app.store.completed_answers(survey.id).await.unwrap();
    assert_eq!(all.len(), 7000);
    let versions = app.store.versions(survey.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.completed).sum::<i64>(),
        7000,
        "per-version counts are kept"
    );
    let (mut scored, mut values_bonded, mut contact_bonded, mut yes, mut yes_no) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let bond_agree7 = bond_page_agree7_items(&def);
    let mut straight_liners = 0;
    for stored in all.values() {
        let answers: std::collections::HashMap<String, String> = stored.iter().cloned().collect();
        straight_liners += u64::from(straight_lined(&answers, &bond_agree7));
        if let (Some(v), Some(c)) = (
            common::bond_mean(&answers, &vc),
            common::bond_mean(&answers, &cb),
        ) {
            scored += 1;
            values_bonded += u64::from(v >= 5.0);
            contact_bonded += u64::from(c >= 5.0);
        }
        match answers.get(&relationship).map(String::as_str) {
            Some("yes") => (yes, yes_no) = (yes + 1, yes_no + 1),
            Some("no") => yes_no += 1,
            _ => {}
        }
    }
    let h = &report["headline"];
    assert_eq!(report["responses"], 7000);
    assert_eq!(report["quality"]["included"], true);
    // By default the straight-liners (imported responses have no timing: no speeders or
    // bots) are left out, and counted.
    let res = b.get("/reports/terra-bond/report.json").await;
    let default: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let quality = &default["report"]["quality"];
    assert_eq!(quality["included"], false);
    assert_eq!(
        quality["flagged"]["straight_liner"].as_u64(),
        Some(straight_liners)
    );
    assert_eq!(
        quality["flagged"]["responses"].as_u64(),
        Some(straight_liners)
    );
    assert_eq!(quality["flagged"]["bot"], 0);
    assert_eq!(
        default["report"]["responses"].as_u64(),
        Some(7000 - straight_liners)
    );
    assert_eq!(h["scored"].as_u64(), Some(scored));
    assert_eq!(h["values_bonded"]["x"].as_u64(), Some(values_bonded));
    assert_eq!(h["contact_bonded"]["x"].as_u64(), Some(contact_bonded));
    let (lo, hi) = common::wilson(values_bonded as f64, scored as f64);
    assert!((h["values_bonded"]["ci"]["lo"].as_f64().unwrap() - lo).abs() < 1e-9);
    assert!((h["values_bonded"]["ci"]["hi"].as_f64().unwrap() - hi).abs() < 1e-9);
    let rel = &report["ceb"]["relationship"];
    assert_eq!(
        (rel["x"].as_u64(), rel["n"].as_u64()),
        (Some(yes), Some(yes_no))
    );
    // The population was drawn to resemble the study: the report sees it.
    let share = yes as f64 / yes_no as f64;
    assert!((0.19..0.28).contains(&share), "relationship share {share}");
    let shared_values = report["ceb"]["reasons"][0]["share"]["p"].as_f64().unwrap();
    assert!(
        (0.58..0.70).contains(&shared_values),
        "shared values reason {shared_values}"
    );
    assert!(values_bonded > contact_bonded);
    // Paired difference: McNemar on the discordant pairs, significant at this size.
    assert!(h["paired"]["p"].as_f64().unwrap() < 0.001);
    // The rollups kept at completion give the same report as counting the score rows.
    let rows = app
        .store
        .report_rows(survey.id, &Default::default())
        .await
        .unwrap();
    let options = valuebond::domain::report::ReportOptions {
        threshold: def.bond_threshold,
        segment: Some("tenure".into()),
        period: valuebond::domain::report::Period::Week,
        include_flagged: false,
    };
    let direct = valuebond::domain::report::build(&def, &rows, Default::default(), &options);
    let res = b
        .get("/reports/terra-bond/report.json?segment=tenure&period=week")
        .await;
    let from_rollups: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let mut direct = serde_json::to_value(&direct).unwrap();
    direct["funnel"] = from_rollups["report"]["funnel"].clone();
    common::assert_json_close(&from_rollups["report"], &direct, "report");
    // A group cut with a segment comparison is counted from the rows: same figures.
    let res = b
        .get("/reports/terra-bond/report.json?segment=tenure&cut=activity:weekly")
        .await;
    let cut: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let weekly: Vec<_> = rows
        .iter()
        .filter(|r| r.scores.segments.get("activity").map(String::as_str) == Some("weekly"))
        .cloned()
        .collect();
    let options = valuebond::domain::report::ReportOptions {
        period: valuebond::domain::report::Period::Month,
        ..options
    };
    let mut direct = serde_json::to_value(valuebond::domain::report::build(
        &def,
        &weekly,
        Default::default(),
        &options,
    ))
    .unwrap();
    direct["funnel"] = cut["report"]["funnel"].clone();
    common::assert_json_close(&cut["report"], &direct, "cut report");
    // The page shows the same headline.
    let html = b
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    let expected = common::values_headline(values_bonded, scored);
    assert!(html.contains(&expected), "{expected}");
}

on_every_backend!(
    the_report_matches_figures_computed_from_the_answers_on_every_backend,
    the_report_matches_figures_computed_from_the_answers
);
