//! Invitations by e-mail: the send screen (a manager of the brand or an admin uploads
//! contacts, previews, sends invitations and reminders, deletes a contact) and the public
//! one-click unsubscribe (RFC 8058).

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;

use super::auth::SignedIn;
use super::web::{chrome, public_origin, staff_chrome, Form, Req};
use super::AppState;
use crate::db::{Actor, SurveyRow, SurveyStatus};
use crate::domain::account::Staff;
use crate::domain::contacts::{read_contacts, UploadProblem};
use crate::domain::survey::is_slug;
use crate::domain::Locale;
use crate::error::Problem;
use crate::i18n::invitations_ui;
use crate::mailer::{invite_token, link_key, unsubscribe_token};
use crate::pages::invitations::{send_screen_view, unsubscribe_view, Preview, SendScreen};
use crate::pages::{render_document, Reply};
use crate::tokens::{hash_token, is_token};

/// Largest contact list upload (about 20,000 contacts with a few segment columns).
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;
/// Contacts listed on the send screen (the newest).
const LISTED: i64 = 200;

/// The survey `slug` if the staff member may work with its brand (else "not found").
async fn brand_survey(app: &AppState, staff: &Staff, slug: &str) -> Result<SurveyRow, Problem> {
    if !is_slug(slug) {
        return Err(Problem::SurveyNotFound);
    }
    app.store
        .survey_by_slug(slug)
        .await?
        .filter(|s| staff.may_read_brand(s.brand_id))
        .ok_or(Problem::SurveyNotFound)
}

/// The screen's notice from the redirect that brought the user back.
fn notice(req: &Req) -> Option<String> {
    let t = invitations_ui(req.locale);
    let n = |name| req.param(name).and_then(|v| v.parse().ok()).unwrap_or(0);
    match req.param("done")? {
        "uploaded" => Some((t.uploaded)(n("n") as u64, n("merged"))),
        "queued" => Some((t.queued)(n("n"), n("held"))),
        "deleted" => Some(t.deleted.to_string()),
        _ => None,
    }
}

/// The invitation in both languages, with sample links (the real ones are per contact).
fn previews(app: &AppState, req: &Req, survey: &SurveyRow) -> Vec<Preview> {
    let base = app
        .config
        .public_base_url
        .clone()
        .unwrap_or_else(|| public_origin(&req.headers, app.config.cookie_secure));
    let base = base.trim_end_matches('/');
    let link = format!("{base}/s/{}/i/…", survey.slug);
    let unsubscribe = format!("{base}/u/…");
    [Locale::Vi, Locale::En]
        .into_iter()
        .map(|locale| {
            let t = invitations_ui(locale);
            Preview {
                locale,
                subject: (t.mail_subject)(&survey.brand_name, false),
                body: (t.mail_body)("An", &survey.brand_name, &link, &unsubscribe, false),
            }
        })
        .collect()
}

async fn screen(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    survey: &SurveyRow,
    (status, problems): (StatusCode, Vec<String>),
) -> Result<Reply, Problem> {
    let (contacts, total) = app.store.contacts(survey.brand_id, LISTED).await?;
    let cap = app.config.mail_cap;
    let screen = SendScreen {
        slug: survey.slug.clone(),
        open: survey.status == SurveyStatus::Open,
        smtp: app.config.smtp_url.is_some(),
        cap,
        contacts,
        total,
        plan: app.store.send_plan(survey.brand_id, survey.id, cap).await?,
        queue: app.store.queue_counts(survey.id).await?,
        previews: previews(app, req, survey),
        notice: notice(req),
        problems,
    };
    let title = (invitations_ui(req.locale).title)(&survey.slug);
    let path = format!("/invitations/{}", survey.slug);
    let c = staff_chrome(
        req.locale,
        staff,
        title,
        Some(survey.brand_name.clone()),
        path,
    );
    Ok(Reply::page(
        status,
        render_document(&app.site, c, send_screen_view(req.locale, screen)),
    ))
}

/// `GET /invitations/{slug}`: the send screen.
pub async fn page(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
    let survey = brand_survey(&app, &staff, &slug).await?;
    screen(&app, &req, &staff, &survey, (StatusCode::OK, Vec::new())).await
}

/// The uploaded file's bytes (the form's `file` field), or `None` if there is none.
async fn uploaded_file(mut form: Multipart) -> Result<Option<Vec<u8>>, Problem> {
    let bad = |e: axum::extract::multipart::MultipartError| Problem::BadRequest(e.body_text());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(bad)?;
            return Ok((!bytes.is_empty()).then(|| bytes.to_vec()));
        }
    }
    Ok(None)
}

/// `POST /invitations/{slug}/contacts`: adds an uploaded contact list to the brand's.
/// Any bad row refuses the whole list (422, the rows named in the user's language).
pub async fn upload(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
    form: Multipart,
) -> Result<Reply, Problem> {
    let survey = brand_survey(&app, &staff, &slug).await?;
    let t = invitations_ui(req.locale);
    let read = match uploaded_file(form).await? {
        Some(bytes) => read_contacts(&bytes, req.locale),
        None => Err(vec![UploadProblem::Empty]),
    };
    let list = match read {
        Ok(list) => list,
        Err(problems) => {
            let problems = problems.iter().map(|p| (t.problem)(p)).collect();
            let refused = (StatusCode::UNPROCESSABLE_ENTITY, problems);
            return screen(&app, &req, &staff, &survey, refused).await;
        }
    };
    let key = link_key(&app.store).await?;
    let brand_id = survey.brand_id;
    let hash = |email: &str| hash_token(&unsubscribe_token(&key, brand_id, email));
    let added = app
        .store
        .upsert_contacts(brand_id, &list.contacts, &hash, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/invitations/{slug}?done=uploaded&n={added}&merged={}",
        list.merged
    )))
}

/// Refuses a send that could not go out: no SMTP configured, or the survey not open.
fn check_can_send(app: &AppState, req: &Req, survey: &SurveyRow) -> Result<(), Problem> {
    let t = invitations_ui(req.locale);
    let refusal = if app.config.smtp_url.is_none() {
        Some(t.no_smtp)
    } else if survey.status != SurveyStatus::Open {
        Some(t.not_open)
    } else {
        None
    };
    match refusal {
        Some(detail) => Err(Problem::Invalid {
            detail: detail.into(),
        }),
        None => Ok(()),
    }
}

/// `POST /invitations/{slug}/send`: queues the survey's invitation to every contact the
/// plan reaches (the cap and unsubscribes hold), each with its own single-use invite.
pub async fn send(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
) -> Result<Reply, Problem> {
    let survey = brand_survey(&app, &staff, &slug).await?;
    check_can_send(&app, &req, &survey)?;
    let key = link_key(&app.store).await?;
    let survey_id = survey.id;
    let hash = |contact_id| hash_token(&invite_token(&key, survey_id, contact_id));
    let ids = (survey.brand_id, survey.id);
    let plan = app
        .store
        .queue_invitations(ids, app.config.mail_cap, &hash, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/invitations/{slug}?done=queued&n={}&held={}",
        plan.to_queue.len(),
        plan.held_by_cap
    )))
}

/// The reminders form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RemindPost {
    days: String,
}

/// `POST /invitations/{slug}/remind`: queues reminders to the contacts who have not
/// completed, `days` after their last message, two at most.
pub async fn remind(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(staff): SignedIn,
    req: Req,
    Form(RemindPost { days }): Form<RemindPost>,
) -> Result<Reply, Problem> {
    let survey = brand_survey(&app, &staff, &slug).await?;
    let days: i64 = days
        .trim()
        .parse()
        .ok()
        .filter(|d| (0..=60).contains(d))
        .ok_or_else(|| Problem::Invalid {
            detail: invitations_ui(req.locale).days_invalid.into(),
        })?;
    check_can_send(&app, &req, &survey)?;
    let ids = (survey.brand_id, survey.id);
    let (queued, held) = app
        .store
        .queue_reminders(ids, days, app.config.mail_cap, &Actor::of(&staff))
        .await?;
    Ok(Reply::redirect(format!(
        "/invitations/{slug}?done=queued&n={queued}&held={held}"
    )))
}

/// `POST /invitations/{slug}/contacts/{id}/delete`: deletes a contact of the survey's
/// brand with all their messages.
pub async fn delete_contact(
    State(app): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    SignedIn(staff): SignedIn,
) -> Result<Reply, Problem> {
    let survey = brand_survey(&app, &staff, &slug).await?;
    let id: i64 = id.parse().map_err(|_| Problem::PageNotFound)?;
    if !app
        .store
        .delete_contact(survey.brand_id, id, &Actor::of(&staff))
        .await?
    {
        return Err(Problem::PageNotFound);
    }
    Ok(Reply::redirect(format!("/invitations/{slug}?done=deleted")))
}

fn unsubscribe_reply(
    app: &AppState,
    locale: Locale,
    brand: String,
    confirm: Option<String>,
    token: &str,
) -> Reply {
    let t = invitations_ui(locale);
    let path = format!("/u/{token}");
    let c = chrome(
        locale,
        t.unsubscribe_title.to_string(),
        Some(brand.clone()),
        path.clone(),
    );
    Reply::page(
        StatusCode::OK,
        render_document(&app.site, c, unsubscribe_view(locale, brand, confirm, path)),
    )
}

/// `GET /u/{token}`: asks to confirm (a GET changes nothing: link scanners follow links).
pub async fn unsubscribe_page(
    State(app): State<AppState>,
    Path(token): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    if !is_token(&token) {
        return Err(Problem::LinkInvalid);
    }
    let (brand, email) = app
        .store
        .unsubscribe_target(&hash_token(&token))
        .await?
        .ok_or(Problem::LinkInvalid)?;
    Ok(unsubscribe_reply(
        &app,
        req.locale,
        brand,
        Some(email),
        &token,
    ))
}

/// `POST /u/{token}`: unsubscribes at once from every survey e-mail of the brand. Mail
/// providers post here for one-click unsubscribe (no cookies, no `Origin`): the token is
/// the authority, and the work is one indexed lookup and two writes.
pub async fn unsubscribe(
    State(app): State<AppState>,
    Path(token): Path<String>,
    req: Req,
) -> Result<Reply, Problem> {
    if !is_token(&token) {
        return Err(Problem::LinkInvalid);
    }
    let brand = app
        .store
        .unsubscribe(&hash_token(&token))
        .await?
        .ok_or(Problem::LinkInvalid)?;
    tracing::info!("unsubscribed");
    Ok(unsubscribe_reply(&app, req.locale, brand, None, &token))
}
