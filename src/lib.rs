//! ValueBond: a brand-values survey that measures whether customers bond with a brand
//! through shared values or through frequent contact.
//!
//! Layout: `domain` (pure rules, no I/O), `i18n` (UI strings), `components` (view pieces
//! and the islands that hydrate in the browser), and server-only modules behind the `ssr`
//! feature: `config`, `db`, `accounts` and `tokens` (services the CLI, demo and web share),
//! `client` (who sent a request), `reporting`, `api` (the handlers: only `startup` uses
//! them), `pages`, `startup`, `cli`.

// A long function is a sign it does several things: split it (clippy.toml sets the
// limit; tests aside).
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

pub mod components;
pub mod domain;
pub mod i18n;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod mailer;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reporting;
#[cfg(feature = "ssr")]
pub mod startup;
#[cfg(feature = "ssr")]
pub mod tokens;

/// Browser entry point: hydrates the islands (the only parts of a page that run in WASM).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
