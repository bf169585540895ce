//! Complete responses of a survey: the list, and one response shown with the questions of
//! the version it answered.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{admin_survey, page};
use crate::api::auth::Admin;
use crate::api::web::Req;
use crate::api::AppState;
use crate::domain::listening::mask_contacts;
use crate::domain::quality::QualityFlags;
use crate::domain::{Locale, QuestionKind};
use crate::error::Problem;
use crate::i18n::{authoring_ui, names};
use crate::pages::authoring::{response_view, responses_view, ResponseListRow};
use crate::pages::Reply;

/// A response's flags as the admin reads them ("speeder, bot"); empty when clean.
fn flag_names(locale: Locale, quality: QualityFlags) -> String {
    quality
        .flags()
        .map(|f| (names(locale).flag)(f))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn responses(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = format!("/admin/surveys/{slug}/responses");
    let survey = admin_survey(&app, &slug).await?;
    let rows = app
        .store
        .completed_responses(survey.id, 200)
        .await?
        .into_iter()
        .map(|r| ResponseListRow {
            id: r.id,
            version: r.version,
            completed_at: r.completed_at,
            flags: flag_names(req.locale, r.quality),
        })
        .collect();
    let title = authoring_ui(req.locale).responses.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        responses_view(req.locale, slug.clone(), rows),
    ))
}

pub async fn response(
    State(app): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = format!("/admin/surveys/{slug}/responses");
    let survey = admin_survey(&app, &slug).await?;
    let (version_id, quality, answers) = app
        .store
        .response_of(survey.id, id)
        .await?
        .ok_or(Problem::PageNotFound)?;
    let def = app.definition(version_id).await?;
    let version = app
        .store
        .versions(survey.id)
        .await?
        .iter()
        .find(|v| v.id == version_id)
        .map(|v| v.version)
        .unwrap_or(0);
    let l = req.locale;
    // The viewer shows text as the listening page does: contact details masked unless an
    // admin turned masking off for the survey.
    let masked = app.store.text_masked(survey.id).await?;
    let items = def
        .questions()
        .filter_map(|q| {
            let stored = answers
                .iter()
                .find(|(k, _)| *k == q.key)
                .map(|(_, v)| v.as_str())?;
            let shown = stored
                .split(',')
                .map(|part| {
                    q.option(part)
                        .map(|o| o.text.get(l).to_string())
                        .unwrap_or_else(|| part.to_string())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let shown = match q.kind {
                QuestionKind::ShortText | QuestionKind::LongText if masked => {
                    mask_contacts(stored).into_owned()
                }
                _ => shown,
            };
            Some((q.key.clone(), q.text.get(l).to_string(), shown))
        })
        .collect();
    let title = format!("{} #{id}", authoring_ui(req.locale).response);
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        response_view(
            l,
            slug.clone(),
            (id, version),
            flag_names(l, quality),
            items,
        ),
    ))
}
