//! Share links: the sharing card under a staff member's report (create a read-only link,
//! list and revoke the working ones) and the page shown once a link is created.

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::{staff_ui, StaffUi};

/// The sharing card of a staff member's report: the expiry a new link gets by default,
/// the survey's working links, and what was just done.
pub struct Sharing {
    pub default_expiry: String,
    pub links: Vec<LiveShare>,
    pub revoked: bool,
}

/// A working share link as listed (dates already formatted as days).
pub struct LiveShare {
    pub id: String,
    pub created_by: String,
    pub filters: String,
    pub created: String,
    pub expires: String,
}

pub(super) fn share_card(
    t: &'static StaffUi,
    slug: &str,
    filters: String,
    sharing: Sharing,
) -> impl IntoView {
    let Sharing {
        default_expiry,
        links,
        revoked,
    } = sharing;
    let revoked = revoked.then(|| view! { <p class="notice" role="status">{t.share_revoked}</p> });
    let listed = if links.is_empty() {
        view! { <p class="empty">{t.share_none}</p> }.into_any()
    } else {
        live_links(t, slug, links).into_any()
    };
    view! {
        <section class="card no-print" aria-labelledby="share-title">
            <h2 id="share-title">{t.share_title}</h2>
            {revoked}
            <p>{t.share_lead}</p>
            <form method="post" action=format!("/reports/{slug}/share") class="filters">
                <input type="hidden" name="filters" value=filters/>
                <div class="filter">
                    <label for="share-expires">{t.share_expires}</label>
                    <input type="date" id="share-expires" name="expires" value=default_expiry required/>
                </div>
                <div class="filter">
                    <button type="submit" class="button secondary">{t.share_create}</button>
                </div>
            </form>
            {listed}
        </section>
    }
}

/// A list, not a table: it reads on a phone without sideways scrolling.
fn live_links(t: &'static StaffUi, slug: &str, links: Vec<LiveShare>) -> impl IntoView {
    let items = links
        .into_iter()
        .map(|l| live_link(t, slug, l))
        .collect_view();
    view! {
        <h3 id="share-live">{t.share_live_title}</h3>
        <ul class="share-links" aria-labelledby="share-live">{items}</ul>
    }
}

fn live_link(t: &'static StaffUi, slug: &str, l: LiveShare) -> impl IntoView {
    let filters = if l.filters.is_empty() {
        view! { <span>{t.share_all_responses}</span> }.into_any()
    } else {
        view! { <code>{l.filters}</code> }.into_any()
    };
    let label = (t.share_revoke_label)(&l.created_by, &l.created);
    view! {
        <li class="share-link">
            <dl>
                <dt>{t.share_col_by}</dt><dd>{l.created_by}</dd>
                <dt>{t.share_col_filters}</dt><dd>{filters}</dd>
                <dt>{t.share_col_created}</dt><dd>{l.created}</dd>
                <dt>{t.share_col_expires}</dt><dd>{l.expires}</dd>
            </dl>
            <form method="post" action=format!("/reports/{slug}/shares/revoke")>
                <input type="hidden" name="share" value=l.id/>
                <button type="submit" class="button secondary" aria-label=label>{t.share_revoke}</button>
            </form>
        </li>
    }
}

pub fn share_created_view(
    locale: Locale,
    url: String,
    expires: String,
    back: String,
) -> impl IntoView {
    let t = staff_ui(locale);
    let href = url.clone();
    view! {
        <section class="card" aria-labelledby="share-created">
            <h1 id="share-created" tabindex="-1">{t.share_created_title}</h1>
            <p>{(t.share_created_body)(&expires)}</p>
            <p><a class="share-url" href=href>{url}</a></p>
            <p><a class="button secondary" href=back>{t.share_back}</a></p>
        </section>
    }
}
