//! Validation of a survey definition: every rule of the format (README, "Survey JSON"),
//! with all problems collected and each named by its place.

use std::collections::{HashMap, HashSet};

use super::brand::MAX_STATED_VALUES;
use super::survey::{
    is_key, is_slug, is_valid_threshold, DefinitionError, DefinitionErrors, Question, ShowIf,
    SurveyDefinition, RELATIONSHIP_REASONS, TEXT_MAX_CEILING,
};
use super::{BrandProfile, Construct};

impl SurveyDefinition {
    /// Checks every rule of the format; collects all problems rather than stopping at one.
    pub fn validate(&self) -> Result<(), DefinitionErrors> {
        let mut errors = Vec::new();
        let mut err =
            |place: String, message: String| errors.push(DefinitionError { place, message });

        if !is_slug(&self.slug) {
            err(
                "slug".into(),
                "must be 3–64 characters of a–z, 0–9 and '-'".into(),
            );
        }
        validate_brand(&self.brand, &mut err);
        for locale in self.title.missing() {
            err("title".into(), format!("missing {} text", locale.code()));
        }
        if super::zone::SurveyZone::parse(&self.time_zone).is_none() {
            err(
                "time_zone".into(),
                format!(
                    "\"{}\" is not a time zone name (e.g. Asia/Ho_Chi_Minh)",
                    self.time_zone
                ),
            );
        }
        if !is_valid_threshold(self.bond_threshold) {
            err(
                "bond_threshold".into(),
                "must be a whole or half point between 1 and 7 (e.g. 5 or 5.5)".into(),
            );
        }
        if self.pages.is_empty() {
            err("pages".into(), "a survey needs at least one page".into());
        }

        let mut seen_keys: HashMap<&str, usize> = HashMap::new();
        let mut value_items: HashSet<(Construct, &str)> = HashSet::new();
        for (pi, page) in self.pages.iter().enumerate() {
            if page.questions.is_empty() {
                err(
                    format!("pages[{pi}]"),
                    "a page needs at least one question".into(),
                );
            }
            for (qi, q) in page.questions.iter().enumerate() {
                self.validate_question(q, (pi, qi), &mut seen_keys, &mut value_items, &mut err);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DefinitionErrors(errors))
        }
    }

    /// One question: its key (unique), texts, options, construct, length limit and show-if.
    fn validate_question<'d>(
        &'d self,
        q: &'d Question,
        (pi, qi): (usize, usize),
        seen_keys: &mut HashMap<&'d str, usize>,
        value_items: &mut HashSet<(Construct, &'d str)>,
        err: &mut impl FnMut(String, String),
    ) {
        let place = format!("pages[{pi}].questions[{qi}] ({})", q.key);
        if !is_key(&q.key) {
            err(
                place.clone(),
                "key must be 1–40 characters of a–z, 0–9 and '_'".into(),
            );
        }
        if seen_keys.insert(&q.key, pi).is_some() {
            err(
                place.clone(),
                format!("duplicate question key \"{}\"", q.key),
            );
        }
        for locale in q.text.missing() {
            err(
                format!("{place}.text"),
                format!("missing {} text", locale.code()),
            );
        }
        validate_options(q, &place, err);
        if q.reverse && !q.can_reverse() {
            err(
                format!("{place}.reverse"),
                "only an agree7 value_congruence or contact_bond question can be reverse-keyed"
                    .into(),
            );
        }
        self.validate_construct(q, &place, value_items, err);
        match (q.max_length, q.kind.is_text()) {
            (Some(n), true) if n == 0 || n > TEXT_MAX_CEILING => err(
                format!("{place}.max_length"),
                format!("must be 1–{TEXT_MAX_CEILING}"),
            ),
            (Some(_), false) => err(
                format!("{place}.max_length"),
                "only text questions have a length limit".into(),
            ),
            _ => {}
        }
        if let Some(rule) = &q.show_if {
            self.validate_show_if(rule, pi, &format!("{place}.show_if"), err);
        }
    }

    /// A question's construct: the kind it needs, the stated value it names (once per
    /// construct and value), and for the relationship reason, its options.
    fn validate_construct<'d>(
        &'d self,
        q: &'d Question,
        place: &str,
        value_items: &mut HashSet<(Construct, &'d str)>,
        err: &mut impl FnMut(String, String),
    ) {
        if let Some(construct) = q.construct {
            if q.kind != construct.required_kind() {
                err(
                    format!("{place}.construct"),
                    format!(
                        "construct {} needs a {:?} question, not {:?}",
                        construct.name(),
                        construct.required_kind(),
                        q.kind
                    ),
                );
            }
            match (&q.value, construct.needs_value()) {
                (Some(v), true) => {
                    if self.brand.value(v).is_none() {
                        err(
                            format!("{place}.value"),
                            format!("\"{v}\" is not a stated value of the brand"),
                        );
                    } else if !value_items.insert((construct, v.as_str())) {
                        err(
                            place.to_string(),
                            format!("a second {} question for value \"{v}\"", construct.name()),
                        );
                    }
                }
                (None, true) => err(
                    format!("{place}.value"),
                    format!("construct {} names a stated value", construct.name()),
                ),
                (Some(_), false) => err(
                    format!("{place}.value"),
                    "only value_importance and value_perception name a value".into(),
                ),
                (None, false) => {}
            }
            if construct == Construct::RelationshipReason {
                for o in &q.options {
                    if !RELATIONSHIP_REASONS.contains(&o.key.as_str()) {
                        err(
                            format!("{place}.options"),
                            format!(
                                "reason \"{}\" is not one of {}",
                                o.key,
                                RELATIONSHIP_REASONS.join(", ")
                            ),
                        );
                    }
                }
            }
        } else if q.value.is_some() {
            err(
                format!("{place}.value"),
                "a value needs a value_importance or value_perception construct".into(),
            );
        }
    }

    fn validate_show_if(
        &self,
        rule: &ShowIf,
        page: usize,
        place: &str,
        err: &mut impl FnMut(String, String),
    ) {
        let Some(pos) = self.position_of(&rule.question) else {
            return err(
                place.into(),
                format!("question \"{}\" does not exist", rule.question),
            );
        };
        if pos.page >= page {
            return err(
                place.into(),
                format!("question \"{}\" must be on an earlier page", rule.question),
            );
        }
        let target = &self.pages[pos.page].questions[pos.index];
        if !target.kind.is_branchable() {
            return err(
                place.into(),
                format!(
                    "question \"{}\" is not a single-choice or yes/no question",
                    rule.question
                ),
            );
        }
        if rule.any_of.is_empty() {
            err(place.into(), "any_of needs at least one answer".into());
        }
        for answer in &rule.any_of {
            if !target.accepts_category(answer) {
                err(
                    place.into(),
                    format!("\"{answer}\" is not an answer of \"{}\"", rule.question),
                );
            }
        }
    }
}

fn validate_options(q: &Question, place: &str, err: &mut impl FnMut(String, String)) {
    if !q.kind.has_options() {
        if !q.options.is_empty() {
            err(
                format!("{place}.options"),
                format!("{:?} questions have no options", q.kind),
            );
        }
        return;
    }
    if q.options.len() < 2 {
        err(
            format!("{place}.options"),
            "a choice question needs at least two options".into(),
        );
    }
    let mut keys = HashSet::new();
    for (oi, o) in q.options.iter().enumerate() {
        if !is_key(&o.key) {
            err(
                format!("{place}.options[{oi}]"),
                "key must be 1–40 characters of a–z, 0–9 and '_'".into(),
            );
        }
        if !keys.insert(&o.key) {
            err(
                format!("{place}.options[{oi}]"),
                format!("duplicate option key \"{}\"", o.key),
            );
        }
        for locale in o.text.missing() {
            err(
                format!("{place}.options[{oi}].text"),
                format!("missing {} text", locale.code()),
            );
        }
    }
}

fn validate_brand(brand: &BrandProfile, err: &mut impl FnMut(String, String)) {
    if !is_slug(&brand.slug) {
        err(
            "brand.slug".into(),
            "must be 3–64 characters of a–z, 0–9 and '-'".into(),
        );
    }
    if brand.name.trim().is_empty() {
        err("brand.name".into(), "must not be empty".into());
    }
    if brand.values.is_empty() || brand.values.len() > MAX_STATED_VALUES {
        err(
            "brand.values".into(),
            format!("a brand states 1–{MAX_STATED_VALUES} values"),
        );
    }
    if !brand.values.is_empty() && brand.values.iter().all(|v| v.placebo) {
        err(
            "brand.values".into(),
            "at least one value must be a real (non-placebo) value".into(),
        );
    }
    let mut keys = HashSet::new();
    for (i, v) in brand.values.iter().enumerate() {
        let place = format!("brand.values[{i}] ({})", v.key);
        if !is_key(&v.key) {
            err(
                place.clone(),
                "key must be 1–40 characters of a–z, 0–9 and '_'".into(),
            );
        }
        if !keys.insert(&v.key) {
            err(place.clone(), format!("duplicate value key \"{}\"", v.key));
        }
        if !(v.weight.is_finite() && v.weight > 0.0) {
            err(
                format!("{place}.weight"),
                "must be a number greater than 0".into(),
            );
        }
        for locale in v.label.missing() {
            err(
                format!("{place}.label"),
                format!("missing {} text", locale.code()),
            );
        }
    }
}
