//! Staff accounts, brand assignments and sessions, the surveys the reports list offers,
//! and report share links.

use super::audit::{audit, Actor};
use super::rollups::completed_sql;
use super::{now_ms, Store, StoreError};
use crate::domain::account::{session_alive, Role, Staff, SESSION_TOUCH_MS};
use crate::domain::survey::SurveyStatus;

/// A user row as the login needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub active: i64,
}

/// A brand as account and report pages list it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct BrandSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl Store {
    /// Creates a user; `EmailTaken` if the e-mail address is taken.
    pub async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(pool)
                .await?;
            if taken.is_some() {
                return Err(StoreError::EmailTaken(email.to_string()));
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, password_hash, role, active, created_at) VALUES ($1, $2, $3, 1, $4) RETURNING id",
            )
            .bind(email)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(now)
            .fetch_one(pool)
            .await?;
            Ok(id)
        })
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT id, email, password_hash, role, active FROM users WHERE email = $1",
            )
            .bind(email)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Lets a manager read a brand's reports (idempotent).
    pub async fn assign_brand(&self, user_id: i64, brand_id: i64) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query("INSERT INTO user_brands (user_id, brand_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(user_id)
                .bind(brand_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Replaces the brands a manager may read (their sessions see the change at once).
    pub async fn set_user_brands(&self, user_id: i64, brand_ids: &[i64]) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM user_brands WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for brand_id in brand_ids {
                sqlx::query("INSERT INTO user_brands (user_id, brand_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(user_id)
                    .bind(brand_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn brand_by_slug(&self, slug: &str) -> Result<Option<BrandSummary>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, slug, name FROM brands WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Starts a session for `user_id` under the hash of a fresh session id.
    pub async fn create_session(&self, id_hash: &str, user_id: i64) -> Result<(), StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            sqlx::query("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
                .bind(id_hash)
                .bind(user_id)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The signed-in user of a session, if the session is alive and the user active.
    /// Refreshes the idle timer (at most once a minute); expired sessions are deleted.
    pub async fn session_staff(&self, id_hash: &str) -> Result<Option<Staff>, StoreError> {
        let now = now_ms();
        let row: Option<(i64, i64, i64, String, String, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT u.id, s.created_at, s.last_seen_at, u.email, u.role, u.active
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
            )
            .bind(id_hash)
            .fetch_optional(pool)
            .await?
        });
        let Some((user_id, created, last_seen, email, role, active)) = row else {
            return Ok(None);
        };
        let role =
            Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?;
        if active == 0 || !session_alive(created, last_seen, now) {
            self.delete_session(id_hash).await?;
            return Ok(None);
        }
        if now - last_seen >= SESSION_TOUCH_MS {
            on_pool!(self.write(), |pool| {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                    .bind(now)
                    .bind(id_hash)
                    .execute(pool)
                    .await?;
            });
        }
        let brand_ids: Vec<(i64,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT brand_id FROM user_brands WHERE user_id = $1 ORDER BY brand_id")
                .bind(user_id)
                .fetch_all(pool)
                .await?
        });
        Ok(Some(Staff {
            id: user_id,
            email,
            role,
            brand_ids: brand_ids.into_iter().map(|(b,)| b).collect(),
        }))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Every survey with its brand and its complete responses, for the reports list (the
    /// caller keeps those the staff member may read).
    pub async fn surveys_for_reports(&self) -> Result<Vec<ReportableSurvey>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(&format!(
                "SELECT s.id, s.slug, s.status, b.id AS brand_id, b.name AS brand_name,
                    (SELECT CAST(COALESCE(SUM({}), 0) AS BIGINT) FROM survey_versions v
                     WHERE v.survey_id = s.id) AS completed
                 FROM surveys s JOIN brands b ON b.id = s.brand_id ORDER BY b.name, s.slug",
                completed_sql("v")
            ))
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn user_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }
}

/// A survey in the reports list.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ReportableSurvey {
    pub id: i64,
    pub slug: String,
    #[sqlx(try_from = "String")]
    pub status: SurveyStatus,
    pub brand_id: i64,
    pub brand_name: String,
    pub completed: i64,
}

/// Share links that work at `$1` (now): not expired, and made by a staff member who can
/// still read the survey's report.
const LIVE_SHARES: &str = "FROM report_shares r
     JOIN users u ON u.id = r.created_by
     JOIN surveys s ON s.id = r.survey_id
     WHERE r.expires_at > $1 AND u.active = 1
       AND (u.role = 'admin'
            OR EXISTS (SELECT 1 FROM user_brands ub WHERE ub.user_id = u.id AND ub.brand_id = s.brand_id))";

/// A working share link as the report page lists it (its id is the token's hash, which
/// cannot be turned back into the link).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ShareListing {
    pub token_hash: String,
    pub created_by: String,
    pub filters: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A live share link: which survey and with which filters.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ShareRecord {
    pub survey_id: i64,
    pub filters: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn create_share(
        &self,
        token_hash: &str,
        survey_id: i64,
        user_id: i64,
        filters: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        on_pool!(self.write(), |pool| {
            sqlx::query(
                "INSERT INTO report_shares (token_hash, survey_id, created_by, filters, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(survey_id)
            .bind(user_id)
            .bind(filters)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The share behind a token hash, if it exists, has not expired, and its creator could
    /// still read the report (an active admin, or an active manager of the survey's brand):
    /// a link never outlives its creator's access.
    pub async fn live_share(&self, token_hash: &str) -> Result<Option<ShareRecord>, StoreError> {
        let sql = format!(
            "SELECT r.survey_id, r.filters, r.expires_at {LIVE_SHARES} AND r.token_hash = $2"
        );
        let share: Option<ShareRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql)
                .bind(now_ms())
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        });
        Ok(share)
    }

    /// The survey's working share links, newest first, for the report page.
    pub async fn live_shares(&self, survey_id: i64) -> Result<Vec<ShareListing>, StoreError> {
        let sql = format!(
            "SELECT r.token_hash, u.email AS created_by, r.filters, r.created_at, r.expires_at
             {LIVE_SHARES} AND r.survey_id = $2 ORDER BY r.created_at DESC, r.token_hash"
        );
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql)
                .bind(now_ms())
                .bind(survey_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Ends a share link of survey `survey_id` at once; false if there is no such link.
    pub async fn revoke_share(
        &self,
        survey_id: i64,
        brand_id: i64,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let n =
                sqlx::query("DELETE FROM report_shares WHERE survey_id = $1 AND token_hash = $2")
                    .bind(survey_id)
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n > 0 {
                audit(
                    &mut *tx,
                    actor,
                    "share_revoked",
                    Some(brand_id),
                    Some(survey_id),
                    &token_hash[..token_hash.len().min(12)],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(n > 0)
        })
    }

    pub async fn survey_by_id(
        &self,
        survey_id: i64,
    ) -> Result<Option<super::SurveyRow>, StoreError> {
        let slug: Option<(String,)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT slug FROM surveys WHERE id = $1")
                .bind(survey_id)
                .fetch_optional(pool)
                .await?
        });
        match slug {
            Some((slug,)) => self.survey_by_slug(&slug).await,
            None => Ok(None),
        }
    }
}

/// A user as the admin's user list shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub active: i64,
}

impl Store {
    pub async fn list_users(&self) -> Result<Vec<(UserSummary, Vec<i64>)>, StoreError> {
        let users: Vec<UserSummary> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, email, role, active FROM users ORDER BY email")
                .fetch_all(pool)
                .await?
        });
        let links: Vec<(i64, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT user_id, brand_id FROM user_brands")
                .fetch_all(pool)
                .await?
        });
        Ok(users
            .into_iter()
            .map(|u| {
                let brands = links
                    .iter()
                    .filter(|(user, _)| *user == u.id)
                    .map(|(_, b)| *b)
                    .collect();
                (u, brands)
            })
            .collect())
    }

    pub async fn list_brands(&self) -> Result<Vec<BrandSummary>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, slug, name FROM brands ORDER BY name")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Sets a user's password hash and ends every session of theirs except `keep` (the
    /// session of a user changing their own password). False if there is no such user.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            n
        });
        Ok(done > 0)
    }

    /// A user by id.
    pub async fn user_by_id(&self, user_id: i64) -> Result<Option<UserRecord>, StoreError> {
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as("SELECT id, email, password_hash, role, active FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Activates or deactivates a user; deactivation ends their sessions at once.
    /// Returns false if there is no such user.
    pub async fn set_user_active(&self, user_id: i64, active: bool) -> Result<bool, StoreError> {
        let done = on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
                .bind(i64::from(active))
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            n
        });
        Ok(done > 0)
    }
}
