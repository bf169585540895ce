//! The invitations send screen (contact list, preview, send, reminders, queue) and the
//! public unsubscribe page.

use leptos::prelude::*;

use crate::db::{ContactSummary, QueueCounts};
use crate::domain::contacts::SendPlan;
use crate::domain::Locale;
use crate::i18n::invitations_ui;

/// One language's preview of the invitation: subject and body.
pub struct Preview {
    pub locale: Locale,
    pub subject: String,
    pub body: String,
}

/// What the send screen shows.
pub struct SendScreen {
    pub slug: String,
    pub open: bool,
    pub smtp: bool,
    pub cap: i64,
    pub contacts: Vec<ContactSummary>,
    pub total: i64,
    pub plan: SendPlan,
    pub queue: QueueCounts,
    pub previews: Vec<Preview>,
    pub notice: Option<String>,
    /// Upload problems, already in the user's language (the list was not saved).
    pub problems: Vec<String>,
}

pub fn send_screen_view(locale: Locale, s: SendScreen) -> impl IntoView {
    let t = invitations_ui(locale);
    let base = format!("/invitations/{}", s.slug);
    let notice = s
        .notice
        .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let problems = (!s.problems.is_empty()).then(|| {
        let items = s
            .problems
            .into_iter()
            .map(|p| view! { <li>{p}</li> })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" id="upload-problems">
                <p>{t.upload_problems}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    view! {
        <section class="card" aria-labelledby="invitations-title">
            <h1 id="invitations-title" tabindex="-1">{(t.title)(&s.slug)}</h1>
            <p class="lead">{t.lead}</p>
            {notice}
            {(!s.smtp).then(|| view! { <p class="error-summary" role="alert">{t.no_smtp}</p> })}
            {(!s.open).then(|| view! { <p class="error-summary">{t.not_open}</p> })}
            <p>{t.anonymous}</p>
        </section>
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">{t.upload_title}</h2>
            <p>{t.upload_hint}</p>
            {problems}
            <form method="post" action=format!("{base}/contacts") enctype="multipart/form-data" class="stack-form">
                <label for="contacts-file">{t.upload_label}</label>
                <input type="file" id="contacts-file" name="file" accept=".csv,text/csv" required/>
                <button type="submit" class="button">{t.upload}</button>
            </form>
            {contacts_view(locale, &base, s.total, s.contacts)}
        </section>
        {previews_view(locale, s.previews)}
        <section class="card" aria-labelledby="send-title">
            <h2 id="send-title">{t.send_title}</h2>
            <p id="send-plan">
                {(t.plan)(s.plan.to_queue.len(), s.plan.held_by_cap, s.cap, s.plan.unsubscribed, s.plan.already_invited)}
            </p>
            <form method="post" action=format!("{base}/send")>
                <button type="submit" class="button primary">{t.send}</button>
            </form>
        </section>
        <section class="card" aria-labelledby="remind-title">
            <h2 id="remind-title">{t.remind_title}</h2>
            <p>{t.remind_lead}</p>
            <form method="post" action=format!("{base}/remind") class="stack-form">
                <label for="remind-days">{t.remind_days}</label>
                <input type="number" id="remind-days" name="days" min="0" max="60" value="3" required/>
                <button type="submit" class="button">{t.remind}</button>
            </form>
        </section>
        <section class="card" aria-labelledby="queue-title">
            <h2 id="queue-title">{t.queue_title}</h2>
            <p id="queue-status" role="status">
                {(t.queue)(s.queue.queued + s.queue.sending, s.queue.sent, s.queue.failed, s.queue.cancelled)}
            </p>
            <a class="button" href=base.clone()>{t.refresh}</a>
        </section>
    }
}

fn previews_view(locale: Locale, previews: Vec<Preview>) -> impl IntoView {
    let t = invitations_ui(locale);
    let items = previews
        .into_iter()
        .map(|p| {
            let id = format!("preview-{}", p.locale.code());
            view! {
                <figure class="mail-preview" id=id lang=p.locale.code()>
                    <figcaption><strong>{p.subject}</strong></figcaption>
                    <pre>{p.body}</pre>
                </figure>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="preview-title">
            <h2 id="preview-title">{t.preview_title}</h2>
            {items}
        </section>
    }
}

fn contacts_view(
    locale: Locale,
    base: &str,
    total: i64,
    contacts: Vec<ContactSummary>,
) -> impl IntoView {
    let t = invitations_ui(locale);
    let unsubscribed = contacts.iter().filter(|c| c.unsubscribed).count();
    let rows = contacts
        .into_iter()
        .map(|c| {
            let action = format!("{base}/contacts/{}/delete", c.id);
            let label = format!("{} {}", t.delete, c.email);
            view! {
                <tr>
                    <td>{c.email}</td>
                    <td>{c.name}</td>
                    <td>{c.locale}</td>
                    <td>{c.unsubscribed.then_some(t.unsubscribed)}</td>
                    <td>
                        <form method="post" action=action>
                            <button type="submit" class="button small" aria-label=label>{t.delete}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p id="contacts-count">{(t.contacts_count)(total, unsubscribed)}</p>
        // Long addresses scroll sideways inside the card instead of widening a phone's page.
        <div class="table-scroll">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t.contact_email}</th>
                        <th scope="col">{t.contact_name}</th>
                        <th scope="col">{t.contact_language}</th>
                        <th scope="col">{t.status}</th>
                        <th scope="col">{t.delete}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The unsubscribe page: a confirm button (`Some(address)`), or the outcome (`None`).
pub fn unsubscribe_view(
    locale: Locale,
    brand: String,
    confirm: Option<String>,
    action: String,
) -> impl IntoView {
    let t = invitations_ui(locale);
    let body = match confirm {
        Some(email) => view! {
            <p>{(t.unsubscribe_confirm)(&brand, &email)}</p>
            <form method="post" action=action>
                <button type="submit" class="button primary">{t.unsubscribe_button}</button>
            </form>
        }
        .into_any(),
        None => view! { <p role="status">{(t.unsubscribed_done)(&brand)}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="unsubscribe-title">
            <h1 id="unsubscribe-title" tabindex="-1">{t.unsubscribe_title}</h1>
            {body}
        </section>
    }
}
