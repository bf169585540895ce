//! Surveys as JSON: exporting the draft (or newest version), and importing an export as a
//! new draft (its brand created if it does not exist yet).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{current, download, page, slug_taken};
use crate::api::auth::Admin;
use crate::api::web::{Form, Req};
use crate::api::AppState;
use crate::db::{Actor, StoreError};
use crate::domain::SurveyDefinition;
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::import_view;
use crate::pages::Reply;

/// The import form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ImportPost {
    json: String,
}

pub async fn import_form(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = "/admin/import".to_string();
    let title = authoring_ui(req.locale).import_page_title.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        import_view(req.locale, String::new(), Vec::new()),
    ))
}

/// Imports a survey JSON (as exported) as a draft: same definition, same brand.
pub async fn import(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
    Form(ImportPost { json }): Form<ImportPost>,
) -> Result<Reply, Problem> {
    let here = "/admin/import".to_string();
    let problems = match SurveyDefinition::parse(&json) {
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
        Ok(def) => {
            let who = Actor::of(&staff);
            let brand_id = match app.store.brand(&def.brand.slug).await? {
                Some((id, _)) => id,
                None => app.store.create_brand(&def.brand, &who).await?,
            };
            match app
                .store
                .create_draft_survey(brand_id, &def, &who, "survey_imported")
                .await
            {
                Ok(_) => return Ok(Reply::redirect(format!("/admin/surveys/{}", def.slug))),
                Err(StoreError::SurveySlugTaken(_)) => vec![slug_taken(req.locale)],
                Err(e) => return Err(e.into()),
            }
        }
    };
    let title = authoring_ui(req.locale).import_page_title.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::UNPROCESSABLE_ENTITY,
        import_view(req.locale, json, problems),
    ))
}

pub async fn export(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    _: Admin,
) -> Result<Response, Problem> {
    let json = current(&app, &slug).await?.definition.to_json_pretty();
    Ok(download(
        "application/json; charset=utf-8",
        format!("{slug}.json"),
        json,
    ))
}
