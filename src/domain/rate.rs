//! Token-bucket rate limits (per survey, per client). Pure arithmetic over a clock the
//! caller passes in, so it is tested without sleeping.
//!
//! Not `governor`: its keyed limiter can only take a token when one is free, so it has
//! no `peek` (look without taking) and no `charge` (take after the fact, even from an
//! empty bucket), which the survey limit needs to count only posts that succeeded.

use std::collections::HashMap;

/// Sustained rate and burst of one kind of limit. A rate of 0 turns the limit off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub per_second: f64,
    pub burst: f64,
}

/// Buckets by key; each holds up to `burst` tokens and refills at `per_second`.
#[derive(Debug)]
pub struct RateLimiter {
    limit: Limit,
    buckets: HashMap<String, (f64, f64)>,
}

/// Keys kept at most; beyond, idle buckets (full again) are forgotten.
const MAX_KEYS: usize = 100_000;

impl RateLimiter {
    pub fn new(limit: Limit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: HashMap::new(),
        }
    }

    /// Takes one token for `key` at time `now` (seconds). Err: seconds until one is free.
    pub fn check(&mut self, key: &str, now: f64) -> Result<(), u64> {
        self.peek(key, now)?;
        self.charge(key, now);
        Ok(())
    }

    /// Whether `key` has a token at `now`, without taking it (nor remembering the key).
    pub fn peek(&mut self, key: &str, now: f64) -> Result<(), u64> {
        let Limit { per_second, burst } = self.limit;
        let Some((tokens, at)) = self.buckets.get(key).copied() else {
            return Ok(());
        };
        if per_second <= 0.0 {
            return Ok(());
        }
        let tokens = (tokens + (now - at).max(0.0) * per_second).min(burst);
        if tokens >= 1.0 {
            Ok(())
        } else {
            Err(((1.0 - tokens) / per_second).ceil().max(1.0) as u64)
        }
    }

    /// Takes one token for `key` at `now` even if none is left (it cannot go below 0):
    /// for work that is counted only once it turned out to be legitimate.
    pub fn charge(&mut self, key: &str, now: f64) {
        let Limit { per_second, burst } = self.limit;
        if per_second <= 0.0 {
            return;
        }
        if self.buckets.len() >= MAX_KEYS && !self.buckets.contains_key(key) {
            self.buckets
                .retain(|_, (tokens, at)| *tokens + (now - *at) * per_second < burst);
        }
        let (tokens, at) = self.buckets.entry(key.to_string()).or_insert((burst, now));
        *tokens = ((*tokens + (now - *at).max(0.0) * per_second).min(burst) - 1.0).max(0.0);
        *at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate() {
        let mut r = RateLimiter::new(Limit {
            per_second: 2.0,
            burst: 3.0,
        });
        assert!((0..3).all(|_| r.check("a", 0.0).is_ok()));
        assert_eq!(r.check("a", 0.0), Err(1));
        assert!(r.check("b", 0.0).is_ok(), "keys are independent");
        assert!(r.check("a", 0.5).is_ok(), "half a second refills one token");
        assert!(r.check("a", 0.5).is_err());
        assert!(
            (0..3).all(|_| r.check("a", 100.0).is_ok()),
            "never more than the burst"
        );
        assert!(r.check("a", 100.0).is_err());
    }

    #[test]
    fn peeking_takes_nothing_and_charging_counts_afterwards() {
        let mut r = RateLimiter::new(Limit {
            per_second: 1.0,
            burst: 2.0,
        });
        assert!((0..10).all(|_| r.peek("s", 0.0).is_ok()), "peeking is free");
        r.charge("s", 0.0);
        r.charge("s", 0.0);
        assert_eq!(r.peek("s", 0.0), Err(1));
        r.charge("s", 0.0);
        assert_eq!(r.peek("s", 0.5), Err(1), "a bucket never goes below empty");
        assert!(r.peek("s", 1.0).is_ok());
    }

    #[test]
    fn a_zero_rate_is_off() {
        let mut r = RateLimiter::new(Limit {
            per_second: 0.0,
            burst: 0.0,
        });
        assert!((0..1000).all(|_| r.check("a", 0.0).is_ok()));
    }

    #[test]
    fn slow_clients_wait_longer() {
        let mut r = RateLimiter::new(Limit {
            per_second: 0.1,
            burst: 1.0,
        });
        assert!(r.check("a", 0.0).is_ok());
        assert_eq!(r.check("a", 0.0), Err(10));
    }
}
