//! The alignment report page, assembled here from its parts: filters and exports, one
//! section per file (every figure with its base and 95% interval, small bases suppressed or
//! flagged, each section opened by a sentence built from its numbers) and the sharing card.
//! Also in this folder: the reports list (`list`), the share-created page (`sharing`) and
//! the comparison of two waves (`waves`).

mod ceb;
mod charts;
mod contact;
mod figures;
mod filters;
mod headline;
mod list;
mod listening;
mod outcomes;
mod reliability;
mod segments;
mod sharing;
mod trends;
mod values;
mod waves;
mod weighting;

use leptos::prelude::*;

use crate::domain::report::Report;
use crate::domain::{Locale, SurveyDefinition};
use crate::i18n::{staff_ui, StaffUi};
use crate::pages::with_query;
use crate::reporting::ReportQuery;

pub use list::{report_list_view, ListedSurvey};
pub use listening::{code_label, listening_view, ListeningPage};
pub use sharing::{share_created_view, LiveShare, Sharing};
pub use waves::{compare_view, ComparePage, ShownComparison};
pub use weighting::{target_problem, StoredTargets, WeightingPanel};

/// Who reads the report: staff get filters, exports and sharing; a share link reads only.
pub enum ReportMode {
    Staff(Sharing),
    Shared { expires: String },
}

/// A survey version in the report's version picker.
pub struct VersionChoice {
    pub id: i64,
    /// Its number (1, 2, …).
    pub version: i64,
    /// Complete responses to it.
    pub completed: i64,
}

pub struct ReportPage<'a> {
    pub mode: ReportMode,
    pub locale: Locale,
    pub slug: String,
    pub def: &'a SurveyDefinition,
    pub versions: Vec<VersionChoice>,
    pub query: &'a ReportQuery,
    pub report: &'a Report,
    /// The weighting card (staff only).
    pub weighting: Option<WeightingPanel>,
}

pub fn report_view(p: ReportPage<'_>) -> impl IntoView {
    let t = staff_ui(p.locale);
    let title = (t.report_title)(p.def.title.get(p.locale));
    let body = if p.report.responses == 0 {
        view! { <p class="empty">{t.no_responses}</p> }.into_any()
    } else {
        sections(t, &p).into_any()
    };
    let controls = match &p.mode {
        ReportMode::Staff(_) => staff_controls(t, &p).into_any(),
        ReportMode::Shared { expires } => {
            view! { <p class="notice">{(t.shared_notice)(expires)}</p> }.into_any()
        }
    };
    let toggle = quality_toggle(&p);
    let weighting_status = weighting::weighting_status(&p);
    let weighting_card = weighting::weighting_card(&p);
    let share = match p.mode {
        ReportMode::Staff(sharing) => {
            Some(sharing::share_card(t, &p.slug, p.query.to_query(), sharing))
        }
        ReportMode::Shared { .. } => None,
    };
    view! {
        <div class="report">
            <h1 tabindex="-1">{title}</h1>
            {controls}
            {weighting_status}
            {headline::responses_section(t, p.report, toggle)}
            {body}
            {weighting_card}
            {share}
        </div>
    }
}

fn sections(t: &'static StaffUi, p: &ReportPage<'_>) -> impl IntoView {
    view! {
        {headline::headline_section(t, p.report)}
        {ceb::ceb_section(t, p.report)}
        {values::values_section(t, p.locale, p.def, p.report)}
        {values::alignment_section(t, p.report)}
        {contact::contact_section(t, p.report)}
        {outcomes::outcomes_section(t, p.report)}
        {segments::segments_section(t, p.locale, p.def, p.report)}
        {trends::trends_section(t, p.report)}
        {reliability::reliability_section(t, p.report)}
    }
}

/// The report with flagged responses counted if they are not, left out if they are (staff
/// only: a share link shows the filters it was shared with).
fn quality_toggle(p: &ReportPage<'_>) -> Option<String> {
    if !matches!(p.mode, ReportMode::Staff(_)) {
        return None;
    }
    let mut query = p.query.clone();
    query.include_flagged = !query.include_flagged;
    let path = format!("/reports/{}", p.slug);
    Some(with_query(&path, &query.to_query()) + "#quality-note")
}

/// The filters, a notice if some were ignored, and the downloads (which keep the filters).
fn staff_controls(t: &'static StaffUi, p: &ReportPage<'_>) -> impl IntoView {
    let query = p.query.to_query();
    let export = |file: &str, extra: &str| {
        let q = [query.as_str(), extra]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        with_query(&format!("/reports/{}/{file}", p.slug), &q)
    };
    let json_href = export("report.json", "");
    let csv_href = export("responses.csv", "");
    let excel_href = export("responses.csv", "bom=1");
    let compare_href = format!("/reports/{}/compare", p.slug);
    let listening_href = export("listening", "");
    let ignored = p
        .query
        .ignored
        .then(|| view! { <p class="notice" role="status">{t.filter_problem}</p> });
    view! {
        {filters::filters_form(p)}
        {ignored}
        <p class="report-actions no-print">
            <a href=json_href download="">{t.download_json}</a>
            " · "
            <a href=csv_href download="">{t.download_csv}</a>
            " · "
            <a href=excel_href download="">{t.download_excel}</a>
            " · "
            <a href=compare_href>{crate::i18n::waves_ui(p.locale).compare_link}</a>
            " · "
            <a href=listening_href>{crate::i18n::listening_ui(p.locale).link}</a>
        </p>
    }
}
