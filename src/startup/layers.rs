//! The cross-cutting layers every request passes: request ids and the log span, the
//! language and problem pages, who the client is, cross-site write refusal, and the
//! survey submission limits.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::{MakeRequestId, RequestId};

use crate::api::web::{choose_locale, field, query_pairs};
use crate::api::AppState;
use crate::client::{write_origin, ClientAddr, WriteOrigin};
use crate::error::{AnswerLocale, Problem, Unrendered};

/// A client may send its own `x-request-id` (to follow a request through its systems and
/// ours), but only a short token of safe characters: anything else (newlines, quotes,
/// escape sequences, kilobytes) is dropped and a fresh id is made.
pub(super) async fn drop_unsafe_request_id(mut request: Request, next: Next) -> Response {
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

pub(super) static REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// Request ids: a per-process random prefix and a counter (unique across instances
/// without coordination, cheap, and not guessable as a sequence across processes).
#[derive(Clone)]
pub(super) struct RequestIds {
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

pub(super) fn request_span<B>(request: &Request<B>) -> tracing::Span {
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
        secret_next = matches!(segment, "r" | "delete" | "shared" | "i" | "u");
    }
    out.join("/")
}

/// Chooses the request's language once (an explicit `?lang=`, remembered in a cookie;
/// else the cookie; else `Accept-Language`) for handlers (`web::Req`) and, on the way
/// out, renders a `Problem` left by any handler or inner layer as a page in it.
pub(super) async fn localize(
    State(app): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
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
pub(super) async fn identify_client(
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
pub(super) async fn limit_submissions(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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
/// refused on staff endpoints (session cookies are authority). One-click unsubscribe
/// (`POST /u/{token}`, RFC 8058) is exempt: mail providers post it without cookies or
/// `Origin`, and the unguessable token in its URL is its only authority.
pub(super) async fn same_origin_writes(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !is_unsubscribe(request.uri().path()) {
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

/// `/u/{token}` and nothing longer.
fn is_unsubscribe(path: &str) -> bool {
    path.strip_prefix("/u/")
        .is_some_and(|token| !token.is_empty() && !token.contains('/'))
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
    fn only_the_one_click_unsubscribe_route_skips_the_origin_check() {
        use super::is_unsubscribe;
        assert!(is_unsubscribe("/u/abcDEF123-_xyzabcDEF123"));
        for path in [
            "/u/",
            "/u/a/b",
            "/u",
            "/s/x/u/abc",
            "/invitations/x/send",
            "/uu/abc",
        ] {
            assert!(!is_unsubscribe(path), "{path}");
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
        assert_eq!(redact_path("/u/abc"), "/u/:token");
        assert_eq!(redact_path("/s/terra-bond/p/2"), "/s/terra-bond/p/2");
        assert_eq!(redact_path("/reports/terra-bond"), "/reports/terra-bond");
    }
}
