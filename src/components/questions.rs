//! Server-rendered inputs for every question type. Plain HTML controls inside a
//! fieldset/legend, so they work without JavaScript, with a keyboard and a screen reader,
//! and stay usable at 320 px (see `style/main.css`).

use leptos::prelude::*;

use crate::domain::answer::{Answer, DONT_KNOW, NEVER_GAVE_FEEDBACK};
use crate::domain::flow::field_name;
use crate::domain::{Construct, Locale, Question, QuestionKind};
use crate::i18n::{ui, Ui};

/// How one question is shown: its saved answer, whether it is in error, whether it gets focus.
pub struct QuestionState<'a> {
    pub answer: Option<&'a Answer>,
    pub error: bool,
    pub autofocus: bool,
}

/// DOM id of a question's container (error summary links point here).
pub fn question_anchor(key: &str) -> String {
    format!("question-{key}")
}

pub fn question_view(q: &Question, locale: Locale, state: QuestionState<'_>) -> AnyView {
    let t = ui(locale);
    let key = q.key.clone();
    let text = q.text.get(locale).to_string();
    let help = q
        .help
        .as_ref()
        .map(|h| h.get(locale).to_string())
        .filter(|h| !h.is_empty());
    let marker = if q.required { t.required } else { t.optional };
    let help_id = format!("help-{key}");
    let error_id = format!("err-{key}");
    let mut described = Vec::new();
    if help.is_some() {
        described.push(help_id.clone());
    }
    if state.error {
        described.push(error_id.clone());
    }
    let described_by = (!described.is_empty()).then(|| described.join(" "));
    let help_view = help.map(|h| view! { <p class="help" id=help_id.clone()>{h}</p> });
    let error_view = state
        .error
        .then(|| view! { <p class="field-error" id=error_id.clone()>{t.error_required}</p> });
    let class = if state.error {
        "question has-error"
    } else {
        "question"
    };

    if q.kind.is_text() {
        let input_id = format!("f-{key}");
        let limit = q.text_limit();
        let value = match state.answer {
            Some(Answer::Text(s)) => s.clone(),
            _ => String::new(),
        };
        let limit_id = format!("limit-{key}");
        let described_by = Some(
            described
                .iter()
                .cloned()
                .chain([limit_id.clone()])
                .collect::<Vec<_>>()
                .join(" "),
        );
        let invalid = state.error.then_some("true");
        let control = if q.kind == QuestionKind::LongText {
            view! {
                <textarea id=input_id.clone() name=field_name(&key) rows="5" maxlength=limit.to_string()
                    aria-describedby=described_by aria-invalid=invalid autofocus=state.autofocus>{value}</textarea>
            }
            .into_any()
        } else {
            view! {
                <input type="text" id=input_id.clone() name=field_name(&key) value=value maxlength=limit.to_string()
                    aria-describedby=described_by aria-invalid=invalid autofocus=state.autofocus/>
            }
            .into_any()
        };
        return view! {
            <div class=class id=question_anchor(&key)>
                <label class="q-label" for=input_id>
                    <span class="q-text">{text}</span>
                    " "
                    <span class="q-marker">"(" {marker} ")"</span>
                </label>
                {help_view}
                {error_view}
                {control}
                <p class="hint" id=limit_id>{(t.text_limit)(limit)}</p>
            </div>
        }
        .into_any();
    }

    let choices = choices_view(q, locale, t, &state, described_by.clone());
    view! {
        <fieldset class=class id=question_anchor(&key) aria-describedby=described_by>
            <legend class="q-label">
                <span class="q-text">{text}</span>
                " "
                <span class="q-marker">"(" {marker} ")"</span>
            </legend>
            {help_view}
            {error_view}
            {choices}
        </fieldset>
    }
    .into_any()
}

/// One radio or checkbox with its label.
struct Choice {
    value: String,
    label: String,
    /// Extra text for screen readers only (e.g. the meaning of a scale's end point).
    sr_extra: Option<String>,
}

fn choices_view(
    q: &Question,
    locale: Locale,
    t: &Ui,
    state: &QuestionState<'_>,
    described_by: Option<String>,
) -> AnyView {
    let numbered = |range: std::ops::RangeInclusive<u8>, low: &str, high: &str| -> Vec<Choice> {
        let (first, last) = (*range.start(), *range.end());
        range
            .map(|n| Choice {
                value: n.to_string(),
                label: n.to_string(),
                sr_extra: if n == first {
                    Some(format!(" – {low}"))
                } else if n == last {
                    Some(format!(" – {high}"))
                } else {
                    None
                },
            })
            .collect()
    };
    let (low, high) = match q.construct {
        Some(Construct::ValueImportance) => (t.importance_low, t.importance_high),
        Some(Construct::ValuePerception) => (t.perception_low, t.perception_high),
        _ => (t.agree_low, t.agree_high),
    };
    let plain = |value: &str, label: &str| Choice {
        value: value.into(),
        label: label.into(),
        sr_extra: None,
    };
    let input = |kind: &'static str, c: Choice, index: usize| {
        let id = format!("f-{}-{}", q.key, c.value);
        let label_for = id.clone();
        let checked = state.answer.is_some_and(|a| a.includes(&c.value));
        let invalid = state.error.then_some("true");
        let sr = c
            .sr_extra
            .map(|s| view! { <span class="sr-only">{s}</span> });
        view! {
            <label class="choice" for=label_for>
                <input type=kind id=id name=field_name(&q.key) value=c.value checked=checked
                    aria-invalid=invalid autofocus=state.autofocus && index == 0 aria-describedby=described_by.clone()/>
                <span class="choice-label">{c.label}{sr}</span>
            </label>
        }
    };
    let list = |kind: &'static str, class: &'static str, choices: Vec<Choice>| {
        let items = choices
            .into_iter()
            .enumerate()
            .map(|(i, c)| input(kind, c, i))
            .collect_view();
        view! { <div class=class>{items}</div> }
    };
    match q.kind {
        QuestionKind::Agree7 | QuestionKind::Recommend10 => {
            let (range, low, high, class) = if q.kind == QuestionKind::Agree7 {
                (1..=7, low, high, "scale scale-7")
            } else {
                (0..=10, t.recommend_low, t.recommend_high, "scale scale-11")
            };
            let points = list("radio", "points", numbered(range, low, high));
            let dont_know = (q.kind == QuestionKind::Agree7).then(|| {
                let c = plain(DONT_KNOW, t.dont_know);
                let never = q.offers_never_gave_feedback().then(|| {
                    input(
                        "radio",
                        plain(NEVER_GAVE_FEEDBACK, t.never_gave_feedback),
                        98,
                    )
                });
                view! { <div class="dont-know">{input("radio", c, 99)}{never}</div> }
            });
            view! {
                <div class=class>
                    <div class="anchors" aria-hidden="true">
                        <span>{low}</span>
                        <span>{high}</span>
                    </div>
                    {points}
                </div>
                {dont_know}
            }
            .into_any()
        }
        QuestionKind::ContactFrequency => {
            let choices = t
                .frequency_levels
                .iter()
                .enumerate()
                .map(|(i, label)| plain(&i.to_string(), label))
                .chain(std::iter::once(plain(DONT_KNOW, t.dont_know)))
                .collect();
            list("radio", "choices", choices).into_any()
        }
        QuestionKind::YesNoDk => {
            let choices = vec![
                plain("yes", t.yes),
                plain("no", t.no),
                plain(DONT_KNOW, t.dont_know),
            ];
            list("radio", "choices choices-inline", choices).into_any()
        }
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let choices = q
                .options
                .iter()
                .map(|o| plain(&o.key, o.text.get(locale)))
                .collect();
            if q.kind == QuestionKind::MultipleChoice {
                view! {
                    <p class="hint">{t.choose_all_that_apply}</p>
                    {list("checkbox", "choices", choices)}
                }
                .into_any()
            } else {
                list("radio", "choices", choices).into_any()
            }
        }
        QuestionKind::ShortText | QuestionKind::LongText => ().into_any(),
    }
}
