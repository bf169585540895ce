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

/// Failed logins allowed per key (e-mail address) within the window.
pub const LOGIN_FAILURES_ALLOWED: usize = 5;
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Sliding-window count of failed logins per key. Times are milliseconds.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: HashMap<String, VecDeque<i64>>,
}

impl LoginThrottle {
    /// If `key` is locked out at `now`, how many seconds until it may try again.
    pub fn retry_after(&mut self, key: &str, now: i64) -> Option<u64> {
        let window = self.failures.get_mut(key)?;
        while window.front().is_some_and(|&t| now - t >= LOGIN_WINDOW_MS) {
            window.pop_front();
        }
        if window.is_empty() {
            self.failures.remove(key);
            return None;
        }
        (window.len() >= LOGIN_FAILURES_ALLOWED).then(|| {
            let oldest = window.front().copied().unwrap_or(now);
            ((oldest + LOGIN_WINDOW_MS - now).max(1000) as u64).div_ceil(1000)
        })
    }

    pub fn record_failure(&mut self, key: &str, now: i64) {
        // Bound memory under a spray of random addresses: forget the whole table rather
        // than grow without limit (an attacker then gains at most one fresh window).
        if self.failures.len() > 100_000 {
            self.failures.clear();
        }
        self.failures
            .entry(key.to_string())
            .or_default()
            .push_back(now);
    }

    pub fn clear(&mut self, key: &str) {
        self.failures.remove(key);
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
    fn the_throttle_locks_after_five_failures_for_the_rest_of_the_window() {
        let mut t = LoginThrottle::default();
        for i in 0..4 {
            t.record_failure("a@b.vn", i * 1000);
            assert_eq!(t.retry_after("a@b.vn", i * 1000), None);
        }
        t.record_failure("a@b.vn", 4000);
        assert_eq!(t.retry_after("a@b.vn", 5000), Some(895));
        assert_eq!(t.retry_after("other@b.vn", 5000), None);
        // Once the oldest failure leaves the window, one more try is allowed.
        assert_eq!(t.retry_after("a@b.vn", LOGIN_WINDOW_MS), None);
        t.clear("a@b.vn");
        assert_eq!(t.retry_after("a@b.vn", LOGIN_WINDOW_MS), None);
    }
}
