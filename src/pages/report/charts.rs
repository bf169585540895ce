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

/// Where a share's horizontal bar goes: from `x`, `width` for a share of 1, at `y`.
#[derive(Clone, Copy)]
struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

impl Bar {
    /// The share's bar with its 95% whisker across the middle and its percentage beyond
    /// the whisker (its baseline three quarters down the bar); nothing for a suppressed
    /// share.
    fn draw(&self, p: &Proportion, colour: &'static str) -> Option<impl IntoView> {
        let Bar {
            x,
            y,
            width,
            height,
        } = *self;
        shown(p).map(|v| {
            let ci = p.ci.unwrap_or(Interval { lo: v, hi: v });
            let middle = y + height / 2.0;
            view! {
                <rect x=x y=y width=(width * v).max(1.0) height=height fill=colour/>
                <line x1=x + width * ci.lo x2=x + width * ci.hi y1=middle y2=middle stroke="#1c2321" stroke-width="2"/>
                <text x=x + width * ci.hi + 6.0 y=y + 0.75 * height font-size="12" fill="#1c2321">{percent(v)}</text>
            }
        })
    }
}

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
            let bar = Bar {
                x: LABEL_W,
                y,
                width: BAR_W,
                height: ROW_H - 10.0,
            };
            view! {
                <text x=LABEL_W - 8.0 y=y + 15.0 font-size="12" text-anchor="end" fill="#1c2321">{name}</text>
                {bar.draw(&p, colour)}
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
                    let bar = Bar {
                        x: BAR_X,
                        y,
                        width: BAR_W,
                        height: 14.0,
                    };
                    view! {
                        <text x=BAR_X - 6.0 y=y + 11.0 font-size="11" text-anchor="end" fill="#1c2321">{tag}</text>
                        {bar.draw(&p, colour)}
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
