//! Builds the application from a `Config`: database, migrations, router and listener.
//! `main` and the integration tests both go through `Application::build`.

mod layers;
mod routes;

use layers::{
    drop_unsafe_request_id, identify_client, limit_submissions, localize, request_span,
    same_origin_writes, RequestIds, REQUEST_ID,
};
pub use layers::{is_safe_request_id, redact_path};
pub use routes::route_table;
use routes::routes;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::respondent as r;
use crate::api::AppState;
use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::pages::SiteAssets;

/// Largest request body accepted (a survey page with long free-text answers fits easily).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Admins' survey imports may be bigger (a large survey's JSON), still bounded.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] crate::mailer::MailConfigError),
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
    mail: Option<std::sync::Arc<crate::mailer::MailSettings>>,
}

impl Application {
    /// Connects to the database, migrates it, and binds the listener (port 0 picks one).
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        // Before anything else: bad mail settings stop the start with a clear message.
        let mail = crate::mailer::MailSettings::from_config(&config)?.map(std::sync::Arc::new);
        let store = Store::connect_pooled(&config.database_url(), config.database_pool).await?;
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
            mail,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.config.bind)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests and closes the
    /// pool. With mail settings, this instance's mail sender runs meanwhile (every
    /// instance runs one: they share the queue), and stops after the message in hand.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let store = self.state.store.clone();
        let config = self.state.config.clone();
        let folding = tokio::spawn(fold_in_background(store.clone(), config.fold_interval_ms));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let sender = self
            .mail
            .map(|settings| crate::mailer::spawn_sender(store.clone(), settings, stopped));
        let shutdown = async move {
            shutdown.await;
            let _ = stop.send(true);
        };
        serve(self.listener, self.router, &config, shutdown).await;
        // A fold is one transaction: stopped midway, it is rolled back whole.
        folding.abort();
        if let Some(sender) = sender {
            let _ = sender.await;
        }
        store.close().await;
        Ok(())
    }
}

/// Folds what completions wrote as rows of their own into the rollups (`db::rollups`)
/// while the app runs: at once again while a fold finds a full batch, else every
/// `interval_ms` (0: never). Every instance folds; their folds share the work. Nothing to
/// do on SQLite.
async fn fold_in_background(store: Store, interval_ms: u64) {
    if store.backend() != crate::db::Backend::Postgres || interval_ms == 0 {
        return;
    }
    loop {
        match store.fold().await {
            Ok(n) if n as i64 >= crate::db::FOLD_ROWS => continue,
            Ok(_) => tokio::time::sleep(Duration::from_millis(interval_ms)).await,
            Err(e) => {
                tracing::warn!(error = %e, "folding the rollups failed; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
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

/// The compiled assets (`/pkg`): precompressed files, cached forever when their names
/// carry a hash of their content.
fn assets(state: &AppState) -> Router<AppState> {
    let pkg_cache = if state.site.options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Router::new()
        .fallback_service(
            ServeDir::new(state.config.site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
}

pub fn router(state: AppState) -> Router {
    let pkg = assets(&state);
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
