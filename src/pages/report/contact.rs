//! The contact section: contact fit by bond class, bond rates by how often customers are
//! in contact (with the trend tests), and estimated yearly contacts per class.

use leptos::prelude::*;

use super::charts::{bar_chart, BLUE};
use super::figures::{mean_cell, prop_cell, section, shown};
use crate::domain::report::{ContactSection, Report};
use crate::domain::stats::{Proportion, MIN_BASE};
use crate::i18n::StaffUi;

pub(super) fn contact_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let c = &r.contact;
    let independence = c
        .fit_independence
        .map(|x| view! { <p class="test">{(t.fit_independence)(x.chi2, x.dof, x.p)}</p> });
    let trends = [
        (t.values_bonded, c.values_trend),
        (t.contact_bonded, c.contact_trend),
    ]
    .into_iter()
    .filter_map(|(what, z)| {
        z.map(|z| view! { <p class="test">{(t.trend_test)(what, z.z, z.p)}</p> })
    })
    .collect_view();
    let yearly = c
        .annual_contacts
        .iter()
        .map(|m| view! { <tr><th scope="row">{(t.class_name)(m.class)}</th><td>{mean_cell(t, &m.mean, 0)}</td><td>{(t.missing)(m.missing)}</td></tr> })
        .collect_view();
    let body = view! {
        {fit_by_class(t, c)}
        {independence}
        {bonds_by_level(t, c)}
        {trends}
        <table>
            <caption>{t.yearly_contacts}</caption>
            <tbody>{yearly}</tbody>
        </table>
    }
    .into_any();
    section("sec-contact", t.sec_contact, contact_sentence(t, c), body)
}

/// The trend is cited only once the respondents across contact levels reach the minimum base.
fn contact_sentence(t: &'static StaffUi, c: &ContactSection) -> String {
    let over = c
        .fit
        .first()
        .and_then(|f| shown(&f.share))
        .map(|x| 100.0 * x);
    let trend = c
        .values_trend
        .filter(|_| c.by_level.iter().map(|l| l.values_bonded.n).sum::<u64>() >= MIN_BASE)
        .map(|z| (z.z, z.p));
    (t.contact_sentence)(over, trend)
}

fn fit_by_class(t: &'static StaffUi, c: &ContactSection) -> impl IntoView {
    let fit_header = c
        .fit
        .iter()
        .map(|f| view! { <th scope="col">{(t.fit_name)(f.fit)}</th> })
        .collect_view();
    let fit_all = c
        .fit
        .iter()
        .map(|f| view! { <td>{prop_cell(t, &f.share)}</td> })
        .collect_view();
    let fit_rows = c
        .fit_by_class
        .iter()
        .map(|row| {
            let cells = row
                .fit
                .iter()
                .map(|f| view! { <td>{prop_cell(t, &f.share)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{(t.class_name)(row.class)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <caption>{(t.missing)(c.fit_missing)}</caption>
                <thead><tr><th scope="col">{t.bond_class}</th>{fit_header}</tr></thead>
                <tbody>
                    <tr><th scope="row">{t.all_respondents}</th>{fit_all}</tr>
                    {fit_rows}
                </tbody>
            </table>
        </div>
    }
}

fn bonds_by_level(t: &'static StaffUi, c: &ContactSection) -> impl IntoView {
    let level_rows = c
        .by_level
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row">{t.frequency_levels[usize::from(l.level)]}</th>
                    <td>{l.values_bonded.n}</td>
                    <td>{prop_cell(t, &l.values_bonded)}</td>
                    <td>{prop_cell(t, &l.contact_bonded)}</td>
                </tr>
            }
        })
        .collect_view();
    let level_chart: Vec<(String, Proportion, &'static str)> = c
        .by_level
        .iter()
        .map(|l| {
            (
                t.frequency_levels[usize::from(l.level)].to_string(),
                l.values_bonded,
                BLUE,
            )
        })
        .collect();
    view! {
        <div class="chart-and-table">
            {bar_chart(format!("{} · {}", t.values_bonded, t.contact_level), level_chart)}
            <table>
                <caption>{(t.missing)(c.level_missing)}</caption>
                <thead><tr><th scope="col">{t.contact_level}</th><th scope="col">{t.table_n}</th><th scope="col">{t.values_bonded}</th><th scope="col">{t.contact_bonded}</th></tr></thead>
                <tbody>{level_rows}</tbody>
            </table>
        </div>
    }
}
