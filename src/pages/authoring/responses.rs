//! Complete responses: the list of a survey's responses, and one response.

use leptos::prelude::*;

use super::when;
use crate::domain::Locale;
use crate::i18n::authoring_ui;

/// A complete response in the list.
pub struct ResponseListRow {
    pub id: i64,
    pub version: i64,
    pub completed_at: i64,
    /// Its quality flags, named; empty when clean.
    pub flags: String,
}

pub fn responses_view(l: Locale, slug: String, rows: Vec<ResponseListRow>) -> impl IntoView {
    let t = authoring_ui(l);
    let body = if rows.is_empty() {
        view! { <p class="empty">{t.no_responses}</p> }.into_any()
    } else {
        let rows = rows
            .into_iter()
            .map(|r| view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/surveys/{slug}/responses/{}", r.id)>{format!("#{}", r.id)}</a></th>
                    <td>{format!("v{}", r.version)}</td>
                    <td>{when(r.completed_at)}</td>
                    <td>{r.flags}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-scroll"><table>
                <thead><tr><th scope="col">{t.response}</th><th scope="col">{t.version}</th><th scope="col">{t.completed_at}</th><th scope="col">{t.quality_flags}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}")>{t.back_to_builder}</a></p>
            <h1 tabindex="-1">{t.responses_title}</h1>
            <section class="card">{body}</section>
        </div>
    }
}

/// One response shown with the questions of the version it answered.
pub fn response_view(
    l: Locale,
    slug: String,
    (id, version): (i64, i64),
    flags: String,
    items: Vec<(String, String, String)>,
) -> impl IntoView {
    let t = authoring_ui(l);
    let flags = (!flags.is_empty())
        .then(|| view! { <p class="notice">{format!("{}: {flags}", t.quality_flags)}</p> });
    let items = items
        .into_iter()
        .map(|(key, text, answer)| view! { <tr><th scope="row"><code>{key}</code>" "{text}</th><td>{answer}</td></tr> })
        .collect_view();
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}/responses")>{t.back_to_responses}</a></p>
            <h1 tabindex="-1">{format!("{} #{id} · v{version}", t.response)}</h1>
            <p class="hint">{t.response_hint}</p>
            {flags}
            <section class="card"><div class="table-scroll"><table>
                <thead><tr><th scope="col">{t.question}</th><th scope="col">{t.answer}</th></tr></thead>
                <tbody>{items}</tbody>
            </table></div></section>
        </div>
    }
}
