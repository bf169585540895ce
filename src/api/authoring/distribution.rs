//! Distribution: who may answer (invite only, one response per browser), single-use invite
//! links and the public link's QR code.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{admin_survey, download};
use crate::api::auth::Admin;
use crate::api::web::{public_origin, Form, Req};
use crate::api::AppState;
use crate::db::{Actor, Distribution};
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::Reply;
use crate::tokens::{hash_token, new_token};

/// The distribution form of the builder.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DistributionPost {
    invite_only: String,
    one_per_browser: String,
}

pub async fn distribution(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    Form(form): Form<DistributionPost>,
) -> Result<Reply, Problem> {
    let survey = admin_survey(&app, &slug).await?;
    let d = Distribution {
        invite_only: form.invite_only == "1",
        one_per_browser: form.one_per_browser == "1",
    };
    app.store
        .set_distribution(survey.id, survey.brand_id, d, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/admin/surveys/{slug}?done=distribution#distribution"
    )))
}

/// Most invite links made at once (a CSV of this many lines is ~1 MB).
const MAX_INVITES: usize = 10_000;

/// The invite links form of the builder.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct InvitesPost {
    count: String,
}

/// Creates N single-use invite links and downloads them as CSV (the tokens exist only in
/// this download: the database keeps their hashes).
pub async fn invites(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Admin(staff): Admin,
    req: Req,
    Form(InvitesPost { count }): Form<InvitesPost>,
) -> Result<Response, Problem> {
    let survey = admin_survey(&app, &slug).await?;
    let count: usize = Some(count.trim())
        .and_then(|c| c.parse().ok())
        .filter(|n| (1..=MAX_INVITES).contains(n))
        .ok_or_else(|| Problem::Invalid {
            detail: authoring_ui(req.locale).invite_count_invalid.into(),
        })?;
    let tokens: Vec<String> = (0..count).map(|_| new_token()).collect();
    let hashes: Vec<String> = tokens.iter().map(|t| hash_token(t)).collect();
    app.store
        .create_invites(survey.id, survey.brand_id, &hashes, &Actor::of(&staff))
        .await?;
    let origin = public_origin(&req.headers, app.config.cookie_secure);
    let mut csv = String::from("n,invite_link\r\n");
    for (i, token) in tokens.iter().enumerate() {
        csv.push_str(&format!("{},{origin}/s/{slug}/i/{token}\r\n", i + 1));
    }
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{slug}-invites.csv"),
        csv,
    ))
}

/// The public link as a QR code (SVG), for posters and receipts.
pub async fn qr(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    _: Admin,
    req: Req,
) -> Result<Response, Problem> {
    if !app.store.survey_exists(&slug).await? {
        return Err(Problem::PageNotFound);
    }
    let url = format!(
        "{}/s/{slug}",
        public_origin(&req.headers, app.config.cookie_secure)
    );
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| Problem::BadRequest(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}
