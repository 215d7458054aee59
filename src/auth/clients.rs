//! Managing OAuth clients: creation, secrets, key sets, and how they are shown.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::scope::{Scope, ScopeSet};
use super::secrets;
use crate::db::{self, AnyConnection, QueryError, clients::ClientRecord};
use crate::domain::code::AgencyCode;
use crate::domain::reference;

/// How a new client will authenticate at the token endpoint.
#[derive(Clone)]
pub enum Credential {
    /// A generated secret (`client_secret_basic` or `client_secret_post`).
    Secret,
    /// The client's public JWK Set, for `private_key_jwt` (RFC 7523).
    Jwks(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no agency {0}")]
    UnknownAgency(AgencyCode),
    #[error("name {0}")]
    Name(reference::NameError),
    #[error("jwks {0}")]
    Jwks(String),
    #[error(transparent)]
    Db(#[from] QueryError),
}

/// A client as operators see it: never its secret or secret hash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "client_id": "5d0c1e6a-0f8e-4d7b-9d3f-3f2f1c1f6b0a", "agency": "KEMENSOS",
    "name": "SIKS-NG publisher", "scopes": ["graduations:write", "graduations:read"],
    "auth_method": "client_secret", "disabled": false, "created_at": "2026-11-28T05:00:00Z"
}))]
pub struct ClientView {
    pub client_id: String,
    pub agency: AgencyCode,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// `client_secret` or `private_key_jwt`.
    pub auth_method: String,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&ClientRecord> for ClientView {
    fn from(c: &ClientRecord) -> Self {
        Self {
            client_id: c.id.clone(),
            agency: c.agency.clone(),
            name: c.name.clone(),
            scopes: c.scopes.iter().collect(),
            auth_method: if c.jwks.is_some() {
                "private_key_jwt"
            } else {
                "client_secret"
            }
            .into(),
            disabled: c.disabled,
            created_at: chrono::DateTime::from_timestamp(c.created_at, 0).unwrap_or_default(),
        }
    }
}

/// A client just created, or whose secret was just replaced: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientWithSecret {
    #[serde(flatten)]
    pub client: ClientView,
    /// Present for secret-based clients; shown only in this response, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// Creates a client. Returns it with its new secret, if it uses one.
pub fn create(
    conn: &mut AnyConnection,
    agency: AgencyCode,
    name: String,
    scopes: ScopeSet,
    credential: Credential,
) -> Result<ClientWithSecret, ClientError> {
    reference::check_name(&name).map_err(ClientError::Name)?;
    let (secret, secret_hash, jwks) = match credential {
        Credential::Secret => {
            let secret = secrets::generate_client_secret();
            let hash = secrets::hash_secret(&secret);
            (Some(secret), Some(hash), None)
        }
        Credential::Jwks(text) => {
            super::jwks::validate(&text).map_err(ClientError::Jwks)?;
            (None, None, Some(text))
        }
    };
    create_with(
        conn,
        uuid::Uuid::new_v4().to_string(),
        agency,
        name,
        scopes,
        secret,
        secret_hash,
        jwks,
    )
}

/// Creates a secret-based client with a chosen id and secret (the demo's fixed credentials).
pub fn create_fixed(
    conn: &mut AnyConnection,
    id: &str,
    agency: AgencyCode,
    name: &str,
    scopes: ScopeSet,
    secret: &str,
) -> Result<ClientWithSecret, ClientError> {
    let hash = secrets::hash_secret(secret);
    create_with(
        conn,
        id.into(),
        agency,
        name.into(),
        scopes,
        Some(secret.into()),
        Some(hash),
        None,
    )
}

#[allow(clippy::too_many_arguments)]
fn create_with(
    conn: &mut AnyConnection,
    id: String,
    agency: AgencyCode,
    name: String,
    scopes: ScopeSet,
    secret: Option<String>,
    secret_hash: Option<String>,
    jwks: Option<String>,
) -> Result<ClientWithSecret, ClientError> {
    let record = ClientRecord {
        id,
        agency: agency.clone(),
        name,
        scopes,
        secret_hash,
        jwks,
        disabled: false,
        created_at: chrono::Utc::now().timestamp(),
        tokens_revoked_before: None,
    };
    db::clients::insert(conn, &record).map_err(|e| match db::refusal(&e) {
        Some(db::Refusal::MissingReference) => ClientError::UnknownAgency(agency),
        _ => ClientError::Db(e),
    })?;
    Ok(ClientWithSecret {
        client: ClientView::from(&record),
        client_secret: secret,
    })
}

/// How far after the clock reading of a secret rotation its revocation reaches (see
/// [`rotate_secret`]).
const REVOCATION_MARGIN_SECS: i64 = 2;

/// Replaces a secret-based client's secret: the old one stops working at once, and so do the
/// access tokens issued before (within the time [`super::caller`] trusts a client's standing).
/// `None` when there is no such client or it authenticates with keys.
pub fn rotate_secret(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<ClientWithSecret>, ClientError> {
    let secret = secrets::generate_client_secret();
    let hash = secrets::hash_secret(&secret);
    // Tokens are dated in whole seconds, at the moment their credentials were checked; a check
    // may read the old secret until the rotation commits, a moment after this clock reading.
    // Refusing every token dated before the second after next covers this whole second and a
    // commit up to a second late. Tokens checked against the new secret are dated no earlier
    // than that (see `tokens::issue`), so they are not refused with the ones they replace.
    let revoked_before = chrono::Utc::now().timestamp() + REVOCATION_MARGIN_SECS;
    if !db::clients::replace_secret_hash(conn, id, &hash, revoked_before)? {
        return Ok(None);
    }
    let record = db::clients::get(conn, id)?.ok_or(QueryError::NotFound)?;
    Ok(Some(ClientWithSecret {
        client: ClientView::from(&record),
        client_secret: Some(secret),
    }))
}
