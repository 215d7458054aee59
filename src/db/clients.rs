//! OAuth clients in the database.

use diesel::prelude::*;

use super::schema::clients;
use super::{AnyConnection, corrupt};
use crate::auth::scope::ScopeSet;
use crate::domain::code::AgencyCode;

/// A stored client, secret hash and key set included: never sent to anyone as it is.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub id: String,
    pub agency: AgencyCode,
    pub name: String,
    pub scopes: ScopeSet,
    pub secret_hash: Option<String>,
    pub jwks: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
    /// Access tokens issued (`iat`) before this Unix second are refused: set when the secret
    /// is replaced.
    pub tokens_revoked_before: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
#[diesel(treat_none_as_default_value = false)]
struct ClientRow {
    id: String,
    agency_code: String,
    name: String,
    scopes: String,
    secret_hash: Option<String>,
    jwks: Option<String>,
    disabled: bool,
    created_at: i64,
    tokens_revoked_before: Option<i64>,
}

impl TryFrom<ClientRow> for ClientRecord {
    type Error = diesel::result::Error;
    fn try_from(row: ClientRow) -> QueryResult<Self> {
        Ok(ClientRecord {
            id: row.id,
            agency: AgencyCode::try_from(row.agency_code).map_err(corrupt)?,
            name: row.name,
            scopes: ScopeSet::parse(&row.scopes).map_err(corrupt)?,
            secret_hash: row.secret_hash,
            jwks: row.jwks,
            disabled: row.disabled,
            created_at: row.created_at,
            tokens_revoked_before: row.tokens_revoked_before,
        })
    }
}

/// Inserts a new client; an unknown agency is a `ForeignKeyViolation` from the database.
pub fn insert(conn: &mut AnyConnection, client: &ClientRecord) -> QueryResult<()> {
    diesel::insert_into(clients::table)
        .values(ClientRow {
            id: client.id.clone(),
            agency_code: client.agency.to_string(),
            name: client.name.clone(),
            scopes: client.scopes.to_string(),
            secret_hash: client.secret_hash.clone(),
            jwks: client.jwks.clone(),
            disabled: client.disabled,
            created_at: client.created_at,
            tokens_revoked_before: client.tokens_revoked_before,
        })
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<ClientRecord>> {
    clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .map(ClientRecord::try_from)
        .transpose()
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<ClientRecord>> {
    clients::table
        .select(ClientRow::as_select())
        .order((clients::agency_code, clients::created_at, clients::id))
        .load(conn)?
        .into_iter()
        .map(ClientRecord::try_from)
        .collect()
}

/// Whether the client exists and is enabled: the check behind every request's token.
pub fn is_enabled(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
    clients::table
        .find(id)
        .select(clients::disabled)
        .first::<bool>(conn)
        .optional()
        .map(|disabled| disabled == Some(false))
}

/// What decides whether a client's access tokens are still honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenStanding {
    pub disabled: bool,
    pub tokens_revoked_before: Option<i64>,
}

impl TokenStanding {
    /// Whether a token issued at `iat` (Unix seconds) to this client is still honoured.
    pub fn honours(&self, iat: i64) -> bool {
        !self.disabled
            && self
                .tokens_revoked_before
                .is_none_or(|before| iat >= before)
    }
}

/// The standing of a client's tokens; `None` when there is no such client.
pub fn token_standing(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<TokenStanding>> {
    clients::table
        .find(id)
        .select((clients::disabled, clients::tokens_revoked_before))
        .first::<(bool, Option<i64>)>(conn)
        .optional()
        .map(|row| {
            row.map(|(disabled, tokens_revoked_before)| TokenStanding {
                disabled,
                tokens_revoked_before,
            })
        })
}

/// Which of `ids` are clients that exist and are enabled.
pub fn enabled_among(conn: &mut AnyConnection, ids: &[&str]) -> QueryResult<Vec<String>> {
    clients::table
        .filter(clients::id.eq_any(ids))
        .filter(clients::disabled.eq(false))
        .select(clients::id)
        .load(conn)
}

/// Disables or enables a client at once; returns whether it exists.
pub fn set_disabled(conn: &mut AnyConnection, id: &str, disabled: bool) -> QueryResult<bool> {
    diesel::update(clients::table.find(id))
        .set(clients::disabled.eq(disabled))
        .execute(conn)
        .map(|n| n == 1)
}

/// Replaces a client's secret hash and refuses its tokens issued before `tokens_revoked_before`
/// (Unix seconds), in one statement; returns whether a secret-based client of that id exists.
pub fn replace_secret_hash(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
    tokens_revoked_before: i64,
) -> QueryResult<bool> {
    diesel::update(
        clients::table
            .find(id)
            .filter(clients::secret_hash.is_not_null()),
    )
    .set((
        clients::secret_hash.eq(hash),
        clients::tokens_revoked_before.eq(tokens_revoked_before),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
