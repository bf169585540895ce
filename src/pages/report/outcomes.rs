//! The outcomes section: NPS, advocacy, voice and story recall by bond class.

use leptos::prelude::*;

use super::figures::{mean_cell, nps_cell, prop_cell, section};
use crate::domain::report::Report;
use crate::domain::scoring::BondClass;
use crate::domain::stats::Base;
use crate::i18n::StaffUi;

pub(super) fn outcomes_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let of = |class: BondClass| r.outcomes.iter().find(|o| o.class == Some(class));
    let nps_of =
        |class| of(class).and_then(|o| o.nps.score.filter(|_| o.nps.base != Base::Suppressed));
    let sentence = (t.outcomes_sentence)(
        nps_of(BondClass::ValuesOnly),
        nps_of(BondClass::ContactOnly),
    );
    let rows = r
        .outcomes
        .iter()
        .map(|o| {
            let name = o
                .class
                .map(|c| (t.class_name)(c))
                .unwrap_or(t.all_respondents);
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{o.nps.n}</td>
                    <td>{nps_cell(t, &o.nps)}</td>
                    <td>{prop_cell(t, &o.advocacy)}</td>
                    <td>{mean_cell(t, &o.voice, 1)}</td>
                    <td>{prop_cell(t, &o.story_recall)}</td>
                    <td>{format!("{} / {} / {} / {}", o.missing.nps, o.missing.advocacy, o.missing.voice, o.missing.story_recall)}</td>
                </tr>
            }
        })
        .collect_view();
    let body = view! {
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.bond_class}</th><th scope="col">{t.table_n}</th><th scope="col">{t.nps}</th>
                    <th scope="col">{t.advocacy}</th><th scope="col">{t.voice}</th><th scope="col">{t.story_recall}</th>
                    <th scope="col">{t.missing_outcomes}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    section("sec-outcomes", t.sec_outcomes, sentence, body)
}
