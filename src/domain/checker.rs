//! The authoring checker, run on every save and before publishing: what in a survey
//! definition would break the survey or weaken its report, as typed findings (what is
//! wrong, and where). `i18n::checker` explains each to the admin in Vietnamese or English,
//! with the fix.
//!
//! Errors block publishing: the survey would be broken or misleading, or a report figure
//! could not be computed. Warnings leave a valid but weaker report.

use std::collections::HashSet;

use super::survey::{DefinitionError, RELATIONSHIP_REASONS};
use super::{Construct, Locale, LocalizedText, Question, QuestionKind, SurveyDefinition};

/// Items a bond score needs: with fewer, V or C rests on one question.
pub const MIN_BOND_ITEMS: usize = 2;
/// Items `measurement.md` recommends per bond score.
pub const RECOMMENDED_BOND_ITEMS: usize = 3;

/// Reasons with a CEB benchmark in the report (64% shared values, 13% frequent contact).
const BENCHMARKED_REASONS: [&str; 2] = ["shared_values", "frequent_contact"];

/// Constructs the report reads from the first question only (`scoring::score_respondent`).
const SINGLE_QUESTION_CONSTRUCTS: [Construct; 7] = [
    Construct::Relationship,
    Construct::RelationshipReason,
    Construct::ContactActual,
    Construct::ContactPreferred,
    Construct::Nps,
    Construct::Advocacy,
    Construct::StoryRecall,
];

/// Constructs whose absence only drops a report section (the bond scores and the values
/// are checked by their own findings).
const EXPECTED_CONSTRUCTS: [Construct; 9] = [
    Construct::Relationship,
    Construct::RelationshipReason,
    Construct::ContactActual,
    Construct::ContactPreferred,
    Construct::Nps,
    Construct::Advocacy,
    Construct::VoiceHeard,
    Construct::StoryRecall,
    Construct::Segment,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// The report is weaker but valid.
    Warning,
}

/// One thing the checker found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The key of the question concerned, if any.
    pub place: Option<String>,
    pub kind: FindingKind,
}

/// Where text is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextPart {
    Title,
    Intro,
    /// 0-based page index.
    PageTitle {
        page: usize,
    },
    Question,
    Help,
    Option {
        option: String,
    },
    ValueLabel {
        value: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// A structural problem from `SurveyDefinition::validate` (English message).
    Invalid {
        place: String,
        message: String,
    },
    /// Fewer bond items than needed (error) or than recommended (warning).
    TooFewItems {
        construct: Construct,
        found: usize,
    },
    ReasonWithoutRelationship,
    /// The reason question is not limited to respondents who answered "yes".
    ReasonNotConditional,
    /// Reason options the model defines but the question does not offer.
    ReasonOptionsMissing {
        missing: Vec<String>,
    },
    PerceptionWithoutImportance {
        value: String,
    },
    ImportanceWithoutPerception {
        value: String,
    },
    /// A stated value with neither an importance nor a perception question.
    ValueNotAsked {
        value: String,
        placebo: bool,
    },
    NoPlacebo,
    /// A scale question with no construct: stored, never scored.
    UnmappedScale {
        kind: QuestionKind,
    },
    MissingText {
        part: TextPart,
        locale: Locale,
    },
    /// A construct with no question: its report section is left out.
    MissingConstruct {
        construct: Construct,
    },
    /// A single-question construct asked more than once: only the first is scored.
    RepeatedConstruct {
        construct: Construct,
        count: usize,
    },
    /// A bond scale with no reverse-keyed item: agreeing with everything scores high.
    NoReverseItem {
        construct: Construct,
    },
    /// Bond items differ in form: some are attributions ("… because …"), others plain
    /// statements, so one scale is harder to agree with than the other.
    MixedItemForm {
        attributions: usize,
        statements: usize,
    },
}

impl FindingKind {
    /// Error when publishing would give a broken or misleading survey or a report figure
    /// that cannot be computed; warning when the report is only weaker.
    pub fn severity(&self) -> Severity {
        use FindingKind::*;
        match self {
            Invalid { .. }
            | ReasonWithoutRelationship
            | PerceptionWithoutImportance { .. }
            | ImportanceWithoutPerception { .. }
            | MissingText { .. } => Severity::Error,
            TooFewItems { found, .. } if *found < MIN_BOND_ITEMS => Severity::Error,
            // A missing benchmarked option would read as 0% beside the CEB figure.
            ReasonOptionsMissing { missing }
                if missing
                    .iter()
                    .any(|m| BENCHMARKED_REASONS.contains(&m.as_str())) =>
            {
                Severity::Error
            }
            TooFewItems { .. }
            | ReasonNotConditional
            | ReasonOptionsMissing { .. }
            | ValueNotAsked { .. }
            | NoPlacebo
            | UnmappedScale { .. }
            | MissingConstruct { .. }
            | RepeatedConstruct { .. }
            | NoReverseItem { .. }
            | MixedItemForm { .. } => Severity::Warning,
        }
    }
}

impl Finding {
    fn new(place: Option<&str>, kind: FindingKind) -> Finding {
        Finding {
            severity: kind.severity(),
            place: place.map(str::to_string),
            kind,
        }
    }
}

/// Whether any finding is an error.
pub fn blocks_publishing(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Everything the checker finds in `def`, errors first, then in survey order.
pub fn check(def: &SurveyDefinition) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Missing text comes first so the matching `validate` errors are not reported twice.
    let replaced = check_texts(def, &mut findings);
    if let Err(errors) = def.validate() {
        for e in errors.0.into_iter().filter(|e| !replaced.contains(e)) {
            let key = question_key_at(def, &e.place);
            findings.push(Finding::new(
                key,
                FindingKind::Invalid {
                    place: e.place,
                    message: e.message,
                },
            ));
        }
    }
    check_bond_items(def, &mut findings);
    check_reason(def, &mut findings);
    check_values(def, &mut findings);
    check_unmapped_scales(def, &mut findings);
    check_constructs(def, &mut findings);
    // Stable: within a severity, findings keep survey order.
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Reports missing text; returns the `validate` errors that say the same thing.
fn check_texts(def: &SurveyDefinition, findings: &mut Vec<Finding>) -> Vec<DefinitionError> {
    let mut replaced = Vec::new();
    // Text `validate` requires: the same problem it reports at `place`.
    let mut required = |text: &LocalizedText, place: String, key: Option<&str>, part: TextPart| {
        for locale in text.missing() {
            replaced.push(DefinitionError {
                place: place.clone(),
                message: format!("missing {} text", locale.code()),
            });
            findings.push(Finding::new(
                key,
                FindingKind::MissingText {
                    part: part.clone(),
                    locale,
                },
            ));
        }
    };
    required(&def.title, "title".into(), None, TextPart::Title);
    for (i, v) in def.brand.values.iter().enumerate() {
        required(
            &v.label,
            format!("brand.values[{i}] ({}).label", v.key),
            None,
            TextPart::ValueLabel {
                value: v.key.clone(),
            },
        );
    }
    for (pi, page) in def.pages.iter().enumerate() {
        for (qi, q) in page.questions.iter().enumerate() {
            let place = format!("pages[{pi}].questions[{qi}] ({})", q.key);
            let key = Some(q.key.as_str());
            required(&q.text, format!("{place}.text"), key, TextPart::Question);
            if q.kind.has_options() {
                for (oi, o) in q.options.iter().enumerate() {
                    required(
                        &o.text,
                        format!("{place}.options[{oi}].text"),
                        key,
                        TextPart::Option {
                            option: o.key.clone(),
                        },
                    );
                }
            }
        }
    }

    // Optional text: fine when absent in both languages, broken when only one has it.
    let mut optional = |text: &LocalizedText, key: Option<&str>, part: TextPart| {
        if !text.is_empty() {
            for locale in text.missing() {
                findings.push(Finding::new(
                    key,
                    FindingKind::MissingText {
                        part: part.clone(),
                        locale,
                    },
                ));
            }
        }
    };
    optional(&def.intro, None, TextPart::Intro);
    for (page, p) in def.pages.iter().enumerate() {
        optional(&p.title, None, TextPart::PageTitle { page });
        for q in &p.questions {
            if let Some(help) = &q.help {
                optional(help, Some(&q.key), TextPart::Help);
            }
        }
    }
    replaced
}

/// The key of the question a `validate` place such as `pages[1].questions[0] (vc1).options`
/// points to, looked up by position rather than read from the text in brackets.
fn question_key_at<'d>(def: &'d SurveyDefinition, place: &str) -> Option<&'d str> {
    let rest = place.strip_prefix("pages[")?;
    let (page, rest) = rest.split_once("].questions[")?;
    let (index, _) = rest.split_once(']')?;
    let q = def
        .pages
        .get(page.parse::<usize>().ok()?)?
        .questions
        .get(index.parse::<usize>().ok()?)?;
    Some(q.key.as_str())
}

fn check_bond_items(def: &SurveyDefinition, findings: &mut Vec<Finding>) {
    for construct in [Construct::ValueCongruence, Construct::ContactBond] {
        let found = def.questions_with(construct).count();
        if found < RECOMMENDED_BOND_ITEMS {
            findings.push(Finding::new(
                None,
                FindingKind::TooFewItems { construct, found },
            ));
        }
        if found > 0 && !def.questions_with(construct).any(|q| q.reverse) {
            findings.push(Finding::new(None, FindingKind::NoReverseItem { construct }));
        }
    }
    let items: Vec<&Question> = def
        .questions_with(Construct::ValueCongruence)
        .chain(def.questions_with(Construct::ContactBond))
        .collect();
    let attributions: Vec<&&Question> = items.iter().filter(|q| is_attribution(q)).collect();
    if let Some(first) = attributions.first() {
        if attributions.len() < items.len() {
            findings.push(Finding::new(
                Some(&first.key),
                FindingKind::MixedItemForm {
                    attributions: attributions.len(),
                    statements: items.len() - attributions.len(),
                },
            ));
        }
    }
}

/// Whether an item's text gives a reason ("… because …", "… vì …"): an attribution, not a
/// plain statement of the bond. Only the causal words are looked for, so the check can tell
/// the common case and stays silent otherwise.
fn is_attribution(q: &Question) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let en = words(&q.text.en);
    let vi = words(&q.text.vi);
    en.iter().any(|w| w == "because")
        || en.windows(2).any(|w| w[0] == "thanks" && w[1] == "to")
        || vi.iter().any(|w| w == "vì")
        || vi.windows(2).any(|w| w[0] == "bởi" && w[1] == "vì")
        || vi.windows(2).any(|w| w[0] == "nhờ" && w[1] == "vào")
}

fn check_reason(def: &SurveyDefinition, findings: &mut Vec<Finding>) {
    let relationship_keys: Vec<&str> = def
        .questions_with(Construct::Relationship)
        .map(|q| q.key.as_str())
        .collect();
    for reason in def.questions_with(Construct::RelationshipReason) {
        let place = Some(reason.key.as_str());
        if relationship_keys.is_empty() {
            findings.push(Finding::new(place, FindingKind::ReasonWithoutRelationship));
        } else {
            let only_after_yes = reason.show_if.as_ref().is_some_and(|rule| {
                relationship_keys.contains(&rule.question.as_str()) && rule.any_of == ["yes"]
            });
            if !only_after_yes {
                findings.push(Finding::new(place, FindingKind::ReasonNotConditional));
            }
        }
        let missing: Vec<String> = RELATIONSHIP_REASONS
            .iter()
            .filter(|r| reason.option(r).is_none())
            .map(|r| r.to_string())
            .collect();
        if !missing.is_empty() {
            findings.push(Finding::new(
                place,
                FindingKind::ReasonOptionsMissing { missing },
            ));
        }
    }
}

fn check_values(def: &SurveyDefinition, findings: &mut Vec<Finding>) {
    let asked = |construct: Construct| -> HashSet<&str> {
        def.questions_with(construct)
            .filter_map(|q| q.value.as_deref())
            .collect()
    };
    let importance = asked(Construct::ValueImportance);
    let perception = asked(Construct::ValuePerception);

    for q in def.questions() {
        // A value the brand does not state is already an `Invalid` finding.
        let Some(value) = q.value.as_deref().filter(|v| def.brand.value(v).is_some()) else {
            continue;
        };
        let kind = match q.construct {
            Some(Construct::ValuePerception) if !importance.contains(value) => {
                FindingKind::PerceptionWithoutImportance {
                    value: value.into(),
                }
            }
            Some(Construct::ValueImportance) if !perception.contains(value) => {
                FindingKind::ImportanceWithoutPerception {
                    value: value.into(),
                }
            }
            _ => continue,
        };
        findings.push(Finding::new(Some(&q.key), kind));
    }
    for v in &def.brand.values {
        let key = v.key.as_str();
        if !importance.contains(key) && !perception.contains(key) {
            findings.push(Finding::new(
                None,
                FindingKind::ValueNotAsked {
                    value: v.key.clone(),
                    placebo: v.placebo,
                },
            ));
        }
    }
    if !def.brand.values.is_empty() && !def.brand.values.iter().any(|v| v.placebo) {
        findings.push(Finding::new(None, FindingKind::NoPlacebo));
    }
}

fn check_unmapped_scales(def: &SurveyDefinition, findings: &mut Vec<Finding>) {
    for q in def.questions() {
        let is_scale = matches!(
            q.kind,
            QuestionKind::Agree7 | QuestionKind::Recommend10 | QuestionKind::ContactFrequency
        );
        if is_scale && q.construct.is_none() {
            findings.push(Finding::new(
                Some(&q.key),
                FindingKind::UnmappedScale { kind: q.kind },
            ));
        }
    }
}

fn check_constructs(def: &SurveyDefinition, findings: &mut Vec<Finding>) {
    for construct in EXPECTED_CONSTRUCTS {
        if def.questions_with(construct).next().is_none() {
            findings.push(Finding::new(
                None,
                FindingKind::MissingConstruct { construct },
            ));
        }
    }
    for construct in SINGLE_QUESTION_CONSTRUCTS {
        let count = def.questions_with(construct).count();
        if count > 1 {
            let ignored = def.questions_with(construct).nth(1).map(|q| q.key.as_str());
            findings.push(Finding::new(
                ignored,
                FindingKind::RepeatedConstruct { construct, count },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bond_check::bond_check_survey;
    use crate::domain::survey::ChoiceOption;
    use crate::domain::{BrandProfile, Question, ShowIf, StatedValue};

    /// The message the admin reads; its wording lives in `i18n::checker`, and these tests
    /// check that it names what the finding found.
    trait Explained {
        fn message(&self, locale: Locale) -> String;
    }

    impl Explained for Finding {
        fn message(&self, locale: Locale) -> String {
            crate::i18n::checker::finding_message(locale, self)
        }
    }

    const DEMOS: [&str; 2] = [
        include_str!("../demo/terra-bond.json"),
        include_str!("../demo/moto-freedom.json"),
    ];

    fn value(key: &str, placebo: bool) -> StatedValue {
        StatedValue {
            key: key.into(),
            label: LocalizedText::new(format!("Giá trị {key}"), format!("Value {key}")),
            description: LocalizedText::default(),
            weight: 1.0,
            placebo,
        }
    }

    /// A small survey the checker passes: two real values and a placebo.
    fn clean() -> SurveyDefinition {
        let brand = BrandProfile {
            slug: "song-xanh".into(),
            name: "Sông Xanh".into(),
            mission: LocalizedText::default(),
            values: vec![
                value("care", false),
                value("craft", false),
                value("luxury", true),
            ],
        };
        bond_check_survey(
            &brand,
            "song-xanh",
            LocalizedText::new("Bạn và Sông Xanh", "You and Sông Xanh"),
        )
    }

    fn without(mut def: SurveyDefinition, keys: &[&str]) -> SurveyDefinition {
        for p in &mut def.pages {
            p.questions.retain(|q| !keys.contains(&q.key.as_str()));
        }
        def.pages.retain(|p| !p.questions.is_empty());
        def
    }

    fn question_mut<'d>(def: &'d mut SurveyDefinition, key: &str) -> &'d mut Question {
        def.pages
            .iter_mut()
            .flat_map(|p| p.questions.iter_mut())
            .find(|q| q.key == key)
            .expect("question exists")
    }

    fn kinds(def: &SurveyDefinition) -> Vec<(Severity, Option<String>, FindingKind)> {
        check(def)
            .into_iter()
            .map(|f| (f.severity, f.place, f.kind))
            .collect()
    }

    fn assert_found(
        def: &SurveyDefinition,
        severity: Severity,
        place: Option<&str>,
        kind: FindingKind,
    ) {
        let found = kinds(def);
        assert!(
            found.contains(&(severity, place.map(str::to_string), kind.clone())),
            "expected {severity:?} {place:?} {kind:?} in {found:?}"
        );
    }

    #[test]
    fn demo_surveys_have_no_findings() {
        for json in DEMOS {
            let def = SurveyDefinition::parse(json).unwrap();
            let findings = check(&def);
            assert!(findings.is_empty(), "{}: {findings:?}", def.slug);
            assert!(!blocks_publishing(&findings));
        }
    }

    #[test]
    fn the_clean_survey_has_no_findings() {
        assert_eq!(check(&clean()), vec![]);
    }

    #[test]
    fn a_single_value_congruence_item_blocks_publishing() {
        let def = without(clean(), &["vc_connected", "vc_close"]);
        let findings = check(&def);
        assert_eq!(
            findings,
            vec![Finding {
                severity: Severity::Error,
                place: None,
                kind: FindingKind::TooFewItems {
                    construct: Construct::ValueCongruence,
                    found: 1
                },
            }]
        );
        assert!(blocks_publishing(&findings));
    }

    #[test]
    fn no_contact_bond_item_blocks_publishing_and_two_items_only_warn() {
        let def = without(clean(), &["cb_connected", "cb_close", "cb_mean_little"]);
        assert_found(
            &def,
            Severity::Error,
            None,
            FindingKind::TooFewItems {
                construct: Construct::ContactBond,
                found: 0,
            },
        );
        let def = without(clean(), &["cb_close"]);
        let findings = check(&def);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(!blocks_publishing(&findings));
    }

    #[test]
    fn a_reason_without_a_relationship_question_blocks_publishing() {
        let mut def = without(clean(), &["relationship"]);
        question_mut(&mut def, "relationship_reason").show_if = None;
        assert_found(
            &def,
            Severity::Error,
            Some("relationship_reason"),
            FindingKind::ReasonWithoutRelationship,
        );
        assert_found(
            &def,
            Severity::Warning,
            None,
            FindingKind::MissingConstruct {
                construct: Construct::Relationship,
            },
        );
    }

    #[test]
    fn a_reason_shown_to_everyone_is_a_warning() {
        let mut def = clean();
        question_mut(&mut def, "relationship_reason").show_if = Some(ShowIf {
            question: "relationship".into(),
            any_of: vec!["yes".into(), "dk".into()],
        });
        assert_eq!(
            kinds(&def),
            vec![(
                Severity::Warning,
                Some("relationship_reason".into()),
                FindingKind::ReasonNotConditional
            )]
        );
    }

    #[test]
    fn missing_reason_options_block_publishing_only_when_benchmarked() {
        let mut def = clean();
        question_mut(&mut def, "relationship_reason")
            .options
            .retain(|o| o.key != "rewards");
        assert_found(
            &def,
            Severity::Warning,
            Some("relationship_reason"),
            FindingKind::ReasonOptionsMissing {
                missing: vec!["rewards".into()],
            },
        );
        question_mut(&mut def, "relationship_reason")
            .options
            .retain(|o| o.key != "shared_values");
        assert_found(
            &def,
            Severity::Error,
            Some("relationship_reason"),
            FindingKind::ReasonOptionsMissing {
                missing: vec!["shared_values".into(), "rewards".into()],
            },
        );
    }

    #[test]
    fn a_perception_without_its_importance_twin_blocks_publishing_and_the_reverse_too() {
        let def = without(clean(), &["imp_care", "per_craft"]);
        assert_found(
            &def,
            Severity::Error,
            Some("per_care"),
            FindingKind::PerceptionWithoutImportance {
                value: "care".into(),
            },
        );
        assert_found(
            &def,
            Severity::Error,
            Some("imp_craft"),
            FindingKind::ImportanceWithoutPerception {
                value: "craft".into(),
            },
        );
        // A value with one question of the pair is not also reported as not asked.
        assert_eq!(check(&def).len(), 2, "{:?}", check(&def));
    }

    #[test]
    fn a_stated_value_without_questions_is_a_warning() {
        let def = without(
            clean(),
            &["imp_craft", "per_craft", "imp_luxury", "per_luxury"],
        );
        assert_eq!(
            kinds(&def),
            vec![
                (
                    Severity::Warning,
                    None,
                    FindingKind::ValueNotAsked {
                        value: "craft".into(),
                        placebo: false
                    }
                ),
                (
                    Severity::Warning,
                    None,
                    FindingKind::ValueNotAsked {
                        value: "luxury".into(),
                        placebo: true
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_brand_without_a_placebo_value_is_a_warning() {
        let mut def = without(clean(), &["imp_luxury", "per_luxury"]);
        def.brand.values.retain(|v| !v.placebo);
        assert_eq!(
            kinds(&def),
            vec![(Severity::Warning, None, FindingKind::NoPlacebo)]
        );
    }

    #[test]
    fn an_unmapped_scale_question_is_a_warning() {
        let mut def = clean();
        question_mut(&mut def, "voice_listens").construct = None;
        assert_found(
            &def,
            Severity::Warning,
            Some("voice_listens"),
            FindingKind::UnmappedScale {
                kind: QuestionKind::Agree7,
            },
        );
        assert_found(
            &def,
            Severity::Warning,
            None,
            FindingKind::MissingConstruct {
                construct: Construct::VoiceHeard,
            },
        );
    }

    #[test]
    fn missing_language_text_blocks_publishing_and_is_reported_once() {
        let mut def = clean();
        def.title.en.clear();
        question_mut(&mut def, "nps").text.vi = "  ".into();
        question_mut(&mut def, "tenure").options[1].text.en.clear();
        def.brand.values[0].label.vi.clear();
        let findings = kinds(&def);
        assert_eq!(
            findings,
            vec![
                (
                    Severity::Error,
                    None,
                    FindingKind::MissingText {
                        part: TextPart::Title,
                        locale: Locale::En
                    }
                ),
                (
                    Severity::Error,
                    None,
                    FindingKind::MissingText {
                        part: TextPart::ValueLabel {
                            value: "care".into()
                        },
                        locale: Locale::Vi
                    }
                ),
                (
                    Severity::Error,
                    Some("tenure".into()),
                    FindingKind::MissingText {
                        part: TextPart::Option {
                            option: "under_1y".into()
                        },
                        locale: Locale::En
                    }
                ),
                (
                    Severity::Error,
                    Some("nps".into()),
                    FindingKind::MissingText {
                        part: TextPart::Question,
                        locale: Locale::Vi
                    }
                ),
            ],
            "validate's own messages for these must not appear as well"
        );
    }

    #[test]
    fn optional_text_in_one_language_only_blocks_publishing() {
        let mut def = clean();
        def.intro.en.clear();
        def.pages[1].title.vi.clear();
        question_mut(&mut def, "nps").help = Some(LocalizedText::new("0 là hoàn toàn không", ""));
        assert_eq!(
            kinds(&def),
            vec![
                (
                    Severity::Error,
                    None,
                    FindingKind::MissingText {
                        part: TextPart::Intro,
                        locale: Locale::En
                    }
                ),
                (
                    Severity::Error,
                    None,
                    FindingKind::MissingText {
                        part: TextPart::PageTitle { page: 1 },
                        locale: Locale::Vi
                    }
                ),
                (
                    Severity::Error,
                    Some("nps".into()),
                    FindingKind::MissingText {
                        part: TextPart::Help,
                        locale: Locale::En
                    }
                ),
            ]
        );
        // Absent in both languages is a choice, not a mistake.
        let mut def = clean();
        def.intro = LocalizedText::default();
        def.pages[1].title = LocalizedText::default();
        assert_eq!(check(&def), vec![]);
    }

    #[test]
    fn structural_errors_become_error_findings_with_their_question() {
        let mut def = clean();
        let first = def.pages[2].questions[1].key.clone();
        def.pages[2].questions[2].key = first.clone();
        def.slug = "Bad Slug".into();
        let findings = check(&def);
        assert!(blocks_publishing(&findings));
        assert!(findings.iter().any(|f| f.place.is_none()
            && matches!(&f.kind, FindingKind::Invalid { place, .. } if place == "slug")));
        let duplicate = findings
            .iter()
            .find(|f| matches!(&f.kind, FindingKind::Invalid { message, .. } if message.contains("duplicate question key")))
            .expect("duplicate key reported");
        assert_eq!(duplicate.severity, Severity::Error);
        assert_eq!(duplicate.place.as_deref(), Some(first.as_str()));
        assert!(duplicate
            .message(Locale::Vi)
            .starts_with("Lỗi cấu trúc tại pages[2].questions[2]"));
    }

    #[test]
    fn missing_nps_and_segment_only_warn() {
        let def = without(clean(), &["nps", "tenure"]);
        assert_eq!(
            kinds(&def),
            vec![
                (
                    Severity::Warning,
                    None,
                    FindingKind::MissingConstruct {
                        construct: Construct::Nps
                    }
                ),
                (
                    Severity::Warning,
                    None,
                    FindingKind::MissingConstruct {
                        construct: Construct::Segment
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_second_nps_question_is_ignored_and_warned_about() {
        let mut def = clean();
        let mut second = def.question("nps").unwrap().clone();
        second.key = "nps_again".into();
        let last = def.pages.len() - 1;
        def.pages[last].questions.push(second);
        assert_eq!(
            kinds(&def),
            vec![(
                Severity::Warning,
                Some("nps_again".into()),
                FindingKind::RepeatedConstruct {
                    construct: Construct::Nps,
                    count: 2
                }
            )]
        );
    }

    #[test]
    fn a_scale_without_a_reverse_keyed_item_is_a_warning() {
        let mut def = clean();
        question_mut(&mut def, "cb_mean_little").reverse = false;
        assert_eq!(
            check(&def),
            vec![Finding::new(
                None,
                FindingKind::NoReverseItem {
                    construct: Construct::ContactBond
                }
            )]
        );
    }

    #[test]
    fn an_attribution_on_one_scale_only_is_a_warning() {
        let mut def = clean();
        let q = question_mut(&mut def, "cb_close");
        q.text = LocalizedText::new(
            "Tôi thấy gần gũi với Terra Outdoor vì họ thường xuyên liên lạc với tôi.",
            "I feel close to Terra Outdoor because they stay in touch with me often.",
        );
        let findings = check(&def);
        assert_eq!(
            findings,
            vec![Finding::new(
                Some("cb_close"),
                FindingKind::MixedItemForm {
                    attributions: 1,
                    statements: 5
                }
            )]
        );
        assert_eq!(findings[0].severity, Severity::Warning);
        // "vì" inside another word ("vì sao" is a question, "vịnh" is not "vì") is not read as one.
        question_mut(&mut def, "cb_close").text = LocalizedText::new(
            "Những chuyến đi vịnh Hạ Long với Terra Outdoor khiến tôi thấy gần gũi với thương hiệu này.",
            "Trips with Terra Outdoor make me feel close to it.",
        );
        assert_eq!(check(&def), vec![]);
    }

    #[test]
    fn errors_come_before_warnings() {
        let def = without(clean(), &["nps", "vc_connected", "vc_close"]);
        let severities: Vec<Severity> = check(&def).iter().map(|f| f.severity).collect();
        assert_eq!(severities, vec![Severity::Error, Severity::Warning]);
    }

    #[test]
    fn every_message_explains_itself_in_both_languages() {
        let samples = [
            FindingKind::Invalid {
                place: "slug".into(),
                message: "must be 3–64 characters".into(),
            },
            FindingKind::TooFewItems {
                construct: Construct::ValueCongruence,
                found: 1,
            },
            FindingKind::TooFewItems {
                construct: Construct::ContactBond,
                found: 2,
            },
            FindingKind::ReasonWithoutRelationship,
            FindingKind::ReasonNotConditional,
            FindingKind::ReasonOptionsMissing {
                missing: vec!["other".into()],
            },
            FindingKind::PerceptionWithoutImportance {
                value: "care".into(),
            },
            FindingKind::ImportanceWithoutPerception {
                value: "care".into(),
            },
            FindingKind::ValueNotAsked {
                value: "care".into(),
                placebo: false,
            },
            FindingKind::ValueNotAsked {
                value: "luxury".into(),
                placebo: true,
            },
            FindingKind::NoPlacebo,
            FindingKind::NoReverseItem {
                construct: Construct::ValueCongruence,
            },
            FindingKind::MixedItemForm {
                attributions: 2,
                statements: 4,
            },
            FindingKind::UnmappedScale {
                kind: QuestionKind::Agree7,
            },
            FindingKind::UnmappedScale {
                kind: QuestionKind::Recommend10,
            },
            FindingKind::MissingText {
                part: TextPart::Option {
                    option: "yes".into(),
                },
                locale: Locale::En,
            },
            FindingKind::MissingText {
                part: TextPart::PageTitle { page: 0 },
                locale: Locale::Vi,
            },
            FindingKind::MissingConstruct {
                construct: Construct::Segment,
            },
            FindingKind::MissingConstruct {
                construct: Construct::Relationship,
            },
            FindingKind::RepeatedConstruct {
                construct: Construct::Nps,
                count: 2,
            },
        ];
        let mut seen = HashSet::new();
        for kind in samples {
            let f = Finding::new(Some("q1"), kind);
            let vi = f.message(Locale::Vi);
            let en = f.message(Locale::En);
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{f:?}");
            assert_ne!(vi, en, "{f:?}");
            // Vietnamese text has Vietnamese letters; English has none.
            assert!(
                vi.chars()
                    .any(|c| "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệịỉọỏốồổộớờởợụủứừửựỳỷỹ".contains(c)),
                "{vi}"
            );
            assert!(!en.contains("đ") && !en.contains("ư"), "{en}");
            assert!(
                seen.insert(vi) && seen.insert(en),
                "{f:?} repeats another message"
            );
        }
        let option = Finding::new(
            Some("tenure"),
            FindingKind::MissingText {
                part: TextPart::Option {
                    option: "over_3y".into(),
                },
                locale: Locale::En,
            },
        );
        assert!(option
            .message(Locale::En)
            .contains("“over_3y” of question “tenure”"));
        assert!(option.message(Locale::Vi).contains("tiếng Anh"));
        let too_few = Finding::new(
            None,
            FindingKind::TooFewItems {
                construct: Construct::ValueCongruence,
                found: 1,
            },
        );
        assert!(too_few
            .message(Locale::En)
            .contains("value congruence (value_congruence) question."));
    }

    #[test]
    fn questions_added_by_hand_are_checked_like_generated_ones() {
        let mut def = clean();
        def.pages[0].questions.push(Question {
            key: "region".into(),
            kind: QuestionKind::SingleChoice,
            text: LocalizedText::new("Bạn sống ở đâu?", "Where do you live?"),
            help: None,
            required: false,
            construct: Some(Construct::Segment),
            value: None,
            options: vec![
                ChoiceOption {
                    key: "north".into(),
                    text: LocalizedText::new("Miền Bắc", "North"),
                },
                ChoiceOption {
                    key: "south".into(),
                    text: LocalizedText::new("Miền Nam", ""),
                },
            ],
            show_if: None,
            max_length: None,
            reverse: false,
        });
        assert_eq!(
            kinds(&def),
            vec![(
                Severity::Error,
                Some("region".into()),
                FindingKind::MissingText {
                    part: TextPart::Option {
                        option: "south".into()
                    },
                    locale: Locale::En
                }
            )]
        );
    }
}
