//! Response quality: 90 people answer the demo survey at a person's pace, then 10 seeded
//! bad responses arrive (4 speeders, 3 straight-liners, 3 bots: two posting at machine
//! speed, one filling in the hidden field). Every seeded one is flagged for its reason and
//! at most 5 real ones are; the report leaves the flagged out by default and says how
//! many and why, counts them on request; the CSV and the response viewer show the flags.
//!
//! Time is the server's: each page's "served" moment is when the server answered the
//! previous post. The test moves a respondent's clock back before each post
//! (`backdate_respondent`) to stand for the time a person spends on the page.

use std::collections::HashMap;

use crate::common;

use common::{Browser, TestApp};
use reqwest::StatusCode;
use valuebond::domain::quality::Flag;
use valuebond::domain::{AnswerSet, Construct, QuestionKind};

const PASSWORD: &str = "quality password";
const SLUG: &str = "terra-bond";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Person,
    Speeder,
    StraightLiner,
    FastBot,
    HoneypotBot,
}

impl Kind {
    /// Milliseconds the respondent spends on each page.
    fn pace(self, i: usize) -> i64 {
        match self {
            Kind::Person | Kind::StraightLiner | Kind::HoneypotBot => 15_000 + 200 * i as i64,
            Kind::Speeder => 2_000,
            Kind::FastBot => 0,
        }
    }

    fn flag(self) -> Option<Flag> {
        match self {
            Kind::Person => None,
            Kind::Speeder => Some(Flag::Speeder),
            Kind::StraightLiner => Some(Flag::StraightLiner),
            Kind::FastBot | Kind::HoneypotBot => Some(Flag::Bot),
        }
    }
}

/// Answers the survey as `kind` would; returns the respondent's id.
async fn respond(app: &TestApp, kind: Kind, i: usize) -> i64 {
    let def = common::demo_definition();
    let b: Browser = app.browser();
    let mut to = b.start(SLUG).await;
    let token = b.resume_token(SLUG).expect("a resume cookie");
    let id = app
        .store
        .respondent_by_token(&valuebond::tokens::hash_token(&token))
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut answers = AnswerSet::new();
    while !to.ends_with("/thanks") {
        let html = b.get(&to).await.text().await.unwrap();
        assert!(
            html.contains(r#"<div hidden=""><label for="vb-honeypot">"#),
            "every page has the hidden field"
        );
        let mut form = common::page_form(&def, &mut answers, "yes", &html);
        if kind == Kind::StraightLiner {
            for (name, value) in &mut form {
                let q = name.strip_prefix("q.").and_then(|k| def.question(k));
                if q.is_some_and(|q| q.kind == QuestionKind::Agree7) {
                    *value = "4".into();
                }
            }
        }
        if kind == Kind::HoneypotBot {
            form.push(("website".into(), "https://spam.example".into()));
        }
        app.store
            .backdate_respondent(id, kind.pace(i))
            .await
            .unwrap();
        let res = b.post(&to, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind:?} posts {to}");
        to = common::location(&res);
    }
    id
}

async fn seeded_bad_responses_are_flagged_and_left_out(app: &TestApp) {
    let def = common::demo_definition();
    // Straight-lining needs a reverse-keyed item among the bond pages' agree-7 items.
    assert!(def
        .questions_with(Construct::ValueCongruence)
        .any(|q| q.reverse));
    let mut kinds: Vec<(i64, Kind)> = Vec::new();
    for i in 0..90 {
        kinds.push((respond(app, Kind::Person, i).await, Kind::Person));
    }
    let seeded = [Kind::Speeder; 4]
        .into_iter()
        .chain([Kind::StraightLiner; 3])
        .chain([Kind::FastBot; 2])
        .chain([Kind::HoneypotBot]);
    for (i, kind) in seeded.enumerate() {
        kinds.push((respond(app, kind, i).await, kind));
    }

    let survey = app.store.survey_by_slug(SLUG).await.unwrap().unwrap();
    let flags: HashMap<i64, valuebond::domain::quality::QualityFlags> = app
        .store
        .report_rows(survey.id, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.respondent_id, r.scores.quality))
        .collect();
    assert_eq!(flags.len(), 100);
    let mut real_flagged = 0;
    for (id, kind) in &kinds {
        match kind.flag() {
            Some(flag) => assert!(flags[id].has(flag), "{kind:?} {id}: {:?}", flags[id]),
            None => real_flagged += u64::from(!flags[id].is_clean()),
        }
    }
    assert!(real_flagged <= 5, "{real_flagged} people flagged");

    let b = common::signed_in_admin(app, PASSWORD).await;
    let json = |path: String| {
        let b = &b;
        async move {
            let res = b.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            serde_json::from_str::<serde_json::Value>(&res.text().await.unwrap()).unwrap()
        }
    };
    let report = json(format!("/reports/{SLUG}/report.json")).await;
    let quality = &report["report"]["quality"];
    let flagged = 10 + real_flagged;
    assert_eq!(quality["included"], false);
    assert_eq!(quality["flagged"]["responses"].as_u64(), Some(flagged));
    assert!(quality["flagged"]["speeder"].as_u64() >= Some(4));
    assert!(quality["flagged"]["straight_liner"].as_u64() >= Some(3));
    assert!(quality["flagged"]["bot"].as_u64() >= Some(3));
    assert_eq!(report["report"]["responses"].as_u64(), Some(100 - flagged));
    assert_eq!(report["report"]["funnel"]["completed"], 100);
    let included = json(format!("/reports/{SLUG}/report.json?flagged=include")).await;
    assert_eq!(included["report"]["responses"], 100);
    assert_eq!(included["report"]["quality"]["included"], true);
    assert_eq!(included["filters"], "flagged=include");
    // The direct path (a cut with a segment comparison) leaves the same ones out.
    let direct = json(format!(
        "/reports/{SLUG}/report.json?segment=activity&cut=tenure:not_yet"
    ))
    .await;
    let cut_flagged = direct["report"]["quality"]["flagged"]["responses"]
        .as_u64()
        .unwrap();
    assert_eq!(
        direct["report"]["responses"].as_u64().unwrap() + cut_flagged,
        flags.len() as u64,
        "everyone answered tenure 'not yet'"
    );

    // The page says it, in the reader's language, with the switch.
    let html = b
        .get(&format!("/reports/{SLUG}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!(
        "{flagged} flagged responses are left out of the figures"
    )));
    assert!(html.contains(&format!(
        r#"href="/reports/{SLUG}?flagged=include#quality-note""#
    )));

    // The CSV has every response and its flags; the viewer shows them.
    let csv = b
        .get(&format!("/reports/{SLUG}/responses.csv"))
        .await
        .text()
        .await
        .unwrap();
    let records = valuebond::domain::responses_csv::parse_records(&csv).unwrap();
    let column = records[0]
        .iter()
        .position(|c| c == "score_quality_flags")
        .unwrap();
    assert_eq!(records.len() - 1, 100);
    let named = |name: &str| {
        records[1..]
            .iter()
            .filter(|r| r[column].contains(name))
            .count()
    };
    assert!(named("speeder") >= 4 && named("straight_liner") >= 3 && named("bot") >= 3);
    let (bot, _) = kinds.iter().find(|(_, k)| *k == Kind::HoneypotBot).unwrap();
    let shown = b
        .get(&format!("/admin/surveys/{SLUG}/responses/{bot}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(shown.contains("Quality flags: bot"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_bad_responses_are_flagged_and_left_out_on_every_backend() {
    for backend in common::backends() {
        // Pages are timed here (the other tests post at machine speed with them untimed).
        let app = TestApp::spawn_with(backend, |c| c.rate_client = 0.0).await;
        seeded_bad_responses_are_flagged_and_left_out(&app).await;
        app.finish().await;
    }
}
