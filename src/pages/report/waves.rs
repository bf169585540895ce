//! The wave comparison page: a GET form for two periods or two versions (so the comparison
//! is a shareable URL and works without JavaScript), then every figure's change second −
//! first with its interval, p and Holm-adjusted p, and a chart of the two waves' shares.

use leptos::prelude::*;

use super::charts::paired_chart;
use super::figures::{nps_cell, prop_cell, section};
use super::VersionChoice;
use crate::domain::report::{WaveChange, WaveComparison, WaveFigure, WaveMeasure, WaveRow};
use crate::domain::{Locale, SurveyDefinition};
use crate::i18n::staff::p_text;
use crate::i18n::{staff_ui, waves_ui, StaffUi, WavesUi};
use crate::reporting::{format_day, CompareProblem, CompareQuery, Wave};

pub struct ComparePage<'a> {
    pub locale: Locale,
    pub slug: String,
    /// Labels the figures: the second wave's version, else the survey's newest.
    pub def: &'a SurveyDefinition,
    pub versions: Vec<VersionChoice>,
    /// What the form shows (the suggestion when nothing was chosen yet).
    pub form: CompareQuery,
    /// Some filters of the URL were invalid and dropped.
    pub ignored: bool,
    pub outcome: Result<ShownComparison<'a>, CompareProblem>,
}

/// The computed comparison and where its JSON is.
pub struct ShownComparison<'a> {
    pub comparison: &'a WaveComparison,
    pub json_href: String,
}

pub fn compare_view(p: ComparePage<'_>) -> impl IntoView {
    let (t, w) = (staff_ui(p.locale), waves_ui(p.locale));
    let title = (w.title)(p.def.title.get(p.locale));
    let problem = match &p.outcome {
        Err(CompareProblem::NotChosen) => {
            Some(view! { <p class="notice" role="status">{w.not_chosen}</p> }.into_any())
        }
        Err(CompareProblem::Reversed { wave }) => Some(
            view! { <p class="error-summary" role="alert">{(w.reversed)(*wave)}</p> }.into_any(),
        ),
        Err(CompareProblem::Overlap) => {
            Some(view! { <p class="error-summary" role="alert">{w.overlap}</p> }.into_any())
        }
        Ok(_) => None,
    };
    let ignored = p
        .ignored
        .then(|| view! { <p class="notice" role="status">{t.filter_problem}</p> });
    let result = p
        .outcome
        .as_ref()
        .ok()
        .map(|c| results(t, w, p.locale, p.def, c));
    view! {
        <div class="report">
            <h1 tabindex="-1">{title}</h1>
            <p>{w.lead}</p>
            {waves_form(t, w, &p)}
            {ignored}
            {problem}
            {result}
            <p class="report-actions no-print">
                <a href=format!("/reports/{}", p.slug)>{w.back_to_report}</a>
            </p>
        </div>
    }
}

fn waves_form(t: &'static StaffUi, w: &'static WavesUi, p: &ComparePage<'_>) -> impl IntoView {
    view! {
        <form method="get" action=format!("/reports/{}/compare", p.slug) class="filters card no-print" aria-label=w.compare>
            <input type="hidden" name="lang" value=p.locale.code()/>
            {wave_fields(t, w, "first", w.first_wave, &p.form.first, &p.versions)}
            {wave_fields(t, w, "second", w.second_wave, &p.form.second, &p.versions)}
            <div class="filter">
                <label class="check">
                    <input type="checkbox" name="flagged" value="include" checked=p.form.include_flagged/>
                    {w.include_flagged}
                </label>
            </div>
            <div class="filter">
                <button type="submit" class="button primary">{w.compare}</button>
            </div>
        </form>
    }
}

/// One wave's dates and version, named `{prefix}_from`, `{prefix}_to`, `{prefix}_version`.
fn wave_fields(
    t: &'static StaffUi,
    w: &'static WavesUi,
    prefix: &'static str,
    legend: &'static str,
    wave: &Wave,
    versions: &[VersionChoice],
) -> impl IntoView {
    let id = |field: &str| format!("w-{prefix}-{field}");
    let day = |d: Option<i64>| d.map(format_day).unwrap_or_default();
    let options = versions
        .iter()
        .map(|v| {
            let selected = wave.version == Some(v.id);
            view! { <option value=v.id.to_string() selected=selected>{(t.version_label)(v.version, v.completed)}</option> }
        })
        .collect_view();
    view! {
        <fieldset class="wave">
            <legend>{legend}</legend>
            <div class="filter">
                <label for=id("from")>{t.from}</label>
                <input type="date" id=id("from") name=format!("{prefix}_from") value=day(wave.from_day)/>
            </div>
            <div class="filter">
                <label for=id("to")>{t.to}</label>
                <input type="date" id=id("to") name=format!("{prefix}_to") value=day(wave.to_day)/>
            </div>
            <div class="filter">
                <label for=id("version")>{t.version}</label>
                <select id=id("version") name=format!("{prefix}_version")>
                    <option value="">{w.any_version}</option>
                    {options}
                </select>
            </div>
        </fieldset>
    }
}

fn results(
    t: &'static StaffUi,
    w: &'static WavesUi,
    locale: Locale,
    def: &SurveyDefinition,
    c: &ShownComparison<'_>,
) -> impl IntoView {
    let cmp = c.comparison;
    let label = |m: &WaveMeasure| measure_label(t, w, locale, def, m);
    let rows = cmp
        .rows
        .iter()
        .map(|r| row(t, w, label(&r.measure), r))
        .collect_view();
    let bars: Vec<_> = cmp
        .rows
        .iter()
        .filter_map(|r| match (r.first, r.second) {
            (WaveFigure::Share(a), WaveFigure::Share(b)) => Some((label(&r.measure), [a, b])),
            _ => None,
        })
        .collect();
    let any_fisher = cmp.rows.iter().any(|r| r.change.is_some_and(|c| c.fisher));
    let body = view! {
        <p class="note">
            {(w.wave_responses)(w.first_wave, cmp.first_responses)}" · "
            {(w.wave_responses)(w.second_wave, cmp.second_responses)}" · "
            {(w.threshold_note)(cmp.threshold)}
        </p>
        {paired_chart(w.chart_label.to_string(), [w.first_wave, w.second_wave], bars)}
        <div class="table-scroll">
                <table class="waves">
                    <thead><tr>
                        <th scope="col">{w.figure}</th><th scope="col">{w.first_wave}</th>
                        <th scope="col">{w.second_wave}</th><th scope="col">{w.change}</th>
                        <th scope="col">{t.p_value}</th><th scope="col">{t.p_holm}</th>
                        <th scope="col">{w.verdict}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
        </div>
        <p class="note">{w.units_note}</p>
        {any_fisher.then(|| view! { <p class="note">{t.fisher_note}</p> })}
        <p class="report-actions no-print">
            <a href=c.json_href.clone() download="">{t.download_json}</a>
        </p>
    }
    .into_any();
    section(
        "sec-waves",
        w.changes_title,
        (w.sentence)(cmp.detectable(), cmp.family),
        body,
    )
}

fn measure_label(
    t: &'static StaffUi,
    w: &'static WavesUi,
    locale: Locale,
    def: &SurveyDefinition,
    m: &WaveMeasure,
) -> String {
    let value = |key: &str| {
        def.brand
            .values
            .iter()
            .find(|v| v.key == key)
            .map_or_else(|| key.to_string(), |v| v.label.get(locale).to_string())
    };
    match m {
        WaveMeasure::ValuesBonded => t.values_bonded.to_string(),
        WaveMeasure::ContactBonded => t.contact_bonded.to_string(),
        WaveMeasure::Class(c) => (t.class_name)(*c).to_string(),
        WaveMeasure::Perceived(key) => (w.perceives)(&value(key)),
        WaveMeasure::Shared(key) => (w.shares)(&value(key)),
        WaveMeasure::Nps => t.nps.to_string(),
    }
}

fn row(t: &'static StaffUi, w: &'static WavesUi, label: String, r: &WaveRow) -> impl IntoView {
    let cell = |f: &WaveFigure| match f {
        WaveFigure::Share(p) => prop_cell(t, p),
        WaveFigure::Nps(n) => nps_cell(t, n),
    };
    let nps = matches!(r.measure, WaveMeasure::Nps);
    let (change, p, p_holm, verdict) = match r.change {
        Some(c) => (
            change_text(&c, nps),
            p_text(c.p) + if c.fisher { "*" } else { "" },
            p_text(c.p_holm),
            verdict(w, &c),
        ),
        None => {
            let why = if r.no_events { w.no_events } else { w.too_few };
            ("—".to_string(), String::new(), String::new(), why)
        }
    };
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{cell(&r.first)}</td>
            <td>{cell(&r.second)}</td>
            <td>{change}</td>
            <td>{p}</td>
            <td>{p_holm}</td>
            <td>{verdict}</td>
        </tr>
    }
}

/// "+4.5 [−2.1; 11.0]": percentage points for shares, NPS points for NPS.
fn change_text(c: &WaveChange, nps: bool) -> String {
    let scale = if nps { 1.0 } else { 100.0 };
    format!(
        "{:+.1} [{:.1}; {:.1}]",
        scale * c.diff,
        scale * c.ci.lo,
        scale * c.ci.hi
    )
}

fn verdict(w: &'static WavesUi, c: &WaveChange) -> &'static str {
    match (c.detectable, c.diff > 0.0) {
        (false, _) => w.no_change,
        (true, true) => w.up,
        (true, false) => w.down,
    }
}
