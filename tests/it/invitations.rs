//! Invitations by e-mail, against a real SMTP server on 127.0.0.1 (`smtp_sink`), on every
//! database: a manager uploads a list and sends; each contact gets one invite, in their
//! language, with one-click unsubscribe headers; unsubscribing stops everything of the
//! brand and survives a re-upload; reminders reach only non-completers; the contact cap
//! holds over three surveys; two instances and a SIGKILLed sender deliver each message
//! exactly once.

use crate::common;
use crate::smtp_sink::{Received, SmtpSink};

use std::collections::HashMap;
use std::time::Duration;

use common::{create_manager, demo_definition, hidden_value, location, page_form, Browser};
use common::{signed_in_admin, TestApp};
use reqwest::StatusCode;
use valuebond::config::Config;
use valuebond::db::{Actor, Backend, Store};
use valuebond::domain::contacts::read_contacts;
use valuebond::domain::{AnswerSet, Locale};
use valuebond::mailer::{invite_token, link_key, unsubscribe_token};
use valuebond::tokens::hash_token;

pub const BASE_URL: &str = "https://surveys.example.test";
const SLUG: &str = "terra-bond";

fn with_mail(c: &mut Config, sink: &SmtpSink) {
    c.rate_client = 0.0;
    c.untimed_pages = true;
    c.smtp_url = Some(sink.url());
    c.mail_from = Some("Terra surveys <surveys@terra.example>".into());
    c.public_base_url = Some(BASE_URL.into());
    c.mail_retry_secs = 1;
    c.mail_lease_secs = 3;
    c.mail_rate = 1000;
}

async fn mail_app(backend: Backend, sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with(backend, |c| with_mail(c, sink)).await
}

/// Posts a CSV file as the send screen's upload form does.
async fn upload(b: &Browser, slug: &str, csv: &[u8]) -> reqwest::Response {
    let boundary = "vbBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"contacts.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    b.client
        .post(format!("{}/invitations/{slug}/contacts", b.base()))
        .header("origin", b.base())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn signed_in_manager(app: &TestApp) -> Browser {
    create_manager(
        app,
        "manager@terra.example",
        "manager password 1",
        "terra-outdoor",
    )
    .await;
    let b = app.browser();
    assert_eq!(
        location(&b.login("manager@terra.example", "manager password 1").await),
        "/reports"
    );
    b
}

/// How many messages each address received.
fn per_address(received: &[Received]) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for m in received {
        for to in &m.to {
            *n.entry(to.clone()).or_insert(0) += 1;
        }
    }
    n
}

/// Answers the survey through an invite link, as the invited contact's browser would.
async fn complete_through(app: &TestApp, invite: &str) {
    let path = invite
        .strip_prefix(BASE_URL)
        .expect("invite on the public base");
    let b = app.browser();
    let html = b.get(path).await.text().await.unwrap();
    let nonce = hidden_value(&html, "token").expect("intro form");
    let invite_token = hidden_value(&html, "invite").expect("invite in the form");
    let res = b
        .post(
            &format!("/s/{SLUG}/start"),
            &[("token".into(), nonce), ("invite".into(), invite_token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let def = demo_definition();
    let mut to = location(&res);
    let mut answers = AnswerSet::new();
    while !to.ends_with("/thanks") {
        let html = b.get(&to).await.text().await.unwrap();
        let form = page_form(&def, &mut answers, "yes", &html);
        let res = b.post(&to, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "POST {to}");
        to = location(&res);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_uploads_sends_and_each_contact_gets_one_invite_in_their_language() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        let app = mail_app(backend, &sink).await;
        let b = signed_in_manager(&app).await;
        let screen = b.get(&format!("/invitations/{SLUG}?lang=en")).await;
        assert_eq!(screen.status(), StatusCode::OK);
        let html = screen.text().await.unwrap();
        assert!(html.contains("Terra"), "the preview names the brand");
        assert!(html.contains("preview-vi") && html.contains("preview-en"));
        assert!(html.contains("anonymous"), "the privacy default is said");

        // A bad row refuses the whole list, named by line in the user's language.
        let bad = b"email,language\nok@example.com,en\nnot-an-address,en\n";
        let res = upload(&b, SLUG, bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("Line 3"));
        assert_eq!(app.store.count_rows("contacts").await.unwrap(), 0);

        let csv = "\u{feff}email,name,language,tenure\r\nan@example.com,An,en,over_3y\r\n\
                   binh@example.vn,Bình,vi,\r\nchi@example.vn,,,\r\nAN@example.com,An N.,en,\r\n";
        let res = upload(&b, SLUG, csv.as_bytes()).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{}",
            res.text().await.unwrap()
        );
        assert!(
            location(&res).contains("n=3&merged=1"),
            "{}",
            location(&res)
        );
        let html = b
            .get(&format!("/invitations/{SLUG}?lang=en"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("To be sent: 3."), "the plan before sending");

        let res = b.post(&format!("/invitations/{SLUG}/send"), &[]).await;
        assert_eq!(
            location(&res),
            format!("/invitations/{SLUG}?done=queued&n=3&held=0")
        );
        let got = sink.wait_for(3, 20).await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let got_all = sink.received();
        assert_eq!(got_all.len(), 3, "nothing more than one each");
        assert!(per_address(&got).values().all(|&n| n == 1));
        let an = got.iter().find(|m| m.to == ["an@example.com"]).unwrap();
        let binh = got.iter().find(|m| m.to == ["binh@example.vn"]).unwrap();
        assert!(an.body().starts_with("Hello An N.,"), "{}", an.body());
        assert!(binh.body().starts_with("Chào Bình,"), "{}", binh.body());
        let link = an.link(&format!("{BASE_URL}/s/{SLUG}/i/")).unwrap();
        assert!(
            link.ends_with("?lang=en"),
            "the survey opens in their language: {link}"
        );
        for m in &got {
            let unsubscribe = m.header("List-Unsubscribe").unwrap();
            assert!(
                unsubscribe.starts_with(&format!("<{BASE_URL}/u/")),
                "{unsubscribe}"
            );
            assert_eq!(
                m.header("List-Unsubscribe-Post").as_deref(),
                Some("List-Unsubscribe=One-Click")
            );
            assert!(m.body().contains(&unsubscribe[1..unsubscribe.len() - 1]));
            assert!(m.link(&format!("{BASE_URL}/s/{SLUG}/i/")).is_some());
        }
        // Sending again reaches nobody new.
        let res = b.post(&format!("/invitations/{SLUG}/send"), &[]).await;
        assert_eq!(
            location(&res),
            format!("/invitations/{SLUG}?done=queued&n=0&held=0")
        );
        app.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsubscribe_stops_everything_and_reminders_reach_only_non_completers() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        let app = mail_app(backend, &sink).await;
        let b = signed_in_manager(&app).await;
        let csv = "email,language\na@example.com,en\nb@example.com,en\nc@example.com,vi\n";
        upload(&b, SLUG, csv.as_bytes()).await;
        b.post(&format!("/invitations/{SLUG}/send"), &[]).await;
        let got = sink.wait_for(3, 20).await;
        let to = |addr: &str| got.iter().find(|m| m.to == [addr]).unwrap().clone();

        // b unsubscribes: GET only asks; the provider's POST has no cookie and no Origin.
        let header = to("b@example.com").header("List-Unsubscribe").unwrap();
        let path = header
            .trim_matches(['<', '>'])
            .strip_prefix(BASE_URL)
            .unwrap()
            .to_string();
        let page = app.browser().get(&path).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("b@example.com"));
        let (contacts, _) = app.store.contacts(brand_id(&app).await, 10).await.unwrap();
        assert!(
            contacts.iter().all(|c| !c.unsubscribed),
            "GET changes nothing"
        );
        let res = reqwest::Client::new()
            .post(app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let forged = reqwest::Client::new()
            .post(app.url("/u/forgedforgedforgedforgedforged"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::NOT_FOUND);

        // Re-uploading the address does not undo it.
        upload(&b, SLUG, csv.as_bytes()).await;
        let (contacts, _) = app.store.contacts(brand_id(&app).await, 10).await.unwrap();
        let b_contact = contacts
            .iter()
            .find(|c| c.email == "b@example.com")
            .unwrap();
        assert!(b_contact.unsubscribed);

        // a completes through their invite; a reminder goes to c only.
        complete_through(
            &app,
            &to("a@example.com").link(&format!("{BASE_URL}/s/")).unwrap(),
        )
        .await;
        let res = b
            .post(
                &format!("/invitations/{SLUG}/remind"),
                &[("days".into(), "0".into())],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/invitations/{SLUG}?done=queued&n=1&held=0")
        );
        let got = sink.wait_for(4, 20).await;
        let reminder = &got[3];
        assert_eq!(reminder.to, ["c@example.com"]);
        assert_eq!(
            reminder.link(&format!("{BASE_URL}/s/")),
            to("c@example.com").link(&format!("{BASE_URL}/s/")),
            "the reminder carries the same single-use invite"
        );
        // A third message to c would pass the cap of 2 in 30 days: held back.
        let res = b
            .post(
                &format!("/invitations/{SLUG}/remind"),
                &[("days".into(), "0".into())],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/invitations/{SLUG}?done=queued&n=0&held=1")
        );
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert_eq!(
            sink.received().len(),
            4,
            "nothing to b, nothing more to a or c"
        );

        // Deleting a contact deletes their messages.
        let c_id = contacts
            .iter()
            .find(|c| c.email == "c@example.com")
            .unwrap()
            .id;
        let res = b
            .post(&format!("/invitations/{SLUG}/contacts/{c_id}/delete"), &[])
            .await;
        assert_eq!(location(&res), format!("/invitations/{SLUG}?done=deleted"));
        let sent = app
            .store
            .queue_counts(survey_id(&app, SLUG).await)
            .await
            .unwrap()
            .sent;
        assert_eq!(sent, 2, "a's and b's invitations remain");
        app.finish().await;
    }
}

async fn brand_id(app: &TestApp) -> i64 {
    app.store
        .brand_by_slug("terra-outdoor")
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn survey_id(app: &TestApp, slug: &str) -> i64 {
    app.store.survey_by_slug(slug).await.unwrap().unwrap().id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_holds_over_three_surveys_and_staff_without_the_brand_cannot_send() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        let app = mail_app(backend, &sink).await;
        let admin = signed_in_admin(&app, "admin password 12").await;
        for copy in ["terra-bond-2", "terra-bond-3"] {
            let res = admin
                .post(
                    &format!("/admin/surveys/{SLUG}/duplicate"),
                    &[("slug".into(), copy.into())],
                )
                .await;
            assert_eq!(location(&res), format!("/admin/surveys/{copy}"));
            let res = admin
                .post(&format!("/admin/surveys/{copy}/publish"), &[])
                .await;
            assert_eq!(
                location(&res),
                format!("/admin/surveys/{copy}?done=published")
            );
        }
        upload(&admin, SLUG, b"email\nx@example.com\ny@example.com\n").await;
        for (slug, queued) in [(SLUG, 2), ("terra-bond-2", 2)] {
            let res = admin.post(&format!("/invitations/{slug}/send"), &[]).await;
            assert_eq!(
                location(&res),
                format!("/invitations/{slug}?done=queued&n={queued}&held=0")
            );
        }
        let html = admin
            .get("/invitations/terra-bond-3?lang=en")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("To be sent: 0. Held back by the cap of 2 e-mails per 30 days: 2."),
            "the send screen says who the cap holds back"
        );
        let res = admin.post("/invitations/terra-bond-3/send", &[]).await;
        assert_eq!(
            location(&res),
            "/invitations/terra-bond-3?done=queued&n=0&held=2"
        );
        sink.wait_for(4, 20).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let counts = per_address(&sink.received());
        assert_eq!(counts.get("x@example.com"), Some(&2));
        assert_eq!(counts.get("y@example.com"), Some(&2));

        // A manager of another brand does not see the screen; no session: sign in; a
        // cross-site post is refused.
        create_manager(&app, "moto@example.vn", "manager password 2", "tudo-motor").await;
        let other = app.browser();
        other.login("moto@example.vn", "manager password 2").await;
        let res = other.post(&format!("/invitations/{SLUG}/send"), &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app
            .browser()
            .post(&format!("/invitations/{SLUG}/send"), &[])
            .await;
        assert!(location(&res).starts_with("/login"));
        let res = admin
            .client
            .post(app.url(&format!("/invitations/{SLUG}/send")))
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        app.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_sending_is_refused_and_nothing_is_queued() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = signed_in_admin(&app, "admin password 12").await;
        upload(&admin, SLUG, b"email\nx@example.com\n").await;
        let res = admin
            .post(&format!("/invitations/{SLUG}/send?lang=en"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("SMTP_URL"));
        assert_eq!(app.store.count_rows("mail_messages").await.unwrap(), 0);
        app.finish().await;
    }
}

/// Queues an invitation to `n` contacts through the store (as the send screen does).
pub async fn queue_invitations(store: &Store, n: usize) {
    let csv: String = std::iter::once("email".to_string())
        .chain((0..n).map(|i| format!("c{i}@example.com")))
        .collect::<Vec<_>>()
        .join("\n");
    let list = read_contacts(csv.as_bytes(), Locale::Vi).unwrap();
    let survey = store.survey_by_slug(SLUG).await.unwrap().unwrap();
    let key = link_key(store).await.unwrap();
    let actor = Actor {
        user_id: None,
        email: String::new(),
    };
    let unsub = |email: &str| hash_token(&unsubscribe_token(&key, survey.brand_id, email));
    store
        .upsert_contacts(survey.brand_id, &list.contacts, &unsub, &actor)
        .await
        .unwrap();
    let invite = |contact| hash_token(&invite_token(&key, survey.id, contact));
    let plan = store
        .queue_invitations((survey.brand_id, survey.id), 2, &invite, &actor)
        .await
        .unwrap();
    assert_eq!(plan.to_queue.len(), n);
}

pub fn assert_each_once(received: &[Received], n: usize) {
    let counts = per_address(received);
    assert_eq!(counts.len(), n, "every contact got their message");
    let twice: Vec<_> = counts.iter().filter(|(_, &c)| c != 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_sending_at_once_deliver_each_message_exactly_once() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        let app = mail_app(backend, &sink).await;
        let _second = app.sibling().await;
        // Some temporary refusals on the way: retried after their backoff, still once.
        sink.refuse_next(3);
        queue_invitations(&app.store, 40).await;
        sink.wait_for(40, 30).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_each_once(&sink.received(), 40);
        let counts = app
            .store
            .queue_counts(survey_id(&app, SLUG).await)
            .await
            .unwrap();
        assert_eq!((counts.sent, counts.queued, counts.sending), (40, 0, 0));
        app.finish().await;
    }
}

/// Every staff route of the screen: no session → sign in; a manager of another brand →
/// 404 (nothing of the brand shown or changed); a cross-site post → 403.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invitation_route_checks_session_brand_and_origin() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        let app = mail_app(backend, &sink).await;
        let owner = signed_in_manager(&app).await;
        upload(&owner, SLUG, b"email\nx@example.com\n").await;
        let (contacts, _) = app.store.contacts(brand_id(&app).await, 10).await.unwrap();
        let delete = format!("/invitations/{SLUG}/contacts/{}/delete", contacts[0].id);
        let posts = [
            format!("/invitations/{SLUG}/send"),
            format!("/invitations/{SLUG}/remind"),
            format!("/invitations/{SLUG}/contacts"),
            delete,
        ];
        create_manager(&app, "moto@example.vn", "manager password 2", "tudo-motor").await;
        let other = app.browser();
        other.login("moto@example.vn", "manager password 2").await;
        let anonymous = app.browser();
        let page = format!("/invitations/{SLUG}");
        assert_eq!(other.get(&page).await.status(), StatusCode::NOT_FOUND);
        assert!(location(&anonymous.get(&page).await).starts_with("/login"));
        for path in &posts {
            let form = [("days".to_string(), "0".to_string())];
            let refused = if path.ends_with("/contacts") {
                upload(&other, SLUG, b"email\ny@example.com\n").await
            } else {
                other.post(path, &form).await
            };
            assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
            let res = anonymous.post(path, &form).await;
            assert!(location(&res).starts_with("/login"), "{path}");
            let cross = owner
                .client
                .post(app.url(path))
                .header("origin", "https://evil.example")
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(cross.status(), StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.store.count_rows("contacts").await.unwrap(), 1);
        assert_eq!(app.store.count_rows("mail_messages").await.unwrap(), 0);
        app.finish().await;
    }
}
