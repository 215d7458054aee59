//! RFC 7523 client assertions (`private_key_jwt`): a short-lived JWT that the client signs with
//! one of its registered keys.
//!
//! An assertion is checked in two stages. [`parse`] needs no client: size, algorithm, readable
//! claims, an `exp` not too far ahead, a `jti`. Its complaints may say what is wrong, since they
//! reveal nothing about which clients exist. [`check`] looks the client up and verifies the rest;
//! whatever it refuses looks the same to the caller (see [`super::client_auth`]).

use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::client_auth::{Authenticated, Outcome, Reason, Refused};
use super::{lifetime, tokens};
use crate::db::{self, AnyConnection, QueryError};

/// The `client_assertion_type` of RFC 7523 assertions.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// RFC 7523 assertions must not be valid for longer than this ahead.
const MAX_AHEAD_SECS: i64 = 300;
/// A `jti` longer than this is refused unread.
const MAX_JTI_BYTES: usize = 256;

/// A well-formed assertion, not verified yet.
#[derive(Debug)]
pub struct Assertion {
    token: String,
    alg: Algorithm,
    kid: Option<String>,
    /// Its `iss`: the client it claims to come from.
    client_id: String,
    exp: i64,
    jti: String,
}

#[derive(Debug, Deserialize)]
struct UnverifiedClaims {
    iss: String,
    sub: Option<String>,
    #[serde(default)]
    aud: Audience,
    exp: i64,
    nbf: Option<i64>,
    jti: Option<String>,
}

/// `aud`: one string or several (RFC 7519 §4.1.3).
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum Audience {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn names_one_of(&self, audiences: &[String]) -> bool {
        match self {
            Self::None => false,
            Self::One(a) => audiences.contains(a),
            Self::Many(list) => list.iter().any(|a| audiences.contains(a)),
        }
    }
}

impl Assertion {
    /// The client the assertion claims to come from, unverified.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Whether one of the keys in `set` signed it, for this client, for us, and in time.
    fn verifies(&self, set: &JwkSet, audiences: &[String]) -> bool {
        let mut validation = Validation::new(self.alg);
        validation.leeway = lifetime::LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.client_id]);
        validation.sub = Some(self.client_id.clone());
        validation.set_audience(audiences);
        validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
        candidate_keys(set, self.kid.as_deref(), self.alg)
            .iter()
            .any(|key| {
                jsonwebtoken::decode::<serde_json::Value>(&self.token, key, &validation).is_ok()
            })
    }
}

/// The checks that need no client: everything but the signature, the client's standing and
/// replay. `Err` says which check failed, in words that never repeat the assertion's content
/// (the audiences it should name are not secret: they are this exchange's).
pub fn parse(
    token: String,
    form_client_id: Option<&str>,
    audiences: &[String],
    now: i64,
) -> Result<Assertion, String> {
    if token.len() > tokens::MAX_TOKEN_BYTES {
        return Err("too large".into());
    }
    let header = jsonwebtoken::decode_header(&token).map_err(|_| "malformed")?;
    if !matches!(
        header.alg,
        Algorithm::EdDSA | Algorithm::ES256 | Algorithm::RS256
    ) {
        return Err("the algorithm must be EdDSA, ES256 or RS256".into());
    }
    // The issuer names the client whose keys to check; nothing is trusted before that check.
    let claims: UnverifiedClaims =
        jsonwebtoken::dangerous::insecure_decode_claims(&token).map_err(|_| "malformed claims")?;
    if form_client_id.is_some_and(|id| id != claims.iss) {
        return Err("client_id does not match the assertion's issuer".into());
    }
    if claims.sub.as_deref() != Some(claims.iss.as_str()) {
        return Err("sub must be the client id, as iss is".into());
    }
    if !claims.aud.names_one_of(audiences) {
        return Err(format!(
            "aud must name this exchange: {}",
            audiences.join(" or ")
        ));
    }
    let leeway = lifetime::LEEWAY_SECS as i64;
    if claims.exp > now + MAX_AHEAD_SECS + leeway {
        return Err("exp is more than 5 minutes ahead".into());
    }
    if claims.exp < now - leeway {
        return Err("the assertion expired (exp has passed): sign a new one".into());
    }
    if claims.nbf.is_some_and(|nbf| nbf > now + leeway) {
        return Err("the assertion is not valid yet (nbf is ahead): check the clocks".into());
    }
    let jti = claims
        .jti
        .filter(|j| !j.is_empty() && j.len() <= MAX_JTI_BYTES)
        .ok_or("jti is required")?;
    Ok(Assertion {
        token,
        alg: header.alg,
        kid: header.kid,
        client_id: claims.iss,
        exp: claims.exp,
        jti,
    })
}

/// Authenticates the client the assertion names: it must exist, be enabled, authenticate with
/// keys, one of which signed the assertion (whose claims [`parse`] checked, and the signature
/// covers) for one of `audiences`, and the assertion must not have been used before.
pub fn check(
    conn: &mut AnyConnection,
    assertion: &Assertion,
    audiences: &[String],
) -> Result<Outcome, QueryError> {
    let at = chrono::Utc::now().timestamp();
    let Some(client) = db::clients::get(conn, &assertion.client_id)? else {
        return Ok(Err(Refused {
            reason: Reason::UnknownClient,
            client: None,
        }));
    };
    let reason = match client.jwks.as_deref().map(serde_json::from_str::<JwkSet>) {
        None => Some(Reason::NotAKeyClient),
        Some(Err(_)) => Some(Reason::UnusableKeys),
        Some(Ok(set)) if !assertion.verifies(&set, audiences) => Some(Reason::InvalidAssertion),
        // After the signature, so that a disabled client costs what an enabled one does.
        Some(Ok(_)) if client.disabled => Some(Reason::Disabled),
        Some(Ok(_)) => {
            let prune_before = at - lifetime::LEEWAY_SECS as i64;
            let fresh = db::assertions::record_once(
                conn,
                &client.id,
                &assertion.jti,
                assertion.exp,
                prune_before,
            )?;
            (!fresh).then_some(Reason::ReplayedAssertion)
        }
    };
    Ok(match reason {
        Some(reason) => Err(Refused {
            reason,
            client: Some(client),
        }),
        None => Ok(Authenticated { client, at }),
    })
}

/// The client's keys that could have made a signature with `alg` (and `kid`, when given).
fn candidate_keys(set: &JwkSet, kid: Option<&str>, alg: Algorithm) -> Vec<DecodingKey> {
    set.keys
        .iter()
        .filter(|jwk| kid.is_none() || jwk.common.key_id.as_deref() == kid)
        .filter(|jwk| {
            matches!(
                (&jwk.algorithm, alg),
                (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
                    | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
                    | (AlgorithmParameters::RSA(_), Algorithm::RS256)
            )
        })
        .filter_map(|jwk| DecodingKey::from_jwk(jwk).ok())
        .collect()
}
