//! Every route of the app, in groups by who uses them, recorded so that `route_table`
//! can list them (the hostile test attacks each).

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;

use crate::api::invitations::{self as inv, MAX_UPLOAD_BYTES};
use crate::api::respondent as r;
use crate::api::AppState;
use crate::api::{admin, auth, authoring as au, listening, reports};

use super::MAX_IMPORT_BYTES;

/// The app's own routes (assets and the fallback are added by `router`), recorded as they
/// are added so that `route_table` can list them: the hostile run covers every route from
/// it, so a new route is attacked without editing the test.
pub(super) fn routes() -> Routes {
    respondent_routes(Routes::default())
        .then(staff_routes)
        .then(admin_routes)
}

/// What respondents use (and the health checks).
fn respondent_routes(routes: Routes) -> Routes {
    routes
        .route("/", get(r::home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/s/{slug}", get(r::entry))
        .route("/s/{slug}/start", axum::routing::post(r::start))
        .route("/s/{slug}/p/{page}", get(r::show_page).post(r::post_page))
        .route("/s/{slug}/later", get(r::later))
        .route("/s/{slug}/r/{token}", get(r::resume).post(r::resume_switch))
        .route("/s/{slug}/thanks", get(r::thanks))
        .route(
            "/s/{slug}/delete/{token}",
            get(r::delete_confirm).post(r::delete),
        )
        .route("/s/{slug}/i/{token}", get(r::invite))
        // One-click unsubscribe from e-mails: public, exempt from the origin check (layers).
        .route(
            "/u/{token}",
            get(inv::unsubscribe_page).post(inv::unsubscribe),
        )
}

/// Signing in, passwords and reports (admins and brand managers).
fn staff_routes(routes: Routes) -> Routes {
    routes
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route(
            "/account/password",
            get(auth::password_page).post(auth::change_password),
        )
        .route("/reports/{slug}", get(reports::show))
        .route("/reports/{slug}/report.json", get(reports::json))
        .route("/reports/{slug}/compare", get(reports::compare))
        .route("/reports/{slug}/compare.json", get(reports::compare_json))
        .route("/reports/{slug}/responses.csv", get(reports::csv))
        .route("/reports/{slug}/share", axum::routing::post(reports::share))
        .route(
            "/reports/{slug}/weighting",
            axum::routing::post(reports::set_weighting),
        )
        .route(
            "/reports/{slug}/shares/revoke",
            axum::routing::post(reports::revoke_share),
        )
        .route("/reports/{slug}/listening", get(listening::show))
        .route(
            "/reports/{slug}/listening/code",
            axum::routing::post(listening::code),
        )
        .route(
            "/reports/{slug}/listening/masking",
            axum::routing::post(listening::masking),
        )
        .route("/shared/{token}", get(reports::shared))
        .route("/reports", get(reports::list))
        .then(invitation_routes)
}

/// Invitations by e-mail (a manager of the brand or an admin).
fn invitation_routes(routes: Routes) -> Routes {
    routes
        .route("/invitations/{slug}", get(inv::page))
        .route(
            "/invitations/{slug}/contacts",
            axum::routing::post(inv::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/invitations/{slug}/send", axum::routing::post(inv::send))
        .route(
            "/invitations/{slug}/remind",
            axum::routing::post(inv::remind),
        )
        .route(
            "/invitations/{slug}/contacts/{id}/delete",
            axum::routing::post(inv::delete_contact),
        )
}

/// The admins' tools: people, brands, surveys and their distribution.
fn admin_routes(routes: Routes) -> Routes {
    routes
        .route("/admin/users", get(admin::users).post(admin::create))
        .route(
            "/admin/users/{id}/password",
            axum::routing::post(admin::reset_password),
        )
        .route(
            "/admin/users/{id}/active",
            axum::routing::post(admin::set_active),
        )
        .route(
            "/admin/users/{id}/brands",
            axum::routing::post(admin::set_brands),
        )
        .route("/admin", get(au::dashboard))
        .route("/admin/audit", get(au::audit))
        .route(
            "/admin/import",
            get(au::import_form)
                .post(au::import)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/admin/brands", axum::routing::post(au::brand_create))
        .route("/admin/brands/new", get(au::brand_new))
        .route(
            "/admin/brands/{slug}",
            get(au::brand_show).post(au::brand_update),
        )
        .route(
            "/admin/brands/{slug}/keywords",
            axum::routing::post(listening::save_keywords),
        )
        .route(
            "/admin/brands/{slug}/surveys",
            axum::routing::post(au::survey_create),
        )
        .route("/admin/surveys/{slug}", get(au::builder))
        .route("/admin/surveys/{slug}/edit", axum::routing::post(au::edit))
        .route(
            "/admin/surveys/{slug}/q/{key}",
            get(au::question_show).post(au::question_save),
        )
        .route(
            "/admin/surveys/{slug}/publish",
            axum::routing::post(au::publish),
        )
        .route(
            "/admin/surveys/{slug}/status",
            axum::routing::post(au::status),
        )
        .route(
            "/admin/surveys/{slug}/duplicate",
            axum::routing::post(au::duplicate),
        )
        .route("/admin/surveys/{slug}/export", get(au::export))
        .route(
            "/admin/surveys/{slug}/distribution",
            axum::routing::post(au::distribution),
        )
        .route(
            "/admin/surveys/{slug}/invites",
            axum::routing::post(au::invites),
        )
        .route("/admin/surveys/{slug}/qr.svg", get(au::qr))
        .route(
            "/admin/surveys/{slug}/preview",
            get(r::preview).post(r::preview_post),
        )
        .route("/admin/surveys/{slug}/responses", get(au::responses))
        .route("/admin/surveys/{slug}/responses/{id}", get(au::response))
}

/// Every route path of the app, as registered (`/s/{slug}/p/{page}`, …).
pub fn route_table() -> Vec<&'static str> {
    routes().paths
}

#[derive(Default)]
pub(super) struct Routes {
    pub(super) router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    /// Adds the routes `add` registers (a group of routes as a function).
    fn then(self, add: fn(Routes) -> Routes) -> Routes {
        add(self)
    }

    fn route(mut self, path: &'static str, handler: MethodRouter<AppState>) -> Routes {
        self.paths.push(path);
        self.router = self.router.route(path, handler);
        self
    }
}

/// `/readyz`: the database answers and migrations are applied (they run before we listen).
async fn readyz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}
