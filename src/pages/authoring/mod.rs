//! The admin's authoring pages: brands and surveys overview, brand editor, survey builder,
//! question editor, responses, audit log and JSON import. Every action is a plain form
//! post, so all of it works without JavaScript.
//!
//! This file holds the pieces the pages share: names of the domain's lists, the problems
//! of a refused form, text inputs, one-button forms, notices and timestamps.

mod audit;
mod brands;
mod builder;
mod distribution;
mod import;
mod keywords;
mod publishing;
mod questions;
mod responses;

pub use audit::{audit_view, AuditLine};
pub use brands::{
    brand_form_view, dashboard_view, new_survey_view, BrandCard, BrandForm, SurveyCard, ValueRow,
};
pub use builder::{builder_view, BuilderModel};
pub use import::import_view;
pub use keywords::{keywords_view, KeywordRow};
pub use publishing::{preview_done_view, VersionRow};
pub use questions::{question_form_view, QuestionForm};
pub use responses::{response_view, responses_view, ResponseListRow};

use leptos::prelude::*;

use crate::domain::survey::SurveyStatus;
use crate::domain::{Construct, Locale, QuestionKind};
use crate::i18n::{authoring_ui, names};

/// The name of a question kind in the admin's language.
fn kind_name(l: Locale, kind: QuestionKind) -> &'static str {
    (names(l).kind)(kind)
}

/// The name of a construct in the admin's language.
fn construct_name(l: Locale, c: Construct) -> &'static str {
    (names(l).construct)(c)
}

/// The name of a survey status in the admin's language.
fn status_name(l: Locale, status: SurveyStatus) -> &'static str {
    (names(l).status)(status)
}

/// An alert listing why a form was not saved, or nothing.
fn problems_view(l: Locale, problems: Vec<String>) -> Option<impl IntoView> {
    (!problems.is_empty()).then(|| {
        let items = problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view();
        view! {
            <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{authoring_ui(l).not_saved_title}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// A labelled one-line text input, its text in language `lang`.
fn text_input(
    id: String,
    name: String,
    label: &'static str,
    value: String,
    lang: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input type="text" id=id name=name value=value lang=lang maxlength="500"/>
        </div>
    }
}

/// A small POST form with hidden fields and one button.
fn action_button(
    action: String,
    fields: Vec<(&'static str, String)>,
    label: String,
    class: &'static str,
    aria: Option<String>,
) -> impl IntoView {
    let hidden = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <form method="post" action=action class="inline-form">
            {hidden}
            <button type="submit" class=class aria-label=aria>{label}</button>
        </form>
    }
}

/// A status line above a form ("saved").
pub fn notice_view(text: &'static str) -> impl IntoView {
    view! { <p class="notice" role="status">{text}</p> }
}

/// A timestamp as `YYYY-MM-DD HH:MM UTC`.
pub fn when(ms: i64) -> String {
    let day = crate::domain::report::day_of(ms);
    let (y, m, d) = crate::domain::report::civil_from_days(day);
    let minutes = (ms - day * crate::domain::report::DAY_MS) / 60_000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}
