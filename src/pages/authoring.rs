//! The admin's authoring pages: brands and surveys overview, brand editor, survey builder,
//! question editor, responses, audit log and JSON import. Every action is a plain form
//! post, so all of it works without JavaScript.

use leptos::prelude::*;

use crate::db::AuditEntry;
use crate::domain::checker::{Finding, Severity};
use crate::domain::survey::ShowIf;
use crate::domain::{Construct, Locale, Question, QuestionKind, SurveyDefinition};
use crate::i18n::checker::finding_message;
use crate::i18n::{authoring_ui, names, staff_ui};

fn kind_name(l: Locale, kind: QuestionKind) -> &'static str {
    (names(l).kind)(kind)
}

fn construct_name(l: Locale, c: Construct) -> &'static str {
    (names(l).construct)(c)
}

fn status_name(l: Locale, status: &str) -> &'static str {
    (names(l).status)(status)
}

/// A `<p role=alert>` list of problems with a form, or nothing.
fn problems_view(l: Locale, problems: Vec<String>) -> Option<impl IntoView> {
    (!problems.is_empty()).then(|| {
        let items = problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view();
        view! {
            <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{authoring_ui(l).not_saved_title}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

pub struct SurveyCard {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub live_version: Option<i64>,
    pub draft_version: Option<i64>,
    pub completed: i64,
}

pub struct BrandCard {
    pub slug: String,
    pub name: String,
    pub surveys: Vec<SurveyCard>,
}

fn survey_table(l: Locale, surveys: Vec<SurveyCard>) -> impl IntoView {
    let t = authoring_ui(l);
    if surveys.is_empty() {
        return view! { <p class="empty">{t.no_surveys}</p> }.into_any();
    }
    let rows = surveys
        .into_iter()
        .map(|s| {
            let version = match (s.live_version, s.draft_version) {
                (Some(live), Some(draft)) => {
                    format!("v{live} · {} v{draft}", t.draft_short)
                }
                (Some(live), None) => format!("v{live}"),
                (None, Some(draft)) => format!("{} v{draft}", t.draft_short),
                (None, None) => String::new(),
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/surveys/{}", s.slug)>{s.title}</a></th>
                    <td><code>{s.slug}</code></td>
                    <td>{status_name(l, &s.status)}</td>
                    <td>{version}</td>
                    <td class="num">{s.completed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.survey}</th>
                    <th scope="col">{t.slug}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.version}</th>
                    <th scope="col">{t.completed}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn dashboard_view(l: Locale, brands: Vec<BrandCard>) -> impl IntoView {
    let t = authoring_ui(l);
    let empty = brands.is_empty().then(|| {
        view! {
            <section class="card empty">
                <p>{t.no_brands}</p>
            </section>
        }
    });
    let cards = brands
        .into_iter()
        .map(|b| {
            view! {
                <section class="card" aria-labelledby=format!("brand-{}", b.slug)>
                    <h2 id=format!("brand-{}", b.slug)>{b.name}</h2>
                    <p><a href=format!("/admin/brands/{}", b.slug)>{t.edit_brand_link}</a></p>
                    {survey_table(l, b.surveys)}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{t.brands_and_surveys}</h1>
            <p class="actions">
                <a class="button primary" href="/admin/brands/new">{t.new_brand}</a>
                " "
                <a class="button secondary" href="/admin/import">{t.import_link}</a>
                " "
                <a class="button secondary" href="/admin/audit">{t.audit_log}</a>
            </p>
            {empty}
            {cards}
        </div>
    }
}

/// One stated-value row of the brand form, as typed.
#[derive(Clone, Debug, Default)]
pub struct ValueRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    pub desc_vi: String,
    pub desc_en: String,
    pub weight: String,
    pub placebo: bool,
    /// Share of 100% among real values (when the row is valid).
    pub share: Option<f64>,
}

#[derive(Clone, Debug, Default)]
pub struct BrandForm {
    /// `None` for a new brand.
    pub existing: Option<String>,
    pub slug: String,
    pub name: String,
    pub mission_vi: String,
    pub mission_en: String,
    pub rows: Vec<ValueRow>,
}

fn text_input(
    id: String,
    name: String,
    label: &'static str,
    value: String,
    lang: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input type="text" id=id name=name value=value lang=lang maxlength="500"/>
        </div>
    }
}

pub fn brand_form_view(l: Locale, form: BrandForm, problems: Vec<String>) -> impl IntoView {
    let t = authoring_ui(l);
    let action = match &form.existing {
        Some(slug) => format!("/admin/brands/{slug}"),
        None => "/admin/brands".to_string(),
    };
    let title = if form.existing.is_some() {
        format!("{} · {}", t.brand, form.name)
    } else {
        t.new_brand.to_string()
    };
    let slug_field = if form.existing.is_some() {
        view! { <p>{t.slug}": "<code>{form.slug.clone()}</code></p> }.into_any()
    } else {
        view! {
            <div class="field">
                <label for="brand-slug">{t.brand_slug_label}</label>
                <span class="hint" id="brand-slug-hint">{t.brand_slug_hint}</span>
                <input type="text" id="brand-slug" name="slug" value=form.slug.clone() required aria-describedby="brand-slug-hint" maxlength="64"/>
            </div>
        }
        .into_any()
    };
    let rows = form
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let n = i + 1;
            let share = r.share.map(|s| format!("{s}%")).unwrap_or_else(|| "—".into());
            view! {
                <fieldset class="value-row">
                    <legend>{format!("{} {n}", t.value)}</legend>
                    <div class="field">
                        <label for=format!("v{i}-key")>{t.value_key}</label>
                        <input type="text" id=format!("v{i}-key") name=format!("v{i}_key") value=r.key maxlength="40"/>
                    </div>
                    <div class="side-by-side">
                        {text_input(format!("v{i}-label-vi"), format!("v{i}_label_vi"), t.label_vi, r.label_vi, "vi")}
                        {text_input(format!("v{i}-label-en"), format!("v{i}_label_en"), t.label_en, r.label_en, "en")}
                        {text_input(format!("v{i}-desc-vi"), format!("v{i}_desc_vi"), t.description_vi, r.desc_vi, "vi")}
                        {text_input(format!("v{i}-desc-en"), format!("v{i}_desc_en"), t.description_en, r.desc_en, "en")}
                    </div>
                    <div class="field">
                        <label for=format!("v{i}-weight")>{t.weight}</label>
                        <input type="number" id=format!("v{i}-weight") name=format!("v{i}_weight") value=r.weight min="0" step="any" inputmode="decimal"/>
                        <span class="hint">{t.share}{share}</span>
                    </div>
                    <label class="check"><input type="checkbox" name=format!("v{i}_placebo") value="1" checked=r.placebo/>
                        {t.placebo_value}</label>
                    <label class="check"><input type="checkbox" name=format!("v{i}_remove") value="1"/>{t.remove_value}</label>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{title}</h1>
            {problems_view(l, problems)}
            <form method="post" action=action class="stack-form card">
                {slug_field}
                <div class="field">
                    <label for="brand-name">{t.brand_name}</label>
                    <input type="text" id="brand-name" name="name" value=form.name required maxlength="200"/>
                </div>
                <div class="side-by-side">
                    <div class="field">
                        <label for="mission-vi">{t.mission_vi}</label>
                        <textarea id="mission-vi" name="mission_vi" lang="vi" rows="3" maxlength="2000">{form.mission_vi}</textarea>
                    </div>
                    <div class="field">
                        <label for="mission-en">{t.mission_en}</label>
                        <textarea id="mission-en" name="mission_en" lang="en" rows="3" maxlength="2000">{form.mission_en}</textarea>
                    </div>
                </div>
                <h2>{t.stated_values_title}</h2>
                <p class="hint">{t.stated_values_hint}</p>
                {rows}
                <p class="hint">{t.another_value_hint}</p>
                <button type="submit" class="button primary">{t.save_brand}</button>
            </form>
        </div>
    }
}

/// The "new survey" form on the brand page.
pub fn new_survey_view(
    l: Locale,
    brand_slug: String,
    surveys: Vec<SurveyCard>,
    problems: Vec<String>,
    slug: String,
) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <div class="report">
            <section class="card" aria-labelledby="brand-surveys">
                <h2 id="brand-surveys">{t.brand_surveys}</h2>
                {survey_table(l, surveys)}
            </section>
            <section class="card" aria-labelledby="new-survey">
                <h2 id="new-survey">{t.new_survey}</h2>
                {problems_view(l, problems)}
                <form method="post" action=format!("/admin/brands/{brand_slug}/surveys") class="stack-form">
                    <div class="field">
                        <label for="survey-slug">{t.survey_slug_label}</label>
                        <input type="text" id="survey-slug" name="slug" value=slug required maxlength="64"/>
                    </div>
                    <div class="side-by-side">
                        <div class="field">
                            <label for="survey-title-vi">{t.title_vi}</label>
                            <input type="text" id="survey-title-vi" name="title_vi" lang="vi" maxlength="200"/>
                        </div>
                        <div class="field">
                            <label for="survey-title-en">{t.title_en}</label>
                            <input type="text" id="survey-title-en" name="title_en" lang="en" maxlength="200"/>
                        </div>
                    </div>
                    <fieldset class="filter versions">
                        <legend>{t.start_from}</legend>
                        <label class="check"><input type="radio" name="start" value="bond_check" checked=true/>
                            {t.start_from_bond_check}</label>
                        <label class="check"><input type="radio" name="start" value="blank"/>{t.start_blank}</label>
                    </fieldset>
                    <button type="submit" class="button primary">{t.create_survey}</button>
                </form>
            </section>
        </div>
    }
}

fn findings_view(l: Locale, findings: &[Finding]) -> impl IntoView {
    let t = authoring_ui(l);
    if findings.is_empty() {
        return view! { <p class="notice" role="status">{t.check_passed}</p> }.into_any();
    }
    let list = |severity: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| {
                let place = f.place.clone().map(|p| view! { <code>{p}</code>": " });
                view! { <li>{place}{finding_message(l, f)}</li> }
            })
            .collect_view()
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    view! {
        <div class="findings">
            {(errors > 0).then(|| view! {
                <div class="error-summary" role="alert">
                    <h3>{(t.check_errors)(errors)}</h3>
                    <ul>{list(Severity::Error)}</ul>
                </div>
            })}
            {(warnings > 0).then(|| view! {
                <div class="warning">
                    <h3>{(t.check_warnings)(warnings)}</h3>
                    <ul>{list(Severity::Warning)}</ul>
                </div>
            })}
        </div>
    }
    .into_any()
}

pub struct VersionRow {
    pub version: i64,
    pub published_at: Option<String>,
    pub live: bool,
    pub completed: i64,
}

pub struct BuilderModel {
    pub def: SurveyDefinition,
    pub status: String,
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
    pub audit: Vec<AuditEntry>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

/// A small POST form with hidden fields and one button.
fn action_button(
    action: String,
    fields: Vec<(&'static str, String)>,
    label: String,
    class: &'static str,
    aria: Option<String>,
) -> impl IntoView {
    let hidden = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <form method="post" action=action class="inline-form">
            {hidden}
            <button type="submit" class=class aria-label=aria>{label}</button>
        </form>
    }
}

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

pub fn builder_view(l: Locale, m: BuilderModel) -> impl IntoView {
    let t = authoring_ui(l);
    let slug = m.def.slug.clone();
    let base = format!("/admin/surveys/{slug}");
    let title = m.def.title.get(l).to_string();
    let blocked = m.findings.iter().any(|f| f.severity == Severity::Error);
    let editing = if m.is_draft {
        (t.editing_draft)(m.version, m.live_version)
    } else {
        (t.editing_live)(m.version)
    };
    let publish = m.is_draft.then(|| {
        let label = if blocked { t.publish_blocked } else { t.publish };
        view! {
            <form method="post" action=format!("{base}/publish") class="inline-form">
                <button type="submit" class="button primary" aria-disabled=blocked.then_some("true")>{label}</button>
            </form>
        }
    });
    let status_buttons = {
        let mut buttons = Vec::new();
        if m.status == "open" {
            buttons.push(("closed", t.close_survey));
        }
        if (m.status == "closed" || m.status == "archived") && m.live_version.is_some() {
            buttons.push(("open", t.reopen));
        }
        if m.status != "archived" {
            buttons.push(("archived", t.archive));
        }
        buttons
            .into_iter()
            .map(|(status, label)| {
                action_button(
                    format!("{base}/status"),
                    vec![("status", status.into())],
                    label.into(),
                    "button secondary",
                    None,
                )
            })
            .collect_view()
    };
    let edit_action = format!("{base}/edit");
    let page_count = m.def.pages.len();
    let pages = m
        .def
        .pages
        .iter()
        .enumerate()
        .map(|(pi, page)| {
            let questions = page
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| question_row(l, &slug, i, q))
                .collect_view();
            let kinds = QuestionKind::ALL
                .iter()
                .map(|k| view! { <option value=k.name()>{kind_name(l, *k)}</option> })
                .collect_view();
            let page_no = pi + 1;
            let page_title = page.title.clone();
            view! {
                <section class="card builder-page" aria-labelledby=format!("page-{pi}")>
                    <h3 id=format!("page-{pi}")>{format!("{} {page_no} / {page_count}", t.page)}</h3>
                    <form method="post" action=edit_action.clone() class="side-by-side page-title-form">
                        <input type="hidden" name="op" value="page_title"/>
                        <input type="hidden" name="page" value=pi.to_string()/>
                        {text_input(format!("page-{pi}-vi"), "title_vi".into(), t.page_title_vi, page_title.vi.clone(), "vi")}
                        {text_input(format!("page-{pi}-en"), "title_en".into(), t.page_title_en, page_title.en.clone(), "en")}
                        <button type="submit" class="button secondary">{t.save_title}</button>
                    </form>
                    <ol class="builder-questions" data-reorder=edit_action.clone() data-page=pi.to_string()>{questions}</ol>
                    <form method="post" action=edit_action.clone() class="add-question">
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
                    <div class="q-actions">
                        {action_button(edit_action.clone(), vec![("op", "move_page".into()), ("page", pi.to_string()), ("dir", "up".into())], t.move_page_up.into(), "link-button", None)}
                        {action_button(edit_action.clone(), vec![("op", "move_page".into()), ("page", pi.to_string()), ("dir", "down".into())], t.move_page_down.into(), "link-button", None)}
                        {page.questions.is_empty().then(|| action_button(edit_action.clone(), vec![("op", "delete_page".into()), ("page", pi.to_string())], t.delete_page.into(), "link-button", None))}
                    </div>
                </section>
            }
        })
        .collect_view();
    let versions = m
        .versions
        .into_iter()
        .map(|v| {
            let state = match (&v.published_at, v.live) {
                (_, true) => t.state_live.to_string(),
                (Some(at), false) => (t.state_published)(at),
                (None, _) => t.state_draft.to_string(),
            };
            view! { <tr><th scope="row">{format!("v{}", v.version)}</th><td>{state}</td><td class="num">{v.completed}</td></tr> }
        })
        .collect_view();
    let audit = m
        .audit
        .into_iter()
        .map(|a| view! { <li><span class="hint">{crate::pages::authoring::when(a.at)}</span>" "{a.actor}": "{a.action}" "{a.detail}</li> })
        .collect_view();
    let notice = m
        .notice
        .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let problem = m
        .problem
        .map(|p| view! { <div class="error-summary" role="alert"><p>{p}</p></div> });
    view! {
        <div class="report builder">
            <p><a href="/admin">{t.back_to_dashboard}</a></p>
            <h1 tabindex="-1">{title}</h1>
            <p>{m.def.brand.name.clone()}" · "<code>{slug.clone()}</code>" · "<strong>{status_name(l, &m.status)}</strong></p>
            <p class="hint">{editing}</p>
            {notice}
            {problem}
            <section class="card" aria-labelledby="check">
                <h2 id="check">{t.survey_check}</h2>
                {findings_view(l, &m.findings)}
                <div class="actions">
                    {publish}
                    <a class="button secondary" href=format!("{base}/preview?lang=vi")>{t.preview_vi}</a>
                    <a class="button secondary" href=format!("{base}/preview?lang=en")>{t.preview_en}</a>
                    {status_buttons}
                </div>
            </section>
            <section class="card" aria-labelledby="settings">
                <h2 id="settings">{t.settings_title}</h2>
                <form method="post" action=edit_action.clone() class="stack-form">
                    <input type="hidden" name="op" value="settings"/>
                    <div class="side-by-side">
                        {text_input("title-vi".into(), "title_vi".into(), t.title_vi, m.def.title.vi.clone(), "vi")}
                        {text_input("title-en".into(), "title_en".into(), t.title_en, m.def.title.en.clone(), "en")}
                        <div class="field">
                            <label for="intro-vi">{t.intro_vi}</label>
                            <textarea id="intro-vi" name="intro_vi" lang="vi" rows="3" maxlength="4000">{m.def.intro.vi.clone()}</textarea>
                        </div>
                        <div class="field">
                            <label for="intro-en">{t.intro_en}</label>
                            <textarea id="intro-en" name="intro_en" lang="en" rows="3" maxlength="4000">{m.def.intro.en.clone()}</textarea>
                        </div>
                    </div>
                    <div class="field">
                        <label for="threshold">{t.bond_threshold}</label>
                        <input type="number" id="threshold" name="bond_threshold" value=m.def.bond_threshold.to_string() min="1" max="7" step="0.5"/>
                    </div>
                    <div class="field">
                        <label for="time-zone">{t.time_zone}</label>
                        <span class="hint" id="time-zone-hint">{t.time_zone_hint}</span>
                        <input type="text" id="time-zone" name="time_zone" value=m.def.time_zone.clone() maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="time-zone-hint"/>
                    </div>
                    <button type="submit" class="button secondary">{t.save}</button>
                </form>
            </section>
            <h2>{t.pages_title}</h2>
            <p class="hint">{t.reorder_hint}</p>
            {pages}
            <div class="actions">
                {action_button(edit_action.clone(), vec![("op", "add_page".into())], t.add_page.into(), "button secondary", None)}
                {action_button(edit_action.clone(), vec![("op", "add_bond_check".into())], t.add_bond_check.into(), "button secondary", None)}
            </div>
            <section class="card" aria-labelledby="distribution">
                <h2 id="distribution">{t.distribution}</h2>
                <p>{t.public_link}<a href=m.public_url.clone()><code>{m.public_url.clone()}</code></a></p>
                <img src=format!("{base}/qr.svg") width="160" height="160" alt=t.qr_alt/>
                <p><a href=format!("{base}/qr.svg") download=format!("{slug}-qr.svg")>{t.qr_download}</a></p>
                <form method="post" action=format!("{base}/distribution") class="stack-form">
                    <label class="check"><input type="checkbox" name="invite_only" value="1" checked=m.invite_only/>
                        {t.invite_only}</label>
                    <label class="check"><input type="checkbox" name="one_per_browser" value="1" checked=m.one_per_browser/>
                        {t.one_per_browser}</label>
                    <button type="submit" class="button secondary">{t.save_distribution}</button>
                </form>
                <form method="post" action=format!("{base}/invites") class="stack-form">
                    <p class="hint">{(t.invite_counts)(m.invites_created, m.invites_used)}</p>
                    <div class="field">
                        <label for="invite-count">{t.invite_count_label}</label>
                        <input type="number" id="invite-count" name="count" value="50" min="1" max="10000"/>
                    </div>
                    <button type="submit" class="button secondary">{t.create_invites}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="versions">
                <h2 id="versions">{t.versions}</h2>
                <div class="table-scroll"><table>
                    <thead><tr><th scope="col">{t.version}</th><th scope="col">{t.version_state}</th><th scope="col">{t.complete_responses}</th></tr></thead>
                    <tbody>{versions}</tbody>
                </table></div>
                <p>
                    <a href=format!("{base}/responses")>{t.view_responses}</a>" · "
                    <a href=format!("/reports/{slug}")>{t.report}</a>" · "
                    <a href=format!("{base}/export") download=format!("{slug}.json")>{t.export_json}</a>
                </p>
                <form method="post" action=format!("{base}/duplicate") class="inline-form">
                    <label for="dup-slug">{t.duplicate_label}</label>" "
                    <input type="text" id="dup-slug" name="slug" maxlength="64" required/>" "
                    <button type="submit" class="button secondary">{t.duplicate}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="history">
                <h2 id="history">{t.change_history}</h2>
                <ul class="audit">{audit}</ul>
            </section>
        </div>
    }
}

/// The end of an admin's preview, where respondents would see the thank-you page.
pub fn preview_done_view(l: Locale, slug: String) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <section class="card thanks">
            // The same words as the page's title.
            <h1 tabindex="-1">{staff_ui(l).preview_done_title}</h1>
            <p class="lead">{t.preview_done_body}</p>
            <p><a class="button secondary" href=format!("/admin/surveys/{slug}")>{t.builder_link}</a></p>
        </section>
    }
}

/// A status line above a form ("saved").
pub fn notice_view(text: &'static str) -> impl IntoView {
    view! { <p class="notice" role="status">{text}</p> }
}

/// A timestamp as `YYYY-MM-DD HH:MM UTC`.
pub fn when(ms: i64) -> String {
    let day = crate::domain::report::day_of(ms);
    let (y, m, d) = crate::domain::report::civil_from_days(day);
    let minutes = (ms - day * crate::domain::report::DAY_MS) / 60_000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}

pub struct QuestionForm {
    pub slug: String,
    pub question: Question,
    /// (key, label) of the brand's stated values.
    pub values: Vec<(String, String)>,
    /// Questions on earlier pages a show-if rule may use: (key, text, possible answers).
    pub branchable: Vec<(String, String, Vec<String>)>,
    pub problems: Vec<String>,
}

pub fn question_form_view(l: Locale, f: QuestionForm) -> impl IntoView {
    let t = authoring_ui(l);
    let q = f.question;
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| view! { <option value=k.name() selected=*k == q.kind>{kind_name(l, *k)}</option> })
        .collect_view();
    let constructs = Construct::ALL
        .iter()
        .map(|c| {
            let label = format!(
                "{} ({})",
                construct_name(l, *c),
                kind_name(l, c.required_kind())
            );
            view! { <option value=c.name() selected=q.construct == Some(*c)>{label}</option> }
        })
        .collect_view();
    let values = f
        .values
        .into_iter()
        .map(|(key, label)| {
            let selected = q.value.as_deref() == Some(key.as_str());
            view! { <option value=key.clone() selected=selected>{format!("{label} ({key})")}</option> }
        })
        .collect_view();
    let mut option_rows = q.options.clone();
    if q.kind.has_options() {
        option_rows.push(crate::domain::survey::ChoiceOption {
            key: String::new(),
            text: Default::default(),
        });
    }
    let options = q.kind.has_options().then(|| {
        let rows = option_rows
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                view! {
                    <fieldset class="value-row">
                        <legend>{format!("{} {}", t.option, i + 1)}</legend>
                        <div class="field">
                            <label for=format!("o{i}-key")>{t.option_key}</label>
                            <input type="text" id=format!("o{i}-key") name=format!("o{i}_key") value=o.key maxlength="40"/>
                        </div>
                        <div class="side-by-side">
                            {text_input(format!("o{i}-vi"), format!("o{i}_vi"), t.option_vi, o.text.vi, "vi")}
                            {text_input(format!("o{i}-en"), format!("o{i}_en"), t.option_en, o.text.en, "en")}
                        </div>
                        <label class="check"><input type="checkbox" name=format!("o{i}_remove") value="1"/>{t.remove_option}</label>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <h2>{t.options_title}</h2>
            <p class="hint">{t.options_hint}</p>
            {rows}
        }
    });
    let rule = q.show_if.clone();
    let rule_question = rule
        .as_ref()
        .map(|r| r.question.clone())
        .unwrap_or_default();
    let rule_answers = rule.map(|r| r.any_of.join(", ")).unwrap_or_default();
    let branch_options = f
        .branchable
        .into_iter()
        .map(|(key, text, answers)| {
            let selected = key == rule_question;
            view! { <option value=key.clone() selected=selected>{format!("{key}: {text} [{}]", answers.join(", "))}</option> }
        })
        .collect_view();
    let help = q.help.clone().unwrap_or_default();
    let text_limit = q.max_length.map(|n| n.to_string()).unwrap_or_default();
    let base = format!("/admin/surveys/{}", f.slug);
    view! {
        <div class="report">
            <p><a href=base.clone()>{t.back_to_builder}</a></p>
            <h1 tabindex="-1">{format!("{} {}", t.question, q.key)}</h1>
            {problems_view(l, f.problems)}
            <form method="post" action=format!("{base}/q/{}", q.key) class="stack-form card">
                <div class="field">
                    <label for="q-kind">{t.question_type}</label>
                    <select id="q-kind" name="kind">{kinds}</select>
                </div>
                <div class="side-by-side">
                    <div class="field">
                        <label for="q-text-vi">{t.question_vi}</label>
                        <textarea id="q-text-vi" name="text_vi" lang="vi" rows="3" maxlength="2000">{q.text.vi.clone()}</textarea>
                    </div>
                    <div class="field">
                        <label for="q-text-en">{t.question_en}</label>
                        <textarea id="q-text-en" name="text_en" lang="en" rows="3" maxlength="2000">{q.text.en.clone()}</textarea>
                    </div>
                    {text_input("q-help-vi".into(), "help_vi".into(), t.help_vi, help.vi, "vi")}
                    {text_input("q-help-en".into(), "help_en".into(), t.help_en, help.en, "en")}
                </div>
                <label class="check"><input type="checkbox" name="required" value="1" checked=q.required/>{t.answer_required}</label>
                <div class="field">
                    <label for="q-construct">{t.construct_label}</label>
                    <span class="hint" id="q-construct-hint">{t.construct_hint}</span>
                    <select id="q-construct" name="construct" aria-describedby="q-construct-hint">
                        <option value="">{t.no_construct}</option>
                        {constructs}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" name="reverse" value="1" checked=q.reverse aria-describedby="q-reverse-hint"/>
                    {t.reverse}
                </label>
                <span class="hint" id="q-reverse-hint">{t.reverse_hint}</span>
                <div class="field">
                    <label for="q-value">{t.stated_value}</label>
                    <select id="q-value" name="value">
                        <option value="">"—"</option>
                        {values}
                    </select>
                </div>
                {options}
                <h2>{t.show_if_title}</h2>
                <div class="field">
                    <label for="q-rule">{t.show_if_question}</label>
                    <select id="q-rule" name="show_if_question">
                        <option value="">{t.always_shown}</option>
                        {branch_options}
                    </select>
                </div>
                <div class="field">
                    <label for="q-rule-any">{t.show_if_answers}</label>
                    <input type="text" id="q-rule-any" name="show_if_any" value=rule_answers maxlength="400"/>
                </div>
                {q.kind.is_text().then(|| view! {
                    <div class="field">
                        <label for="q-max">{t.max_length}</label>
                        <input type="number" id="q-max" name="max_length" value=text_limit min="1" max="10000"/>
                    </div>
                })}
                <button type="submit" class="button primary">{t.save_question}</button>
            </form>
        </div>
    }
}

pub struct ResponseListRow {
    pub id: i64,
    pub version: i64,
    pub completed_at: i64,
}

pub fn responses_view(l: Locale, slug: String, rows: Vec<ResponseListRow>) -> impl IntoView {
    let t = authoring_ui(l);
    let body = if rows.is_empty() {
        view! { <p class="empty">{t.no_responses}</p> }.into_any()
    } else {
        let rows = rows
            .into_iter()
            .map(|r| view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/surveys/{slug}/responses/{}", r.id)>{format!("#{}", r.id)}</a></th>
                    <td>{format!("v{}", r.version)}</td>
                    <td>{when(r.completed_at)}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-scroll"><table>
                <thead><tr><th scope="col">{t.response}</th><th scope="col">{t.version}</th><th scope="col">{t.completed_at}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}")>{t.back_to_builder}</a></p>
            <h1 tabindex="-1">{t.responses_title}</h1>
            <section class="card">{body}</section>
        </div>
    }
}

/// One response shown with the questions of the version it answered.
pub fn response_view(
    l: Locale,
    slug: String,
    id: i64,
    version: i64,
    items: Vec<(String, String, String)>,
) -> impl IntoView {
    let t = authoring_ui(l);
    let items = items
        .into_iter()
        .map(|(key, text, answer)| view! { <tr><th scope="row"><code>{key}</code>" "{text}</th><td>{answer}</td></tr> })
        .collect_view();
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}/responses")>{t.back_to_responses}</a></p>
            <h1 tabindex="-1">{format!("{} #{id} · v{version}", t.response)}</h1>
            <p class="hint">{t.response_hint}</p>
            <section class="card"><div class="table-scroll"><table>
                <thead><tr><th scope="col">{t.question}</th><th scope="col">{t.answer}</th></tr></thead>
                <tbody>{items}</tbody>
            </table></div></section>
        </div>
    }
}

pub fn audit_view(l: Locale, entries: Vec<AuditEntry>) -> impl IntoView {
    let t = authoring_ui(l);
    let body = if entries.is_empty() {
        view! { <p class="empty">{t.no_changes}</p> }.into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|a| view! {
                <tr>
                    <td>{when(a.at)}</td>
                    <td>{if a.actor.is_empty() { t.command_line.to_string() } else { a.actor }}</td>
                    <td>{a.action}</td>
                    <td>{a.brand_name.unwrap_or_default()}</td>
                    <td>{a.survey_slug.unwrap_or_default()}</td>
                    <td>{a.detail}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-scroll"><table>
                <thead><tr>
                    <th scope="col">{t.audit_when}</th><th scope="col">{t.audit_who}</th><th scope="col">{t.audit_what}</th>
                    <th scope="col">{t.brand}</th><th scope="col">{t.survey}</th><th scope="col">{t.audit_detail}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href="/admin">{t.back_to_dashboard}</a></p>
            <h1 tabindex="-1">{t.audit_log}</h1>
            <section class="card">{body}</section>
        </div>
    }
}

pub fn import_view(l: Locale, json: String, problems: Vec<String>) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <div class="report">
            <p><a href="/admin">{t.back_to_dashboard}</a></p>
            <h1 tabindex="-1">{t.import_title}</h1>
            {problems_view(l, problems)}
            <form method="post" action="/admin/import" class="stack-form card">
                <div class="field">
                    <label for="import-json">{t.import_label}</label>
                    <textarea id="import-json" name="json" rows="16" required>{json}</textarea>
                </div>
                <button type="submit" class="button primary">{t.import}</button>
            </form>
        </div>
    }
}
