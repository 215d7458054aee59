//! Publishing: from the JSON a publisher sent to stored versions, item by item.
//!
//! Everything that can be decided without writing (shape, field rules, programs, linked
//! graduations, repeats inside a batch) is decided first, so a rejected item never reaches
//! the database. The write itself is one transaction that locks the publisher's existing
//! rows, compares canonical hashes and inserts or updates in bulk.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::RecordsError;
use super::precondition::Precondition;
use crate::audit::report::Touched;
use crate::db::AnyConnection;
use crate::db::changes::NewChange;
use crate::db::records::{self as store, NikRow, RecordRow, StoredRecord, VersionRow};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::field_error::{FieldError, from_value};
use crate::domain::record::{self, Content, Meta, Reason, RecordKind, SERVER_FIELDS};
use crate::domain::reference::{Program, ProgramKind};

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

/// Why one item was not published.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// The item is well formed but the caller may not publish it (another agency's program).
    pub forbidden: bool,
    pub errors: Vec<FieldError>,
}

impl Rejection {
    fn invalid(errors: Vec<FieldError>) -> Self {
        Self {
            forbidden: false,
            errors,
        }
    }
}

/// The error of a single-record request.
impl From<Rejection> for RecordsError {
    fn from(rejection: Rejection) -> Self {
        if rejection.forbidden {
            let detail: Vec<String> = rejection.errors.into_iter().map(|e| e.detail).collect();
            Self::Forbidden(detail.join("; "))
        } else {
            Self::Invalid(rejection.errors)
        }
    }
}

/// Turns one JSON item into record content, with every error pointing into the request
/// (`prefix` is `""` for a single record, `/items/7` in a batch).
pub fn parse_item<C: Content>(value: serde_json::Value, prefix: &str) -> Result<C, Rejection> {
    let Some(object) = value.as_object() else {
        return Err(Rejection::invalid(vec![FieldError::new(
            prefix,
            "must be a JSON object",
        )]));
    };
    let server_set: Vec<FieldError> = SERVER_FIELDS
        .iter()
        .filter(|f| object.contains_key(**f))
        .map(|f| {
            FieldError::new(
                format!("{prefix}/{f}"),
                "is set by the exchange, not by the publisher; remove it",
            )
        })
        .collect();
    if !server_set.is_empty() {
        return Err(Rejection::invalid(server_set));
    }
    let content: C = from_value(value, prefix).map_err(|e| Rejection::invalid(vec![e]))?;
    let problems: Vec<FieldError> = content
        .problems()
        .into_iter()
        .map(|(pointer, detail)| FieldError::new(format!("{prefix}{pointer}"), detail))
        .collect();
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(Rejection::invalid(problems))
    }
}

/// What the checks against stored reference data need, loaded once per request.
pub struct References {
    programs: HashMap<ProgramCode, Program>,
    graduations: HashSet<String>,
}

impl References {
    pub fn load<C: Content>(
        conn: &mut AnyConnection,
        items: &[&C],
    ) -> crate::db::QueryResult<Self> {
        let programs = crate::db::programs::list(conn, &Default::default())?
            .into_iter()
            .map(|p| (p.code.clone(), p))
            .collect();
        let mut linked: Vec<String> = items
            .iter()
            .filter_map(|c| c.graduation_id().map(|id| id.to_string()))
            .collect();
        linked.sort();
        linked.dedup();
        let graduations = store::existing_graduations(conn, &linked)?
            .into_iter()
            .collect();
        Ok(Self {
            programs,
            graduations,
        })
    }

    /// Whether `publisher` may publish `item`: the program exists, is the publisher's own,
    /// is active and of the right kind, and a linked graduation exists.
    pub fn check<C: Content>(
        &self,
        publisher: &AgencyCode,
        item: &C,
        prefix: &str,
    ) -> Result<(), Rejection> {
        let code = item.program();
        let at = format!("{prefix}/program");
        let Some(program) = self.programs.get(code) else {
            return Err(Rejection::invalid(vec![FieldError::new(
                at,
                "no program has this code",
            )]));
        };
        if &program.agency != publisher {
            return Err(Rejection {
                forbidden: true,
                errors: vec![FieldError::new(
                    at,
                    format!(
                        "program {code} belongs to {}; {publisher} publishes only for its own programs",
                        program.agency
                    ),
                )],
            });
        }
        if !program.active {
            return Err(Rejection {
                forbidden: true,
                errors: vec![FieldError::new(
                    at,
                    format!("program {code} is not active; records cannot be published for it"),
                )],
            });
        }
        if C::KIND == RecordKind::Graduation && program.kind != ProgramKind::SocialAssistance {
            return Err(Rejection::invalid(vec![FieldError::new(
                at,
                format!(
                    "program {code} is an {} program; families graduate only from social_assistance programs",
                    program.kind
                ),
            )]));
        }
        if let Some(id) = item.graduation_id()
            && !self.graduations.contains(&id.to_string())
        {
            return Err(Rejection::invalid(vec![FieldError::new(
                format!("{prefix}/graduation_id"),
                "no graduation has this id",
            )]));
        }
        Ok(())
    }
}

/// Refuses every item whose `source_record_id` another item of the same batch also uses,
/// naming the other positions, since the batch could not say which one should win.
pub fn reject_repeats<C: Content>(items: &mut [(usize, Result<C, Rejection>)]) {
    let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter() {
        if let Ok(content) = item {
            positions
                .entry(content.source_record_id().as_str().to_owned())
                .or_default()
                .push(*index);
        }
    }
    for (index, item) in items.iter_mut() {
        let Ok(content) = item else { continue };
        let all = &positions[content.source_record_id().as_str()];
        if all.len() > 1 {
            let others: Vec<String> = all
                .iter()
                .filter(|i| *i != index)
                .map(|i| format!("/items/{i}"))
                .collect();
            *item = Err(Rejection::invalid(vec![FieldError::new(
                format!("/items/{index}/source_record_id"),
                format!(
                    "is also used by {} in this batch; send each record once",
                    others.join(", ")
                ),
            )]));
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
        }],
    )?;
    Ok((WriteResult::Updated, row))
}

/// Microseconds since the Unix epoch: fine enough that versions written in one second
/// still order by `updated_at`.
fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}
