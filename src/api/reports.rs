//! Brand managers' reports: the list of surveys a user may read, the report page with
//! GET filters (so a filtered report is a shareable URL), and its JSON export.
//! Every handler checks the signed-in user's brands on the server.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::web::{chrome, Req};
use super::AppState;
use crate::db::{ReportFilter, SurveyRow, VersionSummary};
use crate::domain::account::{Role, Staff};
use crate::domain::report::{
    self, civil_from_days, days_from_civil, Period, Report, ReportOptions,
};
use crate::domain::survey::is_slug;
use crate::domain::{Construct, Locale, SurveyDefinition};
use crate::error::Problem;
use crate::i18n::staff_ui;
use crate::pages::report::{report_list_view, report_view, ListedSurvey, ReportPage};
use crate::pages::{render_document, Reply};

const DAY_MS: i64 = 86_400_000;

/// The report's filters as read from the query string. Anything invalid is dropped
/// (and flagged), so a hand-edited URL still gives a report instead of an error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportQuery {
    pub version: Option<i64>,
    /// Day numbers since 1970-01-01, both inclusive.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    /// Segment question whose groups are compared.
    pub segment: Option<String>,
    /// Only respondents in this group ("question:option").
    pub cut: Option<(String, String)>,
    pub period: Option<Period>,
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
                    .map(|v| q.version = Some(v))
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
                _ => true,
            };
            q.ignored |= !ok;
        }
        q
    }

    pub fn filter(&self) -> ReportFilter {
        ReportFilter {
            versions: self.version.into_iter().collect(),
            from_ms: self.from_day.map(|d| d * DAY_MS),
            to_ms: self.to_day.map(|d| (d + 1) * DAY_MS),
            segment: self.cut.clone(),
        }
    }

    /// The query string that reproduces these filters (for links and the JSON export).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(v) = self.version {
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
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

fn role_name(locale: Locale, role: Role) -> &'static str {
    let t = staff_ui(locale);
    match role {
        Role::Admin => t.role_admin,
        Role::Manager => t.role_manager,
    }
}

fn staff_label(locale: Locale, staff: &Staff) -> String {
    (staff_ui(locale).signed_in_as)(&staff.email, role_name(locale, staff.role))
}

pub async fn list(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Reply {
    let req = Req::new(&app, headers, query);
    let result = async {
        let staff = app.require_staff(&req.headers, "/reports").await?;
        let surveys: Vec<ListedSurvey> = app
            .store
            .surveys_for_reports()
            .await?
            .into_iter()
            .filter(|s| staff.may_read_brand(s.brand_id))
            .map(|s| ListedSurvey {
                href: format!("/reports/{}", s.slug),
                slug: s.slug,
                brand: s.brand_name,
                status: s.status,
                completed: s.completed,
            })
            .collect();
        let t = staff_ui(req.locale);
        let mut chrome = chrome(req.locale, t.reports_title.into(), None, "/reports".into());
        chrome.staff = Some(staff_label(req.locale, &staff));
        Ok(Reply::page(
            StatusCode::OK,
            render_document(&app.site, chrome, report_list_view(req.locale, surveys)),
        ))
    }
    .await;
    req.finish(&app, result)
}

/// Everything a report needs, after the access check.
struct Loaded {
    staff: Staff,
    survey: SurveyRow,
    def: std::sync::Arc<SurveyDefinition>,
    versions: Vec<VersionSummary>,
    query: ReportQuery,
    report: Report,
}

async fn load(app: &AppState, req: &Req, slug: &str, path: &str) -> Result<Loaded, Problem> {
    let staff = app.require_staff(&req.headers, path).await?;
    if !is_slug(slug) {
        return Err(Problem::SurveyNotFound);
    }
    // Another brand's survey is "not found": its existence is not revealed either.
    let survey = app
        .store
        .survey_by_slug(slug)
        .await?
        .filter(|s| staff.may_read_brand(s.brand_id))
        .ok_or(Problem::SurveyNotFound)?;
    let versions = app.store.versions(survey.id).await?;
    let newest = survey
        .live_version_id
        .or_else(|| versions.first().map(|v| v.id))
        .ok_or(Problem::SurveyNotFound)?;
    let live_def = app.definition(newest).await?;
    let query = ReportQuery::parse(&req.query, &live_def, &versions);
    // The definition the figures are labelled with: the selected version, else the live one.
    let def = match query.version {
        Some(v) => app.definition(v).await?,
        None => live_def,
    };
    let filter = query.filter();
    let rows = app.store.report_rows(survey.id, &filter).await?;
    let funnel = app.store.funnel(survey.id, &filter).await?;
    let options = ReportOptions {
        threshold: def.bond_threshold,
        segment: query.segment.clone(),
        period: query.period.unwrap_or(Period::Month),
    };
    let report = report::build(&def, &rows, funnel, &options);
    Ok(Loaded {
        staff,
        survey,
        def,
        versions,
        query,
        report,
    })
}

pub async fn show(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Reply {
    let req = Req::new(&app, headers, query.clone());
    let path = match &query {
        Some(q) => format!("/reports/{slug}?{q}"),
        None => format!("/reports/{slug}"),
    };
    let result = async {
        let loaded = load(&app, &req, &slug, &path).await?;
        let t = staff_ui(req.locale);
        let title = (t.report_title)(loaded.def.title.get(req.locale));
        // The language links keep the filters, so switching language keeps the same report.
        let filters = loaded.query.to_query();
        let lang_path = if filters.is_empty() {
            format!("/reports/{slug}")
        } else {
            format!("/reports/{slug}?{filters}")
        };
        let mut chrome = chrome(
            req.locale,
            title,
            Some(loaded.survey.brand_name.clone()),
            lang_path,
        );
        chrome.staff = Some(staff_label(req.locale, &loaded.staff));
        chrome.wide = true;
        let page = ReportPage {
            locale: req.locale,
            slug: slug.clone(),
            def: &loaded.def,
            versions: &loaded.versions,
            query: &loaded.query,
            report: &loaded.report,
        };
        Ok(Reply::page(
            StatusCode::OK,
            render_document(&app.site, chrome, report_view(page)),
        ))
    }
    .await;
    req.finish(&app, result)
}

/// The whole report as JSON (schema: `docs/report-schema.md`).
pub async fn json(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let req = Req::new(&app, headers, query);
    match load(&app, &req, &slug, &format!("/reports/{slug}")).await {
        Ok(loaded) => {
            let body = serde_json::json!({
                "survey": slug,
                "title": loaded.def.title,
                "filters": loaded.query.to_query(),
                "report": loaded.report,
            });
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{slug}-report.json\""),
                    ),
                ],
                body.to_string(),
            )
                .into_response()
        }
        Err(p) => req.finish(&app, Err(p)).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let f = q.filter();
        assert_eq!(f.versions, vec![4]);
        // "to" is inclusive: the filter ends at the next midnight.
        assert_eq!(f.to_ms.unwrap() - f.from_ms.unwrap(), 30 * DAY_MS);
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
        assert!(!all.ignored && all.version.is_none());
    }
}
