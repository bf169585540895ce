//! The page shown when something cannot be done: in the user's language, with a way on.

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::ui;

pub fn problem_view(
    locale: Locale,
    title: &str,
    body: &str,
    detail: Option<String>,
    next: Option<(String, String)>,
) -> impl IntoView {
    let t = ui(locale);
    let detail = detail.map(|d| view! { <p class="problem-detail">{d}</p> });
    let (href, label) = next.unwrap_or_else(|| ("/".to_string(), t.go_home.to_string()));
    view! {
        <section class="card problem" aria-labelledby="problem-title">
            <h1 id="problem-title" tabindex="-1">{title.to_string()}</h1>
            <p>{body.to_string()}</p>
            {detail}
            <p><a class="button secondary" href=href>{label}</a></p>
        </section>
    }
}
