//! Runtime configuration: command-line flags with environment fallbacks (see `--help`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::client::TrustedProxies;

/// Settings shared by every subcommand. Secrets (a database password inside
/// `DATABASE_URL`) are never logged: see [`Config::database_label`].
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Database to use: `sqlite://PATH` (embedded, the default) or `postgres://USER@HOST/DB`
    /// for several instances sharing one PostgreSQL. Default: `sqlite://<DATA_DIR>/valuebond.db`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory for the embedded SQLite database (created if missing).
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Address and port to listen on. Port 0 picks a free port.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,

    /// Directory of the built site (`pkg/` with the hashed JS, WASM and CSS, plus public files),
    /// as produced by `cargo leptos build`.
    #[arg(long, env = "SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Mark cookies `Secure` (set this when users reach the app over HTTPS).
    #[arg(long, env = "COOKIE_SECURE", default_value_t = false, global = true)]
    pub cookie_secure: bool,

    /// Log as JSON lines instead of human-readable text (filter with `RUST_LOG`).
    #[arg(long, env = "LOG_JSON", default_value_t = false, global = true)]
    pub log_json: bool,

    /// Survey page posts allowed per second from one client (IP address; bursts of 3×).
    /// 0 turns the limit off (load tests from one address).
    #[arg(long, env = "RATE_CLIENT", default_value_t = 20.0, global = true)]
    pub rate_client: f64,

    /// Survey page posts allowed per second to one survey (bursts of 2×); only posts
    /// that pass validation count. 0 = off.
    #[arg(long, env = "RATE_SURVEY", default_value_t = 2000.0, global = true)]
    pub rate_survey: f64,

    /// Sign-in attempts allowed per second from one client (bursts of 10). 0 = off.
    #[arg(long, env = "RATE_LOGIN", default_value_t = 0.5, global = true)]
    pub rate_login: f64,

    /// Reverse proxies whose `X-Forwarded-For`/`-Proto`/`-Host` are believed, as
    /// comma-separated CIDRs or addresses (e.g. `127.0.0.1,10.0.0.0/8`). Empty: none, and
    /// the TCP peer is the client. Set it when a proxy is in front, or every respondent
    /// shares the proxy's rate limit.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse, global = true)]
    pub trusted_proxies: TrustedProxies,

    /// Connections served at once; more wait in the kernel's queue (bounds memory
    /// whatever a client opens).
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 512, global = true)]
    pub max_connections: usize,

    /// PostgreSQL connections this instance keeps at most, at least two: three quarters
    /// for the respondents' pages, the rest for everything else (SQLite: one writer and four
    /// readers, fixed). Instances × this must stay under the server's `max_connections`
    /// (100 by default) less what other clients need; see the README's deployment notes.
    #[arg(long, env = "DATABASE_POOL", default_value_t = crate::db::DEFAULT_POOL, global = true)]
    pub database_pool: u32,

    /// Milliseconds between the background folds of completions' own rollup rows into the
    /// shared ones (PostgreSQL; see the README's deployment notes). 0: this instance does
    /// not fold (reports stay exact either way; another instance, or none, folds).
    #[arg(long, env = "FOLD_INTERVAL_MS", default_value_t = 250, global = true)]
    pub fold_interval_ms: u64,

    /// Seconds a client has to send a request's head, and that a kept-alive connection
    /// may sit idle (slow clients cannot hold connections).
    #[arg(long, env = "HEADER_TIMEOUT", default_value_t = 15, global = true)]
    pub header_timeout_secs: u64,

    /// Seconds a request may take to be answered; beyond, 503.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value_t = 60, global = true)]
    pub request_timeout_secs: u64,

    /// Do not flag a response as a bot's for a page of 3+ questions posted within a second
    /// of being served (response quality). Only for tests that post at machine speed.
    #[arg(long, env = "UNTIMED_PAGES", default_value_t = false, global = true)]
    pub untimed_pages: bool,

    /// SMTP server for invitations by e-mail: `smtps://USER:PASS@HOST:465` (TLS) or
    /// `smtp://USER:PASS@HOST:587?tls=required` (STARTTLS); plain `smtp://` only to
    /// 127.0.0.1. Unset: sending invitations is refused and nothing is queued. Never logged.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of invitations, e.g. `Brand surveys <surveys@example.com>`.
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// The https:// address respondents reach the app at; invite and unsubscribe links
    /// in e-mails start with it.
    #[arg(long, env = "PUBLIC_BASE_URL", global = true)]
    pub public_base_url: Option<String>,

    /// Survey e-mails sent per minute, by all instances together.
    #[arg(long, env = "MAIL_RATE", default_value_t = 60, global = true)]
    pub mail_rate: u32,

    /// Survey e-mails (invitations and reminders, all surveys of a brand) one contact may
    /// get in a rolling 30 days.
    #[arg(long, env = "MAIL_CAP", default_value_t = 2, global = true)]
    pub mail_cap: i64,

    /// Seconds a sender holds a claimed message; a killed sender's messages are taken
    /// again by any instance after this.
    #[arg(long, env = "MAIL_LEASE", default_value_t = 120, global = true)]
    pub mail_lease_secs: u64,

    /// Seconds before the first retry of a message the SMTP server refused for now
    /// (doubled at each retry, at most six hours; six attempts in all).
    #[arg(long, env = "MAIL_RETRY", default_value_t = 60, global = true)]
    pub mail_retry_secs: u64,
}

impl Config {
    /// A configuration for tests and embedding: SQLite under `data_dir`, a free port.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            database_url: None,
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: PathBuf::from("target/site"),
            cookie_secure: false,
            log_json: false,
            rate_client: 20.0,
            rate_survey: 2000.0,
            rate_login: 0.5,
            trusted_proxies: TrustedProxies::default(),
            max_connections: 512,
            database_pool: crate::db::DEFAULT_POOL,
            fold_interval_ms: 250,
            header_timeout_secs: 15,
            request_timeout_secs: 60,
            untimed_pages: false,
            smtp_url: None,
            mail_from: None,
            public_base_url: None,
            mail_rate: 60,
            mail_cap: 2,
            mail_lease_secs: 120,
            mail_retry_secs: 60,
        }
    }

    /// The effective database URL.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("valuebond.db").display()),
        }
    }

    /// The database URL with any password removed, safe to log.
    pub fn database_label(&self) -> String {
        let url = self.database_url();
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                let credentials = &url[scheme_end + 3..at];
                let user = credentials.split(':').next().unwrap_or("");
                format!("{}{}@{}", &url[..scheme_end + 3], user, &url[at + 1..])
            }
            _ => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_password_is_never_in_the_label() {
        let mut c = Config::for_data_dir("d");
        c.database_url = Some("postgres://app:s3cret@db.internal:5432/vb".into());
        assert_eq!(c.database_label(), "postgres://app@db.internal:5432/vb");
        c.database_url = None;
        assert_eq!(c.database_label(), "sqlite://d/valuebond.db");
    }
}
