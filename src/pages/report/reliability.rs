//! The reliability section: Cronbach's α of both bond scales, weak ones flagged.

use leptos::prelude::*;

use super::figures::section;
use crate::domain::report::Report;
use crate::i18n::StaffUi;

pub(super) fn reliability_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let lines = [
        (t.values_bonded, &r.reliability.values_bond),
        (t.contact_bonded, &r.reliability.contact_bond),
    ]
    .into_iter()
    .map(|(name, s)| {
        let warn = s
            .weak
            .then(|| view! { <p class="warning">{t.alpha_weak}</p> });
        view! { <li>{(t.alpha_line)(name, s.alpha, s.items, s.complete_cases)}{warn}</li> }
    })
    .collect_view();
    let left_out = r
        .reliability
        .values_bond
        .other_item_set
        .max(r.reliability.contact_bond.other_item_set);
    let left_out =
        (left_out > 0).then(|| view! { <p class="note">{(t.alpha_other_items)(left_out)}</p> });
    let body = view! { <ul class="plain">{lines}</ul>{left_out} }.into_any();
    let scales = [&r.reliability.values_bond, &r.reliability.contact_bond];
    let sentence = (t.reliability_sentence)(
        scales
            .iter()
            .filter(|s| s.alpha.is_some() && !s.weak)
            .count(),
        scales.iter().filter(|s| s.weak).count(),
    );
    section("sec-reliability", t.sec_reliability, sentence, body)
}
