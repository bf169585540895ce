//! The e-mail sender: SMTP settings from the configuration, the invitation and reminder
//! messages, and the background task `serve` starts on every instance to drain the queue.
//!
//! Delivery is claim → send → mark sent. A claim is a lease (`claimed_until`): a sender
//! killed mid-message leaves its claim to run out, and then any instance takes the message
//! again. What remains is the moment between the SMTP server's "250 accepted" for the
//! message and our commit of "sent": a crash exactly there sends that message twice after
//! the lease (RFC 1047's classic duplicate). It is narrowed, not closed: nothing happens
//! between the 250 and the one-row update that marks the message sent (no other I/O, one
//! message per SMTP transaction), and the retry carries the same `Message-ID`, by which
//! mailbox providers drop a second copy. A crash anywhere before the end of DATA is safe:
//! an SMTP server does not deliver a message whose DATA did not end.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;
use crate::db::{Outgoing, Store, StoreError};
use crate::domain::contacts::{retry_delay_ms, send_budget, MAX_ATTEMPTS};
use crate::domain::Locale;
use crate::i18n::invitations_ui;
use crate::tokens::{derived_token, new_token};

/// Messages one sender claims at a time (a short lease keeps them few).
const BATCH: i64 = 10;
/// How often an idle sender looks at the queue.
const POLL: Duration = Duration::from_millis(500);
/// Longest one message's SMTP transaction may take (and at most half the lease, so a
/// sender that is alive records its outcome before its lease runs out).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// The shortest lease (tests use it: a killed sender's messages are taken again soon).
const MIN_LEASE_SECS: u64 = 2;

/// Why the mail settings cannot be used (the app refuses to start: better than queueing
/// messages that can never leave).
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("SMTP_URL is not a valid smtps:// or smtp:// URL")]
    BadSmtpUrl,
    #[error("SMTP_URL sends in plain text (smtp:// without ?tls=required) to a host that is not this machine; use smtps:// or ?tls=required")]
    PlainText,
    #[error("MAIL_FROM must be set to the sender's address (e.g. \"Brand surveys <surveys@example.com>\") with SMTP_URL")]
    BadFrom,
    #[error("PUBLIC_BASE_URL must be set to the https:// address respondents reach the app at, with SMTP_URL")]
    BadBaseUrl,
    #[error("MAIL_LEASE must be at least {0} seconds")]
    ShortLease(u64),
}

/// How the sender sends, from the configuration.
pub struct MailSettings {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `https://host` (no trailing slash) the links in messages start with.
    pub base_url: String,
    per_minute: u32,
    lease_ms: i64,
    retry_base_ms: i64,
    send_timeout: Duration,
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The host of `scheme://user@host:port/path?query`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit('@').next()?;
    if host_port.starts_with('[') {
        return host_port.split_inclusive(']').next();
    }
    host_port.split(':').next().filter(|h| !h.is_empty())
}

/// Whether `url` is a base URL links may be built from: https, or http on this machine.
fn usable_base_url(url: &str) -> bool {
    let host = url_host(url).unwrap_or("");
    let https = url.starts_with("https://") && !host.is_empty();
    let local = url.starts_with("http://") && is_loopback(host);
    (https || local) && !url.contains(['?', '#', ' '])
}

impl MailSettings {
    /// The settings, `None` without `SMTP_URL` (sending is then refused, and nothing is
    /// queued). Plain-text SMTP is allowed to this machine only (tests, a local relay).
    pub fn from_config(c: &Config) -> Result<Option<MailSettings>, MailConfigError> {
        let Some(url) = c.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let host = url_host(url).ok_or(MailConfigError::BadSmtpUrl)?;
        let tls = url.starts_with("smtps://") || url.contains("tls=required");
        if !url.starts_with("smtps://") && !url.starts_with("smtp://") {
            return Err(MailConfigError::BadSmtpUrl);
        }
        if !tls && !is_loopback(host) {
            return Err(MailConfigError::PlainText);
        }
        let from: Mailbox = c
            .mail_from
            .as_deref()
            .and_then(|f| f.parse().ok())
            .ok_or(MailConfigError::BadFrom)?;
        let base_url = c
            .public_base_url
            .as_deref()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| usable_base_url(u))
            .ok_or(MailConfigError::BadBaseUrl)?;
        if c.mail_lease_secs < MIN_LEASE_SECS {
            return Err(MailConfigError::ShortLease(MIN_LEASE_SECS));
        }
        let timeout = SMTP_TIMEOUT.min(Duration::from_millis(c.mail_lease_secs * 500));
        // The URL's credentials would be in lettre's error text: not repeated.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| MailConfigError::BadSmtpUrl)?
            .timeout(Some(timeout))
            .build();
        Ok(Some(MailSettings {
            transport,
            from,
            base_url,
            per_minute: c.mail_rate.max(1),
            lease_ms: (c.mail_lease_secs * 1000) as i64,
            retry_base_ms: (c.mail_retry_secs.max(1) * 1000) as i64,
            send_timeout: timeout,
        }))
    }
}

/// The key invite and unsubscribe links are derived from (shared by every instance).
pub async fn link_key(store: &Store) -> Result<String, StoreError> {
    store.server_secret("mail_links", &new_token()).await
}

/// The invite link's token of a contact for a survey (the same for its reminders).
pub fn invite_token(key: &str, survey_id: i64, contact_id: i64) -> String {
    derived_token(key, "invite", &format!("{survey_id}:{contact_id}"))
}

/// The unsubscribe link's token of an address at a brand (the same after a re-upload).
pub fn unsubscribe_token(key: &str, brand_id: i64, email: &str) -> String {
    derived_token(key, "unsubscribe", &format!("{brand_id}:{email}"))
}

/// The e-mail of a claimed message: in the contact's language, with the brand's name,
/// the invite link, and one-click unsubscribe (RFC 8058) in headers and body.
pub fn compose(settings: &MailSettings, key: &str, m: &Outgoing) -> Result<Message, String> {
    let locale = Locale::parse(&m.locale).unwrap_or_default();
    let t = invitations_ui(locale);
    let base = &settings.base_url;
    // `?lang=` opens the survey in the contact's language (and remembers it).
    let invite = format!(
        "{base}/s/{}/i/{}?lang={}",
        m.survey_slug,
        invite_token(key, m.survey_id, m.contact_id),
        locale.code()
    );
    let unsubscribe = format!("{base}/u/{}", unsubscribe_token(key, m.brand_id, &m.email));
    let to: Mailbox = m.email.parse().map_err(|_| "bad address".to_string())?;
    let host = url_host(base).unwrap_or("valuebond.invalid");
    Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject((t.mail_subject)(&m.brand_name, m.seq > 0))
        // The same id on every attempt: a copy sent again after a crash can be dropped.
        .message_id(Some(format!("<vb-{}.{}@{host}>", m.id, m.seq)))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{unsubscribe}>"),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        ))
        .header(ContentType::TEXT_PLAIN)
        .body((t.mail_body)(
            &m.name,
            &m.brand_name,
            &invite,
            &unsubscribe,
            m.seq > 0,
        ))
        .map_err(|e| e.to_string())
}

/// Starts this instance's sender; it stops when `stop` turns true, after the message in
/// hand (the ones claimed but not begun go back to the queue at once).
pub fn spawn_sender(
    store: Store,
    settings: Arc<MailSettings>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run_sender(store, settings, stop))
}

async fn run_sender(
    store: Store,
    settings: Arc<MailSettings>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    // Names this process's claims (a restarted process is another claimer).
    let claimer = format!("{}-{}", std::process::id(), &new_token()[..10]);
    let key = loop {
        match link_key(&store).await {
            Ok(k) => break k,
            Err(e) => tracing::warn!(error = %e, "mail sender waits for the database"),
        }
        if wait(&mut stop).await {
            return;
        }
    };
    while !*stop.borrow() {
        let busy = match send_some(&store, &settings, &claimer, &key, &stop).await {
            Ok(n) => n > 0,
            Err(e) => {
                tracing::warn!(error = %e, "mail sender: database error");
                false
            }
        };
        if !busy && wait(&mut stop).await {
            return;
        }
    }
}

/// Waits one poll interval; true if the sender is to stop.
async fn wait(stop: &mut tokio::sync::watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(POLL) => *stop.borrow(),
        changed = stop.changed() => changed.is_err() || *stop.borrow(),
    }
}

/// Claims what the shared rate allows and sends it; returns how many were claimed.
async fn send_some(
    store: &Store,
    settings: &MailSettings,
    claimer: &str,
    key: &str,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> Result<usize, StoreError> {
    let (sent, in_flight) = store.mail_rate_used().await?;
    let budget = send_budget(settings.per_minute, sent, in_flight).min(BATCH);
    if budget == 0 {
        return Ok(0);
    }
    let claimed = store
        .claim_messages(claimer, settings.lease_ms, budget)
        .await?;
    for m in &claimed {
        if *stop.borrow() {
            // Not begun: back to the queue now rather than after the lease.
            store
                .mark_retry(m.id, claimer, crate::db::now_ms(), "shut down")
                .await?;
            continue;
        }
        deliver(store, settings, claimer, key, m).await?;
    }
    Ok(claimed.len())
}

/// Sends one claimed message and records the outcome.
async fn deliver(
    store: &Store,
    settings: &MailSettings,
    claimer: &str,
    key: &str,
    m: &Outgoing,
) -> Result<(), StoreError> {
    if m.unsubscribed || (m.seq > 0 && m.completed) {
        let why = if m.unsubscribed {
            "unsubscribed"
        } else {
            "completed"
        };
        store.mark_dropped(m.id, claimer, true, why).await?;
        return Ok(());
    }
    let message = match compose(settings, key, m) {
        Ok(message) => message,
        Err(e) => {
            store.mark_dropped(m.id, claimer, false, &e).await?;
            return Ok(());
        }
    };
    let outcome =
        match tokio::time::timeout(settings.send_timeout, settings.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err((e.is_permanent(), e.to_string())),
            Err(_) => Err((false, "SMTP transaction timed out".to_string())),
        };
    // Straight after the server's answer: the window for a duplicate (module doc).
    let kept = match &outcome {
        Ok(()) => store.mark_sent(m.id, claimer).await?,
        Err((permanent, e)) if *permanent || i64::from(m.attempts) >= MAX_ATTEMPTS => {
            store.mark_dropped(m.id, claimer, false, e).await?
        }
        Err((_, e)) => {
            let delay = retry_delay_ms(i64::from(m.attempts), settings.retry_base_ms);
            let at = crate::db::now_ms() + delay;
            store.mark_retry(m.id, claimer, at, e).await?
        }
    };
    match (&outcome, kept) {
        (_, false) => tracing::warn!(message = m.id, "mail lease ran out before the outcome"),
        (Err((_, e)), _) => tracing::info!(message = m.id, error = %e, "mail not accepted"),
        (Ok(()), _) => tracing::debug!(message = m.id, "mail sent"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(smtp: &str, base: &str) -> Config {
        let mut c = Config::for_data_dir("d");
        c.smtp_url = Some(smtp.into());
        c.mail_from = Some("Surveys <surveys@example.com>".into());
        c.public_base_url = Some(base.into());
        c
    }

    #[tokio::test]
    async fn only_encrypted_smtp_leaves_the_machine() {
        let base = "https://surveys.example.com/";
        let ok = |url: &str| MailSettings::from_config(&config(url, base));
        assert!(ok("smtps://u:p@smtp.example.com:465").unwrap().is_some());
        assert!(ok("smtp://smtp.example.com:587?tls=required")
            .unwrap()
            .is_some());
        assert!(ok("smtp://127.0.0.1:2525").unwrap().is_some());
        assert!(matches!(
            ok("smtp://smtp.example.com:587"),
            Err(MailConfigError::PlainText)
        ));
        assert!(matches!(ok("http://x"), Err(MailConfigError::BadSmtpUrl)));
        let no_tls_base = MailSettings::from_config(&config("smtps://h", "http://example.com"));
        assert!(matches!(no_tls_base, Err(MailConfigError::BadBaseUrl)));
        let mut none = config("", base);
        none.smtp_url = None;
        assert!(MailSettings::from_config(&none).unwrap().is_none());
        let settings = ok("smtps://h").unwrap().unwrap();
        assert_eq!(settings.base_url, "https://surveys.example.com");
    }

    #[test]
    fn links_are_derived_and_differ_by_subject() {
        let a = invite_token("k", 1, 2);
        assert_eq!(a, invite_token("k", 1, 2));
        assert_ne!(a, invite_token("k", 1, 3));
        assert_ne!(a, invite_token("other key", 1, 2));
        assert_ne!(
            unsubscribe_token("k", 1, "a@b.vn"),
            unsubscribe_token("k", 2, "a@b.vn")
        );
        assert!(crate::tokens::is_token(&a));
    }
}
