//! Identity: OAuth clients, the exchange's signing keys, access tokens, scopes and limits.
//!
//! Owns who a caller is and what it may do: client authentication and the token grant
//! ([`grant`]), token issue and verification, scopes, and the rate limits that protect
//! them. Operations return `auth`'s own errors; it knows nothing of HTTP (the token
//! endpoint's form and answers are `api::oauth`'s) and reaches storage only through `db`.

pub mod admin;
pub mod assertion;
pub mod caller;
pub mod client_auth;
pub mod clients;
pub mod grant;
pub mod jwks;
pub mod keys;
pub mod lifetime;
pub mod rate_limit;
pub mod scope;
pub mod secrets;
pub mod token_limits;
pub mod tokens;
pub mod verified;

use std::sync::Arc;

use caller::ClientStatus;
use keys::KeyStore;
use rate_limit::RateLimiter;
use secrets::KeyEncryptionKey;
use token_limits::TokenLimits;
use tokens::TokenSettings;

use crate::config::Settings;
use crate::db::Db;

pub use caller::Caller;
pub use scope::Scope;

/// Everything request handling needs to authenticate and limit clients, shared as app data.
pub struct Auth {
    pub db: Db,
    pub keys: KeyStore,
    pub tokens: TokenSettings,
    pub status: ClientStatus,
    pub verified: verified::VerifiedTokens,
    /// Requests per client to the API.
    pub api_limit: RateLimiter,
    /// Look-ups of the audit log by NIK or KK per client: each tells its reader whether a
    /// person occurs in the exchange, so they are held tighter than ordinary reads.
    pub subject_lookup_limit: RateLimiter,
    /// The token endpoint's limits per source address, failed authentication and client.
    pub token_limits: TokenLimits,
    /// What a client assertion's `aud` may be: the issuer, and the token endpoint's URL.
    pub assertion_audiences: Vec<String>,
}

impl Auth {
    pub fn new(db: Db, kek: Arc<KeyEncryptionKey>, settings: &Settings) -> Self {
        let tokens = TokenSettings {
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            lifetime_secs: settings.token_lifetime_secs,
        };
        let mut assertion_audiences = vec![settings.issuer.clone()];
        if let Some(url) = &settings.public_url {
            assertion_audiences.push(format!("{}/oauth/token", url.trim_end_matches('/')));
        }
        Self {
            keys: KeyStore::new(db.clone(), kek, keys::VERIFY_WINDOW_SECS),
            db,
            tokens,
            status: ClientStatus::default(),
            verified: verified::VerifiedTokens::default(),
            api_limit: RateLimiter::new(settings.rate_limit()),
            subject_lookup_limit: RateLimiter::new(settings.audit_lookup_limit()),
            token_limits: TokenLimits::new(
                settings.token_rate_limit(),
                settings.token_failure_limit(),
                settings.token_source_failure_limit(),
            ),
            assertion_audiences,
        }
    }
}
