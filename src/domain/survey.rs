//! The survey definition: the JSON format admins import and export, and the immutable
//! content of a published survey version. `SurveyDefinition::parse` is the only way in:
//! it validates everything and names the place of each problem.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{BrandProfile, LocalizedText};

/// Default bond threshold t (`measurement.md`).
pub const DEFAULT_BOND_THRESHOLD: f64 = 5.0;
/// Default and ceiling lengths (in characters) of free-text answers.
pub const SHORT_TEXT_MAX: u32 = 200;
pub const LONG_TEXT_MAX: u32 = 4000;
pub const TEXT_MAX_CEILING: u32 = 10_000;

/// Option keys a `relationship_reason` question may offer (`measurement.md`).
pub const RELATIONSHIP_REASONS: [&str; 5] = [
    "shared_values",
    "frequent_contact",
    "rewards",
    "habit_convenience",
    "other",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// URL segment of the public link: `/s/{slug}`.
    pub slug: String,
    /// The brand profile; on import an existing brand with this slug is used as stored.
    pub brand: BrandProfile,
    pub title: LocalizedText,
    #[serde(default)]
    pub intro: LocalizedText,
    /// Bond threshold t on the 1–7 scale.
    #[serde(default = "default_threshold")]
    pub bond_threshold: f64,
    /// IANA time zone the report's days, weeks and months are counted in.
    #[serde(
        default = "default_zone_name",
        skip_serializing_if = "is_default_zone_name"
    )]
    pub time_zone: String,
    pub pages: Vec<Page>,
}

fn default_zone_name() -> String {
    super::zone::DEFAULT_ZONE.to_string()
}

fn is_default_zone_name(name: &String) -> bool {
    name == super::zone::DEFAULT_ZONE
}

impl SurveyDefinition {
    /// The survey's time zone (the default one if the stored name is unknown, which
    /// validation does not let through).
    pub fn zone(&self) -> super::zone::SurveyZone {
        super::zone::SurveyZone::parse(&self.time_zone).unwrap_or_default()
    }
}

/// A bond threshold a survey may have: a whole or half point from 1 to 7. Reports classify
/// bonds from half-point rollups (`tally`), which are exact for exactly these thresholds.
pub fn is_valid_threshold(t: f64) -> bool {
    (1.0..=7.0).contains(&t) && (2.0 * t).fract() == 0.0
}

fn default_threshold() -> f64 {
    DEFAULT_BOND_THRESHOLD
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(default)]
    pub title: LocalizedText,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable identifier: form field, CSV column and answer key.
    pub key: String,
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    pub text: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<LocalizedText>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construct: Option<Construct>,
    /// The stated value measured, for `value_importance` / `value_perception`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
    /// Character limit for text answers (defaults by type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// A reverse-keyed bond item (an agree7 `value_congruence` or `contact_bond` question
    /// worded in the opposite direction): scored 8 − x wherever it enters V, C or α, and
    /// shown, stored and exported as answered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reverse: bool,
}

impl Question {
    /// Whether this question may be reverse-keyed: an agree7 bond item.
    pub fn can_reverse(&self) -> bool {
        self.kind == QuestionKind::Agree7
            && matches!(
                self.construct,
                Some(Construct::ValueCongruence | Construct::ContactBond)
            )
    }

    /// Whether the question offers "I have never given feedback" (`voice_heard`: someone
    /// who never gave feedback cannot say whether the brand listens).
    pub fn offers_never_gave_feedback(&self) -> bool {
        self.construct == Some(Construct::VoiceHeard)
    }

    /// A scale answer as it enters a score: 8 − x for a reverse-keyed item.
    pub fn keyed(&self, answer: u8) -> u8 {
        if self.reverse {
            8 - answer.clamp(1, 7)
        } else {
            answer
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    /// 1–7 agreement scale with "don't know".
    Agree7,
    /// 0–10 likelihood to recommend.
    Recommend10,
    /// The 7-level contact frequency scale, 0 (never) .. 6 (daily).
    ContactFrequency,
    YesNoDk,
    ShortText,
    LongText,
}

impl QuestionKind {
    /// Every kind, in the order the builder offers them.
    pub const ALL: [QuestionKind; 8] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Agree7,
        QuestionKind::Recommend10,
        QuestionKind::ContactFrequency,
        QuestionKind::YesNoDk,
        QuestionKind::ShortText,
        QuestionKind::LongText,
    ];

    /// The kind's name in survey JSON (its serde name) and in the builder's forms.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Agree7 => "agree7",
            QuestionKind::Recommend10 => "recommend10",
            QuestionKind::ContactFrequency => "contact_frequency",
            QuestionKind::YesNoDk => "yes_no_dk",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
        }
    }

    /// The kind called `name` (see `name`).
    pub fn from_name(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }

    pub fn is_text(self) -> bool {
        matches!(self, QuestionKind::ShortText | QuestionKind::LongText)
    }

    /// Types whose answer is a single category an other question can branch on.
    pub fn is_branchable(self) -> bool {
        matches!(self, QuestionKind::SingleChoice | QuestionKind::YesNoDk)
    }
}

/// What a question measures (`measurement.md`, "Constructs").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Construct {
    Relationship,
    RelationshipReason,
    ValueCongruence,
    ContactBond,
    ValueImportance,
    ValuePerception,
    ContactActual,
    ContactPreferred,
    Nps,
    Advocacy,
    VoiceHeard,
    StoryRecall,
    Segment,
}

impl Construct {
    /// Every construct, in the order the question editor offers them.
    pub const ALL: [Construct; 13] = [
        Construct::Relationship,
        Construct::RelationshipReason,
        Construct::ValueCongruence,
        Construct::ContactBond,
        Construct::ValueImportance,
        Construct::ValuePerception,
        Construct::ContactActual,
        Construct::ContactPreferred,
        Construct::Nps,
        Construct::Advocacy,
        Construct::VoiceHeard,
        Construct::StoryRecall,
        Construct::Segment,
    ];

    /// The one question type that can measure this construct.
    pub fn required_kind(self) -> QuestionKind {
        use Construct::*;
        match self {
            Relationship | Advocacy | StoryRecall => QuestionKind::YesNoDk,
            RelationshipReason | Segment => QuestionKind::SingleChoice,
            ValueCongruence | ContactBond | ValueImportance | ValuePerception | VoiceHeard => {
                QuestionKind::Agree7
            }
            ContactActual | ContactPreferred => QuestionKind::ContactFrequency,
            Nps => QuestionKind::Recommend10,
        }
    }

    pub fn needs_value(self) -> bool {
        matches!(
            self,
            Construct::ValueImportance | Construct::ValuePerception
        )
    }

    /// The construct's name in survey JSON (its serde name) and in the builder's forms.
    pub fn name(self) -> &'static str {
        use Construct::*;
        match self {
            Relationship => "relationship",
            RelationshipReason => "relationship_reason",
            ValueCongruence => "value_congruence",
            ContactBond => "contact_bond",
            ValueImportance => "value_importance",
            ValuePerception => "value_perception",
            ContactActual => "contact_actual",
            ContactPreferred => "contact_preferred",
            Nps => "nps",
            Advocacy => "advocacy",
            VoiceHeard => "voice_heard",
            StoryRecall => "story_recall",
            Segment => "segment",
        }
    }

    /// The construct called `name` (see `name`).
    pub fn from_name(name: &str) -> Option<Construct> {
        Construct::ALL.into_iter().find(|c| c.name() == name)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub key: String,
    pub text: LocalizedText,
}

/// Show a question only when an earlier single-choice answer is one of `any_of`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<String>,
}

/// One problem found in a survey definition, with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// A JSON-path-like place, e.g. `pages[1].questions[0] (vc1).options`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// All problems found in a definition (never empty).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

/// A question's position in the definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuestionPosition {
    pub page: usize,
    pub index: usize,
}

impl SurveyDefinition {
    /// Parses and validates a definition from JSON.
    pub fn parse(json: &str) -> Result<Self, DefinitionErrors> {
        let def: SurveyDefinition = serde_json::from_str(json).map_err(|e| {
            DefinitionErrors(vec![DefinitionError {
                place: format!("line {}, column {}", e.line(), e.column()),
                message: e.to_string(),
            }])
        })?;
        def.validate()?;
        Ok(def)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().find(|q| q.key == key)
    }

    pub fn position_of(&self, key: &str) -> Option<QuestionPosition> {
        self.pages.iter().enumerate().find_map(|(page, p)| {
            p.questions
                .iter()
                .position(|q| q.key == key)
                .map(|index| QuestionPosition { page, index })
        })
    }

    pub fn questions_with(&self, construct: Construct) -> impl Iterator<Item = &Question> {
        self.questions()
            .filter(move |q| q.construct == Some(construct))
    }
}

impl Question {
    /// Whether `category` is a possible answer of a single-choice or yes/no/don't-know question.
    pub fn accepts_category(&self, category: &str) -> bool {
        match self.kind {
            QuestionKind::YesNoDk => matches!(category, "yes" | "no" | "dk"),
            _ => self.options.iter().any(|o| o.key == category),
        }
    }

    /// Effective character limit of a text answer.
    pub fn text_limit(&self) -> u32 {
        self.max_length.unwrap_or(match self.kind {
            QuestionKind::LongText => LONG_TEXT_MAX,
            _ => SHORT_TEXT_MAX,
        })
    }

    pub fn option(&self, key: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.key == key)
    }
}

/// Lifecycle of a survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
    Archived,
}

impl SurveyStatus {
    /// The name stored and posted (`draft`, `open`, `closed`, `archived`).
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
            SurveyStatus::Archived => "archived",
        }
    }
}

impl TryFrom<String> for SurveyStatus {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        Ok(match name.as_str() {
            "draft" => SurveyStatus::Draft,
            "open" => SurveyStatus::Open,
            "closed" => SurveyStatus::Closed,
            "archived" => SurveyStatus::Archived,
            _ => return Err(format!("survey status {name:?}")),
        })
    }
}

/// Survey and brand slugs: lowercase URL-safe words.
pub fn is_slug(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Question, option and value keys: identifiers safe in form names and CSV headers.
pub fn is_key(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The demo survey of the outdoor brand: a complete, valid definition.
    pub fn demo() -> SurveyDefinition {
        SurveyDefinition::parse(include_str!("../demo/terra-bond.json"))
            .expect("demo survey is valid")
    }

    #[test]
    fn every_kind_and_construct_has_one_form_name() {
        for k in QuestionKind::ALL {
            assert_eq!(QuestionKind::from_name(k.name()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.name(), "the JSON name");
        }
        for c in Construct::ALL {
            assert!(
                Construct::ALL
                    .iter()
                    .filter(|x| x.name() == c.name())
                    .count()
                    == 1
            );
            assert_eq!(Construct::from_name(c.name()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.name(), "the JSON name");
        }
    }

    fn errors_of(def: &SurveyDefinition) -> Vec<String> {
        match def.validate() {
            Ok(()) => vec![],
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn both_demo_surveys_are_valid_and_cover_every_construct() {
        for json in [
            include_str!("../demo/terra-bond.json"),
            include_str!("../demo/moto-freedom.json"),
        ] {
            let def = SurveyDefinition::parse(json).unwrap();
            use Construct::*;
            for c in [
                Relationship,
                RelationshipReason,
                ValueCongruence,
                ContactBond,
                ValueImportance,
                ValuePerception,
                ContactActual,
                ContactPreferred,
                Nps,
                Advocacy,
                VoiceHeard,
                StoryRecall,
                Segment,
            ] {
                assert!(
                    def.questions_with(c).count() > 0,
                    "{} lacks {}",
                    def.slug,
                    c.name()
                );
            }
            assert_eq!(def.pages.len(), 8);
            assert!(def.brand.values.iter().any(|v| v.placebo));
        }
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let err = SurveyDefinition::parse("{\n  \"slug\": 5\n}").unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.0[0].place.starts_with("line 2"), "{}", err.0[0]);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let mut json: serde_json::Value =
            serde_json::from_str(include_str!("../demo/terra-bond.json")).unwrap();
        json["pages"][0]["questions"][0]["colour"] = "red".into();
        let err = SurveyDefinition::parse(&json.to_string()).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn validation_names_the_place_of_each_problem() {
        let mut def = demo();
        def.pages[0].questions[0].text.en.clear();
        def.pages[2].questions[1].key = def.pages[2].questions[0].key.clone();
        def.pages[4].questions[0].value = Some("teleportation".into());
        let errors = errors_of(&def);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("pages[0].questions[0] (relationship).text: missing en")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(
                |e| e.contains("pages[2].questions[1]") && e.contains("duplicate question key")
            ),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("pages[4].questions[0]")
                && e.contains("\"teleportation\" is not a stated value")),
            "{errors:?}"
        );
    }

    #[test]
    fn only_an_agree7_bond_item_can_be_reverse_keyed() {
        let mut def = demo();
        let nps = def
            .pages
            .iter_mut()
            .flat_map(|p| &mut p.questions)
            .find(|q| q.key == "nps")
            .unwrap();
        nps.reverse = true;
        let errors = errors_of(&def);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("(nps).reverse") && e.contains("only an agree7")),
            "{errors:?}"
        );
        // The flag survives the JSON round trip; items without it stay without it.
        let def = demo();
        let json = def.to_json_pretty();
        assert_eq!(json.matches("\"reverse\": true").count(), 2);
        assert_eq!(SurveyDefinition::parse(&json).unwrap(), def);
    }

    #[test]
    fn construct_must_match_question_type() {
        let mut def = demo();
        let q = def.pages[2]
            .questions
            .iter_mut()
            .find(|q| q.construct == Some(Construct::ValueCongruence))
            .unwrap();
        q.kind = QuestionKind::Recommend10;
        let errors = errors_of(&def);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("construct value_congruence needs a Agree7 question")),
            "{errors:?}"
        );
    }

    #[test]
    fn show_if_must_point_to_an_earlier_branchable_question() {
        let mut def = demo();
        let later_key = def.pages[4].questions[0].key.clone();
        let q = &mut def.pages[1].questions[0];
        q.show_if = Some(ShowIf {
            question: later_key,
            any_of: vec!["yes".into()],
        });
        assert!(errors_of(&def)
            .iter()
            .any(|e| e.contains("must be on an earlier page")));

        let mut def = demo();
        def.pages[1].questions[0].show_if = Some(ShowIf {
            question: "relationship".into(),
            any_of: vec!["maybe".into()],
        });
        assert!(errors_of(&def)
            .iter()
            .any(|e| e.contains("\"maybe\" is not an answer of \"relationship\"")));
    }

    #[test]
    fn reason_options_come_from_the_model() {
        let mut def = demo();
        let q = def
            .questions_with(Construct::RelationshipReason)
            .next()
            .unwrap()
            .key
            .clone();
        let pos = def.position_of(&q).unwrap();
        def.pages[pos.page].questions[pos.index].options[0].key = "price".into();
        assert!(errors_of(&def)
            .iter()
            .any(|e| e.contains("reason \"price\" is not one of")));
    }

    #[test]
    fn brand_needs_a_real_value_and_positive_weights() {
        let mut def = demo();
        for v in &mut def.brand.values {
            v.placebo = true;
        }
        def.brand.values[0].weight = -1.0;
        let errors = errors_of(&def);
        assert!(errors
            .iter()
            .any(|e| e.contains("at least one value must be a real")));
        assert!(errors
            .iter()
            .any(|e| e.contains(".weight: must be a number greater than 0")));
    }

    #[test]
    fn definition_round_trips_through_json() {
        let def = demo();
        let again = SurveyDefinition::parse(&def.to_json_pretty()).unwrap();
        assert_eq!(def, again);
    }

    #[test]
    fn slugs_and_keys() {
        assert!(is_slug("terra-bond-2026"));
        assert!(!is_slug("Terra"));
        assert!(!is_slug("-ab"));
        assert!(!is_slug("ab"));
        assert!(is_key("vc_1"));
        assert!(!is_key("vc-1"));
        assert!(!is_key(""));
    }
}
