//! How one figure is shown: a share, mean or NPS with its 95% interval, a dash for a
//! suppressed base, a flag on a low one; and the card every section is drawn in.

use leptos::prelude::*;

use crate::domain::stats::{Base, Mean, Nps, Proportion};
use crate::i18n::StaffUi;

pub(super) fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// One figure with its interval, or — for a base under 30 or no figure — a dash whose
/// accessible text says why; bases under 100 carry a "low base" flag, weighted figures
/// their effective size (the interval rests on it).
fn figure_cell(
    t: &StaffUi,
    (n, n_eff): (u64, Option<f64>),
    base: Base,
    shown: Option<(String, String)>,
) -> AnyView {
    match shown.filter(|_| base != Base::Suppressed) {
        None => view! {
            <span class="suppressed" title=(t.too_few)(n)>"—"<span class="sr-only">{(t.too_few)(n)}</span></span>
        }
        .into_any(),
        Some((figure, interval)) => {
            let flag = (base == Base::Low).then(|| view! { " " <span class="low-base">{t.low_base}</span> });
            let effective = n_eff.map(|e| view! { " " <span class="n-eff">"n"<sub>"eff"</sub>{format!(" = {e:.0}")}</span> });
            view! { <span class="figure">{figure}</span>" "<span class="ci">{interval}</span>{effective}{flag} }.into_any()
        }
    }
}

/// "62% [58–66%]".
pub(super) fn prop_cell(t: &StaffUi, p: &Proportion) -> AnyView {
    let shown = p.p.zip(p.ci).map(|(share, ci)| {
        (
            percent(share),
            format!("[{:.0}–{:.0}%]", 100.0 * ci.lo, 100.0 * ci.hi),
        )
    });
    figure_cell(t, (p.n, p.n_eff), p.base, shown)
}

/// "5.3 [5.1–5.5]" with `digits` decimals.
pub(super) fn mean_cell(t: &StaffUi, m: &Mean, digits: usize) -> AnyView {
    let shown = m.mean.map(|mean| {
        let interval =
            m.ci.map(|ci| format!("[{:.*}–{:.*}]", digits, ci.lo, digits, ci.hi))
                .unwrap_or_default();
        (format!("{mean:.digits$}"), interval)
    });
    figure_cell(t, (m.n, m.n_eff), m.base, shown)
}

/// "25 [17; 33]".
pub(super) fn nps_cell(t: &StaffUi, n: &Nps) -> AnyView {
    let shown = n.score.zip(n.ci).map(|(score, ci)| {
        (
            format!("{score:.0}"),
            format!("[{:.0}; {:.0}]", ci.lo, ci.hi),
        )
    });
    figure_cell(t, (n.n, n.n_eff), n.base, shown)
}

/// The share, unless its base is suppressed: what sentences and charts may show.
pub(super) fn shown(p: &Proportion) -> Option<f64> {
    (p.base != Base::Suppressed).then_some(p.p).flatten()
}

pub(super) fn section(
    id: &'static str,
    title: &'static str,
    sentence: String,
    body: AnyView,
) -> impl IntoView {
    view! {
        <section class="card report-section" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <p class="sentence">{sentence}</p>
            {body}
        </section>
    }
}
