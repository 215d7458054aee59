//! Integration: moves queued entries into the Merkle log with consecutive indexes and
//! signs checkpoints. Every instance runs it (see `crate::feed::sequencer`); a lock lets exactly
//! one integrate at a time.

use std::time::Duration;

use super::checkpoint::{self, Checkpoint};
use super::entry::Entry;
use super::log_keys::AuditKeys;
use super::merkle::{Frontier, NodeId, leaf_hash, perfect_subtrees};
use crate::db::audit::{self as store, NewEntry, StoredCheckpoint};
use crate::db::{AnyConnection, DbError, write_transaction};

/// Entries integrated per transaction: bounded so that a backlog never holds the lock long.
const BATCH: i64 = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum SequenceError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("a database query failed: {0}")]
    Query(#[from] crate::db::QueryError),
    #[error(
        "queued audit entry {queue_id} is unreadable ({reason}); the queue was changed outside the service"
    )]
    Unreadable { queue_id: i64, reason: String },
    #[error("the stored tree is damaged: {0}")]
    Tree(String),
}

/// What one call of [`integrate`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub integrated: u64,
    pub tree_size: u64,
    pub checkpoint_signed: bool,
}

/// Integrates everything queued now, in transactions of at most [`BATCH`] entries, and
/// signs a checkpoint when the tree grew and the last one is older than
/// `checkpoint_interval`. Returns without doing anything while another instance holds
/// the sequencer's lock.
pub fn integrate(
    conn: &mut AnyConnection,
    keys: &AuditKeys,
    checkpoint_interval: Duration,
) -> Result<Progress, SequenceError> {
    let mut progress = Progress::default();
    loop {
        let round = write_transaction(conn, |conn| round(conn, keys, checkpoint_interval))?;
        let Some(round) = round else {
            return Ok(progress);
        };
        progress.integrated += round.integrated;
        progress.tree_size = round.tree_size;
        progress.checkpoint_signed |= round.checkpoint_signed;
        if round.integrated < BATCH as u64 {
            return Ok(progress);
        }
    }
}

fn round(
    conn: &mut AnyConnection,
    keys: &AuditKeys,
    checkpoint_interval: Duration,
) -> Result<Option<Progress>, SequenceError> {
    if !store::try_lock_sequencer(conn)? {
        return Ok(None);
    }
    let size = store::tree_size(conn)?;
    let mut frontier = restore_frontier(conn, size)?;
    let queued = store::queued(conn, BATCH)?;
    let now = chrono::Utc::now();
    let mut entries = Vec::with_capacity(queued.len());
    let mut nodes = Vec::with_capacity(queued.len() * 2);
    for (queue_id, text) in &queued {
        let unreadable = |reason: String| SequenceError::Unreadable {
            queue_id: *queue_id,
            reason,
        };
        let mut entry: Entry = serde_json::from_str(text).map_err(|e| unreadable(e.to_string()))?;
        if entry.index.is_some() {
            return Err(unreadable("it already carries an index".into()));
        }
        let index = frontier.size();
        entry.index = Some(index);
        let text = entry.canonical_text();
        frontier.push_with(leaf_hash(text.as_bytes()), |id, hash| {
            nodes.push((id, *hash))
        });
        entries.push(NewEntry {
            index,
            recorded_at: entry.time_micros(),
            request_id: entry.request_id,
            client_id: entry.client_id,
            agency: entry.agency,
            purpose: entry.purpose,
            route: entry.route,
            outcome: entry.outcome.as_str(),
            record_ids: entry.record_ids,
            // One index for both: KK hashes are made with a key of their own, so the two
            // never meet (`db::audit::Filter::subject_hash`).
            subject_hashes: entry
                .nik_hashes
                .into_iter()
                .chain(entry.kk_hashes)
                .collect(),
            text,
        });
    }
    store::append(conn, &entries, &nodes)?;
    let ids: Vec<i64> = queued.iter().map(|(id, _)| *id).collect();
    store::dequeue(conn, &ids)?;

    let latest = store::checkpoint(conn, None)?;
    let signed_size = latest.as_ref().map_or(0, |c| c.tree_size as u64);
    let last_signed = latest.as_ref().map_or(i64::MIN, |c| c.signed_at);
    let interval = i64::try_from(checkpoint_interval.as_micros()).unwrap_or(i64::MAX);
    let due = frontier.size() > signed_size
        && now.timestamp_micros().saturating_sub(last_signed) >= interval;
    if due {
        let root = frontier.root();
        let body = Checkpoint::new(keys.origin(), frontier.size(), root);
        let note = checkpoint::sign(&body, keys.signer().signing_key())
            .map_err(|e| SequenceError::Tree(e.to_string()))?;
        store::insert_checkpoint(
            conn,
            &StoredCheckpoint {
                tree_size: frontier.size() as i64,
                root_hash: root.to_vec(),
                note,
                signed_at: now.timestamp_micros(),
            },
        )?;
    }
    Ok(Some(Progress {
        integrated: entries.len() as u64,
        tree_size: frontier.size(),
        checkpoint_signed: due,
    }))
}

/// The right edge of the stored tree of `size` leaves.
fn restore_frontier(conn: &mut AnyConnection, size: u64) -> Result<Frontier, SequenceError> {
    if size == 0 {
        return Ok(Frontier::new());
    }
    let ids: Vec<NodeId> =
        perfect_subtrees(0..size).map_err(|e| SequenceError::Tree(e.to_string()))?;
    let hashes = store::node_hashes(conn, &ids)?;
    Frontier::restore(size, hashes).map_err(|e| SequenceError::Tree(e.to_string()))
}
