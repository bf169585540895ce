//! The audit log: every change to brands and surveys, newest first.

use axum::extract::State;
use axum::http::StatusCode;

use super::page;
use crate::api::auth::Admin;
use crate::api::web::Req;
use crate::api::AppState;
use crate::db::AuditEntry;
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::{audit_view, AuditLine};
use crate::pages::Reply;

pub async fn audit(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = "/admin/audit".to_string();
    let entries = audit_lines(app.store.audit_log(None, 500).await?);
    let title = authoring_ui(req.locale).audit_log.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        audit_view(req.locale, entries),
    ))
}

/// The audit log's entries as the pages show them.
pub(super) fn audit_lines(entries: Vec<AuditEntry>) -> Vec<AuditLine> {
    entries
        .into_iter()
        .map(|a| AuditLine {
            at: a.at,
            actor: a.actor,
            action: a.action,
            brand: a.brand_name.unwrap_or_default(),
            survey: a.survey_slug.unwrap_or_default(),
            detail: a.detail,
        })
        .collect()
}
