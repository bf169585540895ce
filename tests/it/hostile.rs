//! A bounded run of malformed and hostile requests against every public and staff
//! endpoint: wrong methods, oversized and non-UTF-8 bodies, unknown ids, injection
//! strings in every field, forged tokens, sessions and origins. Nothing may answer 5xx,
//! nothing already stored may change, and stored text always renders escaped.

use crate::common;

use common::{complete_demo_survey, demo_definition, hidden_value, location, TestApp};
use reqwest::{Method, StatusCode};
use valuebond::accounts::create_staff;
use valuebond::domain::account::Role;

const NASTY: [&str; 12] = [
    "' OR 1=1 --",
    "'); DROP TABLE answers; --",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "../../../../etc/passwd",
    "%00%0d%0aSet-Cookie: x=1",
    "\u{0000}\u{0007}",
    "𝕍𝔹 👍🏽 tiếng Việt",
    "-1",
    "99999999999999999999",
    "",
    "dk",
];

/// A small deterministic generator (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() % items.len()]
    }
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "users",
        "brands",
        "surveys",
        "survey_versions",
        "respondent_scores",
        "report_shares",
    ] {
        out.push(app.store.count_rows(table).await.unwrap());
    }
    out
}

/// Every route of the app (`startup::route_table`) with its parameters filled in every
/// hostile way, plus paths no route has: a new route is attacked without editing this.
fn attack_paths(slug: &str) -> Vec<String> {
    let values = |name: &str| -> Vec<String> {
        match name {
            "slug" => vec![
                slug.into(),
                "terra-outdoor".into(),
                "nope".into(),
                "%3Cscript%3E".into(),
                "%2e%2e%2f%2e%2e".into(),
            ],
            "page" => ["1", "3", "0", "-1", "99999999999999999999"]
                .map(String::from)
                .to_vec(),
            "token" => vec![
                "forgedforgedforgedforged".into(),
                "short".into(),
                "x".repeat(300),
                "%0d%0aSet-Cookie:%20x=1".into(),
            ],
            "id" => ["1", "abc", "99999999999999999999", "-1"]
                .map(String::from)
                .to_vec(),
            "key" => ["nope", "%27%20OR%201=1", "nps"].map(String::from).to_vec(),
            _ => vec!["x".into()],
        }
    };
    let mut paths = Vec::new();
    for route in valuebond::startup::route_table() {
        let mut filled = vec![String::new()];
        for segment in route.split('/').skip(1) {
            let options = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => values(name),
                None => vec![segment.to_string()],
            };
            filled = filled
                .iter()
                .flat_map(|p| options.iter().map(move |o| format!("{p}/{o}")))
                .collect();
        }
        if route == "/" {
            filled = vec!["/".into()];
        }
        paths.extend(filled);
    }
    paths.extend([
        format!("/reports/{slug}?segment=%27&cut=%3C&from=2026-13-01&version=-1"),
        format!("/reports/{slug}/report.json?period=decade"),
        format!("/reports/{slug}/responses.csv?bom=%00"),
        format!("/reports/{slug}/compare?first_from=2026-13-01&first_to=%00&first_version=99999999999999999999&second_version=-1"),
        format!("/reports/{slug}/compare.json?first_from=9999-12-31&first_to=1970-01-01&flagged=%27"),
        format!("/reports/{slug}/report.json?flagged=all%00&period=week"),
        format!("/admin/surveys/{slug}/preview?page=99999999999999999999"),
        format!("/reports/{slug}/listening?before=99999999999999999999.-1&class=%27&q={}", "%C4%91".repeat(400)),
        format!("/reports/{slug}/listening?before=%00&search=x&version=abc&period=decade"),
        "/login?next=/%09/evil.example".into(),
        "/login?next=%2F%5Cevil.example".into(),
        "/pkg/../../Cargo.toml".into(),
        "/favicon.svg".into(),
        "/does/not/exist".into(),
    ]);
    paths
}

#[test]
fn every_route_is_attacked() {
    let paths = attack_paths("terra-bond");
    for route in valuebond::startup::route_table() {
        let prefix = route.split('{').next().unwrap();
        assert!(paths.iter().any(|p| p.starts_with(prefix)), "{route}");
    }
    assert!(paths.len() > 100, "{} paths", paths.len());
}

async fn hostile_requests_are_refused_cleanly(app: &TestApp) {
    hostile_run(app, 1500).await;
}

/// `rounds` random hostile requests (and two per path from the signed-in staff member and
/// the respondent): nothing answers 5xx, nothing stored changes.
pub async fn hostile_run(app: &TestApp, rounds: usize) -> usize {
    let def = demo_definition();
    // Some legitimate state first: a completed response, a staff member with a session.
    let respondent = app.browser();
    complete_demo_survey(&respondent, "yes").await;
    let token = respondent.resume_token(&def.slug).unwrap();
    let before_answers = app
        .store
        .answers(respondent_id(app, &token).await)
        .await
        .unwrap();
    create_staff(
        &app.store,
        "admin@example.vn",
        "hostile password",
        Role::Admin,
    )
    .await
    .unwrap();
    let staff = app.browser();
    staff.login("admin@example.vn", "hostile password").await;
    let before = counts(app).await;

    let keys: Vec<String> = def.questions().map(|q| format!("q.{}", q.key)).collect();
    let paths = attack_paths(&def.slug);
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
    ];
    let cookies = [
        None,
        Some("vb_session=forgedforgedforgedforgedforged".to_string()),
        Some(format!("vb_resume={}", "x".repeat(5000))),
        Some("vb_lang=<script>; vb_session=%00".to_string()),
    ];
    let mut rng = Lcg(2012);
    // No connection reuse: a connection the server closed after an oversized body must
    // not be picked up by the next request.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut tried = 0;
    let mut closed = 0;
    for round in 0..rounds {
        let path = rng.pick(&paths).clone();
        let method = rng.pick(&methods).clone();
        // Bodies: a form with injection strings in known and unknown fields, a huge body,
        // bytes that are not UTF-8, or nothing.
        let kind = rng.next() % 5;
        let body: Vec<u8> = match kind {
            0 => Vec::new(),
            1 => vec![b'a'; 200 * 1024],
            2 => vec![0xff, 0xfe, 0x3d, 0xc3, 0x28, 0x26, 0x3d],
            _ => {
                let mut form: Vec<(String, String)> = Vec::new();
                for _ in 0..(1 + rng.next() % 6) {
                    let field = match rng.next() % 4 {
                        0 => rng.pick(&keys).clone(),
                        1 => rng
                            .pick(&[
                                "_idem", "_nav", "_lang", "token", "email", "password", "next",
                                "filters", "expires",
                            ])
                            .to_string(),
                        _ => rng.pick(&NASTY).to_string(),
                    };
                    form.push((field, rng.pick(&NASTY).to_string()));
                }
                serde_urlencoded::to_string(&form).unwrap().into_bytes()
            }
        };
        let mut request = client
            .request(method.clone(), app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(cookie) = rng.pick(&cookies) {
            request = request.header("cookie", cookie);
        }
        // The review's findings as cases: cross-site writes, forged client addresses,
        // request ids that would forge log lines.
        match round % 7 {
            0 => request = request.header("origin", "https://evil.example"),
            1 => request = request.header("sec-fetch-site", "cross-site"),
            2 => request = request.header("x-forwarded-for", "127.0.0.1, 10.0.0.1, ::1"),
            3 => request = request.header("x-request-id", "a\" level=ERROR msg=\"forged"),
            4 => request = request.header("origin", app.base.as_str()),
            // Compressed answers as browsers ask for them (streamed bodies included).
            5 => request = request.header("accept-encoding", "br, gzip"),
            _ => {}
        }
        tried += 1;
        let res = match request.send().await {
            Ok(res) => res,
            // A server that stops reading a body over the limit may close the connection
            // before the client has finished sending it: refused, and no 5xx.
            Err(_) if kind == 1 => {
                closed += 1;
                continue;
            }
            Err(e) => panic!("{method} {path}: {e}"),
        };
        assert!(
            !res.status().is_server_error(),
            "{method} {path} answered {}",
            res.status()
        );
    }
    // The signed-in staff member and the respondent get the same treatment.
    for path in &paths {
        for b in [&staff, &respondent] {
            let res = b
                .post_raw(
                    path,
                    "q.nps=11&_idem=x&filters=%27&expires=0000-00-00".into(),
                )
                .await;
            assert!(
                !res.status().is_server_error(),
                "POST {path}: {}",
                res.status()
            );
            let res = b.get(path).await;
            assert!(
                !res.status().is_server_error(),
                "GET {path}: {}",
                res.status()
            );
            tried += 2;
        }
    }
    // Nothing stored changed: no accounts, surveys, responses or share links were made,
    // and the completed respondent's answers are as they were.
    assert_eq!(counts(app).await, before);
    assert_eq!(
        app.store
            .answers(respondent_id(app, &token).await)
            .await
            .unwrap(),
        before_answers
    );
    assert_eq!(
        app.browser().get("/readyz").await.status(),
        StatusCode::OK,
        "still up"
    );
    eprintln!(
        "hostile run on {:?}: {tried} requests ({closed} oversized bodies cut off), no 5xx, nothing changed",
        app.backend
    );
    tried
}

async fn respondent_id(app: &TestApp, token: &str) -> i64 {
    app.store
        .respondent_by_token(&valuebond::tokens::hash_token(token))
        .await
        .unwrap()
        .unwrap()
        .id
}

on_every_backend!(
    hostile_requests_are_refused_cleanly_on_every_backend,
    hostile_requests_are_refused_cleanly
);

async fn stored_text_is_always_rendered_escaped(app: &TestApp) {
    let def = demo_definition();
    let b = app.browser();
    let mut to = b.start(&def.slug).await;
    let text_question = def
        .questions()
        .find(|q| q.kind == valuebond::domain::QuestionKind::ShortText)
        .unwrap();
    let (page, _) = def
        .pages
        .iter()
        .enumerate()
        .find(|(_, p)| p.questions.iter().any(|q| q.key == text_question.key))
        .unwrap();
    let mut answers = valuebond::domain::AnswerSet::new();
    for p in 0..=page {
        let html = b.get(&to).await.text().await.unwrap();
        let mut form = common::page_form(&def, &mut answers, "yes", &html);
        if p == page {
            for (k, v) in form.iter_mut() {
                if *k == format!("q.{}", text_question.key) {
                    *v = "<script>alert('x')</script>\"><b>".into();
                }
            }
            form.retain(|(k, _)| k != "_nav");
            form.push(("_nav".into(), "back".into()));
        }
        let res = b.post(&to, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        to = location(&res);
    }
    // Back on the page with the text: it is shown as text, never as markup.
    let html = b
        .get(&format!("/s/{}/p/{}", def.slug, page + 1))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;script&gt;alert("), "escaped");
    assert!(!html.contains("<script>alert("), "never raw");
    assert!(hidden_value(&html, "_idem").is_some());
}

on_every_backend!(
    stored_text_is_always_rendered_escaped_on_every_backend,
    stored_text_is_always_rendered_escaped
);
