//! Agencies in the database.

use diesel::prelude::*;

use super::schema::agencies;
use super::{AnyConnection, corrupt};
use crate::domain::code::AgencyCode;
use crate::domain::reference::Agency;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = agencies)]
struct AgencyRow {
    code: String,
    name: String,
}

impl TryFrom<AgencyRow> for Agency {
    type Error = diesel::result::Error;
    fn try_from(row: AgencyRow) -> QueryResult<Self> {
        Ok(Agency {
            code: AgencyCode::try_from(row.code).map_err(corrupt)?,
            name: row.name,
        })
    }
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Agency>> {
    agencies::table
        .select(AgencyRow::as_select())
        .order(agencies::code)
        .load(conn)?
        .into_iter()
        .map(Agency::try_from)
        .collect()
}

pub fn exists(conn: &mut AnyConnection, code: &AgencyCode) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(agencies::table.find(code.as_str()))).get_result(conn)
}

/// Inserts a new agency; a duplicate code is a `UniqueViolation` from the database.
pub fn insert(conn: &mut AnyConnection, agency: &Agency) -> QueryResult<()> {
    diesel::insert_into(agencies::table)
        .values(AgencyRow {
            code: agency.code.to_string(),
            name: agency.name.clone(),
        })
        .execute(conn)
        .map(drop)
}
