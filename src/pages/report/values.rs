//! Stated against perceived values: the values section (weights, ranks, perception net
//! of the placebo, shared values) and the alignment index with its histogram.

use leptos::prelude::*;

use super::charts::BLUE;
use super::figures::{mean_cell, percent, prop_cell, section, shown};
use crate::domain::report::{Report, ValueFigures};
use crate::domain::stats::Base;
use crate::domain::{Locale, SurveyDefinition};
use crate::i18n::staff::TopValue;
use crate::i18n::StaffUi;

pub(super) fn values_section(
    t: &'static StaffUi,
    locale: Locale,
    def: &SurveyDefinition,
    r: &Report,
) -> impl IntoView {
    let label = |key: &str| value_label(def, locale, key);
    let sentence = values_sentence(t, r, label);
    let rows = r
        .values
        .values
        .iter()
        .map(|v| value_row(t, label(&v.key), v))
        .collect_view();
    let body = view! {
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.value}</th><th scope="col">{t.weight}</th><th scope="col">{t.declared_rank}</th>
                    <th scope="col">{t.perceived_rank}</th><th scope="col">{t.mean_importance}</th><th scope="col">{t.mean_perception}</th>
                    <th scope="col">{t.perceived_rate}</th><th scope="col">{t.net_perception}</th><th scope="col">{t.shared_rate}</th>
                    <th scope="col">{t.missing_importance_perception}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {r.values.say_do_gap.then(|| view! { <p class="note">{t.say_do_gap}</p> })}
    }
    .into_any();
    section("sec-values", t.sec_values, sentence, body)
}

/// A value's label in the brand profile; its key if the profile no longer has it.
fn value_label(def: &SurveyDefinition, locale: Locale, key: &str) -> String {
    def.brand
        .values
        .iter()
        .find(|v| v.key == key)
        .map(|v| v.label.get(locale).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// Names the value perceived most (or says how many tie for it) and the placebo's rate.
fn values_sentence(t: &'static StaffUi, r: &Report, label: impl Fn(&str) -> String) -> String {
    let first: Vec<_> = r
        .values
        .values
        .iter()
        .filter(|v| v.perceived_rank == Some(1))
        .collect();
    let top_label = first.first().map(|v| label(&v.key));
    let top = match first.as_slice() {
        [v] => match (
            top_label.as_deref(),
            v.net_perception
                .map(|m| 100.0 * m.diff)
                .or(v.perceived.p.map(|p| 100.0 * p)),
        ) {
            (Some(name), Some(points)) => TopValue::One(name, points),
            _ => TopValue::Unknown,
        },
        [] => TopValue::Unknown,
        tied => TopValue::Tied(tied.len()),
    };
    let placebo = r
        .values
        .guessing_baseline
        .as_ref()
        .and_then(shown)
        .map(|p| 100.0 * p);
    (t.values_sentence)(top, placebo)
}

fn value_row(t: &'static StaffUi, name: String, v: &ValueFigures) -> impl IntoView {
    let tag = v
        .placebo
        .then(|| view! { " " <span class="tag">{t.placebo_tag}</span> });
    let rank = |r: Option<u32>| r.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    let net = v
        .net_perception
        .map(|m| {
            format!(
                "{:+.0} [{:+.0}; {:+.0}]",
                100.0 * m.diff,
                100.0 * m.ci.lo,
                100.0 * m.ci.hi
            )
        })
        .unwrap_or_else(|| "—".into());
    view! {
        <tr>
            <th scope="row">{name}{tag}</th>
            <td>{if v.placebo { "—".to_string() } else { percent(v.weight) }}</td>
            <td>{rank(v.declared_rank)}</td>
            <td>{rank(v.perceived_rank)}</td>
            <td>{mean_cell(t, &v.importance, 1)}</td>
            <td>{mean_cell(t, &v.perception, 1)}</td>
            <td>{prop_cell(t, &v.perceived)}</td>
            <td>{net}</td>
            <td>{prop_cell(t, &v.shared)}</td>
            <td>{format!("{} / {}", v.missing.importance, v.missing.perception)}</td>
        </tr>
    }
}

pub(super) fn alignment_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let a = &r.alignment;
    let shown_mean = a.mean.mean.filter(|_| a.mean.base != Base::Suppressed);
    let sentence = (t.alignment_sentence)(
        shown_mean,
        a.mean
            .ci
            .filter(|_| shown_mean.is_some())
            .map(|c| (c.lo, c.hi)),
    );
    // The domain leaves the bins out under a base of 30.
    let suppressed = a.bins.is_none();
    let bins = a.bins.unwrap_or_default();
    let rows = bins
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let range = format!("{:.1}–{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0);
            let count = if suppressed {
                "—".to_string()
            } else {
                n.to_string()
            };
            view! { <tr><th scope="row">{range}</th><td>{count}</td></tr> }
        })
        .collect_view();
    let body = view! {
        <div class="chart-and-table">
            {alignment_chart(t, &bins, suppressed)}
            <table>
                <caption>{(t.base)(a.mean.n)}", "{(t.missing)(a.missing)}</caption>
                <thead><tr><th scope="col">{t.alignment_bin}</th><th scope="col">{t.respondents}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p>{mean_cell(t, &a.mean, 2)}</p>
    }
    .into_any();
    section("sec-alignment", t.sec_alignment, sentence, body)
}

/// The histogram of the alignment index by tenths; suppressed bins are drawn flat.
fn alignment_chart(t: &'static StaffUi, bins: &[u64; 10], suppressed: bool) -> impl IntoView {
    let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bars = bins
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let h = if suppressed { 0.0 } else { 120.0 * n as f64 / max };
            view! {
                <rect x=40.0 + 50.0 * i as f64 y=130.0 - h width="44" height=h fill=BLUE/>
                <text x=62.0 + 50.0 * i as f64 y="148" font-size="11" text-anchor="middle" fill="#1c2321">{format!("{:.1}", i as f64 / 10.0)}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox="0 0 560 160" role="img" aria-label=t.sec_alignment>
            <title>{t.sec_alignment}</title>
            <line x1="36" x2="540" y1="130" y2="130" stroke="#999999"/>
            {bars}
        </svg>
    }
}
