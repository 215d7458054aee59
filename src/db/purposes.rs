//! Purposes of processing in the database.

use diesel::prelude::*;

use super::schema::purposes;
use super::{AnyConnection, QueryResult, corrupt};
use crate::domain::code::PurposeCode;
use crate::domain::reference::Purpose;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = purposes)]
struct PurposeRow {
    code: String,
    name_id: String,
    name_en: String,
    description: String,
}

impl TryFrom<PurposeRow> for Purpose {
    type Error = diesel::result::Error;
    fn try_from(row: PurposeRow) -> QueryResult<Self> {
        Ok(Purpose {
            code: PurposeCode::try_from(row.code).map_err(corrupt)?,
            name_id: row.name_id,
            name_en: row.name_en,
            description: row.description,
        })
    }
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Purpose>> {
    purposes::table
        .select(PurposeRow::as_select())
        .order(purposes::code)
        .load(conn)?
        .into_iter()
        .map(Purpose::try_from)
        .collect()
}

pub fn get(conn: &mut AnyConnection, code: &PurposeCode) -> QueryResult<Option<Purpose>> {
    purposes::table
        .find(code.as_str())
        .select(PurposeRow::as_select())
        .first(conn)
        .optional()?
        .map(Purpose::try_from)
        .transpose()
}

/// Inserts a new purpose; a duplicate code is the database's `UniqueViolation`.
pub fn insert(conn: &mut AnyConnection, purpose: &Purpose) -> QueryResult<()> {
    diesel::insert_into(purposes::table)
        .values(PurposeRow {
            code: purpose.code.to_string(),
            name_id: purpose.name_id.clone(),
            name_en: purpose.name_en.clone(),
            description: purpose.description.clone(),
        })
        .execute(conn)
        .map(drop)
}
