//! The audit log page, and the builder's section with the survey's recent changes.

use leptos::prelude::*;

use super::when;
use crate::domain::Locale;
use crate::i18n::{authoring_ui, AuthoringUi};

/// A line of the audit log as the pages show it.
pub struct AuditLine {
    /// When (milliseconds since the epoch).
    pub at: i64,
    /// Who; empty for the command line.
    pub actor: String,
    pub action: String,
    pub brand: String,
    pub survey: String,
    pub detail: String,
}

pub fn audit_view(l: Locale, entries: Vec<AuditLine>) -> impl IntoView {
    let t = authoring_ui(l);
    let body = if entries.is_empty() {
        view! { <p class="empty">{t.no_changes}</p> }.into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|a| view! {
                <tr>
                    <td>{when(a.at)}</td>
                    <td>{if a.actor.is_empty() { t.command_line.to_string() } else { a.actor }}</td>
                    <td>{a.action}</td>
                    <td>{a.brand}</td>
                    <td>{a.survey}</td>
                    <td>{a.detail}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-scroll"><table>
                <thead><tr>
                    <th scope="col">{t.audit_when}</th><th scope="col">{t.audit_who}</th><th scope="col">{t.audit_what}</th>
                    <th scope="col">{t.brand}</th><th scope="col">{t.survey}</th><th scope="col">{t.audit_detail}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href="/admin">{t.back_to_dashboard}</a></p>
            <h1 tabindex="-1">{t.audit_log}</h1>
            <section class="card">{body}</section>
        </div>
    }
}

/// The builder's list of the survey's recent changes.
pub(super) fn history_section(t: &AuthoringUi, entries: Vec<AuditLine>) -> impl IntoView {
    let entries = entries
        .into_iter()
        .map(|a| view! { <li><span class="hint">{when(a.at)}</span>" "{a.actor}": "{a.action}" "{a.detail}</li> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="history">
            <h2 id="history">{t.change_history}</h2>
            <ul class="audit">{entries}</ul>
        </section>
    }
}
