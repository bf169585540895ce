//! "What customers said" for one survey report: its free-text answers under the report's
//! filters (and a bond class), newest first, a page at a time, searched and masked; their
//! codes and suggested codes; and each code's share of coded answers by bond class.
//!
//! Reads stay bounded whatever the survey's size: answers are read newest first in
//! batches, and one request looks at no more than `MAX_SCAN` of them; a search that has
//! not filled its page by then offers to search on from where it stopped.

use std::collections::{BTreeMap, BTreeSet};

use super::SurveyReport;
use crate::db::{CodeStatus, Store, StoreError, TextAnswerRow, TextCursor};
use crate::domain::listening::{
    code_shares, mask_contacts, parse_keywords, suggest, Code, CodeCounts, CodeShare, Search,
    ValueKeywords, PAGE_SIZE,
};
use crate::domain::scoring::BondClass;
use crate::domain::stats::shown;
use crate::domain::QuestionKind;

/// Answers read per statement.
const BATCH: usize = 200;
/// Most answers one request reads (a search of a large survey continues on a next page).
pub const MAX_SCAN: usize = 4000;

/// The listening section's own filters, besides the report's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListeningQuery {
    pub class: Option<BondClass>,
    pub search: Option<Search>,
    /// Read answers older than this (the "older answers" link).
    pub before: Option<TextCursor>,
}

/// The bond classes a reader can filter by.
pub fn class_named(name: &str) -> Option<BondClass> {
    crate::domain::report::CLASSES
        .into_iter()
        .find(|c| c.as_str() == name)
}

/// "completed_at.respondent_id.question_key" → cursor.
pub fn parse_cursor(s: &str) -> Option<TextCursor> {
    let mut parts = s.splitn(3, '.');
    let at = parts.next()?.parse().ok()?;
    let id = parts.next()?.parse().ok()?;
    let key = parts.next()?;
    crate::domain::survey::is_key(key).then(|| (at, id, key.to_string()))
}

pub fn format_cursor((at, id, key): &TextCursor) -> String {
    format!("{at}.{id}.{key}")
}

impl ListeningQuery {
    pub fn parse(pairs: &[(String, String)]) -> ListeningQuery {
        let get = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        ListeningQuery {
            class: get("class").and_then(class_named),
            search: get("q").and_then(Search::parse),
            before: get("before").and_then(parse_cursor),
        }
    }

    /// The query string of these filters (without the cursor) to append to the report's.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(c) = self.class {
            pairs.push(("class", c.as_str()));
        }
        if let Some(s) = &self.search {
            pairs.push(("q", &s.typed));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One answer as the section shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct HeardAnswer {
    pub respondent_id: i64,
    pub question_key: String,
    /// The text, masked unless masking is off for the survey.
    pub text: String,
    pub class: BondClass,
    /// (segment question, option) keys.
    pub segments: Vec<(String, String)>,
    pub completed_at: i64,
    /// Confirmed codes, stored form (`value:…`, `theme:…`).
    pub codes: Vec<String>,
    /// Values suggested by their keywords and not rejected (only while uncoded).
    pub suggestions: Vec<String>,
}

/// The listening section of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Listening {
    pub query: ListeningQuery,
    /// Respondents the filters count (narrowed to the class): text needs 30 of them.
    pub base: u64,
    pub masked: bool,
    /// Empty when the base is under 30.
    pub answers: Vec<HeardAnswer>,
    /// Where the next (older) page starts, if anything may be left.
    pub older: Option<TextCursor>,
    /// The read stopped at `MAX_SCAN` answers before the page was full.
    pub scan_limited: bool,
    /// Codes in use: the brand's values (stored form) then themes.
    pub codes: Vec<String>,
    pub shares: Vec<CodeShare>,
}

/// The base the filters give in the report (its class count, when a class is chosen).
fn base_of(data: &SurveyReport, class: Option<BondClass>) -> u64 {
    match class {
        None => data.report.responses,
        Some(class) => data
            .report
            .headline
            .classes
            .iter()
            .find(|c| c.class == class)
            .map_or(0, |c| c.share.x),
    }
}

/// Whether a respondent's version and segment answers pass the report's filters.
fn admitted(data: &SurveyReport, version_id: i64, segments: &BTreeMap<String, String>) -> bool {
    let f = &data.filter;
    (f.versions.is_empty() || f.versions.contains(&version_id))
        && f.segment
            .as_ref()
            .is_none_or(|(k, o)| segments.get(k) == Some(o))
}

fn segments_of(json: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("segments: {e}")))
}

/// The free-text questions of the report's labelling version.
pub fn text_keys(data: &SurveyReport) -> Vec<String> {
    data.def
        .questions()
        .filter(|q| matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText))
        .map(|q| q.key.clone())
        .collect()
}

/// The brand's values with their keywords (both languages), as codes.
pub async fn value_keywords(
    store: &Store,
    data: &SurveyReport,
) -> Result<Vec<ValueKeywords>, StoreError> {
    let stored = store.value_keywords(data.survey.brand_id).await?;
    Ok(data
        .def
        .brand
        .values
        .iter()
        .filter(|v| !v.placebo)
        .map(|v| ValueKeywords {
            value: Code::Value(v.key.clone()).stored(),
            keywords: stored
                .iter()
                .find(|r| r.value_key == v.key)
                .map(|r| {
                    let mut k = parse_keywords(&r.keywords_vi);
                    k.extend(parse_keywords(&r.keywords_en));
                    k
                })
                .unwrap_or_default(),
        })
        .collect())
}

/// The answers of one page that pass every filter, and where the next page starts.
async fn read_page(
    store: &Store,
    data: &SurveyReport,
    query: &ListeningQuery,
) -> Result<(Vec<(TextAnswerRow, BondClass)>, Option<TextCursor>, bool), StoreError> {
    let keys = text_keys(data);
    let t = data.report.threshold;
    let mut found = Vec::new();
    let mut after = query.before.clone();
    let mut scanned = 0;
    loop {
        let batch = store
            .text_answers_batch(data.survey.id, &data.filter, &keys, after.as_ref(), BATCH)
            .await?;
        let full = batch.len() == BATCH;
        for row in batch {
            scanned += 1;
            after = Some((
                row.completed_at,
                row.respondent_id,
                row.question_key.clone(),
            ));
            let class = BondClass::classify(row.values_bond, row.contact_bond, t);
            let keep = admitted(data, row.version_id, &segments_of(&row.segments)?)
                && query.class.is_none_or(|c| c == class)
                && query.search.as_ref().is_none_or(|s| s.matches(&row.value));
            if keep {
                found.push((row, class));
                if found.len() == PAGE_SIZE {
                    return Ok((found, after, false));
                }
            }
        }
        if !full {
            return Ok((found, None, false));
        }
        if scanned >= MAX_SCAN {
            return Ok((found, after, true));
        }
    }
}

/// The listening section of report `data` with the section's own filters.
pub async fn listening(
    store: &Store,
    data: &SurveyReport,
    query: ListeningQuery,
) -> Result<Listening, StoreError> {
    let base = base_of(data, query.class);
    let masked = store.text_masked(data.survey.id).await?;
    let values = value_keywords(store, data).await?;
    let (rows, older, scan_limited) = if shown(base) {
        read_page(store, data, &query).await?
    } else {
        (Vec::new(), None, false)
    };
    let ids: Vec<i64> = rows.iter().map(|(r, _)| r.respondent_id).collect();
    let stored = store.answer_codes_of(data.survey.id, &ids).await?;
    let mut answers = Vec::with_capacity(rows.len());
    for (row, class) in rows {
        let mine = |status: CodeStatus| {
            stored
                .iter()
                .filter(|c| c.respondent_id == row.respondent_id)
                .filter(|c| c.question_key == row.question_key && c.status == status.as_str())
                .map(|c| c.code.clone())
                .collect::<Vec<_>>()
        };
        let (codes, rejected) = (mine(CodeStatus::Confirmed), mine(CodeStatus::Rejected));
        let suggestions = if codes.is_empty() {
            suggest(&row.value, &values)
                .into_iter()
                .filter(|s| !rejected.iter().any(|r| r == s))
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        let text = if masked {
            mask_contacts(&row.value).into_owned()
        } else {
            row.value
        };
        answers.push(HeardAnswer {
            respondent_id: row.respondent_id,
            question_key: row.question_key,
            text,
            class,
            segments: segments_of(&row.segments)?.into_iter().collect(),
            completed_at: row.completed_at,
            codes,
            suggestions,
        });
    }
    let (codes, shares) = code_figures(store, data, &values).await?;
    Ok(Listening {
        query,
        base,
        masked,
        answers,
        older,
        scan_limited,
        codes,
        shares,
    })
}

/// The codes in use and each one's share of coded answers by bond class.
async fn code_figures(
    store: &Store,
    data: &SurveyReport,
    values: &[ValueKeywords],
) -> Result<(Vec<String>, Vec<CodeShare>), StoreError> {
    let t = data.report.threshold;
    let mut counts = CodeCounts::default();
    let mut themes = BTreeSet::new();
    for row in store.code_counts(data.survey.id, &data.filter).await? {
        if !admitted(data, row.version_id, &segments_of(&row.segments)?) {
            continue;
        }
        let class = BondClass::classify(row.values_bond, row.contact_bond, t);
        let n = row.answers.max(0) as u64;
        match row.code {
            None => counts.coded.push((class, n)),
            Some(code) => {
                if code.starts_with("theme:") {
                    themes.insert(code.clone());
                }
                counts.with_code.push((code, class, n));
            }
        }
    }
    let codes: Vec<String> = values
        .iter()
        .map(|v| v.value.clone())
        .chain(themes)
        .collect();
    let shares = code_shares(&counts, &codes);
    Ok((codes, shares))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn the_section_filters_round_trip_and_bad_ones_are_dropped() {
        let q = ListeningQuery::parse(&pairs(
            "class=values_only&q=m%C3%B4i+tr%C6%B0%E1%BB%9Dng&before=1700.42.comment",
        ));
        assert_eq!(q.class, Some(BondClass::ValuesOnly));
        assert_eq!(q.search.as_ref().unwrap().typed, "môi trường");
        assert_eq!(q.before, Some((1700, 42, "comment".into())));
        let again = ListeningQuery::parse(&pairs(&q.to_query()));
        assert_eq!(again.class, q.class);
        assert_eq!(again.search, q.search);
        let bad = ListeningQuery::parse(&pairs("class=insufficient&q=%20%21&before=x.1.y"));
        assert_eq!(bad, ListeningQuery::default());
        assert_eq!(parse_cursor("1.2.a b"), None);
    }
}
