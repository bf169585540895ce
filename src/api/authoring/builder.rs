//! The survey builder page and its structural edits (settings, pages, adding, moving and
//! deleting questions, adding the Brand Bond Check block). Other parts of the survey reply
//! with this page too (`builder_page`) when they refuse a change.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{admin_survey, current, page};
use crate::api::auth::Admin;
use crate::api::web::{field, public_origin, Fields, Req};
use crate::api::AppState;
use crate::db::{Actor, Draft, SurveyRow};
use crate::domain::account::Staff;
use crate::domain::authoring::{self, Edit};
use crate::domain::bond_check::bond_check_pages;
use crate::domain::checker::check;
use crate::domain::zone::DEFAULT_ZONE;
use crate::domain::{BrandProfile, LocalizedText, QuestionKind};
use crate::error::Problem;
use crate::i18n::{authoring_ui, AuthoringUi};
use crate::pages::authoring::{builder_view, when, BuilderModel, VersionRow};
use crate::pages::Reply;

pub async fn builder(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let notice = done_notice(authoring_ui(req.locale), req.param("done"));
    builder_page(
        &app,
        &req,
        &staff,
        &slug,
        notice.map(String::from),
        None,
        StatusCode::OK,
    )
    .await
}

/// What the change an admin was redirected from (`?done=`) did.
fn done_notice(t: &AuthoringUi, done: Option<&str>) -> Option<&'static str> {
    match done? {
        "saved" => Some(t.done_saved),
        "published" => Some(t.done_published),
        "live" => Some(t.done_live),
        "changed" => Some(t.done_changed),
        "status" => Some(t.done_status),
        "distribution" => Some(t.done_distribution),
        _ => None,
    }
}

pub async fn edit(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let anchor = field(&fields, "key")
        .map(|k| format!("#q-{k}"))
        .unwrap_or_default();
    // The block is written from the brand's current profile.
    let brand = current(&app, &slug).await?.definition.brand;
    let edit = parse_edit(&fields, &brand)?;
    match app
        .store
        .edit_draft(&slug, &Actor::of(&staff), |def| authoring::apply(def, edit))
        .await?
    {
        None => Err(Problem::PageNotFound),
        Some(Ok(_)) => Ok(Reply::redirect(format!(
            "/admin/surveys/{slug}?done=saved{anchor}"
        ))),
        Some(Err(refusal)) => {
            builder_page(
                &app,
                &req,
                &staff,
                &slug,
                None,
                Some((authoring_ui(req.locale).edit_error)(&refusal)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The builder page of survey `slug`, with a notice or a refusal above it.
pub(super) async fn builder_page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    slug: &str,
    notice: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Reply, Problem> {
    let draft = current(app, slug).await?;
    let survey = admin_survey(app, slug).await?;
    let model = BuilderModel {
        notice,
        problem,
        ..builder_model(app, req, draft, &survey).await?
    };
    let title = format!(
        "{} · {}",
        model.def.title.get(req.locale),
        authoring_ui(req.locale).builder_title
    );
    Ok(page(
        app,
        req,
        staff,
        &format!("/admin/surveys/{slug}"),
        title,
        status,
        builder_view(req.locale, model),
    ))
}

/// Everything the builder page shows about `draft` of `survey` (no notice, no refusal).
async fn builder_model(
    app: &AppState,
    req: &Req,
    draft: Draft,
    survey: &SurveyRow,
) -> Result<BuilderModel, Problem> {
    let versions = app.store.versions(survey.id).await?;
    let is_draft = versions.first().is_some_and(|v| v.published_at.is_none());
    let live_version = versions
        .iter()
        .find(|v| Some(v.id) == survey.live_version_id)
        .map(|v| v.version);
    let distribution = survey.distribution;
    let invites = app.store.invite_counts(survey.id).await?;
    Ok(BuilderModel {
        findings: check(&draft.definition),
        status: survey.status,
        version: draft.version,
        is_draft,
        live_version,
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                published_at: v.published_at.map(when),
                live: Some(v.id) == survey.live_version_id,
                completed: v.completed,
            })
            .collect(),
        public_url: format!(
            "{}/s/{}",
            public_origin(&req.headers, app.config.cookie_secure),
            survey.slug
        ),
        invite_only: distribution.invite_only,
        one_per_browser: distribution.one_per_browser,
        invites_created: invites.created,
        invites_used: invites.used,
        audit: super::audit::audit_lines(app.store.audit_log(Some(survey.id), 20).await?),
        notice: None,
        problem: None,
        def: draft.definition,
    })
}

/// The page an edit is about.
fn page_param(fields: &[(String, String)]) -> Result<usize, Problem> {
    field(fields, "page")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| Problem::BadRequest("page".into()))
}

/// Reads a structural edit of the builder page.
fn parse_edit(fields: &[(String, String)], brand: &BrandProfile) -> Result<Edit, Problem> {
    let get = |name: &str| field(fields, name).unwrap_or("").trim().to_string();
    let up = get("dir") == "up";
    Ok(match field(fields, "op").unwrap_or("") {
        "settings" => Edit::Settings {
            title: LocalizedText::new(get("title_vi"), get("title_en")),
            intro: LocalizedText::new(get("intro_vi"), get("intro_en")),
            bond_threshold: get("bond_threshold")
                .replace(',', ".")
                .parse()
                .unwrap_or(f64::NAN),
            time_zone: Some(get("time_zone"))
                .filter(|z| !z.is_empty())
                .unwrap_or_else(|| DEFAULT_ZONE.to_string()),
        },
        "page_title" => {
            let page = page_param(fields)?;
            Edit::PageTitle {
                page,
                title: LocalizedText::new(get("title_vi"), get("title_en")),
            }
        }
        "add_page" => Edit::AddPage,
        "add_bond_check" => Edit::AddPages(bond_check_pages(brand)),
        "delete_page" => Edit::DeletePage {
            page: page_param(fields)?,
        },
        "move_page" => Edit::MovePage {
            page: page_param(fields)?,
            up,
        },
        "add_question" => Edit::AddQuestion {
            page: page_param(fields)?,
            kind: QuestionKind::from_name(&get("kind"))
                .ok_or_else(|| Problem::BadRequest("kind".into()))?,
            key: get("key"),
        },
        "delete_question" => Edit::DeleteQuestion { key: get("key") },
        "move_to" => Edit::MoveQuestionTo {
            key: get("key"),
            page: page_param(fields)?,
            index: get("index")
                .parse()
                .map_err(|_| Problem::BadRequest("index".into()))?,
        },
        "move_question" => Edit::MoveQuestion {
            key: get("key"),
            up,
        },
        _ => return Err(Problem::BadRequest("unknown edit".into())),
    })
}
