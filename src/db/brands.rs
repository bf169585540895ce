//! Brands as admins read and write them: a brand's profile by slug or id, creating a brand
//! and replacing its profile (both audited).

use super::audit::{audit, Actor};
use super::{now_ms, Store, StoreError};
use crate::domain::BrandProfile;

impl Store {
    /// A brand's id and profile.
    pub async fn brand(&self, slug: &str) -> Result<Option<(i64, BrandProfile)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, profile FROM brands WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(id, json)| {
            serde_json::from_str(&json)
                .map(|p| (id, p))
                .map_err(|e| StoreError::Corrupt(format!("brand {slug}: {e}")))
        })
        .transpose()
    }

    pub async fn brand_by_id(&self, id: i64) -> Result<Option<(String, BrandProfile)>, StoreError> {
        let row: Option<(String, String)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT slug, profile FROM brands WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(slug, json)| {
            serde_json::from_str(&json)
                .map(|p| (slug.clone(), p))
                .map_err(|e| StoreError::Corrupt(format!("brand {slug}: {e}")))
        })
        .transpose()
    }

    /// Creates a brand; `BrandSlugTaken` if the slug is taken. Returns its id.
    pub async fn create_brand(
        &self,
        profile: &BrandProfile,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM brands WHERE slug = $1")
                .bind(&profile.slug)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::BrandSlugTaken(profile.slug.clone()));
            }
            let (id,): (i64,) = sqlx::query_as("INSERT INTO brands (slug, name, profile, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(&profile.slug)
                .bind(&profile.name)
                .bind(&json)
                .bind(now_ms())
                .fetch_one(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                "brand_created",
                Some(id),
                None,
                &profile.name,
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Replaces a brand's profile (its slug stays). Published survey versions keep the
    /// profile they were published with; drafts take the new one when next saved.
    pub async fn update_brand(
        &self,
        brand_id: i64,
        profile: &BrandProfile,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE brands SET name = $1, profile = $2 WHERE id = $3")
                .bind(&profile.name)
                .bind(&json)
                .bind(brand_id)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut *tx,
                actor,
                "brand_edited",
                Some(brand_id),
                None,
                &profile.name,
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
