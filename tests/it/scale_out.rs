//! Scale-out: two instances on one PostgreSQL database complete 500 responses of one
//! survey at once, and every figure of the report equals a direct count of the stored
//! score rows (and the speeder median's duration counts a direct count of the respondents'
//! times), before and after the completions' own rollup rows are folded
//! (`db::rollups`), and after respondents are deleted while their rows are unfolded and
//! after they are folded. The instances do not fold in the background here
//! (`FOLD_INTERVAL_MS=0`), so each state is reached for certain. On SQLite (one process writes the file; several instances are not a
//! deployment it supports under write load) one instance takes the same load.

use crate::common;

use common::{asked_keys, demo_definition, hidden_value, location, Browser, TestApp};
use reqwest::StatusCode;
use valuebond::db::Backend;
use valuebond::domain::quality::{duration_bucket, duration_seconds};
use valuebond::domain::{Answer, AnswerSet, QuestionKind, SurveyDefinition};

const RESPONDENTS: usize = 500;
const AT_ONCE: usize = 40;

/// An answer to `key` that varies with respondent `i` (so that the report has something
/// to tell apart), falling back to the values-bonded answer where a value would not parse.
fn varied_answer(def: &SurveyDefinition, key: &str, i: usize) -> String {
    let q = def.question(key).expect("a question of the survey");
    let h = i.wrapping_mul(2_654_435_761) / 7
        + key.len() * 31
        + key.bytes().map(usize::from).sum::<usize>();
    let pick = |options: usize| h % options.max(1);
    let candidate = match q.kind {
        QuestionKind::Agree7 => (1 + pick(7)).to_string(),
        QuestionKind::Recommend10 => pick(11).to_string(),
        QuestionKind::YesNoDk => ["yes", "no", "yes", "dk"][pick(4)].to_string(),
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            q.options[pick(q.options.len())].key.clone()
        }
        QuestionKind::ContactFrequency => pick(7).to_string(),
        QuestionKind::ShortText | QuestionKind::LongText => format!("ý kiến {i}"),
    };
    match Answer::parse(q, std::slice::from_ref(&candidate)) {
        Ok(Some(_)) => candidate,
        _ => common::values_bonded_answer(def, key, "yes").unwrap(),
    }
}

/// Respondent `i` answers every page, alternating instances page by page.
async fn complete(browsers: [&Browser; 2], def: &SurveyDefinition, i: usize) {
    let mut to = browsers[i % 2].start(&def.slug).await;
    let mut answers = AnswerSet::new();
    for page in 0..20 {
        if to.ends_with("/thanks") {
            return;
        }
        let b = browsers[(i + page) % 2];
        let html = b.get(&to).await.text().await.unwrap();
        let mut form = vec![("_idem".to_string(), hidden_value(&html, "_idem").unwrap())];
        for key in asked_keys(&html) {
            let value = varied_answer(def, &key, i);
            let q = def.question(&key).unwrap();
            if let Ok(Some(a)) = Answer::parse(q, std::slice::from_ref(&value)) {
                answers.insert(key.clone(), a);
            }
            form.push((format!("q.{key}"), value));
        }
        form.push(("_nav".into(), "next".into()));
        let res = b.post(&to, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "respondent {i}, {to}");
        to = location(&res);
    }
    panic!("respondent {i} did not finish: stuck at {to}");
}

/// The report from the rollups against the report built from the score rows, with
/// `expected` complete responses.
async fn assert_report_is_a_direct_count(
    app: &TestApp,
    staff: &Browser,
    expected: usize,
    what: &str,
) {
    let def = demo_definition();
    let survey = app.store.survey_by_slug(&def.slug).await.unwrap().unwrap();
    let rows = app
        .store
        .report_rows(survey.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(rows.len(), expected, "{what}: score rows");
    for (query, segment, period) in [
        (
            "segment=tenure&period=week",
            Some("tenure"),
            valuebond::domain::report::Period::Week,
        ),
        (
            "period=month",
            None,
            valuebond::domain::report::Period::Month,
        ),
    ] {
        let options = valuebond::domain::report::ReportOptions {
            threshold: def.bond_threshold,
            segment: segment.map(String::from),
            period,
            include_flagged: false,
        };
        let direct = valuebond::domain::report::build(&def, &rows, Default::default(), &options);
        let res = staff
            .get(&format!("/reports/{}/report.json?{query}", def.slug))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let from_rollups: serde_json::Value =
            serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let mut direct = serde_json::to_value(&direct).unwrap();
        direct["funnel"] = from_rollups["report"]["funnel"].clone();
        common::assert_json_close(&from_rollups["report"], &direct, &format!("{what} {query}"));
        assert_eq!(
            from_rollups["report"]["funnel"]["completed"].as_u64(),
            Some(expected as u64),
            "{what}: funnel"
        );
    }
    let completed: i64 = app
        .store
        .versions(survey.id)
        .await
        .unwrap()
        .iter()
        .map(|v| v.completed)
        .sum();
    assert_eq!(
        completed, expected as i64,
        "{what}: the versions' completed counts"
    );
    // The speeder median's counts: every complete response's duration, once.
    let mut direct = std::collections::BTreeMap::<i64, i64>::new();
    for (started, completed) in app.store.completion_times(survey.id).await.unwrap() {
        *direct
            .entry(duration_bucket(duration_seconds(started, completed)))
            .or_default() += 1;
    }
    assert_eq!(
        app.store.duration_counts(survey.id).await.unwrap(),
        direct.into_iter().collect::<Vec<_>>(),
        "{what}: the duration counts"
    );
}

async fn two_instances_complete_500_responses_exactly(app: &TestApp) {
    let other = app.sibling().await;
    let second = match app.backend {
        Backend::Postgres => other.base.clone(),
        Backend::Sqlite => app.base.clone(),
    };
    let def = demo_definition();
    let mut tasks = Vec::new();
    for worker in 0..AT_ONCE {
        let (bases, def) = ([app.base.clone(), second.clone()], def.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = worker;
            while i < RESPONDENTS {
                // A browser per respondent, talking to both instances.
                let first = Browser::new(&bases[0]);
                let second = first.at(&bases[1]);
                complete([&first, &second], &def, i).await;
                i += AT_ONCE;
            }
        }));
    }
    for task in tasks {
        task.await.expect("a respondent's task");
    }
    let staff = common::signed_in_admin(app, "scale out password").await;
    if app.backend == Backend::Postgres {
        // Every completion's rows are its own until folded: everyone's, its groups' and
        // its profile's rollup rows, and its duration.
        assert!(app.store.unfolded_rows().await.unwrap() >= 5 * RESPONDENTS as i64);
    }
    assert_report_is_a_direct_count(app, &staff, RESPONDENTS, "as written").await;
    delete_some(app, 5).await;
    assert_report_is_a_direct_count(app, &staff, RESPONDENTS - 5, "unfolded, deleted").await;
    while app.store.fold().await.unwrap() > 0 {}
    assert_eq!(app.store.unfolded_rows().await.unwrap(), 0);
    assert_report_is_a_direct_count(app, &staff, RESPONDENTS - 5, "folded").await;
    delete_some(app, 5).await;
    assert_report_is_a_direct_count(app, &staff, RESPONDENTS - 10, "folded, deleted").await;
}

/// Deletes the `n` newest complete respondents of the demo survey.
async fn delete_some(app: &TestApp, n: i64) {
    let survey = app
        .store
        .survey_by_slug("terra-bond")
        .await
        .unwrap()
        .unwrap();
    for r in app.store.completed_responses(survey.id, n).await.unwrap() {
        app.store.delete_respondent(r.id).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_complete_500_responses_exactly_on_every_backend() {
    for backend in common::backends() {
        let app = TestApp::spawn_with(backend, |c| {
            c.rate_client = 0.0;
            c.untimed_pages = true;
            c.fold_interval_ms = 0;
        })
        .await;
        two_instances_complete_500_responses_exactly(&app).await;
        app.finish().await;
    }
}
