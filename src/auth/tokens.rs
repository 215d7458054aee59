//! Access tokens: JWTs signed by the exchange, verified against its own keys only.

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use super::keys::{KeyError, KeyStore};
use super::lifetime::LEEWAY_SECS;
use super::scope::ScopeSet;
use crate::db::clients::ClientRecord;

/// Longer than any token we issue; a bigger `Authorization` header is refused unread.
pub const MAX_TOKEN_BYTES: usize = 4096;

#[derive(Debug, Clone)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
    pub lifetime_secs: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    pub agency: String,
    pub scope: String,
}

/// Signs an access token for `client` with `scopes`. `authenticated_at` is when its credentials
/// were checked against the stored client (Unix seconds).
///
/// The token is dated (`iat`, `nbf`) when the credentials were checked, not when it is signed:
/// a secret replaced in between must revoke it, and revocation compares `iat` with the client's
/// `tokens_revoked_before`. A token whose credentials were checked against the new secret just
/// after the replacement is dated at `tokens_revoked_before` (at most two seconds ahead) so that
/// it is not refused with the tokens it replaces. `exp` counts from the earlier of that date and
/// now, so that the token lives at most its lifetime by either reckoning (a check and its
/// signature may fall in two different seconds).
pub async fn issue(
    keys: &KeyStore,
    settings: &TokenSettings,
    client: &ClientRecord,
    scopes: &ScopeSet,
    authenticated_at: i64,
) -> Result<String, KeyError> {
    let signer = keys.signer().await?;
    let now = chrono::Utc::now().timestamp();
    let issued_at = client
        .tokens_revoked_before
        .map_or(authenticated_at, |before| before.max(authenticated_at));
    let claims = AccessClaims {
        iss: settings.issuer.clone(),
        sub: client.id.clone(),
        aud: settings.audience.clone(),
        exp: issued_at.min(now) + settings.lifetime_secs,
        iat: issued_at,
        nbf: issued_at,
        jti: uuid::Uuid::new_v4().to_string(),
        agency: client.agency.to_string(),
        scope: scopes.to_string(),
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(signer.kid.clone());
    Ok(jsonwebtoken::encode(&header, &claims, &signer.key)
        .expect("signing with a loaded Ed25519 key cannot fail"))
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token is too large")]
    TooLarge,
    #[error("the token is not signed with an algorithm this exchange uses")]
    Algorithm,
    #[error("the token's key is unknown or no longer valid")]
    UnknownKey,
    /// What is wrong with a well-formed token, and what to do about it.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Keys(#[from] KeyError),
}

/// Verifies signature, algorithm, `kid`, `iss`, `aud`, `exp` and `nbf`.
pub async fn verify(
    keys: &KeyStore,
    settings: &TokenSettings,
    token: &str,
) -> Result<AccessClaims, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::TooLarge);
    }
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    // Only our own algorithm: no `none`, no HMAC keyed with a public key.
    if header.alg != Algorithm::EdDSA {
        return Err(TokenError::Algorithm);
    }
    let kid = header.kid.ok_or(TokenError::UnknownKey)?;
    let key = keys.verifier(&kid).await?.ok_or(TokenError::UnknownKey)?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[&settings.issuer]);
    validation.set_audience(&[&settings.audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<AccessClaims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| {
            // Say what to do in the integrator's words, not the library's. The expiry is
            // read from the token again with its signature checked and `exp` not, so the
            // answer names an instant the exchange itself signed.
            use jsonwebtoken::errors::ErrorKind;
            let detail = match e.kind() {
                ErrorKind::ExpiredSignature => {
                    let mut lenient = validation.clone();
                    lenient.validate_exp = false;
                    let at = jsonwebtoken::decode::<AccessClaims>(token, &key, &lenient)
                        .ok()
                        .and_then(|d| chrono::DateTime::from_timestamp(d.claims.exp, 0))
                        .map(|t| {
                            format!(
                                " at {}",
                                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                            )
                        })
                        .unwrap_or_default();
                    format!("the access token expired{at}; request a new one from /oauth/token")
                }
                ErrorKind::ImmatureSignature => {
                    "the access token is not valid yet (its nbf is ahead): check the clocks".into()
                }
                ErrorKind::InvalidSignature => {
                    "the access token's signature does not match the exchange's key".into()
                }
                ErrorKind::InvalidIssuer => {
                    "the access token was not issued by this exchange".into()
                }
                ErrorKind::InvalidAudience => {
                    "the access token is meant for another API than this exchange's".into()
                }
                ErrorKind::MissingRequiredClaim(claim) => {
                    format!("the access token lacks the claim {claim}")
                }
                _ => "the access token lacks a claim the exchange writes, or one cannot be read"
                    .into(),
            };
            TokenError::Invalid(detail)
        })
}
