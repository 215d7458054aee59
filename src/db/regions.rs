//! The Kemendagri region table in the database, loaded from the copy shipped in the binary.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::regions;
use super::{AnyConnection, meta};
use crate::domain::region::{self, AnyRegionCode, RegionLevel, RegionRow};

#[derive(Insertable)]
#[diesel(table_name = regions)]
// SQLite would otherwise split a multi-row insert with NULLs into one statement per row.
#[diesel(treat_none_as_default_value = false)]
struct NewRegion<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    parent_code: Option<&'a str>,
}

/// Rows per INSERT: four bind parameters each, well under both backends' limits.
const CHUNK: usize = 2_000;

/// Loads the shipped table when the database holds another version of it (or none).
/// Returns whether it loaded. Runs in one transaction, so a failure leaves the old table.
pub fn sync(conn: &mut AnyConnection) -> QueryResult<bool> {
    let version = region::data_version();
    if meta::get(conn, meta::REGION_DATA_VERSION)?.as_deref() == Some(version) {
        return Ok(false);
    }
    conn.transaction(|conn| {
        diesel::delete(regions::table).execute(conn)?;
        let rows: Vec<RegionRow> = region::rows().collect();
        for chunk in rows.chunks(CHUNK) {
            let values: Vec<NewRegion<'_>> = chunk
                .iter()
                .map(|r| NewRegion {
                    code: &r.code,
                    name: &r.name,
                    level: r.level.as_str(),
                    parent_code: r.parent.as_deref(),
                })
                .collect();
            // Multi-row inserts do not compile through the two-backend enum.
            let insert = diesel::insert_into(regions::table).values(&values);
            match conn {
                AnyConnection::Postgresql(c) => insert.execute(c)?,
                AnyConnection::Sqlite(c) => insert.execute(c)?,
            };
        }
        meta::set(conn, meta::REGION_DATA_VERSION, version)?;
        Ok(true)
    })
}

/// One region, as answered by the lookup endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "33.01.01.2001", "name": "Tambakreja", "level": "village", "parent": "33.01.01"
}))]
pub struct Region {
    /// The dotted Kemendagri code.
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    /// The code of the region one level up; absent for a province.
    pub parent: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = regions)]
struct RegionDbRow {
    code: String,
    name: String,
    parent_code: Option<String>,
}

pub fn get(conn: &mut AnyConnection, dotted_code: &str) -> QueryResult<Option<Region>> {
    let Some(row) = regions::table
        .find(dotted_code)
        .select(RegionDbRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let level = AnyRegionCode::parse(&row.code)
        .map_err(super::corrupt)?
        .level();
    Ok(Some(Region {
        code: row.code,
        name: row.name,
        level,
        parent: row.parent_code,
    }))
}

/// The provinces, by code: `(dotted code, name)`.
pub fn provinces(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    regions::table
        .filter(regions::parent_code.is_null())
        .select((regions::code, regions::name))
        .order(regions::code)
        .load(conn)
}
