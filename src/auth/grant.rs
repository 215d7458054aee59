//! The client credentials grant (RFC 6749 §4.4) as one operation: the token endpoint's
//! limits, client authentication, the scopes to grant and the token.
//!
//! It owns the order of those steps (a source that keeps failing is stopped before any
//! argon2 or signature check runs; a client's token quota is counted only once it is
//! authenticated) and the one answer every refusal gets. It knows nothing of HTTP: reading
//! the form and the `Authorization` header, and OAuth's error format, are the token
//! endpoint's (`api::oauth`).

use std::time::Duration;

use super::assertion::{self, Assertion};
use super::client_auth::{self, Authenticated};
use super::keys::KeyError;
use super::scope::{Scope, ScopeError, ScopeSet};
use super::{Auth, tokens};
use crate::db::DbError;
use crate::db::clients::ClientRecord;

/// What a client presented to authenticate.
pub enum Credentials {
    Secret { id: String, secret: String },
    Assertion(Assertion),
}

impl Credentials {
    /// The client id the credentials claim, unverified.
    fn client_id(&self) -> &str {
        match self {
            Credentials::Secret { id, .. } => id,
            Credentials::Assertion(assertion) => assertion.client_id(),
        }
    }
}

/// A token issued.
pub struct Granted {
    pub token: String,
    pub scopes: ScopeSet,
}

#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    /// A limit of the token endpoint was reached; try again after this long.
    #[error("too many token requests")]
    TooMany(Duration),
    /// The credentials were refused. Every reason gets this one answer (see [`client_auth`]);
    /// the reason itself went to the log.
    #[error("client authentication failed")]
    Refused,
    #[error("scope names a scope this exchange does not have")]
    UnknownScope,
    #[error("scope is empty; omit it to ask for every scope of the client")]
    EmptyScope,
    #[error("the client may not use {0}")]
    ScopeNotHeld(Scope),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Authenticates `credentials` sent from `source` and issues a token for the `scope` asked
/// for (all the client's scopes if none). `presented` is told of the registered client the
/// credentials named, whether they were accepted or not, so that the request's audit entry
/// can name it; an unknown client id is never passed on.
pub async fn client_credentials(
    auth: &Auth,
    source: &str,
    credentials: Credentials,
    scope: Option<&str>,
    presented: impl Fn(&ClientRecord),
) -> Result<Granted, GrantError> {
    let Authenticated { client, at } = authenticate(auth, source, credentials, &presented).await?;
    auth.token_limits
        .issue(&client.id)
        .map_err(GrantError::TooMany)?;
    let scopes = granted_scopes(&client, scope)?;
    let token = tokens::issue(&auth.keys, &auth.tokens, &client, &scopes, at).await?;
    Ok(Granted { token, scopes })
}

/// Checks the credentials, unless their source has failed too often lately.
async fn authenticate(
    auth: &Auth,
    source: &str,
    credentials: Credentials,
    presented: &impl Fn(&ClientRecord),
) -> Result<Authenticated, GrantError> {
    let attempt = auth
        .token_limits
        .attempt(credentials.client_id(), source)
        .map_err(GrantError::TooMany)?;
    let audiences = auth.assertion_audiences.clone();
    let outcome = auth
        .db
        .run(move |conn| {
            match &credentials {
                Credentials::Secret { id, secret } => client_auth::check_secret(conn, id, secret),
                Credentials::Assertion(assertion) => assertion::check(conn, assertion, &audiences),
            }
            .map_err(DbError::from)
        })
        .await;
    match outcome {
        Ok(Ok(authenticated)) => {
            attempt.not_refused();
            presented(&authenticated.client);
            Ok(authenticated)
        }
        Ok(Err(refused)) => {
            let registered = refused.client.as_ref();
            if let Some(client) = registered {
                presented(client);
            }
            tracing::info!(
                client.id = registered.map(|c| c.id.as_str()),
                reason = refused.reason.as_str(),
                "client authentication refused"
            );
            Err(GrantError::Refused)
        }
        // An outage is not the caller's failure: it does not count against its source.
        Err(e) => {
            attempt.not_refused();
            Err(e.into())
        }
    }
}

/// The scopes to grant: those asked for, which the client must hold, or else all it holds.
/// Errors name only scopes the exchange knows, never text the caller sent.
fn granted_scopes(client: &ClientRecord, requested: Option<&str>) -> Result<ScopeSet, GrantError> {
    let Some(requested) = requested else {
        return Ok(client.scopes.clone());
    };
    let requested = ScopeSet::parse(requested).map_err(|e| match e {
        ScopeError::Unknown(_) => GrantError::UnknownScope,
        ScopeError::Empty => GrantError::EmptyScope,
    })?;
    if let Some(scope) = requested.iter().find(|s| !client.scopes.contains(*s)) {
        return Err(GrantError::ScopeNotHeld(scope));
    }
    Ok(requested)
}
