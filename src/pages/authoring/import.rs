//! The JSON import form.

use leptos::prelude::*;

use super::problems_view;
use crate::domain::Locale;
use crate::i18n::authoring_ui;

pub fn import_view(l: Locale, json: String, problems: Vec<String>) -> impl IntoView {
    let t = authoring_ui(l);
    view! {
        <div class="report">
            <p><a href="/admin">{t.back_to_dashboard}</a></p>
            <h1 tabindex="-1">{t.import_title}</h1>
            {problems_view(l, problems)}
            <form method="post" action="/admin/import" class="stack-form card">
                <div class="field">
                    <label for="import-json">{t.import_label}</label>
                    <textarea id="import-json" name="json" rows="16" required>{json}</textarea>
                </div>
                <button type="submit" class="button primary">{t.import}</button>
            </form>
        </div>
    }
}
