//! The audit log: every change to brands and surveys, newest first.

use axum::extract::State;
use axum::http::StatusCode;

use super::page;
use crate::api::auth::Admin;
use crate::api::web::Req;
use crate::api::AppState;
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::audit_view;
use crate::pages::Reply;

pub async fn audit(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = "/admin/audit".to_string();
    let entries = app.store.audit_log(None, 500).await?;
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
