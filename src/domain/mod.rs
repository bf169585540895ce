//! Pure domain logic: survey definitions, answers, the page flow, respondent scoring and
//! the report statistics.
//!
//! Nothing in here does I/O, so every rule is unit-tested directly (see `measurement.md`).

pub mod account;
pub mod answer;
pub mod authoring;
pub mod bond_check;
pub mod brand;
pub mod checker;
pub mod contacts;
pub mod flow;
pub mod listening;
pub mod locale;
pub mod quality;
pub mod rate;
pub mod report;
pub mod responses_csv;
pub mod scoring;
pub mod stats;
pub mod survey;
pub mod tally;
mod validation;
pub mod weighting;
pub mod zone;

pub use answer::{Answer, AnswerSet};
pub use brand::{BrandProfile, StatedValue};
pub use locale::{Locale, LocalizedText};
pub use survey::{Construct, Page, Question, QuestionKind, ShowIf, SurveyDefinition};
