//! Respondent scores (`measurement.md`, "Respondent scores"): computed once, when a
//! response completes, and stored beside it so reports never rescan answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answer::{Answer, AnswerSet};
use super::quality::{straight_lined, Flag, QualityFlags};
use super::{BrandProfile, Construct, SurveyDefinition};

/// Which bonds a respondent has at threshold t.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BondClass {
    ValuesOnly,
    ContactOnly,
    Both,
    Neither,
    /// V or C could not be scored (too few items answered): counted, not in denominators.
    Insufficient,
}

/// A bond score in half points, ⌊2·score⌋ (2 = 1.0 … 14 = 7.0). Thresholds are whole or half
/// points, so "score ≥ t" is exactly "half points of score ≥ 2t": report rollups keep V and C
/// as half points and can classify at any allowed t, and a direct count classifies the same way.
pub fn half_points(score: f64) -> u8 {
    (2.0 * score).floor().clamp(0.0, 14.0) as u8
}

/// A threshold t in half points (2t, rounded up if t is off the half-point grid).
pub fn threshold_half_points(t: f64) -> u8 {
    (2.0 * t - 1e-9).ceil().clamp(0.0, 15.0) as u8
}

/// Whether a bond score reaches threshold `t` (`measurement.md`: score ≥ t).
pub fn is_bonded(score: f64, t: f64) -> bool {
    half_points(score) >= threshold_half_points(t)
}

impl BondClass {
    pub fn classify(
        values_bond: Option<f64>,
        contact_bond: Option<f64>,
        threshold: f64,
    ) -> BondClass {
        match (values_bond, contact_bond) {
            (Some(v), Some(c)) => match (is_bonded(v, threshold), is_bonded(c, threshold)) {
                (true, false) => BondClass::ValuesOnly,
                (false, true) => BondClass::ContactOnly,
                (true, true) => BondClass::Both,
                (false, false) => BondClass::Neither,
            },
            _ => BondClass::Insufficient,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BondClass::ValuesOnly => "values_only",
            BondClass::ContactOnly => "contact_only",
            BondClass::Both => "both",
            BondClass::Neither => "neither",
            BondClass::Insufficient => "insufficient",
        }
    }
}

/// Actual contact frequency compared with the preferred one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactFit {
    Over,
    Matched,
    Under,
}

impl ContactFit {
    pub fn of(actual: u8, preferred: u8) -> ContactFit {
        match actual.cmp(&preferred) {
            std::cmp::Ordering::Greater => ContactFit::Over,
            std::cmp::Ordering::Equal => ContactFit::Matched,
            std::cmp::Ordering::Less => ContactFit::Under,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContactFit::Over => "over",
            ContactFit::Matched => "matched",
            ContactFit::Under => "under",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsClass {
    Promoter,
    Passive,
    Detractor,
}

impl NpsClass {
    pub fn of(score: u8) -> NpsClass {
        match score {
            9..=10 => NpsClass::Promoter,
            7..=8 => NpsClass::Passive,
            _ => NpsClass::Detractor,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NpsClass::Promoter => "promoter",
            NpsClass::Passive => "passive",
            NpsClass::Detractor => "detractor",
        }
    }
}

/// Annual contacts at each level of the frequency scale (`measurement.md`).
pub const ANNUAL_CONTACTS: [u32; 7] = [0, 6, 12, 30, 52, 208, 365];

/// Everything reports need about one completed respondent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RespondentScores {
    /// V: mean of answered value-congruence items (reverse-keyed ones as 8 − x).
    pub values_bond: Option<f64>,
    /// C: mean of answered contact-bond items.
    pub contact_bond: Option<f64>,
    pub bond_class: BondClass,
    /// A in [0, 1], undefined when less than half the value weight was answered.
    pub alignment: Option<f64>,
    /// Keys of stated values with importance ≥ 6 and perception ≥ 5.
    pub shared_values: Vec<String>,
    pub contact_actual: Option<u8>,
    pub contact_preferred: Option<u8>,
    pub contact_fit: Option<ContactFit>,
    pub nps: Option<u8>,
    pub nps_class: Option<NpsClass>,
    /// "yes" / "no" / "dk" as answered.
    pub relationship: Option<String>,
    pub relationship_reason: Option<String>,
    pub advocacy: Option<String>,
    pub voice: Option<f64>,
    pub story_recall: Option<String>,
    /// Segment question key → chosen option key.
    pub segments: BTreeMap<String, String>,
    /// Stated-value key → importance rating, as answered (reports: stated vs perceived).
    pub importance: BTreeMap<String, u8>,
    /// Stated-value key → perception rating, as answered.
    pub perception: BTreeMap<String, u8>,
    /// Each value-congruence item in survey order as scored (a reverse-keyed item as
    /// 8 − x), None where missing (reliability).
    pub congruence_items: Vec<Option<u8>>,
    /// Each contact-bond item in survey order as scored, None where missing.
    pub contact_items: Vec<Option<u8>>,
    /// The order the two bond blocks were shown in; None when the survey could not
    /// counterbalance them (or the response was imported without one).
    #[serde(default)]
    pub block_order: Option<super::flow::BlockOrder>,
    /// Response-quality flags (`quality`): straight-lining is known from the answers; a
    /// page post adds speeder and bot at completion.
    #[serde(default)]
    pub quality: super::quality::QualityFlags,
}

/// Mean of the answered scale items of a construct, if enough were answered: at least 2,
/// or all of them when the survey has fewer than 2 (`measurement.md`).
pub fn construct_mean(
    def: &SurveyDefinition,
    construct: Construct,
    answers: &AnswerSet,
) -> Option<f64> {
    let items = item_ratings(def, construct, answers);
    let answered: Vec<f64> = items.iter().flatten().map(|&x| f64::from(x)).collect();
    let needed = items.len().min(2);
    if items.is_empty() || answered.len() < needed {
        return None;
    }
    Some(answered.iter().sum::<f64>() / answered.len() as f64)
}

/// Alignment index A over non-placebo values: Σ b·((I−1)/6)·((P−1)/6) / Σ b over values with
/// both importance and perception answered; `None` when that answered weight is below 0.5.
/// `weights` must already be normalised to sum to 1.
pub fn alignment_index(
    weights: &[(&str, f64)],
    importance: &BTreeMap<&str, u8>,
    perception: &BTreeMap<&str, u8>,
) -> Option<f64> {
    let mut answered_weight = 0.0;
    let mut weighted = 0.0;
    for (key, b) in weights {
        if let (Some(&i), Some(&p)) = (importance.get(key), perception.get(key)) {
            answered_weight += b;
            weighted += b * (f64::from(i) - 1.0) / 6.0 * (f64::from(p) - 1.0) / 6.0;
        }
    }
    // A small tolerance so 0.5 exactly (e.g. 0.3 + 0.2 in floating point) counts as enough.
    (answered_weight >= 0.5 - 1e-9).then(|| weighted / answered_weight)
}

/// Computes a completed respondent's scores from their answers.
pub fn score_respondent(def: &SurveyDefinition, answers: &AnswerSet) -> RespondentScores {
    let scale = |key: &str| answers.get(key).and_then(Answer::scale);
    let category = |key: &str| {
        answers
            .get(key)
            .and_then(Answer::category)
            .map(str::to_string)
    };
    let first = |construct: Construct| def.questions_with(construct).next().map(|q| q.key.as_str());

    let values_bond = construct_mean(def, Construct::ValueCongruence, answers);
    let contact_bond = construct_mean(def, Construct::ContactBond, answers);
    let (importance, perception) = value_ratings(def, answers);
    let contact_actual = first(Construct::ContactActual).and_then(scale);
    let contact_preferred = first(Construct::ContactPreferred).and_then(scale);
    let nps = first(Construct::Nps).and_then(scale);

    RespondentScores {
        values_bond,
        contact_bond,
        bond_class: BondClass::classify(values_bond, contact_bond, def.bond_threshold),
        alignment: alignment_index(&def.brand.normalized_weights(), &importance, &perception),
        shared_values: shared_values(&def.brand, &importance, &perception),
        contact_actual,
        contact_preferred,
        contact_fit: contact_actual
            .zip(contact_preferred)
            .map(|(a, p)| ContactFit::of(a, p)),
        nps,
        nps_class: nps.map(NpsClass::of),
        relationship: first(Construct::Relationship).and_then(category),
        relationship_reason: first(Construct::RelationshipReason).and_then(category),
        advocacy: first(Construct::Advocacy).and_then(category),
        voice: mean_of_answered(def, Construct::VoiceHeard, answers),
        story_recall: first(Construct::StoryRecall).and_then(category),
        segments: def
            .questions_with(Construct::Segment)
            .filter_map(|q| category(&q.key).map(|c| (q.key.clone(), c)))
            .collect(),
        importance: owned(&importance),
        perception: owned(&perception),
        congruence_items: item_ratings(def, Construct::ValueCongruence, answers),
        contact_items: item_ratings(def, Construct::ContactBond, answers),
        block_order: None,
        quality: QualityFlags::CLEAN.with_if(Flag::StraightLiner, straight_lined(def, answers)),
    }
}

fn owned(ratings: &BTreeMap<&str, u8>) -> BTreeMap<String, u8> {
    ratings.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Each item of a bond construct in survey order, as it enters the score (reverse-keyed
/// items as 8 − x), None where missing.
fn item_ratings(
    def: &SurveyDefinition,
    construct: Construct,
    answers: &AnswerSet,
) -> Vec<Option<u8>> {
    def.questions_with(construct)
        .map(|q| {
            answers
                .get(&q.key)
                .and_then(Answer::scale)
                .map(|x| q.keyed(x))
        })
        .collect()
}

/// Importance and perception ratings by stated-value key ("don't know" is missing).
fn value_ratings<'d>(
    def: &'d SurveyDefinition,
    answers: &AnswerSet,
) -> (BTreeMap<&'d str, u8>, BTreeMap<&'d str, u8>) {
    let ratings = |construct| {
        def.questions_with(construct)
            .filter_map(|q| Some((q.value.as_deref()?, answers.get(&q.key)?.scale()?)))
            .collect::<BTreeMap<_, _>>()
    };
    (
        ratings(Construct::ValueImportance),
        ratings(Construct::ValuePerception),
    )
}

fn shared_values(
    brand: &BrandProfile,
    importance: &BTreeMap<&str, u8>,
    perception: &BTreeMap<&str, u8>,
) -> Vec<String> {
    brand
        .values
        .iter()
        .filter(|v| {
            importance.get(v.key.as_str()).is_some_and(|&i| i >= 6)
                && perception.get(v.key.as_str()).is_some_and(|&p| p >= 5)
        })
        .map(|v| v.key.clone())
        .collect()
}

fn mean_of_answered(
    def: &SurveyDefinition,
    construct: Construct,
    answers: &AnswerSet,
) -> Option<f64> {
    let answered: Vec<f64> = def
        .questions_with(construct)
        .filter_map(|q| answers.get(&q.key).and_then(Answer::scale))
        .map(f64::from)
        .collect();
    (!answered.is_empty()).then(|| answered.iter().sum::<f64>() / answered.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::tests::demo;

    fn answers(pairs: &[(&str, Answer)]) -> AnswerSet {
        pairs
            .iter()
            .cloned()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap()
    }

    #[test]
    fn alignment_index_matches_the_reference_vector() {
        let v = &vectors()["alignment_index"];
        let keys = ["environment", "repair", "fair_labor"];
        let weights: Vec<(&str, f64)> = keys
            .iter()
            .map(|k| (*k, v["weights"][k].as_f64().unwrap()))
            .collect();
        let ratings = |field: &str| -> BTreeMap<&str, u8> {
            keys.iter()
                .filter_map(|k| v[field][k].as_u64().map(|n| (*k, n as u8)))
                .collect()
        };
        let a = alignment_index(&weights, &ratings("importance"), &ratings("perception")).unwrap();
        assert!((a - v["A"].as_f64().unwrap()).abs() < 1e-6, "A = {a}");
    }

    #[test]
    fn alignment_index_is_undefined_below_half_the_weight() {
        let weights = [("a", 0.6), ("b", 0.4)];
        let imp = BTreeMap::from([("b", 7)]);
        let per = BTreeMap::from([("a", 7), ("b", 7)]);
        assert_eq!(alignment_index(&weights, &imp, &per), None);
        let imp = BTreeMap::from([("a", 7), ("b", 1)]);
        assert_eq!(alignment_index(&weights, &imp, &per), Some(0.6));
        let even = [("a", 0.5), ("b", 0.5)];
        assert_eq!(
            alignment_index(&even, &BTreeMap::from([("a", 4)]), &per),
            Some(0.5)
        );
    }

    #[test]
    fn bond_classes_at_threshold() {
        assert_eq!(
            BondClass::classify(Some(5.0), Some(4.99), 5.0),
            BondClass::ValuesOnly
        );
        assert_eq!(
            BondClass::classify(Some(3.0), Some(6.0), 5.0),
            BondClass::ContactOnly
        );
        assert_eq!(
            BondClass::classify(Some(5.0), Some(5.0), 5.0),
            BondClass::Both
        );
        assert_eq!(
            BondClass::classify(Some(1.0), Some(2.0), 5.0),
            BondClass::Neither
        );
        assert_eq!(
            BondClass::classify(None, Some(7.0), 5.0),
            BondClass::Insufficient
        );
        assert_eq!(
            BondClass::classify(Some(4.6), Some(4.4), 4.5),
            BondClass::ValuesOnly
        );
    }

    #[test]
    fn dont_know_is_missing_never_a_midpoint() {
        let def = demo();
        let vc: Vec<String> = def
            .questions_with(Construct::ValueCongruence)
            .map(|q| q.key.clone())
            .collect();
        assert!(vc.len() >= 3);
        let a = answers(&[
            (&vc[0], Answer::Scale(7)),
            (&vc[1], Answer::Scale(5)),
            (&vc[2], Answer::DontKnow),
        ]);
        assert_eq!(
            construct_mean(&def, Construct::ValueCongruence, &a),
            Some(6.0)
        );
        let one = answers(&[(&vc[0], Answer::Scale(7)), (&vc[1], Answer::DontKnow)]);
        assert_eq!(
            construct_mean(&def, Construct::ValueCongruence, &one),
            None,
            "one answered item is insufficient"
        );
    }

    #[test]
    fn a_single_item_construct_needs_its_one_item() {
        let mut def = demo();
        let keep = def
            .questions_with(Construct::ContactBond)
            .next()
            .unwrap()
            .key
            .clone();
        for page in &mut def.pages {
            page.questions
                .retain(|q| q.construct != Some(Construct::ContactBond) || q.key == keep);
        }
        assert_eq!(
            construct_mean(
                &def,
                Construct::ContactBond,
                &answers(&[(&keep, Answer::Scale(4))])
            ),
            Some(4.0)
        );
        assert_eq!(
            construct_mean(
                &def,
                Construct::ContactBond,
                &answers(&[(&keep, Answer::DontKnow)])
            ),
            None
        );
    }

    #[test]
    fn contact_fit_and_nps_classes() {
        assert_eq!(ContactFit::of(5, 2), ContactFit::Over);
        assert_eq!(ContactFit::of(2, 2), ContactFit::Matched);
        assert_eq!(ContactFit::of(0, 3), ContactFit::Under);
        assert_eq!(NpsClass::of(10), NpsClass::Promoter);
        assert_eq!(NpsClass::of(9), NpsClass::Promoter);
        assert_eq!(NpsClass::of(8), NpsClass::Passive);
        assert_eq!(NpsClass::of(7), NpsClass::Passive);
        assert_eq!(NpsClass::of(6), NpsClass::Detractor);
        assert_eq!(NpsClass::of(0), NpsClass::Detractor);
    }

    #[test]
    fn a_reverse_keyed_item_is_scored_8_minus_x_and_stored_as_answered() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let case = &v["v2"]["reverse_scoring"];
        let mut def = demo();
        let items: Vec<(String, u8, bool)> = case["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["key"].as_str().unwrap().to_string(),
                    i["answer"].as_u64().unwrap() as u8,
                    i["reverse"].as_bool().unwrap(),
                )
            })
            .collect();
        // The demo's value block with the vector's keys and reverse flags.
        let page = def.position_of("vc_connected").unwrap().page;
        for (q, (key, _, reverse)) in def.pages[page].questions.iter_mut().zip(&items) {
            q.key = key.clone();
            q.reverse = *reverse;
        }
        let answers: AnswerSet = items
            .iter()
            .map(|(k, a, _)| (k.clone(), Answer::Scale(*a)))
            .collect();
        let s = score_respondent(&def, &answers);
        assert!((s.values_bond.unwrap() - case["V"].as_f64().unwrap()).abs() < 1e-6);
        assert_eq!(s.congruence_items, [Some(6), Some(7), Some(6)]);
        // The answer itself is kept as given.
        assert_eq!(answers["vc_mean_little"], Answer::Scale(2));
    }

    #[test]
    fn a_values_bonded_respondent_is_scored_end_to_end() {
        let def = demo();
        let mut a = AnswerSet::new();
        let set = |a: &mut AnswerSet, c: Construct, v: Answer| {
            for q in def.questions_with(c) {
                // Reverse-keyed items are answered the other way round.
                let answer = match (&v, q.reverse) {
                    (Answer::Scale(x), true) => Answer::Scale(8 - x),
                    _ => v.clone(),
                };
                a.insert(q.key.clone(), answer);
            }
        };
        set(&mut a, Construct::ValueCongruence, Answer::Scale(6));
        set(&mut a, Construct::ContactBond, Answer::Scale(2));
        set(&mut a, Construct::ValueImportance, Answer::Scale(7));
        set(&mut a, Construct::ValuePerception, Answer::Scale(7));
        set(&mut a, Construct::VoiceHeard, Answer::Scale(5));
        a.insert("relationship".into(), Answer::Choice("yes".into()));
        a.insert(
            "relationship_reason".into(),
            Answer::Choice("shared_values".into()),
        );
        a.insert("contact_actual".into(), Answer::Scale(4));
        a.insert("contact_preferred".into(), Answer::Scale(2));
        a.insert("nps".into(), Answer::Scale(9));
        a.insert("advocacy".into(), Answer::Choice("yes".into()));
        a.insert("story_recall".into(), Answer::DontKnow);
        a.insert("tenure".into(), Answer::Choice("over_3y".into()));

        let s = score_respondent(&def, &a);
        assert_eq!(s.values_bond, Some(6.0));
        assert_eq!(s.contact_bond, Some(2.0));
        assert_eq!(s.bond_class, BondClass::ValuesOnly);
        assert_eq!(s.alignment, Some(1.0));
        // Every value is shared, the placebo included: reports subtract it as the guessing baseline.
        assert_eq!(s.shared_values.len(), def.brand.values.len());
        assert_eq!(s.contact_fit, Some(ContactFit::Over));
        assert_eq!(s.nps_class, Some(NpsClass::Promoter));
        assert_eq!(s.relationship.as_deref(), Some("yes"));
        assert_eq!(s.relationship_reason.as_deref(), Some("shared_values"));
        assert_eq!(s.story_recall.as_deref(), Some("dk"));
        assert_eq!(s.voice, Some(5.0));
        assert_eq!(
            s.segments.get("tenure").map(String::as_str),
            Some("over_3y")
        );
    }

    #[test]
    fn an_empty_response_is_insufficient_everywhere() {
        let s = score_respondent(&demo(), &AnswerSet::new());
        assert_eq!(s.bond_class, BondClass::Insufficient);
        assert_eq!(s.alignment, None);
        assert!(s.shared_values.is_empty());
        assert_eq!(s.contact_fit, None);
        assert_eq!(s.nps_class, None);
    }
}
