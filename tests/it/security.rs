//! Findings of the security review (issue 14), each as the attack it was: cross-site
//! writes, rate limits behind a proxy, and a sign-in flood against a real
//! `valuebond serve` process.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{hidden_value, signed_in_admin, TestApp};
use reqwest::StatusCode;
use valuebond::client::TrustedProxies;
use valuebond::db::Backend;

const PASSWORD: &str = "security review password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_must_come_from_this_scheme_host_and_port() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = signed_in_admin(&app, PASSWORD).await;
    let staff_post = |headers: &[(&'static str, String)]| {
        let mut request = admin
            .client
            .post(app.url("/admin/brands"))
            .form(&[("name", "Cross Site"), ("slug", "cross-site")]);
        for (k, v) in headers {
            request = request.header(*k, v);
        }
        request.send()
    };
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let brands = app.store.count_rows("brands").await.unwrap();
    for (case, headers) in [
        ("no Origin and no fetch metadata", vec![]),
        (
            "another scheme",
            vec![("origin", format!("https://127.0.0.1:{port}"))],
        ),
        (
            "another port",
            vec![("origin", "http://127.0.0.1:1".to_string())],
        ),
        (
            "another host",
            vec![("origin", format!("http://localhost:{port}"))],
        ),
        ("an opaque origin", vec![("origin", "null".to_string())]),
        (
            "fetch metadata: cross-site",
            vec![("sec-fetch-site", "cross-site".into())],
        ),
        (
            "fetch metadata: same-site",
            vec![("sec-fetch-site", "same-site".into())],
        ),
    ] {
        let res = staff_post(&headers).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{case}");
    }
    assert_eq!(
        app.store.count_rows("brands").await.unwrap(),
        brands,
        "nothing was made"
    );
    // A browser that sends no Origin but says same-origin is believed: the form reaches
    // validation (it lacks a mission).
    let res = staff_post(&[("sec-fetch-site", "same-origin".into())])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A survey post carries nobody's authority: a client that is no browser may send it.
    let curl = app.browser();
    let intro = curl.get("/s/terra-bond").await.text().await.unwrap();
    let token = hidden_value(&intro, "token").unwrap();
    let res = curl
        .client
        .post(app.url("/s/terra-bond/start"))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.finish().await;
}

/// Posts a (bad) start form as the client `forwarded_for`.
async fn start_as(app: &TestApp, forwarded_for: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/s/terra-bond/start"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("token", "not-a-token")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        // A burst of 1.2 posts per client, then one per 2.5 s.
        c.rate_client = 0.4;
        c.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    assert_eq!(start_as(&app, "203.0.113.1").await, StatusCode::BAD_REQUEST);
    assert_eq!(
        start_as(&app, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy is not affected, whatever the first one sent.
    assert_eq!(start_as(&app, "203.0.113.2").await, StatusCode::BAD_REQUEST);
    assert_eq!(
        start_as(&app, "203.0.113.1, 203.0.113.3").await,
        StatusCode::BAD_REQUEST,
        "the hop our proxy wrote counts, not what the client put before it"
    );
    assert_eq!(
        start_as(&app, "203.0.113.3, 203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // IPv6 clients are counted per /64.
    assert_eq!(
        start_as(&app, "2001:db8:0:1::1").await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        start_as(&app, "2001:db8:0:1::ff").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        start_as(&app, "2001:db8:0:2::1").await,
        StatusCode::BAD_REQUEST
    );
    app.finish().await;

    // Without the setting, X-Forwarded-For is not believed: one peer, one bucket.
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.rate_client = 0.4).await;
    assert_eq!(
        start_as(&app, "198.51.100.1").await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        start_as(&app, "198.51.100.9").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_valid_posts_use_up_a_surveys_rate() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.rate_client = 0.0;
        c.rate_survey = 0.5; // a burst of 1 valid post, then one per 2 s
    })
    .await;
    for _ in 0..20 {
        assert_eq!(start_as(&app, "-").await, StatusCode::BAD_REQUEST);
    }
    let b = app.browser();
    assert!(b.start("terra-bond").await.starts_with("/s/terra-bond/p/"));
    let intro = app
        .browser()
        .get("/s/terra-bond")
        .await
        .text()
        .await
        .unwrap();
    let token = hidden_value(&intro, "token").unwrap();
    let res = app
        .browser()
        .post("/s/terra-bond/start", &[("token".into(), token)])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flood_is_bounded_and_the_owner_still_gets_in() {
    let dir = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_valuebond");
    let mut create = Command::new(binary)
        .args(["create-admin", "--email", "owner@brand.vn"])
        .env("DATA_DIR", dir.path())
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(create.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(create.wait().unwrap().success());

    let port = common::free_port();
    let mut server = Command::new(binary)
        .args(["serve", "--demo"])
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", dir.path())
        .env("DEMO_RESPONSES", "0")
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "error")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    crate::crash::wait_ready(&base).await;
    let rss_before = common::memory(server.id()).1;

    let sign_in = |client: reqwest::Client, from: String, email: String, password: &'static str| {
        let base = base.clone();
        async move {
            client
                .post(format!("{base}/login"))
                .header("origin", base.as_str())
                .header("x-forwarded-for", from)
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .map(|r| r.status())
        }
    };
    // 2,000 bad sign-ins at once from 2,000 clients: half guess the owner's password,
    // half spray unknown addresses.
    let flood: Vec<_> = (0..2000u32)
        .map(|i| {
            let email = if i % 2 == 0 {
                "owner@brand.vn".to_string()
            } else {
                format!("spray{i}@brand.vn")
            };
            let from = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
            tokio::spawn(sign_in(client.clone(), from, email, "wrong password guess"))
        })
        .collect();
    // Meanwhile the survey keeps answering.
    let mut survey_answers = 0;
    let mut slowest = Duration::ZERO;
    while !flood.iter().all(|f| f.is_finished()) {
        let started = Instant::now();
        let res = client
            .get(format!("{base}/s/terra-bond"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "the survey answers during the flood"
        );
        slowest = slowest.max(started.elapsed());
        survey_answers += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut statuses = std::collections::BTreeMap::new();
    for f in flood {
        let status = f.await.unwrap().expect("every sign-in gets an answer");
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
    }
    let rss = common::memory(server.id()).1;
    eprintln!(
        "sign-in flood: {statuses:?}, peak RSS {:.0} MB (before: {:.0} MB), survey answered {survey_answers}× (slowest {slowest:?})",
        rss as f64 / 1e6,
        rss_before as f64 / 1e6
    );
    assert!(
        statuses.keys().all(|s| [401, 429, 503].contains(s)),
        "refused as wrong, throttled or busy, nothing else: {statuses:?}"
    );
    assert!(rss < 150 * 1024 * 1024, "peak RSS {rss} bytes");

    // The owner, from a client that took no part in the flood, signs in.
    let owner = sign_in(
        client.clone(),
        "192.0.2.10".into(),
        "owner@brand.vn".into(),
        PASSWORD,
    )
    .await
    .unwrap();
    assert_eq!(owner, StatusCode::SEE_OTHER);
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hammer_sign_in() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.rate_login = 0.001).await;
    let b = app.browser();
    let mut statuses = Vec::new();
    for i in 0..11 {
        let res = b
            .login(&format!("nobody{i}@brand.vn"), "wrong password guess")
            .await;
        statuses.push(res.status());
    }
    assert!(
        statuses[..10]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(
        statuses[10],
        StatusCode::TOO_MANY_REQUESTS,
        "a burst of 10, then the rate"
    );
    // Every address is refused alike, with Retry-After, and nothing is verified.
    let res = b.login("someone.else@brand.vn", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get("retry-after").is_some());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_cannot_hold_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.header_timeout_secs = 1).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // A request head sent a byte at a time, slower than the timeout allows.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server closed the connection");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A kept-alive connection that goes quiet is closed too.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "an idle connection is closed");
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_ids_cannot_forge_logs_and_https_is_pinned() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = app.browser();
    let id_of =
        |res: &reqwest::Response| res.headers()["x-request-id"].to_str().unwrap().to_string();
    let res = b
        .get_with("/healthz", ("x-request-id", "trace-42.a_b"))
        .await;
    assert_eq!(id_of(&res), "trace-42.a_b", "a safe id is kept");
    for forged in ["a\" level=ERROR msg=\"forged", "<x>", &"x".repeat(65)] {
        let res = b.get_with("/healthz", ("x-request-id", forged)).await;
        let id = id_of(&res);
        assert_ne!(id, forged);
        assert!(
            valuebond::startup::is_safe_request_id(id.as_bytes()),
            "{id}"
        );
    }
    assert!(
        res_header(&b.get("/").await, "strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
    app.finish().await;

    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.cookie_secure = true).await;
    let res = app.browser().get("/?lang=en").await;
    assert_eq!(
        res_header(&res, "strict-transport-security").as_deref(),
        Some("max-age=31536000; includeSubDomains")
    );
    // Secure cookies carry the prefixes browsers enforce.
    let lang = res_header(&res, "set-cookie").unwrap();
    assert!(lang.starts_with("__Host-vb_lang=en; Path=/;") && lang.ends_with("; Secure"));
    let admin = signed_in_admin_cookie(&app).await;
    assert!(admin.starts_with("__Host-vb_session=") && admin.contains("; Path=/;"));
    assert!(admin.contains("; Secure"), "{admin}");
    app.finish().await;
}

/// Signs in a new admin; returns the session cookie the server set.
async fn signed_in_admin_cookie(app: &TestApp) -> String {
    valuebond::accounts::create_staff(
        &app.store,
        "admin@example.vn",
        PASSWORD,
        valuebond::domain::account::Role::Admin,
    )
    .await
    .unwrap();
    // Secure cookies mean the site is served over HTTPS: its Origin says so.
    let res = app
        .browser()
        .client
        .post(app.url("/login"))
        .header("origin", app.base.replace("http://", "https://"))
        .form(&[("email", "admin@example.vn"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res_header(&res, "set-cookie").unwrap()
}

fn res_header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Creates a share link of terra-bond's report as `b`; returns the link's path.
async fn share_link(b: &common::Browser) -> String {
    let in_a_week = valuebond::reporting::format_day(valuebond::db::now_ms() / 86_400_000 + 7);
    let res = b
        .post(
            "/reports/terra-bond/share?lang=en",
            &[
                ("filters".into(), "segment=tenure".into()),
                ("expires".into(), in_a_week),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", common::location(&res));
    let page = res.text().await.unwrap();
    let start = page.find("/shared/").expect("the link is shown");
    let end = start + page[start..].find('"').unwrap();
    page[start..end].to_string()
}

async fn share_links_end_with_their_creators_access_and_can_be_revoked(app: &TestApp) {
    let admin = signed_in_admin(app, PASSWORD).await;
    let manager_id =
        common::create_manager(app, "terra@example.vn", PASSWORD, "terra-outdoor").await;
    let manager = app.browser();
    let res = manager.login("terra@example.vn", PASSWORD).await;
    assert_eq!(common::location(&res), "/reports", "{:?}", res.headers());
    let link = share_link(&manager).await;
    let anyone = app.browser();
    let opens = |path: String| {
        let anyone = anyone.clone();
        async move { anyone.get(&path).await.status() }
    };
    assert_eq!(opens(link.clone()).await, StatusCode::OK);

    // The report lists the link: who made it and with which filters.
    let report = manager
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("Share links that work now"));
    assert!(report.contains("terra@example.vn") && report.contains("segment=tenure"));

    // Deactivated: the link stops at once; reactivated, it works again.
    app.store.set_user_active(manager_id, false).await.unwrap();
    assert_eq!(opens(link.clone()).await, StatusCode::NOT_FOUND);
    let report = admin
        .get("/reports/terra-bond?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !report.contains("terra@example.vn"),
        "a dead link is not listed"
    );
    app.store.set_user_active(manager_id, true).await.unwrap();
    assert_eq!(opens(link.clone()).await, StatusCode::OK);
    // Losing the brand ends it too.
    app.store.set_user_brands(manager_id, &[]).await.unwrap();
    assert_eq!(opens(link.clone()).await, StatusCode::NOT_FOUND);
    let brand = app
        .store
        .brand_by_slug("terra-outdoor")
        .await
        .unwrap()
        .unwrap();
    app.store
        .set_user_brands(manager_id, &[brand.id])
        .await
        .unwrap();
    assert_eq!(opens(link.clone()).await, StatusCode::OK);

    let token = link.trim_start_matches("/shared/");
    let revoke = |hash: String| vec![("share".to_string(), hash)];
    let hash = valuebond::tokens::hash_token(token);
    // A manager of another brand cannot see or revoke it.
    common::create_manager(app, "moto@example.vn", PASSWORD, "tudo-motor").await;
    let other = app.browser();
    other.login("moto@example.vn", PASSWORD).await;
    let res = other
        .post("/reports/terra-bond/shares/revoke", &revoke(hash.clone()))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(opens(link.clone()).await, StatusCode::OK);
    // Nor through another survey it may read.
    let res = other
        .post("/reports/moto-freedom/shares/revoke", &revoke(hash.clone()))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(opens(link.clone()).await, StatusCode::OK);

    // An admin revokes it: gone at once, and the audit log says who did.
    let audit_before = app.store.count_rows("audit_log").await.unwrap();
    let res = admin
        .post(
            "/reports/terra-bond/shares/revoke?lang=en",
            &revoke(hash.clone()),
        )
        .await;
    assert_eq!(
        common::location(&res),
        "/reports/terra-bond?revoked=1#share-title"
    );
    assert_eq!(opens(link.clone()).await, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.count_rows("audit_log").await.unwrap(),
        audit_before + 1
    );
    let report = admin
        .get("/reports/terra-bond?revoked=1&lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("Link revoked"));
    assert!(report.contains("No share link of this survey works now."));
    // Revoking again, or something that is no link: 404, nothing else happens.
    for bad in [hash, "zz".repeat(32), "' OR 1=1 --".into()] {
        let res = admin
            .post("/reports/terra-bond/shares/revoke", &revoke(bad))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    // The manager's own revocation works the same way (deactivation ended their session).
    manager.login("terra@example.vn", PASSWORD).await;
    let link = share_link(&manager).await;
    let hash = valuebond::tokens::hash_token(link.trim_start_matches("/shared/"));
    let res = manager
        .post("/reports/terra-bond/shares/revoke", &revoke(hash))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(opens(link).await, StatusCode::NOT_FOUND);
}

on_every_backend!(
    share_links_end_with_their_creators_access_on_every_backend,
    share_links_end_with_their_creators_access_and_can_be_revoked
);

async fn resume_links_never_silently_replace_a_response(app: &TestApp) {
    // Tokens are made by the server: the nonce a client posts is not its resume token.
    let chosen = valuebond::tokens::new_token();
    let b = app.browser();
    let res = b
        .post("/s/terra-bond/start", &[("token".into(), chosen.clone())])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mine = b.resume_token("terra-bond").unwrap();
    assert_ne!(mine, chosen);
    let res = app
        .browser()
        .get(&format!("/s/terra-bond/r/{chosen}"))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "the chosen token resumes nothing"
    );
    // A double-clicked Start (the same nonce again) finds the same response.
    let again = app.browser();
    again
        .post("/s/terra-bond/start", &[("token".into(), chosen.clone())])
        .await;
    assert_eq!(again.resume_token("terra-bond").unwrap(), mine);

    // Someone else's resume link opened in this browser: a choice, not a swap.
    let other = app.browser();
    other.start("terra-bond").await;
    let theirs = other.resume_token("terra-bond").unwrap();
    let link = format!("/s/terra-bond/r/{theirs}");
    let res = b.get(&format!("{link}?lang=en")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Which response do you want to continue?"));
    assert!(page.contains(&format!("action=\"{link}\"")));
    assert_eq!(
        b.resume_token("terra-bond").unwrap(),
        mine,
        "nothing replaced yet"
    );
    // Choosing the link's response switches; choosing one's own changes nothing.
    let res = b.post(&link, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.resume_token("terra-bond").unwrap(), theirs);
    // One's own link, or any link in a browser with nothing in progress, goes straight on.
    let res = other.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let fresh = app.browser();
    let res = fresh.get(&format!("/s/terra-bond/r/{mine}")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(fresh.resume_token("terra-bond").unwrap(), mine);
    // A forged switch is refused like any unknown link.
    let res = b
        .post("/s/terra-bond/r/not-a-real-token-at-all-x", &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

on_every_backend!(
    resume_links_never_silently_replace_a_response_on_every_backend,
    resume_links_never_silently_replace_a_response
);

fn one_time_password(html: &str) -> String {
    let start = html
        .find("<code class=\"one-time\">")
        .expect("a one-time password")
        + 23;
    let end = start + html[start..].find('<').unwrap();
    html[start..end].to_string()
}

async fn staff_change_and_reset_passwords_and_every_user_change_is_audited(app: &TestApp) {
    let admin = signed_in_admin(app, PASSWORD).await;
    let audit = || async { app.store.count_rows("audit_log").await.unwrap() };
    let before = audit().await;
    // An admin creates a manager through the page: audited.
    let brand = app
        .store
        .brand_by_slug("terra-outdoor")
        .await
        .unwrap()
        .unwrap();
    let res = admin
        .post(
            "/admin/users?lang=en",
            &[
                ("email".into(), "terra@example.vn".into()),
                ("role".into(), "manager".into()),
                ("brand".into(), brand.id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let first = one_time_password(&res.text().await.unwrap());
    assert_eq!(audit().await, before + 1, "user_created");
    let id = app
        .store
        .user_by_email("terra@example.vn")
        .await
        .unwrap()
        .unwrap()
        .id;

    // The manager, signed in on two devices, changes their password on one.
    let (phone, laptop) = (app.browser(), app.browser());
    for b in [&phone, &laptop] {
        assert_eq!(
            common::location(&b.login("terra@example.vn", &first).await),
            "/reports"
        );
    }
    let change = |current: &str, new: &str, repeat: &str| {
        let form = vec![
            ("current".to_string(), current.to_string()),
            ("new".to_string(), new.to_string()),
            ("repeat".to_string(), repeat.to_string()),
        ];
        let phone = phone.clone();
        async move { phone.post("/account/password?lang=en", &form).await }
    };
    let new = "a new password for terra";
    for (case, res, message) in [
        (
            "wrong current",
            change("not the password", new, new).await,
            "The current password is not right.",
        ),
        (
            "mismatch",
            change(&first, new, "something else entirely").await,
            "The two new passwords are not the same.",
        ),
        (
            "short",
            change(&first, "short", "short").await,
            "at least 12 characters",
        ),
    ] {
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        assert!(res.text().await.unwrap().contains(message), "{case}");
    }
    let res = change(&first, new, new).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Password changed."));
    assert_eq!(
        phone.get("/reports").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        laptop.get("/reports").await.status(),
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    assert_eq!(
        laptop.login("terra@example.vn", &first).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        common::location(&laptop.login("terra@example.vn", new).await),
        "/reports"
    );

    // An admin resets it: a new password shown once, every session of theirs ends.
    let res = admin
        .post(&format!("/admin/users/{id}/password?lang=en"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let reset = one_time_password(&res.text().await.unwrap());
    assert_eq!(phone.get("/reports").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        common::location(&phone.login("terra@example.vn", &reset).await),
        "/reports"
    );
    // A manager cannot reset anyone's password (not even see that the page exists).
    let res = phone
        .post(&format!("/admin/users/{id}/password"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Brands, deactivation, reactivation: each one audited, with who did it.
    let res = admin
        .post(
            &format!("/admin/users/{id}/brands"),
            &[("brand".into(), brand.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for active in ["0", "1"] {
        let res = admin
            .post(
                &format!("/admin/users/{id}/active"),
                &[("active".into(), active.into())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(audit().await, before + 6);
    let log = admin
        .get("/admin/audit?lang=en")
        .await
        .text()
        .await
        .unwrap();
    for action in [
        "user_created",
        "password_changed",
        "password_reset",
        "user_brands_changed",
        "user_deactivated",
        "user_reactivated",
    ] {
        assert!(log.contains(action), "{action}");
    }
}

on_every_backend!(
    staff_change_and_reset_passwords_on_every_backend,
    staff_change_and_reset_passwords_and_every_user_change_is_audited
);
