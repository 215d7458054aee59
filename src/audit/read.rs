//! What an auditor reads: entries by filter, the export, signed checkpoints and proofs, each
//! an operation over the stored log with its own error ([`AuditReadError`]).
//!
//! It owns the auditor's rules: a look-up by NIK or KK is processing of that person's data
//! (recorded under their hash, bound to a declared purpose, limited per client), cursors
//! and sizes are checked against the log, an export is read a chunk at a time. It does not
//! touch HTTP (query parsing and the answers' shapes are `api::audit`'s) nor the tree's
//! arithmetic ([`super::merkle`], [`super::proofs`]).

use std::ops::Range;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::Stream;

use super::Hash;
use super::entry::{Entry, Outcome};
use super::log_keys::AuditKeys;
use super::proofs::{self, ProofsError};
use super::trail::Trail;
use crate::auth::rate_limit::RateLimiter;
use crate::db::audit::{self as store, Filter};
use crate::db::{AnyConnection, Db, DbError};
use crate::domain::code::AgencyCode;

/// Entries read from the database per chunk of an export.
const EXPORT_CHUNK: u64 = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum AuditReadError {
    /// A parameter the auditor sent does not fit the log; `name` is the parameter's.
    #[error("{name} {why}")]
    Parameter { name: &'static str, why: String },
    /// A look-up by NIK or KK without a declared purpose.
    #[error(
        "is required with `nik` or `kk`: looking a person up is processing their data, and \
         the purpose is recorded with it"
    )]
    PurposeRequired,
    /// The client looked people up too often lately; try again after this long.
    #[error("too many look-ups by NIK or KK")]
    TooManyLookups(Duration),
    #[error("no checkpoint was signed at this tree size")]
    NoCheckpointAt,
    #[error("no checkpoint has been signed yet")]
    NoCheckpoint,
    /// The stored log is not what it should be: an entry unreadable or missing, a proof's
    /// ranges not computable for sizes already checked.
    #[error("{0}")]
    Damaged(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::QueryError> for AuditReadError {
    fn from(e: crate::db::QueryError) -> Self {
        Self::Db(e.into())
    }
}

impl From<ProofsError> for AuditReadError {
    fn from(e: ProofsError) -> Self {
        match e {
            ProofsError::Request(e) => Self::Damaged(format!("proof ranges: {e}")),
            ProofsError::Query(e) => e.into(),
        }
    }
}

fn parameter(name: &'static str, why: impl Into<String>) -> AuditReadError {
    AuditReadError::Parameter {
        name,
        why: why.into(),
    }
}

/// A look-up by NIK or KK tells the auditor whether a person or family occurs in the
/// exchange, which is the role's purpose (answering a data subject, investigating a
/// disclosure) but also what a harvester would want. So it is processing of that person's
/// data like any other: recorded under the NIK's or KK's hash (the person's trail shows who
/// searched for them), bound to a declared purpose, and limited per client.
pub fn subject_lookup(
    trail: &Trail,
    limit: &RateLimiter,
    client_id: &str,
    nik: Option<&str>,
    kk: Option<&str>,
) -> Result<(), AuditReadError> {
    trail.report().niks(nik);
    trail.report().kks(kk);
    if trail.purpose().is_none() {
        return Err(AuditReadError::PurposeRequired);
    }
    limit
        .check(client_id)
        .map_err(AuditReadError::TooManyLookups)
}

/// What the auditor searches for; every filter given narrows the result.
#[derive(Debug, Default)]
pub struct Search {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub client: Option<String>,
    pub agency: Option<AgencyCode>,
    pub purpose: Option<String>,
    pub route: Option<String>,
    pub outcome: Option<Outcome>,
    pub record_id: Option<uuid::Uuid>,
    /// Only entries that touched this NIK (hashed here, never stored).
    pub nik: Option<String>,
    /// Only entries that touched this KK (hashed here, never stored).
    pub kk: Option<String>,
    pub request_id: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// One page of entries, oldest first, and the cursor of the next if there is one.
pub struct Page {
    pub items: Vec<Entry>,
    pub next_cursor: Option<String>,
}

/// Integrated entries matching `search`, oldest first.
pub async fn entries(db: &Db, keys: &AuditKeys, search: Search) -> Result<Page, AuditReadError> {
    // A cursor is the index of the last entry of the previous page.
    let after = search
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>()
                .ok()
                .filter(|i| *i >= 0)
                .ok_or_else(|| parameter("cursor", "is not a cursor this API gave"))
        })
        .transpose()?;
    let filter = Filter {
        time_from: search.from.map(|t| t.timestamp_micros()),
        time_to: search.to.map(|t| t.timestamp_micros()),
        request_id: search.request_id,
        client_id: search.client,
        agency: search.agency.map(|a| a.as_str().to_owned()),
        purpose: search.purpose,
        route: search.route,
        outcome: search.outcome.map(|o| o.as_str().to_owned()),
        record_id: search.record_id.map(|r| r.to_string()),
        subject_hashes: search
            .nik
            .map(|n| keys.nik_hash(&n))
            .into_iter()
            .chain(search.kk.map(|k| keys.kk_hash(&k)))
            .collect(),
    };
    let limit = search.limit;
    let rows = db
        .run(move |conn| store::search(conn, &filter, after, limit + 1).map_err(DbError::from))
        .await?;
    let more = rows.len() as i64 > limit;
    let items = rows
        .iter()
        .take(limit as usize)
        .map(|(_, text)| stored_entry(text))
        .collect::<Result<_, _>>()?;
    let next_cursor = more.then(|| rows[limit as usize - 1].0.to_string());
    Ok(Page { items, next_cursor })
}

fn stored_entry(text: &str) -> Result<Entry, AuditReadError> {
    serde_json::from_str(text)
        .map_err(|e| AuditReadError::Damaged(format!("a stored audit entry is unreadable: {e}")))
}

/// The entries an export covers: `from` (default 0) to `to` (default the size of the latest
/// checkpoint, so that the export and that checkpoint verify together).
pub async fn export_range(
    db: &Db,
    from: Option<u64>,
    to: Option<u64>,
) -> Result<Range<u64>, AuditReadError> {
    let (size, signed) = db
        .run(|conn| {
            let size = store::tree_size(conn)?;
            let signed = store::checkpoint(conn, None)?.map_or(0, |c| c.tree_size as u64);
            Ok::<_, DbError>((size, signed))
        })
        .await?;
    let to = to.unwrap_or(signed);
    let from = from.unwrap_or(0);
    if to > size {
        return Err(parameter("to", format!("the log holds {size} entries")));
    }
    if from > to {
        return Err(parameter("from", "must not be above `to`"));
    }
    Ok(from..to)
}

/// The entries of `range`, each exactly as stored (the RFC 8785 bytes of its leaf) followed
/// by a newline, read one chunk at a time however long the range. After a failure the
/// stream ends, so a cut-short export fails verification rather than passing as complete.
pub fn export(
    db: Db,
    range: Range<u64>,
) -> impl Stream<Item = Result<Vec<u8>, AuditReadError>> + 'static {
    let to = range.end;
    futures_util::stream::unfold(range.start, move |next| {
        let db = db.clone();
        async move {
            if next >= to {
                return None;
            }
            let end = (next + EXPORT_CHUNK).min(to);
            let chunk = db
                .run(move |conn| store::range(conn, next, end).map_err(DbError::from))
                .await
                .map_err(AuditReadError::from)
                .and_then(|rows| {
                    if rows.len() as u64 != end - next {
                        return Err(AuditReadError::Damaged(format!(
                            "audit entries {next}..{end} are not all stored"
                        )));
                    }
                    let mut bytes = Vec::with_capacity(rows.iter().map(|(_, t)| t.len() + 1).sum());
                    for (_, text) in rows {
                        bytes.extend_from_slice(text.as_bytes());
                        bytes.push(b'\n');
                    }
                    Ok(bytes)
                });
            let next = if chunk.is_ok() { end } else { to };
            Some((chunk, next))
        }
    })
}

/// The signed note of the checkpoint at tree size `size`, or of the latest.
pub async fn checkpoint(db: &Db, size: Option<u64>) -> Result<String, AuditReadError> {
    db.run(move |conn| store::checkpoint(conn, size).map_err(DbError::from))
        .await?
        .map(|checkpoint| checkpoint.note)
        .ok_or(match size {
            Some(_) => AuditReadError::NoCheckpointAt,
            None => AuditReadError::NoCheckpoint,
        })
}

/// `PATH(index, D[tree_size])`: entry `index` is in the tree of size `tree_size`.
pub async fn inclusion(db: &Db, index: u64, tree_size: u64) -> Result<Vec<Hash>, AuditReadError> {
    db.run(move |conn| {
        within_log(conn, "tree_size", tree_size)?;
        if index >= tree_size {
            return Err(parameter("index", "must be below tree_size"));
        }
        Ok(proofs::inclusion(conn, index, tree_size)?)
    })
    .await
}

/// `PROOF(from, D[to])`: the tree of size `to` extends the tree of size `from`.
pub async fn consistency(db: &Db, from: u64, to: u64) -> Result<Vec<Hash>, AuditReadError> {
    db.run(move |conn| {
        within_log(conn, "to", to)?;
        if from == 0 || from > to {
            return Err(parameter("from", "must be between 1 and `to`"));
        }
        Ok(proofs::consistency(conn, from, to)?)
    })
    .await
}

/// Refuses a tree size the log has not reached.
fn within_log(
    conn: &mut AnyConnection,
    name: &'static str,
    size: u64,
) -> Result<(), AuditReadError> {
    let current = store::tree_size(conn)?;
    if size == 0 || size > current {
        return Err(parameter(
            name,
            format!("must be between 1 and the log's size ({current})"),
        ));
    }
    Ok(())
}
