//! Response quality (`measurement.md`, "Response quality"): flags a complete response
//! gets at completion, so that rushed, patterned or automated answers do not move the
//! headline. Pure: the page post gathers the evidence (server times, the honeypot, the
//! answers) and the store keeps the flags with the scores.
//!
//! - **speeder**: start to completion under a third of the median of the version's
//!   complete responses so far (once there are at least 30 of them);
//! - **straight-liner**: every answered agree-7 item on the bond pages has the same value,
//!   with a reverse-keyed item among them (the same answer cannot be consistent then);
//! - **bot**: the honeypot field was filled in, or a page of 3 or more questions was
//!   posted less than a second after the server served it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::{AnswerSet, Construct, QuestionKind, SurveyDefinition};

/// The flags of one response, a bit each (stored as this number).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct QualityFlags(u8);

/// One reason to set a response aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Speeder,
    StraightLiner,
    Bot,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Speeder, Flag::StraightLiner, Flag::Bot];

    fn bit(self) -> u8 {
        match self {
            Flag::Speeder => 1,
            Flag::StraightLiner => 2,
            Flag::Bot => 4,
        }
    }

    /// Its name in exports ("speeder", "straight_liner", "bot").
    pub fn name(self) -> &'static str {
        match self {
            Flag::Speeder => "speeder",
            Flag::StraightLiner => "straight_liner",
            Flag::Bot => "bot",
        }
    }
}

impl QualityFlags {
    pub const CLEAN: QualityFlags = QualityFlags(0);

    /// The flags stored as `bits`; unknown bits are dropped.
    pub fn from_bits(bits: i64) -> QualityFlags {
        QualityFlags((bits & 7) as u8)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn with(self, flag: Flag) -> QualityFlags {
        QualityFlags(self.0 | flag.bit())
    }

    /// `with(flag)` when `set`.
    pub fn with_if(self, flag: Flag, set: bool) -> QualityFlags {
        if set {
            self.with(flag)
        } else {
            self
        }
    }

    pub fn union(self, other: QualityFlags) -> QualityFlags {
        QualityFlags(self.0 | other.0)
    }

    pub fn has(self, flag: Flag) -> bool {
        self.0 & flag.bit() != 0
    }

    pub fn is_clean(self) -> bool {
        self.0 == 0
    }

    pub fn flags(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.has(*f))
    }
}

/// The form field of every survey page that no person sees or hears (the `hidden`
/// attribute hides it without CSS and from screen readers); a bot that fills in every
/// field fills it in too.
pub const HONEYPOT_FIELD: &str = "website";

/// Complete responses of a version needed before anyone is called a speeder.
pub const SPEEDER_MIN_RESPONSES: u64 = 30;
/// A page answered faster than this after it was served is not a person's answer…
pub const FAST_PAGE_MS: i64 = 1000;
/// …if it asks at least this many questions.
pub const FAST_PAGE_QUESTIONS: usize = 3;

/// Whether a post of a page asking `questions` questions, served at `served_at` and posted
/// at `posted_at` (server milliseconds), was too fast for a person.
pub fn fast_page(questions: usize, served_at: i64, posted_at: i64) -> bool {
    questions >= FAST_PAGE_QUESTIONS && posted_at - served_at < FAST_PAGE_MS
}

/// The durations of a version's complete responses so far, by `duration_bucket` (start to
/// completion) with how many took each: their median to the second up to ten minutes (and
/// to 10 s, 1 min above), in at most a few thousand rows whatever the number of
/// responses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durations(BTreeMap<i64, u64>);

impl Durations {
    pub fn from_counts(counts: impl IntoIterator<Item = (i64, u64)>) -> Durations {
        let mut d = Durations::default();
        for (seconds, n) in counts {
            d.add_many(seconds, n);
        }
        d
    }

    /// Counts `n` responses that took `seconds`.
    pub fn add_many(&mut self, seconds: i64, n: u64) {
        *self.0.entry(seconds).or_default() += n;
    }

    pub fn add(&mut self, seconds: i64) {
        self.add_many(seconds, 1);
    }

    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }

    /// The median in seconds (the mean of the middle two for an even count).
    pub fn median(&self) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        // 0-based ranks of the middle one or two.
        let (lo, hi) = ((n - 1) / 2, n / 2);
        let (mut below, mut lo_value) = (0, None);
        for (&seconds, &count) in &self.0 {
            below += count;
            if lo_value.is_none() && below > lo {
                lo_value = Some(seconds);
            }
            if below > hi {
                return Some((lo_value.unwrap_or(seconds) + seconds) as f64 / 2.0);
            }
        }
        None
    }
}

/// A response's duration in whole seconds.
pub fn duration_seconds(started_at: i64, completed_at: i64) -> i64 {
    (completed_at - started_at).max(0) / 1000
}

/// The bucket `Durations` counts a duration of `seconds` in: the second itself under ten
/// minutes, its 10 s under an hour, its minute under a day, and one bucket beyond. A
/// survey's median lies in the first range; the buckets keep the rows few when people
/// leave a survey open for hours. (The same rule in SQL backfills the table in
/// `migrations/*/0007_response_quality.sql`.)
pub fn duration_bucket(seconds: i64) -> i64 {
    match seconds.max(0) {
        s if s < 600 => s,
        s if s < 3_600 => s - s % 10,
        s if s < 86_400 => s - s % 60,
        _ => 86_400,
    }
}

/// Whether a response that took `seconds` is a speeder among `so_far` (the version's
/// complete responses before it).
pub fn speeder(seconds: i64, so_far: &Durations) -> bool {
    so_far.count() >= SPEEDER_MIN_RESPONSES
        && so_far
            .median()
            .is_some_and(|median| (seconds as f64) < median / 3.0)
}

/// Whether the answered agree-7 items on the pages that hold the bond items all have the
/// same value while one of them is reverse-keyed.
pub fn straight_lined(def: &SurveyDefinition, answers: &AnswerSet) -> bool {
    let bond_page = |page: &super::Page| {
        page.questions.iter().any(|q| {
            matches!(
                q.construct,
                Some(Construct::ValueCongruence | Construct::ContactBond)
            )
        })
    };
    let mut reverse_keyed = false;
    let mut values = def
        .pages
        .iter()
        .filter(|p| bond_page(p))
        .flat_map(|p| p.questions.iter())
        .filter(|q| q.kind == QuestionKind::Agree7)
        .filter_map(|q| match answers.get(&q.key) {
            Some(Answer::Scale(x)) => {
                reverse_keyed |= q.reverse;
                Some(*x)
            }
            _ => None,
        })
        .collect::<Vec<u8>>();
    values.dedup();
    values.len() == 1 && reverse_keyed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::tests::demo;

    #[test]
    fn flags_are_bits_that_round_trip() {
        let f = QualityFlags::CLEAN
            .with(Flag::Bot)
            .with_if(Flag::Speeder, true)
            .with_if(Flag::StraightLiner, false);
        assert_eq!(f.bits(), 5);
        assert_eq!(QualityFlags::from_bits(f.bits()), f);
        assert_eq!(f.flags().collect::<Vec<_>>(), [Flag::Speeder, Flag::Bot]);
        assert!(QualityFlags::CLEAN.is_clean() && !f.is_clean());
        assert_eq!(QualityFlags::from_bits(0xff).bits(), 7);
    }

    #[test]
    fn the_median_is_exact_for_odd_and_even_counts() {
        assert_eq!(Durations::default().median(), None);
        let mut d = Durations::from_counts([(10, 1), (30, 1), (20, 1)]);
        assert_eq!(d.median(), Some(20.0));
        d.add(40);
        assert_eq!(d.median(), Some(25.0));
        // Many respondents in few rows.
        let d = Durations::from_counts([(5, 10), (60, 10), (61, 1)]);
        assert_eq!((d.count(), d.median()), (21, Some(60.0)));
        let d = Durations::from_counts([(5, 10), (60, 10)]);
        assert_eq!(d.median(), Some(32.5));
    }

    #[test]
    fn a_speeder_is_under_a_third_of_the_median_once_30_answered() {
        let d = Durations::from_counts([(90, 29)]);
        assert!(!speeder(1, &d), "fewer than 30 so far: no flag");
        let d = Durations::from_counts([(90, 30)]);
        assert!(speeder(29, &d));
        assert!(!speeder(30, &d), "exactly a third is not under it");
        assert_eq!(duration_seconds(1_000, 31_999), 30);
        assert_eq!(duration_seconds(5_000, 1_000), 0);
        let buckets: Vec<i64> = [0, 599, 600, 3_599, 3_600, 86_399, 86_400, 10_000_000]
            .map(duration_bucket)
            .to_vec();
        assert_eq!(buckets, [0, 599, 600, 3_590, 3_600, 86_340, 86_400, 86_400]);
    }

    #[test]
    fn a_fast_page_needs_three_questions_and_under_a_second() {
        assert!(fast_page(3, 10_000, 10_999));
        assert!(!fast_page(3, 10_000, 11_000));
        assert!(!fast_page(2, 10_000, 10_100));
    }

    #[test]
    fn straight_lining_needs_one_answer_everywhere_and_a_reverse_keyed_item() {
        let def = demo();
        let agree7_on_bond_pages: Vec<&crate::domain::Question> = def
            .pages
            .iter()
            .filter(|p| {
                p.questions.iter().any(|q| {
                    matches!(
                        q.construct,
                        Some(Construct::ValueCongruence | Construct::ContactBond)
                    )
                })
            })
            .flat_map(|p| p.questions.iter())
            .filter(|q| q.kind == QuestionKind::Agree7)
            .collect();
        assert!(agree7_on_bond_pages.iter().any(|q| q.reverse));
        let all = |x: u8| -> AnswerSet {
            agree7_on_bond_pages
                .iter()
                .map(|q| (q.key.clone(), Answer::Scale(x)))
                .collect()
        };
        assert!(straight_lined(&def, &all(4)));
        // A consistent respondent answers the reverse-keyed items the other way.
        let mut consistent = all(6);
        for q in agree7_on_bond_pages.iter().filter(|q| q.reverse) {
            consistent.insert(q.key.clone(), Answer::Scale(2));
        }
        assert!(!straight_lined(&def, &consistent));
        // Only non-reverse items answered, all alike: no contradiction, no flag.
        let mut plain = all(5);
        for q in agree7_on_bond_pages.iter().filter(|q| q.reverse) {
            plain.remove(&q.key);
        }
        assert!(!straight_lined(&def, &plain));
        assert!(!straight_lined(&def, &AnswerSet::new()));
    }
}
