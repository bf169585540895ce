//! The CEB replication section: the share with a relationship with the brand and its
//! reasons, each against the CEB / HBR 2012 benchmark.

use leptos::prelude::*;

use super::figures::{prop_cell, section, shown};
use crate::domain::report::Report;
use crate::domain::stats::{Base, Proportion, ZTest};
use crate::i18n::StaffUi;

pub(super) fn ceb_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let c = &r.ceb;
    let reason = |key: &str| c.reasons.iter().find(|s| s.reason == key).map(|s| s.share);
    let sv = reason("shared_values");
    let fc = reason("frequent_contact");
    let sentence = (t.ceb_sentence)(
        shown(&c.relationship).map(|x| 100.0 * x),
        sv.as_ref().and_then(shown).map(|x| 100.0 * x),
        fc.as_ref().and_then(shown).map(|x| 100.0 * x),
    );
    let test = |z: Option<ZTest>, p: &Proportion| {
        z.filter(|_| p.base != Base::Suppressed)
            .map(|z| (t.vs_benchmark)(z.z, z.p))
            .unwrap_or_default()
    };
    let reasons = c
        .reasons
        .iter()
        .map(|s| {
            let (bench, z) = match s.reason {
                "shared_values" => ("64%", test(c.shared_values_vs_benchmark, &s.share)),
                "frequent_contact" => ("13%", test(c.frequent_contact_vs_benchmark, &s.share)),
                _ => ("", String::new()),
            };
            view! {
                <tr><th scope="row">{(t.reason_name)(s.reason)}</th><td>{prop_cell(t, &s.share)}</td><td>{bench}</td><td>{z}</td></tr>
            }
        })
        .collect_view();
    let body = view! {
        <table>
            <thead><tr><th scope="col"></th><th scope="col">{t.this_survey}</th><th scope="col">{t.benchmark}</th><th scope="col">"z, p"</th></tr></thead>
            <tbody>
                <tr>
                    <th scope="row">{t.relationship_yes}" ("{(t.base)(c.relationship.n)}", "{(t.missing)(c.relationship_missing)}")"</th>
                    <td>{prop_cell(t, &c.relationship)}</td><td>"23%"</td><td>{test(c.relationship_vs_benchmark, &c.relationship)}</td>
                </tr>
                {reasons}
            </tbody>
        </table>
    }
    .into_any();
    section("sec-ceb", t.sec_ceb, sentence, body)
}
