//! Client assertions (RFC 7523) already used, so that none is accepted twice.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::AnyConnection;
use super::schema::used_assertions;

/// Records that `jti` of `client_id` was used. Returns false when it had been used before.
/// The primary key makes this a single atomic check, also across instances.
///
/// Entries that expired before `prune_before` are deleted first. Callers pass a time older
/// than any `exp` they still accept (now minus the clock-skew leeway): an entry deleted any
/// earlier would let its assertion be replayed while the leeway still accepts it.
pub fn record_once(
    conn: &mut AnyConnection,
    client_id: &str,
    jti: &str,
    expires_at: i64,
    prune_before: i64,
) -> QueryResult<bool> {
    diesel::delete(used_assertions::table.filter(used_assertions::expires_at.lt(prune_before)))
        .execute(conn)?;
    let inserted = diesel::insert_into(used_assertions::table)
        .values((
            used_assertions::client_id.eq(client_id),
            used_assertions::jti.eq(jti),
            used_assertions::expires_at.eq(expires_at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}
