//! The HTML shell every page shares, and the HTTP reply type of page handlers.

use std::path::Path;
use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hydration_context::SsrSharedContext;
use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::components::enhance::FormEnhancer;
use crate::domain::Locale;
use crate::i18n::ui;

const OUTPUT_NAME: &str = "valuebond";

/// Where the built JS/WASM/CSS live and what they are called (hashed names in release).
pub struct SiteAssets {
    pub options: LeptosOptions,
    pub css_href: String,
}

impl SiteAssets {
    /// Reads `hash.txt` that `cargo leptos build` writes beside the binary, if present.
    pub fn load(site_root: &Path) -> SiteAssets {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| std::fs::read_to_string(exe.with_file_name("hash.txt")).ok());
        let css_hash = hashes.as_deref().and_then(|h| {
            h.lines().find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.trim() == "css")
                    .map(|(_, v)| v.trim().to_string())
            })
        });
        let options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(site_root.display().to_string())
            .site_pkg_dir("pkg")
            .hash_files(hashes.is_some())
            .build();
        let css_href = match css_hash {
            Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
            None => format!("/pkg/{OUTPUT_NAME}.css"),
        };
        SiteAssets { options, css_href }
    }
}

/// What the shell around a page shows.
pub struct Chrome {
    pub locale: Locale,
    pub title: String,
    /// Brand name in the header, on survey pages.
    pub brand: Option<String>,
    /// Path the language links point to (with `?lang=`).
    pub lang_path: String,
    /// On staff pages: who is signed in (shown with a sign-out button) and whether they
    /// are an admin (who also gets the users page).
    pub staff: Option<(String, bool)>,
    /// A wider main column (reports).
    pub wide: bool,
}

/// Renders a full HTML document; returns the HTML and the CSP nonce of its inline script.
pub fn render_document(
    site: &SiteAssets,
    chrome: Chrome,
    body: impl IntoView + 'static,
) -> (String, String) {
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    let nonce = Nonce::new();
    let html = owner.with(|| {
        provide_context(nonce.clone());
        let t = ui(chrome.locale);
        let languages = Locale::ALL
            .into_iter()
            .map(|l| {
                let current = (l == chrome.locale).then_some("true");
                let sep = if chrome.lang_path.contains('?') { '&' } else { '?' };
                let href = format!("{}{sep}lang={}", chrome.lang_path, l.code());
                view! { <a href=href hreflang=l.code() lang=l.code() aria-current=current>{l.native_name()}</a> }
            })
            .collect_view();
        let brand = chrome.brand.clone().unwrap_or_else(|| t.app_name.to_string());
        let staff_nav = chrome.staff.clone().map(|(who, admin)| {
            let s = crate::i18n::staff_ui(chrome.locale);
            let users = admin.then(|| view! {
                <a href="/admin">{s.nav_surveys}</a>
                <a href="/admin/users">{s.users_title}</a>
            });
            view! {
                <nav class="staff-nav" aria-label=s.reports_title>
                    <a href="/reports">{s.reports_title}</a>
                    {users}
                    <span class="who">{who}</span>
                    <a href="/account/password">{s.password_title}</a>
                    <form method="post" action="/logout">
                        <button type="submit" class="link-button on-brand">{s.sign_out}</button>
                    </form>
                </nav>
            }
        });
        let main_class = if chrome.wide { "wide" } else { "" };
        view! {
            <!DOCTYPE html>
            <html lang=chrome.locale.code()>
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <title>{chrome.title.clone()}</title>
                    <link rel="stylesheet" href=site.css_href.clone()/>
                    <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                    <HydrationScripts options=site.options.clone() islands=true/>
                </head>
                <body>
                    <a class="skip-link" href="#main">{t.skip_to_content}</a>
                    <header class="site-header" id="site-header">
                        <span class="brand-name">{brand}</span>
                        {staff_nav}
                        <nav class="languages" aria-label=t.language>{languages}</nav>
                    </header>
                    <main id="main" tabindex="-1" class=main_class>{body}</main>
                    <FormEnhancer/>
                </body>
            </html>
        }
        .to_html()
    });
    (html, nonce.to_string())
}

/// A page handler's answer: an HTML page or a 303 redirect, with cookies to set.
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    body: ReplyBody,
    cookies: Vec<String>,
    headers: Vec<(header::HeaderName, String)>,
}

#[derive(Debug)]
enum ReplyBody {
    Html { html: String, nonce: String },
    Redirect(String),
}

impl Reply {
    pub fn page(status: StatusCode, (html, nonce): (String, String)) -> Reply {
        Reply {
            status,
            body: ReplyBody::Html { html, nonce },
            cookies: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Post/redirect/get: a 303 so the browser follows with a GET.
    pub fn redirect(to: impl Into<String>) -> Reply {
        Reply {
            status: StatusCode::SEE_OTHER,
            body: ReplyBody::Redirect(to.into()),
            cookies: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn with_cookie(mut self, cookie: Option<String>) -> Reply {
        self.cookies.extend(cookie);
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = match self.body {
            ReplyBody::Html { html, nonce } => {
                let csp = format!(
                    "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
                     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                     form-action 'self'; frame-ancestors 'none'"
                );
                let mut r = (self.status, html).into_response();
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                if let Ok(v) = HeaderValue::from_str(&csp) {
                    h.insert(header::CONTENT_SECURITY_POLICY, v);
                }
                r
            }
            ReplyBody::Redirect(to) => {
                let mut r = self.status.into_response();
                if let Ok(v) = HeaderValue::from_str(&to) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r
            }
        };
        // Survey pages carry answers and resume tokens: never cache them anywhere.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, v);
            }
        }
        for cookie in self.cookies {
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        response
    }
}
