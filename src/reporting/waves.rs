//! Two waves of one survey compared ("did it change?"): each wave is a period, a version,
//! or both; the two must not share a respondent. Both reports are computed the usual way
//! (rollups), at one threshold, then `domain::report::compare_waves` takes the differences.

use super::{format_day, parse_day, survey_report_at, SurveyReport};
use crate::db::{Store, StoreError, SurveyRow, VersionSummary};
use crate::domain::report::{compare_waves, WaveComparison};
use crate::domain::SurveyDefinition;

/// One wave: respondents who completed between two local days (both inclusive, either
/// open), and of one version if given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wave {
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    pub version: Option<i64>,
}

impl Wave {
    fn is_empty(&self) -> bool {
        *self == Wave::default()
    }

    /// The report filters that select this wave.
    fn report_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(d) = self.from_day {
            pairs.push(("from".to_string(), format_day(d)));
        }
        if let Some(d) = self.to_day {
            pairs.push(("to".to_string(), format_day(d)));
        }
        if let Some(v) = self.version {
            pairs.push(("version".to_string(), v.to_string()));
        }
        pairs
    }

    /// Whether a respondent could be in both waves. A respondent answers one version, so
    /// two different versions never overlap; otherwise the day ranges decide.
    fn overlaps(&self, other: &Wave) -> bool {
        if let (Some(a), Some(b)) = (self.version, other.version) {
            if a != b {
                return false;
            }
        }
        let starts = self.from_day.unwrap_or(i64::MIN);
        let ends = self.to_day.unwrap_or(i64::MAX);
        let other_starts = other.from_day.unwrap_or(i64::MIN);
        let other_ends = other.to_day.unwrap_or(i64::MAX);
        starts <= other_ends && other_starts <= ends
    }
}

/// The two waves as read from the query string (`first_from`, `first_to`,
/// `first_version`, and the same for `second_`). Invalid values are dropped and flagged,
/// as the report's filters are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareQuery {
    pub first: Wave,
    pub second: Wave,
    /// Count the flagged responses (`flagged=include`) in both waves, as the report can.
    pub include_flagged: bool,
    pub ignored: bool,
}

/// Why two waves cannot be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareProblem {
    /// Nothing chosen yet: the page offers the form.
    NotChosen,
    /// A wave ends before it starts (1 = first, 2 = second).
    Reversed { wave: u8 },
    /// A respondent could be in both waves: the differences assume independent samples.
    Overlap,
}

impl CompareQuery {
    pub fn parse(pairs: &[(String, String)], versions: &[VersionSummary]) -> CompareQuery {
        let mut q = CompareQuery::default();
        for (name, value) in pairs {
            if name == "flagged" {
                q.include_flagged |= value == "include";
                continue;
            }
            let Some((wave, field)) = name.split_once('_') else {
                continue;
            };
            let wave = match wave {
                "first" => &mut q.first,
                "second" => &mut q.second,
                _ => continue,
            };
            if value.is_empty() || value == "all" {
                continue;
            }
            let ok = match field {
                "from" => parse_day(value).map(|d| wave.from_day = Some(d)).is_some(),
                "to" => parse_day(value).map(|d| wave.to_day = Some(d)).is_some(),
                "version" => value
                    .parse::<i64>()
                    .ok()
                    .filter(|v| versions.iter().any(|s| s.id == *v))
                    .map(|v| wave.version = Some(v))
                    .is_some(),
                _ => true,
            };
            q.ignored |= !ok;
        }
        q
    }

    pub fn check(&self) -> Result<(), CompareProblem> {
        if self.first.is_empty() && self.second.is_empty() {
            return Err(CompareProblem::NotChosen);
        }
        for (wave, w) in [(1, &self.first), (2, &self.second)] {
            if let (Some(from), Some(to)) = (w.from_day, w.to_day) {
                if from > to {
                    return Err(CompareProblem::Reversed { wave });
                }
            }
        }
        if self.first.overlaps(&self.second) {
            return Err(CompareProblem::Overlap);
        }
        Ok(())
    }

    /// The query string that reproduces this comparison (a shareable URL).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (prefix, wave) in [("first", &self.first), ("second", &self.second)] {
            for (name, value) in wave.report_pairs() {
                pairs.push((format!("{prefix}_{name}"), value));
            }
        }
        if self.include_flagged {
            pairs.push(("flagged".to_string(), "include".to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// What the form proposes before anything is chosen: last calendar month against this
    /// month so far (`today` is a local day number).
    pub fn suggested(today: i64) -> CompareQuery {
        let (y, m, _) = crate::domain::report::civil_from_days(today);
        let this_month = crate::domain::report::days_from_civil(y, m, 1);
        let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        CompareQuery {
            first: Wave {
                from_day: Some(crate::domain::report::days_from_civil(py, pm, 1)),
                to_day: Some(this_month - 1),
                version: None,
            },
            second: Wave {
                from_day: Some(this_month),
                to_day: Some(today),
                version: None,
            },
            include_flagged: false,
            ignored: false,
        }
    }
}

/// Two waves of a survey and their comparison.
pub struct SurveyComparison {
    pub survey: SurveyRow,
    /// Labels the figures: the second wave's definition, else the survey's newest.
    pub def: SurveyDefinition,
    pub versions: Vec<VersionSummary>,
    pub query: CompareQuery,
    /// Both reports and their differences, or why they were not computed.
    pub outcome: Result<Compared, CompareProblem>,
}

pub struct Compared {
    pub first: SurveyReport,
    /// Its definition labels the comparison (the stated values compared are its own).
    pub second: SurveyReport,
    pub comparison: WaveComparison,
}

/// Compares the waves in `pairs` (query-string pairs). None if the survey has no version.
pub async fn compare_survey(
    store: &Store,
    survey: SurveyRow,
    pairs: &[(String, String)],
) -> Result<Option<SurveyComparison>, StoreError> {
    let versions = store.versions(survey.id).await?;
    if versions.is_empty() {
        return Ok(None);
    }
    let query = CompareQuery::parse(pairs, &versions);
    let outcome = match query.check() {
        Err(problem) => Err(problem),
        Ok(()) => {
            // The second wave's threshold classifies both: one threshold per comparison.
            let flagged = [("flagged".to_string(), "include".to_string())];
            let flagged = if query.include_flagged {
                &flagged[..]
            } else {
                &[]
            };
            let pairs = [query.second.report_pairs(), flagged.to_vec()].concat();
            let Some(second) = survey_report_at(store, survey.clone(), &pairs, None).await? else {
                return Ok(None);
            };
            let t = Some(second.report.threshold);
            let pairs = [query.first.report_pairs(), flagged.to_vec()].concat();
            let Some(first) = survey_report_at(store, survey.clone(), &pairs, t).await? else {
                return Ok(None);
            };
            let comparison = compare_waves(&first.report, &second.report);
            Ok(Compared {
                first,
                second,
                comparison,
            })
        }
    };
    let def = match &outcome {
        Ok(c) => c.second.def.clone(),
        Err(_) => {
            let newest = survey.live_version_id.unwrap_or(versions[0].id);
            store
                .version_definition(newest)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("survey version {newest} is missing")))?
        }
    };
    Ok(Some(SurveyComparison {
        survey,
        def,
        versions,
        query,
        outcome,
    }))
}

/// The comparison as one JSON document (documented in `docs/report-json.md`).
pub fn comparison_json(c: &SurveyComparison, compared: &Compared) -> serde_json::Value {
    let wave = |r: &SurveyReport| {
        serde_json::json!({
            "filters": r.query.to_query(),
            "responses": r.report.responses,
        })
    };
    serde_json::json!({
        "survey": c.survey.slug,
        "brand": c.survey.brand_name,
        "title": compared.second.def.title,
        "filters": c.query.to_query(),
        "time_zone": compared.second.filter.zone.name(),
        "first": wave(&compared.first),
        "second": wave(&compared.second),
        "comparison": compared.comparison,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    fn versions() -> Vec<VersionSummary> {
        [(7, 1), (9, 2)]
            .map(|(id, version)| VersionSummary {
                id,
                version,
                published_at: None,
                completed: 0,
            })
            .to_vec()
    }

    #[test]
    fn two_periods_round_trip_through_the_url() {
        let q = CompareQuery::parse(
            &pairs("first_from=2026-09-01&first_to=2026-09-30&second_from=2026-10-01&second_to=2026-10-31&flagged=include"),
            &versions(),
        );
        assert!(q.include_flagged);
        assert_eq!(q.check(), Ok(()));
        assert!(!q.ignored);
        assert_eq!(CompareQuery::parse(&pairs(&q.to_query()), &versions()), q);
        assert_eq!(
            q.second.report_pairs(),
            pairs("from=2026-10-01&to=2026-10-31")
        );
    }

    #[test]
    fn waves_sharing_a_respondent_are_refused() {
        let check = |q: &str| CompareQuery::parse(&pairs(q), &versions()).check();
        assert_eq!(check(""), Err(CompareProblem::NotChosen));
        // Overlapping days, an open end, or the same version.
        assert_eq!(
            check("first_from=2026-09-01&first_to=2026-10-01&second_from=2026-10-01"),
            Err(CompareProblem::Overlap)
        );
        assert_eq!(check("first_to=2026-09-30"), Err(CompareProblem::Overlap));
        assert_eq!(
            check("first_version=7&second_version=7"),
            Err(CompareProblem::Overlap)
        );
        // Two versions never share a respondent, whatever the days.
        assert_eq!(check("first_version=7&second_version=9"), Ok(()));
        assert_eq!(check("first_to=2026-09-30&second_from=2026-10-01"), Ok(()));
        assert_eq!(
            check("first_from=2026-09-30&first_to=2026-09-01&second_from=2026-10-01"),
            Err(CompareProblem::Reversed { wave: 1 })
        );
    }

    #[test]
    fn invalid_values_are_dropped_and_flagged() {
        let q = CompareQuery::parse(
            &pairs("first_from=2026-02-31&first_version=8&second_version=9&lang=en&other_x=1"),
            &versions(),
        );
        assert!(q.ignored);
        assert_eq!(q.first, Wave::default());
        assert_eq!(q.second.version, Some(9));
    }

    #[test]
    fn the_suggestion_is_last_month_against_this_month() {
        let today = parse_day("2026-01-15").unwrap();
        let q = CompareQuery::suggested(today);
        assert_eq!(q.check(), Ok(()));
        assert_eq!(
            q.to_query(),
            "first_from=2025-12-01&first_to=2025-12-31&second_from=2026-01-01&second_to=2026-01-15"
        );
    }
}
