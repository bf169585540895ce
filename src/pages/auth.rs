//! The staff sign-in page.

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::staff_ui;

/// What the sign-in form shows: the address typed (never the password) and any error.
pub struct LoginForm {
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

pub fn login_view(locale: Locale, form: LoginForm) -> impl IntoView {
    let t = staff_ui(locale);
    let invalid = form.error.is_some().then_some("true");
    let error = form.error.map(|e| {
        view! { <p class="error-summary" id="login-error" role="alert">{e}</p> }
    });
    let described = invalid.map(|_| "login-error");
    view! {
        <section class="card login" aria-labelledby="login-title">
            <h1 id="login-title" tabindex="-1">{t.login_title}</h1>
            <p class="lead">{t.login_lead}</p>
            {error}
            <form method="post" action="/login" class="stack-form">
                <input type="hidden" name="next" value=form.next/>
                <label for="email">{t.email}</label>
                <input type="email" id="email" name="email" value=form.email autocomplete="username"
                    required maxlength="254" aria-invalid=invalid aria-describedby=described/>
                <label for="password">{t.password}</label>
                <input type="password" id="password" name="password" autocomplete="current-password"
                    required maxlength="1024" aria-invalid=invalid aria-describedby=described/>
                <button type="submit" class="button primary">{t.sign_in}</button>
            </form>
        </section>
    }
}

/// What the change-password form shows: an error, or that the change was made.
pub enum PasswordNotice {
    None,
    Error(String),
    Changed,
}

pub fn password_view(locale: Locale, notice: PasswordNotice) -> impl IntoView {
    let t = staff_ui(locale);
    let (message, invalid) = match notice {
        PasswordNotice::None => (None, None),
        PasswordNotice::Error(e) => (
            Some(
                view! { <p class="error-summary" id="password-error" role="alert">{e}</p> }
                    .into_any(),
            ),
            Some("true"),
        ),
        PasswordNotice::Changed => (
            Some(view! { <p class="notice" role="status">{t.password_changed}</p> }.into_any()),
            None,
        ),
    };
    let described = invalid.map(|_| "password-error");
    view! {
        <section class="card login" aria-labelledby="password-title">
            <h1 id="password-title" tabindex="-1">{t.password_title}</h1>
            <p class="lead">{t.password_lead}</p>
            {message}
            <form method="post" action="/account/password" class="stack-form">
                <label for="current">{t.current_password}</label>
                <input type="password" id="current" name="current" autocomplete="current-password"
                    required maxlength="1024" aria-invalid=invalid aria-describedby=described/>
                <label for="new">{t.new_password}</label>
                <input type="password" id="new" name="new" autocomplete="new-password"
                    required minlength="12" maxlength="1024" aria-invalid=invalid aria-describedby=described/>
                <label for="repeat">{t.repeat_password}</label>
                <input type="password" id="repeat" name="repeat" autocomplete="new-password"
                    required minlength="12" maxlength="1024" aria-invalid=invalid aria-describedby=described/>
                <button type="submit" class="button primary">{t.password_change}</button>
            </form>
        </section>
    }
}
