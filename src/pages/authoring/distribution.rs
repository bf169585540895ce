//! The builder's distribution section: the public link and its QR code, who may answer,
//! and single-use invite links.

use leptos::prelude::*;

use super::builder::BuilderModel;
use crate::i18n::AuthoringUi;

/// The distribution section of the builder.
pub(super) fn distribution_section(t: &AuthoringUi, m: &BuilderModel, base: &str) -> impl IntoView {
    let slug = &m.def.slug;
    view! {
        <section class="card" aria-labelledby="distribution">
            <h2 id="distribution">{t.distribution}</h2>
            <p>{t.public_link}<a href=m.public_url.clone()><code>{m.public_url.clone()}</code></a></p>
            <img src=format!("{base}/qr.svg") width="160" height="160" alt=t.qr_alt/>
            <p><a href=format!("{base}/qr.svg") download=format!("{slug}-qr.svg")>{t.qr_download}</a></p>
            <form method="post" action=format!("{base}/distribution") class="stack-form">
                <label class="check"><input type="checkbox" name="invite_only" value="1" checked=m.invite_only/>
                    {t.invite_only}</label>
                <label class="check"><input type="checkbox" name="one_per_browser" value="1" checked=m.one_per_browser/>
                    {t.one_per_browser}</label>
                <button type="submit" class="button secondary">{t.save_distribution}</button>
            </form>
            <form method="post" action=format!("{base}/invites") class="stack-form">
                <p class="hint">{(t.invite_counts)(m.invites_created, m.invites_used)}</p>
                <div class="field">
                    <label for="invite-count">{t.invite_count_label}</label>
                    <input type="number" id="invite-count" name="count" value="50" min="1" max="10000"/>
                </div>
                <button type="submit" class="button secondary">{t.create_invites}</button>
            </form>
        </section>
    }
}
