//! The one place where failures become HTTP responses: every `Problem` maps to a status
//! and a page in the user's language. Database details are logged, never shown.
//!
//! A handler returns `Result<_, Problem>`. The problem cannot render itself there (the
//! page needs the site's assets and the request's language), so `into_response` leaves it
//! in the response's extensions and `startup::layers::localize`, the layer that chose the
//! language, renders it on the way out.

use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};

use crate::db::StoreError;
use crate::domain::flow::MalformedPost;
use crate::domain::Locale;
use crate::i18n::{ui, Ui};
use crate::pages::problem::problem_view;
use crate::pages::{render_document, Chrome, Reply, SiteAssets};

/// A problem page's title, body, detail line, and link onwards (href, label).
type Explanation = (
    &'static str,
    &'static str,
    Option<String>,
    Option<(String, String)>,
);

/// Why a request could not be served.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("survey not found")]
    SurveyNotFound,
    #[error("survey closed")]
    SurveyClosed { slug: String },
    #[error("no respondent session")]
    SessionMissing { slug: String },
    #[error("resume or delete link not valid")]
    LinkInvalid,
    #[error("malformed page post: {0}")]
    Malformed(MalformedPost),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A form value the user can fix; `detail` is already in the user's language.
    #[error("invalid input: {detail}")]
    Invalid { detail: String },
    #[error("cross-origin request refused")]
    CrossOrigin,
    #[error("page not found")]
    PageNotFound,
    /// The survey takes invited respondents only, and this request has no usable invite.
    #[error("invitation required")]
    InviteRequired,
    /// The invite link was already used by someone else.
    #[error("invite link used")]
    InviteUsed,
    /// "One response per browser": this browser already completed the survey.
    #[error("already answered")]
    AlreadyAnswered,
    #[error("sign-in required")]
    LoginRequired { next: String },
    #[error("too many failed sign-ins")]
    TooManyAttempts { retry_after: u64 },
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    /// Every password-hashing slot is taken (a sign-in flood): try again shortly.
    #[error("busy")]
    Busy { retry_after: u64 },
    #[error("store unavailable: {0}")]
    Unavailable(#[from] StoreError),
}

impl Problem {
    pub fn status(&self) -> StatusCode {
        match self {
            Problem::SurveyNotFound | Problem::LinkInvalid | Problem::PageNotFound => {
                StatusCode::NOT_FOUND
            }
            Problem::SurveyClosed { .. } => StatusCode::GONE,
            Problem::LoginRequired { .. } => StatusCode::SEE_OTHER,
            Problem::TooManyAttempts { .. } | Problem::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Problem::SessionMissing { .. } | Problem::CrossOrigin | Problem::InviteRequired => {
                StatusCode::FORBIDDEN
            }
            Problem::InviteUsed => StatusCode::GONE,
            Problem::AlreadyAnswered => StatusCode::CONFLICT,
            Problem::Malformed(_) | Problem::BadRequest(_) => StatusCode::BAD_REQUEST,
            Problem::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Problem::Unavailable(
                StoreError::BrandSlugTaken(_)
                | StoreError::SurveySlugTaken(_)
                | StoreError::EmailTaken(_)
                | StoreError::DraftPublishedMeanwhile
                | StoreError::BrandMismatch { .. },
            ) => StatusCode::CONFLICT,
            Problem::Unavailable(_) | Problem::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A short name of the problem for logs (never the posted values).
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::SurveyNotFound => "survey_not_found",
            Problem::SurveyClosed { .. } => "survey_closed",
            Problem::SessionMissing { .. } => "session_missing",
            Problem::LinkInvalid => "link_invalid",
            Problem::Malformed(_) => "malformed_post",
            Problem::BadRequest(_) => "bad_request",
            Problem::Invalid { .. } => "invalid_input",
            Problem::CrossOrigin => "cross_origin",
            Problem::PageNotFound => "page_not_found",
            Problem::InviteRequired => "invite_required",
            Problem::InviteUsed => "invite_used",
            Problem::AlreadyAnswered => "already_answered",
            Problem::LoginRequired { .. } => "login_required",
            Problem::TooManyAttempts { .. } => "too_many_attempts",
            Problem::RateLimited { .. } => "rate_limited",
            Problem::Busy { .. } => "busy",
            Problem::Unavailable(_) => "unavailable",
        }
    }

    /// What the problem page says: its title, body, a detail line, and a link onwards.
    fn explain(&self, t: &Ui) -> Explanation {
        match self {
            Problem::SurveyNotFound | Problem::PageNotFound => {
                (t.not_found_title, t.not_found_body, None, None)
            }
            Problem::SurveyClosed { .. } => (t.closed_title, t.closed_body, None, None),
            Problem::SessionMissing { slug } => (
                t.session_missing_title,
                t.session_missing_body,
                None,
                Some((format!("/s/{slug}"), t.start_again.to_string())),
            ),
            Problem::LinkInvalid => (t.link_invalid_title, t.link_invalid_body, None, None),
            Problem::Malformed(m) => (
                t.bad_request_title,
                t.bad_request_body,
                Some((t.malformed)(m)),
                None,
            ),
            Problem::BadRequest(_) => (t.bad_request_title, t.bad_request_body, None, None),
            Problem::Invalid { detail } => (
                t.bad_request_title,
                t.invalid_body,
                Some(detail.clone()),
                None,
            ),
            Problem::CrossOrigin | Problem::LoginRequired { .. } => {
                (t.forbidden_title, t.forbidden_body, None, None)
            }
            Problem::RateLimited { retry_after } => (
                t.rate_limited_title,
                t.rate_limited_body,
                Some((t.retry_in_seconds)(*retry_after)),
                None,
            ),
            Problem::TooManyAttempts { retry_after } => (
                t.too_many_title,
                t.too_many_body,
                Some((t.retry_in)(*retry_after)),
                Some(("/login".to_string(), t.try_again.to_string())),
            ),
            Problem::Unavailable(_) => (t.unavailable_title, t.unavailable_body, None, None),
            Problem::Busy { retry_after } => (
                t.busy_title,
                t.busy_body,
                Some((t.retry_in_seconds)(*retry_after)),
                Some(("/login".to_string(), t.try_again.to_string())),
            ),
            Problem::InviteRequired => {
                (t.invite_required_title, t.invite_required_body, None, None)
            }
            Problem::InviteUsed => (t.invite_used_title, t.invite_used_body, None, None),
            Problem::AlreadyAnswered => (
                t.already_answered_title,
                t.already_answered_body,
                None,
                None,
            ),
        }
    }

    /// Renders the problem as a page in `locale`.
    pub fn render(&self, site: &SiteAssets, locale: Locale) -> Reply {
        let t = ui(locale);
        let status = self.status();
        if let Problem::LoginRequired { next } = &self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return Reply::redirect(format!("/login?{query}"));
        }
        if status.is_server_error() && !matches!(self, Problem::Busy { .. }) {
            tracing::error!(error = %self, "request failed");
        } else {
            // Only the kind: a malformed post's details can hold what a respondent typed.
            tracing::info!(
                status = status.as_u16(),
                problem = self.kind(),
                "request refused"
            );
        }
        let (title, body, detail, next) = self.explain(t);
        let chrome = Chrome {
            locale,
            title: format!("{title} · {}", t.app_name),
            brand: None,
            lang_path: String::new(),
            staff: None,
            wide: false,
        };
        let reply = Reply::page(
            status,
            render_document(
                site,
                chrome,
                problem_view(locale, title, body, detail, next),
            ),
        );
        match self {
            Problem::TooManyAttempts { retry_after }
            | Problem::RateLimited { retry_after }
            | Problem::Busy { retry_after } => {
                reply.with_header(header::RETRY_AFTER, retry_after.to_string())
            }
            _ => reply,
        }
    }
}

/// A problem on its way out, waiting for `startup::layers::localize` to render it.
#[derive(Clone)]
pub struct Unrendered(pub Arc<Problem>);

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Unrendered(Arc::new(self)));
        response
    }
}

/// A language a handler learned from the request body (a survey form's `_lang`), which
/// overrides the one chosen from the URL, cookie and headers for rendering its problems.
#[derive(Clone, Copy)]
pub struct AnswerLocale(pub Locale);

impl IntoResponseParts for AnswerLocale {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.extensions_mut().insert(self);
        Ok(parts)
    }
}
