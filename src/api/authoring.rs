//! The admin's authoring tool: brands, the survey builder, publishing and versions,
//! distribution (public link, QR code, invite links), preview, responses, JSON import and
//! export, and the audit log. Only admins reach these handlers (the `Admin` extractor;
//! anyone else: not found).
//!
//! Every change is a form post that redirects back (post/redirect/get); a refused change
//! re-renders its form with the reasons and everything typed kept.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::Admin;
use super::web::{field, public_origin, staff_chrome, Fields, Form, Req};
use super::AppState;
use crate::db::{Actor, Distribution, Draft, Published, StoreError, SurveyRow, SurveyStatus};
use crate::domain::account::Staff;
use crate::domain::authoring::{self, check_brand, weight_shares, BrandProblem, Edit};
use crate::domain::bond_check::{bond_check_pages, bond_check_survey};
use crate::domain::checker::{self, check};
use crate::domain::survey::ChoiceOption;
use crate::domain::{
    BrandProfile, Construct, Locale, LocalizedText, QuestionKind, ShowIf, StatedValue,
    SurveyDefinition,
};
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::{
    audit_view, brand_form_view, builder_view, dashboard_view, import_view, new_survey_view,
    notice_view, question_form_view, response_view, responses_view, when, BrandCard, BrandForm,
    BuilderModel, QuestionForm, ResponseListRow, SurveyCard, ValueRow,
};
use crate::pages::{render_document, Reply};
use crate::tokens::{hash_token, new_token};

/// Most invite links made at once (a CSV of this many lines is ~1 MB).
const MAX_INVITES: usize = 10_000;
/// Rows of the brand form read back (12 values + room for removed rows).
const MAX_FORM_ROWS: usize = 24;

/// A staff page; `path` is where its language links point.
fn page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    path: &str,
    title: String,
    status: StatusCode,
    body: impl leptos::IntoView + 'static,
) -> Reply {
    let mut c = staff_chrome(req.locale, staff, title, None, path.to_string());
    c.wide = true;
    Reply::page(status, render_document(&app.site, c, body))
}

fn survey_card(
    listing: crate::db::SurveyListing,
    locale: Locale,
) -> Result<SurveyCard, StoreError> {
    let def: SurveyDefinition =
        serde_json::from_str(&listing.newest).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let title = def.title.get(locale).trim().to_string();
    Ok(SurveyCard {
        title: if title.is_empty() {
            listing.slug.clone()
        } else {
            title
        },
        slug: listing.slug,
        status: listing.status,
        live_version: listing.live_version,
        draft_version: listing
            .newest_published
            .is_none()
            .then_some(listing.newest_version),
        completed: listing.completed,
    })
}

pub async fn dashboard(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = "/admin".to_string();
    let mut brands = Vec::new();
    for b in app.store.list_brands().await? {
        let surveys = app
            .store
            .surveys_of_brand(b.id)
            .await?
            .into_iter()
            .map(|s| survey_card(s, req.locale))
            .collect::<Result<_, _>>()?;
        brands.push(BrandCard {
            slug: b.slug,
            name: b.name,
            surveys,
        });
    }
    let title = authoring_ui(req.locale).brands_and_surveys.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        dashboard_view(req.locale, brands),
    ))
}

fn brand_form(profile: &BrandProfile, existing: bool) -> BrandForm {
    let shares = weight_shares(profile);
    let mut rows: Vec<ValueRow> = profile
        .values
        .iter()
        .zip(shares)
        .map(|(v, share)| ValueRow {
            key: v.key.clone(),
            label_vi: v.label.vi.clone(),
            label_en: v.label.en.clone(),
            desc_vi: v.description.vi.clone(),
            desc_en: v.description.en.clone(),
            weight: format_weight(v.weight),
            placebo: v.placebo,
            share,
        })
        .collect();
    if rows.len() < crate::domain::brand::MAX_STATED_VALUES {
        rows.push(ValueRow::default());
    }
    BrandForm {
        existing: existing.then(|| profile.slug.clone()),
        slug: profile.slug.clone(),
        name: profile.name.clone(),
        mission_vi: profile.mission.vi.clone(),
        mission_en: profile.mission.en.clone(),
        rows,
    }
}

fn format_weight(w: f64) -> String {
    if w.is_finite() {
        format!("{w}")
    } else {
        String::new()
    }
}

/// Reads the brand form; rows left entirely empty or marked "remove" are dropped.
fn parse_brand_form(fields: &[(String, String)], slug: String) -> BrandProfile {
    let get = |name: &str| field(fields, name).unwrap_or("").trim().to_string();
    let mut values = Vec::new();
    for i in 0..MAX_FORM_ROWS {
        let f = |part: &str| get(&format!("v{i}_{part}"));
        let (key, label_vi, label_en, weight) =
            (f("key"), f("label_vi"), f("label_en"), f("weight"));
        if f("remove") == "1" || (key.is_empty() && label_vi.is_empty() && label_en.is_empty()) {
            continue;
        }
        values.push(StatedValue {
            key,
            label: LocalizedText::new(label_vi, label_en),
            description: LocalizedText::new(f("desc_vi"), f("desc_en")),
            weight: weight.replace(',', ".").parse().unwrap_or(f64::NAN),
            placebo: f("placebo") == "1",
        });
    }
    BrandProfile {
        slug,
        name: get("name"),
        mission: LocalizedText::new(get("mission_vi"), get("mission_en")),
        values,
    }
}

fn brand_problems(locale: Locale, problems: &[BrandProblem]) -> Vec<String> {
    problems
        .iter()
        .map(authoring_ui(locale).brand_problem)
        .collect()
}

pub async fn brand_new(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = "/admin/brands/new".to_string();
    // Three values and a placebo to fill in: the shape most brands need.
    let value = ValueRow {
        weight: "1".into(),
        ..Default::default()
    };
    let mut rows = vec![value.clone(); 3];
    rows.push(ValueRow {
        placebo: true,
        ..value
    });
    let form = BrandForm {
        rows,
        ..Default::default()
    };
    let title = authoring_ui(req.locale).new_brand.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        brand_form_view(req.locale, form, Vec::new()),
    ))
}

pub async fn brand_create(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let here = "/admin/brands/new".to_string();
    let profile = parse_brand_form(
        &fields,
        field(&fields, "slug").unwrap_or("").trim().to_string(),
    );
    let mut problems = check_brand(&profile);
    if problems.is_empty() && app.store.brand(&profile.slug).await?.is_some() {
        problems.push(BrandProblem::SlugTaken);
    }
    if problems.is_empty() {
        match app.store.create_brand(&profile, &Actor::of(&staff)).await {
            Ok(_) => {
                return Ok(Reply::redirect(format!(
                    "/admin/brands/{}?saved=1",
                    profile.slug
                )))
            }
            Err(StoreError::BrandSlugTaken(_)) => problems.push(BrandProblem::SlugTaken),
            Err(e) => return Err(e.into()),
        }
    }
    let messages = brand_problems(req.locale, &problems);
    let title = authoring_ui(req.locale).new_brand.to_string();
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::UNPROCESSABLE_ENTITY,
        brand_form_view(req.locale, brand_form(&profile, false), messages),
    ))
}

#[allow(clippy::too_many_arguments)]
async fn brand_page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    slug: &str,
    form: BrandForm,
    problems: Vec<String>,
    survey_problems: Vec<String>,
    new_slug: String,
    status: StatusCode,
) -> Result<Reply, Problem> {
    let t = authoring_ui(req.locale);
    let (brand_id, _) = app.store.brand(slug).await?.ok_or(Problem::PageNotFound)?;
    let surveys = app
        .store
        .surveys_of_brand(brand_id)
        .await?
        .into_iter()
        .map(|s| survey_card(s, req.locale))
        .collect::<Result<Vec<_>, _>>()?;
    let title = format!("{} · {}", t.brand, form.name);
    let saved = req.flag("saved").then(|| notice_view(t.brand_saved));
    let body = (
        saved,
        brand_form_view(req.locale, form, problems),
        new_survey_view(
            req.locale,
            slug.to_string(),
            surveys,
            survey_problems,
            new_slug,
        ),
    );
    Ok(page(
        app,
        req,
        staff,
        &format!("/admin/brands/{slug}"),
        title,
        status,
        body,
    ))
}

pub async fn brand_show(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let (_, profile) = app.store.brand(&slug).await?.ok_or(Problem::PageNotFound)?;
    brand_page(
        &app,
        &req,
        &staff,
        &slug,
        brand_form(&profile, true),
        Vec::new(),
        Vec::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn brand_update(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let (brand_id, _) = app.store.brand(&slug).await?.ok_or(Problem::PageNotFound)?;
    let profile = parse_brand_form(&fields, slug.clone());
    let problems = check_brand(&profile);
    if problems.is_empty() {
        app.store
            .update_brand(brand_id, &profile, &Actor::of(&staff))
            .await?;
        return Ok(Reply::redirect(format!("/admin/brands/{slug}?saved=1")));
    }
    let messages = brand_problems(req.locale, &problems);
    brand_page(
        &app,
        &req,
        &staff,
        &slug,
        brand_form(&profile, true),
        messages,
        Vec::new(),
        String::new(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn slug_problem(locale: Locale, slug: &str) -> Option<String> {
    (!crate::domain::survey::is_slug(slug))
        .then(|| authoring_ui(locale).survey_slug_invalid.to_string())
}

fn slug_taken(locale: Locale) -> String {
    authoring_ui(locale).survey_slug_taken.to_string()
}

/// Fixed-shape forms of the authoring pages (the brand form and the builder's question
/// fields depend on what they edit and stay dynamic). Missing fields are empty.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewSurveyPost {
    slug: String,
    title_vi: String,
    title_en: String,
    /// "blank", or the Brand Bond Check (anything else).
    start: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusPost {
    status: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SlugPost {
    slug: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DistributionPost {
    invite_only: String,
    one_per_browser: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct InvitesPost {
    count: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ImportPost {
    json: String,
}

pub async fn survey_create(
    State(app): State<AppState>,
    Path(brand_slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Form(form): Form<NewSurveyPost>,
) -> Result<Reply, Problem> {
    let (brand_id, profile) = app
        .store
        .brand(&brand_slug)
        .await?
        .ok_or(Problem::PageNotFound)?;
    let slug = form.slug.trim().to_string();
    let title = LocalizedText::new(
        form.title_vi.trim().to_string(),
        form.title_en.trim().to_string(),
    );
    let mut problems: Vec<String> = slug_problem(req.locale, &slug).into_iter().collect();
    if problems.is_empty() {
        let (def, action) = if form.start == "blank" {
            let def = SurveyDefinition {
                slug: slug.clone(),
                brand: profile.clone(),
                title,
                intro: LocalizedText::default(),
                bond_threshold: crate::domain::survey::DEFAULT_BOND_THRESHOLD,
                time_zone: crate::domain::zone::DEFAULT_ZONE.into(),
                pages: vec![crate::domain::Page {
                    title: LocalizedText::default(),
                    questions: Vec::new(),
                }],
            };
            (def, "survey_created")
        } else {
            (
                bond_check_survey(&profile, &slug, title),
                "survey_created_bond_check",
            )
        };
        match app
            .store
            .create_draft_survey(brand_id, &def, &Actor::of(&staff), action)
            .await
        {
            Ok(_) => return Ok(Reply::redirect(format!("/admin/surveys/{slug}"))),
            Err(StoreError::SurveySlugTaken(_)) => problems.push(slug_taken(req.locale)),
            Err(e) => return Err(e.into()),
        }
    }
    brand_page(
        &app,
        &req,
        &staff,
        &brand_slug,
        brand_form(&profile, true),
        Vec::new(),
        problems,
        slug,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The survey `slug` (not found if there is none).
async fn admin_survey(app: &AppState, slug: &str) -> Result<SurveyRow, Problem> {
    app.store
        .survey_by_slug(slug)
        .await?
        .ok_or(Problem::PageNotFound)
}

/// The draft (or newest version) with the brand's current profile, as the checker sees it.
pub(crate) async fn current(app: &AppState, slug: &str) -> Result<Draft, Problem> {
    let mut draft = app
        .store
        .newest_version(slug)
        .await?
        .ok_or(Problem::PageNotFound)?;
    if let Some((_, profile)) = app.store.brand_by_id(draft.brand_id).await? {
        draft.definition.brand = profile;
    }
    Ok(draft)
}

async fn builder_page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    slug: &str,
    notice: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Reply, Problem> {
    let draft = current(app, slug).await?;
    let survey = app
        .store
        .survey_by_slug(slug)
        .await?
        .ok_or(Problem::PageNotFound)?;
    let versions = app.store.versions(survey.id).await?;
    let is_draft = versions.first().is_some_and(|v| v.published_at.is_none());
    let live_version = versions
        .iter()
        .find(|v| Some(v.id) == survey.live_version_id)
        .map(|v| v.version);
    let distribution = survey.distribution;
    let invites = app.store.invite_counts(survey.id).await?;
    let model = BuilderModel {
        findings: check(&draft.definition),
        status: survey.status.as_str().to_string(),
        version: draft.version,
        is_draft,
        live_version,
        versions: versions
            .iter()
            .map(|v| crate::pages::authoring::VersionRow {
                version: v.version,
                published_at: v.published_at.map(when),
                live: Some(v.id) == survey.live_version_id,
                completed: v.completed,
            })
            .collect(),
        public_url: format!(
            "{}/s/{slug}",
            public_origin(&req.headers, app.config.cookie_secure)
        ),
        invite_only: distribution.invite_only,
        one_per_browser: distribution.one_per_browser,
        invites_created: invites.created,
        invites_used: invites.used,
        audit: app.store.audit_log(Some(survey.id), 20).await?,
        notice,
        problem,
        def: draft.definition,
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

pub async fn builder(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let t = authoring_ui(req.locale);
    let notice = match req.param("done") {
        Some("saved") => Some(t.done_saved),
        Some("published") => Some(t.done_published),
        Some("live") => Some(t.done_live),
        Some("changed") => Some(t.done_changed),
        Some("status") => Some(t.done_status),
        Some("distribution") => Some(t.done_distribution),
        _ => None,
    };
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
                .unwrap_or_else(|| crate::domain::zone::DEFAULT_ZONE.to_string()),
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

fn question_form(
    def: &SurveyDefinition,
    slug: &str,
    question: crate::domain::Question,
    locale: Locale,
    problems: Vec<String>,
) -> QuestionForm {
    let page = def.position_of(&question.key).map(|p| p.page).unwrap_or(0);
    let branchable = def.pages[..page.min(def.pages.len())]
        .iter()
        .flat_map(|p| p.questions.iter())
        .filter(|q| q.kind.is_branchable())
        .map(|q| {
            let answers = if q.kind == QuestionKind::YesNoDk {
                vec!["yes".into(), "no".into(), "dk".into()]
            } else {
                q.options.iter().map(|o| o.key.clone()).collect()
            };
            (q.key.clone(), q.text.get(locale).to_string(), answers)
        })
        .collect();
    QuestionForm {
        slug: slug.to_string(),
        values: def
            .brand
            .values
            .iter()
            .map(|v| (v.key.clone(), v.label.get(locale).to_string()))
            .collect(),
        branchable,
        question,
        problems,
    }
}

pub async fn question_show(
    State(app): State<AppState>,
    Path((slug, key)): Path<(String, String)>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let here = format!("/admin/surveys/{slug}/q/{key}");
    let draft = current(&app, &slug).await?;
    let question = draft
        .definition
        .question(&key)
        .cloned()
        .ok_or(Problem::PageNotFound)?;
    let form = question_form(&draft.definition, &slug, question, req.locale, Vec::new());
    let title = format!("{} {key}", authoring_ui(req.locale).question);
    Ok(page(
        &app,
        &req,
        &staff,
        &here,
        title,
        StatusCode::OK,
        question_form_view(req.locale, form),
    ))
}

/// Reads the question editor's form into a question with key `key`.
fn parse_question(
    fields: &[(String, String)],
    key: &str,
    kind_before: QuestionKind,
) -> crate::domain::Question {
    let get = |name: &str| field(fields, name).unwrap_or("").trim().to_string();
    let kind = QuestionKind::from_name(&get("kind")).unwrap_or(kind_before);
    let mut options = Vec::new();
    if kind.has_options() {
        for i in 0..64 {
            let f = |part: &str| get(&format!("o{i}_{part}"));
            let (okey, vi, en) = (f("key"), f("vi"), f("en"));
            if f("remove") == "1" || (okey.is_empty() && vi.is_empty() && en.is_empty()) {
                continue;
            }
            options.push(ChoiceOption {
                key: okey,
                text: LocalizedText::new(vi, en),
            });
        }
    }
    let help = LocalizedText::new(get("help_vi"), get("help_en"));
    let construct = Construct::from_name(&get("construct"));
    let rule_question = get("show_if_question");
    let show_if = (!rule_question.is_empty()).then(|| ShowIf {
        question: rule_question,
        any_of: get("show_if_any")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    });
    crate::domain::Question {
        key: key.to_string(),
        kind,
        text: LocalizedText::new(get("text_vi"), get("text_en")),
        help: (!help.is_empty()).then_some(help),
        required: get("required") == "1",
        construct,
        // Only importance/perception questions name a value.
        value: construct
            .filter(|c| c.needs_value())
            .and(Some(get("value")).filter(|v| !v.is_empty())),
        options,
        show_if,
        max_length: if kind.is_text() {
            get("max_length").parse().ok()
        } else {
            None
        },
        // Only bond items can be reverse-keyed; the box is ignored on anything else.
        reverse: get("reverse") == "1"
            && kind == crate::domain::QuestionKind::Agree7
            && matches!(
                construct,
                Some(
                    crate::domain::Construct::ValueCongruence
                        | crate::domain::Construct::ContactBond
                )
            ),
    }
}

pub async fn question_save(
    State(app): State<AppState>,
    Path((slug, key)): Path<(String, String)>,
    Admin(staff): Admin,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let t = authoring_ui(req.locale);
    let here = format!("/admin/surveys/{slug}/q/{key}");
    let draft = current(&app, &slug).await?;
    let before = draft
        .definition
        .question(&key)
        .ok_or(Problem::PageNotFound)?;
    let question = parse_question(&fields, &key, before.kind);
    let saved = app
        .store
        .edit_draft(&slug, &Actor::of(&staff), |def| {
            authoring::apply(def, Edit::UpdateQuestion(question.clone()))
        })
        .await?
        .ok_or(Problem::PageNotFound)?;
    match saved {
        Ok(_) => Ok(Reply::redirect(format!(
            "/admin/surveys/{slug}?done=saved#q-{key}"
        ))),
        Err(refusal) => {
            let form = question_form(
                &draft.definition,
                &slug,
                question,
                req.locale,
                vec![(t.edit_error)(&refusal)],
            );
            let title = format!("{} {key}", t.question);
            Ok(page(
                &app,
                &req,
                &staff,
                &here,
                title,
                StatusCode::UNPROCESSABLE_ENTITY,
                question_form_view(req.locale, form),
            ))
        }
    }
}

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

fn download(content_type: &'static str, filename: String, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
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

pub async fn distribution(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    Form(form): Form<DistributionPost>,
) -> Result<Reply, Problem> {
    let survey = admin_survey(&app, &slug).await?;
    let d = Distribution {
        invite_only: form.invite_only == "1",
        one_per_browser: form.one_per_browser == "1",
    };
    app.store
        .set_distribution(survey.id, survey.brand_id, d, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/admin/surveys/{slug}?done=distribution#distribution"
    )))
}

/// Creates N single-use invite links and downloads them as CSV (the tokens exist only in
/// this download: the database keeps their hashes).
pub async fn invites(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Form(InvitesPost { count }): Form<InvitesPost>,
) -> Result<Response, Problem> {
    let survey = admin_survey(&app, &slug).await?;
    let count: usize = Some(count.trim())
        .and_then(|c| c.parse().ok())
        .filter(|n| (1..=MAX_INVITES).contains(n))
        .ok_or_else(|| Problem::Invalid {
            detail: authoring_ui(req.locale).invite_count_invalid.into(),
        })?;
    let tokens: Vec<String> = (0..count).map(|_| new_token()).collect();
    let hashes: Vec<String> = tokens.iter().map(|t| hash_token(t)).collect();
    app.store
        .create_invites(survey.id, survey.brand_id, &hashes, &Actor::of(&staff))
        .await?;
    let origin = public_origin(&req.headers, app.config.cookie_secure);
    let mut csv = String::from("n,invite_link\r\n");
    for (i, token) in tokens.iter().enumerate() {
        csv.push_str(&format!("{},{origin}/s/{slug}/i/{token}\r\n", i + 1));
    }
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{slug}-invites.csv"),
        csv,
    ))
}

/// The public link as a QR code (SVG), for posters and receipts.
pub async fn qr(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    _: Admin,
    req: Req,
) -> Result<Response, Problem> {
    if !app.store.survey_exists(&slug).await? {
        return Err(Problem::PageNotFound);
    }
    let url = format!(
        "{}/s/{slug}",
        public_origin(&req.headers, app.config.cookie_secure)
    );
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| Problem::BadRequest(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
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
        .map(|(id, version, completed_at)| ResponseListRow {
            id,
            version,
            completed_at,
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
    let (version_id, answers) = app
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
        response_view(l, slug.clone(), id, version, items),
    ))
}

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
