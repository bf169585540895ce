//! The survey builder page: which version is being edited, then one section per part of
//! the survey (the check and publishing, settings, pages and questions, distribution,
//! versions, history).

use leptos::prelude::*;

use super::audit::history_section;
use super::distribution::distribution_section;
use super::publishing::{check_section, versions_section, VersionRow};
use super::{action_button, construct_name, kind_name, status_name, text_input, AuditLine};
use crate::domain::checker::Finding;
use crate::domain::survey::ShowIf;
use crate::domain::survey::SurveyStatus;
use crate::domain::{Locale, Page, Question, QuestionKind, SurveyDefinition};
use crate::i18n::{authoring_ui, AuthoringUi};

/// Everything the builder page shows.
pub struct BuilderModel {
    pub def: SurveyDefinition,
    pub status: SurveyStatus,
    pub version: i64,
    pub is_draft: bool,
    pub live_version: Option<i64>,
    pub findings: Vec<Finding>,
    pub versions: Vec<VersionRow>,
    pub public_url: String,
    pub invite_only: bool,
    pub one_per_browser: bool,
    pub invites_created: i64,
    pub invites_used: i64,
    pub audit: Vec<AuditLine>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

/// The survey builder page.
pub fn builder_view(l: Locale, m: BuilderModel) -> impl IntoView {
    let t = authoring_ui(l);
    let base = format!("/admin/surveys/{}", m.def.slug);
    let edit_action = format!("{base}/edit");
    view! {
        <div class="report builder">
            {builder_heading(l, &m)}
            {check_section(l, &m, &base)}
            {settings_section(t, &m.def, &edit_action)}
            {pages_section(l, &m.def, &edit_action)}
            {distribution_section(t, &m, &base)}
            {versions_section(t, m.versions, &m.def.slug, &base)}
            {history_section(t, m.audit)}
        </div>
    }
}

/// The survey's title, brand, slug and status, the version being edited, and the notice or
/// refusal of the last change.
fn builder_heading(l: Locale, m: &BuilderModel) -> impl IntoView {
    let t = authoring_ui(l);
    let editing = if m.is_draft {
        (t.editing_draft)(m.version, m.live_version)
    } else {
        (t.editing_live)(m.version)
    };
    let notice = m
        .notice
        .clone()
        .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let problem = m
        .problem
        .clone()
        .map(|p| view! { <div class="error-summary" role="alert"><p>{p}</p></div> });
    view! {
        <p><a href="/admin">{t.back_to_dashboard}</a></p>
        <h1 tabindex="-1">{m.def.title.get(l).to_string()}</h1>
        <p>{m.def.brand.name.clone()}" · "<code>{m.def.slug.clone()}</code>" · "<strong>{status_name(l, m.status)}</strong></p>
        <p class="hint">{editing}</p>
        {notice}
        {problem}
    }
}

/// The survey's title, introduction, bond threshold and report time zone.
fn settings_section(t: &AuthoringUi, def: &SurveyDefinition, edit_action: &str) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="settings">
            <h2 id="settings">{t.settings_title}</h2>
            <form method="post" action=edit_action.to_string() class="stack-form">
                <input type="hidden" name="op" value="settings"/>
                <div class="side-by-side">
                    {text_input("title-vi".into(), "title_vi".into(), t.title_vi, def.title.vi.clone(), "vi")}
                    {text_input("title-en".into(), "title_en".into(), t.title_en, def.title.en.clone(), "en")}
                    <div class="field">
                        <label for="intro-vi">{t.intro_vi}</label>
                        <textarea id="intro-vi" name="intro_vi" lang="vi" rows="3" maxlength="4000">{def.intro.vi.clone()}</textarea>
                    </div>
                    <div class="field">
                        <label for="intro-en">{t.intro_en}</label>
                        <textarea id="intro-en" name="intro_en" lang="en" rows="3" maxlength="4000">{def.intro.en.clone()}</textarea>
                    </div>
                </div>
                <div class="field">
                    <label for="threshold">{t.bond_threshold}</label>
                    <input type="number" id="threshold" name="bond_threshold" value=def.bond_threshold.to_string() min="1" max="7" step="0.5"/>
                </div>
                <div class="field">
                    <label for="time-zone">{t.time_zone}</label>
                    <span class="hint" id="time-zone-hint">{t.time_zone_hint}</span>
                    <input type="text" id="time-zone" name="time_zone" value=def.time_zone.clone() maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="time-zone-hint"/>
                </div>
                <button type="submit" class="button secondary">{t.save}</button>
            </form>
        </section>
    }
}

/// Every page with its questions, and the buttons that add a page or the Brand Bond Check
/// block.
fn pages_section(l: Locale, def: &SurveyDefinition, edit_action: &str) -> impl IntoView {
    let t = authoring_ui(l);
    let pages = def
        .pages
        .iter()
        .enumerate()
        .map(|(pi, page)| page_card(l, &def.slug, pi, def.pages.len(), page))
        .collect_view();
    let add = |op: &'static str, label: &'static str| {
        action_button(
            edit_action.to_string(),
            vec![("op", op.into())],
            label.into(),
            "button secondary",
            None,
        )
    };
    view! {
        <h2>{t.pages_title}</h2>
        <p class="hint">{t.reorder_hint}</p>
        {pages}
        <div class="actions">
            {add("add_page", t.add_page)}
            {add("add_bond_check", t.add_bond_check)}
        </div>
    }
}

/// Page `pi` (from 0) of `page_count`: its title, its questions (reordered by drag and
/// drop too), a form to add a question, and the page's own buttons.
fn page_card(l: Locale, slug: &str, pi: usize, page_count: usize, page: &Page) -> impl IntoView {
    let t = authoring_ui(l);
    let edit_action = format!("/admin/surveys/{slug}/edit");
    let questions = page
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_row(l, slug, i, q))
        .collect_view();
    let page_no = pi + 1;
    view! {
        <section class="card builder-page" aria-labelledby=format!("page-{pi}")>
            <h3 id=format!("page-{pi}")>{format!("{} {page_no} / {page_count}", t.page)}</h3>
            <form method="post" action=edit_action.clone() class="side-by-side page-title-form">
                <input type="hidden" name="op" value="page_title"/>
                <input type="hidden" name="page" value=pi.to_string()/>
                {text_input(format!("page-{pi}-vi"), "title_vi".into(), t.page_title_vi, page.title.vi.clone(), "vi")}
                {text_input(format!("page-{pi}-en"), "title_en".into(), t.page_title_en, page.title.en.clone(), "en")}
                <button type="submit" class="button secondary">{t.save_title}</button>
            </form>
            <ol class="builder-questions" data-reorder=edit_action.clone() data-page=pi.to_string()>{questions}</ol>
            {add_question_form(l, &edit_action, pi)}
            {page_buttons(t, &edit_action, pi, page.questions.is_empty())}
        </section>
    }
}

/// Adds a question of a chosen kind and key to page `pi`.
fn add_question_form(l: Locale, edit_action: &str, pi: usize) -> impl IntoView {
    let t = authoring_ui(l);
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| view! { <option value=k.name()>{kind_name(l, *k)}</option> })
        .collect_view();
    view! {
        <form method="post" action=edit_action.to_string() class="add-question">
            <input type="hidden" name="op" value="add_question"/>
            <input type="hidden" name="page" value=pi.to_string()/>
            <div class="field">
                <label for=format!("add-kind-{pi}")>{t.question_type}</label>
                <select id=format!("add-kind-{pi}") name="kind">{kinds}</select>
            </div>
            <div class="field">
                <label for=format!("add-key-{pi}")>{t.question_key}</label>
                <input type="text" id=format!("add-key-{pi}") name="key" maxlength="40" placeholder="vc_4"/>
            </div>
            <button type="submit" class="button secondary">{t.add_question}</button>
        </form>
    }
}

/// Moves page `pi` up or down, or deletes it if it is empty.
fn page_buttons(t: &AuthoringUi, edit_action: &str, pi: usize, empty: bool) -> impl IntoView {
    let button = |fields: Vec<(&'static str, String)>, label: &'static str| {
        action_button(
            edit_action.to_string(),
            fields,
            label.into(),
            "link-button",
            None,
        )
    };
    let page = || ("page", pi.to_string());
    view! {
        <div class="q-actions">
            {button(vec![("op", "move_page".into()), page(), ("dir", "up".into())], t.move_page_up)}
            {button(vec![("op", "move_page".into()), page(), ("dir", "down".into())], t.move_page_down)}
            {empty.then(|| button(vec![("op", "delete_page".into()), page()], t.delete_page))}
        </div>
    }
}

/// One question of a page: key, kind, what it measures, its texts and its buttons.
fn question_row(l: Locale, slug: &str, index: usize, q: &Question) -> impl IntoView {
    let t = authoring_ui(l);
    let edit_action = format!("/admin/surveys/{slug}/edit");
    let text = |locale: Locale| {
        let written = q.text.get(locale).trim().to_string();
        if written.is_empty() {
            view! { <em class="missing">{t.no_text_yet}</em> }.into_any()
        } else {
            view! { <span lang=locale.code()>{written}</span> }.into_any()
        }
    };
    let construct = q
        .construct
        .map(|c| {
            let value = q
                .value
                .clone()
                .map(|v| format!(" · {v}"))
                .unwrap_or_default();
            format!("{}{value}", construct_name(l, c))
        })
        .unwrap_or_else(|| t.measures_nothing.to_string());
    let rule = q.show_if.as_ref().map(|ShowIf { question, any_of }| {
        view! { <span class="tag">{format!("{} {question} = {}", t.only_if, any_of.join(" | "))}</span> }
    });
    let key = q.key.clone();
    let mv = |up: bool, label: &'static str, aria: String| {
        action_button(
            edit_action.clone(),
            vec![
                ("op", "move_question".into()),
                ("key", key.clone()),
                ("dir", if up { "up" } else { "down" }.into()),
            ],
            label.into(),
            "link-button",
            Some(aria),
        )
    };
    view! {
        <li class="builder-question" id=format!("q-{}", q.key) draggable="true" data-drag-key=q.key.clone() data-index=index.to_string()>
            <div class="q-head">
                <code>{q.key.clone()}</code>" "
                <span class="tag">{kind_name(l, q.kind)}</span>" "
                <span class="tag">{construct}</span>" "
                {q.required.then(|| view! { <span class="tag">{t.required_tag}</span> })}
                {q.reverse.then(|| view! { <span class="tag">{t.reverse_tag}</span> })}
                {rule}
            </div>
            <p class="q-texts">{text(Locale::Vi)}<br/>{text(Locale::En)}</p>
            <div class="q-actions">
                <a href=format!("/admin/surveys/{slug}/q/{}", q.key) aria-label=format!("{} {}", t.edit, q.key)>{t.edit}</a>
                {mv(true, "↑", format!("{} {}", t.move_up, q.key))}
                {mv(false, "↓", format!("{} {}", t.move_down, q.key))}
                {action_button(edit_action.clone(), vec![("op", "delete_question".into()), ("key", q.key.clone())],
                    t.delete.into(), "link-button danger-link", Some(format!("{} {}", t.delete, q.key)))}
            </div>
        </li>
    }
}
