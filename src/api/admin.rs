//! Admins manage people: list users, create an admin or a brand manager (with a random
//! first password shown once), choose a manager's brands, deactivate and reactivate.
//! Only admins reach these handlers (the `Admin` extractor); anyone else gets "not found".

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::auth::{hash_in_slot, Admin};
use super::web::{staff_chrome, Form, Req};
use super::AppState;
use crate::accounts::{create_staff, first_password, AccountError};
use crate::db::Actor;
use crate::domain::account::{normalize_email, Role, Staff};
use crate::error::Problem;
use crate::i18n::staff_ui;
use crate::pages::admin::{
    password_reset_view, user_created_view, users_view, BrandChoice, UserRow,
};
use crate::pages::{render_document, Reply};

const USERS: &str = "/admin/users";

fn page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    title: &str,
    body: impl leptos::IntoView + 'static,
) -> Reply {
    let c = staff_chrome(req.locale, staff, title.to_string(), None, USERS.into());
    Reply::page(StatusCode::OK, render_document(&app.site, c, body))
}

pub async fn users(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let brands = app.store.list_brands().await?;
    let rows = app
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|(u, brand_ids)| UserRow {
            brand_ids: brand_ids.clone(),
            id: u.id,
            email: u.email,
            admin: u.role == Role::Admin.as_str(),
            active: u.active != 0,
            brands: brands
                .iter()
                .filter(|b| brand_ids.contains(&b.id))
                .map(|b| b.name.clone())
                .collect(),
            is_me: u.id == staff.id,
        })
        .collect();
    let t = staff_ui(req.locale);
    Ok(page(
        &app,
        &req,
        &staff,
        t.users_title,
        users_view(
            req.locale,
            rows,
            brands
                .into_iter()
                .map(|b| BrandChoice {
                    id: b.id,
                    name: b.name,
                })
                .collect(),
        ),
    ))
}

pub async fn create(
    State(app): State<AppState>,
    Admin(staff): Admin,
    req: Req,
    Form(UserPost { email, role, brand }): Form<UserPost>,
) -> Result<Reply, Problem> {
    let t = staff_ui(req.locale);
    let role = match role.as_str() {
        "admin" => Role::Admin,
        _ => Role::Manager,
    };
    let brand_ids = chosen_brands(&app, &brand).await?;
    if role == Role::Manager && brand_ids.is_empty() {
        return Err(Problem::Invalid {
            detail: t.user_needs_brand.to_string(),
        });
    }
    // A first password nobody chose: shown once to the admin, who passes it on.
    let password = first_password();
    let id = match create_staff(&app.store, &email, &password, role).await {
        Ok(id) => id,
        Err(AccountError::BadEmail) => {
            return Err(Problem::Invalid {
                detail: t.user_bad_email.to_string(),
            })
        }
        Err(AccountError::Store(crate::db::StoreError::EmailTaken(_))) => {
            return Err(Problem::Invalid {
                detail: t.user_exists.to_string(),
            })
        }
        Err(e) => return Err(Problem::BadRequest(e.to_string())),
    };
    if role == Role::Manager {
        for &brand in &brand_ids {
            app.store.assign_brand(id, brand).await?;
        }
    }
    tracing::info!(user_id = id, by = staff.id, "user created");
    // As stored (create_staff accepted it, so it normalises).
    let email = normalize_email(&email).unwrap_or(email);
    let detail = format!("{email} ({}; brands {brand_ids:?})", role.as_str());
    app.store
        .record_audit(&Actor::of(&staff), "user_created", &detail)
        .await?;
    Ok(page(
        &app,
        &req,
        &staff,
        t.user_created_title,
        user_created_view(req.locale, email, password),
    ))
}

/// A new user: their e-mail address, role, and (for a manager) the brands they read.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct UserPost {
    email: String,
    role: String,
    /// The ticked `brand` checkboxes (brand ids).
    brand: Vec<String>,
}

/// A manager's brands: the ticked `brand` checkboxes.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BrandsPost {
    brand: Vec<String>,
}

/// The known brands among the ticked ids; unknown ids are ignored.
async fn chosen_brands(app: &AppState, ticked: &[String]) -> Result<Vec<i64>, Problem> {
    let known = app.store.list_brands().await?;
    Ok(ticked
        .iter()
        .filter_map(|v| v.parse::<i64>().ok())
        .filter(|id| known.iter().any(|b| b.id == *id))
        .collect())
}

/// Changes which brands a manager reads.
pub async fn set_brands(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Admin(staff): Admin,
    req: Req,
    Form(BrandsPost { brand }): Form<BrandsPost>,
) -> Result<Reply, Problem> {
    let brand_ids = chosen_brands(&app, &brand).await?;
    if brand_ids.is_empty() {
        return Err(Problem::Invalid {
            detail: staff_ui(req.locale).user_needs_brand.to_string(),
        });
    }
    let manager = app
        .store
        .user_by_id(id)
        .await?
        .filter(|u| u.role == Role::Manager.as_str())
        .ok_or(Problem::PageNotFound)?;
    app.store.set_user_brands(id, &brand_ids).await?;
    tracing::info!(user_id = id, by = staff.id, "manager brands changed");
    let detail = format!("{}: brands {brand_ids:?}", manager.email);
    app.store
        .record_audit(&Actor::of(&staff), "user_brands_changed", &detail)
        .await?;
    Ok(Reply::redirect(USERS))
}

/// Deactivating (`active=0`) or reactivating (`active=1`) a user.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActivePost {
    active: String,
}

pub async fn set_active(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Admin(staff): Admin,
    req: Req,
    Form(ActivePost { active }): Form<ActivePost>,
) -> Result<Reply, Problem> {
    let active = active == "1";
    if id == staff.id && !active {
        // Locking oneself out would leave nobody able to undo it.
        return Err(Problem::Invalid {
            detail: staff_ui(req.locale).user_not_self.to_string(),
        });
    }
    let user = app
        .store
        .user_by_id(id)
        .await?
        .ok_or(Problem::PageNotFound)?;
    app.store.set_user_active(id, active).await?;
    let action = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    app.store
        .record_audit(&Actor::of(&staff), action, &user.email)
        .await?;
    tracing::info!(
        user_id = id,
        active,
        by = staff.id,
        "user activation changed"
    );
    Ok(Reply::redirect(USERS))
}

/// Gives a user a new password nobody chose, shown once to the admin; their sessions end.
pub async fn reset_password(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let user = app
        .store
        .user_by_id(id)
        .await?
        .ok_or(Problem::PageNotFound)?;
    let password = first_password();
    let hash = hash_in_slot(&app, password.clone()).await?;
    app.store.set_password(id, &hash, None).await?;
    app.store
        .record_audit(&Actor::of(&staff), "password_reset", &user.email)
        .await?;
    tracing::info!(user_id = id, by = staff.id, "password reset");
    let t = staff_ui(req.locale);
    Ok(page(
        &app,
        &req,
        &staff,
        t.password_reset_title,
        password_reset_view(req.locale, user.email, password),
    ))
}
