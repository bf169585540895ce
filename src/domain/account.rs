//! Staff accounts: roles, what each role may read, session lifetimes and the login
//! throttle's arithmetic. Hashing and storage live outside; these are the rules.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

/// What a signed-in person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, on every brand.
    Admin,
    /// Reads reports and exports of the brands assigned to them, nothing else.
    Manager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }
}

/// A signed-in user as every request sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// Brands a manager is assigned to (unused for admins, who see all).
    pub brand_ids: Vec<i64>,
}

impl Staff {
    /// Whether this user may read reports of `brand_id`.
    pub fn may_read_brand(&self, brand_id: i64) -> bool {
        self.role == Role::Admin || self.brand_ids.contains(&brand_id)
    }
}

/// A session ends after this long without a request…
pub const SESSION_IDLE_MS: i64 = 2 * 3600 * 1000;
/// …and at the latest this long after login, however active.
pub const SESSION_ABSOLUTE_MS: i64 = 12 * 3600 * 1000;
/// `last_seen_at` is refreshed at most this often (saves a write per request).
pub const SESSION_TOUCH_MS: i64 = 60 * 1000;

/// Whether a session created at `created` and last used at `last_seen` is still valid.
pub fn session_alive(created: i64, last_seen: i64, now: i64) -> bool {
    now - last_seen < SESSION_IDLE_MS && now - created < SESSION_ABSOLUTE_MS
}

/// Normalises an e-mail address for lookup; None if it is not plausibly one.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then_some(email)
}

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer inputs are refused before hashing (hashing cost grows with length).
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
}

pub fn check_new_password(password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordProblem::TooShort)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordProblem::TooLong)
    } else {
        Ok(())
    }
}

/// Failed sign-ins allowed for one e-mail address from one client within the window;
/// then that client is locked out of that address until the oldest failure ages out.
pub const LOGIN_FAILURES_ALLOWED: usize = 5;
/// Failed sign-ins for one address from all clients together beyond which the address is
/// under a spread-out guessing attack: then every client that has failed on it in the
/// window is locked out of it (one guess per client and window), while a client that has
/// not (its owner, elsewhere) may still sign in.
pub const LOGIN_FAILURES_ALLOWED_GLOBALLY: usize = 50;
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Throttle entries kept at most (each holds at most 50 timestamps): memory stays
/// bounded under a spray of random addresses and clients.
const THROTTLE_MAX_KEYS: usize = 100_000;

/// Sliding-window counts of failed sign-ins, per (address, client) and per address.
/// A lockout never outlives its window, a success clears only its own client's count,
/// and a full table forgets its stalest entries, never all of them. Times are
/// milliseconds; clients are opaque keys (an IP address or IPv6 /64).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: HashMap<ThrottleKey, VecDeque<i64>>,
}

/// Failures of one key within the window.
struct Window {
    len: usize,
    oldest: i64,
    newest: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ThrottleKey {
    Address(String),
    AddressFromClient(String, String),
}

impl ThrottleKey {
    fn allowed(&self) -> usize {
        match self {
            ThrottleKey::Address(_) => LOGIN_FAILURES_ALLOWED_GLOBALLY,
            ThrottleKey::AddressFromClient(..) => LOGIN_FAILURES_ALLOWED,
        }
    }
}

fn keys(address: &str, client: &str) -> [ThrottleKey; 2] {
    // Addresses that are not addresses can be long: only their start is a key.
    let address: String = address.chars().take(254).collect();
    [
        ThrottleKey::AddressFromClient(address.clone(), client.to_string()),
        ThrottleKey::Address(address),
    ]
}

impl LoginThrottle {
    /// If `client` may not try `address` at `now`, how many seconds until it may.
    pub fn retry_after(&mut self, address: &str, client: &str, now: i64) -> Option<u64> {
        let [own, all] = keys(address, client);
        let own = self.window(&own, now)?;
        let under_attack = self
            .window(&all, now)
            .is_some_and(|w| w.len >= LOGIN_FAILURES_ALLOWED_GLOBALLY);
        // Until the failure that locks this client ages out of the window.
        let lock_end = if own.len >= LOGIN_FAILURES_ALLOWED {
            own.oldest + LOGIN_WINDOW_MS
        } else if under_attack {
            own.newest + LOGIN_WINDOW_MS
        } else {
            return None;
        };
        Some(((lock_end - now).max(1000) as u64).div_ceil(1000))
    }

    /// The failures of `key` still in the window at `now` (forgetting older ones).
    fn window(&mut self, key: &ThrottleKey, now: i64) -> Option<Window> {
        let window = self.failures.get_mut(key)?;
        while window.front().is_some_and(|&t| now - t >= LOGIN_WINDOW_MS) {
            window.pop_front();
        }
        match (window.front().copied(), window.back().copied()) {
            (Some(oldest), Some(newest)) => Some(Window {
                len: window.len(),
                oldest,
                newest,
            }),
            _ => {
                self.failures.remove(key);
                None
            }
        }
    }

    pub fn record_failure(&mut self, address: &str, client: &str, now: i64) {
        for key in keys(address, client) {
            if self.failures.len() >= THROTTLE_MAX_KEYS && !self.failures.contains_key(&key) {
                self.forget_stalest(now);
            }
            let allowed = key.allowed();
            let window = self.failures.entry(key).or_default();
            window.push_back(now);
            // Only the newest `allowed` failures decide a lockout.
            while window.len() > allowed {
                window.pop_front();
            }
        }
    }

    /// The right password from this client: its own count starts again. The address's
    /// count over all clients stays (an attacker cannot clear it by signing in elsewhere).
    pub fn succeeded(&mut self, address: &str, client: &str) {
        let [own, _] = keys(address, client);
        self.failures.remove(&own);
    }

    /// Makes room: drops entries whose failures have all aged out; if that is not enough,
    /// a tenth of the table, stalest first, taken from entries that lock nobody out (a
    /// spray of one-off failures must not free a real lockout), and only when every entry
    /// is a lockout, from those.
    fn forget_stalest(&mut self, now: i64) {
        self.failures
            .retain(|_, w| w.back().is_some_and(|&t| now - t < LOGIN_WINDOW_MS));
        if self.failures.len() < THROTTLE_MAX_KEYS {
            return;
        }
        let mut candidates: Vec<(bool, i64, ThrottleKey)> = self
            .failures
            .iter()
            .map(|(k, w)| {
                (
                    w.len() >= k.allowed(),
                    w.back().copied().unwrap_or(0),
                    k.clone(),
                )
            })
            .collect();
        candidates.sort_unstable_by_key(|(locked, latest, _)| (*locked, *latest));
        for (_, _, key) in candidates.into_iter().take(THROTTLE_MAX_KEYS / 10) {
            self.failures.remove(&key);
        }
    }

    pub fn len(&self) -> usize {
        self.failures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_read_only_their_brands() {
        let manager = Staff {
            id: 1,
            email: "m@x.vn".into(),
            role: Role::Manager,
            brand_ids: vec![7],
        };
        assert!(manager.may_read_brand(7));
        assert!(!manager.may_read_brand(8));
        let admin = Staff {
            role: Role::Admin,
            brand_ids: vec![],
            ..manager
        };
        assert!(admin.may_read_brand(8));
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let hour = 3600 * 1000;
        assert!(session_alive(0, 0, hour));
        assert!(!session_alive(0, 0, 2 * hour));
        assert!(session_alive(0, 11 * hour, 12 * hour - 1));
        assert!(!session_alive(0, 11 * hour + 30 * 60 * 1000, 12 * hour));
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalize_email("  An@Brand.VN "),
            Some("an@brand.vn".into())
        );
        for bad in [
            "",
            "an",
            "an@",
            "@brand.vn",
            "an@brand",
            "a n@brand.vn",
            "an@.vn",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(check_new_password("short"), Err(PasswordProblem::TooShort));
        // Counted in characters, so Vietnamese passphrases are not penalised.
        assert_eq!(check_new_password("mậtkhẩudàiđủ"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(2000)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn a_client_is_locked_out_of_an_address_after_five_failures() {
        let mut t = LoginThrottle::default();
        for i in 0..4 {
            t.record_failure("a@b.vn", "1.1.1.1", i * 1000);
            assert_eq!(t.retry_after("a@b.vn", "1.1.1.1", i * 1000), None);
        }
        t.record_failure("a@b.vn", "1.1.1.1", 4000);
        assert_eq!(t.retry_after("a@b.vn", "1.1.1.1", 5000), Some(895));
        assert_eq!(t.retry_after("other@b.vn", "1.1.1.1", 5000), None);
        // The owner of the address, elsewhere, is not locked out by the attacker.
        assert_eq!(t.retry_after("a@b.vn", "2.2.2.2", 5000), None);
        // Once the oldest failure leaves the window, one more try is allowed.
        assert_eq!(t.retry_after("a@b.vn", "1.1.1.1", LOGIN_WINDOW_MS), None);
        t.succeeded("a@b.vn", "1.1.1.1");
        assert_eq!(t.retry_after("a@b.vn", "1.1.1.1", LOGIN_WINDOW_MS), None);
    }

    #[test]
    fn an_address_under_attack_gives_each_client_one_guess_per_window() {
        let mut t = LoginThrottle::default();
        for i in 0..LOGIN_FAILURES_ALLOWED_GLOBALLY as i64 {
            assert_eq!(t.retry_after("a@b.vn", &format!("10.0.0.{i}"), i), None);
            t.record_failure("a@b.vn", &format!("10.0.0.{i}"), i);
        }
        // Under attack: a client that failed once is locked out of the address…
        assert_eq!(t.retry_after("a@b.vn", "10.0.0.7", 1000), Some(900));
        // …while its owner, from a client that has not failed, may still sign in.
        assert_eq!(t.retry_after("a@b.vn", "2.2.2.2", 1000), None);
        // Signing in from one client does not clear the count over all clients.
        t.succeeded("a@b.vn", "10.0.0.1");
        assert!(t.retry_after("a@b.vn", "10.0.0.2", 1000).is_some());
        // Nothing outlives the window.
        assert_eq!(
            t.retry_after("a@b.vn", "10.0.0.7", LOGIN_WINDOW_MS + 100),
            None
        );
    }

    #[test]
    fn a_spray_of_addresses_never_clears_a_lockout() {
        let mut t = LoginThrottle::default();
        for i in 0..5 {
            t.record_failure("victim@b.vn", "6.6.6.6", i);
        }
        // Far more distinct addresses than the table holds, each failing once, later.
        for i in 0..(THROTTLE_MAX_KEYS as i64) {
            t.record_failure(&format!("spray{i}@x.vn"), "7.7.7.7", 1000 + i);
        }
        assert!(t.len() <= THROTTLE_MAX_KEYS + 2);
        assert!(
            t.retry_after("victim@b.vn", "6.6.6.6", 2000).is_some(),
            "the victim's lockout is the oldest entry, but the one-off failures go first"
        );
    }
}
