//! The question editor: one question's kind and texts, what it measures, its options, its
//! show-if rule and its length limit.

use leptos::prelude::*;

use super::{construct_name, kind_name, problems_view, text_input};
use crate::domain::survey::ChoiceOption;
use crate::domain::{Construct, Locale, Question, QuestionKind};
use crate::i18n::{authoring_ui, AuthoringUi};

/// The question editor, with the choices its selects offer.
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
    let text_limit = q.max_length.map(|n| n.to_string()).unwrap_or_default();
    let base = format!("/admin/surveys/{}", f.slug);
    view! {
        <div class="report">
            <p><a href=base.clone()>{t.back_to_builder}</a></p>
            <h1 tabindex="-1">{format!("{} {}", t.question, q.key)}</h1>
            {problems_view(l, f.problems)}
            <form method="post" action=format!("{base}/q/{}", q.key) class="stack-form card">
                {wording_fields(l, &q)}
                {measure_fields(l, &q, f.values)}
                {q.kind.has_options().then(|| option_fields(t, &q))}
                {show_if_fields(t, &q, f.branchable)}
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

/// The question's kind, its text and help in both languages, and whether it must be
/// answered.
fn wording_fields(l: Locale, q: &Question) -> impl IntoView {
    let t = authoring_ui(l);
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| view! { <option value=k.name() selected=*k == q.kind>{kind_name(l, *k)}</option> })
        .collect_view();
    let help = q.help.clone().unwrap_or_default();
    view! {
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
    }
}

/// What the question measures, whether it is reverse-keyed, and the stated value it is
/// about (`values`: the brand's, as (key, label)).
fn measure_fields(l: Locale, q: &Question, values: Vec<(String, String)>) -> impl IntoView {
    let t = authoring_ui(l);
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
    let values = values
        .into_iter()
        .map(|(key, label)| {
            let selected = q.value.as_deref() == Some(key.as_str());
            view! { <option value=key.clone() selected=selected>{format!("{label} ({key})")}</option> }
        })
        .collect_view();
    view! {
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
    }
}

/// The options of a choice question, and an empty row to add one.
fn option_fields(t: &AuthoringUi, q: &Question) -> impl IntoView {
    let mut option_rows = q.options.clone();
    option_rows.push(ChoiceOption {
        key: String::new(),
        text: Default::default(),
    });
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
}

/// The show-if rule: an earlier question (`branchable`) and the answers that show this one.
fn show_if_fields(
    t: &AuthoringUi,
    q: &Question,
    branchable: Vec<(String, String, Vec<String>)>,
) -> impl IntoView {
    let rule_question = q
        .show_if
        .as_ref()
        .map(|r| r.question.clone())
        .unwrap_or_default();
    let rule_answers = q
        .show_if
        .as_ref()
        .map(|r| r.any_of.join(", "))
        .unwrap_or_default();
    let branch_options = branchable
        .into_iter()
        .map(|(key, text, answers)| {
            let selected = key == rule_question;
            view! { <option value=key.clone() selected=selected>{format!("{key}: {text} [{}]", answers.join(", "))}</option> }
        })
        .collect_view();
    view! {
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
    }
}
