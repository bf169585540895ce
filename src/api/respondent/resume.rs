//! Leaving and coming back: "continue later", resume links, the thank-you page, and
//! deleting one's response.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::api::web::{self, chrome, clear_resume_cookie, done_cookie, resume_cookie, Cookie, Req};
use crate::api::AppState;
use crate::db::{RespondentRow, SurveyRow};
use crate::error::Problem;
use crate::i18n::ui;
use crate::pages::respondent::{
    delete_confirm_view, deleted_view, later_view, resume_choice_view, thanks_view,
};
use crate::pages::{render_document, Reply};

use super::current_href;

/// After "Save and continue later": the secret link that resumes on another device.
pub async fn later(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, req.cookie(Cookie::Resume), false).await?;
    let survey = visit.survey;
    let Some((r, token)) = visit.respondent else {
        return Err(Problem::SessionMissing { slug: slug.clone() });
    };
    let resume_url = format!(
        "{}/s/{slug}/r/{token}",
        web::public_origin(&req.headers, app.config.cookie_secure)
    );
    let t = ui(req.locale);
    let reply = survey_page(
        &app,
        &req,
        &survey,
        t.later_title,
        format!("/s/{slug}/later"),
        later_view(req.locale, resume_url, current_href(&slug, &r)),
    );
    Ok(reply)
}

/// The "continue later" link: adopts the response in this browser and continues it.
pub async fn resume(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let (survey, r, token) = linked(&app, &slug, token).await?;
    // Another response in progress in this browser is not replaced silently.
    if let Some(own) = req.cookie(Cookie::Resume).filter(|own| *own != token) {
        let current = app.visit(&slug, Some(own), false).await?.respondent;
        if let Some((mine, _)) = current.filter(|(m, _)| m.completed_at.is_none()) {
            let t = ui(req.locale);
            let reply = survey_page(
                &app,
                &req,
                &survey,
                t.resume_choice_title,
                format!("/s/{slug}/r/{token}"),
                resume_choice_view(
                    req.locale,
                    current_href(&slug, &mine),
                    format!("/s/{slug}/r/{token}"),
                ),
            );
            return Ok(reply);
        }
    }
    Ok(continue_with(&app, &slug, &r, &token))
}

/// The respondent chose the response of the resume link over the one in this browser.
pub async fn resume_switch(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Reply, Problem> {
    let (_, r, token) = linked(&app, &slug, token).await?;
    Ok(continue_with(&app, &slug, &r, &token))
}

/// To where respondent `r` left off, remembering its token in this browser.
fn continue_with(app: &AppState, slug: &str, r: &RespondentRow, token: &str) -> Reply {
    let to = if r.completed_at.is_some() {
        current_href(slug, r)
    } else {
        format!("{}?resumed=1", current_href(slug, r))
    };
    Reply::redirect(to).with_cookie(Some(resume_cookie(slug, token, app.config.cookie_secure)))
}

pub async fn thanks(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, req.cookie(Cookie::Resume), false).await?;
    let survey = visit.survey;
    let Some((r, token)) = visit.respondent else {
        return Ok(Reply::redirect(format!("/s/{slug}")));
    };
    if r.completed_at.is_none() {
        return Ok(Reply::redirect(current_href(&slug, &r)));
    }
    let def = app.definition(r.version_id).await?;
    let t = ui(req.locale);
    let reply = survey_page(
        &app,
        &req,
        &survey,
        t.thanks_title,
        format!("/s/{slug}/thanks"),
        thanks_view(
            req.locale,
            &def,
            format!("/s/{slug}/delete/{token}"),
            req.flag("already"),
        ),
    );
    Ok(reply.with_cookie(Some(done_cookie(&slug, app.config.cookie_secure))))
}

/// Confirmation before deleting: a GET never deletes anything.
pub async fn delete_confirm(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let (survey, r, token) = linked(&app, &slug, token).await?;
    let t = ui(req.locale);
    let reply = survey_page(
        &app,
        &req,
        &survey,
        t.delete_title,
        format!("/s/{slug}/delete/{token}"),
        delete_confirm_view(
            req.locale,
            format!("/s/{slug}/delete/{token}"),
            current_href(&slug, &r),
        ),
    );
    Ok(reply)
}

pub async fn delete(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let (survey, r, _) = linked(&app, &slug, token).await?;
    app.store.delete_respondent(r.id).await?;
    tracing::info!(survey = %slug, "respondent deleted their answers");
    let t = ui(req.locale);
    let reply = survey_page(
        &app,
        &req,
        &survey,
        t.deleted_title,
        format!("/s/{slug}"),
        deleted_view(req.locale),
    );
    Ok(reply.with_cookie(Some(clear_resume_cookie(&slug, app.config.cookie_secure))))
}

/// The survey and the respondent a secret link (resume or delete) names, with its token;
/// a stale link is "not valid".
async fn linked(
    app: &AppState,
    slug: &str,
    token: String,
) -> Result<(SurveyRow, RespondentRow, String), Problem> {
    let visit = app.visit(slug, Some(token), false).await?;
    let (r, token) = visit.respondent.ok_or(Problem::LinkInvalid)?;
    Ok((visit.survey, r, token))
}

/// A page of the respondent's path titled "{title} · {brand}", under the survey's brand.
fn survey_page(
    app: &AppState,
    req: &Req,
    survey: &SurveyRow,
    title: &str,
    lang_path: String,
    body: impl leptos::IntoView + 'static,
) -> Reply {
    let chrome = chrome(
        req.locale,
        format!("{title} · {}", survey.brand_name),
        Some(survey.brand_name.clone()),
        lang_path,
    );
    Reply::page(StatusCode::OK, render_document(&app.site, chrome, body))
}
