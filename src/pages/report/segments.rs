//! The segments section: the headline per group of the compared segment question, and
//! each group against the rest (Holm-adjusted).

use leptos::prelude::*;

use super::figures::{nps_cell, prop_cell, section};
use crate::domain::report::{Report, SegmentSection};
use crate::domain::{Locale, Question, SurveyDefinition};
use crate::i18n::staff::p_text;
use crate::i18n::StaffUi;

pub(super) fn segments_section(
    t: &'static StaffUi,
    locale: Locale,
    def: &SurveyDefinition,
    r: &Report,
) -> impl IntoView {
    let Some(seg) = &r.segments else {
        return section(
            "sec-segments",
            t.sec_segments,
            t.segments_hint.to_string(),
            ().into_any(),
        );
    };
    let question = def.question(&seg.key);
    let label = |option: &str| option_label(question, locale, option);
    let significant = seg.comparisons.iter().filter(|c| c.p_holm < 0.05).count();
    let sentence = (t.segments_sentence)(significant, seg.comparisons.len());
    let any_fisher = seg.comparisons.iter().any(|c| c.fisher);
    let no_events = seg
        .no_events
        .iter()
        .map(|&m| view! { <p class="note">{(t.no_events)((t.measure_name)(m))}</p> })
        .collect_view();
    let title = question
        .map(|q| q.text.get(locale).to_string())
        .unwrap_or_else(|| seg.key.clone());
    let body = view! {
        {groups_table(t, seg, title, &label)}
        {comparisons_table(t, seg, &label)}
        {any_fisher.then(|| view! { <p class="note">{t.fisher_note}</p> })}
        {no_events}
    }
    .into_any();
    section("sec-segments", t.sec_segments, sentence, body)
}

/// An option's text in the question; its key if the question no longer has it.
fn option_label(question: Option<&Question>, locale: Locale, option: &str) -> String {
    question
        .and_then(|q| q.options.iter().find(|o| o.key == option))
        .map(|o| o.text.get(locale).to_string())
        .unwrap_or_else(|| option.to_string())
}

fn groups_table(
    t: &'static StaffUi,
    seg: &SegmentSection,
    title: String,
    label: &impl Fn(&str) -> String,
) -> impl IntoView {
    let groups = seg
        .groups
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{label(&g.option)}</th>
                    <td>{g.headline.scored}</td>
                    <td>{prop_cell(t, &g.headline.values_bonded)}</td>
                    <td>{prop_cell(t, &g.headline.contact_bonded)}</td>
                    <td>{prop_cell(t, &g.relationship)}</td>
                    <td>{nps_cell(t, &g.nps)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <caption>{title}" ("{(t.missing)(seg.missing)}")"</caption>
                <thead><tr>
                    <th scope="col">{t.group}</th><th scope="col">{t.table_n}</th><th scope="col">{t.values_bonded}</th>
                    <th scope="col">{t.contact_bonded}</th><th scope="col">{t.relationship_yes}</th><th scope="col">{t.nps}</th>
                </tr></thead>
                <tbody>{groups}</tbody>
            </table>
        </div>
    }
}

fn comparisons_table(
    t: &'static StaffUi,
    seg: &SegmentSection,
    label: &impl Fn(&str) -> String,
) -> impl IntoView {
    let comparisons = seg
        .comparisons
        .iter()
        .map(|c| {
            let star = if c.fisher { "*" } else { "" };
            view! {
                <tr>
                    <th scope="row">{label(&c.option)}</th>
                    <td>{(t.measure_name)(c.measure)}</td>
                    <td>{format!("{:+.1} [{:.1}; {:.1}]", 100.0 * c.diff, 100.0 * c.ci.lo, 100.0 * c.ci.hi)}</td>
                    <td>{format!("{}{star}", p_text(c.p))}</td>
                    <td>{p_text(c.p_holm)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.group}</th><th scope="col"></th><th scope="col">{t.difference}</th>
                    <th scope="col">{t.p_value}</th><th scope="col">{t.p_holm}</th>
                </tr></thead>
                <tbody>{comparisons}</tbody>
            </table>
        </div>
    }
}
