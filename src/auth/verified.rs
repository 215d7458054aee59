//! Tokens already verified, so that a client's second request with the same token costs a
//! hash and a lookup instead of an Ed25519 verification and parsing its claims.
//!
//! Entries are keyed by the SHA-256 of the whole token, so any change to header, payload or
//! signature misses and is verified afresh. `exp` and `nbf` are checked on every hit; whether
//! the client is still enabled is checked separately on every request.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::caller::Caller;
use super::lifetime::LEEWAY_SECS;

/// Enough for every live token of a large deployment; beyond it, expired entries go first.
const CAPACITY: usize = 50_000;

/// The caller a token names, and when the token is valid.
struct Entry {
    caller: Caller,
    nbf: i64,
    exp: i64,
}

#[derive(Default)]
pub struct VerifiedTokens {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn valid_at(entry: &Entry, now: i64) -> bool {
    let leeway = LEEWAY_SECS as i64;
    entry.exp + leeway > now && entry.nbf - leeway <= now
}

impl VerifiedTokens {
    /// The caller of `token` if it was verified before and is valid now.
    pub fn get(&self, token: &str, now: i64) -> Option<Caller> {
        let entries = crate::sync::lock(&self.entries);
        entries
            .get(&key(token))
            .filter(|entry| valid_at(entry, now))
            .map(|entry| entry.caller.clone())
    }

    pub fn insert(&self, token: &str, caller: Caller, nbf: i64, exp: i64, now: i64) {
        let mut entries = crate::sync::lock(&self.entries);
        if entries.len() >= CAPACITY {
            entries.retain(|_, entry| valid_at(entry, now));
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key(token), Entry { caller, nbf, exp });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller {
            client_id: "c".into(),
            agency: crate::domain::code::AgencyCode::parse("KEMENSOS").unwrap(),
            scopes: super::super::scope::ScopeSet::parse("admin").unwrap(),
            issued_at: 0,
        }
    }

    #[test]
    fn a_cached_token_is_valid_only_within_its_lifetime() {
        let cache = VerifiedTokens::default();
        cache.insert("t", caller(), 1_000, 1_900, 1_000);
        assert!(cache.get("t", 1_000).is_some());
        assert!(cache.get("t", 1_929).is_some(), "within the leeway");
        assert!(cache.get("t", 1_930).is_none(), "expired");
        assert!(cache.get("t", 969).is_none(), "not yet valid");
    }

    #[test]
    fn any_change_to_the_token_misses() {
        let cache = VerifiedTokens::default();
        cache.insert("aaa.bbb.ccc", caller(), 0, 900, 0);
        assert!(cache.get("aaa.bbb.ccd", 0).is_none());
        assert!(cache.get("aaa.bbX.ccc", 0).is_none());
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = VerifiedTokens::default();
        for i in 0..CAPACITY + 10 {
            cache.insert(&i.to_string(), caller(), 0, 900, 0);
        }
        assert!(cache.entries.lock().unwrap().len() <= CAPACITY);
    }
}
