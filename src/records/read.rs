//! Reading records back: stored rows to the records clients see, one record, its history,
//! and searches in pages.

use chrono::{DateTime, Utc};
use serde_json::value::{RawValue, to_raw_value};

use super::cursor::CursorKey;
use super::disclose::{Excluded, Reader};
use super::error::RecordsError;
use super::stored;
use crate::audit::report::Touched;
use crate::db::records::{self as store, Filter, StoredRecord, StoredVersion};
use crate::db::{AnyConnection, QueryResult, corrupt};
use crate::domain::code::AgencyCode;
use crate::domain::record::{Content, Meta, Reason};

/// An instant stored as Unix microseconds.
pub fn instant(micros: i64) -> QueryResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| corrupt(std::io::Error::other("a stored instant is out of range")))
}

pub fn reason(text: Option<&str>) -> QueryResult<Option<Reason>> {
    text.map(|t| Reason::parse(t).map_err(corrupt)).transpose()
}

/// The exchange's metadata of a stored current version.
pub fn meta_of(row: &StoredRecord) -> QueryResult<Meta> {
    Ok(Meta {
        id: row.id.parse().map_err(corrupt)?,
        publisher: AgencyCode::parse(&row.publisher).map_err(corrupt)?,
        version: row.version,
        created_at: instant(row.created_at)?,
        updated_at: instant(row.updated_at)?,
        retracted: row.retracted,
        retraction_reason: reason(row.retraction_reason.as_deref())?,
    })
}

/// A stored row as the record clients see. Content that no longer passes validation means
/// the database was changed behind the exchange's back, and is an error, not a record.
pub fn to_record<C: Content>(row: &StoredRecord, touched: &mut Touched) -> QueryResult<C::Record> {
    let content: C = serde_json::from_str(&row.content).map_err(corrupt)?;
    touched.add(&row.id, &content);
    Ok(content.into_record(meta_of(row)?))
}

/// A stored row as `reader` may see it: in full when it is the reader's agency's, projected
/// under the agreement that covers it otherwise, or refused.
pub fn shown<C: Content>(
    reader: &Reader,
    row: &StoredRecord,
    touched: &mut Touched,
) -> Result<serde_json::Value, RecordsError> {
    let content: C = serde_json::from_str(&row.content).map_err(corrupt)?;
    let access = reader.access(&row.publisher, &content)?;
    touched.add(&row.id, &content);
    let record = content.into_record(meta_of(row)?);
    Ok(reader.show(C::KIND, access, &record, touched))
}

/// Every version of a record as `reader` may see it, oldest first; access is decided on
/// the current version, and every version is projected the same way.
pub fn history<C: Content>(
    conn: &mut AnyConnection,
    reader: &Reader,
    current: &StoredRecord,
    touched: &mut Touched,
) -> Result<Vec<serde_json::Value>, RecordsError> {
    let latest: C = serde_json::from_str(&current.content).map_err(corrupt)?;
    let access = reader.access(&current.publisher, &latest)?;
    let base = meta_of(current)?;
    store::history(conn, &current.id)?
        .into_iter()
        .map(|v: StoredVersion| {
            let content: C = serde_json::from_str(&v.content).map_err(corrupt)?;
            touched.add(&current.id, &content);
            let record = content.into_record(Meta {
                version: v.version,
                updated_at: instant(v.recorded_at)?,
                retracted: v.retracted,
                retraction_reason: reason(v.retraction_reason.as_deref())?,
                ..base.clone()
            });
            Ok(reader.show(C::KIND, access, &record, touched))
        })
        .collect()
}

/// A search, validated: filters, page size and where to continue.
#[derive(Debug, Clone)]
pub struct Search {
    pub filter: Filter,
    pub limit: usize,
    pub cursor: Option<String>,
}

/// One page of a search.
pub struct Page<R> {
    pub items: Vec<R>,
    pub next_cursor: Option<String>,
    /// Publishers whose records the search did not look at, and why.
    pub excluded_publishers: Vec<Excluded>,
}

/// Runs a search for records of `C`'s kind among those `reader` may read. The cursor is
/// bound to the kind and filters (not to the agreements, which may change between pages).
/// The reader's own records are written from their stored JSON; others' as agreed.
pub fn search<C: Content>(
    conn: &mut AnyConnection,
    key: &CursorKey,
    search: &Search,
    reader: &Reader,
    touched: &mut Touched,
) -> Result<Page<Box<RawValue>>, RecordsError> {
    let plan = reader.plan_search(C::KIND, &search.filter)?;
    let fingerprint = format!("{} {:?}", C::KIND, search.filter);
    let after = search
        .cursor
        .as_deref()
        .map(|c| key.open(&fingerprint, c))
        .transpose()?
        .map(|id| id.to_string());
    // One more than asked tells whether another page follows.
    let mut rows = store::search(
        conn,
        C::KIND,
        &search.filter,
        Some(&plan.scopes),
        after.as_deref(),
        search.limit as i64 + 1,
    )?;
    let next_cursor = if rows.len() > search.limit {
        rows.truncate(search.limit);
        let last = rows.last().expect("limit is at least 1");
        Some(key.seal(&fingerprint, last.id.parse().map_err(corrupt)?))
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        if reader.is_own(&row.publisher) {
            items.push(stored::own(&row.content, &meta_of(row)?, touched)?);
            continue;
        }
        let content: C = serde_json::from_str(&row.content).map_err(corrupt)?;
        let access = reader.access_found(&plan, &row.publisher, &content)?;
        touched.add(&row.id, &content);
        let record = content.into_record(meta_of(row)?);
        let shown = reader.show(C::KIND, access, &record, touched);
        items.push(to_raw_value(&shown).map_err(corrupt)?);
    }
    Ok(Page {
        items,
        next_cursor,
        excluded_publishers: plan.excluded,
    })
}
