//! The audit log: who ([`Actor`]) did which authoring action, written in the transaction of
//! the change itself, or on its own for changes made elsewhere (users and passwords), and
//! read back newest first.

use super::batch::{Batch, RunBatch};
use super::{now_ms, Store, StoreError};

/// Who did an authoring action, for the audit log (`None` user = the command line).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub email: String,
}

impl Actor {
    /// A signed-in staff member as the audit log names them.
    pub fn of(staff: &crate::domain::account::Staff) -> Actor {
        Actor {
            user_id: Some(staff.id),
            email: staff.email.clone(),
        }
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub survey_slug: Option<String>,
    pub brand_name: Option<String>,
    pub detail: String,
}

/// Adds a line to the audit log in the transaction open on `conn`.
pub(super) async fn audit<C: RunBatch>(
    conn: &mut C,
    actor: &Actor,
    action: &str,
    brand_id: Option<i64>,
    survey_id: Option<i64>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let mut insert = Batch::default();
    insert.push(
        "INSERT INTO audit_log (at, user_id, actor, action, brand_id, survey_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            now_ms().into(),
            actor.user_id.into(),
            actor.email.as_str().into(),
            action.into(),
            brand_id.into(),
            survey_id.into(),
            detail.into(),
        ],
    );
    conn.run_batch(insert).await
}

impl Store {
    /// One line in the audit log for a change made elsewhere (users and passwords).
    pub async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self.write(), |pool| {
            let mut conn = pool.acquire().await?;
            audit(&mut *conn, actor, action, None, None, detail).await?;
        });
        Ok(())
    }

    /// The newest audit lines, of one survey or of everything.
    pub async fn audit_log(
        &self,
        survey_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = "SELECT a.at, a.actor, a.action, s.slug AS survey_slug, b.name AS brand_name, a.detail
             FROM audit_log a LEFT JOIN surveys s ON s.id = a.survey_id LEFT JOIN brands b ON b.id = a.brand_id
             WHERE ($1 IS NULL OR a.survey_id = $1) ORDER BY a.id DESC LIMIT $2";
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(sql)
                .bind(survey_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }
}
