//! The reports list: the surveys a staff member may read reports of, with their status and
//! completed responses.

use leptos::prelude::*;

use crate::domain::survey::SurveyStatus;
use crate::domain::Locale;
use crate::i18n::{names, staff_ui};

pub struct ListedSurvey {
    pub href: String,
    pub slug: String,
    pub brand: String,
    pub status: SurveyStatus,
    pub completed: i64,
}

pub fn report_list_view(locale: Locale, surveys: Vec<ListedSurvey>) -> impl IntoView {
    let t = staff_ui(locale);
    let body = if surveys.is_empty() {
        view! { <p class="empty">{t.reports_empty}</p> }.into_any()
    } else {
        let items = surveys
            .into_iter()
            .map(|s| {
                let meta = format!(
                    "{} · {}",
                    (names(locale).status)(s.status),
                    (t.completed_responses)(s.completed)
                );
                view! {
                    <li>
                        <a href=s.href><strong>{s.brand}</strong>" — "{s.slug}</a>
                        <span class="meta">{meta}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="report-list">{items}</ul> }.into_any()
    };
    view! {
        <section class="card">
            <h1 tabindex="-1">{t.reports_title}</h1>
            {body}
        </section>
    }
}
