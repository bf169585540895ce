//! The admin's authoring tool: brands, the survey builder and question editor, publishing
//! and versions, distribution (public link, QR code, invite links), responses, JSON import
//! and export, and the audit log. Only admins reach these handlers (the `Admin` extractor;
//! anyone else: not found). The preview is served with the respondent's pages
//! (`api::respondent`), from the same draft as the builder (`current`).
//!
//! Every change is a form post that redirects back (post/redirect/get); a refused change
//! re-renders its form with the reasons and everything typed kept.
//!
//! This file holds what the features share: the page frame, finding the survey being
//! edited, the slug messages and downloads. Forms of a fixed shape are typed (`Form<T>`,
//! missing fields empty); the brand form and the question editor depend on what they edit
//! and are read as plain fields.

mod audit;
mod brands;
mod builder;
mod distribution;
mod import;
mod publishing;
mod questions;
mod responses;

pub use audit::audit;
pub use brands::{brand_create, brand_new, brand_show, brand_update, dashboard, survey_create};
pub use builder::{builder, edit};
pub use distribution::{distribution, invites, qr};
pub use import::{export, import, import_form};
pub use publishing::{duplicate, publish, status};
pub use questions::{question_save, question_show};
pub use responses::{response, responses};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::web::{staff_chrome, Req};
use super::AppState;
use crate::db::{Draft, SurveyRow};
use crate::domain::account::Staff;
use crate::domain::Locale;
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::{render_document, Reply};

/// A staff page; `path` is where its language links point.
fn page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    path: &str,
    title: String,
    status: StatusCode,
    body: impl leptos::IntoView + 'static,
) -> Reply {
    let mut c = staff_chrome(req.locale, staff, title, None, path.to_string());
    c.wide = true;
    Reply::page(status, render_document(&app.site, c, body))
}

/// The survey `slug` (not found if there is none).
async fn admin_survey(app: &AppState, slug: &str) -> Result<SurveyRow, Problem> {
    app.store
        .survey_by_slug(slug)
        .await?
        .ok_or(Problem::PageNotFound)
}

/// The draft (or newest version) with the brand's current profile, as the checker sees it.
pub(crate) async fn current(app: &AppState, slug: &str) -> Result<Draft, Problem> {
    let mut draft = app
        .store
        .newest_version(slug)
        .await?
        .ok_or(Problem::PageNotFound)?;
    if let Some((_, profile)) = app.store.brand_by_id(draft.brand_id).await? {
        draft.definition.brand = profile;
    }
    Ok(draft)
}

/// Why `slug` cannot name a survey, if it cannot.
fn slug_problem(locale: Locale, slug: &str) -> Option<String> {
    (!crate::domain::survey::is_slug(slug))
        .then(|| authoring_ui(locale).survey_slug_invalid.to_string())
}

/// The refusal of a survey slug that is already used.
fn slug_taken(locale: Locale) -> String {
    authoring_ui(locale).survey_slug_taken.to_string()
}

/// A file download (exports, invite links), never cached.
fn download(content_type: &'static str, filename: String, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
