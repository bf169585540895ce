//! Reports and response files of one survey, shared by the web handlers and the CLI:
//! the report filters, the report itself, the response CSV export and import; in `waves`,
//! two periods or versions compared.

mod listening;
mod profiles;
mod waves;

pub use listening::{
    class_named, format_cursor, listening, parse_cursor, text_keys, value_keywords, HeardAnswer,
    Listening, ListeningQuery, MAX_SCAN,
};
pub use waves::{
    compare_survey, comparison_json, CompareProblem, CompareQuery, Compared, SurveyComparison, Wave,
};

use crate::db::{
    CompleteResponse, ReportFilter, RowCursor, Store, StoreError, SurveyRow, VersionSummary,
    WeightingTargets,
};
use crate::domain::answer::Answer;
use crate::domain::listening::mask_contacts;
use crate::domain::report::{
    self, civil_from_days, days_from_civil, Funnel, Period, Report, ReportOptions, ScoredResponse,
};
use crate::domain::responses_csv::{self, CsvSyntaxError, ExportRow, RowError, BOM};
use crate::domain::scoring::{score_respondent, RespondentScores};
use crate::domain::zone::SurveyZone;
use crate::domain::{AnswerSet, Construct, SurveyDefinition};
use crate::tokens::{hash_token, new_token};

/// The report's filters as read from the query string. Anything invalid is dropped
/// (and flagged), so a hand-edited URL still gives a report instead of an error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportQuery {
    /// Survey version ids to include (ascending); empty means every version.
    pub versions: Vec<i64>,
    /// Day numbers since 1970-01-01, both inclusive.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    /// Segment question whose groups are compared.
    pub segment: Option<String>,
    /// Only respondents in this group ("question:option").
    pub cut: Option<(String, String)>,
    pub period: Option<Period>,
    /// Count the flagged responses (speeders, straight-liners, bots) in the figures too.
    pub include_flagged: bool,
    /// Show unweighted figures although the survey has weighting targets (`weights=off`).
    pub unweighted: bool,
    /// Whether some parameter was present but invalid.
    pub ignored: bool,
}

/// "2026-11-27" → day number, if it is a real date.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    // Rejects 2026-02-31 and the like: the round trip must give the same date.
    (civil_from_days(day) == (y, m, d)).then_some(day)
}

pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

impl ReportQuery {
    pub fn parse(
        pairs: &[(String, String)],
        def: &SurveyDefinition,
        versions: &[VersionSummary],
    ) -> ReportQuery {
        let mut q = ReportQuery::default();
        let segment_options = |key: &str| {
            def.questions_with(Construct::Segment)
                .find(|s| s.key == key)
                .map(|s| s.options.iter().map(|o| o.key.clone()).collect::<Vec<_>>())
        };
        for (name, value) in pairs {
            if value.is_empty() || value == "all" {
                continue;
            }
            let ok = match name.as_str() {
                "version" => value
                    .parse::<i64>()
                    .ok()
                    .filter(|v| versions.iter().any(|s| s.id == *v))
                    .map(|v| {
                        if !q.versions.contains(&v) {
                            q.versions.push(v);
                            q.versions.sort_unstable();
                        }
                    })
                    .is_some(),
                "from" => parse_day(value).map(|d| q.from_day = Some(d)).is_some(),
                "to" => parse_day(value).map(|d| q.to_day = Some(d)).is_some(),
                "segment" => segment_options(value)
                    .map(|_| q.segment = Some(value.clone()))
                    .is_some(),
                "cut" => value
                    .split_once(':')
                    .filter(|(k, o)| {
                        segment_options(k).is_some_and(|opts| opts.iter().any(|x| x == o))
                    })
                    .map(|(k, o)| q.cut = Some((k.to_string(), o.to_string())))
                    .is_some(),
                "period" => match value.as_str() {
                    "week" => Some(Period::Week),
                    "month" => Some(Period::Month),
                    _ => None,
                }
                .map(|p| q.period = Some(p))
                .is_some(),
                "flagged" => (value == "include")
                    .then(|| q.include_flagged = true)
                    .is_some(),
                "weights" => (value == "off").then(|| q.unweighted = true).is_some(),
                _ => true,
            };
            q.ignored |= !ok;
        }
        q
    }

    /// The store filter; days are the local days of `zone` (the survey's).
    pub fn filter(&self, zone: &SurveyZone) -> ReportFilter {
        ReportFilter {
            versions: self.versions.clone(),
            from_ms: self.from_day.map(|d| zone.day_start_ms(d)),
            to_ms: self.to_day.map(|d| zone.day_start_ms(d + 1)),
            segment: self.cut.clone(),
            zone: zone.clone(),
            include_flagged: self.include_flagged,
        }
    }

    /// The query string that reproduces these filters (for links and the JSON export).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for v in &self.versions {
            pairs.push(("version", v.to_string()));
        }
        if let Some(d) = self.from_day {
            pairs.push(("from", format_day(d)));
        }
        if let Some(d) = self.to_day {
            pairs.push(("to", format_day(d)));
        }
        if let Some(s) = &self.segment {
            pairs.push(("segment", s.clone()));
        }
        if let Some((k, o)) = &self.cut {
            pairs.push(("cut", format!("{k}:{o}")));
        }
        if self.period == Some(Period::Week) {
            pairs.push(("period", "week".into()));
        }
        if self.include_flagged {
            pairs.push(("flagged", "include".into()));
        }
        if self.unweighted {
            pairs.push(("weights", "off".into()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A survey's report with what it was computed from.
pub struct SurveyReport {
    pub survey: SurveyRow,
    /// The definition figures are labelled with: the selected version, else the live one.
    pub def: SurveyDefinition,
    pub versions: Vec<VersionSummary>,
    pub query: ReportQuery,
    pub filter: ReportFilter,
    pub report: Report,
    /// The survey's weighting targets, whether or not this report is weighted by them.
    pub targets: Option<WeightingTargets>,
}

/// Computes a survey's report for the filters in `pairs` (query-string pairs).
/// None if the survey has no version at all.
pub async fn survey_report(
    store: &Store,
    survey: SurveyRow,
    pairs: &[(String, String)],
) -> Result<Option<SurveyReport>, StoreError> {
    survey_report_at(store, survey, pairs, None).await
}

/// `survey_report`, classified at `threshold` when given instead of at the labelling
/// version's t (two waves are compared at one threshold).
pub async fn survey_report_at(
    store: &Store,
    survey: SurveyRow,
    pairs: &[(String, String)],
    threshold: Option<f64>,
) -> Result<Option<SurveyReport>, StoreError> {
    let versions = store.versions(survey.id).await?;
    let Some(newest) = survey
        .live_version_id
        .or_else(|| versions.first().map(|v| v.id))
    else {
        return Ok(None);
    };
    let definition = |id: i64| async move {
        store
            .version_definition(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("survey version {id} is missing")))
    };
    let live = definition(newest).await?;
    let query = ReportQuery::parse(pairs, &live, &versions);
    // The newest selected version labels the figures (its brand profile and segments).
    let newest_selected = versions
        .iter()
        .find(|v| query.versions.contains(&v.id))
        .map(|v| v.id);
    let (def_id, def) = match newest_selected {
        Some(v) if v != newest => (v, definition(v).await?),
        _ => (newest, live),
    };
    let filter = query.filter(&def.zone());
    let options = ReportOptions {
        threshold: threshold.unwrap_or(def.bond_threshold),
        segment: query.segment.clone(),
        period: query.period.unwrap_or(Period::Month),
        include_flagged: query.include_flagged,
    };
    // α is computed over the versions whose bond items are the labelling version's.
    let item_set = report::bond_item_set(&def);
    let mut same_item_set = std::collections::BTreeSet::new();
    for v in &versions {
        let selected = query.versions.is_empty() || query.versions.contains(&v.id);
        // The labelling version is already loaded: only the others are read.
        if selected
            && v.completed > 0
            && (v.id == def_id || report::bond_item_set(&definition(v.id).await?) == item_set)
        {
            same_item_set.insert(v.id);
        }
    }
    let same = |version: i64| same_item_set.contains(&version);
    let stopped_on_page = store.partial_by_page(survey.id, &filter).await?;
    let targets = store.weighting_targets(survey.id).await?;
    let margins = targets
        .as_ref()
        .filter(|_| !query.unweighted)
        .map(|t| t.margins.as_slice());
    // Everyone's day rows serve a plain report fastest; weights, a segment comparison or a
    // group cut need (or are served faster by) the profile rows.
    let from_profiles = margins.is_some() || options.segment.is_some() || filter.segment.is_some();
    let (tallies, everyone) = if from_profiles {
        profiles::profile_report_tallies(store, survey.id, &filter, &options, margins, &same)
            .await?
    } else {
        store.report_tallies(survey.id, &filter, None, same).await?
    };
    // Drop-off is for everyone: partial respondents may not have reached the segment question.
    let funnel = Funnel {
        started: everyone + stopped_on_page.iter().sum::<u64>(),
        completed: everyone,
        stopped_on_page,
    };
    let report = report::build_from(&def, &tallies, funnel, &options);
    Ok(Some(SurveyReport {
        survey,
        def,
        versions,
        query,
        filter,
        report,
        targets,
    }))
}

/// The report as one JSON document (documented in `docs/report-json.md`).
pub fn report_json(r: &SurveyReport) -> serde_json::Value {
    serde_json::json!({
        "survey": r.survey.slug,
        "brand": r.survey.brand_name,
        "title": r.def.title,
        "filters": r.query.to_query(),
        "time_zone": r.filter.zone.name(),
        "report": r.report,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The filters select fewer than 30 respondents: their rows are not exported, as no
    /// figure of so small a group is shown (suppression is total).
    #[error("only {n} responses match these filters; at least 30 are needed to export them")]
    TooFew { n: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Respondents read per page of an export (and of a direct count): memory stays bounded
/// by this, whatever the survey's size.
pub const EXPORT_PAGE: usize = 500;

/// The response CSV of the respondents a report covers (format: `domain::responses_csv`),
/// produced a page of respondents at a time, in completion order. Opening it refuses
/// fewer than 30 respondents; then `next_chunk` gives the file piece by piece.
pub struct CsvExport {
    store: Store,
    survey_id: i64,
    def: SurveyDefinition,
    versions: Vec<VersionSummary>,
    filter: ReportFilter,
    /// How the report was weighted (each row gets its weight), if it was.
    weighting: Option<report::Weighting>,
    /// The BOM and header, until the first chunk is taken.
    preamble: Option<String>,
    /// Rows read but not yet written.
    pending: Vec<ScoredResponse>,
    /// Where to read on (`None` once everything was read).
    next: Option<Option<RowCursor>>,
    /// Respondents written so far (they are numbered 1, 2, … in the file).
    written: u64,
    /// Mask e-mail addresses and phone numbers in text answers (unless an admin turned
    /// masking off for the survey): the file leaves the product, so it is masked as the
    /// listening section is.
    masked: bool,
}

impl CsvExport {
    pub async fn open(
        store: &Store,
        r: &SurveyReport,
        bom: bool,
    ) -> Result<CsvExport, ExportError> {
        let mut preamble = if bom { BOM.to_string() } else { String::new() };
        responses_csv::write_record(&mut preamble, &responses_csv::header(&r.def));
        let mut export = CsvExport {
            store: store.clone(),
            survey_id: r.survey.id,
            def: r.def.clone(),
            versions: r.versions.clone(),
            filter: r.filter.clone(),
            weighting: r
                .report
                .weighting
                .clone()
                .filter(report::Weighting::is_weighted),
            preamble: Some(preamble),
            pending: Vec::new(),
            next: Some(None),
            written: 0,
            masked: store.text_masked(r.survey.id).await?,
        };
        // Read ahead until 30 respondents are known, or all of them are.
        while !crate::domain::stats::shown(export.pending.len() as u64)
            && export.read_page().await?
        {}
        if !crate::domain::stats::shown(export.pending.len() as u64) {
            return Err(ExportError::TooFew {
                n: export.pending.len() as u64,
            });
        }
        Ok(export)
    }

    /// Reads one more page into `pending`; false when nothing was left to read.
    async fn read_page(&mut self) -> Result<bool, StoreError> {
        let Some(after) = self.next else {
            return Ok(false);
        };
        let (rows, next) = self
            .store
            .report_rows_page(self.survey_id, &self.filter, after, EXPORT_PAGE)
            .await?;
        self.pending.extend(rows);
        self.next = next.map(Some);
        Ok(true)
    }

    /// The next piece of the file (the header comes with the first); `None` at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<String>, StoreError> {
        while self.pending.is_empty() && self.read_page().await? {}
        let mut out = self.preamble.take().unwrap_or_default();
        if self.pending.is_empty() {
            return Ok((!out.is_empty()).then_some(out));
        }
        let rows = std::mem::take(&mut self.pending);
        let ids: Vec<i64> = rows.iter().map(|r| r.respondent_id).collect();
        let mut stored = self.store.answers_of(&ids).await?;
        for row in &rows {
            let answers: AnswerSet = stored
                .remove(&row.respondent_id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(key, value)| {
                    let answer = match Answer::from_stored(self.def.question(&key)?, &value)? {
                        Answer::Text(t) if self.masked => Answer::Text(mask_contacts(&t).into()),
                        answer => answer,
                    };
                    Some((key, answer))
                })
                .collect();
            let version = self
                .versions
                .iter()
                .find(|v| v.id == row.version_id)
                .map_or(0, |v| v.version);
            self.written += 1;
            let export = ExportRow {
                respondent: self.written,
                version,
                completed_at: row.completed_at,
                locale: &row.locale,
                answers: &answers,
                scores: &row.scores,
                weight: self
                    .weighting
                    .as_ref()
                    .and_then(|w| w.weight_of(&row.scores.segments)),
            };
            responses_csv::write_record(&mut out, &responses_csv::row(&self.def, &export));
        }
        Ok(Some(out))
    }
}

/// The whole response CSV as one string (the CLI and tests; the web streams `CsvExport`).
pub async fn responses_csv(
    store: &Store,
    r: &SurveyReport,
    bom: bool,
) -> Result<String, ExportError> {
    let mut export = CsvExport::open(store, r, bom).await?;
    let mut out = String::new();
    while let Some(chunk) = export.next_chunk().await? {
        out.push_str(&chunk);
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no survey with slug \"{0}\"")]
    NoSurvey(String),
    #[error("survey \"{0}\" has no published version to import into")]
    NotPublished(String),
    #[error("the file is not valid CSV: {0}")]
    Syntax(#[from] CsvSyntaxError),
    #[error("{} row(s) cannot be imported; nothing was imported:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports complete responses from a CSV in the export's format into the survey's live
/// version: every row is validated and scored, then all are stored in one transaction.
pub async fn import_responses(store: &Store, slug: &str, csv: &str) -> Result<usize, ImportError> {
    let survey = store
        .survey_by_slug(slug)
        .await?
        .ok_or_else(|| ImportError::NoSurvey(slug.to_string()))?;
    let version_id = survey
        .live_version_id
        .ok_or_else(|| ImportError::NotPublished(slug.to_string()))?;
    let def = store
        .version_definition(version_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("survey version {version_id} is missing")))?;
    let records = responses_csv::parse_records(csv)?;
    let imported = responses_csv::import(&def, &records).map_err(ImportError::Rows)?;
    let last_page = def.pages.len() as i64 - 1;
    let responses: Vec<CompleteResponse> = imported
        .into_iter()
        .map(|r| CompleteResponse {
            // Imported respondents cannot resume: nobody holds this token.
            token_hash: hash_token(&new_token()),
            locale: r.locale.code().to_string(),
            completed_at: r.completed_at,
            last_page,
            scores: RespondentScores {
                block_order: r.block_order,
                ..score_respondent(&def, &r.answers)
            },
            answers: r
                .answers
                .iter()
                .map(|(k, a)| (k.clone(), a.to_stored()))
                .collect(),
        })
        .collect();
    store
        .insert_complete_responses(survey.id, version_id, &def.zone(), &responses)
        .await?;
    Ok(responses.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::VersionSummary;
    use crate::domain::report::DAY_MS;
    use crate::domain::survey::tests::demo;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    fn versions() -> Vec<VersionSummary> {
        vec![VersionSummary {
            id: 4,
            version: 1,
            published_at: Some(0),
            completed: 3,
        }]
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(format_day(parse_day("2026-11-27").unwrap()), "2026-11-27");
        for bad in [
            "2026-02-31",
            "2026-13-01",
            "26-1-1x",
            "",
            "2026-11",
            "99999-01-01",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn valid_filters_round_trip_through_the_query_string() {
        let q = ReportQuery::parse(
            &pairs("version=4&from=2026-11-01&to=2026-11-30&segment=tenure&cut=activity:weekly&period=week&lang=en"),
            &demo(),
            &versions(),
        );
        assert!(!q.ignored);
        assert_eq!(q.cut, Some(("activity".into(), "weekly".into())));
        let again = ReportQuery::parse(&pairs(&q.to_query()), &demo(), &versions());
        assert_eq!(again, q);
        let f = q.filter(&SurveyZone::default());
        assert_eq!(f.versions, vec![4]);
        // "to" is inclusive: the filter ends at the next local midnight (UTC+7 in Hà Nội).
        assert_eq!(f.to_ms.unwrap() - f.from_ms.unwrap(), 30 * DAY_MS);
        assert_eq!(
            f.from_ms.unwrap(),
            parse_day("2026-11-01").unwrap() * DAY_MS - 7 * 3_600_000
        );
    }

    #[test]
    fn invalid_filters_are_ignored_and_flagged() {
        let q = ReportQuery::parse(
            &pairs("version=99&from=yesterday&segment=nps&cut=tenure:forever&period=decade"),
            &demo(),
            &versions(),
        );
        assert!(q.ignored);
        assert_eq!(
            q,
            ReportQuery {
                ignored: true,
                ..Default::default()
            }
        );
        let all = ReportQuery::parse(&pairs("version=all&segment="), &demo(), &versions());
        assert!(!all.ignored && all.versions.is_empty());
    }
}
