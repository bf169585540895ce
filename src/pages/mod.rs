//! Server-rendered pages. Each page is a plain function from data to view; `document`
//! wraps it in the HTML shell and `Reply` turns it into an HTTP response.

pub mod admin;
pub mod auth;
pub mod authoring;
pub mod document;
pub mod home;
pub mod problem;
pub mod report;
pub mod respondent;

pub use document::{render_document, Chrome, Reply, SiteAssets};
