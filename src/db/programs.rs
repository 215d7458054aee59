//! Programs in the database.

use diesel::prelude::*;

use super::schema::programs;
use super::{AnyConnection, corrupt};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::reference::{Program, ProgramKind};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = programs)]
struct ProgramRow {
    code: String,
    name: String,
    agency_code: String,
    kind: String,
    active: bool,
}

impl TryFrom<ProgramRow> for Program {
    type Error = diesel::result::Error;
    fn try_from(row: ProgramRow) -> QueryResult<Self> {
        Ok(Program {
            code: ProgramCode::try_from(row.code).map_err(corrupt)?,
            name: row.name,
            agency: AgencyCode::try_from(row.agency_code).map_err(corrupt)?,
            kind: row.kind.parse().map_err(corrupt)?,
            active: row.active,
        })
    }
}

/// Which programs a listing returns; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct ProgramFilter {
    pub agency: Option<AgencyCode>,
    pub kind: Option<ProgramKind>,
    pub active: Option<bool>,
}

pub fn list(conn: &mut AnyConnection, filter: &ProgramFilter) -> QueryResult<Vec<Program>> {
    let mut query = programs::table
        .select(ProgramRow::as_select())
        .order(programs::code)
        .into_boxed();
    if let Some(agency) = &filter.agency {
        query = query.filter(programs::agency_code.eq(agency.as_str().to_owned()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(programs::kind.eq(kind.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(programs::active.eq(active));
    }
    query
        .load(conn)?
        .into_iter()
        .map(Program::try_from)
        .collect()
}

pub fn get(conn: &mut AnyConnection, code: &ProgramCode) -> QueryResult<Option<Program>> {
    programs::table
        .find(code.as_str())
        .select(ProgramRow::as_select())
        .first(conn)
        .optional()?
        .map(Program::try_from)
        .transpose()
}

/// Inserts a new program. A duplicate code is a `UniqueViolation` and an unknown agency a
/// `ForeignKeyViolation`, both from the database, so there is no check-then-insert race.
pub fn insert(conn: &mut AnyConnection, program: &Program) -> QueryResult<()> {
    diesel::insert_into(programs::table)
        .values(ProgramRow {
            code: program.code.to_string(),
            name: program.name.clone(),
            agency_code: program.agency.to_string(),
            kind: program.kind.as_str().to_owned(),
            active: program.active,
        })
        .execute(conn)
        .map(drop)
}

/// Turns a program on or off; returns whether it exists.
pub fn set_active(conn: &mut AnyConnection, code: &ProgramCode, active: bool) -> QueryResult<bool> {
    diesel::update(programs::table.find(code.as_str()))
        .set(programs::active.eq(active))
        .execute(conn)
        .map(|n| n == 1)
}

/// Sets the program's follow-up window (`None`: the exchange's default); answers whether
/// the program exists.
pub fn set_follow_up_days(
    conn: &mut AnyConnection,
    code: &ProgramCode,
    days: Option<i32>,
) -> QueryResult<bool> {
    diesel::update(programs::table.find(code.as_str()))
        .set(programs::follow_up_days.eq(days))
        .execute(conn)
        .map(|n| n == 1)
}

/// Every program's kind (`social_assistance`, `empowerment`) and follow-up window in days
/// (`None`: the exchange's default), keyed by code: what the follow-up watch decides on.
pub fn watch_terms(
    conn: &mut AnyConnection,
) -> QueryResult<std::collections::HashMap<String, (String, Option<i32>)>> {
    let rows: Vec<(String, String, Option<i32>)> = programs::table
        .select((programs::code, programs::kind, programs::follow_up_days))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(code, kind, days)| (code, (kind, days)))
        .collect())
}
