//! Request plumbing shared by handlers: language choice, cookies and secret tokens.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::domain::account::Staff;
use crate::domain::Locale;
use crate::error::Problem;
use crate::pages::Chrome;

/// The app's cookies. With `COOKIE_SECURE` their names carry a prefix that browsers
/// enforce: `__Host-` for the site-wide ones (only set over HTTPS, by this host, for the
/// whole site: no subdomain can set or shadow them) and `__Secure-` for the ones scoped
/// to a survey's path (a path rules out `__Host-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cookie {
    /// A staff member's session id (only its hash is stored).
    Session,
    /// The language a visitor picked.
    Lang,
    /// A respondent's resume token, scoped to the survey's path.
    Resume,
    /// Set when a browser completed a survey (one response per browser).
    Done,
}

impl Cookie {
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Cookie::Session, false) => "vb_session",
            (Cookie::Session, true) => "__Host-vb_session",
            (Cookie::Lang, false) => "vb_lang",
            (Cookie::Lang, true) => "__Host-vb_lang",
            (Cookie::Resume, false) => "vb_resume",
            (Cookie::Resume, true) => "__Secure-vb_resume",
            (Cookie::Done, false) => "vb_done",
            (Cookie::Done, true) => "__Secure-vb_done",
        }
    }
}
/// How long a browser remembers an unfinished response (60 days).
const RESUME_MAX_AGE_SECS: u64 = 60 * 24 * 3600;

/// The language of this request and, if the user just picked one, the cookie to remember it.
pub struct LocaleChoice {
    pub locale: Locale,
    pub set_cookie: Option<String>,
}

/// Language: an explicit `?lang=` (remembered in a cookie), else the cookie, else
/// `Accept-Language`, else Vietnamese.
pub fn choose_locale(headers: &HeaderMap, requested: Option<&str>, secure: bool) -> LocaleChoice {
    if let Some(locale) = requested.and_then(Locale::parse) {
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
            Cookie::Lang.name(secure),
            locale.code(),
            secure_attr(secure)
        );
        return LocaleChoice {
            locale,
            set_cookie: Some(cookie),
        };
    }
    let locale = cookie(headers, Cookie::Lang.name(secure))
        .and_then(|c| Locale::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default();
    LocaleChoice {
        locale,
        set_cookie: None,
    }
}

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn resume_cookie(slug: &str, token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/s/{slug}; Max-Age={RESUME_MAX_AGE_SECS}; HttpOnly; SameSite=Lax{}",
        Cookie::Resume.name(secure),
        secure_attr(secure)
    )
}

/// Set when a browser completes a survey: with "one response per browser" on, it may not
/// start another response (kept a year; it holds no identifier).
pub fn done_cookie(slug: &str, secure: bool) -> String {
    format!(
        "{}=1; Path=/s/{slug}; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
        Cookie::Done.name(secure),
        secure_attr(secure)
    )
}

pub fn clear_resume_cookie(slug: &str, secure: bool) -> String {
    format!(
        "{}=; Path=/s/{slug}; Max-Age=0; HttpOnly; SameSite=Lax{}",
        Cookie::Resume.name(secure),
        secure_attr(secure)
    )
}

fn secure_attr(secure: bool) -> &'static str {
    if secure {
        "; Secure"
    } else {
        ""
    }
}

/// `scheme://host` of this request, for links a respondent copies to another device.
pub fn public_origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        == Some("https");
    let scheme = if secure || forwarded_https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// What every page handler knows about the request before it starts: its language
/// (chosen once by `startup::layers::localize`), query and headers. An extractor, so a handler
/// just names it.
pub struct Req {
    pub locale: Locale,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    /// Whether cookies are `Secure` (and so prefixed).
    secure: bool,
}

impl FromRequestParts<AppState> for Req {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Req, Self::Rejection> {
        let query = query_pairs(parts.uri.query());
        let secure = app.config.cookie_secure;
        let locale = match parts.extensions.get::<Locale>() {
            Some(&locale) => locale,
            None => choose_locale(&parts.headers, field(&query, "lang"), secure).locale,
        };
        Ok(Req {
            locale,
            query,
            headers: parts.headers.clone(),
            secure,
        })
    }
}

/// A query string's pairs, in order (none if it is not valid form encoding).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

impl Req {
    /// The value of one of the app's cookies, if this request carries it.
    pub fn cookie(&self, c: Cookie) -> Option<String> {
        cookie(&self.headers, c.name(self.secure))
    }

    pub fn flag(&self, name: &str) -> bool {
        self.query.iter().any(|(k, _)| k == name)
    }

    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        field(&self.query, name)
    }
}

pub fn chrome(locale: Locale, title: String, brand: Option<String>, lang_path: String) -> Chrome {
    Chrome {
        locale,
        title,
        brand,
        lang_path,
        staff: None,
        wide: false,
    }
}

/// The chrome of a page a signed-in staff member sees: who they are, in the header.
pub fn staff_chrome(
    locale: Locale,
    staff: &Staff,
    title: String,
    brand: Option<String>,
    lang_path: String,
) -> Chrome {
    Chrome {
        staff: Some(super::reports::staff_badge(locale, staff)),
        ..chrome(locale, title, brand, lang_path)
    }
}

/// A posted form of fixed shape, read into its struct (fields it lacks take their
/// defaults; fields it does not know are ignored). A body that is no such form is a 400
/// page in the user's language. Unlike `axum::Form` it does not insist on a content type:
/// the answer is the same for every client that sends form encoding.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        // A body over the limit stays axum's 413.
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        // serde_html_form reads a repeated field (a list of checkboxes) into a `Vec`.
        serde_html_form::from_bytes(&body)
            .map(Form)
            .map_err(|e| Problem::BadRequest(format!("form: {e}")).into_response())
    }
}

/// A posted form whose fields depend on what it edits (a survey page's answers, the
/// builder's per-question fields): its pairs, in the order they were sent.
pub struct Fields(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_urlencoded::from_bytes(&body)
            .map(Fields)
            .map_err(|e| Problem::BadRequest(format!("form: {e}")).into_response())
    }
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn explicit_language_wins_and_is_remembered() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-US,en"),
        );
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; vb_lang=vi"));
        let secure_choice = choose_locale(&h, None, true).locale;
        assert_eq!(
            secure_choice,
            Locale::En,
            "with secure cookies only __Host-vb_lang counts"
        );
        assert_eq!(
            choose_locale(&h, None, false).locale,
            Locale::Vi,
            "cookie beats Accept-Language"
        );
        let chosen = choose_locale(&h, Some("en"), true);
        assert_eq!(chosen.locale, Locale::En);
        assert!(chosen
            .set_cookie
            .unwrap()
            .starts_with("__Host-vb_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; Secure"));
        h.remove(header::COOKIE);
        assert_eq!(choose_locale(&h, None, false).locale, Locale::En);
        assert_eq!(
            choose_locale(&HeaderMap::new(), None, false).locale,
            Locale::Vi
        );
    }
}
