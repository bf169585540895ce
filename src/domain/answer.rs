//! A respondent's answer to one question: parsed from a form post, stored as text.

use std::collections::BTreeMap;

use super::{Question, QuestionKind};

/// The stored text of a "don't know" answer.
pub const DONT_KNOW: &str = "dk";
/// The stored text of "I have never given feedback" (`voice_heard`): missing, not a point.
pub const NEVER_GAVE_FEEDBACK: &str = "never";

/// One answer, typed by its question's kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A single-choice option key, or "yes"/"no" for yes/no/don't-know questions.
    Choice(String),
    /// Multiple-choice option keys, in the question's option order.
    Choices(Vec<String>),
    /// A point on a numeric scale: 1–7, 0–10 or the frequency index 0–6.
    Scale(u8),
    /// "Don't know": missing for scoring, but the respondent did answer.
    DontKnow,
    /// "I have never given feedback" to a `voice_heard` question: the question does not
    /// apply, so it is missing for scoring, like "don't know".
    NeverGaveFeedback,
    Text(String),
}

/// All answers of one respondent, by question key.
pub type AnswerSet = BTreeMap<String, Answer>;

/// Why a posted value could not have come from the rendered form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerProblem {
    #[error("\"{0}\" is not one of the question's answers")]
    UnknownOption(String),
    #[error("{0} is outside the scale")]
    OutOfRange(String),
    #[error("the question takes one answer")]
    TooManyValues,
    #[error("the answer is longer than {0} characters")]
    TooLong(u32),
    #[error("the answer contains control characters")]
    ControlCharacters,
}

impl Answer {
    /// The answer's category for show-if rules (single choice and yes/no/don't know).
    pub fn category(&self) -> Option<&str> {
        match self {
            Answer::Choice(c) => Some(c),
            Answer::DontKnow => Some(DONT_KNOW),
            _ => None,
        }
    }

    /// A scale point, or `None` for "don't know" and non-scale answers (missing, never a midpoint).
    pub fn scale(&self) -> Option<u8> {
        match self {
            Answer::Scale(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether the respondent chose `key` (for rendering checked inputs).
    pub fn includes(&self, key: &str) -> bool {
        match self {
            Answer::Choice(c) => c == key,
            Answer::Choices(cs) => cs.iter().any(|c| c == key),
            Answer::Scale(n) => key.parse::<u8>().ok() == Some(*n),
            Answer::DontKnow => key == DONT_KNOW,
            Answer::NeverGaveFeedback => key == NEVER_GAVE_FEEDBACK,
            Answer::Text(_) => false,
        }
    }

    /// The text stored in the database (and exported).
    pub fn to_stored(&self) -> String {
        match self {
            Answer::Choice(c) => c.clone(),
            Answer::Choices(cs) => cs.join(","),
            Answer::Scale(n) => n.to_string(),
            Answer::DontKnow => DONT_KNOW.to_string(),
            Answer::NeverGaveFeedback => NEVER_GAVE_FEEDBACK.to_string(),
            Answer::Text(t) => t.clone(),
        }
    }

    /// Reads a stored answer back; `None` if it no longer fits the question.
    pub fn from_stored(question: &Question, stored: &str) -> Option<Answer> {
        let values: Vec<String> = match question.kind {
            QuestionKind::MultipleChoice if !stored.is_empty() => {
                stored.split(',').map(str::to_string).collect()
            }
            _ => vec![stored.to_string()],
        };
        Answer::parse(question, &values).ok().flatten()
    }

    /// Parses the values posted for a question. `Ok(None)` means unanswered; `Err` means the
    /// post could not have come from the form we rendered.
    pub fn parse(question: &Question, values: &[String]) -> Result<Option<Answer>, AnswerProblem> {
        let non_empty: Vec<&str> = values
            .iter()
            .map(|v| v.as_str())
            .filter(|v| !v.trim().is_empty())
            .collect();
        if non_empty.is_empty() {
            return Ok(None);
        }
        if question.kind != QuestionKind::MultipleChoice && non_empty.len() > 1 {
            return Err(AnswerProblem::TooManyValues);
        }
        let first = non_empty[0];
        let answer = match question.kind {
            QuestionKind::SingleChoice => {
                question
                    .option(first)
                    .ok_or_else(|| AnswerProblem::UnknownOption(first.into()))?;
                Answer::Choice(first.into())
            }
            QuestionKind::MultipleChoice => {
                for v in &non_empty {
                    question
                        .option(v)
                        .ok_or_else(|| AnswerProblem::UnknownOption((*v).into()))?;
                }
                let chosen = question
                    .options
                    .iter()
                    .filter(|o| non_empty.contains(&o.key.as_str()))
                    .map(|o| o.key.clone())
                    .collect();
                Answer::Choices(chosen)
            }
            QuestionKind::YesNoDk => match first {
                "yes" | "no" => Answer::Choice(first.into()),
                DONT_KNOW => Answer::DontKnow,
                other => return Err(AnswerProblem::UnknownOption(other.into())),
            },
            QuestionKind::Agree7 if first == DONT_KNOW => Answer::DontKnow,
            QuestionKind::Agree7
                if first == NEVER_GAVE_FEEDBACK && question.offers_never_gave_feedback() =>
            {
                Answer::NeverGaveFeedback
            }
            QuestionKind::Agree7 => Answer::Scale(parse_scale(first, 1, 7)?),
            QuestionKind::Recommend10 => Answer::Scale(parse_scale(first, 0, 10)?),
            QuestionKind::ContactFrequency if first == DONT_KNOW => Answer::DontKnow,
            QuestionKind::ContactFrequency => Answer::Scale(parse_scale(first, 0, 6)?),
            QuestionKind::ShortText | QuestionKind::LongText => {
                let text = first.trim();
                if text.chars().count() > question.text_limit() as usize {
                    return Err(AnswerProblem::TooLong(question.text_limit()));
                }
                let allowed_control = |c: char| matches!(c, '\n' | '\r' | '\t');
                if text.chars().any(|c| c.is_control() && !allowed_control(c)) {
                    return Err(AnswerProblem::ControlCharacters);
                }
                // Browsers post CRLF; store one newline convention.
                Answer::Text(text.replace("\r\n", "\n"))
            }
        };
        Ok(Some(answer))
    }
}

fn parse_scale(raw: &str, min: u8, max: u8) -> Result<u8, AnswerProblem> {
    match raw.trim().parse::<u8>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AnswerProblem::OutOfRange(raw.chars().take(20).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::tests::demo;

    fn q(key: &str) -> Question {
        demo().question(key).unwrap().clone()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn agreement_scale_accepts_1_to_7_and_dont_know() {
        let q = q("vc_connected");
        assert_eq!(Answer::parse(&q, &s(&["7"])), Ok(Some(Answer::Scale(7))));
        assert_eq!(Answer::parse(&q, &s(&["dk"])), Ok(Some(Answer::DontKnow)));
        assert_eq!(Answer::parse(&q, &s(&[""])), Ok(None));
        assert_eq!(Answer::parse(&q, &s(&[])), Ok(None));
        assert!(matches!(
            Answer::parse(&q, &s(&["0"])),
            Err(AnswerProblem::OutOfRange(_))
        ));
        assert!(matches!(
            Answer::parse(&q, &s(&["8"])),
            Err(AnswerProblem::OutOfRange(_))
        ));
        assert!(matches!(
            Answer::parse(&q, &s(&["3", "4"])),
            Err(AnswerProblem::TooManyValues)
        ));
    }

    #[test]
    fn recommend_and_frequency_scales_have_their_own_ranges() {
        assert_eq!(
            Answer::parse(&q("nps"), &s(&["0"])),
            Ok(Some(Answer::Scale(0)))
        );
        assert_eq!(
            Answer::parse(&q("nps"), &s(&["10"])),
            Ok(Some(Answer::Scale(10)))
        );
        assert!(Answer::parse(&q("nps"), &s(&["11"])).is_err());
        assert!(Answer::parse(&q("nps"), &s(&["dk"])).is_err());
        assert_eq!(
            Answer::parse(&q("contact_actual"), &s(&["6"])),
            Ok(Some(Answer::Scale(6)))
        );
        assert!(Answer::parse(&q("contact_actual"), &s(&["7"])).is_err());
    }

    #[test]
    fn choices_must_be_options_and_keep_option_order() {
        let multi = q("channels");
        let keys: Vec<String> = multi.options.iter().map(|o| o.key.clone()).collect();
        let posted = vec![keys[2].clone(), keys[0].clone()];
        assert_eq!(
            Answer::parse(&multi, &posted),
            Ok(Some(Answer::Choices(vec![
                keys[0].clone(),
                keys[2].clone()
            ])))
        );
        assert!(matches!(
            Answer::parse(&multi, &s(&["nope"])),
            Err(AnswerProblem::UnknownOption(_))
        ));
        let yes_no = q("relationship");
        assert_eq!(
            Answer::parse(&yes_no, &s(&["yes"])),
            Ok(Some(Answer::Choice("yes".into())))
        );
        assert_eq!(
            Answer::parse(&yes_no, &s(&["dk"])),
            Ok(Some(Answer::DontKnow))
        );
        assert!(Answer::parse(&yes_no, &s(&["maybe"])).is_err());
    }

    #[test]
    fn text_is_trimmed_limited_and_free_of_control_characters() {
        let q = q("comment");
        assert_eq!(
            Answer::parse(&q, &s(&["  Xin chào\r\nbạn  "])),
            Ok(Some(Answer::Text("Xin chào\nbạn".into())))
        );
        let long = "ạ".repeat(q.text_limit() as usize + 1);
        assert!(matches!(
            Answer::parse(&q, &[long]),
            Err(AnswerProblem::TooLong(_))
        ));
        let exact = "ạ".repeat(q.text_limit() as usize);
        assert!(Answer::parse(&q, &[exact]).is_ok());
        assert_eq!(
            Answer::parse(&q, &s(&["a\u{0}b"])),
            Err(AnswerProblem::ControlCharacters)
        );
    }

    #[test]
    fn stored_answers_round_trip() {
        let def = demo();
        for (key, answer) in [
            ("relationship", Answer::Choice("yes".into())),
            ("vc_connected", Answer::DontKnow),
            ("nps", Answer::Scale(9)),
            (
                "channels",
                Answer::Choices(vec!["store".into(), "online".into()]),
            ),
            (
                "comment",
                Answer::Text("dòng 1\ndòng 2, có dấu phẩy".into()),
            ),
        ] {
            let q = def.question(key).unwrap();
            assert_eq!(Answer::from_stored(q, &answer.to_stored()), Some(answer));
        }
    }
}
