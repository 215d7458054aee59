//! Graduation and enrollment records in the database: the current version of each, every
//! version ever written, and the NIKs they are found by. Callers run writes inside
//! [`super::write_transaction`]; nothing here commits on its own.

use diesel::prelude::*;
use diesel::sql_types::{Array, Text};

use super::AnyConnection;
use super::schema::{record_niks, record_versions, records};
use crate::domain::record::RecordKind;

/// The current version of a record, as stored.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = records)]
pub struct StoredRecord {
    pub id: String,
    pub publisher: String,
    pub source_record_id: String,
    pub content: String,
    pub content_hash: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub retracted: bool,
    pub retraction_reason: Option<String>,
}

/// One stored version of a record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = record_versions)]
pub struct StoredVersion {
    pub version: i64,
    pub content: String,
    pub recorded_at: i64,
    pub retracted: bool,
    pub retraction_reason: Option<String>,
}

/// The searchable and stored columns of a version being written.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = records)]
// SQLite would split a multi-row insert with NULLs into one statement per row, and an
// update must clear a column whose new value is absent.
#[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct RecordRow {
    pub id: String,
    pub kind: &'static str,
    pub publisher: String,
    pub source_record_id: String,
    pub program: String,
    pub kk: Option<String>,
    pub region_digits: String,
    pub event_on: String,
    pub status: Option<&'static str>,
    pub graduation_type: Option<&'static str>,
    pub graduation_id: Option<String>,
    pub content: String,
    pub content_hash: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub retracted: bool,
    pub retraction_reason: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = record_versions)]
#[diesel(treat_none_as_default_value = false)]
pub struct VersionRow {
    pub record_id: String,
    pub version: i64,
    pub content: String,
    pub content_hash: String,
    pub recorded_at: i64,
    pub retracted: bool,
    pub retraction_reason: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = record_niks)]
pub struct NikRow {
    pub nik: String,
    pub record_id: String,
}

impl From<&RecordRow> for VersionRow {
    fn from(r: &RecordRow) -> Self {
        VersionRow {
            record_id: r.id.clone(),
            version: r.version,
            content: r.content.clone(),
            content_hash: r.content_hash.clone(),
            recorded_at: r.updated_at,
            retracted: r.retracted,
            retraction_reason: r.retraction_reason.clone(),
        }
    }
}

/// Writes new records with their first version and NIK index rows.
pub fn insert(conn: &mut AnyConnection, rows: &[RecordRow], niks: &[NikRow]) -> QueryResult<()> {
    insert_chunked!(conn, records::table, rows, 1_000);
    let versions: Vec<VersionRow> = rows.iter().map(VersionRow::from).collect();
    insert_chunked!(conn, record_versions::table, &versions, 2_000);
    insert_chunked!(conn, record_niks::table, niks, 5_000);
    Ok(())
}

/// Replaces the current version of existing records, keeps the new version in the history
/// and refreshes their NIK index rows.
pub fn update(conn: &mut AnyConnection, rows: &[RecordRow], niks: &[NikRow]) -> QueryResult<()> {
    for row in rows {
        diesel::update(records::table.find(&row.id))
            .set(row)
            .execute(conn)?;
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    for chunk in ids.chunks(5_000) {
        diesel::delete(record_niks::table.filter(record_niks::record_id.eq_any(chunk)))
            .execute(conn)?;
    }
    let versions: Vec<VersionRow> = rows.iter().map(VersionRow::from).collect();
    insert_chunked!(conn, record_versions::table, &versions, 2_000);
    insert_chunked!(conn, record_niks::table, niks, 5_000);
    Ok(())
}

/// Marks one record retracted with a new version; its NIK rows stay, so that searches with
/// `include_retracted` still find it.
pub fn retract(conn: &mut AnyConnection, row: &VersionRow) -> QueryResult<()> {
    diesel::update(records::table.find(&row.record_id))
        .set((
            records::version.eq(row.version),
            records::updated_at.eq(row.recorded_at),
            records::retracted.eq(true),
            records::retraction_reason.eq(&row.retraction_reason),
        ))
        .execute(conn)?;
    diesel::insert_into(record_versions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The current versions of a publisher's records with these source ids, locked against
/// concurrent writers until the transaction ends (PostgreSQL row locks; SQLite's
/// `BEGIN IMMEDIATE` already holds the database's single write lock).
pub fn lock_by_source(
    conn: &mut AnyConnection,
    kind: RecordKind,
    publisher: &str,
    source_record_ids: &[&str],
) -> QueryResult<Vec<StoredRecord>> {
    let mut found = Vec::with_capacity(source_record_ids.len());
    for chunk in source_record_ids.chunks(5_000) {
        match conn {
            // Sent as a one-off statement, planned with the actual array every time: a
            // prepared statement's generic plan, made while the table was still small, scans
            // all of the publisher's records instead of looking up the ids (measured in
            // docs/PERFORMANCE.md). One lock order for every writer, so two batches cannot
            // deadlock.
            AnyConnection::Postgresql(c) => found.extend(
                diesel::sql_query(
                    "SELECT id, publisher, source_record_id, content, content_hash, version, \
                     created_at, updated_at, retracted, retraction_reason FROM records \
                     WHERE kind = $1 AND publisher = $2 AND source_record_id = ANY($3) \
                     ORDER BY source_record_id FOR UPDATE",
                )
                .bind::<Text, _>(kind.as_str())
                .bind::<Text, _>(publisher)
                .bind::<Array<Text>, _>(chunk)
                .load::<StoredRecord>(c)?,
            ),
            AnyConnection::Sqlite(c) => found.extend(
                records::table
                    .filter(records::kind.eq(kind.as_str()))
                    .filter(records::publisher.eq(publisher))
                    .filter(records::source_record_id.eq_any(chunk))
                    .select(StoredRecord::as_select())
                    .load(c)?,
            ),
        }
    }
    Ok(found)
}

/// One record by id, locked like [`lock_by_source`].
pub fn lock_by_id(
    conn: &mut AnyConnection,
    kind: RecordKind,
    id: &str,
) -> QueryResult<Option<StoredRecord>> {
    let query = records::table
        .filter(records::id.eq(id))
        .filter(records::kind.eq(kind.as_str()));
    match conn {
        AnyConnection::Postgresql(c) => query
            .select(StoredRecord::as_select())
            .for_update()
            .first(c)
            .optional(),
        AnyConnection::Sqlite(c) => query.select(StoredRecord::as_select()).first(c).optional(),
    }
}

pub fn get(
    conn: &mut AnyConnection,
    kind: RecordKind,
    id: &str,
) -> QueryResult<Option<StoredRecord>> {
    records::table
        .filter(records::id.eq(id))
        .filter(records::kind.eq(kind.as_str()))
        .select(StoredRecord::as_select())
        .first(conn)
        .optional()
}

/// Every version of a record, oldest first.
pub fn history(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<StoredVersion>> {
    record_versions::table
        .filter(record_versions::record_id.eq(id))
        .order(record_versions::version)
        .select(StoredVersion::as_select())
        .load(conn)
}

/// Which of these ids name graduations.
pub fn existing_graduations(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(5_000) {
        found.extend(
            records::table
                .filter(records::kind.eq(RecordKind::Graduation.as_str()))
                .filter(records::id.eq_any(chunk))
                .select(records::id)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Search filters, already validated and normalised; `None` matches anything.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub nik: Option<String>,
    pub kk: Option<String>,
    /// Also the cards `kk` came from and led to (`crate::households`).
    pub follow_lineage: bool,
    pub program: Option<String>,
    pub publisher: Option<String>,
    /// Inclusive range of village codes without dots that a region prefix covers.
    pub region_digits: Option<(String, String)>,
    /// Inclusive range of `graduated_on` / `enrolled_on`.
    pub event_from: Option<String>,
    pub event_to: Option<String>,
    /// Strictly after, in Unix microseconds.
    pub updated_after: Option<i64>,
    pub status: Option<&'static str>,
    pub graduation_id: Option<String>,
    pub include_retracted: bool,
}

/// Whose records a search may return: one publisher's, optionally only some programs and
/// one region (a range of village codes without dots). A search with scopes returns the
/// records that any of them admits.
#[derive(Debug, Clone)]
pub struct PublisherScope {
    pub publisher: String,
    pub programs: Option<Vec<String>>,
    pub region_digits: Option<(String, String)>,
}

/// `kk` and the cards it came from and led to, as far as `households::walk` goes.
fn lineage_of(conn: &mut AnyConnection, kk: &str) -> QueryResult<Vec<String>> {
    use super::households::{Direction, MAX_RELATED, Walk, walk};
    let mut kks = vec![kk.to_owned()];
    for direction in [Direction::Ancestors, Direction::Descendants] {
        kks.extend(walk(conn, kk, direction, &Walk::default(), MAX_RELATED)?.into_keys());
    }
    Ok(kks)
}

/// One page of matching records in id order, starting after `after`, within `scopes` when
/// given.
pub fn search(
    conn: &mut AnyConnection,
    kind: RecordKind,
    filter: &Filter,
    scopes: Option<&[PublisherScope]>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<StoredRecord>> {
    let mut query = records::table
        .select(StoredRecord::as_select())
        .order(records::id)
        .limit(limit)
        .into_boxed();
    // The scopes first: each `or_filter` joins the whole condition so far, so they form one
    // disjunction that the filters below narrow.
    if let Some(scopes) = scopes {
        if scopes.is_empty() {
            return Ok(Vec::new());
        }
        for scope in scopes {
            let publisher = records::publisher.eq(scope.publisher.clone());
            query = match (&scope.programs, &scope.region_digits) {
                (None, None) => query.or_filter(publisher),
                (Some(programs), None) => {
                    query.or_filter(publisher.and(records::program.eq_any(programs.clone())))
                }
                (None, Some((low, high))) => query.or_filter(
                    publisher.and(records::region_digits.between(low.clone(), high.clone())),
                ),
                (Some(programs), Some((low, high))) => query.or_filter(
                    publisher
                        .and(records::program.eq_any(programs.clone()))
                        .and(records::region_digits.between(low.clone(), high.clone())),
                ),
            };
        }
    }
    query = query.filter(records::kind.eq(kind.as_str()));
    if let Some(nik) = &filter.nik {
        query = query.filter(
            records::id.eq_any(
                record_niks::table
                    .filter(record_niks::nik.eq(nik.clone()))
                    .select(record_niks::record_id),
            ),
        );
    }
    if let Some(kk) = &filter.kk {
        query = if filter.follow_lineage {
            query.filter(records::kk.eq_any(lineage_of(conn, kk)?))
        } else {
            query.filter(records::kk.eq(kk.clone()))
        };
    }
    if let Some(program) = &filter.program {
        query = query.filter(records::program.eq(program.clone()));
    }
    if let Some(publisher) = &filter.publisher {
        query = query.filter(records::publisher.eq(publisher.clone()));
    }
    if let Some((low, high)) = &filter.region_digits {
        query = query.filter(records::region_digits.between(low.clone(), high.clone()));
    }
    if let Some(from) = &filter.event_from {
        query = query.filter(records::event_on.ge(from.clone()));
    }
    if let Some(to) = &filter.event_to {
        query = query.filter(records::event_on.le(to.clone()));
    }
    if let Some(after) = filter.updated_after {
        query = query.filter(records::updated_at.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(records::status.eq(status));
    }
    if let Some(graduation_id) = &filter.graduation_id {
        query = query.filter(records::graduation_id.eq(graduation_id.clone()));
    }
    if !filter.include_retracted {
        query = query.filter(records::retracted.eq(false));
    }
    if let Some(after) = after {
        query = query.filter(records::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Up to `limit` enrollments that follow a graduation, oldest first: (graduation id,
/// enrollment id, enrollment publisher). For the demo's referrals.
pub fn followed(
    conn: &mut AnyConnection,
    limit: i64,
) -> QueryResult<Vec<(String, String, String)>> {
    records::table
        .filter(records::kind.eq(RecordKind::Enrollment.as_str()))
        .filter(records::retracted.eq(false))
        .filter(records::graduation_id.is_not_null())
        .order(records::id)
        .limit(limit)
        .select((
            records::graduation_id.assume_not_null(),
            records::id,
            records::publisher,
        ))
        .load(conn)
}

/// Up to `limit` ids of `publisher`'s graduations, oldest first. For the demo's referrals.
pub fn graduation_ids(
    conn: &mut AnyConnection,
    publisher: &str,
    limit: i64,
) -> QueryResult<Vec<String>> {
    records::table
        .filter(records::kind.eq(RecordKind::Graduation.as_str()))
        .filter(records::publisher.eq(publisher))
        .filter(records::retracted.eq(false))
        .order(records::id)
        .limit(limit)
        .select(records::id)
        .load(conn)
}

/// The content of one version of a record, if it exists.
pub fn version_content(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
) -> QueryResult<Option<String>> {
    record_versions::table
        .filter(record_versions::record_id.eq(id))
        .filter(record_versions::version.eq(version))
        .select(record_versions::content)
        .first(conn)
        .optional()
}

/// `publisher`'s live graduations with their dates (`graduated_on`), oldest record first.
/// For the demo's year of referrals.
pub fn dated_graduations(
    conn: &mut AnyConnection,
    publisher: &str,
) -> QueryResult<Vec<(String, String)>> {
    records::table
        .filter(records::kind.eq(RecordKind::Graduation.as_str()))
        .filter(records::publisher.eq(publisher))
        .filter(records::retracted.eq(false))
        .order(records::id)
        .select((records::id, records::event_on))
        .load(conn)
}

/// Every live enrollment that names a graduation: (graduation id, enrollment id,
/// publisher, `enrolled_on`). For the demo's year of referrals.
pub fn dated_followers(
    conn: &mut AnyConnection,
) -> QueryResult<Vec<(String, String, String, String)>> {
    records::table
        .filter(records::kind.eq(RecordKind::Enrollment.as_str()))
        .filter(records::retracted.eq(false))
        .filter(records::graduation_id.is_not_null())
        .order(records::id)
        .select((
            records::graduation_id.assume_not_null(),
            records::id,
            records::publisher,
            records::event_on,
        ))
        .load(conn)
}
