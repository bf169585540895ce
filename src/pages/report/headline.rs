//! The top of the report: the response funnel, and the headline (values- and
//! contact-bonded shares, bond classes, sensitivity to t, the split by block order).

use leptos::prelude::*;

use super::charts::{bar_chart, BLUE, CLASS_COLOURS, ORANGE};
use super::figures::{prop_cell, section, shown};
use crate::domain::report::{GroupDifference, Headline, OrderEffect, Report};
use crate::domain::stats::{Base, Proportion};
use crate::i18n::staff::{p_text, Sentence};
use crate::i18n::StaffUi;

/// Starts, completions and drop-off, and the flagged responses left out (or counted), with
/// `toggle` (staff only) to count them or leave them out.
pub(super) fn responses_section(
    t: &'static StaffUi,
    r: &Report,
    toggle: Option<String>,
) -> impl IntoView {
    let f = &r.funnel;
    let q = r.quality;
    let switch = toggle.filter(|_| q.flagged.responses > 0).map(|href| {
        let label = if q.included {
            t.exclude_flagged
        } else {
            t.include_flagged
        };
        view! { " " <a href=href class="no-print">{label}</a> }
    });
    let quality = view! {
        <p class="note" id="quality-note">{(t.quality_sentence)(&q.flagged, q.included)}{switch}</p>
    };
    let sentence = (t.responses_sentence)(f.started, f.completed);
    let rows = f
        .stopped_on_page
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(page, n)| view! { <tr><th scope="row">{(t.stopped_on_page)(page + 1)}</th><td>{*n}</td></tr> })
        .collect_view();
    let body = view! { {quality}<table><tbody>{rows}</tbody></table> }.into_any();
    section("sec-responses", t.sec_responses, sentence, body)
}

pub(super) fn headline_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let h = &r.headline;
    let paired = h
        .paired
        .filter(|_| h.values_bonded.base != Base::Suppressed)
        .map(|m| view! { <p class="test">{(t.paired_test)(m.diff, m.ci.lo, m.ci.hi, m.p, m.exact)}</p> });
    let insufficient = (h.insufficient > 0)
        .then(|| view! { <p class="note">{(t.insufficient)(h.insufficient)}</p> });
    let by_order = r.order_effect.as_ref().map(|e| order_effect_view(t, e));
    let body = view! {
        {bonded_at_thresholds(t, r)}
        {paired}
        {bond_classes(t, h)}
        {led_by(t, h)}
        {insufficient}
        {by_order}
    }
    .into_any();
    section(
        "sec-headline",
        t.sec_headline,
        headline_sentence(t, h),
        body,
    )
}

fn headline_sentence(t: &'static StaffUi, h: &Headline) -> String {
    match (
        shown(&h.values_bonded),
        shown(&h.contact_bonded),
        h.values_bonded.ci,
        h.contact_bonded.ci,
    ) {
        (Some(v), Some(c), Some(vci), Some(cci)) => (t.headline_sentence)(&Sentence {
            values: 100.0 * v,
            values_ci: (100.0 * vci.lo, 100.0 * vci.hi),
            contact: 100.0 * c,
            contact_ci: (100.0 * cci.lo, 100.0 * cci.hi),
            significant: h.paired.is_some_and(|m| m.p < 0.05),
        }),
        _ => (t.too_few)(h.scored),
    }
}

/// Both bond shares at the report's t, then at the sensitivity thresholds.
fn bonded_at_thresholds(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let h = &r.headline;
    let chart_rows = vec![
        (t.values_bonded.to_string(), h.values_bonded, BLUE),
        (t.contact_bonded.to_string(), h.contact_bonded, ORANGE),
    ];
    let sensitivity = r
        .sensitivity
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row">{(t.sensitivity)(s.threshold)}</th>
                    <td>{prop_cell(t, &s.values_bonded)}</td>
                    <td>{prop_cell(t, &s.contact_bonded)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="chart-and-table">
            {bar_chart(t.sec_headline.to_string(), chart_rows)}
            <table>
                <caption>{(t.base)(h.scored)}</caption>
                <thead><tr><th scope="col"></th><th scope="col">{t.values_bonded}</th><th scope="col">{t.contact_bonded}</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{(t.sensitivity)(r.threshold)}</th><td>{prop_cell(t, &h.values_bonded)}</td><td>{prop_cell(t, &h.contact_bonded)}</td></tr>
                    {sensitivity}
                </tbody>
            </table>
        </div>
    }
}

fn bond_classes(t: &'static StaffUi, h: &Headline) -> impl IntoView {
    let class_rows: Vec<(String, Proportion, &'static str)> = h
        .classes
        .iter()
        .zip(CLASS_COLOURS)
        .map(|(c, colour)| ((t.class_name)(c.class).to_string(), c.share, colour))
        .collect();
    let class_table = h
        .classes
        .iter()
        .map(|c| view! { <tr><th scope="row">{(t.class_name)(c.class)}</th><td>{prop_cell(t, &c.share)}</td></tr> })
        .collect_view();
    view! {
        <div class="chart-and-table">
            {bar_chart(t.bond_class.to_string(), class_rows)}
            <table>
                <caption>{t.bond_class}</caption>
                <tbody>{class_table}</tbody>
            </table>
        </div>
    }
}

/// Among respondents with any bond: which bond is the stronger.
fn led_by(t: &'static StaffUi, h: &Headline) -> impl IntoView {
    view! {
        <table>
            <caption>{t.among_bonded}" ("{(t.base)(h.values_led.n)}")"</caption>
            <tbody>
                <tr><th scope="row">{t.values_led}</th><td>{prop_cell(t, &h.values_led)}</td></tr>
                <tr><th scope="row">{t.contact_led}</th><td>{prop_cell(t, &h.contact_led)}</td></tr>
                <tr><th scope="row">{t.tied}</th><td>{prop_cell(t, &h.tied)}</td></tr>
            </tbody>
        </table>
    }
}

/// The headline by the order the bond blocks were shown in, with the difference.
fn order_effect_view(t: &'static StaffUi, e: &OrderEffect) -> impl IntoView {
    let difference = |d: &Option<GroupDifference>| match d {
        Some(d) => format!(
            "{:+.1} [{:.1}; {:.1}] · p {}{}",
            100.0 * d.diff,
            100.0 * d.ci.lo,
            100.0 * d.ci.hi,
            p_text(d.p),
            if d.fisher { "*" } else { "" }
        ),
        None => "—".into(),
    };
    let rows = [&e.values_first, &e.contact_first]
        .into_iter()
        .map(|o| {
            view! {
                <tr>
                    <th scope="row">{(t.block_order_name)(o.order)}</th>
                    <td>{o.values_bonded.n}</td>
                    <td>{prop_cell(t, &o.values_bonded)}</td>
                    <td>{prop_cell(t, &o.contact_bonded)}</td>
                </tr>
            }
        })
        .collect_view();
    let verdict = if e.flagged {
        view! { <p class="warning">{t.order_effect_flagged}</p> }.into_any()
    } else {
        view! { <p class="note">{t.order_effect_none}</p> }.into_any()
    };
    view! {
        <div class="table-scroll">
            <table>
                <caption>{t.by_block_order}</caption>
                <thead><tr>
                    <th scope="col">{t.block_order}</th><th scope="col">{t.table_n}</th>
                    <th scope="col">{t.values_bonded}</th><th scope="col">{t.contact_bonded}</th>
                </tr></thead>
                <tbody>
                    {rows}
                    <tr>
                        <th scope="row">{t.order_difference}</th><td></td>
                        <td>{difference(&e.values_bonded)}</td><td>{difference(&e.contact_bonded)}</td>
                    </tr>
                </tbody>
            </table>
        </div>
        {verdict}
    }
}
