//! The `Caller` extractor: the one place where a request's access token is checked.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::Auth;
use super::rate_limit::retry_after_secs;
use super::scope::{Scope, ScopeSet};
use super::tokens::{self, TokenError};
use crate::db::clients::TokenStanding;
use crate::db::{self, Db};
use crate::domain::code::AgencyCode;
use crate::error::ApiError;

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
    fn from_claims(claims: tokens::AccessClaims) -> Result<Self, ApiError> {
        let invalid =
            |what: &str| ApiError::Unauthorized(format!("the token's {what} is not valid"));
        Ok(Caller {
            agency: AgencyCode::parse(&claims.agency).map_err(|_| invalid("agency"))?,
            scopes: ScopeSet::parse(&claims.scope).map_err(|_| invalid("scope"))?,
            client_id: claims.sub,
            issued_at: claims.iat,
        })
    }

    /// Refuses with 403 `insufficient_scope` unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope))
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let auth = req
                .app_data::<web::Data<Auth>>()
                .expect("Auth is registered as app data")
                .clone();
            let token = bearer_token(&req)?;
            let now = chrono::Utc::now().timestamp();
            let caller = match auth.verified.get(&token, now) {
                Some(caller) => caller,
                None => {
                    let claims = tokens::verify(&auth.keys, &auth.tokens, &token)
                        .await
                        .map_err(|e| match e {
                            TokenError::Keys(e) => e.into(),
                            other => ApiError::Unauthorized(other.to_string()),
                        })?;
                    let (nbf, exp) = (claims.nbf, claims.exp);
                    let caller = Caller::from_claims(claims)?;
                    auth.verified.insert(&token, caller.clone(), nbf, exp, now);
                    caller
                }
            };
            // Known from here on, so even a refusal below is recorded against the client.
            if let Some(trail) = crate::audit::trail::Trail::of(&req) {
                trail.set_client(&caller.client_id, caller.agency.as_str());
            }
            match auth.status.standing(&auth.db, &caller.client_id).await? {
                Some(standing) if standing.honours(caller.issued_at) => {}
                Some(standing) if !standing.disabled => {
                    return Err(ApiError::Unauthorized(
                        "the token was revoked: the client's secret has been replaced".into(),
                    ));
                }
                _ => return Err(ApiError::Unauthorized("the client is disabled".into())),
            }
            auth.api_limit
                .check(&caller.client_id)
                .map_err(|wait| ApiError::TooManyRequests {
                    retry_after_secs: retry_after_secs(wait),
                })?;
            Ok(caller)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("an access token is required".into()))?;
    if value.len() > tokens::MAX_TOKEN_BYTES + 16 {
        return Err(ApiError::Unauthorized("the token is too large".into()));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is malformed".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
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
    ) -> Result<Option<TokenStanding>, ApiError> {
        let cached = self
            .entries
            .lock()
            .expect("status lock")
            .get(client_id)
            .copied();
        if let Some((standing, _)) = cached.filter(|(_, at)| at.elapsed() < STATUS_TTL) {
            return Ok(standing);
        }
        let id = client_id.to_owned();
        let standing = db
            .run(move |conn| db::clients::token_standing(conn, &id).map_err(ApiError::from))
            .await?;
        let mut entries = self.entries.lock().expect("status lock");
        if entries.len() >= STATUS_CAPACITY {
            entries.clear();
        }
        entries.insert(client_id.to_owned(), (standing, Instant::now()));
        Ok(standing)
    }
}
