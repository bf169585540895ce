//! Brand managers' reports: the list of surveys a user may read, the report page with
//! GET filters (so a filtered report is a shareable URL), and its JSON export.
//! Every handler checks the signed-in user's brands on the server.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::SignedIn;
use super::web::{chrome, field, public_origin, query_pairs, staff_chrome, Fields, Form, Req};
use super::AppState;
use crate::db::{now_ms, Actor, StoreError, SurveyRow, VersionSummary};
use crate::domain::account::{Role, Staff};
use crate::domain::report::{day_of, DAY_MS};
use crate::domain::survey::is_slug;
use crate::domain::weighting::margins_from_form;
use crate::domain::Locale;
use crate::error::Problem;
use crate::i18n::{staff_ui, waves_ui, weighting_ui};
use crate::pages::report::{
    compare_view, report_list_view, report_view, share_created_view, target_problem, ComparePage,
    ListedSurvey, LiveShare, ReportMode, ReportPage, Sharing, ShownComparison, StoredTargets,
    VersionChoice, WeightingPanel,
};
use crate::pages::{render_document, with_query, Reply};
use crate::reporting::{
    compare_survey, comparison_json, format_day, parse_day, report_json, survey_report,
    CompareProblem, CompareQuery, CsvExport, ExportError, SurveyComparison, SurveyReport,
};
use crate::tokens::{hash_token, is_token, new_token};

fn role_name(locale: Locale, role: Role) -> &'static str {
    let t = staff_ui(locale);
    match role {
        Role::Admin => t.role_admin,
        Role::Manager => t.role_manager,
    }
}

/// What the staff menu shows: who is signed in, and whether they are an admin.
pub fn staff_badge(locale: Locale, staff: &Staff) -> (String, bool) {
    (
        (staff_ui(locale).signed_in_as)(&staff.email, role_name(locale, staff.role)),
        staff.role == Role::Admin,
    )
}

pub async fn list(
    State(app): State<AppState>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
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
    let chrome = staff_chrome(
        req.locale,
        &staff,
        t.reports_title.into(),
        None,
        "/reports".into(),
    );
    Ok(Reply::page(
        StatusCode::OK,
        render_document(&app.site, chrome, report_list_view(req.locale, surveys)),
    ))
}

/// The survey `slug`, if `staff` may read its report. Another brand's survey is "not
/// found": its existence is not revealed either.
pub(super) async fn readable_survey(
    app: &AppState,
    staff: &Staff,
    slug: &str,
) -> Result<SurveyRow, Problem> {
    if !is_slug(slug) {
        return Err(Problem::SurveyNotFound);
    }
    app.store
        .survey_by_slug(slug)
        .await?
        .filter(|s| staff.may_read_brand(s.brand_id))
        .ok_or(Problem::SurveyNotFound)
}

/// The report of survey `slug` with `filters` (query pairs), after the access check.
pub(super) async fn load(
    app: &AppState,
    staff: &Staff,
    slug: &str,
    filters: &[(String, String)],
) -> Result<SurveyReport, Problem> {
    let survey = readable_survey(app, staff, slug).await?;
    survey_report(&app.store, survey, filters)
        .await?
        .ok_or(Problem::SurveyNotFound)
}

pub async fn show(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
    let data = load(&app, &staff, &slug, &req.query).await?;
    let notice = match req.param("weighting") {
        Some("saved") => Some(weighting_ui(req.locale).saved),
        Some("removed") => Some(weighting_ui(req.locale).removed),
        _ => None,
    };
    let panel = WeightingPanel {
        stored: stored_targets(&data),
        entered: None,
        problem: None,
        notice,
    };
    staff_report_page(&app, &staff, &req, &data, panel, StatusCode::OK).await
}

fn stored_targets(data: &SurveyReport) -> Option<StoredTargets> {
    data.targets.as_ref().map(|t| StoredTargets {
        margins: t.margins.clone(),
        set_by: t.set_by.clone(),
        set_on: format_day(data.filter.zone.day_of(t.set_at)),
    })
}

/// A staff member's report page: filters, figures, the weighting card and sharing.
async fn staff_report_page(
    app: &AppState,
    staff: &Staff,
    req: &Req,
    data: &SurveyReport,
    weighting: WeightingPanel,
    status: StatusCode,
) -> Result<Reply, Problem> {
    let slug = &data.survey.slug;
    let t = staff_ui(req.locale);
    let title = (t.report_title)(data.def.title.get(req.locale));
    // The language links keep the filters, so switching language keeps the same report.
    let lang_path = with_query(&format!("/reports/{slug}"), &data.query.to_query());
    let mut chrome = staff_chrome(
        req.locale,
        staff,
        title,
        Some(data.survey.brand_name.clone()),
        lang_path,
    );
    chrome.wide = true;
    let survey_id = data.survey.id;
    let links = app
        .store
        .live_shares(survey_id)
        .await?
        .into_iter()
        .map(|l| LiveShare {
            id: l.token_hash,
            created_by: l.created_by,
            filters: l.filters,
            created: format_day(day_of(l.created_at)),
            expires: format_day(day_of(l.expires_at) - 1),
        })
        .collect();
    let sharing = Sharing {
        default_expiry: format_day(day_of(now_ms()) + 30),
        links,
        revoked: req.flag("revoked"),
    };
    let page = ReportPage {
        mode: ReportMode::Staff(sharing),
        locale: req.locale,
        slug: slug.clone(),
        def: &data.def,
        versions: version_choices(&data.versions),
        query: &data.query,
        report: &data.report,
        weighting: Some(weighting),
    };
    Ok(Reply::page(
        status,
        render_document(&app.site, chrome, report_view(page)),
    ))
}

/// Sets (or, with `clear`, removes) the survey's weighting targets. Whoever may read the
/// report may weight it. Targets with a problem are not stored (the stored ones stay): the
/// report is shown again, 422, with the form as posted and the problem named.
pub async fn set_weighting(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let filters = query_pairs(field(&fields, "filters"));
    let data = load(&app, &staff, &slug, &filters).await?;
    // Back to the report with its filters, weighted (the point of setting targets).
    let mut weighted = data.query.clone();
    weighted.unweighted = false;
    let back = |outcome: &str| {
        let query = [weighted.to_query(), format!("weighting={outcome}")]
            .into_iter()
            .filter(|q| !q.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        format!("/reports/{slug}?{query}#weighting")
    };
    let ids = (data.survey.id, data.survey.brand_id);
    let actor = Actor::of(&staff);
    if field(&fields, "clear").is_some() {
        app.store.set_weighting_targets(ids, &[], &actor).await?;
        return Ok(Reply::redirect(back("removed")));
    }
    match margins_from_form(&data.def, &fields) {
        Ok(margins) => {
            app.store
                .set_weighting_targets(ids, &margins, &actor)
                .await?;
            tracing::info!(
                user_id = staff.id,
                survey_id = data.survey.id,
                "weighting targets set"
            );
            Ok(Reply::redirect(back("saved")))
        }
        Err(problem) => {
            let panel = WeightingPanel {
                stored: stored_targets(&data),
                problem: Some(target_problem(&data.def, req.locale, &problem)),
                entered: Some(fields),
                notice: None,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            staff_report_page(&app, &staff, &req, &data, panel, status).await
        }
    }
}

fn download(content_type: &str, filename: String, body: String) -> Response {
    download_stream(content_type, filename, axum::body::Body::from(body))
}

fn download_stream(content_type: &str, filename: String, body: axum::body::Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The whole report as JSON (schema: `docs/report-json.md`), with the page's filters.
pub async fn json(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Response, Problem> {
    let data = load(&app, &staff, &slug, &req.query).await?;
    Ok(download(
        "application/json",
        format!("{slug}-report.json"),
        report_json(&data).to_string(),
    ))
}

/// The responses the report covers as CSV (`?bom=1` adds a BOM for Excel).
pub async fn csv(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Response, Problem> {
    let data = load(&app, &staff, &slug, &req.query).await?;
    let bom = req.param("bom").is_some_and(|v| v == "1");
    let export = match CsvExport::open(&app.store, &data, bom).await {
        Ok(export) => export,
        Err(ExportError::TooFew { n }) => {
            return Err(Problem::Invalid {
                detail: (staff_ui(req.locale).export_too_few)(n),
            })
        }
        Err(ExportError::Store(e)) => return Err(Problem::Unavailable(e)),
    };
    // Streamed a page of respondents at a time, in completion order: memory stays
    // bounded whatever the survey's size. A database error midway ends the stream (the
    // client sees a truncated download, never a wrong file that looks complete).
    let chunks = futures_util::stream::unfold(export, |mut export| async move {
        match export.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok::<_, StoreError>(chunk), export)),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "response export failed midway");
                Some((Err(e), export))
            }
        }
    });
    // Fused: the compression layer may poll once more after the end.
    Ok(download_stream(
        "text/csv; charset=utf-8",
        format!("{slug}-responses.csv"),
        axum::body::Body::from_stream(futures_util::StreamExt::fuse(chunks)),
    ))
}

/// The share form: the report's filters as a query string, and the last day.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SharePost {
    filters: String,
    expires: String,
}

/// Revoking a share link: its id (the token's hash).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RevokePost {
    share: String,
}

/// Longest a share link may live.
const MAX_SHARE_DAYS: i64 = 365;

/// Creates a read-only share link for the report with the posted filters.
pub async fn share(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
    Form(SharePost { filters, expires }): Form<SharePost>,
) -> Result<Reply, Problem> {
    let path = format!("/reports/{slug}");
    // The same access check as reading the report, with the filters to be shared.
    let data = load(&app, &staff, &slug, &query_pairs(Some(&filters))).await?;
    let t = staff_ui(req.locale);
    let today = day_of(now_ms());
    let expires = parse_day(&expires)
        .filter(|d| *d > today && *d <= today + MAX_SHARE_DAYS)
        .ok_or_else(|| Problem::Invalid {
            detail: t.share_bad_date.to_string(),
        })?;
    let token = new_token();
    app.store
        .create_share(
            &hash_token(&token),
            data.survey.id,
            staff.id,
            &data.query.to_query(),
            (expires + 1) * DAY_MS,
        )
        .await?;
    let url = format!(
        "{}/shared/{token}",
        public_origin(&req.headers, app.config.cookie_secure)
    );
    let chrome = staff_chrome(
        req.locale,
        &staff,
        t.share_created_title.to_string(),
        Some(data.survey.brand_name.clone()),
        path.clone(),
    );
    Ok(Reply::page(
        StatusCode::OK,
        render_document(
            &app.site,
            chrome,
            share_created_view(req.locale, url, format_day(expires), path),
        ),
    ))
}

/// Revokes one of the survey's share links at once (whoever may read the report may).
pub async fn revoke_share(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    Form(RevokePost { share }): Form<RevokePost>,
) -> Result<Reply, Problem> {
    let path = format!("/reports/{slug}");
    let survey = readable_survey(&app, &staff, &slug).await?;
    let share = Some(share.as_str())
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(Problem::LinkInvalid)?;
    if !app
        .store
        .revoke_share(survey.id, survey.brand_id, share, &Actor::of(&staff))
        .await?
    {
        return Err(Problem::LinkInvalid);
    }
    tracing::info!(
        user_id = staff.id,
        survey_id = survey.id,
        "share link revoked"
    );
    Ok(Reply::redirect(format!("{path}?revoked=1#share-title")))
}

/// A shared report: read-only, the filters it was shared with, until it expires.
pub async fn shared(
    State(app): State<AppState>,
    Path(token): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    if !is_token(&token) {
        return Err(Problem::LinkInvalid);
    }
    let share = app
        .store
        .live_share(&hash_token(&token))
        .await?
        .ok_or(Problem::LinkInvalid)?;
    let survey = app
        .store
        .survey_by_id(share.survey_id)
        .await?
        .ok_or(Problem::LinkInvalid)?;
    let data = survey_report(&app.store, survey, &query_pairs(Some(&share.filters)))
        .await?
        .ok_or(Problem::LinkInvalid)?;
    let t = staff_ui(req.locale);
    let title = (t.report_title)(data.def.title.get(req.locale));
    let chrome = chrome(
        req.locale,
        title,
        Some(data.survey.brand_name.clone()),
        format!("/shared/{token}"),
    );
    let expires = format_day(day_of(share.expires_at) - 1);
    let page = ReportPage {
        mode: ReportMode::Shared { expires },
        locale: req.locale,
        slug: data.survey.slug.clone(),
        def: &data.def,
        versions: version_choices(&data.versions),
        query: &data.query,
        report: &data.report,
        weighting: None,
    };
    Ok(Reply::page(
        StatusCode::OK,
        render_document(&app.site, chrome, report_view(page)),
    ))
}

/// The versions as the report's picker shows them.
fn version_choices(versions: &[VersionSummary]) -> Vec<VersionChoice> {
    versions
        .iter()
        .map(|v| VersionChoice {
            id: v.id,
            version: v.version,
            completed: v.completed,
        })
        .collect()
}

/// Two waves of survey `slug` (query pairs), after the access check.
async fn load_comparison(
    app: &AppState,
    staff: &Staff,
    slug: &str,
    filters: &[(String, String)],
) -> Result<SurveyComparison, Problem> {
    let survey = readable_survey(app, staff, slug).await?;
    compare_survey(&app.store, survey, filters)
        .await?
        .ok_or(Problem::SurveyNotFound)
}

/// Two periods or versions compared: a GET form, so a comparison is a URL to share with
/// colleagues (who need the same access as to the report). Waves that could share a
/// respondent are refused with a 422 and the form to correct them.
pub async fn compare(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
    let data = load_comparison(&app, &staff, &slug, &req.query).await?;
    let w = waves_ui(req.locale);
    let filters = data.query.to_query();
    let lang_path = with_query(&format!("/reports/{slug}/compare"), &filters);
    let mut chrome = staff_chrome(
        req.locale,
        &staff,
        (w.title)(data.def.title.get(req.locale)),
        Some(data.survey.brand_name.clone()),
        lang_path,
    );
    chrome.wide = true;
    let status = match data.outcome {
        Err(CompareProblem::Reversed { .. } | CompareProblem::Overlap) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::OK,
    };
    let form = match data.outcome {
        Err(CompareProblem::NotChosen) => CompareQuery::suggested(data.def.zone().day_of(now_ms())),
        _ => data.query.clone(),
    };
    let outcome = match &data.outcome {
        Ok(c) => Ok(ShownComparison {
            comparison: &c.comparison,
            json_href: with_query(&format!("/reports/{slug}/compare.json"), &filters),
        }),
        Err(problem) => Err(*problem),
    };
    let page = ComparePage {
        locale: req.locale,
        slug: slug.clone(),
        def: &data.def,
        versions: version_choices(&data.versions),
        form,
        ignored: data.query.ignored,
        outcome,
    };
    Ok(Reply::page(
        status,
        render_document(&app.site, chrome, compare_view(page)),
    ))
}

/// The comparison as JSON (schema: `docs/report-json.md`, "Comparison of two waves").
pub async fn compare_json(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Response, Problem> {
    let data = load_comparison(&app, &staff, &slug, &req.query).await?;
    let w = waves_ui(req.locale);
    let compared = data.outcome.as_ref().map_err(|problem| Problem::Invalid {
        detail: match problem {
            CompareProblem::NotChosen => w.not_chosen.to_string(),
            CompareProblem::Reversed { wave } => (w.reversed)(*wave),
            CompareProblem::Overlap => w.overlap.to_string(),
        },
    })?;
    Ok(download(
        "application/json",
        format!("{slug}-comparison.json"),
        comparison_json(&data, compared).to_string(),
    ))
}
