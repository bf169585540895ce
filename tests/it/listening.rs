//! "What customers said" end to end on the real server: 70 imported respondents of the
//! demo survey with written answers (56 values-only, 14 contact-only), read under filters
//! and searched without diacritics, coded (audited), suggested from keywords and
//! confirmed or rejected, masked on the page and in the CSV unless an admin turns masking
//! off, and never shown under a base of 30, to another brand's manager or by a share link.

use crate::common;

use common::{location, Browser, TestApp};
use reqwest::StatusCode;
use valuebond::domain::{Answer, AnswerSet, Construct, SurveyDefinition};

const PASSWORD: &str = "listening password";
const PHONE: &str = "0912 345 678";
const EMAIL: &str = "an.nguyen@example.com";

/// V = 7, C = 2 (values only) or the reverse (contact only), never straight-lined.
fn set_bond(def: &SurveyDefinition, answers: &mut AnswerSet, values_only: bool) {
    let (v, c) = if values_only { (7, 2) } else { (2, 7) };
    for (construct, x) in [(Construct::ValueCongruence, v), (Construct::ContactBond, c)] {
        for q in def.questions_with(construct) {
            let x = if q.reverse { 8 - x } else { x };
            answers.insert(q.key.clone(), Answer::Scale(x));
        }
    }
}

/// Respondent i's comment: 0 (contact only) praises the environment and leaves contact
/// details; every third writes about repairs; the others about slow delivery.
fn comment(i: usize) -> String {
    match i {
        0 => format!("Terra bảo vệ MÔI TRƯỜNG tốt. Gọi tôi: {PHONE} hoặc {EMAIL}"),
        _ if i % 3 == 1 => format!("Áo được sửa chữa miễn phí, rất hài lòng (số {i})"),
        _ => format!("Giao hàng hơi chậm (số {i})"),
    }
}

async fn import(app: &TestApp) {
    let def = common::demo_definition();
    let csv = common::population_csv(&def, 70, 17, |i, answers| {
        set_bond(&def, answers, i % 5 != 0);
        answers.insert("comment".into(), Answer::Text(comment(i)));
        if i == 2 {
            answers.insert("story_text".into(), Answer::Text("Đồ bền, đi phượt".into()));
        }
    });
    let imported = valuebond::reporting::import_responses(&app.store, "terra-bond", &csv)
        .await
        .unwrap();
    assert_eq!(imported, 70);
}

async fn page(b: &Browser, query: &str) -> String {
    let res = b
        .get(&format!("/reports/terra-bond/listening?lang=en&{query}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    res.text().await.unwrap()
}

/// Every respondent id of the answers on a page, in page order.
fn respondents(html: &str) -> Vec<String> {
    html.split("name=\"respondent\" value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .fold(Vec::new(), |mut ids, id| {
            if ids.last() != Some(&id) {
                ids.push(id);
            }
            ids
        })
}

/// The "older answers" link of a page.
fn older_link(html: &str) -> String {
    let end = html.find("\" rel=\"next\"").expect("an older page");
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    html[start..end].replace("&amp;", "&")
}

fn code_form(respondent: &str, code: &str, action: &str, back: &str) -> Vec<(String, String)> {
    [
        ("respondent", respondent),
        ("question", "comment"),
        ("code", code),
        ("action", action),
        ("back", back),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    app.store
        .audit_log(None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

async fn reading_filters_and_search(b: &Browser) {
    let all = page(b, "").await;
    assert!(all.contains("70 respondents match the filters."), "{all}");
    assert_eq!(all.matches("class=\"heard-answer\"").count(), 25, "a page");
    assert!(
        all.contains("rel=\"next\""),
        "older answers are a link away"
    );
    assert!(all.contains("E-mail addresses and phone numbers are masked."));
    // The second page follows the link and shows other answers.
    let second = b.get(&older_link(&all)).await.text().await.unwrap();
    assert_eq!(second.matches("class=\"heard-answer\"").count(), 25);
    assert!(respondents(&second)[0] != respondents(&all)[0]);

    // Without diacritics, in any case; đ too.
    let found = page(b, "q=moi+truong").await;
    assert!(found.contains("Terra bảo vệ MÔI TRƯỜNG tốt."), "{found}");
    assert_eq!(found.matches("class=\"heard-answer\"").count(), 1);
    assert!(found.contains("••• ••• ••••") && found.contains("•••@•••"));
    assert!(!found.contains(PHONE) && !found.contains(EMAIL), "masked");
    assert!(found.contains("<dd>Contact only</dd>"));
    let story = page(b, "q=DO+BEN").await;
    assert!(story.contains("Đồ bền, đi phượt"), "{story}");

    // A bond class narrows the base: 14 contact-only respondents are too few for text.
    let few = page(b, "class=contact_only").await;
    assert!(few.contains("at least 30 respondents match the filters (now 14)"));
    assert!(!few.contains("Giao hàng") && !few.contains("heard-answer"));
    let values = page(b, "class=values_only&q=moi+truong").await;
    assert!(values.contains("56 respondents match the filters."));
    assert!(values.contains("No written answers match these filters."));
    // A group of the report's filters under 30 hides text too.
    let group = page(b, "cut=tenure:not_yet").await;
    assert!(!group.contains("heard-answer"), "{group}");
    assert!(group.contains("Answers are shown only when"));
}

async fn coding_is_audited(app: &TestApp, b: &Browser) {
    let found = page(b, "q=moi+truong").await;
    let id = respondents(&found)[0].clone();
    let res = b
        .post(
            "/reports/terra-bond/listening/code",
            &code_form(&id, "value:environment", "confirm", "q=moi+truong"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/reports/terra-bond/listening?q=moi+truong#a-{id}-comment")
    );
    let coded = page(b, "q=moi+truong").await;
    assert!(coded.contains("<span class=\"code\">Protecting the environment</span>"));
    let mut theme = code_form(&id, "theme", "confirm", "");
    theme.push(("theme".into(), "  Liên hệ ".into()));
    b.post("/reports/terra-bond/listening/code", &theme).await;
    assert!(page(b, "q=moi+truong").await.contains("Theme: Liên hệ"));
    let removed = b
        .post(
            "/reports/terra-bond/listening/code",
            &code_form(&id, "value:environment", "remove", ""),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert!(!page(b, "q=moi+truong")
        .await
        .contains("Protecting the environment</span>"));
    // Codes that are no value of the brand, answers that do not exist: refused.
    for (respondent, code) in [(id.as_str(), "value:nope"), ("999999", "value:repair")] {
        let res = b
            .post(
                "/reports/terra-bond/listening/code?lang=en",
                &code_form(respondent, code, "confirm", ""),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{code}");
    }
    let audit = audit_actions(app).await;
    let detail = format!("respondent {id}, comment: value:environment");
    for action in ["answer_code_confirmed", "answer_code_removed"] {
        assert!(
            audit
                .iter()
                .any(|(who, a, d)| who == "admin@example.vn" && a == action && *d == detail),
            "{action}: {audit:?}"
        );
    }
}

/// 30 values-only answers coded with one theme: its share among them is shown with its
/// Wilson interval; the contact-only column (no coded answers) is not.
/// `coded` already has a confirmed code (it gets the theme too, so that every coded
/// values-only answer carries it, whichever class it is in).
async fn code_shares_by_class(b: &Browser, coded: &str) {
    let first = page(b, "class=values_only").await;
    let mut ids = respondents(&first);
    ids.extend(respondents(
        &b.get(&older_link(&first)).await.text().await.unwrap(),
    ));
    assert!(ids.len() >= 30);
    ids.truncate(30);
    ids.push(coded.to_string());
    for id in &ids {
        let mut form = code_form(id, "theme", "confirm", "");
        form.push(("theme".into(), "Giao hàng".into()));
        let res = b.post("/reports/terra-bond/listening/code", &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let html = page(b, "").await;
    let (lo, _) = common::wilson(30.0, 30.0);
    // 30 or 31 coded values-only answers: both give [89–100%].
    assert!(
        html.contains(&format!("[{:.0}–100%]", 100.0 * lo)),
        "{html}"
    );
    assert!(html.contains("<span class=\"figure\">100%</span>"));
    assert!(html.contains("<th scope=\"row\">Theme: Giao hàng</th>"));
}

/// Returns the respondent whose suggestion was confirmed.
async fn suggestions_are_confirmed_or_rejected(app: &TestApp, b: &Browser) -> String {
    // The keywords are edited on the brand page.
    let keywords = [
        ("kw.repair.vi", "sửa chữa\n bảo hành ,"),
        ("kw.repair.en", "repair"),
        ("kw.environment.en", ""),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let res = b
        .post("/admin/brands/terra-outdoor/keywords", &keywords)
        .await;
    assert_eq!(
        location(&res),
        "/admin/brands/terra-outdoor?keywords=saved#keywords"
    );
    let brand = b
        .get("/admin/brands/terra-outdoor?lang=en&keywords=saved")
        .await;
    let brand = brand.text().await.unwrap();
    assert!(brand.contains("Keywords saved."));
    assert!(
        brand.contains("name=\"kw.repair.vi\" rows=\"3\">sửa chữa\nbảo hành</textarea>"),
        "{brand}"
    );
    let html = page(b, "q=sua+chua").await;
    let ids = respondents(&html);
    assert!(ids.len() >= 2);
    assert_eq!(
        html.matches("aria-label=\"Confirm code Repair over replace\"")
            .count(),
        ids.len(),
        "every uncoded repair answer gets the suggestion"
    );
    assert!(!page(b, "q=giao+hang").await.contains("Suggested"));
    for (id, action) in [(&ids[0], "reject"), (&ids[1], "confirm")] {
        let res = b
            .post(
                "/reports/terra-bond/listening/code",
                &code_form(id, "value:repair", action, "q=sua+chua"),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let after = page(b, "q=sua+chua").await;
    assert_eq!(
        after
            .matches("aria-label=\"Confirm code Repair over replace\"")
            .count(),
        ids.len() - 2,
        "the rejected and the confirmed answer are no longer suggested"
    );
    assert!(after.contains("<span class=\"code\">Repair over replace</span>"));
    let audit = audit_actions(app).await;
    assert!(audit.iter().any(|(_, a, _)| a == "answer_code_rejected"));
    assert!(audit
        .iter()
        .any(|(_, a, d)| a == "value_keywords_set" && d == "repair"));
    ids[1].clone()
}

async fn masking_on_and_off(app: &TestApp, b: &Browser) {
    let csv = b
        .get("/reports/terra-bond/responses.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("••• ••• ••••") && !csv.contains(PHONE) && !csv.contains(EMAIL));
    // The admin's response viewer masks the same way.
    let id = respondents(&page(b, "q=moi+truong").await)[0].clone();
    let viewer = format!("/admin/surveys/terra-bond/responses/{id}");
    let one = b.get(&viewer).await.text().await.unwrap();
    assert!(
        one.contains("••• ••• ••••") && !one.contains(PHONE),
        "{one}"
    );
    let off = b
        .post(
            "/reports/terra-bond/listening/masking",
            &[
                ("masked".into(), "0".into()),
                ("back".into(), "q=moi+truong".into()),
            ],
        )
        .await;
    assert_eq!(
        location(&off),
        "/reports/terra-bond/listening?q=moi+truong#masking"
    );
    let shown = page(b, "q=moi+truong").await;
    assert!(shown.contains(PHONE) && shown.contains(EMAIL), "{shown}");
    let csv = b
        .get("/reports/terra-bond/responses.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(PHONE));
    assert!(b.get(&viewer).await.text().await.unwrap().contains(PHONE));
    b.post(
        "/reports/terra-bond/listening/masking",
        &[("masked".into(), "1".into())],
    )
    .await;
    assert!(!page(b, "q=moi+truong").await.contains(PHONE));
    let audit = audit_actions(app).await;
    for action in ["text_masking_off", "text_masking_on"] {
        assert!(audit.iter().any(|(_, a, _)| a == action), "{action}");
    }
}

async fn who_may_read_and_code(app: &TestApp) {
    common::create_manager(app, "terra@example.vn", PASSWORD, "terra-outdoor").await;
    common::create_manager(app, "moto@example.vn", PASSWORD, "tudo-motor").await;
    let own = app.browser();
    own.login("terra@example.vn", PASSWORD).await;
    assert!(page(&own, "q=moi+truong").await.contains("MÔI TRƯỜNG"));
    let masking = [("masked".to_string(), "0".to_string())];
    let path = "/reports/terra-bond/listening/masking";
    assert_eq!(
        own.post(path, &masking).await.status(),
        StatusCode::NOT_FOUND,
        "admins only"
    );
    let keywords = [("kw.repair.en".to_string(), "fix".to_string())];
    let res = own
        .post("/admin/brands/terra-outdoor/keywords", &keywords)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "admins only");
    let other = app.browser();
    other.login("moto@example.vn", PASSWORD).await;
    let res = other.get("/reports/terra-bond/listening").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let code = code_form("1", "theme", "confirm", "");
    let res = other
        .post("/reports/terra-bond/listening/code", &code)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let anonymous = app.browser();
    let res = anonymous.get("/reports/terra-bond/listening").await;
    assert!(location(&res).starts_with("/login?next=%2Freports%2Fterra-bond%2Flistening"));
    let res = anonymous
        .post("/reports/terra-bond/listening/code", &code)
        .await;
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
}

async fn share_links_show_no_text(b: &Browser, app: &TestApp) {
    let in_a_week = valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 + 7);
    let res = b
        .post(
            "/reports/terra-bond/share",
            &[
                ("filters".into(), String::new()),
                ("expires".into(), in_a_week),
            ],
        )
        .await;
    let html = res.text().await.unwrap();
    let start = html.find("/shared/").expect("the link is shown");
    let link: String = html[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();
    let shared = app.browser().get(&format!("{link}?lang=en")).await;
    assert_eq!(shared.status(), StatusCode::OK);
    let page = shared.text().await.unwrap();
    assert!(page.contains("id=\"sec-headline\""));
    for text in [
        "Giao hàng",
        "MÔI TRƯỜNG",
        "listening",
        "What customers said",
    ] {
        assert!(!page.contains(text), "{text}");
    }
}

async fn what_customers_said(app: &TestApp) {
    import(app).await;
    let b = common::signed_in_admin(app, PASSWORD).await;
    let report = b
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("href=\"/reports/terra-bond/listening\">What customers said</a>"));
    reading_filters_and_search(&b).await;
    coding_is_audited(app, &b).await;
    let confirmed = suggestions_are_confirmed_or_rejected(app, &b).await;
    code_shares_by_class(&b, &confirmed).await;
    masking_on_and_off(app, &b).await;
    who_may_read_and_code(app).await;
    share_links_show_no_text(&b, app).await;
}

on_every_backend!(what_customers_said_on_every_backend, what_customers_said);
