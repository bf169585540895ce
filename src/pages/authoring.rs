//! The admin's authoring pages: brands and surveys overview, brand editor, survey builder,
//! question editor, responses, audit log and JSON import. Every action is a plain form
//! post, so all of it works without JavaScript.

use leptos::prelude::*;

use crate::db::AuditEntry;
use crate::domain::checker::{Finding, Severity};
use crate::domain::survey::ShowIf;
use crate::domain::{Construct, Locale, Question, QuestionKind, SurveyDefinition};
use crate::i18n::checker::finding_message;
use crate::i18n::{names, tr};

pub const KINDS: [QuestionKind; 8] = [
    QuestionKind::SingleChoice,
    QuestionKind::MultipleChoice,
    QuestionKind::Agree7,
    QuestionKind::Recommend10,
    QuestionKind::ContactFrequency,
    QuestionKind::YesNoDk,
    QuestionKind::ShortText,
    QuestionKind::LongText,
];

pub const CONSTRUCTS: [Construct; 13] = [
    Construct::Relationship,
    Construct::RelationshipReason,
    Construct::ValueCongruence,
    Construct::ContactBond,
    Construct::ValueImportance,
    Construct::ValuePerception,
    Construct::ContactActual,
    Construct::ContactPreferred,
    Construct::Nps,
    Construct::Advocacy,
    Construct::VoiceHeard,
    Construct::StoryRecall,
    Construct::Segment,
];

pub fn kind_key(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice => "single_choice",
        QuestionKind::MultipleChoice => "multiple_choice",
        QuestionKind::Agree7 => "agree7",
        QuestionKind::Recommend10 => "recommend10",
        QuestionKind::ContactFrequency => "contact_frequency",
        QuestionKind::YesNoDk => "yes_no_dk",
        QuestionKind::ShortText => "short_text",
        QuestionKind::LongText => "long_text",
    }
}

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
                <h2 id="error-summary-title">{tr(l, "Chưa lưu được", "Not saved yet")}</h2>
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
    if surveys.is_empty() {
        return view! { <p class="empty">{tr(l, "Chưa có khảo sát nào.", "No surveys yet.")}</p> }
            .into_any();
    }
    let rows = surveys
        .into_iter()
        .map(|s| {
            let version = match (s.live_version, s.draft_version) {
                (Some(live), Some(draft)) => {
                    format!("v{live} · {} v{draft}", tr(l, "nháp", "draft"))
                }
                (Some(live), None) => format!("v{live}"),
                (None, Some(draft)) => format!("{} v{draft}", tr(l, "nháp", "draft")),
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
                    <th scope="col">{tr(l, "Khảo sát", "Survey")}</th>
                    <th scope="col">{tr(l, "Mã", "Slug")}</th>
                    <th scope="col">{tr(l, "Trạng thái", "Status")}</th>
                    <th scope="col">{tr(l, "Phiên bản", "Version")}</th>
                    <th scope="col">{tr(l, "Hoàn thành", "Completed")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn dashboard_view(l: Locale, brands: Vec<BrandCard>) -> impl IntoView {
    let empty = brands.is_empty().then(|| {
        view! {
            <section class="card empty">
                <p>{tr(l, "Chưa có thương hiệu nào. Hãy bắt đầu bằng sứ mệnh và các giá trị của thương hiệu; khối “Kiểm tra gắn kết thương hiệu” sẽ viết khảo sát từ đó.",
                    "No brands yet. Start with a brand's mission and values; the “Brand Bond Check” block writes a survey from them.")}</p>
            </section>
        }
    });
    let cards = brands
        .into_iter()
        .map(|b| {
            view! {
                <section class="card" aria-labelledby=format!("brand-{}", b.slug)>
                    <h2 id=format!("brand-{}", b.slug)>{b.name}</h2>
                    <p><a href=format!("/admin/brands/{}", b.slug)>{tr(l, "Sửa thương hiệu và tạo khảo sát", "Edit brand and create surveys")}</a></p>
                    {survey_table(l, b.surveys)}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{tr(l, "Thương hiệu và khảo sát", "Brands and surveys")}</h1>
            <p class="actions">
                <a class="button primary" href="/admin/brands/new">{tr(l, "Thương hiệu mới", "New brand")}</a>
                " "
                <a class="button secondary" href="/admin/import">{tr(l, "Nhập khảo sát (JSON)", "Import a survey (JSON)")}</a>
                " "
                <a class="button secondary" href="/admin/audit">{tr(l, "Nhật ký thay đổi", "Audit log")}</a>
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
    let action = match &form.existing {
        Some(slug) => format!("/admin/brands/{slug}"),
        None => "/admin/brands".to_string(),
    };
    let title = if form.existing.is_some() {
        format!("{} · {}", tr(l, "Thương hiệu", "Brand"), form.name)
    } else {
        tr(l, "Thương hiệu mới", "New brand").to_string()
    };
    let slug_field = if form.existing.is_some() {
        view! { <p>{tr(l, "Mã", "Slug")}": "<code>{form.slug.clone()}</code></p> }.into_any()
    } else {
        view! {
            <div class="field">
                <label for="brand-slug">{tr(l, "Mã (dùng trong đường dẫn)", "Slug (used in links)")}</label>
                <span class="hint" id="brand-slug-hint">{tr(l, "3–64 ký tự a–z, 0–9 và '-', ví dụ terra-coffee.", "3–64 characters of a–z, 0–9 and '-', e.g. terra-coffee.")}</span>
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
                    <legend>{format!("{} {n}", tr(l, "Giá trị", "Value"))}</legend>
                    <div class="field">
                        <label for=format!("v{i}-key")>{tr(l, "Mã giá trị", "Value key")}</label>
                        <input type="text" id=format!("v{i}-key") name=format!("v{i}_key") value=r.key maxlength="40"/>
                    </div>
                    <div class="side-by-side">
                        {text_input(format!("v{i}-label-vi"), format!("v{i}_label_vi"), tr(l, "Tên (tiếng Việt)", "Label (Vietnamese)"), r.label_vi, "vi")}
                        {text_input(format!("v{i}-label-en"), format!("v{i}_label_en"), tr(l, "Tên (tiếng Anh)", "Label (English)"), r.label_en, "en")}
                        {text_input(format!("v{i}-desc-vi"), format!("v{i}_desc_vi"), tr(l, "Mô tả (tiếng Việt)", "Description (Vietnamese)"), r.desc_vi, "vi")}
                        {text_input(format!("v{i}-desc-en"), format!("v{i}_desc_en"), tr(l, "Mô tả (tiếng Anh)", "Description (English)"), r.desc_en, "en")}
                    </div>
                    <div class="field">
                        <label for=format!("v{i}-weight")>{tr(l, "Trọng số", "Weight")}</label>
                        <input type="number" id=format!("v{i}-weight") name=format!("v{i}_weight") value=r.weight min="0" step="any" inputmode="decimal"/>
                        <span class="hint">{tr(l, "Tỷ trọng: ", "Share: ")}{share}</span>
                    </div>
                    <label class="check"><input type="checkbox" name=format!("v{i}_placebo") value="1" checked=r.placebo/>
                        {tr(l, "Giá trị đối chứng (thương hiệu không hề tuyên bố)", "Placebo value (one the brand never claimed)")}</label>
                    <label class="check"><input type="checkbox" name=format!("v{i}_remove") value="1"/>{tr(l, "Xoá giá trị này", "Remove this value")}</label>
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
                    <label for="brand-name">{tr(l, "Tên thương hiệu", "Brand name")}</label>
                    <input type="text" id="brand-name" name="name" value=form.name required maxlength="200"/>
                </div>
                <div class="side-by-side">
                    <div class="field">
                        <label for="mission-vi">{tr(l, "Sứ mệnh (tiếng Việt)", "Mission (Vietnamese)")}</label>
                        <textarea id="mission-vi" name="mission_vi" lang="vi" rows="3" maxlength="2000">{form.mission_vi}</textarea>
                    </div>
                    <div class="field">
                        <label for="mission-en">{tr(l, "Sứ mệnh (tiếng Anh)", "Mission (English)")}</label>
                        <textarea id="mission-en" name="mission_en" lang="en" rows="3" maxlength="2000">{form.mission_en}</textarea>
                    </div>
                </div>
                <h2>{tr(l, "Các giá trị thương hiệu tuyên bố", "The values the brand states")}</h2>
                <p class="hint">{tr(l,
                    "1–12 giá trị. Trọng số cho biết giá trị nào quan trọng hơn với thương hiệu; được quy ra phần trăm trên tổng các giá trị thật. Nên thêm một giá trị đối chứng: một giá trị thương hiệu chưa từng nói đến. Nếu khách hàng cũng “thấy” nó, họ đang đoán; báo cáo dùng nó làm mốc so sánh.",
                    "1–12 values. Weights say which values matter more to the brand; they are shown as a share of 100% of the real values. Add one placebo value: a value the brand never claimed. If customers “perceive” it too, they are guessing; the report uses it as the baseline.")}</p>
                {rows}
                <p class="hint">{tr(l, "Cần thêm giá trị? Lưu lại: một dòng trống mới sẽ xuất hiện.", "Need another value? Save: a new empty row appears.")}</p>
                <button type="submit" class="button primary">{tr(l, "Lưu thương hiệu", "Save brand")}</button>
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
    view! {
        <div class="report">
            <section class="card" aria-labelledby="brand-surveys">
                <h2 id="brand-surveys">{tr(l, "Khảo sát của thương hiệu", "Surveys of this brand")}</h2>
                {survey_table(l, surveys)}
            </section>
            <section class="card" aria-labelledby="new-survey">
                <h2 id="new-survey">{tr(l, "Khảo sát mới", "New survey")}</h2>
                {problems_view(l, problems)}
                <form method="post" action=format!("/admin/brands/{brand_slug}/surveys") class="stack-form">
                    <div class="field">
                        <label for="survey-slug">{tr(l, "Mã khảo sát (đường dẫn /s/…)", "Survey slug (the link /s/…)")}</label>
                        <input type="text" id="survey-slug" name="slug" value=slug required maxlength="64"/>
                    </div>
                    <div class="side-by-side">
                        <div class="field">
                            <label for="survey-title-vi">{tr(l, "Tiêu đề (tiếng Việt)", "Title (Vietnamese)")}</label>
                            <input type="text" id="survey-title-vi" name="title_vi" lang="vi" maxlength="200"/>
                        </div>
                        <div class="field">
                            <label for="survey-title-en">{tr(l, "Tiêu đề (tiếng Anh)", "Title (English)")}</label>
                            <input type="text" id="survey-title-en" name="title_en" lang="en" maxlength="200"/>
                        </div>
                    </div>
                    <fieldset class="filter versions">
                        <legend>{tr(l, "Bắt đầu từ", "Start from")}</legend>
                        <label class="check"><input type="radio" name="start" value="bond_check" checked=true/>
                            {tr(l, "Khối “Kiểm tra gắn kết thương hiệu”: một khảo sát đầy đủ, hợp lệ từ hồ sơ thương hiệu (có thể sửa mọi câu)",
                                "The “Brand Bond Check” block: a complete, valid survey from the brand's profile (every question editable)")}</label>
                        <label class="check"><input type="radio" name="start" value="blank"/>{tr(l, "Một khảo sát trống", "A blank survey")}</label>
                    </fieldset>
                    <button type="submit" class="button primary">{tr(l, "Tạo khảo sát", "Create survey")}</button>
                </form>
            </section>
        </div>
    }
}

fn findings_view(l: Locale, findings: &[Finding]) -> impl IntoView {
    if findings.is_empty() {
        return view! { <p class="notice" role="status">{tr(l, "Kiểm tra: không thấy vấn đề nào. Khảo sát đo được mọi chỉ số của báo cáo.", "Check: no problems found. The survey measures every figure of the report.")}</p> }.into_any();
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
                    <h3>{format!("{} ({errors})", tr(l, "Lỗi: phải sửa trước khi xuất bản", "Errors: fix before publishing"))}</h3>
                    <ul>{list(Severity::Error)}</ul>
                </div>
            })}
            {(warnings > 0).then(|| view! {
                <div class="warning">
                    <h3>{format!("{} ({warnings})", tr(l, "Cảnh báo: báo cáo sẽ yếu hơn", "Warnings: the report will be weaker"))}</h3>
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
    let edit_action = format!("/admin/surveys/{slug}/edit");
    let text = |locale: Locale| {
        let t = q.text.get(locale).trim().to_string();
        if t.is_empty() {
            view! { <em class="missing">{tr(l, "(chưa có chữ)", "(no text yet)")}</em> }.into_any()
        } else {
            view! { <span lang=locale.code()>{t}</span> }.into_any()
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
        .unwrap_or_else(|| tr(l, "không đo chỉ số nào", "measures nothing").to_string());
    let rule = q.show_if.as_ref().map(|ShowIf { question, any_of }| {
        view! { <span class="tag">{format!("{} {question} = {}", tr(l, "chỉ hiện khi", "only if"), any_of.join(" | "))}</span> }
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
                {q.required.then(|| view! { <span class="tag">{tr(l, "bắt buộc", "required")}</span> })}
                {q.reverse.then(|| view! { <span class="tag">{tr(l, "đảo chiều", "reverse-keyed")}</span> })}
                {rule}
            </div>
            <p class="q-texts">{text(Locale::Vi)}<br/>{text(Locale::En)}</p>
            <div class="q-actions">
                <a href=format!("/admin/surveys/{slug}/q/{}", q.key) aria-label=format!("{} {}", tr(l, "Sửa", "Edit"), q.key)>{tr(l, "Sửa", "Edit")}</a>
                {mv(true, "↑", format!("{} {}", tr(l, "Chuyển lên", "Move up"), q.key))}
                {mv(false, "↓", format!("{} {}", tr(l, "Chuyển xuống", "Move down"), q.key))}
                {action_button(edit_action.clone(), vec![("op", "delete_question".into()), ("key", q.key.clone())],
                    tr(l, "Xoá", "Delete").into(), "link-button danger-link", Some(format!("{} {}", tr(l, "Xoá", "Delete"), q.key)))}
            </div>
        </li>
    }
}

pub fn builder_view(l: Locale, m: BuilderModel) -> impl IntoView {
    let slug = m.def.slug.clone();
    let base = format!("/admin/surveys/{slug}");
    let title = m.def.title.get(l).to_string();
    let blocked = m.findings.iter().any(|f| f.severity == Severity::Error);
    let editing = if m.is_draft {
        match m.live_version {
            Some(live) => format!(
                "{} {} · {} {live}",
                tr(l, "Đang sửa bản nháp phiên bản", "Editing draft version"),
                m.version,
                tr(l, "đang chạy: phiên bản", "live: version")
            ),
            None => format!(
                "{} {}",
                tr(l, "Đang sửa bản nháp phiên bản", "Editing draft version"),
                m.version
            ),
        }
    } else {
        format!("{} {}. {}", tr(l, "Phiên bản đang chạy:", "Live version:"), m.version,
            tr(l, "Sửa bất kỳ điều gì sẽ tạo một bản nháp mới; người đã trả lời giữ nguyên phiên bản của họ.", "Any edit creates a new draft version; people who answered keep their version."))
    };
    let publish = m.is_draft.then(|| {
        let label = if blocked { tr(l, "Xuất bản (còn lỗi)", "Publish (errors remain)") } else { tr(l, "Xuất bản bản nháp", "Publish draft") };
        view! {
            <form method="post" action=format!("{base}/publish") class="inline-form">
                <button type="submit" class="button primary" aria-disabled=blocked.then_some("true")>{label}</button>
            </form>
        }
    });
    let status_buttons = {
        let mut buttons = Vec::new();
        if m.status == "open" {
            buttons.push(("closed", tr(l, "Đóng khảo sát", "Close survey")));
        }
        if (m.status == "closed" || m.status == "archived") && m.live_version.is_some() {
            buttons.push(("open", tr(l, "Mở lại", "Reopen")));
        }
        if m.status != "archived" {
            buttons.push(("archived", tr(l, "Lưu trữ", "Archive")));
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
            let kinds = KINDS
                .iter()
                .map(|k| view! { <option value=kind_key(*k)>{kind_name(l, *k)}</option> })
                .collect_view();
            let page_no = pi + 1;
            let page_title = page.title.clone();
            view! {
                <section class="card builder-page" aria-labelledby=format!("page-{pi}")>
                    <h3 id=format!("page-{pi}")>{format!("{} {page_no} / {page_count}", tr(l, "Trang", "Page"))}</h3>
                    <form method="post" action=edit_action.clone() class="side-by-side page-title-form">
                        <input type="hidden" name="op" value="page_title"/>
                        <input type="hidden" name="page" value=pi.to_string()/>
                        {text_input(format!("page-{pi}-vi"), "title_vi".into(), tr(l, "Tiêu đề trang (tiếng Việt)", "Page title (Vietnamese)"), page_title.vi.clone(), "vi")}
                        {text_input(format!("page-{pi}-en"), "title_en".into(), tr(l, "Tiêu đề trang (tiếng Anh)", "Page title (English)"), page_title.en.clone(), "en")}
                        <button type="submit" class="button secondary">{tr(l, "Lưu tiêu đề", "Save title")}</button>
                    </form>
                    <ol class="builder-questions" data-reorder=edit_action.clone() data-page=pi.to_string()>{questions}</ol>
                    <form method="post" action=edit_action.clone() class="add-question">
                        <input type="hidden" name="op" value="add_question"/>
                        <input type="hidden" name="page" value=pi.to_string()/>
                        <div class="field">
                            <label for=format!("add-kind-{pi}")>{tr(l, "Loại câu hỏi", "Question type")}</label>
                            <select id=format!("add-kind-{pi}") name="kind">{kinds}</select>
                        </div>
                        <div class="field">
                            <label for=format!("add-key-{pi}")>{tr(l, "Mã câu hỏi", "Question key")}</label>
                            <input type="text" id=format!("add-key-{pi}") name="key" maxlength="40" placeholder="vc_4"/>
                        </div>
                        <button type="submit" class="button secondary">{tr(l, "Thêm câu hỏi vào trang này", "Add a question to this page")}</button>
                    </form>
                    <div class="q-actions">
                        {action_button(edit_action.clone(), vec![("op", "move_page".into()), ("page", pi.to_string()), ("dir", "up".into())], tr(l, "Chuyển trang lên", "Move page up").into(), "link-button", None)}
                        {action_button(edit_action.clone(), vec![("op", "move_page".into()), ("page", pi.to_string()), ("dir", "down".into())], tr(l, "Chuyển trang xuống", "Move page down").into(), "link-button", None)}
                        {page.questions.is_empty().then(|| action_button(edit_action.clone(), vec![("op", "delete_page".into()), ("page", pi.to_string())], tr(l, "Xoá trang trống", "Delete empty page").into(), "link-button", None))}
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
                (_, true) => tr(l, "đang chạy", "live").to_string(),
                (Some(at), false) => format!("{} {at}", tr(l, "đã xuất bản", "published")),
                (None, _) => tr(l, "bản nháp", "draft").to_string(),
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
            <p><a href="/admin">{tr(l, "← Thương hiệu và khảo sát", "← Brands and surveys")}</a></p>
            <h1 tabindex="-1">{title}</h1>
            <p>{m.def.brand.name.clone()}" · "<code>{slug.clone()}</code>" · "<strong>{status_name(l, &m.status)}</strong></p>
            <p class="hint">{editing}</p>
            {notice}
            {problem}
            <section class="card" aria-labelledby="check">
                <h2 id="check">{tr(l, "Kiểm tra khảo sát", "Survey check")}</h2>
                {findings_view(l, &m.findings)}
                <div class="actions">
                    {publish}
                    <a class="button secondary" href=format!("{base}/preview?lang=vi")>{tr(l, "Xem trước (tiếng Việt)", "Preview (Vietnamese)")}</a>
                    <a class="button secondary" href=format!("{base}/preview?lang=en")>{tr(l, "Xem trước (tiếng Anh)", "Preview (English)")}</a>
                    {status_buttons}
                </div>
            </section>
            <section class="card" aria-labelledby="settings">
                <h2 id="settings">{tr(l, "Tiêu đề và lời mở đầu", "Title and introduction")}</h2>
                <form method="post" action=edit_action.clone() class="stack-form">
                    <input type="hidden" name="op" value="settings"/>
                    <div class="side-by-side">
                        {text_input("title-vi".into(), "title_vi".into(), tr(l, "Tiêu đề (tiếng Việt)", "Title (Vietnamese)"), m.def.title.vi.clone(), "vi")}
                        {text_input("title-en".into(), "title_en".into(), tr(l, "Tiêu đề (tiếng Anh)", "Title (English)"), m.def.title.en.clone(), "en")}
                        <div class="field">
                            <label for="intro-vi">{tr(l, "Lời mở đầu (tiếng Việt)", "Introduction (Vietnamese)")}</label>
                            <textarea id="intro-vi" name="intro_vi" lang="vi" rows="3" maxlength="4000">{m.def.intro.vi.clone()}</textarea>
                        </div>
                        <div class="field">
                            <label for="intro-en">{tr(l, "Lời mở đầu (tiếng Anh)", "Introduction (English)")}</label>
                            <textarea id="intro-en" name="intro_en" lang="en" rows="3" maxlength="4000">{m.def.intro.en.clone()}</textarea>
                        </div>
                    </div>
                    <div class="field">
                        <label for="threshold">{tr(l, "Ngưỡng gắn kết (1–7)", "Bond threshold (1–7)")}</label>
                        <input type="number" id="threshold" name="bond_threshold" value=m.def.bond_threshold.to_string() min="1" max="7" step="0.5"/>
                    </div>
                    <div class="field">
                        <label for="time-zone">{tr(l, "Múi giờ của báo cáo", "Report time zone")}</label>
                        <span class="hint" id="time-zone-hint">{tr(l, "Ngày, tuần và tháng trong báo cáo tính theo múi giờ này (tên IANA, ví dụ Asia/Ho_Chi_Minh).", "Days, weeks and months in the report are counted in this zone (an IANA name such as Asia/Ho_Chi_Minh).")}</span>
                        <input type="text" id="time-zone" name="time_zone" value=m.def.time_zone.clone() maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="time-zone-hint"/>
                    </div>
                    <button type="submit" class="button secondary">{tr(l, "Lưu", "Save")}</button>
                </form>
            </section>
            <h2>{tr(l, "Trang và câu hỏi", "Pages and questions")}</h2>
            <p class="hint">{tr(l, "Sắp xếp bằng nút ↑ ↓ (bàn phím) hoặc kéo thả câu hỏi, kể cả sang trang khác.", "Reorder with the ↑ ↓ buttons (keyboard) or by dragging a question, also onto another page.")}</p>
            {pages}
            <div class="actions">
                {action_button(edit_action.clone(), vec![("op", "add_page".into())], tr(l, "Thêm trang", "Add a page").into(), "button secondary", None)}
                {action_button(edit_action.clone(), vec![("op", "add_bond_check".into())], tr(l, "Thêm khối “Kiểm tra gắn kết thương hiệu”", "Add the “Brand Bond Check” block").into(), "button secondary", None)}
            </div>
            <section class="card" aria-labelledby="distribution">
                <h2 id="distribution">{tr(l, "Phân phối", "Distribution")}</h2>
                <p>{tr(l, "Đường dẫn công khai: ", "Public link: ")}<a href=m.public_url.clone()><code>{m.public_url.clone()}</code></a></p>
                <img src=format!("{base}/qr.svg") width="160" height="160" alt=tr(l, "Mã QR của đường dẫn công khai", "QR code of the public link")/>
                <p><a href=format!("{base}/qr.svg") download=format!("{slug}-qr.svg")>{tr(l, "Tải mã QR (SVG)", "Download the QR code (SVG)")}</a></p>
                <form method="post" action=format!("{base}/distribution") class="stack-form">
                    <label class="check"><input type="checkbox" name="invite_only" value="1" checked=m.invite_only/>
                        {tr(l, "Chỉ người có đường dẫn mời mới trả lời được", "Only people with an invite link can answer")}</label>
                    <label class="check"><input type="checkbox" name="one_per_browser" value="1" checked=m.one_per_browser/>
                        {tr(l, "Mỗi trình duyệt chỉ trả lời một lần", "One response per browser")}</label>
                    <button type="submit" class="button secondary">{tr(l, "Lưu cách phân phối", "Save distribution")}</button>
                </form>
                <form method="post" action=format!("{base}/invites") class="stack-form">
                    <p class="hint">{format!("{}: {} · {}: {}", tr(l, "Đường dẫn mời đã tạo", "Invite links created"), m.invites_created, tr(l, "đã dùng", "used"), m.invites_used)}</p>
                    <div class="field">
                        <label for="invite-count">{tr(l, "Tạo đường dẫn mời dùng một lần (tải về tệp CSV để gửi thư)", "Create single-use invite links (downloaded as CSV for mailing)")}</label>
                        <input type="number" id="invite-count" name="count" value="50" min="1" max="10000"/>
                    </div>
                    <button type="submit" class="button secondary">{tr(l, "Tạo và tải CSV", "Create and download CSV")}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="versions">
                <h2 id="versions">{tr(l, "Phiên bản", "Versions")}</h2>
                <div class="table-scroll"><table>
                    <thead><tr><th scope="col">{tr(l, "Phiên bản", "Version")}</th><th scope="col">{tr(l, "Trạng thái", "State")}</th><th scope="col">{tr(l, "Câu trả lời hoàn thành", "Complete responses")}</th></tr></thead>
                    <tbody>{versions}</tbody>
                </table></div>
                <p>
                    <a href=format!("{base}/responses")>{tr(l, "Xem các câu trả lời", "View responses")}</a>" · "
                    <a href=format!("/reports/{slug}")>{tr(l, "Báo cáo", "Report")}</a>" · "
                    <a href=format!("{base}/export") download=format!("{slug}.json")>{tr(l, "Xuất JSON", "Export JSON")}</a>
                </p>
                <form method="post" action=format!("{base}/duplicate") class="inline-form">
                    <label for="dup-slug">{tr(l, "Nhân bản thành khảo sát mới với mã", "Duplicate as a new survey with slug")}</label>" "
                    <input type="text" id="dup-slug" name="slug" maxlength="64" required/>" "
                    <button type="submit" class="button secondary">{tr(l, "Nhân bản", "Duplicate")}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="history">
                <h2 id="history">{tr(l, "Lịch sử thay đổi", "Change history")}</h2>
                <ul class="audit">{audit}</ul>
            </section>
        </div>
    }
}

/// The end of an admin's preview, where respondents would see the thank-you page.
pub fn preview_done_view(l: Locale, slug: String) -> impl IntoView {
    view! {
        <section class="card thanks">
            <h1 tabindex="-1">{tr(l, "Xem trước đã xong", "Preview finished")}</h1>
            <p class="lead">{tr(l, "Người trả lời sẽ thấy trang cảm ơn ở đây. Không có câu trả lời nào được lưu.", "Respondents would see the thank-you page here. No answers were stored.")}</p>
            <p><a class="button secondary" href=format!("/admin/surveys/{slug}")>{tr(l, "Về trình soạn khảo sát", "Back to the survey builder")}</a></p>
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
    let q = f.question;
    let kinds = KINDS
        .iter()
        .map(|k| view! { <option value=kind_key(*k) selected=*k == q.kind>{kind_name(l, *k)}</option> })
        .collect_view();
    let constructs = CONSTRUCTS
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
                        <legend>{format!("{} {}", tr(l, "Lựa chọn", "Option"), i + 1)}</legend>
                        <div class="field">
                            <label for=format!("o{i}-key")>{tr(l, "Mã", "Key")}</label>
                            <input type="text" id=format!("o{i}-key") name=format!("o{i}_key") value=o.key maxlength="40"/>
                        </div>
                        <div class="side-by-side">
                            {text_input(format!("o{i}-vi"), format!("o{i}_vi"), tr(l, "Tiếng Việt", "Vietnamese"), o.text.vi, "vi")}
                            {text_input(format!("o{i}-en"), format!("o{i}_en"), tr(l, "Tiếng Anh", "English"), o.text.en, "en")}
                        </div>
                        <label class="check"><input type="checkbox" name=format!("o{i}_remove") value="1"/>{tr(l, "Xoá lựa chọn này", "Remove this option")}</label>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <h2>{tr(l, "Các lựa chọn", "Options")}</h2>
            <p class="hint">{tr(l, "Điền dòng trống cuối để thêm một lựa chọn.", "Fill in the last, empty row to add an option.")}</p>
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
            <p><a href=base.clone()>{tr(l, "← Về trình soạn khảo sát", "← Back to the survey builder")}</a></p>
            <h1 tabindex="-1">{format!("{} {}", tr(l, "Câu hỏi", "Question"), q.key)}</h1>
            {problems_view(l, f.problems)}
            <form method="post" action=format!("{base}/q/{}", q.key) class="stack-form card">
                <div class="field">
                    <label for="q-kind">{tr(l, "Loại câu hỏi", "Question type")}</label>
                    <select id="q-kind" name="kind">{kinds}</select>
                </div>
                <div class="side-by-side">
                    <div class="field">
                        <label for="q-text-vi">{tr(l, "Câu hỏi (tiếng Việt)", "Question (Vietnamese)")}</label>
                        <textarea id="q-text-vi" name="text_vi" lang="vi" rows="3" maxlength="2000">{q.text.vi.clone()}</textarea>
                    </div>
                    <div class="field">
                        <label for="q-text-en">{tr(l, "Câu hỏi (tiếng Anh)", "Question (English)")}</label>
                        <textarea id="q-text-en" name="text_en" lang="en" rows="3" maxlength="2000">{q.text.en.clone()}</textarea>
                    </div>
                    {text_input("q-help-vi".into(), "help_vi".into(), tr(l, "Gợi ý (tiếng Việt, không bắt buộc)", "Help (Vietnamese, optional)"), help.vi, "vi")}
                    {text_input("q-help-en".into(), "help_en".into(), tr(l, "Gợi ý (tiếng Anh, không bắt buộc)", "Help (English, optional)"), help.en, "en")}
                </div>
                <label class="check"><input type="checkbox" name="required" value="1" checked=q.required/>{tr(l, "Bắt buộc trả lời", "Answer required")}</label>
                <div class="field">
                    <label for="q-construct">{tr(l, "Câu này đo gì", "What this question measures")}</label>
                    <span class="hint" id="q-construct-hint">{tr(l, "Mỗi chỉ số cần đúng một loại câu hỏi (trong ngoặc). Câu thang điểm không đo gì sẽ bị báo cáo bỏ qua.", "Each measure needs one question type (in brackets). A scale question that measures nothing is ignored by the report.")}</span>
                    <select id="q-construct" name="construct" aria-describedby="q-construct-hint">
                        <option value="">{tr(l, "— không đo chỉ số nào —", "— measures nothing —")}</option>
                        {constructs}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" name="reverse" value="1" checked=q.reverse aria-describedby="q-reverse-hint"/>
                    {tr(l, "Câu đảo chiều", "Reverse-keyed")}
                </label>
                <span class="hint" id="q-reverse-hint">{tr(l,
                    "Chỉ cho câu đồng ý 1–7 đo gắn kết giá trị hoặc gắn kết liên lạc, viết theo chiều ngược lại (ví dụ “Tin nhắn và ưu đãi của X không có nhiều ý nghĩa với tôi”). Điểm tính là 8 − câu trả lời; người trả lời vẫn thấy câu hỏi như bình thường.",
                    "Only for a 1–7 agreement item of the values or contact bond, worded the opposite way (e.g. “X's messages and offers mean little to me”). It is scored 8 − the answer; respondents see it as usual.")}</span>
                <div class="field">
                    <label for="q-value">{tr(l, "Giá trị thương hiệu (cho câu về tầm quan trọng / cảm nhận)", "Stated value (for importance / perception questions)")}</label>
                    <select id="q-value" name="value">
                        <option value="">"—"</option>
                        {values}
                    </select>
                </div>
                {options}
                <h2>{tr(l, "Điều kiện hiển thị", "Show-if rule")}</h2>
                <div class="field">
                    <label for="q-rule">{tr(l, "Chỉ hiện câu này khi câu trả lời cho câu hỏi (ở trang trước)…", "Show this question only when the answer to (an earlier page's question)…")}</label>
                    <select id="q-rule" name="show_if_question">
                        <option value="">{tr(l, "— luôn hiện —", "— always shown —")}</option>
                        {branch_options}
                    </select>
                </div>
                <div class="field">
                    <label for="q-rule-any">{tr(l, "…là một trong các mã sau (cách nhau bằng dấu phẩy)", "…is one of these answer keys (comma-separated)")}</label>
                    <input type="text" id="q-rule-any" name="show_if_any" value=rule_answers maxlength="400"/>
                </div>
                {q.kind.is_text().then(|| view! {
                    <div class="field">
                        <label for="q-max">{tr(l, "Số ký tự tối đa (để trống: mặc định)", "Maximum characters (empty: default)")}</label>
                        <input type="number" id="q-max" name="max_length" value=text_limit min="1" max="10000"/>
                    </div>
                })}
                <button type="submit" class="button primary">{tr(l, "Lưu câu hỏi", "Save question")}</button>
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
    let body = if rows.is_empty() {
        view! { <p class="empty">{tr(l, "Chưa có câu trả lời hoàn thành nào.", "No complete responses yet.")}</p> }.into_any()
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
                <thead><tr><th scope="col">{tr(l, "Câu trả lời", "Response")}</th><th scope="col">{tr(l, "Phiên bản", "Version")}</th><th scope="col">{tr(l, "Hoàn thành lúc", "Completed")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}")>{tr(l, "← Về trình soạn khảo sát", "← Back to the survey builder")}</a></p>
            <h1 tabindex="-1">{tr(l, "Câu trả lời hoàn thành (mới nhất trước)", "Complete responses (newest first)")}</h1>
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
    let items = items
        .into_iter()
        .map(|(key, text, answer)| view! { <tr><th scope="row"><code>{key}</code>" "{text}</th><td>{answer}</td></tr> })
        .collect_view();
    view! {
        <div class="report">
            <p><a href=format!("/admin/surveys/{slug}/responses")>{tr(l, "← Các câu trả lời", "← Responses")}</a></p>
            <h1 tabindex="-1">{format!("{} #{id} · v{version}", tr(l, "Câu trả lời", "Response"))}</h1>
            <p class="hint">{tr(l, "Hiển thị đúng các câu hỏi của phiên bản người này đã trả lời.", "Shown with the questions of the version this person answered.")}</p>
            <section class="card"><div class="table-scroll"><table>
                <thead><tr><th scope="col">{tr(l, "Câu hỏi", "Question")}</th><th scope="col">{tr(l, "Trả lời", "Answer")}</th></tr></thead>
                <tbody>{items}</tbody>
            </table></div></section>
        </div>
    }
}

pub fn audit_view(l: Locale, entries: Vec<AuditEntry>) -> impl IntoView {
    let body = if entries.is_empty() {
        view! { <p class="empty">{tr(l, "Chưa có thay đổi nào.", "No changes yet.")}</p> }
            .into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|a| view! {
                <tr>
                    <td>{when(a.at)}</td>
                    <td>{if a.actor.is_empty() { tr(l, "dòng lệnh", "command line").to_string() } else { a.actor }}</td>
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
                    <th scope="col">{tr(l, "Lúc", "When")}</th><th scope="col">{tr(l, "Ai", "Who")}</th><th scope="col">{tr(l, "Việc", "What")}</th>
                    <th scope="col">{tr(l, "Thương hiệu", "Brand")}</th><th scope="col">{tr(l, "Khảo sát", "Survey")}</th><th scope="col">{tr(l, "Chi tiết", "Detail")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <div class="report">
            <p><a href="/admin">{tr(l, "← Thương hiệu và khảo sát", "← Brands and surveys")}</a></p>
            <h1 tabindex="-1">{tr(l, "Nhật ký thay đổi", "Audit log")}</h1>
            <section class="card">{body}</section>
        </div>
    }
}

pub fn import_view(l: Locale, json: String, problems: Vec<String>) -> impl IntoView {
    view! {
        <div class="report">
            <p><a href="/admin">{tr(l, "← Thương hiệu và khảo sát", "← Brands and surveys")}</a></p>
            <h1 tabindex="-1">{tr(l, "Nhập khảo sát từ JSON", "Import a survey from JSON")}</h1>
            {problems_view(l, problems)}
            <form method="post" action="/admin/import" class="stack-form card">
                <div class="field">
                    <label for="import-json">{tr(l, "Dán nội dung tệp JSON đã xuất (thương hiệu mới được tạo; thương hiệu đã có được giữ nguyên). Khảo sát được nhập thành bản nháp.",
                        "Paste an exported survey JSON (a new brand is created; an existing brand is kept as stored). The survey is imported as a draft.")}</label>
                    <textarea id="import-json" name="json" rows="16" required>{json}</textarea>
                </div>
                <button type="submit" class="button primary">{tr(l, "Nhập", "Import")}</button>
            </form>
        </div>
    }
}
