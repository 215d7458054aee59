//! Client assertions (RFC 7523) already used, so that none is accepted twice.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::AnyConnection;
use super::schema::used_assertions;

/// Records that `jti` of `client_id` was used. Returns false when it had been used before.
/// The primary key makes this a single atomic check, also across instances.
pub fn record_once(
    conn: &mut AnyConnection,
    client_id: &str,
    jti: &str,
    expires_at: i64,
    now: i64,
) -> QueryResult<bool> {
    // Expired entries can go: an expired assertion is refused before it gets here.
    diesel::delete(used_assertions::table.filter(used_assertions::expires_at.lt(now)))
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
