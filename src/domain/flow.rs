//! The respondent's path through a survey: which questions and pages are shown
//! (show-if rules, evaluated on the server), progress, what a page post must contain, and
//! what it writes (`decide_page`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answer::{Answer, AnswerProblem, AnswerSet};
use super::scoring::{score_respondent, RespondentScores};
use super::{Construct, Question, SurveyDefinition};

/// Which bond block a respondent is shown first (`measurement.md`, "Counterbalanced
/// order"): drawn per respondent with probability ½ each, kept for the whole response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockOrder {
    ValuesFirst,
    ContactFirst,
}

impl BlockOrder {
    pub const BOTH: [BlockOrder; 2] = [BlockOrder::ValuesFirst, BlockOrder::ContactFirst];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockOrder::ValuesFirst => "values_first",
            BlockOrder::ContactFirst => "contact_first",
        }
    }

    pub fn parse(s: &str) -> Option<BlockOrder> {
        BlockOrder::BOTH.into_iter().find(|o| o.as_str() == s)
    }

    /// The order for a fair coin flip.
    pub fn of_coin(heads: bool) -> BlockOrder {
        if heads {
            BlockOrder::ValuesFirst
        } else {
            BlockOrder::ContactFirst
        }
    }
}

/// The pages of the value-congruence block and the contact-bond block, if the survey can
/// show them in either order: exactly one page holds only value-congruence items and
/// exactly one only contact-bond items. The value page comes first in the definition.
pub fn bond_blocks(def: &SurveyDefinition) -> Option<(usize, usize)> {
    let only = |construct: Construct| -> Option<usize> {
        let pages: Vec<usize> = (0..def.pages.len())
            .filter(|&p| {
                let qs = &def.pages[p].questions;
                !qs.is_empty() && qs.iter().all(|q| q.construct == Some(construct))
            })
            .collect();
        let holding = (0..def.pages.len())
            .filter(|&p| {
                def.pages[p]
                    .questions
                    .iter()
                    .any(|q| q.construct == Some(construct))
            })
            .count();
        // Every item of the scale on that one page, and no other page holds any.
        (pages.len() == 1 && holding == 1).then(|| pages[0])
    };
    let (values, contact) = (
        only(Construct::ValueCongruence)?,
        only(Construct::ContactBond)?,
    );
    Some((values.min(contact), values.max(contact)))
}

/// The definition as a respondent shown `order` sees it: with the two bond blocks of
/// `bond_blocks` in that order (the definition's own order is "values first" when its
/// value page comes first). A survey without both blocks is returned as it is.
pub fn in_block_order(def: &SurveyDefinition, order: BlockOrder) -> SurveyDefinition {
    let mut shown = def.clone();
    if let Some((first, second)) = bond_blocks(def) {
        let values_first_now = def.pages[first]
            .questions
            .iter()
            .all(|q| q.construct == Some(Construct::ValueCongruence));
        if values_first_now != (order == BlockOrder::ValuesFirst) {
            shown.pages.swap(first, second);
        }
    }
    shown
}

/// Whether a question is shown, given the answers so far.
pub fn is_visible(question: &Question, answers: &AnswerSet) -> bool {
    match &question.show_if {
        None => true,
        Some(rule) => answers
            .get(&rule.question)
            .and_then(Answer::category)
            .is_some_and(|c| rule.any_of.iter().any(|a| a == c)),
    }
}

/// The questions of page `page` that are shown.
pub fn visible_questions<'d>(
    def: &'d SurveyDefinition,
    page: usize,
    answers: &AnswerSet,
) -> Vec<&'d Question> {
    def.pages.get(page).map_or_else(Vec::new, |p| {
        p.questions
            .iter()
            .filter(|q| is_visible(q, answers))
            .collect()
    })
}

/// Indices of the pages that have at least one visible question.
pub fn visible_pages(def: &SurveyDefinition, answers: &AnswerSet) -> Vec<usize> {
    (0..def.pages.len())
        .filter(|&p| !visible_questions(def, p, answers).is_empty())
        .collect()
}

/// "Page `position` of `total`" among visible pages (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub position: usize,
    pub total: usize,
}

pub fn progress(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Progress {
    let pages = visible_pages(def, answers);
    let position = pages.iter().filter(|&&p| p <= page).count().max(1);
    Progress {
        position,
        total: pages.len().max(position),
    }
}

pub fn first_page(def: &SurveyDefinition, answers: &AnswerSet) -> usize {
    visible_pages(def, answers).first().copied().unwrap_or(0)
}

/// The next visible page after `page`, or `None` when `page` is the last.
pub fn next_page(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Option<usize> {
    visible_pages(def, answers).into_iter().find(|&p| p > page)
}

/// The visible page before `page`, or `None` on the first page.
pub fn previous_page(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Option<usize> {
    visible_pages(def, answers)
        .into_iter()
        .rev()
        .find(|&p| p < page)
}

/// The page to show for a requested page index: itself if visible, else the next visible one.
pub fn resolve_page(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> usize {
    let pages = visible_pages(def, answers);
    pages
        .iter()
        .copied()
        .find(|&p| p >= page)
        .or_else(|| pages.last().copied())
        .unwrap_or(0)
}

/// Keys of visible required questions on `page` that have no answer.
pub fn missing_required(def: &SurveyDefinition, page: usize, answers: &AnswerSet) -> Vec<String> {
    visible_questions(def, page, answers)
        .into_iter()
        .filter(|q| q.required && !answers.contains_key(&q.key))
        .map(|q| q.key.clone())
        .collect()
}

/// The first visible page with a required question unanswered, if any.
pub fn first_incomplete_page(def: &SurveyDefinition, answers: &AnswerSet) -> Option<usize> {
    visible_pages(def, answers)
        .into_iter()
        .find(|&p| !missing_required(def, p, answers).is_empty())
}

/// Answers to questions that are hidden by show-if rules (dropped when a response completes).
pub fn hidden_answer_keys(def: &SurveyDefinition, answers: &AnswerSet) -> Vec<String> {
    def.questions()
        .filter(|q| answers.contains_key(&q.key) && !is_visible(q, answers))
        .map(|q| q.key.clone())
        .collect()
}

/// The answers of one page post: every visible question of the page, answered or cleared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageAnswers(pub Vec<(String, Option<Answer>)>);

impl PageAnswers {
    /// Applies this page's answers on top of earlier ones.
    pub fn apply_to(&self, answers: &mut AnswerSet) {
        for (key, answer) in &self.0 {
            match answer {
                Some(a) => answers.insert(key.clone(), a.clone()),
                None => answers.remove(key),
            };
        }
    }
}

/// Why a page post was refused as malformed (it could not come from the rendered form).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MalformedPost {
    #[error("unknown question \"{0}\"")]
    UnknownQuestion(String),
    #[error("question \"{0}\" is not on this page")]
    QuestionNotOnPage(String),
    #[error("question \"{key}\": {problem}")]
    BadAnswer { key: String, problem: AnswerProblem },
    #[error("page {0} does not exist")]
    NoSuchPage(usize),
}

/// Form field name of a question's answer.
pub fn field_name(key: &str) -> String {
    format!("q.{key}")
}

/// Reads the answers of page `page` from posted form fields (`q.<key>` = value, repeated for
/// multiple choice). Fields of questions hidden by show-if are ignored (a stale form may send
/// them); fields of unknown questions or of other pages make the post malformed.
pub fn parse_page_post(
    def: &SurveyDefinition,
    page: usize,
    earlier: &AnswerSet,
    fields: &[(String, String)],
) -> Result<PageAnswers, MalformedPost> {
    if page >= def.pages.len() {
        return Err(MalformedPost::NoSuchPage(page + 1));
    }
    let mut posted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, value) in fields {
        let Some(key) = name.strip_prefix("q.") else {
            continue;
        };
        let position = def
            .position_of(key)
            .ok_or_else(|| MalformedPost::UnknownQuestion(truncate(key)))?;
        if position.page != page {
            return Err(MalformedPost::QuestionNotOnPage(key.to_string()));
        }
        posted.entry(key).or_default().push(value.clone());
    }
    let mut out = Vec::new();
    for q in visible_questions(def, page, earlier) {
        let values = posted.get(q.key.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let answer = Answer::parse(q, values).map_err(|problem| MalformedPost::BadAnswer {
            key: q.key.clone(),
            problem,
        })?;
        out.push((q.key.clone(), answer));
    }
    Ok(PageAnswers(out))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Which button the respondent pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Next,
    Back,
    Later,
}

impl Nav {
    /// The form's `_nav` field; anything else is "Next" (the default button).
    pub fn parse(field: Option<&str>) -> Nav {
        match field {
            Some("back") => Nav::Back,
            Some("later") => Nav::Later,
            _ => Nav::Next,
        }
    }
}

/// Why a page post is not written.
#[derive(Debug)]
pub enum Refusal {
    Malformed(MalformedPost),
    /// Required questions unanswered: show the page again with the answers given.
    Unanswered {
        answers: AnswerSet,
        missing: Vec<String>,
    },
}

/// Where the respondent goes after a written post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    Page(usize),
    /// An earlier page still lacks a required answer (a branch opened it): shown with a
    /// note to check it.
    Recheck(usize),
    /// "Save and continue later": the page with the resume link.
    Later,
    /// The response is complete.
    Thanks,
}

impl Destination {
    /// The path of the destination in survey `slug`.
    pub fn href(self, slug: &str) -> String {
        match self {
            Destination::Page(page) => page_href(slug, page),
            Destination::Recheck(page) => format!("{}?check=1", page_href(slug, page)),
            Destination::Later => format!("/s/{slug}/later"),
            Destination::Thanks => format!("/s/{slug}/thanks"),
        }
    }
}

/// The path of page `page` (0-based) of survey `slug`.
pub fn page_href(slug: &str, page: usize) -> String {
    format!("/s/{slug}/p/{}", page + 1)
}

/// What a page post writes: the answers to store and to delete, the page the respondent
/// is on afterwards, the scores when the post completes the response, and where they go.
#[derive(Clone, Debug)]
pub struct PageDecision {
    pub upserts: Vec<(String, String)>,
    pub deletes: Vec<String>,
    pub current_page: usize,
    pub completion: Option<RespondentScores>,
    pub next: Destination,
    /// Questions the post answered on a page seen for the first time ("Next" on a page
    /// without stored answers): what the bot rule times (`quality::fast_page`). 0 for
    /// "Back", "Later" and a page answered before, which a person may post at once.
    pub timed_questions: usize,
}

/// Answers as stored (`(key, text)`), read against `def`; answers of questions the version
/// does not have, or that no longer parse, are left out.
pub fn decode_answers(def: &SurveyDefinition, stored: Vec<(String, String)>) -> AnswerSet {
    stored
        .into_iter()
        .filter_map(|(key, value)| {
            let answer = Answer::from_stored(def.question(&key)?, &value)?;
            Some((key, answer))
        })
        .collect()
}

/// Decides what a post of page `index` writes, given the answers stored so far. Pure: the
/// store runs it inside the post's transaction, on the state it has locked.
pub fn decide_page(
    def: &SurveyDefinition,
    index: usize,
    nav: Nav,
    fields: &[(String, String)],
    stored: Vec<(String, String)>,
) -> Result<PageDecision, Refusal> {
    let earlier = decode_answers(def, stored);
    let posted = parse_page_post(def, index, &earlier, fields).map_err(Refusal::Malformed)?;
    let first_visit = posted.0.iter().all(|(k, _)| !earlier.contains_key(k));
    let timed_questions = if nav == Nav::Next && first_visit {
        posted.0.len()
    } else {
        0
    };
    let mut answers = earlier;
    posted.apply_to(&mut answers);
    let mut decision = PageDecision {
        upserts: posted
            .0
            .iter()
            .filter_map(|(k, a)| a.as_ref().map(|a| (k.clone(), a.to_stored())))
            .collect(),
        deletes: posted
            .0
            .iter()
            .filter(|(_, a)| a.is_none())
            .map(|(k, _)| k.clone())
            .collect(),
        current_page: index,
        completion: None,
        next: Destination::Page(index),
        timed_questions,
    };
    match nav {
        Nav::Back => {
            let target = previous_page(def, index, &answers).unwrap_or(index);
            decision.current_page = target;
            decision.next = Destination::Page(target);
        }
        Nav::Later => decision.next = Destination::Later,
        Nav::Next => {
            let missing = missing_required(def, index, &answers);
            if !missing.is_empty() {
                return Err(Refusal::Unanswered { answers, missing });
            }
            if let Some(next) = next_page(def, index, &answers) {
                decision.current_page = next;
                decision.next = Destination::Page(next);
            } else if let Some(incomplete) = first_incomplete_page(def, &answers) {
                decision.current_page = incomplete;
                decision.next = Destination::Recheck(incomplete);
            } else {
                // Answers a changed branch hid are not part of the response.
                let hidden = hidden_answer_keys(def, &answers);
                for key in &hidden {
                    answers.remove(key);
                }
                decision.upserts.retain(|(k, _)| !hidden.contains(k));
                decision.deletes.extend(hidden);
                decision.completion = Some(score_respondent(def, &answers));
                decision.next = Destination::Thanks;
            }
        }
    }
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::tests::demo;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn with(pairs: &[(&str, Answer)]) -> AnswerSet {
        pairs
            .iter()
            .cloned()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    #[test]
    fn reason_is_asked_only_when_relationship_is_yes() {
        let def = demo();
        let reason = def.question("relationship_reason").unwrap();
        assert!(!is_visible(reason, &AnswerSet::new()));
        assert!(!is_visible(
            reason,
            &with(&[("relationship", Answer::Choice("no".into()))])
        ));
        assert!(!is_visible(
            reason,
            &with(&[("relationship", Answer::DontKnow)])
        ));
        assert!(is_visible(
            reason,
            &with(&[("relationship", Answer::Choice("yes".into()))])
        ));
    }

    #[test]
    fn the_bond_blocks_are_shown_in_the_respondents_order() {
        let def = demo();
        let (values, contact) = bond_blocks(&def).unwrap();
        assert_eq!((values, contact), (2, 3));
        let first_key = |d: &SurveyDefinition, page: usize| d.pages[page].questions[0].key.clone();
        let values_first = in_block_order(&def, BlockOrder::ValuesFirst);
        assert_eq!(values_first, def);
        let contact_first = in_block_order(&def, BlockOrder::ContactFirst);
        assert_eq!(first_key(&contact_first, 2), first_key(&def, 3));
        assert_eq!(first_key(&contact_first, 3), first_key(&def, 2));
        // Everything else stays where it was; the order names round-trip.
        assert_eq!(contact_first.pages[0], def.pages[0]);
        assert_eq!(contact_first.pages[4..], def.pages[4..]);
        for o in BlockOrder::BOTH {
            assert_eq!(BlockOrder::parse(o.as_str()), Some(o));
        }
        // Bond items spread over two pages cannot be swapped as blocks: no counterbalancing.
        let mut mixed = def.clone();
        let moved = mixed.pages[2].questions.pop().unwrap();
        mixed.pages[4].questions.push(moved);
        assert_eq!(bond_blocks(&mixed), None);
        assert_eq!(in_block_order(&mixed, BlockOrder::ContactFirst), mixed);
    }

    #[test]
    fn progress_counts_visible_pages() {
        let def = demo();
        // Eight pages; the reason page is hidden until "yes".
        let visible = def.pages.len() - 1;
        assert_eq!(
            progress(&def, 0, &AnswerSet::new()),
            Progress {
                position: 1,
                total: visible
            }
        );
        assert_eq!(
            progress(&def, 3, &AnswerSet::new()),
            Progress {
                position: 3,
                total: visible
            }
        );
        assert_eq!(next_page(&def, 0, &AnswerSet::new()), Some(2));
        assert_eq!(previous_page(&def, 0, &AnswerSet::new()), None);
        assert_eq!(
            next_page(&def, def.pages.len() - 1, &AnswerSet::new()),
            None
        );
    }

    #[test]
    fn a_page_whose_questions_are_all_hidden_is_skipped() {
        let def = demo();
        // The reason question is alone on its page, shown only after "yes".
        let reason_page = def.position_of("relationship_reason").unwrap().page;
        assert_eq!(reason_page, 1);
        assert_eq!(def.pages[reason_page].questions.len(), 1);
        let total = def.pages.len();
        let no = with(&[("relationship", Answer::Choice("no".into()))]);
        assert_eq!(next_page(&def, 0, &no), Some(2));
        assert_eq!(
            progress(&def, 2, &no),
            Progress {
                position: 2,
                total: total - 1
            }
        );
        assert_eq!(resolve_page(&def, 1, &no), 2);
        let yes = with(&[("relationship", Answer::Choice("yes".into()))]);
        assert_eq!(next_page(&def, 0, &yes), Some(1));
        assert_eq!(progress(&def, 2, &yes), Progress { position: 3, total });
    }

    #[test]
    fn required_questions_are_checked_only_when_visible() {
        let def = demo();
        let missing = missing_required(&def, 0, &AnswerSet::new());
        assert!(missing.contains(&"relationship".to_string()));
        let no = with(&[("relationship", Answer::Choice("no".into()))]);
        assert!(!missing_required(&def, 1, &no).contains(&"relationship_reason".to_string()));
        let yes = with(&[("relationship", Answer::Choice("yes".into()))]);
        assert!(missing_required(&def, 1, &yes).contains(&"relationship_reason".to_string()));
    }

    #[test]
    fn page_post_reads_every_visible_question_and_clears_unposted_ones() {
        let def = demo();
        let posted = parse_page_post(
            &def,
            0,
            &AnswerSet::new(),
            &fields(&[("q.relationship", "yes"), ("_nav", "next")]),
        )
        .unwrap();
        let keys: Vec<&str> = posted.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            def.pages[0]
                .questions
                .iter()
                .map(|q| q.key.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            posted.0[0],
            ("relationship".into(), Some(Answer::Choice("yes".into())))
        );
        assert!(posted.0[1..].iter().all(|(_, a)| a.is_none()));

        let mut answers = with(&[("tenure", Answer::Choice("under_1y".into()))]);
        posted.apply_to(&mut answers);
        assert!(
            !answers.contains_key("tenure"),
            "an unposted radio clears the earlier answer"
        );
    }

    #[test]
    fn malformed_posts_are_named() {
        let def = demo();
        let none = AnswerSet::new();
        assert_eq!(
            parse_page_post(&def, 0, &none, &fields(&[("q.nonexistent", "1")])),
            Err(MalformedPost::UnknownQuestion("nonexistent".into()))
        );
        assert_eq!(
            parse_page_post(&def, 0, &none, &fields(&[("q.nps", "9")])),
            Err(MalformedPost::QuestionNotOnPage("nps".into()))
        );
        assert!(matches!(
            parse_page_post(&def, 0, &none, &fields(&[("q.relationship", "perhaps")])),
            Err(MalformedPost::BadAnswer { .. })
        ));
        assert_eq!(
            parse_page_post(&def, 9, &none, &[]),
            Err(MalformedPost::NoSuchPage(10))
        );
    }

    #[test]
    fn hidden_questions_posted_by_a_stale_form_are_ignored() {
        let def = demo();
        let no = with(&[("relationship", Answer::Choice("no".into()))]);
        let page = def.position_of("relationship_reason").unwrap().page;
        let posted = parse_page_post(
            &def,
            page,
            &no,
            &fields(&[("q.relationship_reason", "shared_values")]),
        )
        .unwrap();
        assert!(posted.0.iter().all(|(k, _)| k != "relationship_reason"));
    }

    #[test]
    fn answers_hidden_by_a_changed_branch_are_found() {
        let def = demo();
        let answers = with(&[
            ("relationship", Answer::Choice("no".into())),
            (
                "relationship_reason",
                Answer::Choice("shared_values".into()),
            ),
        ]);
        assert_eq!(
            hidden_answer_keys(&def, &answers),
            vec!["relationship_reason".to_string()]
        );
    }

    #[test]
    fn next_with_a_missing_required_answer_is_refused_with_the_answers_given() {
        let def = demo();
        let refusal = decide_page(
            &def,
            0,
            Nav::Next,
            &fields(&[("q.tenure", "over_3y")]),
            vec![],
        );
        match refusal {
            Err(Refusal::Unanswered { answers, missing }) => {
                assert!(missing.contains(&"relationship".to_string()));
                assert_eq!(
                    answers.get("tenure"),
                    Some(&Answer::Choice("over_3y".into()))
                );
            }
            _ => panic!("expected a refusal"),
        }
    }

    #[test]
    fn back_saves_without_requiring_answers() {
        let def = demo();
        let write = decide_page(
            &def,
            2,
            Nav::Back,
            &fields(&[("q.vc_connected", "6")]),
            vec![],
        )
        .ok()
        .unwrap();
        assert_eq!(write.next.href("s"), "/s/s/p/1");
        assert_eq!(write.current_page, 0);
        assert!(write.upserts.contains(&("vc_connected".into(), "6".into())));
    }

    #[test]
    fn the_last_page_completes_and_drops_answers_hidden_by_a_changed_branch() {
        let def = demo();
        let mut stored: Vec<(String, String)> = Vec::new();
        for q in def.questions().filter(|q| q.required) {
            let v = match q.kind {
                crate::domain::QuestionKind::YesNoDk => "no".to_string(),
                crate::domain::QuestionKind::SingleChoice => q.options[0].key.clone(),
                crate::domain::QuestionKind::Recommend10 => "9".into(),
                crate::domain::QuestionKind::ContactFrequency => "2".into(),
                _ if q.reverse => "2".into(),
                _ => "6".into(),
            };
            stored.push((q.key.clone(), v));
        }
        // Answered "yes" once, gave a reason, then changed to "no": the reason must go.
        stored.push(("relationship_reason".into(), "rewards".into()));
        let last = def.pages.len() - 1;
        let posted: Vec<(String, String)> = stored
            .iter()
            .filter(|(k, _)| def.position_of(k).unwrap().page == last)
            .map(|(k, v)| (format!("q.{k}"), v.clone()))
            .collect();
        let write = decide_page(&def, last, Nav::Next, &posted, stored)
            .ok()
            .unwrap();
        assert_eq!(write.next.href("s"), "/s/s/thanks");
        assert!(write.deletes.contains(&"relationship_reason".to_string()));
        let scores = write.completion.unwrap();
        assert_eq!(scores.relationship.as_deref(), Some("no"));
        assert_eq!(scores.relationship_reason, None);
        assert_eq!(scores.values_bond, Some(6.0));
    }
}
