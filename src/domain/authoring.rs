//! The survey builder's edits: pure operations on a draft definition, each applied whole or
//! refused with a typed reason (worded by `i18n::authoring`). Drafts may be incomplete
//! (missing text, too few items): the checker says what is missing; these operations only
//! refuse what would make the draft unreadable (unknown or duplicate keys, dangling rules).

use super::brand::MAX_STATED_VALUES;
use super::survey::{is_key, is_slug, ChoiceOption};
use super::{BrandProfile, Locale, LocalizedText, Page, Question, QuestionKind, SurveyDefinition};

/// One change an admin makes to a draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Settings {
        title: LocalizedText,
        intro: LocalizedText,
        bond_threshold: f64,
        /// IANA name of the zone report days are counted in.
        time_zone: String,
    },
    AddPage,
    PageTitle {
        page: usize,
        title: LocalizedText,
    },
    /// Removes an empty page.
    DeletePage {
        page: usize,
    },
    MovePage {
        page: usize,
        up: bool,
    },
    AddQuestion {
        page: usize,
        kind: QuestionKind,
        key: String,
    },
    /// Replaces a question (same key) with its edited form.
    UpdateQuestion(Question),
    DeleteQuestion {
        key: String,
    },
    /// Moves a question one place; past the top or bottom of its page it moves to the
    /// end of the previous page or the start of the next one.
    MoveQuestion {
        key: String,
        up: bool,
    },
    /// Appends pages written by a block (the Brand Bond Check); refused whole if one of
    /// their question keys is already used.
    AddPages(Vec<Page>),
    /// Moves a question to position `index` of page `page` (drag and drop); an index past
    /// the end means last.
    MoveQuestionTo {
        key: String,
        page: usize,
        index: usize,
    },
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("no such page")]
    NoSuchPage,
    #[error("no such question")]
    NoSuchQuestion,
    #[error("bad key")]
    BadKey,
    #[error("key taken")]
    KeyTaken,
    #[error("page not empty")]
    PageNotEmpty,
    #[error("question used by a show-if rule")]
    UsedByRule { by: String },
    #[error("bond threshold out of range")]
    Threshold,
    #[error("unknown time zone")]
    TimeZone,
    #[error("option keys")]
    BadOptions,
    #[error("cannot move further")]
    AtEdge,
    #[error("block key taken")]
    BlockKeyTaken { key: String },
}

/// A blank question of `kind`: choice questions start with two options to fill in.
pub fn blank_question(kind: QuestionKind, key: String) -> Question {
    let options = if kind.has_options() {
        (1..=2)
            .map(|i| ChoiceOption {
                key: format!("option_{i}"),
                text: LocalizedText::default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Question {
        key,
        kind,
        text: LocalizedText::default(),
        help: None,
        required: false,
        construct: None,
        value: None,
        options,
        show_if: None,
        max_length: None,
        reverse: false,
    }
}

/// Applies `edit` to `def`, or refuses it and leaves `def` unchanged.
/// Returns a short description for the audit log.
pub fn apply(def: &mut SurveyDefinition, edit: Edit) -> Result<String, EditError> {
    match edit {
        Edit::Settings {
            title,
            intro,
            bond_threshold,
            time_zone,
        } => settings(def, title, intro, bond_threshold, time_zone),
        Edit::AddPage => {
            def.pages.push(Page {
                title: LocalizedText::default(),
                questions: Vec::new(),
            });
            Ok(format!("added page {}", def.pages.len()))
        }
        Edit::PageTitle { page, title } => {
            def.pages.get_mut(page).ok_or(EditError::NoSuchPage)?.title = title;
            Ok(format!("page {} title", page + 1))
        }
        Edit::DeletePage { page } => {
            let p = def.pages.get(page).ok_or(EditError::NoSuchPage)?;
            if !p.questions.is_empty() {
                return Err(EditError::PageNotEmpty);
            }
            def.pages.remove(page);
            Ok(format!("removed page {}", page + 1))
        }
        Edit::MovePage { page, up } => {
            if page >= def.pages.len() {
                return Err(EditError::NoSuchPage);
            }
            let to = neighbour(page, up, def.pages.len()).ok_or(EditError::AtEdge)?;
            def.pages.swap(page, to);
            Ok(format!("moved page {} to {}", page + 1, to + 1))
        }
        Edit::AddQuestion { page, kind, key } => {
            if !is_key(&key) {
                return Err(EditError::BadKey);
            }
            if def.question(&key).is_some() {
                return Err(EditError::KeyTaken);
            }
            let p = def.pages.get_mut(page).ok_or(EditError::NoSuchPage)?;
            p.questions.push(blank_question(kind, key.clone()));
            Ok(format!("added question {key}"))
        }
        Edit::UpdateQuestion(question) => update_question(def, question),
        Edit::DeleteQuestion { key } => delete_question(def, key),
        Edit::MoveQuestion { key, up } => move_question(def, key, up),
        Edit::AddPages(pages) => add_pages(def, pages),
        Edit::MoveQuestionTo { key, page, index } => move_question_to(def, key, page, index),
    }
}

/// The survey's title, intro, bond threshold and time zone.
fn settings(
    def: &mut SurveyDefinition,
    title: LocalizedText,
    intro: LocalizedText,
    bond_threshold: f64,
    time_zone: String,
) -> Result<String, EditError> {
    if !super::survey::is_valid_threshold(bond_threshold) {
        return Err(EditError::Threshold);
    }
    let Some(zone) = super::zone::SurveyZone::parse(&time_zone) else {
        return Err(EditError::TimeZone);
    };
    def.time_zone = zone.name().to_string();
    def.title = title;
    def.intro = intro;
    def.bond_threshold = bond_threshold;
    Ok("settings".into())
}

/// Replaces a question by its edited form (same key); option keys must be valid and distinct.
fn update_question(def: &mut SurveyDefinition, question: Question) -> Result<String, EditError> {
    let pos = def
        .position_of(&question.key)
        .ok_or(EditError::NoSuchQuestion)?;
    let mut keys = std::collections::HashSet::new();
    if question
        .options
        .iter()
        .any(|o| !is_key(&o.key) || !keys.insert(o.key.as_str()))
    {
        return Err(EditError::BadOptions);
    }
    let key = question.key.clone();
    def.pages[pos.page].questions[pos.index] = question;
    Ok(format!("edited question {key}"))
}

/// Deletes a question no show-if rule depends on.
fn delete_question(def: &mut SurveyDefinition, key: String) -> Result<String, EditError> {
    let pos = def.position_of(&key).ok_or(EditError::NoSuchQuestion)?;
    if let Some(by) = def
        .questions()
        .find(|q| q.show_if.as_ref().is_some_and(|r| r.question == key))
    {
        return Err(EditError::UsedByRule { by: by.key.clone() });
    }
    def.pages[pos.page].questions.remove(pos.index);
    Ok(format!("deleted question {key}"))
}

/// Moves a question one place, across page edges.
fn move_question(def: &mut SurveyDefinition, key: String, up: bool) -> Result<String, EditError> {
    let pos = def.position_of(&key).ok_or(EditError::NoSuchQuestion)?;
    let len = def.pages[pos.page].questions.len();
    match neighbour(pos.index, up, len) {
        Some(to) => def.pages[pos.page].questions.swap(pos.index, to),
        None => {
            let page = neighbour(pos.page, up, def.pages.len()).ok_or(EditError::AtEdge)?;
            let q = def.pages[pos.page].questions.remove(pos.index);
            let target = &mut def.pages[page].questions;
            if up {
                target.push(q);
            } else {
                target.insert(0, q);
            }
        }
    }
    Ok(format!(
        "moved question {key} {}",
        if up { "up" } else { "down" }
    ))
}

/// Appends a block's pages, refused whole if one of their keys is taken.
fn add_pages(def: &mut SurveyDefinition, pages: Vec<Page>) -> Result<String, EditError> {
    if let Some(taken) = pages
        .iter()
        .flat_map(|p| p.questions.iter())
        .find(|q| def.question(&q.key).is_some())
    {
        return Err(EditError::BlockKeyTaken {
            key: taken.key.clone(),
        });
    }
    let n = pages.len();
    def.pages.extend(pages);
    Ok(format!("added {n} pages of a block"))
}

/// Moves a question to a position of a page (drag and drop).
fn move_question_to(
    def: &mut SurveyDefinition,
    key: String,
    page: usize,
    index: usize,
) -> Result<String, EditError> {
    let pos = def.position_of(&key).ok_or(EditError::NoSuchQuestion)?;
    if page >= def.pages.len() {
        return Err(EditError::NoSuchPage);
    }
    let q = def.pages[pos.page].questions.remove(pos.index);
    let target = &mut def.pages[page].questions;
    target.insert(index.min(target.len()), q);
    Ok(format!(
        "moved question {key} to page {} position {}",
        page + 1,
        index + 1
    ))
}

/// The index one step up or down, if there is one.
fn neighbour(index: usize, up: bool, len: usize) -> Option<usize> {
    if up {
        index.checked_sub(1)
    } else {
        (index + 1 < len).then_some(index + 1)
    }
}

/// What is wrong with a brand as typed into the brand form (all of it, in order).
#[derive(Clone, Debug, PartialEq)]
pub enum BrandProblem {
    Slug,
    SlugTaken,
    Name,
    ValueCount,
    OnlyPlacebo,
    ValueKey { row: usize },
    DuplicateValueKey { row: usize },
    Weight { row: usize },
    Label { row: usize, locale: Locale },
}

/// Checks a brand profile from the brand form; empty = it can be saved.
pub fn check_brand(brand: &BrandProfile) -> Vec<BrandProblem> {
    let mut problems = Vec::new();
    if !is_slug(&brand.slug) {
        problems.push(BrandProblem::Slug);
    }
    if brand.name.trim().is_empty() {
        problems.push(BrandProblem::Name);
    }
    if brand.values.is_empty() || brand.values.len() > MAX_STATED_VALUES {
        problems.push(BrandProblem::ValueCount);
    } else if brand.values.iter().all(|v| v.placebo) {
        problems.push(BrandProblem::OnlyPlacebo);
    }
    let mut keys = std::collections::HashSet::new();
    for (row, v) in brand.values.iter().enumerate() {
        if !is_key(&v.key) {
            problems.push(BrandProblem::ValueKey { row });
        } else if !keys.insert(v.key.as_str()) {
            problems.push(BrandProblem::DuplicateValueKey { row });
        }
        if !(v.weight.is_finite() && v.weight > 0.0) {
            problems.push(BrandProblem::Weight { row });
        }
        for locale in v.label.missing() {
            problems.push(BrandProblem::Label { row, locale });
        }
    }
    problems
}

/// Each value's weight as a whole-number share of 100% of the real (non-placebo) values,
/// as the brand form shows it; placebo values have no share.
pub fn weight_shares(brand: &BrandProfile) -> Vec<Option<f64>> {
    let normalized = brand.normalized_weights();
    brand
        .values
        .iter()
        .map(|v| {
            normalized
                .iter()
                .find(|(k, _)| *k == v.key)
                .map(|(_, w)| (w * 1000.0).round() / 10.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::ShowIf;
    use crate::domain::StatedValue;

    fn survey() -> SurveyDefinition {
        let mut q1 = blank_question(QuestionKind::YesNoDk, "rel".into());
        q1.text = LocalizedText::new("Có?", "Yes?");
        let mut q2 = blank_question(QuestionKind::Agree7, "vc_1".into());
        q2.show_if = Some(ShowIf {
            question: "rel".into(),
            any_of: vec!["yes".into()],
        });
        SurveyDefinition {
            slug: "s-1".into(),
            brand: BrandProfile {
                slug: "brand".into(),
                name: "Brand".into(),
                mission: LocalizedText::default(),
                values: vec![],
            },
            title: LocalizedText::new("T", "T"),
            intro: LocalizedText::default(),
            bond_threshold: 5.0,
            time_zone: crate::domain::zone::DEFAULT_ZONE.into(),
            pages: vec![
                Page {
                    title: LocalizedText::default(),
                    questions: vec![q1, blank_question(QuestionKind::ShortText, "name".into())],
                },
                Page {
                    title: LocalizedText::default(),
                    questions: vec![q2],
                },
            ],
        }
    }

    fn keys(def: &SurveyDefinition) -> Vec<Vec<&str>> {
        def.pages
            .iter()
            .map(|p| p.questions.iter().map(|q| q.key.as_str()).collect())
            .collect()
    }

    #[test]
    fn questions_move_within_and_across_pages() {
        let mut def = survey();
        apply(
            &mut def,
            Edit::MoveQuestion {
                key: "name".into(),
                up: true,
            },
        )
        .unwrap();
        assert_eq!(keys(&def), vec![vec!["name", "rel"], vec!["vc_1"]]);
        apply(
            &mut def,
            Edit::MoveQuestion {
                key: "rel".into(),
                up: false,
            },
        )
        .unwrap();
        assert_eq!(keys(&def), vec![vec!["name"], vec!["rel", "vc_1"]]);
        apply(
            &mut def,
            Edit::MoveQuestion {
                key: "rel".into(),
                up: true,
            },
        )
        .unwrap();
        assert_eq!(keys(&def), vec![vec!["name", "rel"], vec!["vc_1"]]);
        assert_eq!(
            apply(
                &mut def,
                Edit::MoveQuestion {
                    key: "name".into(),
                    up: true
                }
            ),
            Err(EditError::AtEdge)
        );
        assert_eq!(
            apply(
                &mut def,
                Edit::MoveQuestion {
                    key: "vc_1".into(),
                    up: false
                }
            ),
            Err(EditError::AtEdge)
        );
        assert_eq!(keys(&def), vec![vec!["name", "rel"], vec!["vc_1"]]);
    }

    #[test]
    fn questions_are_dropped_at_a_position_of_any_page() {
        let mut def = survey();
        let to = |key: &str, page, index| Edit::MoveQuestionTo {
            key: key.into(),
            page,
            index,
        };
        apply(&mut def, to("vc_1", 0, 1)).unwrap();
        assert_eq!(keys(&def), vec![vec!["rel", "vc_1", "name"], vec![]]);
        apply(&mut def, to("rel", 0, 99)).unwrap();
        assert_eq!(keys(&def), vec![vec!["vc_1", "name", "rel"], vec![]]);
        apply(&mut def, to("name", 1, 0)).unwrap();
        assert_eq!(keys(&def), vec![vec!["vc_1", "rel"], vec!["name"]]);
        assert_eq!(
            apply(&mut def, to("name", 7, 0)),
            Err(EditError::NoSuchPage)
        );
        assert_eq!(
            apply(&mut def, to("nope", 0, 0)),
            Err(EditError::NoSuchQuestion)
        );
        assert_eq!(keys(&def), vec![vec!["vc_1", "rel"], vec!["name"]]);
    }

    #[test]
    fn a_block_is_appended_whole_or_refused_whole() {
        let mut def = survey();
        let block = vec![Page {
            title: LocalizedText::new("Khối", "Block"),
            questions: vec![blank_question(QuestionKind::Agree7, "cb_1".into())],
        }];
        apply(&mut def, Edit::AddPages(block.clone())).unwrap();
        assert_eq!(
            keys(&def),
            vec![vec!["rel", "name"], vec!["vc_1"], vec!["cb_1"]]
        );
        let before = def.clone();
        assert_eq!(
            apply(&mut def, Edit::AddPages(block)),
            Err(EditError::BlockKeyTaken { key: "cb_1".into() })
        );
        assert_eq!(def, before);
    }

    #[test]
    fn a_question_others_depend_on_cannot_be_deleted() {
        let mut def = survey();
        let before = def.clone();
        assert_eq!(
            apply(&mut def, Edit::DeleteQuestion { key: "rel".into() }),
            Err(EditError::UsedByRule { by: "vc_1".into() })
        );
        assert_eq!(def, before);
        apply(&mut def, Edit::DeleteQuestion { key: "vc_1".into() }).unwrap();
        apply(&mut def, Edit::DeleteQuestion { key: "rel".into() }).unwrap();
        assert_eq!(keys(&def), vec![vec!["name"], vec![]]);
    }

    #[test]
    fn adding_questions_checks_keys_and_pages() {
        let mut def = survey();
        let add = |key: &str, page| Edit::AddQuestion {
            page,
            kind: QuestionKind::SingleChoice,
            key: key.into(),
        };
        assert_eq!(apply(&mut def, add("rel", 0)), Err(EditError::KeyTaken));
        assert_eq!(apply(&mut def, add("Bad Key", 0)), Err(EditError::BadKey));
        assert_eq!(apply(&mut def, add("seg", 5)), Err(EditError::NoSuchPage));
        apply(&mut def, add("seg", 1)).unwrap();
        let seg = def.question("seg").unwrap();
        assert_eq!(
            seg.options.len(),
            2,
            "choice questions start with two options"
        );
    }

    #[test]
    fn only_empty_pages_are_deleted_and_pages_move() {
        let mut def = survey();
        assert_eq!(
            apply(&mut def, Edit::DeletePage { page: 0 }),
            Err(EditError::PageNotEmpty)
        );
        apply(&mut def, Edit::AddPage).unwrap();
        apply(&mut def, Edit::MovePage { page: 2, up: true }).unwrap();
        assert_eq!(keys(&def), vec![vec!["rel", "name"], vec![], vec!["vc_1"]]);
        apply(&mut def, Edit::DeletePage { page: 1 }).unwrap();
        assert_eq!(def.pages.len(), 2);
        assert_eq!(
            apply(&mut def, Edit::DeletePage { page: 9 }),
            Err(EditError::NoSuchPage)
        );
    }

    #[test]
    fn updates_keep_option_keys_unique_and_settings_keep_the_threshold_in_range() {
        let mut def = survey();
        let mut q = blank_question(QuestionKind::SingleChoice, "name".into());
        q.options[1].key = "option_1".into();
        assert_eq!(
            apply(&mut def, Edit::UpdateQuestion(q.clone())),
            Err(EditError::BadOptions)
        );
        q.options[1].key = "other".into();
        apply(&mut def, Edit::UpdateQuestion(q)).unwrap();
        assert_eq!(
            def.question("name").unwrap().kind,
            QuestionKind::SingleChoice
        );
        let settings = |t| Edit::Settings {
            title: LocalizedText::new("a", "b"),
            intro: LocalizedText::default(),
            bond_threshold: t,
            time_zone: "Asia/Ho_Chi_Minh".into(),
        };
        assert_eq!(apply(&mut def, settings(8.0)), Err(EditError::Threshold));
        let zone = |name: &str| Edit::Settings {
            title: LocalizedText::new("a", "b"),
            intro: LocalizedText::default(),
            bond_threshold: 5.0,
            time_zone: name.into(),
        };
        assert_eq!(
            apply(&mut def, zone("Asia/Hanoi_Typo")),
            Err(EditError::TimeZone)
        );
        apply(&mut def, zone("Europe/Paris")).unwrap();
        assert_eq!(def.time_zone, "Europe/Paris");
        // Off the half-point grid: rollups could not classify at it exactly.
        assert_eq!(apply(&mut def, settings(5.2)), Err(EditError::Threshold));
        apply(&mut def, settings(4.5)).unwrap();
        assert_eq!(def.bond_threshold, 4.5);
    }

    fn value(key: &str, weight: f64, placebo: bool) -> StatedValue {
        StatedValue {
            key: key.into(),
            label: LocalizedText::new(key, key),
            description: LocalizedText::default(),
            weight,
            placebo,
        }
    }

    #[test]
    fn brand_problems_are_named_per_row_and_shares_add_up() {
        let mut brand = BrandProfile {
            slug: "terra".into(),
            name: "Terra".into(),
            mission: LocalizedText::default(),
            values: vec![
                value("a", 3.0, false),
                value("b", 1.0, false),
                value("p", 1.0, true),
            ],
        };
        assert!(check_brand(&brand).is_empty());
        assert_eq!(weight_shares(&brand), vec![Some(75.0), Some(25.0), None]);
        brand.values.push(value("a", 0.0, false));
        brand.values[1].label.en.clear();
        assert_eq!(
            check_brand(&brand),
            vec![
                BrandProblem::Label {
                    row: 1,
                    locale: Locale::En
                },
                BrandProblem::DuplicateValueKey { row: 3 },
                BrandProblem::Weight { row: 3 },
            ]
        );
        brand.values = vec![value("p", 1.0, true)];
        assert_eq!(check_brand(&brand), vec![BrandProblem::OnlyPlacebo]);
    }
}
