//! Staff sign-in and reports over HTTP, on every backend: who may read what, throttling,
//! session expiry, and report figures that follow from the responses posted.

use crate::common;

use common::{complete_demo_survey, location, TestApp};
use reqwest::StatusCode;
use valuebond::accounts::create_staff;
use valuebond::domain::account::{Role, SESSION_IDLE_MS};
use valuebond::tokens::hash_token;

const PASSWORD: &str = "một mật khẩu đủ dài";

async fn staff(app: &TestApp) -> (common::Browser, common::Browser) {
    create_staff(&app.store, "Admin@Example.vn", PASSWORD, Role::Admin)
        .await
        .unwrap();
    common::create_manager(app, "terra@example.vn", PASSWORD, "terra-outdoor").await;
    let admin = app.browser();
    sign_in(&admin, "admin@example.vn", PASSWORD, "/reports").await;
    let manager = app.browser();
    sign_in(&manager, "terra@example.vn", PASSWORD, "/reports").await;
    (admin, manager)
}

async fn sign_in(b: &common::Browser, email: &str, password: &str, next: &str) {
    let res = b
        .post(
            "/login",
            &[
                ("email".into(), email.into()),
                ("password".into(), password.into()),
                ("next".into(), next.into()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{email} signs in");
    assert_eq!(location(&res), next);
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

fn session_of(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("vb_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
}

async fn anonymous_users_are_sent_to_sign_in(app: &TestApp) {
    let b = app.browser();
    for path in [
        "/reports",
        "/reports/terra-bond",
        "/reports/terra-bond/report.json",
        "/reports/terra-bond/compare",
        "/reports/terra-bond/compare.json?first_to=2026-01-01&second_from=2026-01-02",
        "/reports/nope",
    ] {
        let res = b.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            location(&res).starts_with("/login?next=%2Freports"),
            "{path}: {}",
            location(&res)
        );
    }
    // Setting weighting targets is for signed-in staff too.
    let res = b
        .post(
            "/reports/terra-bond/weighting",
            &[("weight".into(), "tenure".into())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
    let page = b.get("/login?next=/reports/terra-bond&lang=en").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Sign in") && html.contains("value=\"/reports/terra-bond\""),
        "{html}"
    );
}

on_every_backend!(
    anonymous_users_are_sent_to_sign_in_on_every_backend,
    anonymous_users_are_sent_to_sign_in
);

/// Sign-in never redirects off the site, whatever `next` says (browsers drop TAB, CR and LF,
/// and read "/\\" like "//").
async fn sign_in_never_redirects_off_site(app: &TestApp) {
    create_staff(&app.store, "admin@example.vn", PASSWORD, Role::Admin)
        .await
        .unwrap();
    for next in [
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/reports",
    ] {
        let b = app.browser();
        let res = b
            .post(
                "/login",
                &[
                    ("email".into(), "admin@example.vn".into()),
                    ("password".into(), PASSWORD.into()),
                    ("next".into(), next.into()),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&res), "/reports", "{next:?}");
    }
    // The sign-in form does not carry a hostile `next` either (encoded TAB in the query).
    let html = app
        .browser()
        .get("/login?next=%2F%09%2Fevil.example")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"/reports\""), "{html}");
    assert!(!html.contains("evil.example"));
}

on_every_backend!(
    sign_in_never_redirects_off_site_on_every_backend,
    sign_in_never_redirects_off_site
);

async fn managers_read_only_their_brands(app: &TestApp) {
    let (admin, manager) = staff(app).await;
    let list = manager.get("/reports").await.text().await.unwrap();
    assert!(list.contains("/reports/terra-bond"), "{list}");
    assert!(
        !list.contains("/reports/moto-freedom"),
        "a manager does not even see other brands' surveys"
    );
    for path in [
        "/reports/moto-freedom",
        "/reports/moto-freedom/report.json",
        "/reports/moto-freedom?segment=x",
        "/reports/moto-freedom/compare?first_to=2026-01-01&second_from=2026-01-02",
        "/reports/moto-freedom/compare.json?first_to=2026-01-01&second_from=2026-01-02",
    ] {
        let res = manager.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            !res.text().await.unwrap().contains("Tự do"),
            "no data of the other brand"
        );
    }
    assert_eq!(
        manager.get("/reports/terra-bond").await.status(),
        StatusCode::OK
    );
    let all = admin.get("/reports").await.text().await.unwrap();
    assert!(all.contains("/reports/terra-bond") && all.contains("/reports/moto-freedom"));
    assert_eq!(
        admin.get("/reports/moto-freedom").await.status(),
        StatusCode::OK
    );
}

on_every_backend!(
    managers_read_only_their_brands_on_every_backend,
    managers_read_only_their_brands
);

async fn wrong_passwords_are_throttled_and_explained(app: &TestApp) {
    create_staff(&app.store, "admin@example.vn", PASSWORD, Role::Admin)
        .await
        .unwrap();
    let b = app.browser();
    let attempt = |password: &'static str| {
        let b = &b;
        async move {
            b.post(
                "/login?lang=en",
                &[
                    ("email".into(), "admin@example.vn".into()),
                    ("password".into(), password.into()),
                ],
            )
            .await
        }
    };
    for _ in 0..5 {
        let res = attempt("wrong password!").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let html = res.text().await.unwrap();
        assert!(html.contains("Wrong email or password."), "generic message");
        assert!(
            !html.contains("wrong password!"),
            "the password is never echoed"
        );
    }
    // An unknown address gets the same answer as a wrong password.
    let unknown = b
        .post(
            "/login?lang=en",
            &[
                ("email".into(), "nobody@example.vn".into()),
                ("password".into(), "x".into()),
            ],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    // Locked now, even with the right password.
    let locked = attempt(PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers().get("retry-after").is_some());
    assert!(locked.text().await.unwrap().contains("Too many attempts"));
    assert_eq!(session_of(&attempt(PASSWORD).await), None);
}

on_every_backend!(
    wrong_passwords_are_throttled_on_every_backend,
    wrong_passwords_are_throttled_and_explained
);

async fn sessions_rotate_expire_and_end_at_sign_out(app: &TestApp) {
    create_staff(&app.store, "admin@example.vn", PASSWORD, Role::Admin)
        .await
        .unwrap();
    let b = app.browser();
    let form: Vec<(String, String)> = vec![
        ("email".into(), "admin@example.vn".into()),
        ("password".into(), PASSWORD.into()),
    ];
    let first = session_of(&b.post("/login", &form).await).unwrap();
    let second = session_of(&b.post("/login", &form).await).unwrap();
    assert_ne!(first, second, "a new session id at every sign-in");
    assert_eq!(b.get("/reports").await.status(), StatusCode::OK);
    // Idle longer than the limit: the session is gone.
    app.store
        .backdate_session(&hash_token(&second), SESSION_IDLE_MS + 1000)
        .await
        .unwrap();
    assert_eq!(b.get("/reports").await.status(), StatusCode::SEE_OTHER);
    // Sign in again, sign out: the cookie is cleared and the session no longer works.
    let third = session_of(&b.post("/login", &form).await).unwrap();
    let out = b.post("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_of(&out).as_deref(), Some(""));
    assert!(app
        .store
        .session_staff(&hash_token(&third))
        .await
        .unwrap()
        .is_none());
}

on_every_backend!(
    sessions_rotate_expire_and_end_on_every_backend,
    sessions_rotate_expire_and_end_at_sign_out
);

async fn report_figures_follow_the_posted_responses(app: &TestApp) {
    let (_, manager) = staff(app).await;
    // Too few responses: the headline is suppressed with its reason.
    for _ in 0..3 {
        complete_demo_survey(&app.browser(), "yes").await;
    }
    let few = manager
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(few.contains("Too few responses to show (n = 3"), "{few}");
    // 30 more respondents who share the brand's values (V = 6, C = 2): all values-bonded.
    for _ in 0..30 {
        complete_demo_survey(&app.browser(), "yes").await;
    }
    // One who starts and stops on page 1 shows up as drop-off, not in the figures.
    app.browser().start("terra-bond").await;
    let html = manager
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("100% [90–100%] of scored respondents share the brand"),
        "{html}"
    );
    assert!(html.contains("0% [0–10%] bond through frequent contact"));
    assert!(html.contains("34 started, 33 completed."));
    assert!(html.contains("low base"), "33 is a low base");
    let json: serde_json::Value = serde_json::from_str(
        &manager
            .get("/reports/terra-bond/report.json")
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let h = &json["report"]["headline"];
    assert_eq!(
        (h["scored"].as_u64(), h["values_bonded"]["x"].as_u64()),
        (Some(33), Some(33))
    );
    assert_eq!(
        json["report"]["ceb"]["relationship"]["x"].as_u64(),
        Some(33)
    );
    assert_eq!(
        json["report"]["funnel"]["stopped_on_page"][0].as_u64(),
        Some(1)
    );
    // Every respondent answered contact 5 vs preferred 2: all over-contacted.
    assert_eq!(
        json["report"]["contact"]["fit"][0]["share"]["x"].as_u64(),
        Some(33)
    );
    // A segment cut to a group nobody chose leaves no responses, and says so.
    let empty = manager
        .get("/reports/terra-bond?lang=en&cut=tenure:over_3y")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        empty.contains("No complete responses for this selection yet"),
        "{empty}"
    );
    // Invalid filters are ignored with a note, not a server error.
    let odd = manager
        .get("/reports/terra-bond?lang=en&from=2026-02-31&version=x")
        .await;
    assert_eq!(odd.status(), StatusCode::OK);
    assert!(odd
        .text()
        .await
        .unwrap()
        .contains("Some filters were not valid"));
}

on_every_backend!(
    report_figures_follow_the_posted_responses_on_every_backend,
    report_figures_follow_the_posted_responses
);

async fn read_only_share_links_expire(app: &TestApp) {
    let (_, manager) = staff(app).await;
    let res = manager
        .post(
            "/reports/terra-bond/share?lang=en",
            &[
                ("filters".into(), "segment=tenure".into()),
                ("expires".into(), "2099-01-01".into()),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "more than a year ahead"
    );
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("within the next 365 days"));
    let in_a_week = valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 + 7);
    let res = manager
        .post(
            "/reports/terra-bond/share?lang=en",
            &[
                ("filters".into(), "segment=tenure".into()),
                ("expires".into(), in_a_week.clone()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let start = html.find("/shared/").expect("the link is shown");
    let link: String = html[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();
    // Anyone with the link reads the report with the shared filters, and nothing else.
    let anonymous = app.browser();
    let shared = anonymous.get(&format!("{link}?lang=en")).await;
    assert_eq!(shared.status(), StatusCode::OK);
    let page = shared.text().await.unwrap();
    assert!(
        page.contains(&format!("valid until the end of {in_a_week}")),
        "{page}"
    );
    assert!(page.contains("id=\"sec-headline\"") || page.contains("No complete responses"));
    assert!(
        !page.contains("report.json") && !page.contains("/logout"),
        "read-only: no exports, no staff menu"
    );
    assert_eq!(
        anonymous.get("/reports/terra-bond").await.status(),
        StatusCode::SEE_OTHER
    );
    // Forged, expired and other brands' links lead nowhere.
    assert_eq!(
        anonymous
            .get("/shared/not-a-real-token-but-long-enough")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let survey = app
        .store
        .survey_by_slug("terra-bond")
        .await
        .unwrap()
        .unwrap();
    let user = app
        .store
        .user_by_email("terra@example.vn")
        .await
        .unwrap()
        .unwrap();
    let token = valuebond::tokens::new_token();
    app.store
        .create_share(
            &hash_token(&token),
            survey.id,
            user.id,
            "",
            valuebond::db::now_ms() - 1,
        )
        .await
        .unwrap();
    assert_eq!(
        anonymous.get(&format!("/shared/{token}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let weighting = manager
        .post(
            "/reports/moto-freedom/weighting",
            &[("clear".into(), "1".into())],
        )
        .await;
    assert_eq!(weighting.status(), StatusCode::NOT_FOUND);
    let other = manager
        .post(
            "/reports/moto-freedom/share",
            &[
                ("filters".into(), String::new()),
                ("expires".into(), in_a_week),
            ],
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

on_every_backend!(
    read_only_share_links_expire_on_every_backend,
    read_only_share_links_expire
);

async fn admins_manage_users_and_managers_cannot(app: &TestApp) {
    let (admin, manager) = staff(app).await;
    // Only admins see the users page or may post to it.
    for path in ["/admin/users"] {
        assert_eq!(manager.get(path).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            app.browser().get(path).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let moto = app.store.brand_by_slug("tu-do-motor").await.unwrap();
    let moto_id = match moto {
        Some(b) => b.id,
        None => {
            app.store
                .list_brands()
                .await
                .unwrap()
                .into_iter()
                .find(|b| b.slug != "terra-outdoor")
                .unwrap()
                .id
        }
    };
    let form = |email: &str| -> Vec<(String, String)> {
        vec![
            ("email".into(), email.into()),
            ("role".into(), "manager".into()),
            ("brand".into(), moto_id.to_string()),
        ]
    };
    assert_eq!(
        manager
            .post("/admin/users", &form("x@example.vn"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(app
        .store
        .user_by_email("x@example.vn")
        .await
        .unwrap()
        .is_none());

    // A manager needs a brand; a taken address is refused in the admin's language.
    let res = admin
        .post(
            "/admin/users?lang=en",
            &[
                ("email".into(), "new@example.vn".into()),
                ("role".into(), "manager".into()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choose at least one brand"));
    let res = admin
        .post("/admin/users?lang=en", &form("terra@example.vn"))
        .await;
    assert!(res.text().await.unwrap().contains("already exists"));

    // Created: the first password is shown once and works; the manager sees only moto.
    let res = admin.post("/admin/users", &form("New@Example.vn")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let start =
        html.find("class=\"one-time\">").expect("password shown") + "class=\"one-time\">".len();
    let password: String = html[start..].chars().take_while(|c| *c != '<').collect();
    let newcomer = app.browser();
    let res = newcomer.login("new@example.vn", &password).await;
    assert_eq!(location(&res), "/reports");
    let list = newcomer.get("/reports").await.text().await.unwrap();
    assert!(
        list.contains("/reports/moto-freedom") && !list.contains("/reports/terra-bond"),
        "{list}"
    );
    let users = admin.get("/admin/users").await.text().await.unwrap();
    assert!(
        users.contains("new@example.vn") && !users.contains(&password),
        "passwords are never listed"
    );

    // Deactivated: the session ends at once and sign-in is refused; reactivated: works again.
    let id = app
        .store
        .user_by_email("new@example.vn")
        .await
        .unwrap()
        .unwrap()
        .id;
    let res = admin
        .post(
            &format!("/admin/users/{id}/active"),
            &[("active".into(), "0".into())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        newcomer.get("/reports").await.status(),
        StatusCode::SEE_OTHER
    );
    let refused = newcomer.login("new@example.vn", &password).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    admin
        .post(
            &format!("/admin/users/{id}/active"),
            &[("active".into(), "1".into())],
        )
        .await;
    let again = newcomer.login("new@example.vn", &password).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    // An admin cannot lock themself out; unknown users are not found.
    let me = app
        .store
        .user_by_email("admin@example.vn")
        .await
        .unwrap()
        .unwrap()
        .id;
    let res = admin
        .post(
            &format!("/admin/users/{me}/active"),
            &[("active".into(), "0".into())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        admin
            .post(
                "/admin/users/999999/active",
                &[("active".into(), "0".into())]
            )
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

on_every_backend!(
    admins_manage_users_on_every_backend,
    admins_manage_users_and_managers_cannot
);
