//! Publishing: checked items to stored versions, and retraction.
//!
//! Everything that can be decided without writing is decided first ([`super::checks`]), so a
//! rejected item never reaches the database. The write itself runs inside the caller's
//! transaction: it locks the publisher's existing rows, compares canonical hashes, inserts
//! or updates in bulk, and adds the feed's outbox rows. It does not open transactions or
//! write the audit entry (that is `audit::write`'s, around it).

use std::collections::HashMap;

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::RecordsError;
use super::precondition::Precondition;
use crate::audit::report::Touched;
use crate::db::AnyConnection;
use crate::db::changes::NewChange;
use crate::db::records::{self as store, NikRow, RecordRow, StoredRecord, VersionRow};
use crate::domain::code::AgencyCode;
use crate::domain::record::{self, Content, Meta, Reason, RecordKind};

/// What publishing did with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WriteResult {
    /// A new record, version 1.
    Created,
    /// A new version of an existing record (or a retracted one restored).
    Updated,
    /// The same content as the current version: nothing was written.
    Unchanged,
}

impl WriteResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Unchanged => "unchanged",
        }
    }
}

/// One item that passed every check, ready to be written.
pub struct Prepared<C> {
    pub content: C,
    canonical: String,
    hash: String,
}

impl<C: Content> Prepared<C> {
    pub fn new(content: C) -> Self {
        let (canonical, hash) = record::canonical(&content);
        Self {
            content,
            canonical,
            hash,
        }
    }

    /// The content as stored, read back from its canonical form: what every later read
    /// answers (`1` where the publisher sent `1.0`), also when the write found it unchanged.
    pub fn stored(&self) -> crate::db::QueryResult<C> {
        serde_json::from_str(&self.canonical).map_err(crate::db::corrupt)
    }
}

/// What was stored for one item.
pub struct Written {
    pub result: WriteResult,
    pub meta: Meta,
}

/// Upserts the items for `publisher` and says what happened to each, in the items' order,
/// reporting the records written into `touched`. Run it in a write transaction that is run
/// again after a lost race ([`crate::db::write_transaction_retrying`]): two concurrent
/// writers of the same new record cannot both insert it, and the loser, run again, finds the
/// row to update.
pub fn write<C: Content>(
    conn: &mut AnyConnection,
    publisher: &AgencyCode,
    items: &[Prepared<C>],
    precondition: Option<&Precondition>,
    touched: &mut Touched,
) -> Result<Vec<Written>, RecordsError> {
    let written = write_once(conn, publisher, items, precondition, now_micros())?;
    touched
        .record_ids
        .extend(written.iter().map(|w| w.meta.id.to_string()));
    Ok(written)
}

fn write_once<C: Content>(
    conn: &mut AnyConnection,
    publisher: &AgencyCode,
    items: &[Prepared<C>],
    precondition: Option<&Precondition>,
    now: i64,
) -> Result<Vec<Written>, RecordsError> {
    let source_ids: Vec<&str> = items
        .iter()
        .map(|p| p.content.source_record_id().as_str())
        .collect();
    let existing: HashMap<String, StoredRecord> =
        store::lock_by_source(conn, C::KIND, publisher.as_str(), &source_ids)?
            .into_iter()
            .map(|r| (r.source_record_id.clone(), r))
            .collect();

    let (mut inserts, mut updates) = (Vec::new(), Vec::new());
    let (mut insert_niks, mut update_niks) = (Vec::new(), Vec::new());
    let mut written = Vec::with_capacity(items.len());
    let mut changes = Vec::new();
    // Enrollments written that name a graduation, with their keys.
    let mut following = Vec::new();
    for item in items {
        let current = existing.get(item.content.source_record_id().as_str());
        if let Some(precondition) = precondition {
            precondition
                .check(current.map(|c| c.version))
                .map_err(RecordsError::PreconditionFailed)?;
        }
        let (result, id, version, created_at) = match current {
            None => (
                WriteResult::Created,
                uuid::Uuid::now_v7().to_string(),
                1,
                now,
            ),
            Some(c) if !c.retracted && c.content_hash == item.hash => {
                written.push(Written {
                    result: WriteResult::Unchanged,
                    meta: super::read::meta_of(c)?,
                });
                continue;
            }
            Some(c) => (
                WriteResult::Updated,
                c.id.clone(),
                c.version + 1,
                c.created_at,
            ),
        };
        let keys = item.content.search_keys();
        if C::KIND == RecordKind::Enrollment && keys.graduation_id.is_some() {
            following.push((id.clone(), keys.clone()));
        }
        let niks = keys.niks.into_iter().map(|nik| NikRow {
            nik,
            record_id: id.clone(),
        });
        let row = RecordRow {
            id: id.clone(),
            kind: C::KIND.as_str(),
            publisher: publisher.as_str().to_owned(),
            source_record_id: item.content.source_record_id().as_str().to_owned(),
            program: item.content.program().as_str().to_owned(),
            kk: keys.kk,
            region_digits: keys.region_digits,
            event_on: keys.event_on,
            status: keys.status,
            graduation_type: keys.graduation_type,
            graduation_id: keys.graduation_id,
            content: item.canonical.clone(),
            content_hash: item.hash.clone(),
            version,
            created_at,
            updated_at: now,
            retracted: false,
            retraction_reason: None,
        };
        written.push(Written {
            result,
            meta: meta_of_row(&row, publisher)?,
        });
        changes.push(change(&row, result.as_str()));
        if result == WriteResult::Created {
            insert_niks.extend(niks);
            inserts.push(row);
        } else {
            update_niks.extend(niks);
            updates.push(row);
        }
    }
    // Keys in one order for every writer, so two batches never wait on each other in a circle.
    inserts.sort_by(|a, b| a.source_record_id.cmp(&b.source_record_id));
    store::insert(conn, &inserts, &insert_niks)?;
    store::update(conn, &updates, &update_niks)?;
    // The outbox: one change per new version, committed with it. Unchanged items have none.
    crate::db::changes::insert(conn, &changes)?;
    // An enrollment that follows a graduation may complete a referral its publisher holds.
    if !following.is_empty() {
        let at = chrono::DateTime::from_timestamp_micros(now).unwrap_or_else(Utc::now);
        crate::referrals::deadlines::enrolled_by(conn, publisher.as_str(), &following, at)?;
    }
    Ok(written)
}

/// The change that announces a version just written.
fn change(row: &RecordRow, action: &'static str) -> NewChange {
    NewChange {
        kind: row.kind,
        action,
        record_id: row.id.clone(),
        version: row.version,
        publisher: row.publisher.clone(),
        program: row.program.clone(),
        occurred_at: row.updated_at,
        party: None,
        content: None,
    }
}

fn meta_of_row(row: &RecordRow, publisher: &AgencyCode) -> Result<Meta, RecordsError> {
    Ok(Meta {
        id: row.id.parse().map_err(crate::db::corrupt)?,
        publisher: publisher.clone(),
        version: row.version,
        created_at: super::read::instant(row.created_at)?,
        updated_at: super::read::instant(row.updated_at)?,
        retracted: false,
        retraction_reason: None,
    })
}

/// Retracts one of `publisher`'s records: a new version that is a tombstone. Retracting a
/// retracted record changes nothing. Answers the stored record as it now is, and reports
/// the people and family it names into `touched`. Run it in a write transaction.
pub fn retract<C: Content>(
    conn: &mut AnyConnection,
    publisher: &AgencyCode,
    id: &str,
    reason: Option<&Reason>,
    precondition: Option<&Precondition>,
    touched: &mut Touched,
) -> Result<(WriteResult, StoredRecord), RecordsError> {
    let kind = C::KIND;
    let now = now_micros();
    let Some(mut row) = store::lock_by_id(conn, kind, id)? else {
        return Err(RecordsError::NotFound(kind));
    };
    if row.publisher != publisher.as_str() {
        return Err(RecordsError::Forbidden(format!(
            "this {kind} was published by {}; only its publisher may retract it",
            row.publisher
        )));
    }
    if let Some(precondition) = precondition {
        precondition
            .check(Some(row.version))
            .map_err(RecordsError::PreconditionFailed)?;
    }
    let content: C = serde_json::from_str(&row.content).map_err(crate::db::corrupt)?;
    touched.add_subjects(content.search_keys());
    if row.retracted {
        return Ok((WriteResult::Unchanged, row));
    }
    row.version += 1;
    row.updated_at = now;
    row.retracted = true;
    row.retraction_reason = reason.map(|r| r.as_str().to_owned());
    store::retract(
        conn,
        &VersionRow {
            record_id: row.id.clone(),
            version: row.version,
            content: row.content.clone(),
            content_hash: row.content_hash.clone(),
            recorded_at: now,
            retracted: true,
            retraction_reason: row.retraction_reason.clone(),
        },
    )?;
    crate::db::changes::insert(
        conn,
        &[NewChange {
            kind: kind.as_str(),
            action: "retracted",
            record_id: row.id.clone(),
            version: row.version,
            publisher: row.publisher.clone(),
            program: content.program().as_str().to_owned(),
            occurred_at: now,
            party: None,
            content: None,
        }],
    )?;
    Ok((WriteResult::Updated, row))
}

/// Microseconds since the Unix epoch: fine enough that versions written in one second
/// still order by `updated_at`.
fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}
