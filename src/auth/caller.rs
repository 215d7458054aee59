//! Who is calling: the client an access token names, verified and admitted in one place
//! ([`Auth::authenticate`], [`Auth::admit`]). The HTTP layer extracts the token and calls these
//! (`http::caller`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Auth;
use super::keys::KeyError;
use super::rate_limit::retry_after_secs;
use super::scope::{Scope, ScopeSet};
use super::tokens::{self, TokenError};
use crate::db::clients::TokenStanding;
use crate::db::{self, Db, DbError};
use crate::domain::code::AgencyCode;

/// The authenticated client behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client_id: String,
    pub agency: AgencyCode,
    pub scopes: ScopeSet,
    /// When the token was issued (its `iat`, Unix seconds): replacing the client's secret
    /// revokes the tokens issued before.
    pub issued_at: i64,
}

impl Caller {
    /// The caller named by verified claims, parsed once per token (the cache keeps it).
    fn from_claims(claims: tokens::AccessClaims) -> Result<Self, CallerError> {
        let invalid =
            |what: &str| CallerError::Unauthorized(format!("the token's {what} is not valid"));
        Ok(Caller {
            agency: AgencyCode::parse(&claims.agency).map_err(|_| invalid("agency"))?,
            scopes: ScopeSet::parse(&claims.scope).map_err(|_| invalid("scope"))?,
            client_id: claims.sub,
            issued_at: claims.iat,
        })
    }

    /// Refuses unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), MissingScope> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(MissingScope(scope))
        }
    }
}

/// Why a request's caller is not served.
#[derive(Debug, thiserror::Error)]
pub enum CallerError {
    /// No valid credentials, or a client that may not act now; the text says which.
    #[error("{0}")]
    Unauthorized(String),
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The caller's token lacks the scope an operation needs.
#[derive(Debug, thiserror::Error)]
#[error("this operation needs the scope {0}")]
pub struct MissingScope(pub Scope);

impl Auth {
    /// The caller a bearer token names, its signature, issuer, audience and lifetime
    /// verified (once per token: the cache keeps the caller).
    pub async fn caller(&self, token: &str) -> Result<Caller, CallerError> {
        let now = chrono::Utc::now().timestamp();
        if let Some(caller) = self.verified.get(token, now) {
            return Ok(caller);
        }
        let claims = tokens::verify(&self.keys, &self.tokens, token)
            .await
            .map_err(|e| match e {
                TokenError::Keys(e) => CallerError::Keys(e),
                other => CallerError::Unauthorized(other.to_string()),
            })?;
        let (nbf, exp) = (claims.nbf, claims.exp);
        let caller = Caller::from_claims(claims)?;
        self.verified.insert(token, caller.clone(), nbf, exp, now);
        Ok(caller)
    }

    /// The caller a bearer token names, if it may act now: the token verified
    /// ([`Auth::caller`]), its client enabled and the token not revoked by a secret rotation.
    /// Every refusal of the credentials here is `Unauthorized` (401): such a request names
    /// nobody and counts as anonymous, like one without a token.
    pub async fn authenticate(&self, token: &str) -> Result<Caller, CallerError> {
        let caller = self.caller(token).await?;
        match self.status.standing(&self.db, &caller.client_id).await? {
            Some(standing) if standing.honours(caller.issued_at) => Ok(caller),
            Some(standing) if !standing.disabled => Err(CallerError::Unauthorized(
                "the token was revoked: the client's secret has been replaced".into(),
            )),
            _ => Err(CallerError::Unauthorized("the client is disabled".into())),
        }
    }

    /// Whether an authenticated `caller` is within its request rate.
    pub fn admit(&self, caller: &Caller) -> Result<(), CallerError> {
        self.api_limit
            .check(&caller.client_id)
            .map_err(|wait| CallerError::TooManyRequests {
                retry_after_secs: retry_after_secs(wait),
            })
    }
}

/// How long a client's standing is trusted before it is read again: disabling a client, or
/// replacing its secret, takes effect within this time on every instance.
const STATUS_TTL: Duration = Duration::from_secs(2);
/// Entries kept at most; the cache is cleared when full (it refills from the database).
const STATUS_CAPACITY: usize = 10_000;

/// Whether clients are enabled and since when their tokens count, cached for [`STATUS_TTL`].
#[derive(Default)]
pub struct ClientStatus {
    entries: Mutex<HashMap<String, (Option<TokenStanding>, Instant)>>,
}

impl ClientStatus {
    /// The standing of the client's tokens; `None` when there is no such client.
    pub async fn standing(
        &self,
        db: &Db,
        client_id: &str,
    ) -> Result<Option<TokenStanding>, DbError> {
        let cached = crate::sync::lock(&self.entries).get(client_id).copied();
        if let Some((standing, _)) = cached.filter(|(_, at)| at.elapsed() < STATUS_TTL) {
            return Ok(standing);
        }
        let id = client_id.to_owned();
        let standing = db
            .run(move |conn| db::clients::token_standing(conn, &id).map_err(DbError::from))
            .await?;
        let mut entries = crate::sync::lock(&self.entries);
        if entries.len() >= STATUS_CAPACITY {
            entries.clear();
        }
        entries.insert(client_id.to_owned(), (standing, Instant::now()));
        Ok(standing)
    }
}
