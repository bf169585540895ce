//! Surveys as they are read: the row the respondent pages need ([`SurveyRow`], with the
//! survey's lifecycle, [`SurveyStatus`]), a brand's surveys as the admin lists them
//! ([`SurveyListing`]), and a version's stored definition (whole, or only its time zone).

use super::rollups::completed_sql;
use super::{Distribution, Store, StoreError};
use crate::domain::survey::SurveyStatus;
use crate::domain::SurveyDefinition;

/// A survey with its brand's name, as `survey_by_slug`, `public_surveys` and `survey_visit`
/// select it (surveys `s` joined with brands `b`).
#[derive(sqlx::FromRow)]
pub(super) struct SurveyRecord {
    id: i64,
    slug: String,
    status: String,
    live_version_id: Option<i64>,
    brand_id: i64,
    brand_name: String,
    access: String,
    one_per_browser: i64,
}

/// A survey as the respondent pages need it.
#[derive(Clone, Debug)]
pub struct SurveyRow {
    pub id: i64,
    pub slug: String,
    pub status: SurveyStatus,
    pub live_version_id: Option<i64>,
    pub brand_id: i64,
    pub brand_name: String,
    pub distribution: Distribution,
}

impl TryFrom<SurveyRecord> for SurveyRow {
    type Error = StoreError;
    fn try_from(r: SurveyRecord) -> Result<Self, StoreError> {
        Ok(SurveyRow {
            id: r.id,
            slug: r.slug,
            status: SurveyStatus::try_from(r.status).map_err(StoreError::Corrupt)?,
            live_version_id: r.live_version_id,
            brand_id: r.brand_id,
            brand_name: r.brand_name,
            distribution: Distribution {
                invite_only: r.access == "invite",
                one_per_browser: r.one_per_browser != 0,
            },
        })
    }
}

/// A survey as the admin's lists show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SurveyListing {
    pub id: i64,
    pub slug: String,
    #[sqlx(try_from = "String")]
    pub status: SurveyStatus,
    pub brand_id: i64,
    /// Number of the live version, if one was published.
    pub live_version: Option<i64>,
    /// The newest version (the draft if there is one): number, definition, published when.
    pub newest_version: i64,
    pub newest: String,
    pub newest_published: Option<i64>,
    pub completed: i64,
}

/// The time zone of a stored survey definition, read without parsing the rest of it.
pub(super) fn zone_of_definition(
    json: &str,
) -> Result<crate::domain::zone::SurveyZone, StoreError> {
    #[derive(serde::Deserialize)]
    struct ZoneOnly {
        #[serde(default)]
        time_zone: Option<String>,
    }
    let only: ZoneOnly = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("survey definition: {e}")))?;
    Ok(only
        .time_zone
        .and_then(|name| crate::domain::zone::SurveyZone::parse(&name))
        .unwrap_or_default())
}

impl Store {
    /// Whether a survey with this slug exists (any status).
    pub async fn survey_exists(&self, slug: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id FROM surveys WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    pub async fn survey_by_slug(&self, slug: &str) -> Result<Option<SurveyRow>, StoreError> {
        let sql =
            "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                s.access, s.one_per_browser
             FROM surveys s JOIN brands b ON b.id = s.brand_id WHERE s.slug = $1";
        let record: Option<SurveyRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(sql).bind(slug).fetch_optional(pool).await?
        });
        record.map(SurveyRow::try_from).transpose()
    }

    /// Open surveys with a live version that anyone may answer (not invite-only), for the
    /// home page.
    pub async fn public_surveys(&self) -> Result<Vec<SurveyRow>, StoreError> {
        let sql =
            "SELECT s.id, s.slug, s.status, s.live_version_id, s.brand_id, b.name AS brand_name,
                s.access, s.one_per_browser
             FROM surveys s JOIN brands b ON b.id = s.brand_id
             WHERE s.status = 'open' AND s.live_version_id IS NOT NULL AND s.access <> 'invite'
             ORDER BY s.id";
        let records: Vec<SurveyRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        records.into_iter().map(SurveyRow::try_from).collect()
    }

    /// The stored definition of a survey version.
    pub async fn version_definition(
        &self,
        version_id: i64,
    ) -> Result<Option<SurveyDefinition>, StoreError> {
        let row: Option<(String,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT definition FROM survey_versions WHERE id = $1")
                .bind(version_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(json,)| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("version {version_id}: {e}")))
        })
        .transpose()
    }

    /// Surveys of a brand with their newest version (archived ones last).
    pub async fn surveys_of_brand(&self, brand_id: i64) -> Result<Vec<SurveyListing>, StoreError> {
        let sql = format!(
            "SELECT s.id, s.slug, s.status, s.brand_id,
                (SELECT l.version FROM survey_versions l WHERE l.id = s.live_version_id) AS live_version,
                v.version AS newest_version, v.definition AS newest, v.published_at AS newest_published,
                (SELECT CAST(COALESCE(SUM({}), 0) AS BIGINT) FROM survey_versions x WHERE x.survey_id = s.id) AS completed
             FROM surveys s JOIN survey_versions v ON v.survey_id = s.id
                AND v.version = (SELECT MAX(version) FROM survey_versions WHERE survey_id = s.id)
             WHERE s.brand_id = $1
             ORDER BY CASE WHEN s.status = 'archived' THEN 1 ELSE 0 END, s.created_at DESC, s.id DESC",
            completed_sql("x")
        );
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql).bind(brand_id).fetch_all(pool).await?
        }))
    }
}
