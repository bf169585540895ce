//! The respondent's path over HTTP: plain GETs and form POSTs with post/redirect/get, so
//! everything works without JavaScript. Page posts go through `Store::record_page`:
//! one transaction, one idempotency key, the domain's decision (`db::page_posts` has the
//! whole path).

mod pages;
mod preview;
mod resume;

pub use pages::{post_page, show_page};
pub use preview::{preview, preview_post};
pub use resume::{delete, delete_confirm, later, resume, resume_switch, thanks};

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::web::{chrome, resume_cookie, Cookie, Form, Req};
use super::AppState;
use crate::db::{InviteUse, Prefetched, RespondentRow, SurveyRow, SurveyStatus, SurveyVisit};
use crate::domain::flow::{self, page_href};
use crate::domain::survey::is_slug;
use crate::domain::{AnswerSet, Locale, SurveyDefinition};
use crate::error::Problem;
use crate::i18n::ui;
use crate::pages::home::{home_view, SurveyLink};
use crate::pages::respondent::intro_view;
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

impl Visit {
    fn of(visit: SurveyVisit, token: Option<String>) -> Visit {
        Visit {
            respondent: visit.respondent.zip(token),
            survey: visit.survey,
            answers: visit.answers,
        }
    }

    /// The visit, if its survey accepts answers.
    fn accepting(self) -> Result<Visit, Problem> {
        if self.survey.status != SurveyStatus::Open {
            return Err(Problem::SurveyClosed {
                slug: self.survey.slug,
            });
        }
        Ok(self)
    }
}

/// A visit's checked slug, and its token with the token's hash: only well-formed tokens
/// reach the database; anything else matches nobody.
fn visit_key(
    slug: &str,
    token: Option<String>,
) -> Result<(Option<String>, Option<String>), Problem> {
    if !is_slug(slug) {
        return Err(Problem::SurveyNotFound);
    }
    let token = token.filter(|t| is_token(t));
    let hash = token.as_deref().map(hash_token);
    Ok((token, hash))
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
        let (token, hash) = visit_key(slug, token)?;
        let visit = self
            .store
            .survey_visit(slug, hash.as_deref(), with_answers)
            .await?
            .ok_or(Problem::SurveyNotFound)?;
        Ok(Visit::of(visit, token))
    }

    /// As `visit`, for a survey that accepts answers.
    async fn accepting_visit(
        &self,
        slug: &str,
        token: Option<String>,
        with_answers: bool,
    ) -> Result<Visit, Problem> {
        self.visit(slug, token, with_answers).await?.accepting()
    }

    /// As `accepting_visit`, for a post of page `index` with idempotency key `idem`: with
    /// what the store read for the post itself, if it read it (`Store::post_visit`).
    async fn posting_visit(
        &self,
        slug: &str,
        token: Option<String>,
        (idem, index): (&str, usize),
    ) -> Result<(Visit, Option<Prefetched>), Problem> {
        let (token, hash) = visit_key(slug, token)?;
        let (visit, prefetched) = self
            .store
            .post_visit(slug, hash.as_deref(), (idem, index))
            .await?
            .ok_or(Problem::SurveyNotFound)?;
        Ok((Visit::of(visit, token).accepting()?, prefetched))
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

/// Anything else: a localised 404 page.
pub async fn not_found() -> Problem {
    Problem::PageNotFound
}
