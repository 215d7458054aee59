//! Small key-value facts about the database itself.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::meta;

pub const REGION_DATA_VERSION: &str = "region_data_version";
/// Set when `serve --demo` seeded the database, so it never touches real data.
pub const DEMO: &str = "demo";

pub fn get(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<String>> {
    meta::table
        .find(key)
        .select(meta::value)
        .first(conn)
        .optional()
}

pub fn set(conn: &mut AnyConnection, key: &str, value: &str) -> QueryResult<()> {
    // Delete-then-insert, because upserts do not compile through the two-backend enum.
    diesel::delete(meta::table.find(key)).execute(conn)?;
    diesel::insert_into(meta::table)
        .values((meta::key.eq(key), meta::value.eq(value)))
        .execute(conn)?;
    Ok(())
}
