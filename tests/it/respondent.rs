//! A respondent's whole path over HTTP, against the real server and a real database.

use crate::common;

use common::{complete_demo_survey, demo_definition, hidden_value, location, page_form, TestApp};
use reqwest::StatusCode;
use valuebond::db::SurveyStatus;
use valuebond::domain::AnswerSet;
use valuebond::tokens::hash_token;

const SLUG: &str = "terra-bond";

async fn respondent_id(app: &TestApp, b: &common::Browser) -> i64 {
    let token = b.resume_token(SLUG).expect("resume cookie");
    app.store
        .respondent_by_token(&hash_token(&token))
        .await
        .unwrap()
        .expect("respondent stored")
        .id
}

async fn respondent_completes_the_survey_by_form_posts(app: &TestApp) {
    let b = app.browser();
    let end = complete_demo_survey(&b, "yes").await;
    assert_eq!(end, format!("/s/{SLUG}/thanks"));

    let thanks = b.get(&end).await;
    assert_eq!(thanks.status(), StatusCode::OK);
    let html = thanks.text().await.unwrap();
    assert!(
        html.contains("Cảm ơn bạn!"),
        "thank-you page in Vietnamese by default"
    );
    assert!(
        html.contains(&format!("/s/{SLUG}/delete/")),
        "offers the delete link"
    );

    let id = respondent_id(app, &b).await;
    let scores = app
        .store
        .scores(id)
        .await
        .unwrap()
        .expect("scores computed at completion");
    assert_eq!(scores.bond_class, "values_only");
    assert_eq!(scores.values_bond, Some(6.0));
    assert_eq!(scores.contact_bond, Some(2.0));
    // Every importance 7 and perception 6: A = (6/6)·(5/6).
    assert!((scores.alignment.unwrap() - 5.0 / 6.0).abs() < 1e-9);
    assert_eq!(scores.nps_class.as_deref(), Some("promoter"));
    assert_eq!(scores.contact_fit.as_deref(), Some("over"));
    let answers = app.store.answers(id).await.unwrap();
    assert!(answers
        .iter()
        .any(|(k, v)| k == "relationship_reason" && v == "shared_values"));
    assert!(
        answers
            .iter()
            .any(|(k, v)| k == "comment" && v == "Cảm ơn <b>Terra</b> & đội ngũ"),
        "text stored verbatim"
    );
    assert_eq!(
        app.store
            .respondent_counts(id_survey(app).await)
            .await
            .unwrap(),
        (1, 1)
    );

    // Revisiting the survey or a page after submitting leads back to the thank-you page.
    assert_eq!(location(&b.get(&format!("/s/{SLUG}")).await), end);
    assert_eq!(location(&b.get(&format!("/s/{SLUG}/p/2")).await), end);
}
on_every_backend!(
    respondent_completes_the_survey_by_form_posts_,
    respondent_completes_the_survey_by_form_posts
);

/// An optional answer left empty when its page is posted again is removed (the page post's
/// delete; on PostgreSQL a CTE of its own, written only when a post deletes).
async fn an_answer_emptied_on_a_later_post_is_deleted(app: &TestApp) {
    let b = app.browser();
    let first = b.start(SLUG).await;
    let html = b.get(&first).await.text().await.unwrap();
    let mut so_far = AnswerSet::new();
    let form = page_form(&demo_definition(), &mut so_far, "yes", &html);
    assert!(
        form.iter().any(|(k, _)| k == "q.channels"),
        "the optional question is on page 1"
    );
    let next = location(&b.post(&first, &form).await);
    assert_ne!(next, first);
    let stored = |answers: &[(String, String)]| answers.iter().any(|(k, _)| k == "channels");
    let id = respondent_id(app, &b).await;
    assert!(stored(&app.store.answers(id).await.unwrap()));

    let again = b.get(&first).await.text().await.unwrap();
    let emptied: Vec<(String, String)> = page_form(&demo_definition(), &mut so_far, "yes", &again)
        .into_iter()
        .filter(|(k, _)| k != "q.channels")
        .collect();
    let res = b.post(&first, &emptied).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let answers = app.store.answers(id).await.unwrap();
    assert!(!stored(&answers), "channels removed: {answers:?}");
    assert!(
        answers.iter().any(|(k, _)| k == "relationship"),
        "the rest kept: {answers:?}"
    );
}
on_every_backend!(
    an_answer_emptied_on_a_later_post_is_deleted_,
    an_answer_emptied_on_a_later_post_is_deleted
);

async fn id_survey(app: &TestApp) -> i64 {
    app.store.survey_by_slug(SLUG).await.unwrap().unwrap().id
}

async fn reason_is_asked_only_after_a_yes(app: &TestApp) {
    for (relationship, shown) in [("no", false), ("yes", true)] {
        let b = app.browser();
        let first = b.start(SLUG).await;
        let html = b.get(&first).await.text().await.unwrap();
        let form = page_form(
            &demo_definition(),
            &mut AnswerSet::new(),
            relationship,
            &html,
        );
        let next = location(&b.post(&first, &form).await);
        let page2 = b.get(&next).await.text().await.unwrap();
        assert_eq!(
            page2.contains("name=\"q.relationship_reason\""),
            shown,
            "relationship = {relationship}"
        );
    }
    let b = complete_and_check(app, "no").await;
    let answers = app
        .store
        .answers(respondent_id(app, &b).await)
        .await
        .unwrap();
    assert!(!answers.iter().any(|(k, _)| k == "relationship_reason"));
}
on_every_backend!(
    reason_is_asked_only_after_a_yes_,
    reason_is_asked_only_after_a_yes
);

async fn complete_and_check(app: &TestApp, relationship: &str) -> common::Browser {
    let b = app.browser();
    assert!(complete_demo_survey(&b, relationship)
        .await
        .ends_with("/thanks"));
    b
}

async fn resubmitting_a_page_stores_one_set_of_answers(app: &TestApp) {
    let b = app.browser();
    let first = b.start(SLUG).await;
    let html = b.get(&first).await.text().await.unwrap();
    let form = page_form(&demo_definition(), &mut AnswerSet::new(), "yes", &html);
    let a = b.post(&first, &form).await;
    let again = b.post(&first, &form).await;
    assert_eq!(a.status(), StatusCode::SEE_OTHER);
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&a),
        location(&again),
        "a replay gets the same answer"
    );
    let id = respondent_id(app, &b).await;
    let answers = app.store.answers(id).await.unwrap();
    let answered_on_page_one = form.iter().filter(|(k, _)| k.starts_with("q.")).count();
    assert_eq!(
        answers.len(),
        answered_on_page_one,
        "one row per question, not per post"
    );

    // Double-clicking "Submit" on the last page completes once and replays the redirect.
    let b = app.browser();
    let def = demo_definition();
    let mut to = b.start(SLUG).await;
    let mut so_far = AnswerSet::new();
    let mut last_form = Vec::new();
    while !to.ends_with("/thanks") {
        let html = b.get(&to).await.text().await.unwrap();
        last_form = page_form(&def, &mut so_far, "yes", &html);
        let from = to.clone();
        to = location(&b.post(&to, &last_form).await);
        if to.ends_with("/thanks") {
            let replay = b.post(&from, &last_form).await;
            assert_eq!(location(&replay), to);
        }
    }
    assert!(!last_form.is_empty());
    let survey = id_survey(app).await;
    assert_eq!(app.store.respondent_counts(survey).await.unwrap(), (2, 1));
}
on_every_backend!(
    resubmitting_a_page_stores_one_set_of_answers_,
    resubmitting_a_page_stores_one_set_of_answers
);

async fn respondent_resumes_with_the_token_on_another_device(app: &TestApp) {
    let def = demo_definition();
    let phone = app.browser();
    let mut to = phone.start(SLUG).await;
    let mut so_far = AnswerSet::new();
    // Relationship, reason, the two bond blocks; then the importance page is left half done.
    for _ in 0..4 {
        let html = phone.get(&to).await.text().await.unwrap();
        let form = page_form(&def, &mut so_far, "yes", &html);
        to = location(&phone.post(&to, &form).await);
    }
    assert_eq!(to, format!("/s/{SLUG}/p/5"));
    let html = phone.get(&to).await.text().await.unwrap();
    let mut form = page_form(&def, &mut AnswerSet::new(), "yes", &html);
    form.retain(|(k, _)| k != "_nav" && k != "q.imp_environment");
    form.push(("_nav".into(), "later".into()));
    let later = phone.post(&to, &form).await;
    assert_eq!(location(&later), format!("/s/{SLUG}/later"));
    let page = phone.get(&location(&later)).await.text().await.unwrap();
    let start = page.find("/s/terra-bond/r/").expect("resume link shown");
    let link: String = page[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();

    // Same browser: reopening the survey continues at page 5.
    assert_eq!(
        location(&phone.get(&format!("/s/{SLUG}")).await),
        format!("/s/{SLUG}/p/5")
    );

    // Another device: the link adopts the response.
    let laptop = app.browser();
    let resumed = laptop.get(&link).await;
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resumed), format!("/s/{SLUG}/p/5?resumed=1"));
    let html = laptop.get(&location(&resumed)).await.text().await.unwrap();
    assert!(html.contains("Chào mừng bạn quay lại"));
    assert!(
        html.contains("id=\"f-imp_repair-7\" name=\"q.imp_repair\" value=\"7\" checked"),
        "saved draft answers are filled in"
    );
    assert!(
        !html.contains("name=\"q.imp_environment\" value=\"7\" checked"),
        "the unanswered one stays empty"
    );
    let values_page = laptop
        .get(&format!("/s/{SLUG}/p/3"))
        .await
        .text()
        .await
        .unwrap();
    // The first bond block, whichever the respondent was drawn to see first.
    let key = common::asked_keys(&values_page)[0].clone();
    let given = common::values_bonded_answer(&def, &key, "yes").unwrap();
    assert!(values_page.contains(&format!("name=\"q.{key}\" value=\"{given}\" checked")));

    // A forged token resumes nothing.
    let stranger = app.browser();
    let forged = stranger
        .get(&format!(
            "/s/{SLUG}/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ))
        .await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}
on_every_backend!(
    respondent_resumes_with_the_token_on_another_device_,
    respondent_resumes_with_the_token_on_another_device
);

async fn invalid_input_is_rejected_and_earlier_answers_stay(app: &TestApp) {
    let def = demo_definition();
    let b = app.browser();
    let first = b.start(SLUG).await;
    let html = b.get(&first).await.text().await.unwrap();
    let mut so_far = AnswerSet::new();
    // "No" skips the reason page: the next page is the value-congruence block.
    let form = page_form(&def, &mut so_far, "no", &html);
    let page2 = location(&b.post(&first, &form).await);
    assert_eq!(page2, format!("/s/{SLUG}/p/3"));
    let id = respondent_id(app, &b).await;
    let saved = app.store.answers(id).await.unwrap();
    let html = b.get(&page2).await.text().await.unwrap();
    let good = page_form(&def, &mut so_far.clone(), "no", &html);
    // Two items of the first bond block (values or contact, as drawn for this respondent).
    let asked = common::asked_keys(&html);
    let (first_item, second_item) = (asked[0].clone(), asked[1].clone());
    let (first_field, second_field) = (format!("q.{first_item}"), format!("q.{second_item}"));
    let first_given = common::values_bonded_answer(&def, &first_item, "no").unwrap();
    let idem = hidden_value(&html, "_idem").unwrap();
    let with = |extra: &[(&str, &str)]| {
        let mut f = good.clone();
        for (k, v) in extra {
            f.retain(|(fk, _)| fk != k);
            f.push((k.to_string(), v.to_string()));
        }
        f
    };

    let out_of_range = b.post(&page2, &with(&[(first_field.as_str(), "9")])).await;
    assert_eq!(out_of_range.status(), StatusCode::BAD_REQUEST);
    let body = out_of_range.text().await.unwrap();
    assert!(
        body.contains(&first_item) && body.contains("9 nằm ngoài thang đo"),
        "{body}"
    );

    let unknown = b
        .post(&page2, &with(&[("q.favourite_colour", "blue")]))
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let other_page = b.post(&page2, &with(&[("q.nps", "10")])).await;
    assert_eq!(other_page.status(), StatusCode::BAD_REQUEST);
    let not_an_option = b
        .post(
            &page2,
            &with(&[("q.relationship_reason", "'; DROP TABLE answers; --")]),
        )
        .await;
    assert_eq!(not_an_option.status(), StatusCode::BAD_REQUEST);

    let mut no_key = good.clone();
    no_key.retain(|(k, _)| k != "_idem");
    assert_eq!(
        b.post(&page2, &no_key).await.status(),
        StatusCode::BAD_REQUEST
    );

    let bad_utf8 = b
        .post_raw(
            &page2,
            format!("_idem={idem}&{first_field}=%FF%FE").into_bytes(),
        )
        .await;
    assert_eq!(bad_utf8.status(), StatusCode::BAD_REQUEST);
    let huge = b.post_raw(&page2, vec![b'a'; 200 * 1024]).await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let stranger = app.browser();
    let no_cookie = stranger.post(&page2, &good).await;
    assert_eq!(no_cookie.status(), StatusCode::FORBIDDEN);
    assert!(no_cookie
        .text()
        .await
        .unwrap()
        .contains("Không tìm thấy phiên trả lời"));

    let cross_site = b
        .client
        .post(app.url(&page2))
        .header("origin", "http://evil.example")
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let opaque = b
        .client
        .post(app.url(&page2))
        .header("origin", "null")
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(
        opaque.status(),
        StatusCode::FORBIDDEN,
        "an opaque origin is refused"
    );
    let same = b
        .client
        .post(app.url(&page2))
        .header("origin", app.base.as_str())
        .form(&with(&[(first_field.as_str(), "9")]));
    let same = same.send().await.unwrap();
    assert_eq!(
        same.status(),
        StatusCode::BAD_REQUEST,
        "our own origin passes the check and reaches validation"
    );

    // A required answer left out: the page comes back with the error and what was typed.
    let missing = b.post(&page2, &with(&[(second_field.as_str(), "")])).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = missing.text().await.unwrap();
    assert!(body.contains("Vui lòng trả lời câu hỏi này."));
    assert!(
        body.contains(&format!("href=\"#question-{second_item}\"")),
        "error summary links to the question"
    );
    assert!(
        body.contains(&format!(
            "name=\"{first_field}\" value=\"{first_given}\" checked"
        )),
        "answers given are kept on the page"
    );

    // Last page: an over-long comment is refused too.
    let long = "x".repeat(2001);
    let last = b
        .post(
            &format!("/s/{SLUG}/p/8"),
            &[("_idem".into(), idem.clone()), ("q.comment".into(), long)],
        )
        .await;
    assert_eq!(last.status(), StatusCode::BAD_REQUEST);

    assert_eq!(
        app.store.answers(id).await.unwrap(),
        saved,
        "nothing saved earlier was lost or changed"
    );
    assert_eq!(
        b.get("/s/terra-bond/p/abc").await.status(),
        StatusCode::NOT_FOUND
    );
}
on_every_backend!(
    invalid_input_is_rejected_and_earlier_answers_stay_,
    invalid_input_is_rejected_and_earlier_answers_stay
);

async fn delete_link_removes_the_response(app: &TestApp) {
    let b = complete_and_check(app, "yes").await;
    let id = respondent_id(app, &b).await;
    let html = b
        .get(&format!("/s/{SLUG}/thanks"))
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("/s/terra-bond/delete/").unwrap();
    let link: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let confirm = b.get(&link).await;
    assert_eq!(confirm.status(), StatusCode::OK);
    assert!(
        app.store.scores(id).await.unwrap().is_some(),
        "a GET deletes nothing"
    );
    let done = b.post(&link, &[]).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("Đã xóa câu trả lời"));
    assert!(app.store.scores(id).await.unwrap().is_none());
    assert!(app.store.answers(id).await.unwrap().is_empty());
    // The report rollups forget the response too.
    let (tallies, everyone) = app
        .store
        .report_tallies(
            id_survey(app).await,
            &Default::default(),
            Some("tenure"),
            |_| true,
        )
        .await
        .unwrap();
    assert_eq!((tallies.all.responses.n, everyone), (0, 0));
    assert!(tallies.by_segment.values().all(|t| t.responses.n == 0));
    assert_eq!(tallies.all.scored().n, 0);
    let versions = app.store.versions(id_survey(app).await).await.unwrap();
    assert_eq!(versions[0].completed, 0);
    assert_eq!(
        app.store
            .respondent_counts(id_survey(app).await)
            .await
            .unwrap(),
        (0, 0)
    );
    assert_eq!(
        b.post(&link, &[]).await.status(),
        StatusCode::NOT_FOUND,
        "the link is spent"
    );
    assert_eq!(
        location(&b.get(&format!("/s/{SLUG}")).await),
        "",
        "cookie cleared: the intro shows again"
    );
}
on_every_backend!(
    delete_link_removes_the_response_,
    delete_link_removes_the_response
);

async fn closed_and_unknown_surveys_show_a_clear_page(app: &TestApp) {
    let b = app.browser();
    let unknown = b.get("/s/no-such-survey").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("Không tìm thấy khảo sát"));
    let page2 = {
        let first = b.start(SLUG).await;
        let html = b.get(&first).await.text().await.unwrap();
        let form = page_form(&demo_definition(), &mut AnswerSet::new(), "yes", &html);
        location(&b.post(&first, &form).await)
    };
    let html = b.get(&page2).await.text().await.unwrap();
    let form = page_form(&demo_definition(), &mut AnswerSet::new(), "yes", &html);
    assert!(app
        .store
        .set_survey_status(SLUG, SurveyStatus::Closed)
        .await
        .unwrap());
    let closed = b
        .get_with(&format!("/s/{SLUG}"), ("accept-language", "en"))
        .await;
    assert_eq!(closed.status(), StatusCode::GONE);
    assert!(closed
        .text()
        .await
        .unwrap()
        .contains("This survey is closed"));
    assert_eq!(b.post(&page2, &form).await.status(), StatusCode::GONE);
    assert_eq!(
        app.store
            .respondent_counts(id_survey(app).await)
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(b.get("/nowhere").await.status(), StatusCode::NOT_FOUND);
}
on_every_backend!(
    closed_and_unknown_surveys_show_a_clear_page_,
    closed_and_unknown_surveys_show_a_clear_page
);

async fn language_follows_the_browser_and_the_picker(app: &TestApp) {
    let b = app.browser();
    let en = b
        .get_with(&format!("/s/{SLUG}"), ("accept-language", "en-GB,en;q=0.9"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("<html lang=\"en\"") && en.contains(">Start<"),
        "English from Accept-Language"
    );
    let picked = b
        .get_with(&format!("/s/{SLUG}?lang=vi"), ("accept-language", "en"))
        .await;
    assert!(picked
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("vb_lang=vi")));
    assert!(picked.text().await.unwrap().contains(">Bắt đầu<"));
    let remembered = b
        .get_with(&format!("/s/{SLUG}"), ("accept-language", "en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        remembered.contains("<html lang=\"vi\""),
        "the choice is remembered"
    );
}
on_every_backend!(
    language_follows_the_browser_and_the_picker_,
    language_follows_the_browser_and_the_picker
);

async fn pages_carry_security_headers_and_health_checks_answer(app: &TestApp) {
    let b = app.browser();
    let res = b.get(&format!("/s/{SLUG}")).await;
    let h = res.headers();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    assert_eq!(h.get("cache-control").unwrap(), "no-store");
    // Every response carries its request id (the id on the request's log lines).
    let id = h.get("x-request-id").unwrap().to_str().unwrap().to_string();
    let next = b.get("/healthz").await;
    assert_ne!(
        next.headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap(),
        id
    );
    assert_eq!(b.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(b.get("/readyz").await.text().await.unwrap(), "ready");
    let home = b.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/s/terra-bond\"") && home.contains("href=\"/s/moto-freedom\""));
}
on_every_backend!(
    pages_carry_security_headers_and_health_checks_answer_,
    pages_carry_security_headers_and_health_checks_answer
);

async fn fast_submissions_are_slowed_down_and_nothing_is_lost(backend: valuebond::db::Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_client = 1.0; // burst of 3, then one a second
    })
    .await;
    let def = demo_definition();
    let b = app.browser();
    let to = b.start(SLUG).await; // one post
    let html = b.get(&to).await.text().await.unwrap();
    let form = page_form(&def, &mut AnswerSet::new(), "yes", &html);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let res = b.post(&to, &form).await;
        let status = res.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().get("retry-after").is_some());
            assert!(res.text().await.unwrap().contains("Chậm lại một chút"));
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses[..2],
        [StatusCode::SEE_OTHER, StatusCode::SEE_OTHER],
        "the burst passes"
    );
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // The accepted post was saved once; the refused ones wrote nothing.
    let id = respondent_id(&app, &b).await;
    let posted = form.iter().filter(|(k, _)| k.starts_with("q.")).count();
    assert_eq!(app.store.answers(id).await.unwrap().len(), posted);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fast_submissions_are_slowed_down_on_every_backend() {
    for backend in common::backends() {
        fast_submissions_are_slowed_down_and_nothing_is_lost(backend).await;
    }
}

/// Counterbalancing: each respondent is shown the value-congruence and contact-bond blocks
/// in an order drawn for them (half see values first), kept for the whole response, stored
/// with the scores and split out in the report. Plain form posts, as without JavaScript.
async fn respondents_see_the_bond_blocks_in_their_drawn_order(app: &TestApp) {
    let def = demo_definition();
    let mut seen = std::collections::HashMap::new();
    for _ in 0..40 {
        let b = app.browser();
        let first = b.start(SLUG).await;
        let html = b.get(&first).await.text().await.unwrap();
        let mut so_far = AnswerSet::new();
        // "No": the reason page is skipped, the next page is the first bond block.
        let form = page_form(&def, &mut so_far, "no", &html);
        let mut to = location(&b.post(&first, &form).await);
        assert_eq!(to, format!("/s/{SLUG}/p/3"));
        let block = b.get(&to).await.text().await.unwrap();
        let asked = common::asked_keys(&block);
        let order = if asked.iter().all(|k| k.starts_with("vc_")) {
            "values_first"
        } else {
            assert!(asked.iter().all(|k| k.starts_with("cb_")), "{asked:?}");
            "contact_first"
        };
        // The order holds for the whole response: the next page is the other block, and
        // coming back shows the same first block.
        let form = page_form(&def, &mut so_far, "no", &block);
        let next = location(&b.post(&to, &form).await);
        let other = common::asked_keys(&b.get(&next).await.text().await.unwrap());
        let other_prefix = if order == "values_first" {
            "cb_"
        } else {
            "vc_"
        };
        assert!(
            other.iter().all(|k| k.starts_with(other_prefix)),
            "{other:?}"
        );
        let again = common::asked_keys(&b.get(&to).await.text().await.unwrap());
        assert_eq!(again, asked);
        to = next;
        while !to.ends_with("/thanks") {
            let html = b.get(&to).await.text().await.unwrap();
            let form = page_form(&def, &mut so_far, "no", &html);
            to = location(&b.post(&to, &form).await);
        }
        seen.insert(respondent_id(app, &b).await, order);
        let orders: std::collections::HashSet<&str> = seen.values().copied().collect();
        if orders.len() == 2 && seen.len() >= 4 {
            break;
        }
    }
    let orders: std::collections::HashSet<&str> = seen.values().copied().collect();
    assert_eq!(orders.len(), 2, "both orders drawn: {seen:?}");

    // Stored with the scores, as shown.
    let survey = id_survey(app).await;
    let rows = app
        .store
        .report_rows(survey, &Default::default())
        .await
        .unwrap();
    for r in &rows {
        assert_eq!(
            r.scores.block_order.map(|o| o.as_str()),
            seen.get(&r.respondent_id).copied(),
            "respondent {}",
            r.respondent_id
        );
    }
    // The report splits the headline by order (bases under 30 show only their n).
    let (tallies, _) = app
        .store
        .report_tallies(survey, &Default::default(), None, |_| true)
        .await
        .unwrap();
    let values_first = seen.values().filter(|o| **o == "values_first").count() as u64;
    let split = tallies.all.bonded_in_order(
        valuebond::domain::flow::BlockOrder::ValuesFirst,
        def.bond_threshold,
    );
    assert_eq!(split.0.n, values_first);
}
on_every_backend!(
    respondents_see_the_bond_blocks_in_their_drawn_order_,
    respondents_see_the_bond_blocks_in_their_drawn_order
);
