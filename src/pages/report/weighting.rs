//! Weighting on the report page: at the top, whether the figures are weighted (with n,
//! n_eff and the weights' range, or why weighting failed) and the switch between weighted
//! and unweighted figures; for staff, the card where the target shares are entered.

use leptos::prelude::*;

use super::{ReportMode, ReportPage};
use crate::domain::report::{Weighting, WeightingOutcome};
use crate::domain::weighting::{target_field, Margin, TargetError, WEIGHT_FIELD};
use crate::domain::{Construct, Locale, SurveyDefinition};
use crate::i18n::{weighting_ui, WeightingUi};
use crate::pages::with_query;

/// What the staff weighting card shows: the stored targets, or the form as posted when it
/// had a problem (nothing stored is lost: the stored targets stay until a valid set
/// replaces them).
#[derive(Clone, Debug, Default)]
pub struct WeightingPanel {
    /// The stored targets, with who set them and the day.
    pub stored: Option<StoredTargets>,
    /// The posted fields, re-shown with `problem`.
    pub entered: Option<Vec<(String, String)>>,
    pub problem: Option<String>,
    /// "Saved" / "removed", after the redirect.
    pub notice: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct StoredTargets {
    pub margins: Vec<Margin>,
    pub set_by: String,
    pub set_on: String,
}

/// The question's label in `locale` (its key if the survey no longer has it).
fn question_label(def: &SurveyDefinition, locale: Locale, key: &str) -> String {
    def.question(key)
        .map_or_else(|| key.to_string(), |q| q.text.get(locale).to_string())
}

fn option_label(def: &SurveyDefinition, locale: Locale, question: &str, option: &str) -> String {
    def.question(question)
        .and_then(|q| q.options.iter().find(|o| o.key == option))
        .map_or_else(|| option.to_string(), |o| o.text.get(locale).to_string())
}

/// A problem with entered targets, in the user's language, naming questions and options
/// by their labels.
pub fn target_problem(def: &SurveyDefinition, locale: Locale, e: &TargetError) -> String {
    let w = weighting_ui(locale);
    let q = |key: &str| question_label(def, locale, key);
    let o = |question: &str, option: &str| option_label(def, locale, question, option);
    match e {
        TargetError::NoQuestionChosen => w.none_chosen.to_string(),
        TargetError::TooManyQuestions { count } => (w.too_many)(*count),
        TargetError::RepeatedQuestion { question }
        | TargetError::UnknownQuestion { question }
        | TargetError::NotASegment { question } => (w.not_a_segment)(&q(question)),
        TargetError::UnknownOption { question, option }
        | TargetError::RepeatedOption { question, option } => {
            (w.unknown_option)(&q(question), option)
        }
        TargetError::MissingOption { question, option } => {
            (w.missing_option)(&q(question), &o(question, option))
        }
        TargetError::ShareOutOfRange {
            question, option, ..
        } => (w.out_of_range)(&q(question), &o(question, option)),
        TargetError::NotANumber { question, option } => {
            (w.not_a_number)(&q(question), &o(question, option))
        }
        TargetError::SharesDoNotSumToOne { question, sum } => {
            (w.sum_not_100)(&q(question), sum * 100.0)
        }
        TargetError::PercentagesDoNotSumTo100 { question, sum } => {
            (w.sum_not_100)(&q(question), *sum)
        }
    }
}

/// The top line: weighted or not, and why; n, n_eff, the weights' range; what had no
/// answer; and (staff) the switch between weighted and unweighted figures.
pub(super) fn weighting_status(p: &ReportPage<'_>) -> Option<AnyView> {
    let w = weighting_ui(p.locale);
    let targets_set = p
        .weighting
        .as_ref()
        .is_some_and(|panel| panel.stored.is_some());
    let switch = matches!(p.mode, ReportMode::Staff(_)).then(|| {
        let mut query = p.query.clone();
        query.unweighted = !query.unweighted;
        let href = with_query(&format!("/reports/{}", p.slug), &query.to_query());
        let label = if p.query.unweighted {
            w.show_weighted
        } else {
            w.show_unweighted
        };
        view! { " " <a href=href class="no-print">{label}</a> }
    });
    let body = match (&p.report.weighting, p.query.unweighted && targets_set) {
        (Some(weighting), _) => status_lines(w, p.def, p.locale, p.report.responses, weighting),
        (None, true) => view! { <p class="weighting-status">{w.badge_unweighted}</p> }.into_any(),
        (None, false) => return None,
    };
    Some(
        view! {
            <section class="card" aria-labelledby="weighting-status" id="weighting-note">
                <h2 id="weighting-status">{w.title}</h2>
                {body}
                <p>{switch}</p>
            </section>
        }
        .into_any(),
    )
}

fn status_lines(
    w: &'static WeightingUi,
    def: &SurveyDefinition,
    locale: Locale,
    responses: u64,
    weighting: &Weighting,
) -> AnyView {
    let q = |key: &str| question_label(def, locale, key);
    let o = |question: &str, option: &str| option_label(def, locale, question, option);
    let (badge, line) = match &weighting.outcome {
        WeightingOutcome::Weighted {
            n_eff,
            largest_weight,
            smallest_weight,
            ..
        } => (
            w.badge_weighted,
            (w.weighted)(responses, *n_eff, *smallest_weight, *largest_weight),
        ),
        WeightingOutcome::NotConverged { rounds } => {
            (w.badge_unweighted, (w.not_converged)(*rounds))
        }
        WeightingOutcome::EmptyTarget { question, option } => (
            w.badge_unweighted,
            (w.empty_target)(&q(question), &o(question, option)),
        ),
        WeightingOutcome::UntargetedAnswer { question, option } => (
            w.badge_unweighted,
            (w.untargeted)(&q(question), &o(question, option)),
        ),
        WeightingOutcome::TooFew => (w.badge_unweighted, w.too_few.to_string()),
    };
    let unanswered = weighting
        .margins
        .iter()
        .filter(|m| m.unanswered > 0)
        .map(|m| view! { <p class="note">{(w.unanswered)(&q(&m.question), m.unanswered)}</p> })
        .collect_view();
    // What the figures are weighted to: each question's target shares.
    let targets = weighting
        .margins
        .iter()
        .map(|m| {
            let shares: Vec<String> = m
                .targets
                .iter()
                .map(|t| format!("{} {:.0}%", o(&m.question, &t.option), 100.0 * t.share))
                .collect();
            view! { <li>{format!("{}: {}", q(&m.question), shares.join(" · "))}</li> }
        })
        .collect_view();
    view! {
        <p class="weighting-status">{badge}</p>
        <p role="status">{line}</p>
        <ul class="note">{targets}</ul>
        {unanswered}
    }
    .into_any()
}

impl WeightingPanel {
    /// What an option's box shows: as posted, else the stored share in percent.
    fn value(&self, question: &str, option: &str) -> String {
        match &self.entered {
            Some(fields) => fields
                .iter()
                .find(|(k, _)| *k == target_field(question, option))
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            None => self
                .stored_margins()
                .iter()
                .find(|m| m.question == question)
                .and_then(|m| m.targets.iter().find(|(o, _)| o == option))
                .map(|(_, share)| format!("{}", (share * 10_000.0).round() / 100.0))
                .unwrap_or_default(),
        }
    }

    /// Whether a question's "weight by this question" box is checked.
    fn checked(&self, question: &str) -> bool {
        match &self.entered {
            Some(fields) => fields
                .iter()
                .any(|(k, v)| k == WEIGHT_FIELD && v == question),
            None => self.stored_margins().iter().any(|m| m.question == question),
        }
    }

    fn stored_margins(&self) -> &[Margin] {
        self.stored.as_ref().map_or(&[], |s| s.margins.as_slice())
    }
}

/// One fieldset per segment question: the box to weight by it and a percentage per option.
fn question_fieldsets(
    w: &'static WeightingUi,
    p: &ReportPage<'_>,
    panel: &WeightingPanel,
) -> impl IntoView {
    p.def
        .questions_with(Construct::Segment)
        .map(|q| {
            let boxes = q
                .options
                .iter()
                .map(|o| {
                    let id = format!("target-{}-{}", q.key, o.key);
                    let label = (w.target_label)(o.text.get(p.locale));
                    view! {
                        <div class="filter">
                            <label for=id.clone()>{label}</label>
                            <input type="number" id=id name=target_field(&q.key, &o.key) min="0" max="100" step="0.01"
                                inputmode="decimal" value=panel.value(&q.key, &o.key)/>
                        </div>
                    }
                })
                .collect_view();
            let check_id = format!("weight-{}", q.key);
            view! {
                <fieldset>
                    <legend>{q.text.get(p.locale).to_string()}</legend>
                    <p>
                        <input type="checkbox" id=check_id.clone() name=WEIGHT_FIELD value=q.key.clone() checked=panel.checked(&q.key)/>
                        " "<label for=check_id>{w.use_question}</label>
                    </p>
                    <div class="targets">{boxes}</div>
                </fieldset>
            }
        })
        .collect_view()
}

/// The staff card where targets are entered, prefilled with the stored targets (or with
/// what was posted, when it had a problem).
pub(super) fn weighting_card(p: &ReportPage<'_>) -> Option<AnyView> {
    let panel = p.weighting.as_ref()?;
    let w = weighting_ui(p.locale);
    let stored_line = match &panel.stored {
        Some(s) => (w.set_by)(&s.set_by, &s.set_on),
        None => w.none_set.to_string(),
    };
    let problem = panel
        .problem
        .clone()
        .map(|m| view! { <p class="error" role="alert" id="weighting-problem">{m}</p> });
    let notice = panel
        .notice
        .map(|m| view! { <p class="notice" role="status">{m}</p> });
    let remove = panel.stored.is_some().then(|| {
        view! { <button type="submit" name="clear" value="1" class="button secondary">{w.remove}</button> }
    });
    let filters = p.query.to_query();
    Some(
        view! {
            <section class="card no-print weighting-form" aria-labelledby="weighting-title" id="weighting">
                <h2 id="weighting-title">{w.title}</h2>
                <p>{w.lead}</p>
                <p>{stored_line}</p>
                {notice}
                {problem}
                <form method="post" action=format!("/reports/{}/weighting", p.slug)>
                    <input type="hidden" name="filters" value=filters/>
                    {question_fieldsets(w, p, panel)}
                    <p class="note">{w.sum_hint}</p>
                    <p>
                        <button type="submit" class="button">{w.save}</button>
                        " "{remove}
                    </p>
                </form>
            </section>
        }
        .into_any(),
    )
}
