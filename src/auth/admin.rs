//! The operator's management of OAuth clients (scope `admin`), as the API offers it: who may
//! do it, the rules that keep an operator from locking itself out, and each change stored
//! with the request's audit entry. Knows nothing of HTTP; the CLI manages clients directly
//! through [`super::clients`], as the machine's operator rather than a client.

use super::caller::MissingScope;
use super::clients::{self, ClientError, ClientView, ClientWithSecret, Credential};
use super::scope::{Scope, ScopeError, ScopeSet};
use crate::audit::trail::Trail;
use crate::audit::write::{Answer, EntryNotStored};
use crate::auth::Caller;
use crate::db::{self, Db, DbError, LostRace, QueryError};
use crate::domain::code::AgencyCode;

/// Why a client operation did not happen; the API maps each to its problem once.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    #[error("scopes {0}")]
    Scopes(ScopeError),
    #[error("there is no client with this id")]
    NotFound,
    /// An operator locking itself out would leave nobody to undo it.
    #[error("a client cannot disable itself; use another admin client or the CLI")]
    DisableSelf,
    /// Rotation revokes every token issued before it, the caller's own included: a client
    /// rotating itself would cut off the very work that asked for it.
    #[error(
        "a client cannot rotate its own secret over the API: the token it uses would stop \
         working at once; use another admin client or the CLI"
    )]
    RotateSelf,
    #[error("client {0} authenticates with keys (private_key_jwt) and has no secret to rotate")]
    KeysOnly(String),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<MissingScope> for AdminError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::Scope(scope)
    }
}

impl From<QueryError> for AdminError {
    fn from(e: QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// Client writes insert under fresh random ids or change one row: no race worth running again.
impl LostRace for AdminError {
    fn lost_race(&self) -> bool {
        false
    }
}

/// A client to create, as the operator asks for it.
pub struct NewClient {
    pub agency: AgencyCode,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The client's public JWK Set; without it the client gets a generated secret.
    pub jwks: Option<serde_json::Value>,
}

pub async fn create(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    new: NewClient,
) -> Result<ClientWithSecret, AdminError> {
    caller.require(Scope::Admin)?;
    let scopes = ScopeSet::from_scopes(new.scopes).map_err(AdminError::Scopes)?;
    let credential = match new.jwks {
        Some(jwks) => Credential::Jwks(jwks.to_string()),
        None => Credential::Secret,
    };
    let (agency, name) = (new.agency, new.name);
    let created = trail
        .write(db, move |conn, _| {
            let (agency, name) = (agency.clone(), name.clone());
            clients::create(conn, agency, name, scopes.clone(), credential.clone())
                .map(Answer::created)
                .map_err(AdminError::from)
        })
        .await?
        .value;
    tracing::info!(client.id = %created.client.client_id, by = %caller.client_id, "client created");
    Ok(created)
}

pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<ClientView>, AdminError> {
    caller.require(Scope::Admin)?;
    let rows = db
        .run(|conn| db::clients::list(conn).map_err(AdminError::from))
        .await?;
    Ok(rows.iter().map(ClientView::from).collect())
}

pub async fn get(db: &Db, caller: &Caller, id: String) -> Result<ClientView, AdminError> {
    caller.require(Scope::Admin)?;
    let found = db
        .run(move |conn| db::clients::get(conn, &id).map_err(AdminError::from))
        .await?;
    found
        .map(|c| ClientView::from(&c))
        .ok_or(AdminError::NotFound)
}

/// Disables a client: its tokens stop working within seconds, and it gets no new ones.
pub async fn disable(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    id: String,
) -> Result<ClientView, AdminError> {
    caller.require(Scope::Admin)?;
    if id == caller.client_id {
        return Err(AdminError::DisableSelf);
    }
    let client = trail
        .write(db, move |conn, _| {
            if !db::clients::set_disabled(conn, &id, true)? {
                return Err(AdminError::NotFound);
            }
            db::clients::get(conn, &id)?
                .map(Answer::ok)
                .ok_or(AdminError::NotFound)
        })
        .await?
        .value;
    tracing::info!(client.id = %client.id, by = %caller.client_id, "client disabled");
    Ok(ClientView::from(&client))
}

/// Replaces a secret-based client's secret, revoking the tokens issued before it.
pub async fn rotate_secret(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    id: String,
) -> Result<ClientWithSecret, AdminError> {
    caller.require(Scope::Admin)?;
    if id == caller.client_id {
        return Err(AdminError::RotateSelf);
    }
    let rotated = trail
        .write(db, move |conn, _| {
            if let Some(rotated) = clients::rotate_secret(conn, &id)? {
                return Ok(Answer::ok(rotated));
            }
            Err(match db::clients::get(conn, &id)? {
                Some(_) => AdminError::KeysOnly(id.clone()),
                None => AdminError::NotFound,
            })
        })
        .await?
        .value;
    tracing::info!(client.id = %rotated.client.client_id, by = %caller.client_id,
        "client secret rotated");
    Ok(rotated)
}
