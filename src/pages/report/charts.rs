//! The report's bar chart (server-rendered SVG, drawn next to the table it shows) and the
//! colours of its charts.

use leptos::prelude::*;

use super::figures::{percent, shown};
use crate::domain::stats::{Interval, Proportion};

/// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
pub(super) const BLUE: &str = "#0072B2";
pub(super) const ORANGE: &str = "#E69F00";
const GREEN: &str = "#009E73";
const GREY: &str = "#999999";
pub(super) const CLASS_COLOURS: [&str; 4] = [BLUE, GREEN, ORANGE, GREY];

/// Horizontal bars with 95% whiskers; suppressed shares are drawn as absent.
pub(super) fn bar_chart(
    label: String,
    rows: Vec<(String, Proportion, &'static str)>,
) -> impl IntoView {
    const LABEL_W: f64 = 190.0;
    const BAR_W: f64 = 300.0;
    const ROW_H: f64 = 30.0;
    let height = ROW_H * rows.len() as f64 + 24.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (name, p, colour))| {
            let y = 8.0 + ROW_H * i as f64;
            let value = shown(&p);
            let bar = value.map(|v| {
                let ci = p.ci.unwrap_or(Interval { lo: v, hi: v });
                view! {
                    <rect x=LABEL_W y=y width=(BAR_W * v).max(1.0) height=ROW_H - 10.0 fill=colour/>
                    <line x1=LABEL_W + BAR_W * ci.lo x2=LABEL_W + BAR_W * ci.hi y1=y + 10.0 y2=y + 10.0 stroke="#1c2321" stroke-width="2"/>
                    <text x=LABEL_W + BAR_W * ci.hi + 6.0 y=y + 15.0 font-size="12" fill="#1c2321">{percent(v)}</text>
                }
            });
            view! {
                <text x=LABEL_W - 8.0 y=y + 15.0 font-size="12" text-anchor="end" fill="#1c2321">{name}</text>
                {bar}
            }
        })
        .collect_view();
    let aria = label.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 560 {height}") role="img" aria-label=aria preserveAspectRatio="xMinYMin meet">
            <title>{label}</title>
            <line x1=LABEL_W x2=LABEL_W y1="0" y2=height - 16.0 stroke="#999999"/>
            {bars}
        </svg>
    }
}

/// Two waves of each figure side by side: the figure's name on a line of its own (names
/// are long: "Perceives “Protecting the environment”"), then the first wave's bar (blue,
/// "1") and the second's (orange, "2"), each with its 95% whisker; suppressed shares are
/// drawn as absent.
pub(super) fn paired_chart(
    label: String,
    legend: [&'static str; 2],
    rows: Vec<(String, [Proportion; 2])>,
) -> impl IntoView {
    const BAR_X: f64 = 24.0;
    const BAR_W: f64 = 460.0;
    const GROUP_H: f64 = 58.0;
    const TOP: f64 = 28.0;
    let height = TOP + GROUP_H * rows.len() as f64;
    let groups = rows
        .into_iter()
        .enumerate()
        .map(|(i, (name, pair))| {
            let y = TOP + GROUP_H * i as f64;
            let bars = pair
                .into_iter()
                .zip([(BLUE, "1"), (ORANGE, "2")])
                .enumerate()
                .map(|(j, (p, (colour, tag)))| {
                    let y = y + 18.0 + 18.0 * j as f64;
                    let bar = shown(&p).map(|v| {
                        let ci = p.ci.unwrap_or(Interval { lo: v, hi: v });
                        view! {
                            <rect x=BAR_X y=y width=(BAR_W * v).max(1.0) height="14" fill=colour/>
                            <line x1=BAR_X + BAR_W * ci.lo x2=BAR_X + BAR_W * ci.hi y1=y + 7.0 y2=y + 7.0 stroke="#1c2321" stroke-width="2"/>
                            <text x=BAR_X + BAR_W * ci.hi + 6.0 y=y + 11.0 font-size="12" fill="#1c2321">{percent(v)}</text>
                        }
                    });
                    view! {
                        <text x=BAR_X - 6.0 y=y + 11.0 font-size="11" text-anchor="end" fill="#1c2321">{tag}</text>
                        {bar}
                    }
                })
                .collect_view();
            view! {
                <text x="0" y=y + 12.0 font-size="13" font-weight="600" fill="#1c2321">{name}</text>
                {bars}
            }
        })
        .collect_view();
    let aria = label.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 560 {height}") role="img" aria-label=aria preserveAspectRatio="xMinYMin meet">
            <title>{label}</title>
            <rect x="0" y="4" width="12" height="12" fill=BLUE/>
            <text x="18" y="14" font-size="12" fill="#1c2321">{format!("1 = {}", legend[0])}</text>
            <rect x="200" y="4" width="12" height="12" fill=ORANGE/>
            <text x="218" y="14" font-size="12" fill="#1c2321">{format!("2 = {}", legend[1])}</text>
            {groups}
        </svg>
    }
}
