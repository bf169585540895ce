//! The "What customers said" page of a report (staff only: a share link never reaches
//! it): a GET form of the section's filters (the report's own are carried along), the
//! answers newest first with their codes and suggestions as plain POST forms, paging
//! links, and each code's share of coded answers by bond class.

use leptos::prelude::*;

use super::figures::prop_cell;
use crate::domain::listening::{times_as_often, Code, CodeShare, MAX_SEARCH_CHARS};
use crate::domain::report::CLASSES;
use crate::domain::scoring::BondClass;
use crate::domain::stats::shown;
use crate::domain::zone::SurveyZone;
use crate::domain::{Locale, SurveyDefinition};
use crate::i18n::{listening_ui, staff_ui, ListeningUi};
use crate::pages::with_query;
use crate::reporting::{format_cursor, format_day, HeardAnswer, Listening};

pub struct ListeningPage<'a> {
    pub locale: Locale,
    pub slug: String,
    pub def: &'a SurveyDefinition,
    pub zone: &'a SurveyZone,
    /// The report's filters, as query pairs and as a query string.
    pub report_pairs: Vec<(String, String)>,
    pub listening: &'a Listening,
    /// Admins may switch masking off and on.
    pub admin: bool,
}

impl ListeningPage<'_> {
    fn path(&self) -> String {
        format!("/reports/{}/listening", self.slug)
    }

    /// The report's filters and the section's (without the cursor).
    fn query(&self) -> String {
        let report = serde_urlencoded::to_string(&self.report_pairs).unwrap_or_default();
        [report, self.listening.query.to_query()]
            .into_iter()
            .filter(|q| !q.is_empty())
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// A code as a reader reads it: the value's label, or "Theme: …".
pub fn code_label(def: &SurveyDefinition, locale: Locale, code: &str) -> String {
    match Code::parse(code) {
        Some(Code::Value(key)) => def
            .brand
            .value(&key)
            .map_or(key, |v| v.label.get(locale).to_string()),
        Some(Code::Theme(theme)) => (listening_ui(locale).theme)(&theme),
        None => code.to_string(),
    }
}

pub fn listening_view(p: ListeningPage<'_>) -> impl IntoView {
    let l = listening_ui(p.locale);
    let report_href = with_query(
        &format!("/reports/{}", p.slug),
        &serde_urlencoded::to_string(&p.report_pairs).unwrap_or_default(),
    );
    let title = format!("{} · {}", l.title, p.def.title.get(p.locale));
    let body = answers_part(&p);
    view! {
        <div class="report listening">
            <h1 tabindex="-1">{title}</h1>
            <p>{l.lead}</p>
            <p class="no-print"><a href=report_href>{l.back_to_report}</a></p>
            {filters_form(&p)}
            {masking_part(&p)}
            {body}
            {shares_part(&p)}
        </div>
    }
}

fn filters_form(p: &ListeningPage<'_>) -> impl IntoView {
    let l = listening_ui(p.locale);
    let t = staff_ui(p.locale);
    let q = &p.listening.query;
    let hidden = p
        .report_pairs
        .iter()
        .map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone()/> })
        .collect_view();
    let classes = CLASSES
        .iter()
        .map(|&c| {
            view! { <option value=c.as_str() selected=q.class == Some(c)>{(t.class_name)(c)}</option> }
        })
        .collect_view();
    let typed = q
        .search
        .as_ref()
        .map(|s| s.typed.clone())
        .unwrap_or_default();
    view! {
        <form method="get" action=p.path() class="filters card no-print" aria-label=l.title>
            <input type="hidden" name="lang" value=p.locale.code()/>
            {hidden}
            <div class="filter">
                <label for="l-class">{l.class_label}</label>
                <select id="l-class" name="class">
                    <option value="">{l.all_classes}</option>
                    {classes}
                </select>
            </div>
            <div class="filter">
                <label for="l-q">{l.search_label}</label>
                <input type="search" id="l-q" name="q" value=typed maxlength=MAX_SEARCH_CHARS.to_string() aria-describedby="l-q-hint"/>
                <span class="hint" id="l-q-hint">{l.search_hint}</span>
            </div>
            <div class="filter">
                <button type="submit" class="button primary">{l.apply}</button>
            </div>
        </form>
    }
}

/// Whether contact details are masked, and (admins) the switch.
fn masking_part(p: &ListeningPage<'_>) -> impl IntoView {
    let l = listening_ui(p.locale);
    let masked = p.listening.masked;
    let note = if masked {
        l.masked_note
    } else {
        l.unmasked_note
    };
    let switch = p.admin.then(|| {
        let (value, label) = if masked {
            ("0", l.turn_masking_off)
        } else {
            ("1", l.turn_masking_on)
        };
        view! {
            <form method="post" action=format!("{}/masking", p.path()) class="inline-form no-print">
                <input type="hidden" name="masked" value=value/>
                <input type="hidden" name="back" value=p.query()/>
                <button type="submit" class="button secondary">{label}</button>
            </form>
        }
    });
    view! { <p class="notice" id="masking">{note}</p>{switch} }
}

fn answers_part(p: &ListeningPage<'_>) -> AnyView {
    let l = listening_ui(p.locale);
    let heard = p.listening;
    if !shown(heard.base) {
        return view! { <p class="empty" role="status">{(l.too_few)(heard.base)}</p> }.into_any();
    }
    let base = view! { <p role="status">{(l.base)(heard.base)}</p> };
    let limited = heard
        .scan_limited
        .then(|| view! { <p class="notice">{(l.scan_limited)(crate::reporting::MAX_SCAN)}</p> });
    let list = if heard.answers.is_empty() {
        view! { <p class="empty">{l.empty}</p> }.into_any()
    } else {
        let items = heard
            .answers
            .iter()
            .map(|a| answer_item(p, a))
            .collect_view();
        view! { <ol class="heard" aria-label=l.title>{items}</ol> }.into_any()
    };
    let query = p.query();
    let newest = heard
        .query
        .before
        .is_some()
        .then(|| view! { <a href=with_query(&p.path(), &query)>{l.newest}</a> });
    let older = heard.older.as_ref().map(|c| {
        let q = [query.clone(), format!("before={}", format_cursor(c))]
            .into_iter()
            .filter(|q| !q.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        view! { " " <a href=with_query(&p.path(), &q) rel="next">{l.older}</a> }
    });
    view! {
        <section class="card" aria-labelledby="heard-title">
            <h2 id="heard-title">{l.title}</h2>
            {base}
            {limited}
            {list}
            <nav class="pager no-print" aria-label=l.title>{newest}{older}</nav>
        </section>
    }
    .into_any()
}

fn answer_item(p: &ListeningPage<'_>, a: &HeardAnswer) -> impl IntoView {
    let l = listening_ui(p.locale);
    let t = staff_ui(p.locale);
    let question = p.def.question(&a.question_key).map_or_else(
        || a.question_key.clone(),
        |q| q.text.get(p.locale).to_string(),
    );
    let segments = a
        .segments
        .iter()
        .map(|(k, o)| {
            let q = p.def.question(k);
            let label = q.map_or_else(|| k.clone(), |q| q.text.get(p.locale).to_string());
            let option = q
                .and_then(|q| q.options.iter().find(|x| &x.key == o))
                .map_or_else(|| o.clone(), |x| x.text.get(p.locale).to_string());
            format!("{label}: {option}")
        })
        .collect::<Vec<_>>()
        .join("; ");
    let id = format!("a-{}-{}", a.respondent_id, a.question_key);
    view! {
        <li class="heard-answer" id=id>
            <p class="question">{question}</p>
            <blockquote>{a.text.clone()}</blockquote>
            <dl class="meta">
                <dt>{l.completed_on}</dt><dd>{format_day(p.zone.day_of(a.completed_at))}</dd>
                <dt>{l.class}</dt><dd>{(t.class_name)(a.class)}</dd>
                <dt>{l.segments}</dt><dd>{segments}</dd>
            </dl>
            {coding(p, a)}
        </li>
    }
}

/// One POST form with hidden fields naming the answer: the button does `action` on `code`.
fn code_button(
    p: &ListeningPage<'_>,
    a: &HeardAnswer,
    (action, code): (&'static str, &str),
    (text, label): (String, String),
) -> impl IntoView {
    view! {
        <form method="post" action=format!("{}/code", p.path()) class="inline-form">
            <input type="hidden" name="respondent" value=a.respondent_id.to_string()/>
            <input type="hidden" name="question" value=a.question_key.clone()/>
            <input type="hidden" name="code" value=code.to_string()/>
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="back" value=p.query()/>
            <button type="submit" class="button secondary small" aria-label=label>{text}</button>
        </form>
    }
}

fn coding(p: &ListeningPage<'_>, a: &HeardAnswer) -> impl IntoView {
    let l = listening_ui(p.locale);
    let label = |c: &str| code_label(p.def, p.locale, c);
    let codes = if a.codes.is_empty() {
        view! { <p class="hint">{l.no_codes}</p> }.into_any()
    } else {
        let items = a
            .codes
            .iter()
            .map(|c| {
                let button = code_button(p, a, ("remove", c), ("×".into(), (l.remove)(&label(c))));
                view! { <li><span class="code">{label(c)}</span>" "{button}</li> }
            })
            .collect_view();
        view! { <ul class="codes">{items}</ul> }.into_any()
    };
    let suggestions = (!a.suggestions.is_empty()).then(|| {
        let items = a
            .suggestions
            .iter()
            .map(|c| {
                let name = label(c);
                let confirm = code_button(p, a, ("confirm", c), ("✓".into(), (l.confirm)(&name)));
                let reject = code_button(p, a, ("reject", c), ("✗".into(), (l.reject)(&name)));
                view! { <li><span class="code suggested">{name}</span>" "{confirm}{reject}</li> }
            })
            .collect_view();
        view! { <p class="hint">{l.suggested}</p><ul class="codes">{items}</ul> }
    });
    view! {
        <div class="coding" role="group" aria-label=l.codes>
            {codes}
            {suggestions}
            {add_code_form(p, a)}
        </div>
    }
}

fn add_code_form(p: &ListeningPage<'_>, a: &HeardAnswer) -> impl IntoView {
    let l = listening_ui(p.locale);
    let base = format!("c-{}-{}", a.respondent_id, a.question_key);
    let values = p
        .listening
        .codes
        .iter()
        .filter(|c| c.starts_with("value:") && !a.codes.contains(c))
        .map(|c| view! { <option value=c.clone()>{code_label(p.def, p.locale, c)}</option> })
        .collect_view();
    view! {
        <form method="post" action=format!("{}/code", p.path()) class="inline-form add-code no-print">
            <input type="hidden" name="respondent" value=a.respondent_id.to_string()/>
            <input type="hidden" name="question" value=a.question_key.clone()/>
            <input type="hidden" name="action" value="confirm"/>
            <input type="hidden" name="back" value=p.query()/>
            <label for=format!("{base}-code")>{l.add_code}</label>
            <select id=format!("{base}-code") name="code">
                {values}
                <option value="theme">{l.theme_option}</option>
            </select>
            <label for=format!("{base}-theme")>{l.theme_label}</label>
            <input type="text" id=format!("{base}-theme") name="theme" maxlength="60"/>
            <button type="submit" class="button secondary small">{l.add}</button>
        </form>
    }
}

fn shares_part(p: &ListeningPage<'_>) -> impl IntoView {
    let l = listening_ui(p.locale);
    let t = staff_ui(p.locale);
    let coded = p
        .listening
        .shares
        .iter()
        .any(|s| s.by_class.iter().any(|(_, share)| share.n > 0));
    let body = if coded {
        let header = CLASSES
            .iter()
            .map(|&c| view! { <th scope="col">{(t.class_name)(c)}</th> })
            .collect_view();
        let rows = p
            .listening
            .shares
            .iter()
            .map(|s| share_row(p, l, s))
            .collect_view();
        let sentences = p
            .listening
            .shares
            .iter()
            .filter_map(|s| ratio_sentence(p, l, s))
            .map(|s| view! { <li>{s}</li> })
            .collect_view();
        view! {
            <ul class="sentences">{sentences}</ul>
            <div class="table-scroll">
                <table>
                    <caption>{l.shares_lead}</caption>
                    <thead><tr><th scope="col">{l.code_col}</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    } else {
        view! { <p class="empty">{l.no_coded}</p> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="shares-title">
            <h2 id="shares-title">{l.shares_title}</h2>
            {body}
        </section>
    }
}

/// "Repair: 60% of values-only … 3.0× as often", when both classes' bases may be shown.
fn ratio_sentence(p: &ListeningPage<'_>, l: &ListeningUi, s: &CodeShare) -> Option<String> {
    let of = |class: BondClass| s.by_class.iter().find(|(c, _)| *c == class).map(|(_, p)| p);
    let (values, contact) = (of(BondClass::ValuesOnly)?, of(BondClass::ContactOnly)?);
    let ratio = times_as_often(values, contact)?;
    let label = code_label(p.def, p.locale, &s.code);
    Some((l.times_as_often)(&label, values.p?, contact.p?, ratio))
}

fn share_row(p: &ListeningPage<'_>, l: &ListeningUi, s: &CodeShare) -> impl IntoView {
    let t = staff_ui(p.locale);
    let cells = s
        .by_class
        .iter()
        .map(|(_, share)| {
            let cell = if share.n == 0 {
                view! { <span>{l.too_few_coded}</span> }.into_any()
            } else {
                prop_cell(t, share)
            };
            view! { <td>{cell}</td> }
        })
        .collect_view();
    view! { <tr><th scope="row">{code_label(p.def, p.locale, &s.code)}</th>{cells}</tr> }
}
