//! Publishing and the survey's life: publishing the draft (only when the checker finds no
//! errors), opening, closing and archiving, and duplicating a survey under a new slug.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::builder::builder_page;
use super::{admin_survey, current, slug_problem, slug_taken};
use crate::api::auth::Admin;
use crate::api::web::{Form, Req};
use crate::api::AppState;
use crate::db::{Actor, Published, StoreError, SurveyStatus};
use crate::domain::checker::{self, check};
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::Reply;

pub async fn publish(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let draft = current(&app, &slug).await?;
    let findings = check(&draft.definition);
    if checker::blocks_publishing(&findings) {
        let message = authoring_ui(req.locale).publish_refused;
        return builder_page(
            &app,
            &req,
            &staff,
            &slug,
            None,
            Some(message.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let done = match app.store.publish_draft(&draft, &Actor::of(&staff)).await? {
        Published::Now => "published",
        Published::AlreadyLive => "live",
        Published::ChangedMeanwhile => "changed",
    };
    Ok(Reply::redirect(format!(
        "/admin/surveys/{slug}?done={done}"
    )))
}

/// The status buttons of the builder.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusPost {
    status: String,
}

pub async fn status(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    Form(StatusPost { status }): Form<StatusPost>,
) -> Result<Reply, Problem> {
    let survey = admin_survey(&app, &slug).await?;
    let status = match status.as_str() {
        "open" if survey.live_version_id.is_some() => SurveyStatus::Open,
        "closed" => SurveyStatus::Closed,
        "archived" => SurveyStatus::Archived,
        _ => return Err(Problem::BadRequest("status".into())),
    };
    app.store
        .change_status(survey.id, survey.brand_id, status, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/admin/surveys/{slug}?done=status"
    )))
}

/// The duplicate form of the builder.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SlugPost {
    slug: String,
}

pub async fn duplicate(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Form(SlugPost { slug: new_slug }): Form<SlugPost>,
) -> Result<Reply, Problem> {
    let draft = current(&app, &slug).await?;
    let new_slug = new_slug.trim().to_string();
    let problem = match slug_problem(req.locale, &new_slug) {
        Some(p) => Some(p),
        None => {
            let mut def = draft.definition.clone();
            def.slug = new_slug.clone();
            match app
                .store
                .create_draft_survey(
                    draft.brand_id,
                    &def,
                    &Actor::of(&staff),
                    "survey_duplicated",
                )
                .await
            {
                Ok(_) => return Ok(Reply::redirect(format!("/admin/surveys/{new_slug}"))),
                Err(StoreError::SurveySlugTaken(_)) => Some(slug_taken(req.locale)),
                Err(e) => return Err(e.into()),
            }
        }
    };
    builder_page(
        &app,
        &req,
        &staff,
        &slug,
        None,
        problem,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
