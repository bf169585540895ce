//! Test harness: starts the real application on port 0 with a fresh database, on SQLite
//! and, when `TEST_POSTGRES_URL` points at a (throwaway) server, on PostgreSQL too.
#![allow(dead_code)]

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use valuebond::config::Config;
use valuebond::db::{Backend, Store};
use valuebond::demo::seed_demo;
use valuebond::domain::{Answer, AnswerSet, Construct, QuestionKind, SurveyDefinition};
use valuebond::startup::Application;

/// Backends to run every scenario on.
pub fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Sqlite];
    if std::env::var("TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        b.push(Backend::Postgres);
    }
    b
}

/// Runs `$scenario(&TestApp)` on every backend, each with a fresh database.
#[macro_export]
macro_rules! on_every_backend {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in common::backends() {
                let app = common::TestApp::spawn(backend).await;
                $scenario(&app).await;
                app.finish().await;
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub backend: Backend,
    pub config: Config,
    _dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// The app with submission rate limits off and pages untimed (tests post fast, all
    /// from 127.0.0.1; `quality.rs` times them).
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |c| {
            c.rate_client = 0.0;
            c.untimed_pages = true;
        })
        .await
    }

    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(dir.path());
        configure(&mut config);
        let mut pg_database = None;
        if backend == Backend::Postgres {
            let admin_url = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL");
            let suffix = valuebond::tokens::new_token()
                .to_lowercase()
                .replace(['-', '_'], "");
            let name = format!("vb_test_{}", &suffix[..16]);
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connect to test PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create test database");
            admin.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin_url.clone());
            config.database_url = Some(format!("{base}/{name}"));
            pg_database = Some((admin_url, name));
        }
        let app = Application::build(config.clone())
            .await
            .expect("application starts");
        let store = app.state().store.clone();
        seed_demo(&store).await.expect("demo content");
        let base = format!("http://{}", app.local_addr());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestApp {
            base,
            store,
            backend,
            config,
            _dir: dir,
            pg_database,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// Starts a graceful shutdown (as SIGTERM would) without waiting for it.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Stops the server and drops the PostgreSQL test database.
    pub async fn finish(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some((admin_url, name)) = self.pg_database.take() {
            if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await;
                admin.close().await;
            }
        }
    }

    /// A second instance of the app on its own port, sharing this one's database (as
    /// behind a load balancer). Stops when the returned handle is dropped.
    pub async fn sibling(&self) -> Sibling {
        let app = Application::build(self.config.clone())
            .await
            .expect("second instance starts");
        let base = format!("http://{}", app.local_addr());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        Sibling { base, _stop: tx }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new browser: its own cookie jar, redirects not followed (tests check them).
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

/// One browser: its cookies are shared by its clones (several tabs of one browser).
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    pub jar: Arc<Jar>,
    base: String,
}

/// Another instance of the app (see `TestApp::sibling`).
pub struct Sibling {
    pub base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Browser {
    /// A new browser talking to the instance at `base`.
    pub fn new(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .redirect(Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .expect("client");
        Browser {
            client,
            jar,
            base: base.to_string(),
        }
    }

    /// The same browser (same cookies) talking to the instance at `base`.
    pub fn at(&self, base: &str) -> Browser {
        Browser {
            client: self.client.clone(),
            jar: self.jar.clone(),
            base: base.to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The same browser (same cookies) talking to another instance.
    pub fn on(&self, sibling: &Sibling) -> Browser {
        Browser {
            client: self.client.clone(),
            jar: self.jar.clone(),
            base: sibling.base.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_with(&self, path: &str, header: (&str, &str)) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header(header.0, header.1)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post(&self, path: &str, form: &[(String, String)]) -> Response {
        let body = serde_urlencoded::to_string(form).expect("form");
        self.post_raw(path, body.into_bytes()).await
    }

    /// Posts the staff sign-in form.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/login",
            &[
                ("email".to_string(), email.to_string()),
                ("password".to_string(), password.to_string()),
            ],
        )
        .await
    }

    /// Posts as a browser does: with this site's `Origin` (browsers send it on every POST).
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", self.base.as_str())
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// The resume token cookie this browser holds for a survey.
    pub fn resume_token(&self, slug: &str) -> Option<String> {
        let url = format!("{}/s/{slug}/p/1", self.base).parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|c| c.trim().strip_prefix("vb_resume="))
            .next()
            .map(str::to_string)
    }

    /// Opens the survey and presses Start; returns where it was sent.
    pub async fn start(&self, slug: &str) -> String {
        let intro = self.get(&format!("/s/{slug}")).await;
        assert_eq!(intro.status(), StatusCode::OK);
        let html = intro.text().await.unwrap();
        let token = hidden_value(&html, "token").expect("start token in the intro form");
        let res = self
            .post(&format!("/s/{slug}/start"), &[("token".into(), token)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        location(&res)
    }
}

/// The resident memory of process `pid` now and at its peak (`VmRSS`, `VmHWM`), in bytes.
pub fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A TCP port free right now (for a `valuebond serve` process a test starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A brand manager of the brand with slug `brand` (not signed in); returns the user id.
pub async fn create_manager(app: &TestApp, email: &str, password: &str, brand: &str) -> i64 {
    let id = valuebond::accounts::create_staff(
        &app.store,
        email,
        password,
        valuebond::domain::account::Role::Manager,
    )
    .await
    .unwrap();
    let brand = app.store.brand_by_slug(brand).await.unwrap().unwrap();
    app.store.assign_brand(id, brand.id).await.unwrap();
    id
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The value of a hidden input in rendered HTML.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

pub fn demo_definition() -> SurveyDefinition {
    SurveyDefinition::parse(include_str!("../../../src/demo/terra-bond.json")).unwrap()
}

/// A respondent who shares the brand's values and is contacted more than they like:
/// V = 6, C = 2, every importance 7 and perception 6.
pub fn values_bonded_answer(
    def: &SurveyDefinition,
    key: &str,
    relationship: &str,
) -> Option<String> {
    let q = def.question(key)?;
    Some(match (q.construct, q.kind) {
        (Some(Construct::Relationship), _) => relationship.into(),
        (Some(Construct::RelationshipReason), _) => "shared_values".into(),
        // A reverse-keyed item is answered the other way round (it scores 8 − x).
        (Some(Construct::ValueCongruence), _) => if q.reverse { "2" } else { "6" }.into(),
        (Some(Construct::ContactBond), _) => if q.reverse { "6" } else { "2" }.into(),
        (Some(Construct::ValueImportance), _) => "7".into(),
        (Some(Construct::ValuePerception), _) => "6".into(),
        (Some(Construct::ContactActual), _) => "5".into(),
        (Some(Construct::ContactPreferred), _) => "2".into(),
        (_, QuestionKind::Recommend10) => "9".into(),
        (_, QuestionKind::YesNoDk) => "yes".into(),
        (_, QuestionKind::SingleChoice) => q.options[0].key.clone(),
        (_, QuestionKind::MultipleChoice) => q.options[1].key.clone(),
        (_, QuestionKind::Agree7) => "5".into(),
        (_, QuestionKind::ContactFrequency) => "3".into(),
        (_, QuestionKind::ShortText) => "Bảo vệ thiên nhiên".into(),
        (_, QuestionKind::LongText) => "Cảm ơn <b>Terra</b> & đội ngũ".into(),
    })
}

/// The keys of the questions a page's HTML asks, in page order (the page a respondent sees
/// depends on their drawn block order, so the page, not the definition, says what is asked).
pub fn asked_keys(html: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for part in html.split("name=\"q.").skip(1) {
        let key: String = part.chars().take_while(|c| *c != '"').collect();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The form a respondent would post for the page in `html` (every question on it answered).
pub fn page_form(
    def: &SurveyDefinition,
    so_far: &mut AnswerSet,
    relationship: &str,
    html: &str,
) -> Vec<(String, String)> {
    let mut form = vec![(
        "_idem".to_string(),
        hidden_value(html, "_idem").expect("idempotency key in the page form"),
    )];
    for key in asked_keys(html) {
        let q = def.question(&key).expect("a question of the survey");
        let value = values_bonded_answer(def, &q.key, relationship).unwrap();
        so_far.insert(
            q.key.clone(),
            Answer::parse(q, std::slice::from_ref(&value))
                .unwrap()
                .unwrap(),
        );
        form.push((format!("q.{}", q.key), value));
    }
    form.push(("_nav".into(), "next".into()));
    form
}

/// Answers every page of the demo survey; returns the final redirect.
pub async fn complete_demo_survey(b: &Browser, relationship: &str) -> String {
    complete_survey(b, &demo_definition(), relationship).await
}

/// Answers every page of `def` (its live version); returns the final redirect.
pub async fn complete_survey(b: &Browser, def: &SurveyDefinition, relationship: &str) -> String {
    let def = def.clone();
    let mut to = b.start(&def.slug).await;
    let mut answers = AnswerSet::new();
    for _ in 0..10 {
        if to.ends_with("/thanks") {
            return to;
        }
        let res = b.get(&to).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {to}");
        let html = res.text().await.unwrap();
        let form = page_form(&def, &mut answers, relationship, &html);
        let res = b.post(&to, &form).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "POST {to}: {}",
            res.text().await.unwrap_or_default()
        );
        to = location(&res);
    }
    panic!("survey did not finish: stuck at {to}");
}

/// Asserts two JSON documents are equal, numbers within 1e-9 (relative): sums of the same
/// values in another order may differ in the last bits.
pub fn assert_json_close(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                "{path}: {x} != {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_json_close(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{path}: keys differ"
            );
            for (k, v) in x {
                assert_json_close(v, &y[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

/// `count` synthetic respondents of `def` in the response CSV export format, completed over
/// the 60 days before 2026-09-21; `tweak(i, answers)` may change respondent i's answers
/// (e.g. to put a known number of them in one segment group).
pub fn population_csv(
    def: &SurveyDefinition,
    count: usize,
    seed: u64,
    tweak: impl FnMut(usize, &mut AnswerSet),
) -> String {
    population_csv_until(def, count, seed, 1_790_000_000_000, tweak)
}

/// `population_csv`, completed over the 60 days before `now` (Unix ms).
pub fn population_csv_until(
    def: &SurveyDefinition,
    count: usize,
    seed: u64,
    now: i64,
    mut tweak: impl FnMut(usize, &mut AnswerSet),
) -> String {
    use valuebond::domain::responses_csv::{self, ExportRow};
    let mut population = valuebond::demo::population::Population::new(seed);
    let mut out = String::new();
    responses_csv::write_record(&mut out, &responses_csv::header(def));
    for i in 0..count {
        let mut answers = population.respondent(def);
        tweak(i, &mut answers);
        let scores = valuebond::domain::scoring::score_respondent(def, &answers);
        let row = ExportRow {
            respondent: i as u64 + 1,
            version: 1,
            completed_at: population.completed_at(now, 60),
            locale: "vi",
            answers: &answers,
            scores: &scores,
            weight: None,
        };
        responses_csv::write_record(&mut out, &responses_csv::row(def, &row));
    }
    out
}

/// The bond items (key, reverse-keyed) of `construct` in `def`, for `bond_mean`.
pub fn bond_items(def: &SurveyDefinition, construct: Construct) -> Vec<(String, bool)> {
    def.questions_with(construct)
        .map(|q| (q.key.clone(), q.reverse))
        .collect()
}

/// V or C written out again from stored answers, rather than borrowed from the app: the
/// mean of the answered 1–7 items among `items`, a reverse-keyed one as 8 − x, if at least
/// two were answered (all of them when there are fewer).
pub fn bond_mean(
    answers: &std::collections::HashMap<String, String>,
    items: &[(String, bool)],
) -> Option<f64> {
    let values: Vec<f64> = items
        .iter()
        .filter_map(|(k, reverse)| {
            let x = answers.get(k)?.parse::<f64>().ok()?;
            Some(if *reverse { 8.0 - x } else { x })
        })
        .collect();
    (!values.is_empty() && values.len() >= 2.min(items.len()))
        .then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Wilson interval, written out again here rather than borrowed from the app.
pub fn wilson(x: f64, n: f64) -> (f64, f64) {
    let z = 1.959963984540054_f64;
    let p = x / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (centre - half, centre + half)
}

/// The English report page's headline sentence for `x` values-bonded of `n` scored.
pub fn values_headline(x: u64, n: u64) -> String {
    let (lo, hi) = wilson(x as f64, n as f64);
    format!(
        "{:.0}% [{:.0}–{:.0}%] of scored respondents share the brand",
        100.0 * x as f64 / n as f64,
        100.0 * lo,
        100.0 * hi
    )
}

/// An admin account "admin@example.vn" and a browser signed in as it.
pub async fn signed_in_admin(app: &TestApp, password: &str) -> Browser {
    valuebond::accounts::create_staff(
        &app.store,
        "admin@example.vn",
        password,
        valuebond::domain::account::Role::Admin,
    )
    .await
    .unwrap();
    let b = app.browser();
    let res = b.login("admin@example.vn", password).await;
    assert_eq!(location(&res), "/reports", "the admin signs in");
    b
}
