//! The brand page's keyword lists: per stated value, the words (Vietnamese and English)
//! that suggest the value as a code for customers' written answers (`domain::listening`).

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::listening_ui;

/// One stated value's keyword boxes as stored (one keyword a line).
pub struct KeywordRow {
    pub key: String,
    pub label: String,
    pub vi: String,
    pub en: String,
}

pub fn keywords_view(l: Locale, slug: &str, rows: Vec<KeywordRow>, saved: bool) -> impl IntoView {
    let t = listening_ui(l);
    let saved = saved.then(|| view! { <p class="notice" role="status">{t.keywords_saved}</p> });
    let boxes = rows
        .into_iter()
        .map(|r| {
            let (vi_id, en_id) = (format!("kw-{}-vi", r.key), format!("kw-{}-en", r.key));
            view! {
                <div class="field">
                    <label for=vi_id.clone()>{(t.keywords_label)(&r.label, "Tiếng Việt")}</label>
                    <textarea id=vi_id name=format!("kw.{}.vi", r.key) rows="3">{r.vi}</textarea>
                </div>
                <div class="field">
                    <label for=en_id.clone()>{(t.keywords_label)(&r.label, "English")}</label>
                    <textarea id=en_id name=format!("kw.{}.en", r.key) rows="3">{r.en}</textarea>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="keywords">
            <h2 id="keywords" tabindex="-1">{t.keywords_title}</h2>
            {saved}
            <p>{t.keywords_lead}</p>
            <form method="post" action=format!("/admin/brands/{slug}/keywords") class="stack-form">
                {boxes}
                <button type="submit" class="button primary">{t.keywords_save}</button>
            </form>
        </section>
    }
}
