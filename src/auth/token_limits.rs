//! The limits of the token endpoint, which anyone may call without credentials.
//!
//! Four keyed limits, each with its own job:
//!
//! - **Requests per source** (an IPv4 address, an IPv6 /64: see
//!   [`crate::http::source_address::limit_key`]), charged for every request: what one source can
//!   make the endpoint do at all.
//! - **Failures per (client id, source)** and **failures per source**, consulted before the
//!   credentials are checked and charged only when they are refused. A source that keeps
//!   presenting wrong credentials is throttled, for one client id and, sooner or later, for all
//!   of them, and so is the argon2 work it can cause; a source that does not fail is never
//!   charged, so an attacker elsewhere cannot spend the real client's allowance.
//! - **Tokens per client**, charged only once a client has authenticated: how many tokens a
//!   client may obtain. Only the holder of its credentials can spend it.
//!
//! The failure limits are charged up front and refunded when the credentials turn out not to be
//! refused (accepted, or not checked because the database failed). Charging only after a
//! refusal would let a burst of concurrent guesses from one source all pass the check before
//! the first of them is counted.
//!
//! What remains, as the README's Authentication section tells operators: an attacker with many
//! sources (many IPv4 addresses, or many /64s) gets each source's failure allowance, so the
//! guesses per second it can make against one client, and the argon2 work it can cause, grow
//! with the number of sources. A 256-bit secret does not fall to guessing at any such rate;
//! the work is bounded: one argon2 run per core at a time (`auth::secrets`), the others wait
//! their turn. And clients that share a source with an attacker (behind one NAT or reverse
//! proxy) share its throttling.

use std::time::Duration;

use super::rate_limit::{Quota, RateLimiter};

pub struct TokenLimits {
    requests: RateLimiter,
    failures: RateLimiter,
    source_failures: RateLimiter,
    tokens: RateLimiter,
}

impl TokenLimits {
    /// `requests` limits requests per source and tokens per client; `failures` refused
    /// credentials per (client id, source); `source_failures` refused credentials per source.
    pub fn new(requests: Quota, failures: Quota, source_failures: Quota) -> Self {
        Self {
            requests: RateLimiter::new(requests),
            failures: RateLimiter::new(failures),
            source_failures: RateLimiter::new(source_failures),
            tokens: RateLimiter::new(requests),
        }
    }

    /// Admits one request from `source`, whatever it asks; Err(retry_after) when over the limit.
    pub fn admit(&self, source: &str) -> Result<(), Duration> {
        self.requests.check(source)
    }

    /// Admits one authentication attempt by `client_id` from `source` unless that source has
    /// failed too often lately, for this client id or for any. The attempt counts as a failure
    /// unless [`Attempt::not_refused`] is called.
    pub fn attempt<'a>(&'a self, client_id: &str, source: &str) -> Result<Attempt<'a>, Duration> {
        // A source key never holds a space, so the pair cannot be confused with another.
        let pair = format!("{source} {client_id}");
        self.failures.check(&pair)?;
        if let Err(wait) = self.source_failures.check(source) {
            self.failures.refund(&pair);
            return Err(wait);
        }
        Ok(Attempt {
            limits: self,
            pair,
            source: source.to_owned(),
        })
    }

    /// Admits issuing one more token to an authenticated client.
    pub fn issue(&self, client_id: &str) -> Result<(), Duration> {
        self.tokens.check(client_id)
    }
}

/// An authentication attempt, charged to its source's failure allowances until it turns out
/// not to have been refused.
pub struct Attempt<'a> {
    limits: &'a TokenLimits,
    pair: String,
    source: String,
}

impl Attempt<'_> {
    /// Gives the failure allowances back: the credentials were accepted, or could not be
    /// checked at all.
    pub fn not_refused(self) {
        self.limits.failures.refund(&self.pair);
        self.limits.source_failures.refund(&self.source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::source_address::limit_key;

    fn quota(burst: u32) -> Quota {
        // Slow enough that nothing refills while a test runs.
        Quota {
            per_second: 0.001,
            burst,
        }
    }

    fn limits() -> TokenLimits {
        TokenLimits::new(quota(100), quota(2), quota(3))
    }

    fn source(ip: &str) -> String {
        limit_key(Some(ip.parse().unwrap()))
    }

    /// Fails `n` attempts from `source` (each must be admitted).
    fn fail(limits: &TokenLimits, client_id: &str, source: &str, n: usize) {
        for i in 0..n {
            assert!(
                limits.attempt(client_id, source).is_ok(),
                "attempt {i} by {client_id} from {source}"
            );
        }
    }

    #[test]
    fn failures_throttle_their_source_and_no_other() {
        let limits = limits();
        let attacker = source("203.0.113.7");
        fail(&limits, "victim", &attacker, 2);
        assert!(limits.attempt("victim", &attacker).is_err());
        // Another source is not affected, for the very same client id.
        let client = source("198.51.100.1");
        for _ in 0..10 {
            limits.attempt("victim", &client).unwrap().not_refused();
        }
    }

    #[test]
    fn a_source_failing_for_many_client_ids_is_throttled_for_all() {
        let limits = limits();
        let sprayer = source("203.0.113.7");
        fail(&limits, "a", &sprayer, 1);
        fail(&limits, "b", &sprayer, 1);
        fail(&limits, "c", &sprayer, 1);
        assert!(limits.attempt("d", &sprayer).is_err());
        assert!(limits.attempt("d", &source("198.51.100.1")).is_ok());
    }

    #[test]
    fn attempts_that_are_not_refused_cost_nothing() {
        let limits = limits();
        let client = source("198.51.100.1");
        for _ in 0..50 {
            limits.attempt("client", &client).unwrap().not_refused();
        }
        fail(&limits, "client", &client, 2);
        assert!(limits.attempt("client", &client).is_err());
    }

    #[test]
    fn addresses_in_one_ipv6_64_share_their_failure_allowance() {
        let limits = limits();
        fail(&limits, "victim", &source("2001:db8:1:2::1"), 1);
        fail(
            &limits,
            "victim",
            &source("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            1,
        );
        assert!(
            limits
                .attempt("victim", &source("2001:db8:1:2:aaaa::7"))
                .is_err()
        );
        // The neighbouring /64 is another source.
        assert!(limits.attempt("victim", &source("2001:db8:1:3::1")).is_ok());
    }

    #[test]
    fn tokens_per_client_are_counted_apart_from_failures() {
        let limits = TokenLimits::new(quota(2), quota(100), quota(100));
        let attacker = source("203.0.113.7");
        fail(&limits, "client", &attacker, 50);
        assert_eq!(limits.issue("client"), Ok(()));
        assert_eq!(limits.issue("client"), Ok(()));
        assert!(limits.issue("client").is_err());
        assert_eq!(limits.issue("another"), Ok(()));
    }
}
