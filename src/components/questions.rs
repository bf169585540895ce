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
    let frame = Frame::new(q, locale, t, state.error);
    if q.kind.is_text() {
        return text_question_view(q, t, &state, frame);
    }
    let described_by = frame.described_by();
    let choices = choices_view(q, locale, t, &state, described_by.clone());
    view! {
        <fieldset class=frame.class id=question_anchor(&q.key) aria-describedby=described_by>
            <legend class="q-label">{frame.label_text()}</legend>
            {frame.notes()}
            {choices}
        </fieldset>
    }
    .into_any()
}

/// What every question shows around its control: the label's text and its required or
/// optional marker, and the help and error notes the control is described by.
struct Frame {
    class: &'static str,
    text: String,
    marker: &'static str,
    /// The help text's id and text, if the question has help.
    help: Option<(String, String)>,
    /// The error message's id and text, if the answer is in error.
    error: Option<(String, &'static str)>,
}

impl Frame {
    fn new(q: &Question, locale: Locale, t: &Ui, error: bool) -> Frame {
        let key = &q.key;
        let help = q
            .help
            .as_ref()
            .map(|h| h.get(locale).to_string())
            .filter(|h| !h.is_empty())
            .map(|h| (format!("help-{key}"), h));
        Frame {
            class: if error {
                "question has-error"
            } else {
                "question"
            },
            text: q.text.get(locale).to_string(),
            marker: if q.required { t.required } else { t.optional },
            help,
            error: error.then(|| (format!("err-{key}"), t.error_required)),
        }
    }

    /// Ids of the notes shown, help first, for `aria-describedby`.
    fn described(&self) -> Vec<String> {
        let help = self.help.as_ref().map(|(id, _)| id.clone());
        let error = self.error.as_ref().map(|(id, _)| id.clone());
        help.into_iter().chain(error).collect()
    }

    /// The `aria-describedby` value; none when there are no notes.
    fn described_by(&self) -> Option<String> {
        let described = self.described();
        (!described.is_empty()).then(|| described.join(" "))
    }

    /// The inside of the label (or legend): the question's text and its marker.
    fn label_text(&self) -> impl IntoView {
        let (text, marker) = (self.text.clone(), self.marker);
        view! {
            <span class="q-text">{text}</span>
            " "
            <span class="q-marker">"(" {marker} ")"</span>
        }
    }

    /// The help text and the error message, each if there is one.
    fn notes(&self) -> impl IntoView {
        let help = self
            .help
            .clone()
            .map(|(id, h)| view! { <p class="help" id=id>{h}</p> });
        let error = self
            .error
            .clone()
            .map(|(id, e)| view! { <p class="field-error" id=id>{e}</p> });
        (help, error)
    }
}

/// A text question: a label for its text box or text area, and the length limit, which
/// the box is also described by.
fn text_question_view(q: &Question, t: &Ui, state: &QuestionState<'_>, frame: Frame) -> AnyView {
    let key = &q.key;
    let input_id = format!("f-{key}");
    let limit = q.text_limit();
    let limit_id = format!("limit-{key}");
    let mut described = frame.described();
    described.push(limit_id.clone());
    let control = text_control(q, state, input_id.clone(), described.join(" "));
    view! {
        <div class=frame.class id=question_anchor(key)>
            <label class="q-label" for=input_id>{frame.label_text()}</label>
            {frame.notes()}
            {control}
            <p class="hint" id=limit_id>{(t.text_limit)(limit)}</p>
        </div>
    }
    .into_any()
}

/// The text area of a long-text question or the text box of a short one, holding the
/// saved answer.
fn text_control(
    q: &Question,
    state: &QuestionState<'_>,
    input_id: String,
    described_by: String,
) -> AnyView {
    let limit = q.text_limit();
    let value = match state.answer {
        Some(Answer::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let described_by = Some(described_by);
    let invalid = state.error.then_some("true");
    if q.kind == QuestionKind::LongText {
        view! {
            <textarea id=input_id name=field_name(&q.key) rows="5" maxlength=limit.to_string()
                aria-describedby=described_by aria-invalid=invalid autofocus=state.autofocus>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" id=input_id name=field_name(&q.key) value=value maxlength=limit.to_string()
                aria-describedby=described_by aria-invalid=invalid autofocus=state.autofocus/>
        }
        .into_any()
    }
}

/// One radio or checkbox with its label.
struct Choice {
    value: String,
    label: String,
    /// Extra text for screen readers only (e.g. the meaning of a scale's end point).
    sr_extra: Option<String>,
}

impl Choice {
    fn plain(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            sr_extra: None,
        }
    }
}

/// The points of a numeric scale; the first and last tell screen readers what they mean.
fn numbered(range: std::ops::RangeInclusive<u8>, low: &str, high: &str) -> Vec<Choice> {
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
}

/// Renders one question's radios or checkboxes, all with its name, state and description.
struct ChoiceInputs<'a> {
    key: &'a str,
    state: &'a QuestionState<'a>,
    described_by: Option<String>,
}

impl ChoiceInputs<'_> {
    /// One input with its label; the first (`index` 0) takes the question's focus.
    fn input(&self, kind: &'static str, c: Choice, index: usize) -> impl IntoView {
        let id = format!("f-{}-{}", self.key, c.value);
        let label_for = id.clone();
        let checked = self.state.answer.is_some_and(|a| a.includes(&c.value));
        let invalid = self.state.error.then_some("true");
        let autofocus = self.state.autofocus && index == 0;
        let described_by = self.described_by.clone();
        let sr = c
            .sr_extra
            .map(|s| view! { <span class="sr-only">{s}</span> });
        view! {
            <label class="choice" for=label_for>
                <input type=kind id=id name=field_name(self.key) value=c.value checked=checked
                    aria-invalid=invalid autofocus=autofocus aria-describedby=described_by/>
                <span class="choice-label">{c.label}{sr}</span>
            </label>
        }
    }

    /// The choices in order, in a `div` of the given class.
    fn list(&self, kind: &'static str, class: &'static str, choices: Vec<Choice>) -> impl IntoView {
        let items = choices
            .into_iter()
            .enumerate()
            .map(|(i, c)| self.input(kind, c, i))
            .collect_view();
        view! { <div class=class>{items}</div> }
    }
}

fn choices_view(
    q: &Question,
    locale: Locale,
    t: &Ui,
    state: &QuestionState<'_>,
    described_by: Option<String>,
) -> AnyView {
    let inputs = ChoiceInputs {
        key: &q.key,
        state,
        described_by,
    };
    match q.kind {
        QuestionKind::Agree7 | QuestionKind::Recommend10 => scale_view(q, t, &inputs),
        QuestionKind::ContactFrequency => {
            let choices = t
                .frequency_levels
                .iter()
                .enumerate()
                .map(|(i, label)| Choice::plain(&i.to_string(), label))
                .chain(std::iter::once(Choice::plain(DONT_KNOW, t.dont_know)))
                .collect();
            inputs.list("radio", "choices", choices).into_any()
        }
        QuestionKind::YesNoDk => {
            let choices = vec![
                Choice::plain("yes", t.yes),
                Choice::plain("no", t.no),
                Choice::plain(DONT_KNOW, t.dont_know),
            ];
            inputs
                .list("radio", "choices choices-inline", choices)
                .into_any()
        }
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let choices = q
                .options
                .iter()
                .map(|o| Choice::plain(&o.key, o.text.get(locale)))
                .collect();
            if q.kind == QuestionKind::MultipleChoice {
                view! {
                    <p class="hint">{t.choose_all_that_apply}</p>
                    {inputs.list("checkbox", "choices", choices)}
                }
                .into_any()
            } else {
                inputs.list("radio", "choices", choices).into_any()
            }
        }
        QuestionKind::ShortText | QuestionKind::LongText => ().into_any(),
    }
}

/// A 1–7 agreement or 0–10 recommendation scale: the points under the meaning of both
/// ends; an agreement scale is followed by its "don't know" choices.
fn scale_view(q: &Question, t: &Ui, inputs: &ChoiceInputs<'_>) -> AnyView {
    let (range, low, high, class) = if q.kind == QuestionKind::Agree7 {
        let (low, high) = agreement_ends(q, t);
        (1..=7, low, high, "scale scale-7")
    } else {
        (0..=10, t.recommend_low, t.recommend_high, "scale scale-11")
    };
    let points = inputs.list("radio", "points", numbered(range, low, high));
    let dont_know = (q.kind == QuestionKind::Agree7).then(|| dont_know_view(q, t, inputs));
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

/// What the ends of an agreement scale mean: importance and perception items have their
/// own words, every other item disagree–agree.
fn agreement_ends(q: &Question, t: &Ui) -> (&'static str, &'static str) {
    match q.construct {
        Some(Construct::ValueImportance) => (t.importance_low, t.importance_high),
        Some(Construct::ValuePerception) => (t.perception_low, t.perception_high),
        _ => (t.agree_low, t.agree_high),
    }
}

/// "Don't know" after an agreement scale, and "I have never given feedback" for the items
/// that offer it. Their indices are past the points', so neither takes the focus.
fn dont_know_view(q: &Question, t: &Ui, inputs: &ChoiceInputs<'_>) -> impl IntoView {
    let dont_know = inputs.input("radio", Choice::plain(DONT_KNOW, t.dont_know), 99);
    let never = q.offers_never_gave_feedback().then(|| {
        let c = Choice::plain(NEVER_GAVE_FEEDBACK, t.never_gave_feedback);
        inputs.input("radio", c, 98)
    });
    view! { <div class="dont-know">{dont_know}{never}</div> }
}
