//! The pages of questions: showing one, and posting its answers.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::api::web::{chrome, field, Cookie, Fields, Req};
use crate::api::AppState;
use crate::db::{PageOutcome, PostContext, SurveyRow};
use crate::domain::flow::{self, decode_answers, page_href, MalformedPost, Nav, Refusal};
use crate::domain::quality::HONEYPOT_FIELD;
use crate::domain::{AnswerSet, Locale, SurveyDefinition};
use crate::error::{AnswerLocale, Problem};
use crate::i18n::ui;
use crate::pages::respondent::{page_view, PageModel};
use crate::pages::{render_document, Reply};
use crate::tokens::{is_token, new_token};

use super::{current_href, page_index};

/// `/s/{slug}/p/{n}`: one page of questions, filled with the answers saved so far.
pub async fn show_page(
    State(app): State<AppState>,
    Path((slug, page)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let (visit, _) = app
        .open_visit(&slug, req.cookie(Cookie::Resume), true)
        .await?;
    let (survey, stored) = (visit.survey, visit.answers);
    let Some((r, _)) = visit.respondent else {
        return Ok(Reply::redirect(format!("/s/{slug}")));
    };
    if r.completed_at.is_some() {
        return Ok(Reply::redirect(current_href(&slug, &r)));
    }
    let def = app.shown_definition(r.version_id, r.block_order()).await?;
    let answers = decode_answers(&def, stored);
    let index = page_index(&page)?;
    if index >= def.pages.len() {
        return Ok(Reply::redirect(current_href(&slug, &r)));
    }
    let shown = flow::resolve_page(&def, index, &answers);
    if shown != index {
        return Ok(Reply::redirect(page_href(&slug, shown)));
    }
    let errors = if req.flag("check") {
        flow::missing_required(&def, index, &answers)
    } else {
        Vec::new()
    };
    let notice = req.flag("resumed").then_some(ui(req.locale).resumed_notice);
    Ok(render_page(
        &app,
        &req,
        &survey,
        &def,
        index,
        &answers,
        errors,
        notice,
        StatusCode::OK,
    ))
}

#[allow(clippy::too_many_arguments)]
fn render_page(
    app: &AppState,
    req: &Req,
    survey: &SurveyRow,
    def: &SurveyDefinition,
    index: usize,
    answers: &AnswerSet,
    errors: Vec<String>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Reply {
    let locale = req.locale;
    let t = ui(locale);
    let progress = flow::progress(def, index, answers);
    let prefix = if errors.is_empty() {
        String::new()
    } else {
        format!("{} · ", t.error_summary_title)
    };
    let title = format!(
        "{prefix}{} · {} · {}",
        (t.progress)(progress.position, progress.total),
        def.title.get(locale),
        survey.brand_name
    );
    let model = PageModel {
        def,
        locale,
        page: index,
        progress,
        questions: flow::visible_questions(def, index, answers),
        answers,
        errors,
        action: page_href(&survey.slug, index),
        idem_key: new_token(),
        is_last: flow::next_page(def, index, answers).is_none(),
        has_previous: flow::previous_page(def, index, answers).is_some(),
        notice,
        preview_answers: None,
    };
    let html = render_document(
        &app.site,
        chrome(
            locale,
            title,
            Some(survey.brand_name.clone()),
            page_href(&survey.slug, index),
        ),
        page_view(model),
    );
    Reply::page(status, html)
}

/// A page post: validate, save as one transaction, redirect to the next page. The page
/// is in the language the respondent reads (the form's `_lang`), and so are its problems.
pub async fn post_page(
    State(app): State<AppState>,
    Path((slug, page)): Path<(String, String)>,
    mut req: Req,
    Fields(fields): Fields,
) -> (AnswerLocale, Result<Reply, Problem>) {
    if let Some(locale) = field(&fields, "_lang").and_then(Locale::parse) {
        req.locale = locale;
    }
    let reply = record_page_post(&app, &req, &slug, &page, fields).await;
    (AnswerLocale(req.locale), reply)
}

async fn record_page_post(
    app: &AppState,
    req: &Req,
    slug: &str,
    page: &str,
    fields: Vec<(String, String)>,
) -> Result<Reply, Problem> {
    let idem = field(&fields, "_idem")
        .filter(|k| is_token(k))
        .ok_or_else(|| Problem::BadRequest("missing idempotency key".into()))?;
    let index = page_index(page)?;
    // The respondent's own version is what counts, not the survey's live one.
    let (visit, prefetched) = app
        .posting_visit(slug, req.cookie(Cookie::Resume), (idem, index))
        .await?;
    let survey = visit.survey;
    let Some((r, _)) = visit.respondent else {
        return Err(Problem::SessionMissing {
            slug: slug.to_string(),
        });
    };
    let nav = Nav::parse(field(&fields, "_nav"));
    let def = app.shown_definition(r.version_id, r.block_order()).await?;
    if index >= def.pages.len() {
        return Err(Problem::Malformed(MalformedPost::NoSuchPage(index + 1)));
    }
    let context = PostContext {
        slug: slug.to_string(),
        locale: req.locale,
        zone: def.zone(),
        honeypot: field(&fields, HONEYPOT_FIELD).is_some_and(|v| !v.is_empty()),
        time_pages: !app.config.untimed_pages,
    };
    // The decision runs inside the store's write, on the answers it has locked, so it owns
    // what it reads.
    let (job_def, job_fields) = (def.clone(), fields.clone());
    let outcome = app
        .store
        .record_page(r.id, idem, prefetched, context, move |stored| {
            flow::decide_page(&job_def, index, nav, &job_fields, stored)
        })
        .await?;
    match outcome {
        PageOutcome::Written(to) | PageOutcome::Replayed(to) => Ok(Reply::redirect(to)),
        PageOutcome::AlreadyCompleted => Ok(Reply::redirect(format!("/s/{slug}/thanks?already=1"))),
        PageOutcome::Gone => Err(Problem::LinkInvalid),
        PageOutcome::Rejected(Refusal::Malformed(m)) => Err(Problem::Malformed(m)),
        PageOutcome::Rejected(Refusal::Unanswered { answers, missing }) => Ok(render_page(
            app,
            req,
            &survey,
            &def,
            index,
            &answers,
            missing,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}
