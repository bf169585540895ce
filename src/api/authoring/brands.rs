//! Brands and the surveys overview: the dashboard, the brand form (new and existing
//! brands) and creating a survey from the brand page.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{page, slug_problem, slug_taken};
use crate::api::auth::Admin;
use crate::api::listening::keyword_rows;
use crate::api::web::{field, Fields, Form, Req};
use crate::api::AppState;
use crate::db::{Actor, StoreError, SurveyListing};
use crate::domain::account::Staff;
use crate::domain::authoring::{check_brand, weight_shares, BrandProblem};
use crate::domain::bond_check::bond_check_survey;
use crate::domain::brand::MAX_STATED_VALUES;
use crate::domain::survey::DEFAULT_BOND_THRESHOLD;
use crate::domain::zone::DEFAULT_ZONE;
use crate::domain::{BrandProfile, Locale, LocalizedText, Page, StatedValue, SurveyDefinition};
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::keywords_view;
use crate::pages::authoring::{
    brand_form_view, dashboard_view, new_survey_view, notice_view, BrandCard, BrandForm,
    SurveyCard, ValueRow,
};
use crate::pages::Reply;

/// Rows of the brand form read back (12 values + room for removed rows).
const MAX_FORM_ROWS: usize = 24;

/// A survey in the overview tables, titled in the admin's language (its slug if untitled).
fn survey_card(listing: SurveyListing, locale: Locale) -> Result<SurveyCard, StoreError> {
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
        BrandPage::of(&profile),
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
    let shown = BrandPage {
        problems: brand_problems(req.locale, &problems),
        ..BrandPage::of(&profile)
    };
    brand_page(
        &app,
        &req,
        &staff,
        &slug,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The new-survey form of the brand page.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewSurveyPost {
    slug: String,
    title_vi: String,
    title_en: String,
    /// "blank", or the Brand Bond Check (anything else).
    start: String,
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
            (blank_survey(&profile, &slug, title), "survey_created")
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
    let shown = BrandPage {
        survey_problems: problems,
        new_slug: slug,
        ..BrandPage::of(&profile)
    };
    brand_page(
        &app,
        &req,
        &staff,
        &brand_slug,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A survey of one empty page.
fn blank_survey(brand: &BrandProfile, slug: &str, title: LocalizedText) -> SurveyDefinition {
    SurveyDefinition {
        slug: slug.to_string(),
        brand: brand.clone(),
        title,
        intro: LocalizedText::default(),
        bond_threshold: DEFAULT_BOND_THRESHOLD,
        time_zone: DEFAULT_ZONE.into(),
        pages: vec![Page {
            title: LocalizedText::default(),
            questions: Vec::new(),
        }],
    }
}

/// The brand page's two forms as they are shown again: the brand form and the new-survey
/// form, each with what was typed and why it was refused.
struct BrandPage {
    form: BrandForm,
    problems: Vec<String>,
    survey_problems: Vec<String>,
    new_slug: String,
}

impl BrandPage {
    /// The stored brand, nothing refused.
    fn of(profile: &BrandProfile) -> BrandPage {
        BrandPage {
            form: brand_form(profile, true),
            problems: Vec::new(),
            survey_problems: Vec::new(),
            new_slug: String::new(),
        }
    }
}

async fn brand_page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    slug: &str,
    shown: BrandPage,
    status: StatusCode,
) -> Result<Reply, Problem> {
    let t = authoring_ui(req.locale);
    let (brand_id, stored) = app.store.brand(slug).await?.ok_or(Problem::PageNotFound)?;
    let keywords = keyword_rows(app, brand_id, &stored, req.locale).await?;
    let surveys = app
        .store
        .surveys_of_brand(brand_id)
        .await?
        .into_iter()
        .map(|s| survey_card(s, req.locale))
        .collect::<Result<Vec<_>, _>>()?;
    let title = format!("{} · {}", t.brand, shown.form.name);
    let saved = req.flag("saved").then(|| notice_view(t.brand_saved));
    let body = (
        saved,
        brand_form_view(req.locale, shown.form, shown.problems),
        new_survey_view(
            req.locale,
            slug.to_string(),
            surveys,
            shown.survey_problems,
            shown.new_slug,
        ),
        keywords_view(req.locale, slug, keywords, req.flag("keywords")),
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

/// The brand form showing `profile`, with an empty row to add a value (if there is room).
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
    if rows.len() < MAX_STATED_VALUES {
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

/// A weight as typed back into the form (a weight that was not a number: empty).
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

/// The brand form's problems in the admin's language.
fn brand_problems(locale: Locale, problems: &[BrandProblem]) -> Vec<String> {
    problems
        .iter()
        .map(authoring_ui(locale).brand_problem)
        .collect()
}
