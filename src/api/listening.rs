//! "What customers said": the report's free-text answers (managers of the brand and
//! admins), coding them (audited), and the admins' masking switch. Access is the report's:
//! another brand's survey is "not found". The share link has no route here, so it never
//! shows text.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::auth::{Admin, SignedIn};
use super::reports::{load, readable_survey};
use super::web::{field, query_pairs, staff_chrome, Fields, Form, Req};
use super::AppState;
use crate::db::{Actor, CodeStatus, StoreError, SurveyRow, ValueKeywordRow};
use crate::domain::account::Role;
use crate::domain::listening::{parse_keywords, Code};
use crate::domain::survey::is_key;
use crate::domain::{BrandProfile, Locale, SurveyDefinition};
use crate::error::Problem;
use crate::i18n::listening_ui;
use crate::pages::authoring::KeywordRow;
use crate::pages::report::{listening_view, ListeningPage};
use crate::pages::{render_document, with_query, Reply};
use crate::reporting::{listening, ListeningQuery};

/// The listening page of survey `slug`, with the report's filters and the section's own.
pub async fn show(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
    let data = load(&app, &staff, &slug, &req.query).await?;
    let query = ListeningQuery::parse(&req.query);
    let heard = listening(&app.store, &data, query).await?;
    let l = listening_ui(req.locale);
    let report_pairs = query_pairs(Some(&data.query.to_query()));
    let own = heard.query.to_query();
    let lang_query = [data.query.to_query(), own]
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    let mut chrome = staff_chrome(
        req.locale,
        &staff,
        format!("{} · {}", l.title, data.def.title.get(req.locale)),
        Some(data.survey.brand_name.clone()),
        with_query(&format!("/reports/{slug}/listening"), &lang_query),
    );
    chrome.wide = true;
    let page = ListeningPage {
        locale: req.locale,
        slug: slug.clone(),
        def: &data.def,
        zone: &data.filter.zone,
        report_pairs,
        listening: &heard,
        admin: staff.role == Role::Admin,
    };
    Ok(Reply::page(
        StatusCode::OK,
        render_document(&app.site, chrome, listening_view(page)),
    ))
}

/// A code posted for one answer.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CodePost {
    respondent: String,
    question: String,
    /// `value:<key>`, `theme:<words>`, or `theme` with the words in `theme`.
    code: String,
    theme: String,
    /// confirm, reject or remove.
    action: String,
    /// The listening page's query string to return to.
    back: String,
}

/// Back to the listening page with the query it was posted from. Only query-string
/// characters are kept, so the target stays this survey's listening page.
fn back_to(slug: &str, back: &str, anchor: &str) -> String {
    let query: String = back
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '#')
        .take(2000)
        .collect();
    format!(
        "{}#{anchor}",
        with_query(&format!("/reports/{slug}/listening"), &query)
    )
}

/// The definition whose brand values codes may name: the live version's, else the newest.
async fn definition(app: &AppState, survey: &SurveyRow) -> Result<SurveyDefinition, Problem> {
    let id = match survey.live_version_id {
        Some(id) => id,
        None => app
            .store
            .versions(survey.id)
            .await?
            .first()
            .map(|v| v.id)
            .ok_or(Problem::SurveyNotFound)?,
    };
    Ok(app
        .store
        .version_definition(id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("survey version {id} is missing")))?)
}

/// The posted code, if it is a theme or one of the brand's (non-placebo) values.
fn posted_code(def: &SurveyDefinition, post: &CodePost) -> Option<Code> {
    let code = if post.code == "theme" {
        Code::parse(&format!("theme:{}", post.theme))?
    } else {
        Code::parse(&post.code)?
    };
    match &code {
        Code::Value(key) => def
            .brand
            .value(key)
            .filter(|v| !v.placebo)
            .map(|_| code.clone()),
        Code::Theme(_) => Some(code.clone()),
    }
}

/// Confirms, rejects or removes a code on one answer (whoever may read the report may),
/// then back to the same page of answers.
pub async fn code(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
    Form(post): Form<CodePost>,
) -> Result<Reply, Problem> {
    let survey = readable_survey(&app, &staff, &slug).await?;
    let l = listening_ui(req.locale);
    let invalid = |detail: &str| Problem::Invalid {
        detail: detail.to_string(),
    };
    let status = match post.action.as_str() {
        "confirm" => Some(CodeStatus::Confirmed),
        "reject" => Some(CodeStatus::Rejected),
        "remove" => None,
        _ => return Err(Problem::BadRequest("unknown coding action".into())),
    };
    let respondent: i64 = post
        .respondent
        .parse()
        .map_err(|_| invalid(l.no_such_answer))?;
    if !is_key(&post.question) {
        return Err(invalid(l.no_such_answer));
    }
    let def = definition(&app, &survey).await?;
    let code = posted_code(&def, &post).ok_or_else(|| invalid(l.bad_code))?;
    let written = app
        .store
        .set_answer_code(
            (survey.id, survey.brand_id),
            (respondent, &post.question),
            &code.stored(),
            status,
            &Actor::of(&staff),
        )
        .await?;
    if !written {
        return Err(invalid(l.no_such_answer));
    }
    let anchor = format!("a-{respondent}-{}", post.question);
    Ok(Reply::redirect(back_to(&slug, &post.back, &anchor)))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MaskingPost {
    masked: String,
    back: String,
}

/// Turns masking of e-mail addresses and phone numbers on or off for the survey's text
/// (admins only: anyone else gets "not found"), audited.
pub async fn masking(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    Form(post): Form<MaskingPost>,
) -> Result<Reply, Problem> {
    let survey = readable_survey(&app, &staff, &slug).await?;
    let masked = match post.masked.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(Problem::BadRequest("masked must be 0 or 1".into())),
    };
    app.store
        .set_text_masked((survey.id, survey.brand_id), masked, &Actor::of(&staff))
        .await?;
    tracing::info!(
        user_id = staff.id,
        survey_id = survey.id,
        masked,
        "text masking set"
    );
    Ok(Reply::redirect(back_to(&slug, &post.back, "masking")))
}

/// The brand page's keyword boxes: each stated value (not the placebo) with its stored
/// keywords.
pub(crate) async fn keyword_rows(
    app: &AppState,
    brand_id: i64,
    profile: &BrandProfile,
    locale: Locale,
) -> Result<Vec<KeywordRow>, Problem> {
    let stored = app.store.value_keywords(brand_id).await?;
    Ok(profile
        .values
        .iter()
        .filter(|v| !v.placebo)
        .map(|v| {
            let row = stored.iter().find(|r| r.value_key == v.key);
            KeywordRow {
                key: v.key.clone(),
                label: v.label.get(locale).to_string(),
                vi: row.map(|r| r.keywords_vi.clone()).unwrap_or_default(),
                en: row.map(|r| r.keywords_en.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// Saves the brand's value keywords (admins, on the brand page), one keyword a line,
/// cleaned and capped by `parse_keywords`; audited.
pub async fn save_keywords(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let (brand_id, profile) = app.store.brand(&slug).await?.ok_or(Problem::PageNotFound)?;
    let lines = |name: String| parse_keywords(field(&fields, &name).unwrap_or_default()).join("\n");
    let rows: Vec<ValueKeywordRow> = profile
        .values
        .iter()
        .filter(|v| !v.placebo)
        .map(|v| ValueKeywordRow {
            value_key: v.key.clone(),
            keywords_vi: lines(format!("kw.{}.vi", v.key)),
            keywords_en: lines(format!("kw.{}.en", v.key)),
        })
        .collect();
    app.store
        .set_value_keywords(brand_id, &rows, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/admin/brands/{slug}?keywords=saved#keywords"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_stays_on_the_listening_page() {
        assert_eq!(
            back_to("terra-bond", "class=both&q=moi", "a-1-comment"),
            "/reports/terra-bond/listening?class=both&q=moi#a-1-comment"
        );
        assert_eq!(
            back_to("terra-bond", "x\r\nLocation: //evil#y", "m"),
            "/reports/terra-bond/listening?xLocation://evily#m"
        );
        assert_eq!(
            back_to("terra-bond", "", "m"),
            "/reports/terra-bond/listening#m"
        );
    }
}
