//! The audit log in the database: the queue every instance appends to, and the append-only
//! log the sequencer builds from it (entries, subtree hashes, signed checkpoints).
//! Callers run the sequencer's work inside [`super::write_transaction`].

use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Text};

use super::AnyConnection;
use super::schema::{
    audit_checkpoints, audit_entries, audit_entry_niks, audit_entry_records, audit_nodes,
    audit_queue,
};
use crate::audit::Hash;
use crate::audit::merkle::NodeId;

/// Appends entries (canonical JSON without index) to the queue.
pub fn enqueue(conn: &mut AnyConnection, entries: &[String]) -> QueryResult<()> {
    #[derive(Insertable)]
    #[diesel(table_name = audit_queue)]
    struct Row<'a> {
        entry: &'a str,
    }
    let rows: Vec<Row> = entries.iter().map(|e| Row { entry: e }).collect();
    insert_chunked!(conn, audit_queue::table, &rows, 5_000);
    Ok(())
}

/// The oldest queued entries, at most `limit`, with their queue ids.
pub fn queued(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<(i64, String)>> {
    audit_queue::table
        .select((audit_queue::id, audit_queue::entry))
        .order(audit_queue::id)
        .limit(limit)
        .load(conn)
}

/// Removes queue rows once their entries are in the log (same transaction).
pub fn dequeue(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(5_000) {
        diesel::delete(audit_queue::table.filter(audit_queue::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(())
}

/// Takes the audit sequencer's lock for this transaction: true if this instance may
/// integrate now (see [`super::try_transaction_lock`]).
pub fn try_lock_sequencer(conn: &mut AnyConnection) -> QueryResult<bool> {
    /// "sinergi audit sequencer", as a 64-bit advisory lock key.
    const LOCK: i64 = 0x5349_4e45_5247_4931;
    super::try_transaction_lock(conn, LOCK)
}

/// The number of entries in the log.
pub fn tree_size(conn: &mut AnyConnection) -> QueryResult<u64> {
    let max: Option<i64> = audit_entries::table
        .select(diesel::dsl::max(audit_entries::entry_index))
        .first(conn)?;
    Ok(max.map_or(0, |m| m as u64 + 1))
}

/// One entry joining the log.
pub struct NewEntry {
    pub index: u64,
    pub text: String,
    pub recorded_at: i64,
    pub request_id: String,
    pub client_id: Option<String>,
    pub agency: Option<String>,
    pub purpose: Option<String>,
    pub route: Option<String>,
    pub outcome: &'static str,
    pub record_ids: Vec<String>,
    /// The entry's NIK and KK hashes.
    pub subject_hashes: Vec<String>,
}

/// Appends entries and the subtree hashes they complete. On PostgreSQL what an entry
/// touched goes into arrays on its own row (GIN-indexed); on SQLite into one side-table row
/// per record and per hash.
pub fn append(
    conn: &mut AnyConnection,
    entries: &[NewEntry],
    nodes: &[(NodeId, Hash)],
) -> QueryResult<()> {
    #[derive(Insertable)]
    #[diesel(table_name = audit_entries)]
    #[diesel(treat_none_as_default_value = false)]
    struct EntryRow<'a> {
        entry_index: i64,
        entry: &'a str,
        recorded_at: i64,
        request_id: &'a str,
        client_id: Option<&'a str>,
        agency: Option<&'a str>,
        purpose: Option<&'a str>,
        route: Option<&'a str>,
        outcome: &'a str,
    }
    #[derive(Insertable)]
    #[diesel(table_name = audit_entries)]
    struct Touched<'a> {
        record_ids: &'a [String],
        subject_hashes: &'a [String],
    }
    #[derive(Insertable)]
    #[diesel(table_name = audit_entry_records)]
    struct RecordRow<'a> {
        record_id: &'a str,
        entry_index: i64,
    }
    #[derive(Insertable)]
    #[diesel(table_name = audit_entry_niks)]
    struct NikRow<'a> {
        nik_hash: &'a str,
        entry_index: i64,
    }
    #[derive(Insertable)]
    #[diesel(table_name = audit_nodes)]
    struct NodeRow<'a> {
        level: i16,
        position: i64,
        hash: &'a [u8],
    }
    fn row(e: &NewEntry) -> EntryRow<'_> {
        EntryRow {
            entry_index: e.index as i64,
            entry: &e.text,
            recorded_at: e.recorded_at,
            request_id: &e.request_id,
            client_id: e.client_id.as_deref(),
            agency: e.agency.as_deref(),
            purpose: e.purpose.as_deref(),
            route: e.route.as_deref(),
            outcome: e.outcome,
        }
    }
    match conn {
        AnyConnection::Postgresql(c) => {
            let rows: Vec<_> = entries
                .iter()
                .map(|e| {
                    (
                        row(e),
                        Touched {
                            record_ids: &e.record_ids,
                            subject_hashes: &e.subject_hashes,
                        },
                    )
                })
                .collect();
            // 11 parameters a row: 2,000 rows stay well under PostgreSQL's 65,535.
            for chunk in rows.chunks(2_000) {
                diesel::insert_into(audit_entries::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
        AnyConnection::Sqlite(_) => {
            let rows: Vec<EntryRow> = entries.iter().map(row).collect();
            insert_chunked!(conn, audit_entries::table, &rows, 2_000);
            let records: Vec<RecordRow> = entries
                .iter()
                .flat_map(|e| {
                    e.record_ids.iter().map(|r| RecordRow {
                        record_id: r,
                        entry_index: e.index as i64,
                    })
                })
                .collect();
            insert_chunked!(conn, audit_entry_records::table, &records, 10_000);
            let niks: Vec<NikRow> = entries
                .iter()
                .flat_map(|e| {
                    e.subject_hashes.iter().map(|n| NikRow {
                        nik_hash: n,
                        entry_index: e.index as i64,
                    })
                })
                .collect();
            insert_chunked!(conn, audit_entry_niks::table, &niks, 10_000);
        }
    }
    let nodes: Vec<NodeRow> = nodes
        .iter()
        .map(|(id, hash)| NodeRow {
            level: id.level as i16,
            position: id.index as i64,
            hash,
        })
        .collect();
    insert_chunked!(conn, audit_nodes::table, &nodes, 10_000);
    Ok(())
}

/// The stored hashes of these perfect subtrees, in the order asked. An absent node means
/// the tree is smaller than the caller assumed, or the table was changed.
pub fn node_hashes(conn: &mut AnyConnection, ids: &[NodeId]) -> QueryResult<Vec<Hash>> {
    let mut hashes = Vec::with_capacity(ids.len());
    for id in ids {
        let bytes: Vec<u8> = audit_nodes::table
            .find((id.level as i16, id.index as i64))
            .select(audit_nodes::hash)
            .first(conn)?;
        hashes.push(
            bytes
                .try_into()
                .map_err(|_| super::corrupt(std::fmt::Error))?,
        );
    }
    Ok(hashes)
}

/// A signed checkpoint as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_checkpoints)]
pub struct StoredCheckpoint {
    pub tree_size: i64,
    pub root_hash: Vec<u8>,
    pub note: String,
    pub signed_at: i64,
}

pub fn insert_checkpoint(
    conn: &mut AnyConnection,
    checkpoint: &StoredCheckpoint,
) -> QueryResult<()> {
    diesel::insert_into(audit_checkpoints::table)
        .values(checkpoint)
        .execute(conn)
        .map(drop)
}

/// The checkpoint of this size, or the latest when `size` is `None`.
pub fn checkpoint(
    conn: &mut AnyConnection,
    size: Option<u64>,
) -> QueryResult<Option<StoredCheckpoint>> {
    match size {
        Some(size) => audit_checkpoints::table
            .find(size as i64)
            .select(StoredCheckpoint::as_select())
            .first(conn)
            .optional(),
        None => audit_checkpoints::table
            .order(audit_checkpoints::tree_size.desc())
            .select(StoredCheckpoint::as_select())
            .first(conn)
            .optional(),
    }
}

/// What an auditor filters entries by. Every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub time_from: Option<i64>,
    pub time_to: Option<i64>,
    pub request_id: Option<String>,
    pub client_id: Option<String>,
    pub agency: Option<String>,
    pub purpose: Option<String>,
    pub route: Option<String>,
    pub outcome: Option<String>,
    pub record_id: Option<String>,
    /// Keyed hashes of NIKs or KKs that every entry must have touched: both are kept
    /// together as the people and families an entry touched (`append`).
    pub subject_hashes: Vec<String>,
}

/// Entries matching `filter` with an index above `after`, at most `limit`, in index order:
/// their indexes and stored texts.
pub fn search(
    conn: &mut AnyConnection,
    filter: &Filter,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    macro_rules! build {
        ($backend:ty, |$query:ident| $touched:block) => {{
            let mut query = audit_entries::table
                .select((audit_entries::entry_index, audit_entries::entry))
                .order(audit_entries::entry_index)
                .limit(limit)
                .into_boxed::<$backend>();
            if let Some(after) = after {
                query = query.filter(audit_entries::entry_index.gt(after));
            }
            if let Some(from) = filter.time_from {
                query = query.filter(audit_entries::recorded_at.ge(from));
            }
            if let Some(to) = filter.time_to {
                query = query.filter(audit_entries::recorded_at.lt(to));
            }
            if let Some(v) = &filter.request_id {
                query = query.filter(audit_entries::request_id.eq(v));
            }
            if let Some(v) = &filter.client_id {
                query = query.filter(audit_entries::client_id.eq(v));
            }
            if let Some(v) = &filter.agency {
                query = query.filter(audit_entries::agency.eq(v));
            }
            if let Some(v) = &filter.purpose {
                query = query.filter(audit_entries::purpose.eq(v));
            }
            if let Some(v) = &filter.route {
                query = query.filter(audit_entries::route.eq(v));
            }
            if let Some(v) = &filter.outcome {
                query = query.filter(audit_entries::outcome.eq(v));
            }
            // What an entry touched is kept differently by each backend (`append`).
            let mut $query = query;
            $touched
        }};
    }
    match conn {
        AnyConnection::Postgresql(c) => build!(diesel::pg::Pg, |query| {
            if let Some(v) = &filter.record_id {
                query = query.filter(touching("record_ids", vec![v.clone()]));
            }
            if !filter.subject_hashes.is_empty() {
                query = query.filter(touching("subject_hashes", filter.subject_hashes.clone()));
            }
            query
        })
        .load(c),
        AnyConnection::Sqlite(c) => build!(diesel::sqlite::Sqlite, |query| {
            if let Some(v) = &filter.record_id {
                query = query.filter(
                    audit_entries::entry_index.eq_any(
                        audit_entry_records::table
                            .filter(audit_entry_records::record_id.eq(v.clone()))
                            .select(audit_entry_records::entry_index),
                    ),
                );
            }
            for v in &filter.subject_hashes {
                query = query.filter(
                    audit_entries::entry_index.eq_any(
                        audit_entry_niks::table
                            .filter(audit_entry_niks::nik_hash.eq(v.clone()))
                            .select(audit_entry_niks::entry_index),
                    ),
                );
            }
            query
        })
        .load(c),
    }
}

/// PostgreSQL: entries whose array `column` holds every one of `values`. The matching
/// indexes are collected through the column's GIN index first (`= ANY(ARRAY(…))`): the
/// planner has no statistics for single hashes, and given `column @> $1` beside
/// `ORDER BY entry_index LIMIT n` it walked the whole log in index order instead (0.5 s at
/// 310,000 entries for a person's trail, against 0.7 ms this way).
fn touching(
    column: &'static str,
    values: Vec<String>,
) -> Box<dyn BoxableExpression<audit_entries::table, diesel::pg::Pg, SqlType = Bool>> {
    Box::new(
        diesel::dsl::sql::<Bool>(&format!(
            "audit_entries.entry_index = ANY(ARRAY(\
             SELECT t.entry_index FROM audit_entries t WHERE t.{column} @> "
        ))
        .bind::<Array<Text>, _>(values)
        .sql("))"),
    )
}

/// The stored texts of entries `from..to`, in index order.
pub fn range(conn: &mut AnyConnection, from: u64, to: u64) -> QueryResult<Vec<(i64, String)>> {
    audit_entries::table
        .select((audit_entries::entry_index, audit_entries::entry))
        .filter(audit_entries::entry_index.ge(from as i64))
        .filter(audit_entries::entry_index.lt(to as i64))
        .order(audit_entries::entry_index)
        .load(conn)
}
