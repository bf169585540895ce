//! The report's filters: a GET form, so it works without JavaScript and its URL can be
//! shared (versions, dates, the segment compared, one group only, the trend period).

use leptos::prelude::*;

use super::ReportPage;
use crate::domain::report::Period;
use crate::domain::{Construct, Locale, SurveyDefinition};
use crate::i18n::{staff_ui, StaffUi};
use crate::reporting::{format_day, ReportQuery};

/// A segment question as the filters offer it: key, text, and its options' (key, label).
struct SegmentQuestion {
    key: String,
    text: String,
    options: Vec<(String, String)>,
}

pub(super) fn filters_form(p: &ReportPage<'_>) -> impl IntoView {
    let t = staff_ui(p.locale);
    let q = p.query;
    let versions = version_checks(t, p);
    let segments = segment_questions(p.def, p.locale);
    let segment_options = segment_options(q, &segments);
    let cut_groups = cut_groups(q, &segments);
    let from = q.from_day.map(format_day).unwrap_or_default();
    let to = q.to_day.map(format_day).unwrap_or_default();
    let week = q.period == Some(Period::Week);
    view! {
        <form method="get" action=format!("/reports/{}", p.slug) class="filters card no-print" aria-label=t.filters data-enhance="">
            <input type="hidden" name="lang" value=p.locale.code()/>
            {q.include_flagged.then(|| view! { <input type="hidden" name="flagged" value="include"/> })}
            <fieldset class="filter versions">
                <legend>{t.version}</legend>
                <span class="hint">{t.all_versions}</span>
                {versions}
            </fieldset>
            <div class="filter">
                <label for="f-from">{t.from}</label>
                <input type="date" id="f-from" name="from" value=from/>
            </div>
            <div class="filter">
                <label for="f-to">{t.to}</label>
                <input type="date" id="f-to" name="to" value=to/>
            </div>
            <div class="filter">
                <label for="f-segment">{t.compare_segment}</label>
                <select id="f-segment" name="segment">
                    <option value="">{t.none}</option>
                    {segment_options}
                </select>
            </div>
            <div class="filter">
                <label for="f-cut">{t.only_group}</label>
                <select id="f-cut" name="cut">
                    <option value="">{t.everyone}</option>
                    {cut_groups}
                </select>
            </div>
            <div class="filter">
                <label for="f-period">{t.period}</label>
                <select id="f-period" name="period">
                    <option value="month" selected=!week>{t.by_month}</option>
                    <option value="week" selected=week>{t.by_week}</option>
                </select>
            </div>
            <div class="filter">
                <button type="submit" class="button primary">{t.apply}</button>
            </div>
        </form>
    }
}

fn version_checks(t: &'static StaffUi, p: &ReportPage<'_>) -> impl IntoView {
    p.versions
        .iter()
        .map(|v| {
            let checked = p.query.versions.contains(&v.id);
            view! {
                <label class="check">
                    <input type="checkbox" name="version" value=v.id.to_string() checked=checked/>
                    {(t.version_label)(v.version, v.completed)}
                </label>
            }
        })
        .collect_view()
}

fn segment_questions(def: &SurveyDefinition, locale: Locale) -> Vec<SegmentQuestion> {
    def.questions_with(Construct::Segment)
        .map(|s| SegmentQuestion {
            key: s.key.clone(),
            text: s.text.get(locale).to_string(),
            options: s
                .options
                .iter()
                .map(|o| (o.key.clone(), o.text.get(locale).to_string()))
                .collect(),
        })
        .collect()
}

fn segment_options(q: &ReportQuery, segments: &[SegmentQuestion]) -> impl IntoView {
    segments
        .iter()
        .map(|s| {
            let selected = q.segment.as_deref() == Some(s.key.as_str());
            view! { <option value=s.key.clone() selected=selected>{s.text.clone()}</option> }
        })
        .collect_view()
}

/// Every group of every segment question ("question:option"), one optgroup per question.
fn cut_groups(q: &ReportQuery, segments: &[SegmentQuestion]) -> impl IntoView {
    segments
        .iter()
        .map(|s| {
            let options = s
                .options
                .iter()
                .map(|(o, label)| {
                    let value = format!("{}:{o}", s.key);
                    let selected = q.cut.as_ref().is_some_and(|(k, x)| *k == s.key && x == o);
                    view! { <option value=value selected=selected>{label.clone()}</option> }
                })
                .collect_view();
            view! { <optgroup label=s.text.clone()>{options}</optgroup> }
        })
        .collect_view()
}
