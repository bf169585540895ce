//! The landing page: what ValueBond is for, and the surveys open right now.

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::ui;

/// An open survey, as listed on the home page.
pub struct SurveyLink {
    pub href: String,
    pub brand: String,
    pub title: String,
}

pub fn home_view(locale: Locale, surveys: Vec<SurveyLink>) -> impl IntoView {
    let t = ui(locale);
    let list = if surveys.is_empty() {
        view! { <p class="empty">{t.home_no_surveys}</p> }.into_any()
    } else {
        let items = surveys
            .into_iter()
            .map(|s| view! { <li><a href=s.href><strong>{s.brand}</strong>" — "{s.title}</a></li> })
            .collect_view();
        view! { <ul class="survey-list">{items}</ul> }.into_any()
    };
    view! {
        <section class="card">
            <h1 tabindex="-1">{t.home_title}</h1>
            <p class="lead">{t.home_lead}</p>
            <h2>{t.home_open_surveys}</h2>
            {list}
        </section>
    }
}
