//! Admin pages: the users list with its create form, and the one-time password page.

use leptos::prelude::*;

use crate::domain::Locale;
use crate::i18n::{staff_ui, StaffUi};

/// A brand an admin can tick for a manager.
pub struct BrandChoice {
    pub id: i64,
    pub name: String,
}

pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub admin: bool,
    pub active: bool,
    pub brands: Vec<String>,
    pub brand_ids: Vec<i64>,
    pub is_me: bool,
}

pub fn users_view(locale: Locale, users: Vec<UserRow>, brands: Vec<BrandChoice>) -> impl IntoView {
    let t = staff_ui(locale);
    let rows = users
        .into_iter()
        .map(|u| user_row(t, u, &brands))
        .collect_view();
    view! {
        <div class="report">
            <h1 tabindex="-1">{t.users_title}</h1>
            <section class="card">
                <div class="table-scroll">
                    <table>
                        <thead><tr>
                            <th scope="col">{t.email}</th><th scope="col">{t.role}</th><th scope="col">{t.brands}</th>
                            <th scope="col">{t.status}</th><th scope="col"></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
            {new_user_view(t, brands)}
        </div>
    }
}

/// One user's row: e-mail, role, brands (a manager's can be changed), status, and the
/// actions an admin may take on someone else's account.
fn user_row(t: &'static StaffUi, u: UserRow, all_brands: &[BrandChoice]) -> impl IntoView {
    let role = if u.admin {
        t.role_admin
    } else {
        t.role_manager
    };
    let brands = if u.admin {
        t.all_brands.to_string()
    } else {
        u.brands.join(", ")
    };
    let status = if u.active {
        t.user_active
    } else {
        t.user_inactive
    };
    let action = (!u.is_me).then(|| user_actions(t, u.id, u.active));
    // A manager's brands can be changed later (admins read every brand anyway).
    let change = (!u.admin).then(|| change_brands_view(t, u.id, &u.brand_ids, all_brands));
    view! { <tr><th scope="row">{u.email}</th><td>{role}</td><td>{brands}{change}</td><td>{status}</td><td>{action}</td></tr> }
}

/// Deactivate (or reactivate) and reset-password buttons for another user's account.
fn user_actions(t: &'static StaffUi, id: i64, active: bool) -> impl IntoView {
    let (value, label) = if active {
        ("0", t.deactivate)
    } else {
        ("1", t.reactivate)
    };
    view! {
        <form method="post" action=format!("/admin/users/{id}/active")>
            <input type="hidden" name="active" value=value/>
            <button type="submit" class="link-button">{label}</button>
        </form>
        <form method="post" action=format!("/admin/users/{id}/password")>
            <button type="submit" class="link-button">{t.reset_password}</button>
        </form>
    }
}

/// A manager's brands as checkboxes, folded away under "change brands".
fn change_brands_view(
    t: &'static StaffUi,
    id: i64,
    brand_ids: &[i64],
    all_brands: &[BrandChoice],
) -> impl IntoView {
    let boxes = all_brands
        .iter()
        .map(|b| view! {
            <label class="check">
                <input type="checkbox" name="brand" value=b.id.to_string() checked=brand_ids.contains(&b.id)/>
                {b.name.clone()}
            </label>
        })
        .collect_view();
    view! {
        <details>
            <summary>{t.change_brands}</summary>
            <form method="post" action=format!("/admin/users/{id}/brands")>
                {boxes}
                <button type="submit" class="link-button">{t.save_brands}</button>
            </form>
        </details>
    }
}

/// The create-user form: e-mail, role, and (for a manager) the brands they may read.
fn new_user_view(t: &'static StaffUi, brands: Vec<BrandChoice>) -> impl IntoView {
    let brand_boxes = brands
        .into_iter()
        .map(|b| {
            view! {
                <label class="check">
                    <input type="checkbox" name="brand" value=b.id.to_string()/>
                    {b.name}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="new-user">
            <h2 id="new-user">{t.new_user}</h2>
            <p>{t.new_user_lead}</p>
            <form method="post" action="/admin/users" class="stack-form">
                <label for="new-email">{t.email}</label>
                <input type="email" id="new-email" name="email" required maxlength="254" autocomplete="off"/>
                <fieldset class="filter versions">
                    <legend>{t.role}</legend>
                    <label class="check"><input type="radio" name="role" value="manager" checked=true/>{t.role_manager}</label>
                    <label class="check"><input type="radio" name="role" value="admin"/>{t.role_admin}</label>
                </fieldset>
                <fieldset class="filter versions">
                    <legend>{t.brands}</legend>
                    <span class="hint">{t.brands_hint}</span>
                    {brand_boxes}
                </fieldset>
                <button type="submit" class="button primary">{t.create_user}</button>
            </form>
        </section>
    }
}

pub fn user_created_view(locale: Locale, email: String, password: String) -> impl IntoView {
    let t = staff_ui(locale);
    one_time_password_view(
        locale,
        t.user_created_title,
        (t.user_created_body)(&email),
        password,
    )
}

/// A password nobody chose, shown to the admin this once (only its hash is stored).
pub fn password_reset_view(locale: Locale, email: String, password: String) -> impl IntoView {
    let t = staff_ui(locale);
    one_time_password_view(
        locale,
        t.password_reset_title,
        (t.password_reset_body)(&email),
        password,
    )
}

fn one_time_password_view(
    locale: Locale,
    title: &'static str,
    body: String,
    password: String,
) -> impl IntoView {
    let t = staff_ui(locale);
    view! {
        <section class="card" aria-labelledby="user-created">
            <h1 id="user-created" tabindex="-1">{title}</h1>
            <p>{body}</p>
            <p><code class="one-time">{password}</code></p>
            <p><a class="button secondary" href="/admin/users">{t.users_title}</a></p>
        </section>
    }
}
