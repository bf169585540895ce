//! An admin's preview of the newest (draft) version: the respondent's pages exactly,
//! validated and navigated the same way, stored nowhere.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::api::auth::Admin;
use crate::api::web::{self, field, Fields, Req};
use crate::api::AppState;
use crate::domain::flow::{self, decode_answers, Nav, Refusal};
use crate::domain::{Locale, SurveyDefinition};
use crate::error::Problem;
use crate::i18n::staff_ui;
use crate::pages::respondent::{page_view, PageModel};
use crate::pages::{render_document, Reply};
use crate::tokens::new_token;

use super::page_index;

/// Answers carried through an admin preview (the stored text form, as JSON in the page).
fn carried_answers(fields: &[(String, String)]) -> Vec<(String, String)> {
    field(fields, "_answers")
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// One page of an admin's preview of the newest (draft) version: the respondent's page
/// exactly, posting back to the preview with the answers so far in the form.
#[allow(clippy::too_many_arguments)]
fn render_preview(
    app: &AppState,
    req: &Req,
    staff: &crate::domain::account::Staff,
    def: &SurveyDefinition,
    index: usize,
    stored: &[(String, String)],
    errors: Vec<String>,
    status: StatusCode,
) -> Reply {
    let locale = req.locale;
    let slug = &def.slug;
    let answers = decode_answers(def, stored.to_vec());
    let banner = staff_ui(locale).preview_banner;
    let model = PageModel {
        def,
        locale,
        page: index,
        progress: flow::progress(def, index, &answers),
        questions: flow::visible_questions(def, index, &answers),
        answers: &answers,
        errors,
        action: format!(
            "/admin/surveys/{slug}/preview?page={}&lang={}",
            index + 1,
            locale.code()
        ),
        idem_key: new_token(),
        is_last: flow::next_page(def, index, &answers).is_none(),
        has_previous: flow::previous_page(def, index, &answers).is_some(),
        notice: Some(banner),
        preview_answers: Some(serde_json::to_string(stored).unwrap_or_default()),
    };
    let c = web::staff_chrome(
        locale,
        staff,
        format!("{banner} · {}", def.title.get(locale)),
        Some(def.brand.name.clone()),
        format!("/admin/surveys/{slug}/preview?page={}", index + 1),
    );
    Reply::page(status, render_document(&app.site, c, page_view(model)))
}

/// `GET /admin/surveys/{slug}/preview?page=N&lang=xx`
pub async fn preview(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let def = crate::api::authoring::current(&app, &slug)
        .await?
        .definition;
    if def.pages.is_empty() {
        return Err(Problem::PageNotFound);
    }
    let index = req
        .param("page")
        .map(page_index)
        .transpose()?
        .unwrap_or(0)
        .min(def.pages.len() - 1);
    Ok(render_preview(
        &app,
        &req,
        &staff,
        &def,
        index,
        &[],
        Vec::new(),
        StatusCode::OK,
    ))
}

/// A preview page post: validated and navigated exactly like a respondent's, stored nowhere.
pub async fn preview_post(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    mut req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    if let Some(locale) = field(&fields, "_lang").and_then(Locale::parse) {
        req.locale = locale;
    }
    let def = crate::api::authoring::current(&app, &slug)
        .await?
        .definition;
    let index = req.param("page").map(page_index).transpose()?.unwrap_or(0);
    if index >= def.pages.len() {
        return Err(Problem::PageNotFound);
    }
    // A preview has no "continue later".
    let nav = match Nav::parse(field(&fields, "_nav")) {
        Nav::Later => Nav::Next,
        nav => nav,
    };
    let mut stored = carried_answers(&fields);
    match flow::decide_page(&def, index, nav, &fields, stored.clone()) {
        Err(Refusal::Malformed(m)) => Err(Problem::Malformed(m)),
        Err(Refusal::Unanswered { answers, missing }) => {
            let carried: Vec<(String, String)> = answers
                .iter()
                .map(|(k, a)| (k.clone(), a.to_stored()))
                .collect();
            Ok(render_preview(
                &app,
                &req,
                &staff,
                &def,
                index,
                &carried,
                missing,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Ok(write) => {
            stored.retain(|(k, _)| {
                !write.deletes.contains(k) && !write.upserts.iter().any(|(u, _)| u == k)
            });
            stored.extend(write.upserts);
            if write.completion.is_some() {
                let l = req.locale;
                let c = web::staff_chrome(
                    l,
                    &staff,
                    staff_ui(l).preview_done_title.into(),
                    Some(def.brand.name.clone()),
                    format!("/admin/surveys/{slug}/preview"),
                );
                let body = crate::pages::authoring::preview_done_view(l, slug.clone());
                return Ok(Reply::page(
                    StatusCode::OK,
                    render_document(&app.site, c, body),
                ));
            }
            let next = write.current_page.min(def.pages.len() - 1);
            Ok(render_preview(
                &app,
                &req,
                &staff,
                &def,
                next,
                &stored,
                Vec::new(),
                StatusCode::OK,
            ))
        }
    }
}
