//! The builder's check and publishing section (checker findings, publish, preview, status
//! buttons), its versions section (versions, links to responses, report and export,
//! duplicating), and the end of a preview.

use leptos::prelude::*;

use super::action_button;
use super::builder::BuilderModel;
use crate::domain::checker::{Finding, Severity};
use crate::domain::survey::SurveyStatus;
use crate::domain::Locale;
use crate::i18n::checker::finding_message;
use crate::i18n::{authoring_ui, staff_ui, AuthoringUi};

/// One version in the builder's versions table.
pub struct VersionRow {
    pub version: i64,
    pub published_at: Option<String>,
    pub live: bool,
    pub completed: i64,
}

/// What the checker found, the publish button (a draft only), the previews and the status
/// buttons.
pub(super) fn check_section(l: Locale, m: &BuilderModel, base: &str) -> impl IntoView {
    let t = authoring_ui(l);
    let blocked = m.findings.iter().any(|f| f.severity == Severity::Error);
    let publish = m.is_draft.then(|| {
        let label = if blocked { t.publish_blocked } else { t.publish };
        view! {
            <form method="post" action=format!("{base}/publish") class="inline-form">
                <button type="submit" class="button primary" aria-disabled=blocked.then_some("true")>{label}</button>
            </form>
        }
    });
    view! {
        <section class="card" aria-labelledby="check">
            <h2 id="check">{t.survey_check}</h2>
            {findings_view(l, &m.findings)}
            <div class="actions">
                {publish}
                <a class="button secondary" href=format!("{base}/preview?lang=vi")>{t.preview_vi}</a>
                <a class="button secondary" href=format!("{base}/preview?lang=en")>{t.preview_en}</a>
                {status_buttons(t, m.status, m.live_version.is_some(), base)}
            </div>
        </section>
    }
}

fn findings_view(l: Locale, findings: &[Finding]) -> impl IntoView {
    let t = authoring_ui(l);
    if findings.is_empty() {
        return view! { <p class="notice" role="status">{t.check_passed}</p> }.into_any();
    }
    let list = |severity: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| {
                let place = f.place.clone().map(|p| view! { <code>{p}</code>": " });
                view! { <li>{place}{finding_message(l, f)}</li> }
            })
            .collect_view()
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    view! {
        <div class="findings">
            {(errors > 0).then(|| view! {
                <div class="error-summary" role="alert">
                    <h3>{(t.check_errors)(errors)}</h3>
                    <ul>{list(Severity::Error)}</ul>
                </div>
            })}
            {(warnings > 0).then(|| view! {
                <div class="warning">
                    <h3>{(t.check_warnings)(warnings)}</h3>
                    <ul>{list(Severity::Warning)}</ul>
                </div>
            })}
        </div>
    }
    .into_any()
}

/// The status changes open to a survey in `status`: close an open one, reopen a closed or
/// archived one that has a live version, archive any other.
fn status_buttons(
    t: &AuthoringUi,
    status: SurveyStatus,
    has_live: bool,
    base: &str,
) -> impl IntoView {
    let mut buttons = Vec::new();
    if status == SurveyStatus::Open {
        buttons.push((SurveyStatus::Closed.as_str(), t.close_survey));
    }
    if matches!(status, SurveyStatus::Closed | SurveyStatus::Archived) && has_live {
        buttons.push((SurveyStatus::Open.as_str(), t.reopen));
    }
    if status != SurveyStatus::Archived {
        buttons.push((SurveyStatus::Archived.as_str(), t.archive));
    }
    buttons
        .into_iter()
        .map(|(status, label)| {
            action_button(
                format!("{base}/status"),
                vec![("status", status.into())],
                label.into(),
                "button secondary",
                None,
            )
        })
        .collect_view()
}

/// Every version with its state and complete responses; links to the responses, the report
/// and the export; duplicating the survey.
pub(super) fn versions_section(
    t: &AuthoringUi,
    versions: Vec<VersionRow>,
    slug: &str,
    base: &str,
) -> impl IntoView {
    let versions = versions
        .into_iter()
        .map(|v| {
            let state = match (&v.published_at, v.live) {
                (_, true) => t.state_live.to_string(),
                (Some(at), false) => (t.state_published)(at),
                (None, _) => t.state_draft.to_string(),
            };
            view! { <tr><th scope="row">{format!("v{}", v.version)}</th><td>{state}</td><td class="num">{v.completed}</td></tr> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="versions">
            <h2 id="versions">{t.versions}</h2>
            <div class="table-scroll"><table>
                <thead><tr><th scope="col">{t.version}</th><th scope="col">{t.version_state}</th><th scope="col">{t.complete_responses}</th></tr></thead>
                <tbody>{versions}</tbody>
            </table></div>
            <p>
                <a href=format!("{base}/responses")>{t.view_responses}</a>" · "
                <a href=format!("/reports/{slug}")>{t.report}</a>" · "
                <a href=format!("{base}/export") download=format!("{slug}.json")>{t.export_json}</a>
            </p>
            <form method="post" action=format!("{base}/duplicate") class="inline-form">
                <label for="dup-slug">{t.duplicate_label}</label>" "
                <input type="text" id="dup-slug" name="slug" maxlength="64" required/>" "
                <button type="submit" class="button secondary">{t.duplicate}</button>
            </form>
        </section>
    }
}

/// The end of an admin's preview, where respondents would see the thank-you page.
pub fn preview_done_view(l: Locale, slug: String) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <section class="card thanks">
            // The same words as the page's title.
            <h1 tabindex="-1">{staff_ui(l).preview_done_title}</h1>
            <p class="lead">{t.preview_done_body}</p>
            <p><a class="button secondary" href=format!("/admin/surveys/{slug}")>{t.builder_link}</a></p>
        </section>
    }
}
