//! The reports list and the alignment report page: every figure with its base and 95%
//! interval, small bases suppressed or flagged, each section opened by a sentence built
//! from its numbers, charts as server-rendered SVG next to the tables they draw.

use leptos::prelude::*;

use crate::db::VersionSummary;
use crate::domain::report::{GroupDifference, OrderEffect, Period, Report};
use crate::domain::scoring::BondClass;
use crate::domain::stats::{Base, Mean, Nps, Proportion};
use crate::domain::{Construct, Locale, SurveyDefinition};
use crate::i18n::staff::{p_text, Sentence, TopValue};
use crate::i18n::{names, staff_ui, StaffUi};
use crate::reporting::{format_day, ReportQuery};

/// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
const BLUE: &str = "#0072B2";
const ORANGE: &str = "#E69F00";
const GREEN: &str = "#009E73";
const GREY: &str = "#999999";
const CLASS_COLOURS: [&str; 4] = [BLUE, GREEN, ORANGE, GREY];

pub struct ListedSurvey {
    pub href: String,
    pub slug: String,
    pub brand: String,
    pub status: String,
    pub completed: i64,
}

pub fn report_list_view(locale: Locale, surveys: Vec<ListedSurvey>) -> impl IntoView {
    let t = staff_ui(locale);
    let body = if surveys.is_empty() {
        view! { <p class="empty">{t.reports_empty}</p> }.into_any()
    } else {
        let items = surveys
            .into_iter()
            .map(|s| {
                let meta = format!(
                    "{} · {}",
                    (names(locale).status)(&s.status),
                    (t.completed_responses)(s.completed)
                );
                view! {
                    <li>
                        <a href=s.href><strong>{s.brand}</strong>" — "{s.slug}</a>
                        <span class="meta">{meta}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="report-list">{items}</ul> }.into_any()
    };
    view! {
        <section class="card">
            <h1 tabindex="-1">{t.reports_title}</h1>
            {body}
        </section>
    }
}

/// Who reads the report: staff get filters, exports and sharing; a share link reads only.
pub enum ReportMode {
    Staff(Sharing),
    Shared { expires: String },
}

/// The sharing card of a staff member's report: the expiry a new link gets by default,
/// the survey's working links, and what was just done.
pub struct Sharing {
    pub default_expiry: String,
    pub links: Vec<LiveShare>,
    pub revoked: bool,
}

/// A working share link as listed (dates already formatted as days).
pub struct LiveShare {
    pub id: String,
    pub created_by: String,
    pub filters: String,
    pub created: String,
    pub expires: String,
}

pub struct ReportPage<'a> {
    pub mode: ReportMode,
    pub locale: Locale,
    pub slug: String,
    pub def: &'a SurveyDefinition,
    pub versions: &'a [VersionSummary],
    pub query: &'a ReportQuery,
    pub report: &'a Report,
}

pub fn report_view(p: ReportPage<'_>) -> impl IntoView {
    let t = staff_ui(p.locale);
    let title = (t.report_title)(p.def.title.get(p.locale));
    let query = p.query.to_query();
    let export = |file: &str, extra: &str| {
        let q = [query.as_str(), extra]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        if q.is_empty() {
            format!("/reports/{}/{file}", p.slug)
        } else {
            format!("/reports/{}/{file}?{q}", p.slug)
        }
    };
    let json_href = export("report.json", "");
    let csv_href = export("responses.csv", "");
    let excel_href = export("responses.csv", "bom=1");
    let ignored = p
        .query
        .ignored
        .then(|| view! { <p class="notice" role="status">{t.filter_problem}</p> });
    let body = if p.report.responses == 0 {
        view! { <p class="empty">{t.no_responses}</p> }.into_any()
    } else {
        view! {
            {headline_section(t, p.report)}
            {ceb_section(t, p.report)}
            {values_section(t, p.locale, p.def, p.report)}
            {alignment_section(t, p.report)}
            {contact_section(t, p.report)}
            {outcomes_section(t, p.report)}
            {segments_section(t, p.locale, p.def, p.report)}
            {trends_section(t, p.report)}
            {reliability_section(t, p.report)}
        }
        .into_any()
    };
    let controls = match &p.mode {
        ReportMode::Staff(_) => view! {
            {filters_form(&p)}
            {ignored}
            <p class="report-actions no-print">
                <a href=json_href download="">{t.download_json}</a>
                " · "
                <a href=csv_href download="">{t.download_csv}</a>
                " · "
                <a href=excel_href download="">{t.download_excel}</a>
            </p>
        }
        .into_any(),
        ReportMode::Shared { expires } => {
            view! { <p class="notice">{(t.shared_notice)(expires)}</p> }.into_any()
        }
    };
    let share = match p.mode {
        ReportMode::Staff(sharing) => Some(share_card(t, &p.slug, query.clone(), sharing)),
        ReportMode::Shared { .. } => None,
    };
    view! {
        <div class="report">
            <h1 tabindex="-1">{title}</h1>
            {controls}
            {responses_section(t, p.report)}
            {body}
            {share}
        </div>
    }
}

fn share_card(t: &'static StaffUi, slug: &str, filters: String, sharing: Sharing) -> impl IntoView {
    let Sharing {
        default_expiry,
        links,
        revoked,
    } = sharing;
    let revoked = revoked.then(|| view! { <p class="notice" role="status">{t.share_revoked}</p> });
    let listed = if links.is_empty() {
        view! { <p class="empty">{t.share_none}</p> }.into_any()
    } else {
        // A list, not a table: it reads on a phone without sideways scrolling.
        let items = links
            .into_iter()
            .map(|l| {
                let filters = if l.filters.is_empty() {
                    view! { <span>{t.share_all_responses}</span> }.into_any()
                } else {
                    view! { <code>{l.filters}</code> }.into_any()
                };
                let label = (t.share_revoke_label)(&l.created_by, &l.created);
                view! {
                    <li class="share-link">
                        <dl>
                            <dt>{t.share_col_by}</dt><dd>{l.created_by}</dd>
                            <dt>{t.share_col_filters}</dt><dd>{filters}</dd>
                            <dt>{t.share_col_created}</dt><dd>{l.created}</dd>
                            <dt>{t.share_col_expires}</dt><dd>{l.expires}</dd>
                        </dl>
                        <form method="post" action=format!("/reports/{slug}/shares/revoke")>
                            <input type="hidden" name="share" value=l.id/>
                            <button type="submit" class="button secondary" aria-label=label>{t.share_revoke}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 id="share-live">{t.share_live_title}</h3>
            <ul class="share-links" aria-labelledby="share-live">{items}</ul>
        }
        .into_any()
    };
    view! {
        <section class="card no-print" aria-labelledby="share-title">
            <h2 id="share-title">{t.share_title}</h2>
            {revoked}
            <p>{t.share_lead}</p>
            <form method="post" action=format!("/reports/{slug}/share") class="filters">
                <input type="hidden" name="filters" value=filters/>
                <div class="filter">
                    <label for="share-expires">{t.share_expires}</label>
                    <input type="date" id="share-expires" name="expires" value=default_expiry required/>
                </div>
                <div class="filter">
                    <button type="submit" class="button secondary">{t.share_create}</button>
                </div>
            </form>
            {listed}
        </section>
    }
}

pub fn share_created_view(
    locale: Locale,
    url: String,
    expires: String,
    back: String,
) -> impl IntoView {
    let t = staff_ui(locale);
    let href = url.clone();
    view! {
        <section class="card" aria-labelledby="share-created">
            <h1 id="share-created" tabindex="-1">{t.share_created_title}</h1>
            <p>{(t.share_created_body)(&expires)}</p>
            <p><a class="share-url" href=href>{url}</a></p>
            <p><a class="button secondary" href=back>{t.share_back}</a></p>
        </section>
    }
}

// ---------------------------------------------------------------------------
// Filters (a GET form: works without JavaScript, gives a shareable URL)

fn filters_form(p: &ReportPage<'_>) -> impl IntoView {
    let t = staff_ui(p.locale);
    let q = p.query;
    let versions = p
        .versions
        .iter()
        .map(|v| {
            let checked = q.versions.contains(&v.id);
            view! {
                <label class="check">
                    <input type="checkbox" name="version" value=v.id.to_string() checked=checked/>
                    {(t.version_label)(v.version, v.completed)}
                </label>
            }
        })
        .collect_view();
    // (question key, question text, [(option key, option label)])
    type Segment = (String, String, Vec<(String, String)>);
    let segments: Vec<Segment> = p
        .def
        .questions_with(Construct::Segment)
        .map(|s| {
            (
                s.key.clone(),
                s.text.get(p.locale).to_string(),
                s.options
                    .iter()
                    .map(|o| (o.key.clone(), o.text.get(p.locale).to_string()))
                    .collect(),
            )
        })
        .collect();
    let segment_options = segments
        .iter()
        .map(|(key, text, _)| {
            let selected = q.segment.as_deref() == Some(key.as_str());
            view! { <option value=key.clone() selected=selected>{text.clone()}</option> }
        })
        .collect_view();
    let cut_groups = segments
        .iter()
        .map(|(key, text, options)| {
            let options = options
                .iter()
                .map(|(o, label)| {
                    let value = format!("{key}:{o}");
                    let selected = q.cut.as_ref().is_some_and(|(k, x)| k == key && x == o);
                    view! { <option value=value selected=selected>{label.clone()}</option> }
                })
                .collect_view();
            view! { <optgroup label=text.clone()>{options}</optgroup> }
        })
        .collect_view();
    let from = q.from_day.map(format_day).unwrap_or_default();
    let to = q.to_day.map(format_day).unwrap_or_default();
    let week = q.period == Some(Period::Week);
    view! {
        <form method="get" action=format!("/reports/{}", p.slug) class="filters card no-print" aria-label=t.filters data-enhance="">
            <input type="hidden" name="lang" value=p.locale.code()/>
            <fieldset class="filter versions">
                <legend>{t.version}</legend>
                <span class="hint">{t.all_versions}</span>
                {versions}
            </fieldset>
            <div class="filter">
                <label for="f-from">{t.from}</label>
                <input type="date" id="f-from" name="from" value=from/>
            </div>
            <div class="filter">
                <label for="f-to">{t.to}</label>
                <input type="date" id="f-to" name="to" value=to/>
            </div>
            <div class="filter">
                <label for="f-segment">{t.compare_segment}</label>
                <select id="f-segment" name="segment">
                    <option value="">{t.none}</option>
                    {segment_options}
                </select>
            </div>
            <div class="filter">
                <label for="f-cut">{t.only_group}</label>
                <select id="f-cut" name="cut">
                    <option value="">{t.everyone}</option>
                    {cut_groups}
                </select>
            </div>
            <div class="filter">
                <label for="f-period">{t.period}</label>
                <select id="f-period" name="period">
                    <option value="month" selected=!week>{t.by_month}</option>
                    <option value="week" selected=week>{t.by_week}</option>
                </select>
            </div>
            <div class="filter">
                <button type="submit" class="button primary">{t.apply}</button>
            </div>
        </form>
    }
}

// ---------------------------------------------------------------------------
// Figures

fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// "62% [58–66%]" with n, or a suppression note for bases under 30.
/// One figure with its interval, or — for a base under 30 or no figure — a dash whose
/// accessible text says why; bases under 100 carry a "low base" flag.
fn figure_cell(t: &StaffUi, n: u64, base: Base, shown: Option<(String, String)>) -> AnyView {
    match shown.filter(|_| base != Base::Suppressed) {
        None => view! {
            <span class="suppressed" title=(t.too_few)(n)>"—"<span class="sr-only">{(t.too_few)(n)}</span></span>
        }
        .into_any(),
        Some((figure, interval)) => {
            let flag = (base == Base::Low).then(|| view! { " " <span class="low-base">{t.low_base}</span> });
            view! { <span class="figure">{figure}</span>" "<span class="ci">{interval}</span>{flag} }.into_any()
        }
    }
}

/// "62% [58–66%]".
fn prop_cell(t: &StaffUi, p: &Proportion) -> AnyView {
    let shown = p.p.zip(p.ci).map(|(share, ci)| {
        (
            percent(share),
            format!("[{:.0}–{:.0}%]", 100.0 * ci.lo, 100.0 * ci.hi),
        )
    });
    figure_cell(t, p.n, p.base, shown)
}

/// "5.3 [5.1–5.5]" with `digits` decimals.
fn mean_cell(t: &StaffUi, m: &Mean, digits: usize) -> AnyView {
    let shown = m.mean.map(|mean| {
        let interval =
            m.ci.map(|ci| format!("[{:.*}–{:.*}]", digits, ci.lo, digits, ci.hi))
                .unwrap_or_default();
        (format!("{mean:.digits$}"), interval)
    });
    figure_cell(t, m.n, m.base, shown)
}

/// "25 [17; 33]".
fn nps_cell(t: &StaffUi, n: &Nps) -> AnyView {
    let shown = n.score.zip(n.ci).map(|(score, ci)| {
        (
            format!("{score:.0}"),
            format!("[{:.0}; {:.0}]", ci.lo, ci.hi),
        )
    });
    figure_cell(t, n.n, n.base, shown)
}

fn shown(p: &Proportion) -> Option<f64> {
    (p.base != Base::Suppressed).then_some(p.p).flatten()
}

/// Horizontal bars with 95% whiskers; suppressed shares are drawn as absent.
fn bar_chart(label: String, rows: Vec<(String, Proportion, &'static str)>) -> impl IntoView {
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
                let ci = p.ci.unwrap_or(crate::domain::stats::Interval { lo: v, hi: v });
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

fn section(
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

fn headline_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let h = &r.headline;
    let sentence = match (
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
    };
    let chart_rows = vec![
        (t.values_bonded.to_string(), h.values_bonded, BLUE),
        (t.contact_bonded.to_string(), h.contact_bonded, ORANGE),
    ];
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
    let paired = h
        .paired
        .filter(|_| h.values_bonded.base != Base::Suppressed)
        .map(|m| view! { <p class="test">{(t.paired_test)(m.diff, m.ci.lo, m.ci.hi, m.p, m.exact)}</p> });
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
    let insufficient = (h.insufficient > 0)
        .then(|| view! { <p class="note">{(t.insufficient)(h.insufficient)}</p> });
    let by_order = r.order_effect.as_ref().map(|e| order_effect_view(t, e));
    let body = view! {
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
        {paired}
        <div class="chart-and-table">
            {bar_chart(t.bond_class.to_string(), class_rows)}
            <table>
                <caption>{t.bond_class}</caption>
                <tbody>{class_table}</tbody>
            </table>
        </div>
        <table>
            <caption>{t.among_bonded}" ("{(t.base)(h.values_led.n)}")"</caption>
            <tbody>
                <tr><th scope="row">{t.values_led}</th><td>{prop_cell(t, &h.values_led)}</td></tr>
                <tr><th scope="row">{t.contact_led}</th><td>{prop_cell(t, &h.contact_led)}</td></tr>
                <tr><th scope="row">{t.tied}</th><td>{prop_cell(t, &h.tied)}</td></tr>
            </tbody>
        </table>
        {insufficient}
        {by_order}
    }
    .into_any();
    section("sec-headline", t.sec_headline, sentence, body)
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

fn ceb_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let c = &r.ceb;
    let reason = |key: &str| c.reasons.iter().find(|s| s.reason == key).map(|s| s.share);
    let sv = reason("shared_values");
    let fc = reason("frequent_contact");
    let sentence = (t.ceb_sentence)(
        shown(&c.relationship).map(|x| 100.0 * x),
        sv.as_ref().and_then(shown).map(|x| 100.0 * x),
        fc.as_ref().and_then(shown).map(|x| 100.0 * x),
    );
    let test = |z: Option<crate::domain::stats::ZTest>, p: &Proportion| {
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

fn values_section(
    t: &'static StaffUi,
    locale: Locale,
    def: &SurveyDefinition,
    r: &Report,
) -> impl IntoView {
    let label = |key: &str| {
        def.brand
            .values
            .iter()
            .find(|v| v.key == key)
            .map(|v| v.label.get(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    };
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
    let sentence = (t.values_sentence)(top, placebo);
    let gap = r.values.say_do_gap;
    let rows = r
        .values
        .values
        .iter()
        .map(|v| {
            let name = label(&v.key);
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
        })
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
        {gap.then(|| view! { <p class="note">{t.say_do_gap}</p> })}
    }
    .into_any();
    section("sec-values", t.sec_values, sentence, body)
}

fn alignment_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
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
    let total = a.mean.n;
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
            <svg class="chart" viewBox="0 0 560 160" role="img" aria-label=t.sec_alignment>
                <title>{t.sec_alignment}</title>
                <line x1="36" x2="540" y1="130" y2="130" stroke="#999999"/>
                {bars}
            </svg>
            <table>
                <caption>{(t.base)(total)}", "{(t.missing)(a.missing)}</caption>
                <thead><tr><th scope="col">{t.alignment_bin}</th><th scope="col">{t.respondents}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p>{mean_cell(t, &a.mean, 2)}</p>
    }
    .into_any();
    section("sec-alignment", t.sec_alignment, sentence, body)
}

fn contact_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let c = &r.contact;
    let over = c
        .fit
        .first()
        .and_then(|f| shown(&f.share))
        .map(|x| 100.0 * x);
    let trend = c
        .values_trend
        .filter(|_| {
            c.by_level.iter().map(|l| l.values_bonded.n).sum::<u64>()
                >= crate::domain::stats::MIN_BASE
        })
        .map(|z| (z.z, z.p));
    let sentence = (t.contact_sentence)(over, trend);
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
    let independence = c
        .fit_independence
        .map(|x| view! { <p class="test">{(t.fit_independence)(x.chi2, x.dof, x.p)}</p> });
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
        {independence}
        <div class="chart-and-table">
            {bar_chart(format!("{} · {}", t.values_bonded, t.contact_level), level_chart)}
            <table>
                <caption>{(t.missing)(c.level_missing)}</caption>
                <thead><tr><th scope="col">{t.contact_level}</th><th scope="col">{t.table_n}</th><th scope="col">{t.values_bonded}</th><th scope="col">{t.contact_bonded}</th></tr></thead>
                <tbody>{level_rows}</tbody>
            </table>
        </div>
        {trends}
        <table>
            <caption>{t.yearly_contacts}</caption>
            <tbody>{yearly}</tbody>
        </table>
    }
    .into_any();
    section("sec-contact", t.sec_contact, sentence, body)
}

fn outcomes_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
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

fn segments_section(
    t: &'static StaffUi,
    locale: Locale,
    def: &SurveyDefinition,
    r: &Report,
) -> impl IntoView {
    let Some(seg) = &r.segments else {
        return section(
            "sec-segments",
            t.sec_segments,
            t.segments_hint.to_string(),
            ().into_any(),
        );
    };
    let question = def.question(&seg.key);
    let label = |option: &str| {
        question
            .and_then(|q| q.options.iter().find(|o| o.key == option))
            .map(|o| o.text.get(locale).to_string())
            .unwrap_or_else(|| option.to_string())
    };
    let significant = seg.comparisons.iter().filter(|c| c.p_holm < 0.05).count();
    let sentence = (t.segments_sentence)(significant, seg.comparisons.len());
    let groups = seg
        .groups
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{label(&g.option)}</th>
                    <td>{g.headline.scored}</td>
                    <td>{prop_cell(t, &g.headline.values_bonded)}</td>
                    <td>{prop_cell(t, &g.headline.contact_bonded)}</td>
                    <td>{prop_cell(t, &g.relationship)}</td>
                    <td>{nps_cell(t, &g.nps)}</td>
                </tr>
            }
        })
        .collect_view();
    let any_fisher = seg.comparisons.iter().any(|c| c.fisher);
    let no_events = seg
        .no_events
        .iter()
        .map(|&m| view! { <p class="note">{(t.no_events)((t.measure_name)(m))}</p> })
        .collect_view();
    let comparisons = seg
        .comparisons
        .iter()
        .map(|c| {
            let star = if c.fisher { "*" } else { "" };
            view! {
                <tr>
                    <th scope="row">{label(&c.option)}</th>
                    <td>{(t.measure_name)(c.measure)}</td>
                    <td>{format!("{:+.1} [{:.1}; {:.1}]", 100.0 * c.diff, 100.0 * c.ci.lo, 100.0 * c.ci.hi)}</td>
                    <td>{format!("{}{star}", p_text(c.p))}</td>
                    <td>{p_text(c.p_holm)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = question
        .map(|q| q.text.get(locale).to_string())
        .unwrap_or_else(|| seg.key.clone());
    let body = view! {
        <div class="table-scroll">
            <table>
                <caption>{title}" ("{(t.missing)(seg.missing)}")"</caption>
                <thead><tr>
                    <th scope="col">{t.group}</th><th scope="col">{t.table_n}</th><th scope="col">{t.values_bonded}</th>
                    <th scope="col">{t.contact_bonded}</th><th scope="col">{t.relationship_yes}</th><th scope="col">{t.nps}</th>
                </tr></thead>
                <tbody>{groups}</tbody>
            </table>
        </div>
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.group}</th><th scope="col"></th><th scope="col">{t.difference}</th>
                    <th scope="col">{t.p_value}</th><th scope="col">{t.p_holm}</th>
                </tr></thead>
                <tbody>{comparisons}</tbody>
            </table>
        </div>
        {any_fisher.then(|| view! { <p class="note">{t.fisher_note}</p> })}
        {no_events}
    }
    .into_any();
    section("sec-segments", t.sec_segments, sentence, body)
}

fn trends_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
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

fn reliability_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
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

fn responses_section(t: &'static StaffUi, r: &Report) -> impl IntoView {
    let f = &r.funnel;
    let sentence = (t.responses_sentence)(f.started, f.completed);
    let rows = f
        .stopped_on_page
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(page, n)| view! { <tr><th scope="row">{(t.stopped_on_page)(page + 1)}</th><td>{*n}</td></tr> })
        .collect_view();
    let body = view! { <table><tbody>{rows}</tbody></table> }.into_any();
    section("sec-responses", t.sec_responses, sentence, body)
}
