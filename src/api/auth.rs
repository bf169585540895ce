//! Staff sign-in and passwords: sessions in the database (shared by every instance), the
//! sign-in throttle and rate limit, argon2 bounded to a slot per core, changing one's own
//! password, and the `SignedIn` and `Admin` extractors that every staff handler names.
//! Hashing itself and creating accounts live in `accounts`.

use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::Extension;

use super::web::{chrome, cookie, staff_chrome, Cookie, Form, Req};
use super::AppState;
use crate::accounts::{hash_password, verify_password};
use crate::client::ClientAddr;
use crate::db::{now_ms, StoreError};
use crate::domain::account::{
    check_new_password, normalize_email, PasswordProblem, Role, Staff, MAX_PASSWORD_BYTES,
    SESSION_ABSOLUTE_MS,
};
use crate::error::Problem;
use crate::i18n::staff_ui;
use crate::pages::auth::{login_view, password_view, LoginForm, PasswordNotice};
use crate::pages::{render_document, Reply};
use crate::tokens::{hash_token, is_token, new_token};

fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        Cookie::Session.name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Only same-site paths are followed after sign-in (no open redirect): an absolute path of
/// visible ASCII characters that does not start with "//" or "/\\" (read by browsers as
/// another host). Control characters and whitespace are refused because browsers drop TAB,
/// CR and LF from URLs: "/<TAB>/evil.example" would become "//evil.example".
fn safe_next(next: Option<&str>) -> String {
    let is_local_path = |n: &str| {
        n.starts_with('/')
            && n.bytes().all(|b| b.is_ascii_graphic())
            && !n[1..].starts_with(['/', '\\'])
            && !n.contains('\\')
    };
    match next {
        Some(n) if is_local_path(n) => n.to_string(),
        _ => "/reports".to_string(),
    }
}

/// The signed-in staff member; a handler that names it is for staff only. Without a
/// valid session the request is sent to sign in (`Problem::LoginRequired`), and comes
/// back afterwards: to the page itself for a GET, to the page the form was on for a post.
pub struct SignedIn(pub Staff);

/// A signed-in admin. Anyone else who is signed in gets "not found" (the page's
/// existence is not shown).
pub struct Admin(pub Staff);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Problem> {
        let login = || Problem::LoginRequired {
            next: return_path(parts),
        };
        let token = cookie(
            &parts.headers,
            Cookie::Session.name(app.config.cookie_secure),
        )
        .filter(|t| is_token(t))
        .ok_or_else(login)?;
        app.store
            .session_staff(&hash_token(&token))
            .await?
            .map(SignedIn)
            .ok_or_else(login)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Problem> {
        let SignedIn(staff) = SignedIn::from_request_parts(parts, app).await?;
        match staff.role {
            Role::Admin => Ok(Admin(staff)),
            Role::Manager => Err(Problem::PageNotFound),
        }
    }
}

/// Where sign-in leads back to: a GET's own path and query; for a post, the same-origin
/// page it was sent from (`Referer`, sent by browsers under our `same-origin` policy),
/// else the reports.
fn return_path(parts: &Parts) -> String {
    if matches!(parts.method, Method::GET | Method::HEAD) {
        let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        return safe_next(Some(here));
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let from = parts
        .headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .zip(host)
        .and_then(|(referer, host)| {
            let rest = referer
                .strip_prefix("https://")
                .or_else(|| referer.strip_prefix("http://"))?;
            rest.strip_prefix(host).filter(|p| p.starts_with('/'))
        });
    safe_next(from)
}

pub async fn login_page(State(app): State<AppState>, req: Req) -> Reply {
    let form = LoginForm {
        email: String::new(),
        next: safe_next(req.param("next")),
        error: None,
    };
    Reply::page(StatusCode::OK, render_login(&app, &req, form))
}

fn render_login(app: &AppState, req: &Req, form: LoginForm) -> (String, String) {
    let t = staff_ui(req.locale);
    render_document(
        &app.site,
        chrome(req.locale, t.login_title.to_string(), None, "/login".into()),
        login_view(req.locale, form),
    )
}

/// The sign-in form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LoginPost {
    email: String,
    password: String,
    next: Option<String>,
}

/// The change-password form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PasswordPost {
    current: String,
    new: String,
    repeat: String,
}

/// How long a sign-in waits for a hashing slot before it is told the server is busy.
const HASHING_WAIT: Duration = Duration::from_millis(500);

/// Runs argon2 work on the blocking pool in one of `app.hashing`'s slots (19 MiB and a
/// core each); busy (503) if none frees up within `HASHING_WAIT`.
async fn in_hashing_slot<T: Send + 'static>(
    app: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    let slot = tokio::time::timeout(HASHING_WAIT, app.hashing.clone().acquire_owned())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or(Problem::Busy { retry_after: 1 })?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| Problem::from(StoreError::Corrupt(format!("hashing task: {e}"))))
}

/// Hashes a new password (in a hashing slot).
pub async fn hash_in_slot(app: &AppState, password: String) -> Result<String, Problem> {
    Ok(in_hashing_slot(app, move || hash_password(&password)).await??)
}

/// Checks a password against a stored hash (in a hashing slot).
async fn verify_in_slot(app: &AppState, password: String, hash: String) -> Result<bool, Problem> {
    in_hashing_slot(app, move || verify_password(&password, &hash)).await
}

pub async fn login(
    State(app): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    req: Req,
    Form(form): Form<LoginPost>,
) -> Result<Reply, Problem> {
    let (app, req, client) = (&app, &req, &client.key());
    let t = staff_ui(req.locale);
    let raw_email = form.email.trim().to_string();
    let password = form.password;
    let next = safe_next(form.next.as_deref());
    let email = normalize_email(&raw_email);
    let key = email.clone().unwrap_or_else(|| raw_email.to_lowercase());

    let limited = app
        .login_limit
        .lock()
        .ok()
        .and_then(|mut l| l.check(client, app.clock()).err());
    if let Some(retry_after) = limited {
        return Err(Problem::TooManyAttempts { retry_after });
    }
    let now = now_ms();
    let locked = app
        .login_throttle
        .lock()
        .ok()
        .and_then(|mut t| t.retry_after(&key, client, now));
    if let Some(retry_after) = locked {
        return Err(Problem::TooManyAttempts { retry_after });
    }

    let user = match &email {
        Some(e) if password.len() <= MAX_PASSWORD_BYTES => app.store.user_by_email(e).await?,
        _ => None,
    };
    // Verify against a real hash even for unknown addresses, so timing does not reveal
    // which addresses have accounts.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| app.dummy_hash.to_string());
    let matches = verify_in_slot(app, password, stored).await?;
    let user = user.filter(|u| matches && u.active != 0);

    let Some(user) = user else {
        if let Ok(mut throttle) = app.login_throttle.lock() {
            throttle.record_failure(&key, client, now);
        }
        tracing::info!("login refused");
        let form = LoginForm {
            email: raw_email,
            next,
            error: Some(t.login_failed.to_string()),
        };
        return Ok(Reply::page(
            StatusCode::UNAUTHORIZED,
            render_login(app, req, form),
        ));
    };
    if let Ok(mut throttle) = app.login_throttle.lock() {
        throttle.succeeded(&key, client);
    }
    // A fresh session id at every login (no fixation); the old session, if any, ends.
    if let Some(old) = req.cookie(Cookie::Session).filter(|t| is_token(t)) {
        app.store.delete_session(&hash_token(&old)).await?;
    }
    let token = new_token();
    app.store
        .create_session(&hash_token(&token), user.id)
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(Reply::redirect(next).with_cookie(Some(session_cookie(
        &token,
        SESSION_ABSOLUTE_MS / 1000,
        app.config.cookie_secure,
    ))))
}

pub async fn logout(State(app): State<AppState>, req: Req) -> Reply {
    if let Some(token) = req.cookie(Cookie::Session).filter(|t| is_token(t)) {
        if let Err(e) = app.store.delete_session(&hash_token(&token)).await {
            tracing::error!(error = %e, "could not end session");
        }
    }
    Reply::redirect("/login").with_cookie(Some(session_cookie("", 0, app.config.cookie_secure)))
}

/// `/account/password`: a signed-in staff member changes their own password.
pub async fn password_page(
    State(app): State<AppState>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Reply {
    password_reply(&app, &req, &staff, StatusCode::OK, PasswordNotice::None)
}

const PASSWORD_PATH: &str = "/account/password";

fn password_reply(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    status: StatusCode,
    notice: PasswordNotice,
) -> Reply {
    let t = staff_ui(req.locale);
    let c = staff_chrome(
        req.locale,
        staff,
        t.password_title.to_string(),
        None,
        PASSWORD_PATH.into(),
    );
    Reply::page(
        status,
        render_document(&app.site, c, password_view(req.locale, notice)),
    )
}

/// Changes the signed-in staff member's password: the current one is checked (in a
/// hashing slot, throttled like a sign-in), and every other session of theirs ends.
pub async fn change_password(
    State(app): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    SignedIn(staff): SignedIn,
    req: Req,
    Form(form): Form<PasswordPost>,
) -> Result<Reply, Problem> {
    let t = staff_ui(req.locale);
    let PasswordPost {
        current,
        new,
        repeat,
    } = form;
    let refuse = |message: &str| {
        Ok(password_reply(
            &app,
            &req,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordNotice::Error(message.to_string()),
        ))
    };
    if new != repeat {
        return refuse(t.password_mismatch);
    }
    match check_new_password(&new) {
        Err(PasswordProblem::TooShort) => return refuse(t.password_too_short),
        Err(PasswordProblem::TooLong) => return refuse(t.password_too_long),
        Ok(()) => {}
    }
    let key = client.key();
    let now = now_ms();
    let locked = app
        .login_throttle
        .lock()
        .ok()
        .and_then(|mut th| th.retry_after(&staff.email, &key, now));
    if let Some(retry_after) = locked {
        return Err(Problem::TooManyAttempts { retry_after });
    }
    let user = app
        .store
        .user_by_id(staff.id)
        .await?
        .ok_or_else(|| Problem::LoginRequired {
            next: PASSWORD_PATH.to_string(),
        })?;
    if current.len() > MAX_PASSWORD_BYTES
        || !verify_in_slot(&app, current, user.password_hash).await?
    {
        if let Ok(mut th) = app.login_throttle.lock() {
            th.record_failure(&staff.email, &key, now);
        }
        return refuse(t.password_wrong_current);
    }
    let hash = hash_in_slot(&app, new).await?;
    let own = req
        .cookie(Cookie::Session)
        .filter(|t| is_token(t))
        .map(|t| hash_token(&t));
    app.store
        .set_password(staff.id, &hash, own.as_deref())
        .await?;
    app.store
        .record_audit(
            &crate::db::Actor::of(&staff),
            "password_changed",
            &staff.email,
        )
        .await?;
    tracing::info!(user_id = staff.id, "password changed");
    Ok(password_reply(
        &app,
        &req,
        &staff,
        StatusCode::OK,
        PasswordNotice::Changed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/reports/terra-bond?segment=tenure")),
            "/reports/terra-bond?segment=tenure"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " /reports",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{a0}/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "%2F%2Fevil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/reports", "{bad:?}");
        }
        // Percent-encoded characters stay encoded in a path: same site.
        assert_eq!(
            safe_next(Some("/%2F%2Fevil.example")),
            "/%2F%2Fevil.example"
        );
        assert_eq!(safe_next(None), "/reports");
    }
}
