//! Data-sharing agreements and every version of their terms in the database. Terms are
//! stored as canonical JSON text: they are read whole, never queried field by field.

use diesel::prelude::*;

use super::schema::{agreement_versions, agreements};
use super::{AnyConnection, QueryResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agreements)]
#[diesel(treat_none_as_default_value = false)]
pub struct AgreementRow {
    pub id: String,
    pub provider_agency: String,
    pub consumer_agency: String,
    pub status: String,
    pub version_in_force: Option<i64>,
    pub latest_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agreement_versions)]
#[diesel(treat_none_as_default_value = false)]
pub struct VersionRow {
    pub agreement_id: String,
    pub version: i64,
    pub terms: String,
    pub state: String,
    pub proposed_by: String,
    pub proposed_at: i64,
    pub approved_at: Option<i64>,
}

pub fn insert(conn: &mut AnyConnection, row: &AgreementRow, first: &VersionRow) -> QueryResult<()> {
    diesel::insert_into(agreements::table)
        .values(row.clone())
        .execute(conn)?;
    insert_version(conn, first)
}

pub fn insert_version(conn: &mut AnyConnection, row: &VersionRow) -> QueryResult<()> {
    diesel::insert_into(agreement_versions::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<AgreementRow>> {
    agreements::table
        .find(id)
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
}

/// Every agreement, or those `agency` is party to; oldest first.
pub fn list(conn: &mut AnyConnection, party: Option<&str>) -> QueryResult<Vec<AgreementRow>> {
    let mut query = agreements::table
        .select(AgreementRow::as_select())
        .order((agreements::created_at, agreements::id))
        .into_boxed();
    if let Some(agency) = party {
        query = query.filter(
            agreements::provider_agency
                .eq(agency.to_owned())
                .or(agreements::consumer_agency.eq(agency.to_owned())),
        );
    }
    query.load(conn)
}

pub fn versions(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<VersionRow>> {
    agreement_versions::table
        .filter(agreement_versions::agreement_id.eq(id))
        .select(VersionRow::as_select())
        .order(agreement_versions::version)
        .load(conn)
}

/// The error for an agreement whose version row is gone: the database is not as written.
pub fn missing_version() -> super::QueryError {
    super::corrupt(std::io::Error::other("an agreement version is missing"))
}

/// Of each agreement, the version it shows (the one in force, else the latest), in one
/// query for a whole list: keyed by agreement id.
pub fn shown_versions(
    conn: &mut AnyConnection,
    rows: &[AgreementRow],
) -> QueryResult<std::collections::HashMap<String, VersionRow>> {
    let mut shown = std::collections::HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(1_000) {
        let ids: Vec<&str> = chunk.iter().map(|r| r.id.as_str()).collect();
        let wanted: std::collections::HashMap<&str, i64> = chunk
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.version_in_force.unwrap_or(r.latest_version),
                )
            })
            .collect();
        let versions: Vec<VersionRow> = agreement_versions::table
            .filter(agreement_versions::agreement_id.eq_any(&ids))
            .select(VersionRow::as_select())
            .load(conn)?;
        for version in versions {
            if wanted.get(version.agreement_id.as_str()) == Some(&version.version) {
                shown.insert(version.agreement_id.clone(), version);
            }
        }
    }
    Ok(shown)
}

pub fn version(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
) -> QueryResult<Option<VersionRow>> {
    agreement_versions::table
        .find((id, version))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the agreement's new state if nobody changed it since `seen_latest` and
/// `seen_status` were read; returns whether it did.
pub fn update(
    conn: &mut AnyConnection,
    row: &AgreementRow,
    seen_latest: i64,
    seen_status: &str,
) -> QueryResult<bool> {
    diesel::update(
        agreements::table
            .find(&row.id)
            .filter(agreements::latest_version.eq(seen_latest))
            .filter(agreements::status.eq(seen_status)),
    )
    .set((
        agreements::status.eq(&row.status),
        agreements::version_in_force.eq(row.version_in_force),
        agreements::latest_version.eq(row.latest_version),
        agreements::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_version_state(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    state: &str,
    approved_at: Option<i64>,
) -> QueryResult<()> {
    diesel::update(agreement_versions::table.find((id, version)))
        .set((
            agreement_versions::state.eq(state),
            agreement_versions::approved_at.eq(approved_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The active agreements with the terms in force: what reads are decided on.
pub fn in_force(conn: &mut AnyConnection) -> QueryResult<Vec<(AgreementRow, String)>> {
    agreements::table
        .inner_join(
            agreement_versions::table.on(agreement_versions::agreement_id
                .eq(agreements::id)
                .and(agreements::version_in_force.eq(agreement_versions::version.nullable()))),
        )
        .filter(agreements::status.eq("active"))
        .select((AgreementRow::as_select(), agreement_versions::terms))
        .load(conn)
}
