//! The record operations the API offers, once for both kinds. Each checks the caller's
//! scope, reports what it touches to the request's audit trail, changes data only through
//! the one audited-write path ([`Trail::write`]) and answers a result or a
//! [`RecordsError`]. Handlers extract the command, call, and map the answer to HTTP.

use std::sync::Arc;

use super::access;
use super::batch::{BatchResults, Items};
use super::checks::{self, References};
use super::cursor::CursorKey;
use super::disclose::Reader;
use super::error::RecordsError;
use super::precondition::Precondition;
use super::publish::{self, Prepared, WriteResult};
use super::read::{self, Page, Search};
use crate::agreements::policy::Policy;
use crate::audit::report::Touched;
use crate::audit::trail::Trail;
use crate::audit::write::Answered;
use crate::auth::Caller;
use crate::db::Db;
use crate::db::records::{self as store, StoredRecord};
use crate::domain::every_error::MAX_ERRORS;
use crate::domain::field_error::FieldError;
use crate::domain::record::{self, Content, Reason, RecordKind};

/// One record as a write left it.
pub struct Published<R> {
    pub record: R,
    pub id: uuid::Uuid,
    pub version: i64,
    pub result: WriteResult,
}

/// 201 when the record was created, 200 when updated or unchanged.
impl<R> Answered for Published<R> {
    fn status(&self) -> u16 {
        if self.result == WriteResult::Created {
            201
        } else {
            200
        }
    }
}

/// A record as a retraction left it.
pub struct Retracted<R> {
    pub record: R,
    pub version: i64,
    /// It was retracted already.
    pub unchanged: bool,
}

impl<R> Answered for Retracted<R> {
    fn status(&self) -> u16 {
        200
    }
}

/// One record as read, shaped for its reader.
pub struct Fetched {
    pub record: serde_json::Value,
    pub version: i64,
}

/// Upserts one record on (the caller's agency, `source_record_id`).
pub async fn publish_one<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    item: serde_json::Value,
    precondition: Option<Precondition>,
) -> Result<Published<C::Record>, RecordsError> {
    access::check_write(caller, C::KIND)?;
    let content: C = checks::parse_item(item, "", MAX_ERRORS)?;
    trail.report().subjects(content.search_keys());
    let publisher = caller.agency.clone();
    trail
        .write(db, move |conn, touched| {
            References::load(conn, &[&content])?.check(&publisher, &content, "")?;
            let prepared = [Prepared::new(content.clone())];
            let written =
                publish::write(conn, &publisher, &prepared, precondition.as_ref(), touched)?;
            let written = written.into_iter().next().expect("one result per item");
            Ok(Published {
                id: written.meta.id,
                version: written.meta.version,
                result: written.result,
                record: prepared[0].stored()?.into_record(written.meta),
            })
        })
        .await
}

/// Upserts many records, one result per item (see [`super::batch`]).
pub async fn publish_batch<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    items: Vec<serde_json::Value>,
    atomic: bool,
    max_items: usize,
) -> Result<BatchResults, RecordsError> {
    access::check_write(caller, C::KIND)?;
    if items.len() > max_items {
        return Err(RecordsError::TooManyItems {
            max: max_items,
            got: items.len(),
        });
    }
    if items.is_empty() {
        return Err(RecordsError::field("/items", "must hold at least one item"));
    }
    let items = Items::<C>::parse(items);
    let report = trail.report();
    for content in items.valid() {
        report.subjects(content.search_keys());
    }
    let publisher = caller.agency.clone();
    trail
        .write(db, move |conn, touched| {
            items.write(conn, &publisher, atomic, touched)
        })
        .await
}

/// The publisher withdraws its record: a tombstone as a new version, the history kept.
pub async fn retract<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    id: uuid::Uuid,
    reason: Option<Reason>,
    precondition: Option<Precondition>,
) -> Result<Retracted<C::Record>, RecordsError> {
    access::check_write(caller, C::KIND)?;
    if reason.as_ref().is_some_and(Reason::holds_personal_number) {
        return Err(RecordsError::Invalid(vec![FieldError::query(
            "reason",
            record::PERSONAL_NUMBER,
        )]));
    }
    let key = id.to_string();
    trail.report().records([&key]);
    let publisher = caller.agency.clone();
    trail
        .write(db, move |conn, touched| {
            let (result, row) = publish::retract::<C>(
                conn,
                &publisher,
                &key,
                reason.as_ref(),
                precondition.as_ref(),
                touched,
            )?;
            // The record names its people already in `touched`.
            let record = read::to_record::<C>(&row, &mut Touched::default())?;
            Ok(Retracted {
                record,
                version: row.version,
                unchanged: result == WriteResult::Unchanged,
            })
        })
        .await
}

/// One record's current version, as the caller may see it.
pub async fn get<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    policy: &Arc<Policy>,
    id: uuid::Uuid,
) -> Result<Fetched, RecordsError> {
    access::check_read(caller, C::KIND)?;
    let reader = Reader::new(policy, &caller.agency, trail.purpose()).await?;
    let row = load(db, C::KIND, id).await?;
    let mut touched = Touched::default();
    let shown = read::shown::<C>(&reader, &row, &mut touched);
    // A refused read still names the record it asked for in its entry.
    trail.report().records([&row.id]);
    let record = shown?;
    trail.report().touched(&touched);
    Ok(Fetched {
        record,
        version: row.version,
    })
}

/// Every version of one record, oldest first, as the caller may see them.
pub async fn history<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    policy: &Arc<Policy>,
    id: uuid::Uuid,
) -> Result<Vec<serde_json::Value>, RecordsError> {
    access::check_read(caller, C::KIND)?;
    let reader = Reader::new(policy, &caller.agency, trail.purpose()).await?;
    let row = load(db, C::KIND, id).await?;
    trail.report().records([&row.id]);
    let (records, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let records = read::history::<C>(conn, &reader, &row, &mut touched)?;
            Ok::<_, RecordsError>((records, touched))
        })
        .await?;
    trail.report().touched(&touched);
    Ok(records)
}

/// One page of a search among the records the caller may read.
pub async fn search<C: Content>(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    policy: &Arc<Policy>,
    key: &CursorKey,
    search: Search,
) -> Result<Page<Box<serde_json::value::RawValue>>, RecordsError> {
    access::check_read(caller, C::KIND)?;
    // Asking for a NIK or KK processes it, found or not.
    let report = trail.report();
    report.niks(search.filter.nik.as_slice());
    report.kks(search.filter.kk.as_slice());
    let reader = Reader::new(policy, &caller.agency, trail.purpose()).await?;
    let key = key.clone();
    let (page, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let page = read::search::<C>(conn, &key, &search, &reader, &mut touched)?;
            Ok::<_, RecordsError>((page, touched))
        })
        .await?;
    report.touched(&touched);
    Ok(page)
}

async fn load(db: &Db, kind: RecordKind, id: uuid::Uuid) -> Result<StoredRecord, RecordsError> {
    let key = id.to_string();
    db.run(move |conn| store::get(conn, kind, &key).map_err(RecordsError::from))
        .await?
        .ok_or(RecordsError::NotFound(kind))
}
