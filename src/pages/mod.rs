//! Server-rendered pages. Each page is a plain function from data to view; `document`
//! wraps it in the HTML shell and `Reply` turns it into an HTTP response.

pub mod admin;
pub mod auth;
pub mod authoring;
pub mod document;
pub mod home;
pub mod invitations;
pub mod problem;
pub mod report;
pub mod respondent;

pub use document::{render_document, Chrome, Reply, SiteAssets};

/// `path` with the query string `query` ("/reports/x?segment=tenure"), or `path` alone when
/// the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}
