//! A synthetic customer population: plausible answers to any survey, drawn from a small
//! latent model, so the demo report has figures on first run and benchmarks can load
//! 10k–1M responses quickly. The answers go through the same scoring as real ones.
//!
//! Model: each respondent has a latent values affinity `a` and contact affinity `c`
//! (independent standard normals). Value-congruence items follow `a`, contact-bond items
//! follow `c` plus a little of the actual contact level (so contact goes with contact
//! bonding, not with values bonding, as in the CEB study). Relationship "yes" is about
//! 23%, mostly among values-bonded respondents, whose reason is mostly shared values.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::answer::Answer;
use crate::domain::flow;
use crate::domain::{AnswerSet, Construct, Question, QuestionKind, SurveyDefinition};

/// Draws respondents' answers; the same seed gives the same population.
pub struct Population {
    rng: StdRng,
}

/// One respondent's latent traits (see the model above), drawn before any answer.
#[derive(Clone, Copy)]
struct Traits {
    /// Values affinity `a`.
    values: f64,
    /// Contact affinity `c`.
    contact: f64,
    /// The actual contact frequency, an index 0–6.
    contact_level: u8,
}

/// "Don't know" or skipped, per scale item.
const MISSING_RATE: f64 = 0.03;

fn reverse_if(reverse: bool, answer: Answer) -> Answer {
    match answer {
        Answer::Scale(x) if reverse => Answer::Scale(8 - x),
        other => other,
    }
}

impl Population {
    pub fn new(seed: u64) -> Population {
        Population {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    fn normal(&mut self) -> f64 {
        // Box–Muller; 1 − u keeps the logarithm finite.
        let u: f64 = 1.0 - self.rng.gen::<f64>();
        let v: f64 = self.rng.gen::<f64>();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen::<f64>() < p
    }

    fn agree(&mut self, centre: f64) -> Answer {
        if self.chance(MISSING_RATE) {
            return Answer::DontKnow;
        }
        let x = (centre + 0.9 * self.normal()).round().clamp(1.0, 7.0);
        Answer::Scale(x as u8)
    }

    /// One complete respondent's answers, page by page so show-if rules hold.
    pub fn respondent(&mut self, def: &SurveyDefinition) -> AnswerSet {
        // Drawn one by one, in this order, so a seed keeps giving the same population.
        let values = self.normal();
        let contact = self.normal();
        let contact_level = self.rng.gen_range(0u8..7);
        let traits = Traits {
            values,
            contact,
            contact_level,
        };
        let mut answers = AnswerSet::new();
        for page in 0..def.pages.len() {
            let keys: Vec<String> = flow::visible_questions(def, page, &answers)
                .into_iter()
                .map(|q| q.key.clone())
                .collect();
            for key in keys {
                let Some(q) = def.question(&key) else {
                    continue;
                };
                if let Some(answer) = self.answer(def, q, &traits) {
                    answers.insert(key, answer);
                }
            }
        }
        answers
    }

    /// One question's answer from the respondent's traits; `None` for free text, which is
    /// left empty: synthetic people have nothing to say.
    fn answer(&mut self, def: &SurveyDefinition, q: &Question, traits: &Traits) -> Option<Answer> {
        let Traits {
            values: a,
            contact: c,
            contact_level,
        } = *traits;
        let answer = match (q.construct, q.kind) {
            // A reverse-keyed item is answered the other way round: its score
            // (8 − answer) follows the same bond as the other items.
            (Some(Construct::ValueCongruence), _) => {
                let x = self.agree(4.3 + 1.4 * a);
                reverse_if(q.reverse, x)
            }
            (Some(Construct::ContactBond), _) => {
                let x = self.agree(3.4 + 1.2 * c + 0.25 * f64::from(contact_level) - 0.75);
                reverse_if(q.reverse, x)
            }
            (Some(Construct::ValueImportance), _) => self.agree(5.3 + 0.6 * a),
            (Some(Construct::ValuePerception), _) => self.value_perception(def, q, a),
            (Some(Construct::VoiceHeard), _) => self.agree(4.0 + 0.8 * a + 0.3 * c),
            (Some(Construct::Relationship), _) => self.relationship(a),
            (Some(Construct::RelationshipReason), _) => self.relationship_reason(q),
            (Some(Construct::ContactActual), _) => Answer::Scale(contact_level),
            (Some(Construct::ContactPreferred), _) => {
                let preferred = (2.0 + 0.5 * c + 0.8 * self.normal())
                    .round()
                    .clamp(0.0, 6.0);
                Answer::Scale(preferred as u8)
            }
            (Some(Construct::Nps), _) | (_, QuestionKind::Recommend10) => {
                let x = (6.8 + 1.6 * a + 0.4 * c + 1.3 * self.normal())
                    .round()
                    .clamp(0.0, 10.0);
                Answer::Scale(x as u8)
            }
            (Some(Construct::Advocacy), _) => self.yes_or_no((0.35 + 0.15 * a).clamp(0.05, 0.95)),
            (Some(Construct::StoryRecall), _) => self.yes_or_no((0.4 + 0.2 * a).clamp(0.05, 0.95)),
            (_, QuestionKind::SingleChoice) => {
                let i = self.rng.gen_range(0..q.options.len().max(1));
                Answer::Choice(q.options[i].key.clone())
            }
            (_, QuestionKind::MultipleChoice) => {
                let i = self.rng.gen_range(0..q.options.len().max(1));
                Answer::Choices(vec![q.options[i].key.clone()])
            }
            (_, QuestionKind::Agree7) => self.agree(4.0),
            (_, QuestionKind::ContactFrequency) => Answer::Scale(self.rng.gen_range(0..7)),
            (_, QuestionKind::YesNoDk) => self.yes_or_no(0.5),
            (_, QuestionKind::ShortText | QuestionKind::LongText) => return None,
        };
        Some(answer)
    }

    /// A placebo value (one the brand never claimed, the guessing baseline) is perceived
    /// low by everyone; the brand's real values follow the values affinity `a`.
    fn value_perception(&mut self, def: &SurveyDefinition, q: &Question, a: f64) -> Answer {
        let placebo = def
            .brand
            .values
            .iter()
            .any(|v| Some(&v.key) == q.value.as_ref() && v.placebo);
        if placebo {
            self.agree(3.2)
        } else {
            self.agree(4.6 + 1.1 * a)
        }
    }

    /// "Do you have a relationship with the brand?": yes mostly among values-bonded
    /// respondents (high `a`), then a little "don't know".
    fn relationship(&mut self, a: f64) -> Answer {
        let p = (0.2 + 0.13 * a).clamp(0.02, 0.9);
        if self.chance(p) {
            Answer::Choice("yes".into())
        } else if self.chance(0.1) {
            Answer::DontKnow
        } else {
            Answer::Choice("no".into())
        }
    }

    /// The reason for the relationship: mostly shared values, as in the CEB study; the
    /// question's first option if it lacks the drawn one.
    fn relationship_reason(&mut self, q: &Question) -> Answer {
        let roll: f64 = self.rng.gen();
        let reason = if roll < 0.64 {
            "shared_values"
        } else if roll < 0.77 {
            "frequent_contact"
        } else if roll < 0.87 {
            "rewards"
        } else if roll < 0.96 {
            "habit_convenience"
        } else {
            "other"
        };
        match q.options.iter().find(|o| o.key == reason) {
            Some(o) => Answer::Choice(o.key.clone()),
            None => Answer::Choice(q.options[0].key.clone()),
        }
    }

    /// "yes" with probability `p`, else "no".
    fn yes_or_no(&mut self, p: f64) -> Answer {
        let yes = self.chance(p);
        Answer::Choice(if yes { "yes" } else { "no" }.into())
    }

    /// The order the bond blocks are shown in: a fair coin, as for a live respondent.
    pub fn block_order(&mut self) -> crate::domain::flow::BlockOrder {
        crate::domain::flow::BlockOrder::of_coin(self.chance(0.5))
    }

    /// A completion time within the `days` days before `now_ms`.
    pub fn completed_at(&mut self, now_ms: i64, days: i64) -> i64 {
        now_ms
            - self
                .rng
                .gen_range(0..days.max(1) * crate::domain::report::DAY_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::{score_respondent, BondClass};
    use crate::domain::survey::tests::demo;

    #[test]
    fn synthetic_answers_are_valid_and_reproducible() {
        let def = demo();
        let a = Population::new(7).respondent(&def);
        assert_eq!(a, Population::new(7).respondent(&def));
        for (key, answer) in &a {
            let q = def.question(key).unwrap();
            let values: Vec<String> = match answer {
                Answer::Choices(c) => c.clone(),
                Answer::DontKnow => vec![crate::domain::answer::DONT_KNOW.to_string()],
                other => vec![other.to_stored()],
            };
            assert_eq!(
                Answer::parse(q, &values).unwrap().as_ref(),
                Some(answer),
                "{key}"
            );
        }
        // Complete: nothing required is missing on any visible page.
        for page in flow::visible_pages(&def, &a) {
            assert!(
                flow::missing_required(&def, page, &a).is_empty(),
                "page {page}"
            );
        }
    }

    #[test]
    fn the_population_resembles_the_ceb_study() {
        let def = demo();
        let mut pop = Population::new(1);
        let scores: Vec<_> = (0..4000)
            .map(|_| score_respondent(&def, &pop.respondent(&def)))
            .collect();
        let share = |f: &dyn Fn(&crate::domain::scoring::RespondentScores) -> bool| {
            scores.iter().filter(|s| f(s)).count() as f64 / scores.len() as f64
        };
        // As the report counts it: yes among yes + no ("don't know" is missing).
        let yes = share(&|s| s.relationship.as_deref() == Some("yes"))
            / share(&|s| matches!(s.relationship.as_deref(), Some("yes" | "no")));
        assert!((0.19..0.28).contains(&yes), "relationship yes {yes}");
        let values_only = share(&|s| s.bond_class == BondClass::ValuesOnly);
        let contact_only = share(&|s| s.bond_class == BondClass::ContactOnly);
        assert!(
            values_only > contact_only,
            "{values_only} vs {contact_only}"
        );
        assert!(share(&|s| s.bond_class == BondClass::Insufficient) < 0.02);
    }
}
