//! The trends section: both bond shares per week or month.

use leptos::prelude::*;

use super::figures::{prop_cell, section};
use crate::domain::report::Report;
use crate::i18n::StaffUi;

pub(super) fn trends_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let sentence = (t.trends_sentence)(r.trends.len());
    let rows = r
        .trends
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.starts.clone()}</th>
                    <td>{p.values_bonded.n}</td>
                    <td>{prop_cell(t, &p.values_bonded)}</td>
                    <td>{prop_cell(t, &p.contact_bonded)}</td>
                    <td>{p.missing}</td>
                </tr>
            }
        })
        .collect_view();
    let body = view! {
        <div class="table-scroll">
            <table>
                <thead><tr><th scope="col">{t.period_start}</th><th scope="col">{t.table_n}</th><th scope="col">{t.values_bonded}</th><th scope="col">{t.contact_bonded}</th><th scope="col">{t.missing_scores}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    section("sec-trends", t.sec_trends, sentence, body)
}
