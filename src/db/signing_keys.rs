//! The exchange's token signing keys in the database, shared by every instance.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::signing_keys;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
#[diesel(treat_none_as_default_value = false)]
pub struct StoredKey {
    pub kid: String,
    pub algorithm: String,
    /// base64url of the raw public key.
    pub public_key: String,
    /// The sealed PKCS#8 private key.
    pub private_key: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

/// Makes `key` the signing key: every other current key retires now, in one transaction.
pub fn rotate_in(conn: &mut AnyConnection, key: &StoredKey) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(signing_keys::table.filter(signing_keys::retired_at.is_null()))
            .set(signing_keys::retired_at.eq(Some(key.created_at)))
            .execute(conn)?;
        diesel::insert_into(signing_keys::table)
            .values(key)
            .execute(conn)
            .map(drop)
    })
}

/// Keys that may still verify a live token: the current ones, and those retired less than
/// `lifetime_secs` ago. Newest first, so the first unretired key is the one that signs.
pub fn verifying(
    conn: &mut AnyConnection,
    now: i64,
    lifetime_secs: i64,
) -> QueryResult<Vec<StoredKey>> {
    signing_keys::table
        .filter(
            signing_keys::retired_at
                .is_null()
                .or(signing_keys::retired_at.gt(now - lifetime_secs)),
        )
        .order((signing_keys::created_at.desc(), signing_keys::kid.desc()))
        .select(StoredKey::as_select())
        .load(conn)
}
