//! Builds the application from a `Config`: database, migrations, router and listener.
//! `main` and the integration tests both go through `Application::build`.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::respondent as r;
use crate::api::web::{choose_locale, field, query_pairs};
use crate::api::AppState;
use crate::api::{admin, auth, authoring as au, reports};
use crate::client::{write_origin, ClientAddr, WriteOrigin};
use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::error::{AnswerLocale, Problem, Unrendered};
use crate::pages::SiteAssets;

/// Largest request body accepted (a survey page with long free-text answers fits easily).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Admins' survey imports may be bigger (a large survey's JSON), still bounded.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects to the database, migrates it, and binds the listener (port 0 picks one).
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        let store = Store::connect(&config.database_url()).await?;
        store.migrate().await?;
        let site = SiteAssets::load(&config.site_root);
        let resume_key = store
            .server_secret("resume_tokens", &crate::tokens::new_token())
            .await?;
        let state = AppState::new(store, site, config.clone(), resume_key);
        let router = router(state.clone());
        let listener =
            TcpListener::bind(config.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.bind,
                    source,
                })?;
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.config.bind)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let store = self.state.store.clone();
        let config = self.state.config.clone();
        serve(self.listener, self.router, &config, shutdown).await;
        store.close().await;
        Ok(())
    }
}

/// The accept loop: at most `max_connections` connections at once (the next `accept`
/// waits for a free slot, so excess clients wait in the kernel's queue, not in memory);
/// a request head must arrive within `header_timeout` (slow-loris clients and idle
/// kept-alive connections are closed); on `shutdown`, no new connection is accepted and
/// the open ones finish their requests in flight.
async fn serve(
    listener: TcpListener,
    router: Router,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(config.header_timeout_secs.max(1)));
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // Client addresses reach the rate limiters only; they are never stored or logged.
        let service =
            router
                .clone()
                .map_request(move |mut request: Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    request
                });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

pub fn router(state: AppState) -> Router {
    let pkg_dir = state.config.site_root.join("pkg");
    // Hashed asset names change with their content, so they can be cached forever.
    let pkg_cache = if state.site.options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ));
    let favicon = ServeFile::new(state.config.site_root.join("favicon.svg"));

    // Behind HTTPS (secure cookies), browsers are told to use nothing else for a year.
    let hsts = state
        .config
        .cookie_secure
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));

    routes()
        .router
        .nest("/pkg", pkg)
        .route_service("/favicon.svg", favicon)
        .fallback(r::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limit_submissions,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            identify_client,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), localize))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(state.config.request_timeout_secs.max(1)),
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| hsts.clone(),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
            ),
        ))
        // Outermost: every request gets an id (also returned as `x-request-id`) that is on
        // every log line of its span; the span names the path with secrets redacted.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::new(
            REQUEST_ID.clone(),
            RequestIds::default(),
        ))
        // Before an id is kept or made: a client's id that could forge log lines is dropped.
        .layer(middleware::from_fn(drop_unsafe_request_id))
        .with_state(state)
}

/// A client may send its own `x-request-id` (to follow a request through its systems and
/// ours), but only a short token of safe characters: anything else (newlines, quotes,
/// escape sequences, kilobytes) is dropped and a fresh id is made.
async fn drop_unsafe_request_id(mut request: Request, next: Next) -> Response {
    let safe = request
        .headers()
        .get(&REQUEST_ID)
        .map(|id| is_safe_request_id(id.as_bytes()));
    if safe == Some(false) {
        request.headers_mut().remove(&REQUEST_ID);
    }
    next.run(request).await
}

pub fn is_safe_request_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The app's own routes (assets and the fallback are added by `router`), recorded as they
/// are added so that `route_table` can list them: the hostile run covers every route from
/// it, so a new route is attacked without editing the test.
fn routes() -> Routes {
    Routes::default()
        .route("/", get(r::home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/s/{slug}", get(r::entry))
        .route("/s/{slug}/start", axum::routing::post(r::start))
        .route("/s/{slug}/p/{page}", get(r::show_page).post(r::post_page))
        .route("/s/{slug}/later", get(r::later))
        .route("/s/{slug}/r/{token}", get(r::resume).post(r::resume_switch))
        .route("/s/{slug}/thanks", get(r::thanks))
        .route(
            "/s/{slug}/delete/{token}",
            get(r::delete_confirm).post(r::delete),
        )
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route(
            "/account/password",
            get(auth::password_page).post(auth::change_password),
        )
        .route(
            "/admin/users/{id}/password",
            axum::routing::post(admin::reset_password),
        )
        .route("/reports", get(reports::list))
        .route("/admin/users", get(admin::users).post(admin::create))
        .route(
            "/admin/users/{id}/active",
            axum::routing::post(admin::set_active),
        )
        .route(
            "/admin/users/{id}/brands",
            axum::routing::post(admin::set_brands),
        )
        .route("/admin", get(au::dashboard))
        .route("/admin/audit", get(au::audit))
        .route(
            "/admin/import",
            get(au::import_form)
                .post(au::import)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/admin/brands", axum::routing::post(au::brand_create))
        .route("/admin/brands/new", get(au::brand_new))
        .route(
            "/admin/brands/{slug}",
            get(au::brand_show).post(au::brand_update),
        )
        .route(
            "/admin/brands/{slug}/surveys",
            axum::routing::post(au::survey_create),
        )
        .route("/admin/surveys/{slug}", get(au::builder))
        .route("/admin/surveys/{slug}/edit", axum::routing::post(au::edit))
        .route(
            "/admin/surveys/{slug}/q/{key}",
            get(au::question_show).post(au::question_save),
        )
        .route(
            "/admin/surveys/{slug}/publish",
            axum::routing::post(au::publish),
        )
        .route(
            "/admin/surveys/{slug}/status",
            axum::routing::post(au::status),
        )
        .route(
            "/admin/surveys/{slug}/duplicate",
            axum::routing::post(au::duplicate),
        )
        .route("/admin/surveys/{slug}/export", get(au::export))
        .route(
            "/admin/surveys/{slug}/distribution",
            axum::routing::post(au::distribution),
        )
        .route(
            "/admin/surveys/{slug}/invites",
            axum::routing::post(au::invites),
        )
        .route("/admin/surveys/{slug}/qr.svg", get(au::qr))
        .route(
            "/admin/surveys/{slug}/preview",
            get(r::preview).post(r::preview_post),
        )
        .route("/admin/surveys/{slug}/responses", get(au::responses))
        .route("/admin/surveys/{slug}/responses/{id}", get(au::response))
        .route("/s/{slug}/i/{token}", get(r::invite))
        .route("/reports/{slug}", get(reports::show))
        .route("/reports/{slug}/report.json", get(reports::json))
        .route("/reports/{slug}/responses.csv", get(reports::csv))
        .route("/reports/{slug}/share", axum::routing::post(reports::share))
        .route(
            "/reports/{slug}/shares/revoke",
            axum::routing::post(reports::revoke_share),
        )
        .route("/shared/{token}", get(reports::shared))
}

/// Every route path of the app, as registered (`/s/{slug}/p/{page}`, …).
pub fn route_table() -> Vec<&'static str> {
    routes().paths
}

#[derive(Default)]
struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    fn route(mut self, path: &'static str, handler: MethodRouter<AppState>) -> Routes {
        self.paths.push(path);
        self.router = self.router.route(path, handler);
        self
    }
}

static REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// Request ids: a per-process random prefix and a counter (unique across instances
/// without coordination, cheap, and not guessable as a sequence across processes).
#[derive(Clone)]
struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let token = crate::tokens::new_token();
        RequestIds {
            prefix: token[..8].into(),
            next: Default::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %request.method(), path = %redact_path(request.uri().path()))
}

/// The path as logged: resume, delete and share tokens replaced, the query left out
/// (logs never hold answers, passwords or tokens).
pub fn redact_path(path: &str) -> String {
    let mut out = Vec::new();
    let mut secret_next = false;
    for segment in path.split('/') {
        if secret_next && !segment.is_empty() {
            out.push(":token");
        } else {
            out.push(segment);
        }
        secret_next = matches!(segment, "r" | "delete" | "shared" | "i");
    }
    out.join("/")
}

/// `/readyz`: the database answers and migrations are applied (they run before we listen).
async fn readyz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Chooses the request's language once (an explicit `?lang=`, remembered in a cookie;
/// else the cookie; else `Accept-Language`) for handlers (`web::Req`) and, on the way
/// out, renders a `Problem` left by any handler or inner layer as a page in it.
async fn localize(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let query = query_pairs(request.uri().query());
    let choice = choose_locale(
        request.headers(),
        field(&query, "lang"),
        app.config.cookie_secure,
    );
    request.extensions_mut().insert(choice.locale);
    let mut response = next.run(request).await;
    if let Some(Unrendered(problem)) = response.extensions_mut().remove::<Unrendered>() {
        let locale = response
            .extensions()
            .get::<AnswerLocale>()
            .map_or(choice.locale, |l| l.0);
        response = problem.render(&app.site, locale).into_response();
    }
    if let Some(cookie) = choice
        .set_cookie
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Works out who the client is (see `client`) once, for every later layer and handler.
async fn identify_client(
    State(app): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let client = ClientAddr::of(peer, request.headers(), &app.config.trusted_proxies);
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// Survey posts (`POST /s/{slug}/…`) are limited per client (every post counts) and per
/// survey (only posts that passed validation count, so junk cannot use up a survey's
/// rate): beyond, 429 with `Retry-After` and nothing is written.
async fn limit_submissions(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let survey = (request.method() == Method::POST)
        .then(|| request.uri().path().strip_prefix("/s/"))
        .flatten()
        .and_then(|p| p.split('/').next())
        .map(str::to_string);
    let Some(slug) = survey else {
        return next.run(request).await;
    };
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map(ClientAddr::key)
        .unwrap_or_default();
    let now = app.clock();
    let refused = app
        .client_limit
        .lock()
        .ok()
        .and_then(|mut l| l.check(&client, now).err())
        .or_else(|| {
            app.survey_limit
                .lock()
                .ok()
                .and_then(|mut l| l.peek(&slug, now).err())
        });
    if let Some(retry_after) = refused {
        return Problem::RateLimited { retry_after }.into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status.is_redirection() {
        if let Ok(mut limit) = app.survey_limit.lock() {
            limit.charge(&slug, app.clock());
        }
    }
    response
}

/// Refuses state-changing requests from another site (CSRF): `Origin` must be this
/// scheme, host and port; without it, `Sec-Fetch-Site` must say same-origin. A request
/// with neither is no browser: allowed on survey posts (they carry no one's authority),
/// refused on staff endpoints (session cookies are authority).
async fn same_origin_writes(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        let client = request.extensions().get::<ClientAddr>();
        let respondent_post = request.uri().path().starts_with("/s/");
        let refused = match write_origin(headers, app.config.cookie_secure, client) {
            WriteOrigin::SameSite => false,
            WriteOrigin::CrossSite => true,
            WriteOrigin::Unknown => !respondent_post,
        };
        if refused {
            return Problem::CrossOrigin.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn only_short_safe_request_ids_are_kept() {
        use super::is_safe_request_id;
        assert!(is_safe_request_id(b"abc-123_x.y"));
        for bad in [
            &b""[..],
            b"a\nINFO forged line",
            b"a\rb",
            b"\x1b[31mred",
            b"a b",
            b"a\"b",
            &[b'a'; 65][..],
        ] {
            assert!(!is_safe_request_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn secrets_in_paths_are_not_logged() {
        assert_eq!(
            redact_path("/s/terra-bond/r/abcDEF123-_xyzabcDEF123"),
            "/s/terra-bond/r/:token"
        );
        assert_eq!(
            redact_path("/s/terra-bond/delete/abc"),
            "/s/terra-bond/delete/:token"
        );
        assert_eq!(redact_path("/shared/abc"), "/shared/:token");
        assert_eq!(redact_path("/s/terra-bond/p/2"), "/s/terra-bond/p/2");
        assert_eq!(redact_path("/reports/terra-bond"), "/reports/terra-bond");
    }
}
