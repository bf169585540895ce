//! The brands and surveys overview, the brand form and the new-survey form of the brand
//! page.

use leptos::prelude::*;

use super::{problems_view, status_name, text_input};
use crate::domain::survey::SurveyStatus;
use crate::domain::Locale;
use crate::i18n::{authoring_ui, AuthoringUi};

/// A survey in the overview tables.
pub struct SurveyCard {
    pub slug: String,
    pub title: String,
    pub status: SurveyStatus,
    pub live_version: Option<i64>,
    pub draft_version: Option<i64>,
    pub completed: i64,
}

/// A brand and its surveys in the overview.
pub struct BrandCard {
    pub slug: String,
    pub name: String,
    pub surveys: Vec<SurveyCard>,
}

pub fn dashboard_view(l: Locale, brands: Vec<BrandCard>) -> impl IntoView {
    let t = authoring_ui(l);
    let empty = brands.is_empty().then(|| {
        view! {
            <section class="card empty">
                <p>{t.no_brands}</p>
            </section>
        }
    });
    let cards = brands
        .into_iter()
        .map(|b| {
            view! {
                <section class="card" aria-labelledby=format!("brand-{}", b.slug)>
                    <h2 id=format!("brand-{}", b.slug)>{b.name}</h2>
                    <p><a href=format!("/admin/brands/{}", b.slug)>{t.edit_brand_link}</a></p>
                    {survey_table(l, b.surveys)}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{t.brands_and_surveys}</h1>
            <p class="actions">
                <a class="button primary" href="/admin/brands/new">{t.new_brand}</a>
                " "
                <a class="button secondary" href="/admin/import">{t.import_link}</a>
                " "
                <a class="button secondary" href="/admin/audit">{t.audit_log}</a>
            </p>
            {empty}
            {cards}
        </div>
    }
}

/// The surveys of a brand: status, versions and completed responses.
fn survey_table(l: Locale, surveys: Vec<SurveyCard>) -> impl IntoView {
    let t = authoring_ui(l);
    if surveys.is_empty() {
        return view! { <p class="empty">{t.no_surveys}</p> }.into_any();
    }
    let rows = surveys
        .into_iter()
        .map(|s| {
            let version = match (s.live_version, s.draft_version) {
                (Some(live), Some(draft)) => {
                    format!("v{live} · {} v{draft}", t.draft_short)
                }
                (Some(live), None) => format!("v{live}"),
                (None, Some(draft)) => format!("{} v{draft}", t.draft_short),
                (None, None) => String::new(),
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/surveys/{}", s.slug)>{s.title}</a></th>
                    <td><code>{s.slug}</code></td>
                    <td>{status_name(l, s.status)}</td>
                    <td>{version}</td>
                    <td class="num">{s.completed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.survey}</th>
                    <th scope="col">{t.slug}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.version}</th>
                    <th scope="col">{t.completed}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One stated-value row of the brand form, as typed.
#[derive(Clone, Debug, Default)]
pub struct ValueRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    pub desc_vi: String,
    pub desc_en: String,
    pub weight: String,
    pub placebo: bool,
    /// Share of 100% among real values (when the row is valid).
    pub share: Option<f64>,
}

/// The brand form, as typed.
#[derive(Clone, Debug, Default)]
pub struct BrandForm {
    /// `None` for a new brand.
    pub existing: Option<String>,
    pub slug: String,
    pub name: String,
    pub mission_vi: String,
    pub mission_en: String,
    pub rows: Vec<ValueRow>,
}

pub fn brand_form_view(l: Locale, form: BrandForm, problems: Vec<String>) -> impl IntoView {
    let t = authoring_ui(l);
    let action = match &form.existing {
        Some(slug) => format!("/admin/brands/{slug}"),
        None => "/admin/brands".to_string(),
    };
    let title = if form.existing.is_some() {
        format!("{} · {}", t.brand, form.name)
    } else {
        t.new_brand.to_string()
    };
    let slug_field = slug_field(t, &form);
    let rows = form
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| value_row(t, i, row))
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{title}</h1>
            {problems_view(l, problems)}
            <form method="post" action=action class="stack-form card">
                {slug_field}
                <div class="field">
                    <label for="brand-name">{t.brand_name}</label>
                    <input type="text" id="brand-name" name="name" value=form.name required maxlength="200"/>
                </div>
                <div class="side-by-side">
                    <div class="field">
                        <label for="mission-vi">{t.mission_vi}</label>
                        <textarea id="mission-vi" name="mission_vi" lang="vi" rows="3" maxlength="2000">{form.mission_vi}</textarea>
                    </div>
                    <div class="field">
                        <label for="mission-en">{t.mission_en}</label>
                        <textarea id="mission-en" name="mission_en" lang="en" rows="3" maxlength="2000">{form.mission_en}</textarea>
                    </div>
                </div>
                <h2>{t.stated_values_title}</h2>
                <p class="hint">{t.stated_values_hint}</p>
                {rows}
                <p class="hint">{t.another_value_hint}</p>
                <button type="submit" class="button primary">{t.save_brand}</button>
            </form>
        </div>
    }
}

/// The brand's slug: shown as stored, or a field for a new brand.
fn slug_field(t: &AuthoringUi, form: &BrandForm) -> AnyView {
    if form.existing.is_some() {
        view! { <p>{t.slug}": "<code>{form.slug.clone()}</code></p> }.into_any()
    } else {
        view! {
            <div class="field">
                <label for="brand-slug">{t.brand_slug_label}</label>
                <span class="hint" id="brand-slug-hint">{t.brand_slug_hint}</span>
                <input type="text" id="brand-slug" name="slug" value=form.slug.clone() required aria-describedby="brand-slug-hint" maxlength="64"/>
            </div>
        }
        .into_any()
    }
}

/// The fields of stated value `i` (from 0).
fn value_row(t: &'static AuthoringUi, i: usize, r: ValueRow) -> impl IntoView {
    let n = i + 1;
    let share = r
        .share
        .map(|s| format!("{s}%"))
        .unwrap_or_else(|| "—".into());
    view! {
        <fieldset class="value-row">
            <legend>{format!("{} {n}", t.value)}</legend>
            <div class="field">
                <label for=format!("v{i}-key")>{t.value_key}</label>
                <input type="text" id=format!("v{i}-key") name=format!("v{i}_key") value=r.key maxlength="40"/>
            </div>
            <div class="side-by-side">
                {text_input(format!("v{i}-label-vi"), format!("v{i}_label_vi"), t.label_vi, r.label_vi, "vi")}
                {text_input(format!("v{i}-label-en"), format!("v{i}_label_en"), t.label_en, r.label_en, "en")}
                {text_input(format!("v{i}-desc-vi"), format!("v{i}_desc_vi"), t.description_vi, r.desc_vi, "vi")}
                {text_input(format!("v{i}-desc-en"), format!("v{i}_desc_en"), t.description_en, r.desc_en, "en")}
            </div>
            <div class="field">
                <label for=format!("v{i}-weight")>{t.weight}</label>
                <input type="number" id=format!("v{i}-weight") name=format!("v{i}_weight") value=r.weight min="0" step="any" inputmode="decimal"/>
                <span class="hint">{t.share}{share}</span>
            </div>
            <label class="check"><input type="checkbox" name=format!("v{i}_placebo") value="1" checked=r.placebo/>
                {t.placebo_value}</label>
            <label class="check"><input type="checkbox" name=format!("v{i}_remove") value="1"/>{t.remove_value}</label>
        </fieldset>
    }
}

/// The "new survey" form on the brand page.
pub fn new_survey_view(
    l: Locale,
    brand_slug: String,
    surveys: Vec<SurveyCard>,
    problems: Vec<String>,
    slug: String,
) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <div class="report">
            <section class="card" aria-labelledby="brand-surveys">
                <h2 id="brand-surveys">{t.brand_surveys}</h2>
                {survey_table(l, surveys)}
            </section>
            <section class="card" aria-labelledby="new-survey">
                <h2 id="new-survey">{t.new_survey}</h2>
                {problems_view(l, problems)}
                <form method="post" action=format!("/admin/brands/{brand_slug}/surveys") class="stack-form">
                    <div class="field">
                        <label for="survey-slug">{t.survey_slug_label}</label>
                        <input type="text" id="survey-slug" name="slug" value=slug required maxlength="64"/>
                    </div>
                    <div class="side-by-side">
                        <div class="field">
                            <label for="survey-title-vi">{t.title_vi}</label>
                            <input type="text" id="survey-title-vi" name="title_vi" lang="vi" maxlength="200"/>
                        </div>
                        <div class="field">
                            <label for="survey-title-en">{t.title_en}</label>
                            <input type="text" id="survey-title-en" name="title_en" lang="en" maxlength="200"/>
                        </div>
                    </div>
                    <fieldset class="filter versions">
                        <legend>{t.start_from}</legend>
                        <label class="check"><input type="radio" name="start" value="bond_check" checked=true/>
                            {t.start_from_bond_check}</label>
                        <label class="check"><input type="radio" name="start" value="blank"/>{t.start_blank}</label>
                    </fieldset>
                    <button type="submit" class="button primary">{t.create_survey}</button>
                </form>
            </section>
        </div>
    }
}
