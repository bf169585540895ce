//! The respondent's path over HTTP: plain GETs and form POSTs with post/redirect/get, so
//! everything works without JavaScript. Page posts go through `Store::record_page`:
//! one transaction, one idempotency key, the domain's decision (`db::page_posts` has the
//! whole path).

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::auth::Admin;
use super::web::{
    self, chrome, clear_resume_cookie, done_cookie, field, resume_cookie, Cookie, Fields, Form, Req,
};
use super::AppState;
use crate::db::{InviteUse, PageOutcome, PostContext, RespondentRow, SurveyRow, SurveyStatus};
use crate::domain::flow::{self, decode_answers, page_href, MalformedPost, Nav, Refusal};
use crate::domain::survey::is_slug;
use crate::domain::{AnswerSet, Locale, SurveyDefinition};
use crate::error::{AnswerLocale, Problem};
use crate::i18n::{staff_ui, ui};
use crate::pages::home::{home_view, SurveyLink};
use crate::pages::respondent::{
    delete_confirm_view, deleted_view, intro_view, later_view, page_view, resume_choice_view,
    thanks_view, PageModel,
};
use crate::pages::{render_document, Reply};
use crate::tokens::{hash_token, is_token, new_token, resume_token};

/// Where a respondent belongs now: their current page, or the thank-you page.
fn current_href(slug: &str, r: &RespondentRow) -> String {
    if r.completed_at.is_some() {
        format!("/s/{slug}/thanks")
    } else {
        page_href(slug, r.current_page.max(0) as usize)
    }
}

/// Parses a 1-based page number from the URL into a page index.
fn page_index(raw: &str) -> Result<usize, Problem> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .map(|n| n - 1)
        .ok_or(Problem::PageNotFound)
}

/// Whether this browser may start a response: with "one response per browser", not after
/// completing one.
fn may_start(req: &Req, survey: &SurveyRow) -> Result<(), Problem> {
    if survey.distribution.one_per_browser && req.cookie(Cookie::Done).is_some() {
        return Err(Problem::AlreadyAnswered);
    }
    Ok(())
}

/// What one respondent request knows after its single read (see `Store::survey_visit`).
struct Visit {
    survey: SurveyRow,
    /// The respondent the presented token belongs to (with that token), if it is of this
    /// survey.
    respondent: Option<(RespondentRow, String)>,
    /// Their stored answers, when asked for.
    answers: Vec<(String, String)>,
}

impl AppState {
    /// A survey respondents may know about (not a draft), whatever its status, and the
    /// respondent `token` (from the cookie or a link) belongs to.
    async fn visit(
        &self,
        slug: &str,
        token: Option<String>,
        with_answers: bool,
    ) -> Result<Visit, Problem> {
        if !is_slug(slug) {
            return Err(Problem::SurveyNotFound);
        }
        // Only well-formed tokens reach the database; anything else matches nobody.
        let token = token.filter(|t| is_token(t));
        let hash = token.as_deref().map(hash_token);
        let visit = self
            .store
            .survey_visit(slug, hash.as_deref(), with_answers)
            .await?
            .ok_or(Problem::SurveyNotFound)?;
        Ok(Visit {
            respondent: visit.respondent.zip(token),
            survey: visit.survey,
            answers: visit.answers,
        })
    }

    /// As `visit`, for a survey that accepts answers.
    async fn accepting_visit(
        &self,
        slug: &str,
        token: Option<String>,
        with_answers: bool,
    ) -> Result<Visit, Problem> {
        let visit = self.visit(slug, token, with_answers).await?;
        if visit.survey.status != SurveyStatus::Open {
            return Err(Problem::SurveyClosed {
                slug: visit.survey.slug,
            });
        }
        Ok(visit)
    }

    /// As `accepting_visit`, with the survey's live definition.
    async fn open_visit(
        &self,
        slug: &str,
        token: Option<String>,
        with_answers: bool,
    ) -> Result<(Visit, std::sync::Arc<SurveyDefinition>), Problem> {
        let visit = self.accepting_visit(slug, token, with_answers).await?;
        let version = visit
            .survey
            .live_version_id
            .ok_or(Problem::SurveyNotFound)?;
        let def = self.definition(version).await?;
        Ok((visit, def))
    }
}

pub async fn home(State(app): State<AppState>, req: Req) -> Result<Reply, Problem> {
    let mut links = Vec::new();
    for s in app.store.public_surveys().await? {
        let Some(version) = s.live_version_id else {
            continue;
        };
        let def = app.definition(version).await?;
        links.push(SurveyLink {
            href: format!("/s/{}", s.slug),
            brand: s.brand_name,
            title: def.title.get(req.locale).to_string(),
        });
    }
    let t = ui(req.locale);
    let html = render_document(
        &app.site,
        chrome(req.locale, t.app_name.into(), None, "/".into()),
        home_view(req.locale, links),
    );
    Ok(Reply::page(StatusCode::OK, html))
}

/// `/s/{slug}`: the intro page, or straight back to where a returning respondent left off.
pub async fn entry(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    let (visit, def) = app
        .open_visit(&slug, req.cookie(Cookie::Resume), false)
        .await?;
    if let Some((r, _)) = visit.respondent {
        return Ok(Reply::redirect(current_href(&slug, &r)));
    }
    let survey = visit.survey;
    may_start(&req, &survey)?;
    if survey.distribution.invite_only {
        return Err(Problem::InviteRequired);
    }
    Ok(intro_page(
        &app,
        &req,
        survey,
        &def,
        None,
        format!("/s/{slug}"),
    ))
}

/// The intro page with its Start form (which carries the invite, for an invite link).
fn intro_page(
    app: &AppState,
    req: &Req,
    survey: SurveyRow,
    def: &SurveyDefinition,
    invite: Option<String>,
    lang_path: String,
) -> Reply {
    let start = format!("/s/{}/start", survey.slug);
    let title = format!("{} · {}", def.title.get(req.locale), survey.brand_name);
    let body = intro_view(def, req.locale, start, new_token(), invite);
    let html = render_document(
        &app.site,
        chrome(req.locale, title, Some(survey.brand_name), lang_path),
        body,
    );
    Reply::page(StatusCode::OK, html)
}

/// `/s/{slug}/i/{token}`: a single-use invite link. Shows the intro; the invite is claimed
/// when the response starts.
pub async fn invite(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let (visit, def) = app
        .open_visit(&slug, req.cookie(Cookie::Resume), false)
        .await?;
    if let Some((r, _)) = visit.respondent {
        return Ok(Reply::redirect(current_href(&slug, &r)));
    }
    let survey = visit.survey;
    may_start(&req, &survey)?;
    if !is_token(&token) {
        return Err(Problem::LinkInvalid);
    }
    match app
        .store
        .invite_usable(survey.id, &hash_token(&token), None)
        .await?
    {
        None => return Err(Problem::LinkInvalid),
        Some(false) => return Err(Problem::InviteUsed),
        Some(true) => {}
    }
    let lang_path = format!("/s/{slug}/i/{token}");
    Ok(intro_page(&app, &req, survey, &def, Some(token), lang_path))
}

/// The intro page's Start form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StartPost {
    /// The nonce minted into the form (its resume token is derived from it).
    token: String,
    /// The language the respondent reads the intro in.
    #[serde(rename = "_lang")]
    lang: String,
    /// The invite token, for an invite link.
    invite: String,
}

/// Starts a response. The token was minted into the intro form, so a double-clicked
/// "Start" finds the same respondent instead of creating a second one.
pub async fn start(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    req: Req,
    Form(form): Form<StartPost>,
) -> Result<Reply, Problem> {
    let (Visit { survey, .. }, def) = app.open_visit(&slug, None, false).await?;
    let nonce = Some(form.token.as_str())
        .filter(|t| is_token(t))
        .ok_or_else(|| Problem::BadRequest("missing start token".into()))?;
    let token = &resume_token(&app.resume_key, nonce);
    let locale = Locale::parse(&form.lang).unwrap_or(req.locale);
    let version = survey.live_version_id.ok_or(Problem::SurveyNotFound)?;
    may_start(&req, &survey)?;
    let invite = Some(form.invite.as_str())
        .filter(|t| is_token(t))
        .map(hash_token);
    if survey.distribution.invite_only && invite.is_none() {
        return Err(Problem::InviteRequired);
    }
    let first = flow::first_page(&def, &AnswerSet::new()) as i64;
    // Counterbalancing: a fair coin per respondent picks which bond block comes first.
    let order = flow::bond_blocks(&def).map(|_| flow::BlockOrder::of_coin(rand::random()));
    let r = app
        .store
        .start_respondent(
            survey.id,
            version,
            &hash_token(token),
            locale.code(),
            first,
            order,
        )
        .await?;
    if r.survey_id != survey.id {
        return Err(Problem::BadRequest(
            "start token belongs to another survey".into(),
        ));
    }
    if let Some(invite) = invite {
        // A repeated start with the same token finds its own claim ("Same").
        if app.store.claim_invite(survey.id, &invite, r.id).await? == InviteUse::Refused {
            // The respondent was made by this start token only: nobody else has it.
            app.store.delete_respondent(r.id).await?;
            return Err(Problem::InviteUsed);
        }
    }
    Ok(
        Reply::redirect(current_href(&slug, &r)).with_cookie(Some(resume_cookie(
            &slug,
            token,
            app.config.cookie_secure,
        ))),
    )
}

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
    Form(fields): Fields,
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
    // The respondent's own version is what counts, not the survey's live one.
    let visit = app
        .accepting_visit(slug, req.cookie(Cookie::Resume), false)
        .await?;
    let survey = visit.survey;
    let Some((r, _)) = visit.respondent else {
        return Err(Problem::SessionMissing {
            slug: slug.to_string(),
        });
    };
    let idem = field(&fields, "_idem")
        .filter(|k| is_token(k))
        .ok_or_else(|| Problem::BadRequest("missing idempotency key".into()))?;
    let nav = Nav::parse(field(&fields, "_nav"));
    let def = app.shown_definition(r.version_id, r.block_order()).await?;
    let index = page_index(page)?;
    if index >= def.pages.len() {
        return Err(Problem::Malformed(MalformedPost::NoSuchPage(index + 1)));
    }
    let context = PostContext {
        slug: slug.to_string(),
        locale: req.locale,
        zone: def.zone(),
    };
    // The decision runs inside the store's write, on the answers it has locked, so it owns
    // what it reads.
    let (job_def, job_fields) = (def.clone(), fields.clone());
    let outcome = app
        .store
        .record_page(r.id, idem, context, move |stored| {
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
    let html = render_document(
        &app.site,
        chrome(
            req.locale,
            format!("{} · {}", t.later_title, survey.brand_name),
            Some(survey.brand_name.clone()),
            format!("/s/{slug}/later"),
        ),
        later_view(req.locale, resume_url, current_href(&slug, &r)),
    );
    Ok(Reply::page(StatusCode::OK, html))
}

/// The "continue later" link: adopts the response in this browser and continues it.
pub async fn resume(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, Some(token), false).await?;
    let survey = visit.survey;
    let (r, token) = visit.respondent.ok_or(Problem::LinkInvalid)?;
    // Another response in progress in this browser is not replaced silently.
    if let Some(own) = req.cookie(Cookie::Resume).filter(|own| *own != token) {
        let current = app.visit(&slug, Some(own), false).await?.respondent;
        if let Some((mine, _)) = current.filter(|(m, _)| m.completed_at.is_none()) {
            let t = ui(req.locale);
            let html = render_document(
                &app.site,
                chrome(
                    req.locale,
                    format!("{} · {}", t.resume_choice_title, survey.brand_name),
                    Some(survey.brand_name.clone()),
                    format!("/s/{slug}/r/{token}"),
                ),
                resume_choice_view(
                    req.locale,
                    current_href(&slug, &mine),
                    format!("/s/{slug}/r/{token}"),
                ),
            );
            return Ok(Reply::page(StatusCode::OK, html));
        }
    }
    Ok(continue_with(&app, &slug, &r, &token))
}

/// The respondent chose the response of the resume link over the one in this browser.
pub async fn resume_switch(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, Some(token), false).await?;
    let (r, token) = visit.respondent.ok_or(Problem::LinkInvalid)?;
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
    let html = render_document(
        &app.site,
        chrome(
            req.locale,
            format!("{} · {}", t.thanks_title, survey.brand_name),
            Some(survey.brand_name.clone()),
            format!("/s/{slug}/thanks"),
        ),
        thanks_view(
            req.locale,
            &def,
            format!("/s/{slug}/delete/{token}"),
            req.flag("already"),
        ),
    );
    Ok(Reply::page(StatusCode::OK, html)
        .with_cookie(Some(done_cookie(&slug, app.config.cookie_secure))))
}

/// Confirmation before deleting: a GET never deletes anything.
pub async fn delete_confirm(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, Some(token), false).await?;
    let survey = visit.survey;
    let (r, token) = visit.respondent.ok_or(Problem::LinkInvalid)?;
    let t = ui(req.locale);
    let html = render_document(
        &app.site,
        chrome(
            req.locale,
            format!("{} · {}", t.delete_title, survey.brand_name),
            Some(survey.brand_name.clone()),
            format!("/s/{slug}/delete/{token}"),
        ),
        delete_confirm_view(
            req.locale,
            format!("/s/{slug}/delete/{token}"),
            current_href(&slug, &r),
        ),
    );
    Ok(Reply::page(StatusCode::OK, html))
}

pub async fn delete(
    State(app): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    req: Req,
) -> Result<Reply, Problem> {
    let visit = app.visit(&slug, Some(token), false).await?;
    let survey = visit.survey;
    let (r, _) = visit.respondent.ok_or(Problem::LinkInvalid)?;
    app.store.delete_respondent(r.id).await?;
    tracing::info!(survey = %slug, "respondent deleted their answers");
    let t = ui(req.locale);
    let html = render_document(
        &app.site,
        chrome(
            req.locale,
            format!("{} · {}", t.deleted_title, survey.brand_name),
            Some(survey.brand_name.clone()),
            format!("/s/{slug}"),
        ),
        deleted_view(req.locale),
    );
    Ok(Reply::page(StatusCode::OK, html)
        .with_cookie(Some(clear_resume_cookie(&slug, app.config.cookie_secure))))
}

/// Anything else: a localised 404 page.
pub async fn not_found() -> Problem {
    Problem::PageNotFound
}

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
    let def = super::authoring::current(&app, &slug).await?.definition;
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
    Form(fields): Fields,
) -> Result<Reply, Problem> {
    if let Some(locale) = field(&fields, "_lang").and_then(Locale::parse) {
        req.locale = locale;
    }
    let def = super::authoring::current(&app, &slug).await?.definition;
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
