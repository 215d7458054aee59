//! Offline verification of an audit export: the core of `sinergi audit verify`.
//!
//! Input: the NDJSON export (line `i` is the canonical JSON of entry `i`, exactly
//! the bytes hashed for leaf `i`, terminated by `\n`), the signed checkpoint that
//! covers it, the log's note verifier key, and optionally any number of earlier
//! signed checkpoints of the same log. See [`verify_export`].
//!
//! # What is checked, in order
//!
//! 1. The verifier key parses; every checkpoint is a valid note signed by that key,
//!    its origin is the key's name (the log signs under its origin), and no earlier
//!    checkpoint is larger than the checkpoint being verified.
//! 2. Every line, in order: terminated by `\n`, canonical RFC 8785 JSON, and an
//!    object whose `index` field equals the line's position. The first line failing
//!    this is named exactly. This catches deletions, insertions, reordering and
//!    careless edits (re-formatting, reordered keys) at the first affected entry.
//! 3. The tree head over the first `size` lines is recomputed for every checkpoint
//!    (in one pass, `O(log n)` per checkpoint) and compared with its signed root.
//! 4. The export holds exactly as many entries as the checkpoint covers.
//!
//! # Locating an altered entry
//!
//! A signed root vouches for all entries below its size at once: from one root
//! alone, an edit that keeps the line canonical and the `index` right (say, a
//! `status` changed from 403 to 200) can only be reported as "some entry below
//! this size differs". Without more signed data nothing can do better, since
//! anyone can recompute any subtree hash of the altered export. Localisation
//! therefore comes from *more signed roots*: the exchange keeps every checkpoint it
//! has signed (one every few seconds) and an auditor may pass any of them. With
//! checkpoints of sizes `s1 < s2 < …` the result is:
//!
//! * every checkpoint matches: the export is complete and unaltered ([`Verified`]);
//! * the largest matching checkpoint has size `M` and the smallest mismatching
//!   one has size `s > M`: entries `0..M` are authentic and the first altered
//!   entry lies in `M..s` ([`VerifyError::Tampered`]; exact when `s = M + 1`). This
//!   reading assumes the log's checkpoints are consistent with each other (which
//!   only the log's consistency proofs or witnesses establish);
//! * a checkpoint of size `≤ M` does not match although a checkpoint of size `M`
//!   vouches for those entries: the log signed two inconsistent trees, i.e. it
//!   rewrote history ([`VerifyError::Inconsistent`]).
//!
//! Recomputing an earlier checkpoint's root from the export's prefix replaces a
//! consistency proof: it is simpler and at least as strong, since the export holds
//! every leaf.
//!
//! # Limits
//!
//! * Offline verification proves the export matches what the log *signed*; that
//!   the log showed everyone the same tree needs checkpoints compared across
//!   auditors (or witnesses).
//! * Without intermediate checkpoints, a careful edit is located only as "one of
//!   entries `0..size`".
//! * The export is read once, line by line: memory holds one line and `O(log n)`
//!   hashes, whatever the export's size.

use std::fmt;
use std::io::BufRead;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::Hash;
use super::checkpoint::{self, Checkpoint, CheckpointError};
use super::merkle::{Frontier, leaf_hash};
use super::note::{NoteKeyError, VerifierKey};
use crate::canonical_json::canonical_value;

/// Which of the given checkpoints a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The checkpoint the export is verified against.
    Latest,
    /// The earlier checkpoint at this position (0-based) of the `previous` list.
    Previous(usize),
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Latest => f.write_str("checkpoint"),
            Role::Previous(position) => write!(f, "previous checkpoint #{}", position + 1),
        }
    }
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The log's origin.
    pub origin: String,
    /// The number of entries, equal to the checkpoint's tree size.
    pub size: u64,
    /// The verified root hash.
    pub root: Hash,
    /// The sizes of all checkpoints the export matched, ascending, without repeats.
    pub checkpoint_sizes: Vec<u64>,
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OK: {} entries of {} match the signed root {}",
            self.size,
            self.origin,
            STANDARD.encode(self.root)
        )?;
        if self.checkpoint_sizes.len() > 1 {
            write!(
                f,
                "; consistent with {} earlier checkpoint(s)",
                self.checkpoint_sizes.len() - 1
            )?;
        }
        Ok(())
    }
}

/// What failed. Entries are numbered from 0 (their `index`); lines from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The verifier key is not a valid note verifier key.
    #[error("public key: {0}")]
    PublicKey(#[source] NoteKeyError),
    /// A checkpoint is malformed, or not validly signed by the key.
    #[error("{role}: {error}")]
    Checkpoint {
        role: Role,
        #[source]
        error: CheckpointError,
    },
    /// A checkpoint's origin is not the key's name.
    #[error("{role}: origin {found:?} is not the log of the public key {expected:?}")]
    WrongOrigin {
        role: Role,
        expected: String,
        found: String,
    },
    /// An earlier checkpoint is larger than the checkpoint being verified.
    #[error("{role} covers {size} entries, more than the checkpoint's {latest}")]
    PreviousLarger { role: Role, size: u64, latest: u64 },
    /// The export could not be read.
    #[error("line {} (entry {index}): cannot read the export: {reason}", index + 1)]
    Read { index: u64, reason: String },
    /// The export's last line is not terminated by a newline.
    #[error("line {} (entry {index}): the export does not end with a newline", index + 1)]
    Unterminated { index: u64 },
    /// A line is not canonical RFC 8785 JSON (or is empty, or has trailing
    /// white space or a carriage return).
    #[error("line {} (entry {index}): not canonical RFC 8785 JSON", index + 1)]
    NotCanonical { index: u64 },
    /// A line's `index` field is missing or not its position: an entry was
    /// removed, inserted or moved here.
    #[error("line {} (entry {index}): {}", index + 1, match found {
        Some(found) => format!("its index is {found}, expected {index}: entries are missing, added or out of order"),
        None => "it has no numeric \"index\" field".to_owned(),
    })]
    BadIndex { index: u64, found: Option<u64> },
    /// The signed root of a checkpoint does not match the export's entries below its
    /// size; entries `0..first` match a signed checkpoint, so the first altered entry
    /// is in `first..end`.
    #[error("{}", tampered_message(*first, *end))]
    Tampered { first: u64, end: u64 },
    /// A checkpoint does not match entries that a larger checkpoint of size
    /// `vouched_by` authenticates: the log signed inconsistent trees.
    #[error("{role} (size {size}) does not match entries 0 to {} although the checkpoint of size {vouched_by} authenticates them: the log signed inconsistent checkpoints", size.saturating_sub(1))]
    Inconsistent {
        role: Role,
        size: u64,
        vouched_by: u64,
    },
    /// The export does not hold exactly the checkpoint's number of entries;
    /// `verified` entries match a signed checkpoint.
    #[error("the export has {found} entries but the checkpoint covers {expected}{}",
        if found > expected {
            format!(" (the first {verified} match; verify against a newer checkpoint, or export exactly {expected} entries)")
        } else {
            format!(" (the first {verified} match a signed checkpoint; entries from {found} on are missing)")
        })]
    EntryCount {
        found: u64,
        expected: u64,
        verified: u64,
    },
}

fn tampered_message(first: u64, end: u64) -> String {
    if end - first == 1 {
        format!(
            "entry {first} (line {}) differs from what the log signed: the checkpoint of size {end} does not match{}",
            first + 1,
            if first > 0 {
                format!(
                    " while entries 0 to {} match the checkpoint of size {first}",
                    first - 1
                )
            } else {
                String::new()
            }
        )
    } else if first == 0 {
        format!(
            "the root hash of entries 0 to {} does not match the checkpoint of size {end}: at least one of them was altered (give intermediate checkpoints to narrow this down)",
            end - 1
        )
    } else {
        format!(
            "entries 0 to {} match the checkpoint of size {first}, but the checkpoint of size {end} does not match: the first altered entry is between entry {first} and entry {}",
            first - 1,
            end - 1
        )
    }
}

/// A checkpoint to compare against, and whether the export matched it.
struct Target {
    role: Role,
    checkpoint: Checkpoint,
    matched: Option<bool>,
}

/// Verifies an NDJSON audit export against a signed checkpoint.
///
/// * `entries`: the export, read once from start to end (a `&[u8]` or a buffered file).
/// * `checkpoint`: the signed checkpoint note the export must match exactly.
/// * `key`: the note verifier key (`<name>+<hash>+<base64>`); surrounding white
///   space, such as a file's final newline, is ignored.
/// * `previous`: earlier signed checkpoints of the same log, in any order. Each is
///   checked against the export's prefix of its size, which proves the log's history
///   up to `checkpoint` extends each of them, and narrows down where an altered entry
///   is (see the module documentation).
pub fn verify_export(
    entries: impl BufRead,
    checkpoint: &str,
    key: &str,
    previous: &[&str],
) -> Result<Verified, VerifyError> {
    let key = VerifierKey::parse(key.trim()).map_err(VerifyError::PublicKey)?;
    let notes = std::iter::once((Role::Latest, checkpoint)).chain(
        previous
            .iter()
            .enumerate()
            .map(|(position, note)| (Role::Previous(position), *note)),
    );
    let mut targets = Vec::with_capacity(previous.len() + 1);
    for (role, note) in notes {
        let checkpoint = checkpoint::open(note, &key)
            .map_err(|error| VerifyError::Checkpoint { role, error })?;
        if checkpoint.origin != key.name() {
            return Err(VerifyError::WrongOrigin {
                role,
                expected: key.name().to_owned(),
                found: checkpoint.origin,
            });
        }
        targets.push(Target {
            role,
            checkpoint,
            matched: None,
        });
    }
    let latest = targets[0].checkpoint.clone();
    if let Some(larger) = targets.iter().find(|t| t.checkpoint.size > latest.size) {
        return Err(VerifyError::PreviousLarger {
            role: larger.role,
            size: larger.checkpoint.size,
            latest: latest.size,
        });
    }
    // Smallest first; at equal sizes the latest checkpoint first, then as given.
    targets.sort_by_key(|t| t.checkpoint.size);

    let found = scan(entries, &mut targets)?;

    // Only checkpoints within the export could be compared.
    let compared = || targets.iter().filter_map(|t| t.matched.map(|m| (t, m)));
    let vouched = compared()
        .filter(|(_, matched)| *matched)
        .map(|(t, _)| t.checkpoint.size)
        .max()
        .unwrap_or(0);
    if let Some((t, _)) = compared().find(|(t, matched)| !matched && t.checkpoint.size <= vouched) {
        return Err(VerifyError::Inconsistent {
            role: t.role,
            size: t.checkpoint.size,
            vouched_by: vouched,
        });
    }
    if let Some((t, _)) = compared().find(|(_, matched)| !matched) {
        return Err(VerifyError::Tampered {
            first: vouched,
            end: t.checkpoint.size,
        });
    }
    if found != latest.size {
        return Err(VerifyError::EntryCount {
            found,
            expected: latest.size,
            verified: vouched,
        });
    }
    let mut checkpoint_sizes: Vec<u64> = targets.iter().map(|t| t.checkpoint.size).collect();
    checkpoint_sizes.dedup();
    Ok(Verified {
        origin: latest.origin,
        size: latest.size,
        root: latest.root,
        checkpoint_sizes,
    })
}

/// Reads the export line by line, checking each line's form and recording, for
/// every target (sorted by size), whether the tree head at its size matches.
/// Returns the number of entries.
fn scan(mut entries: impl BufRead, targets: &mut [Target]) -> Result<u64, VerifyError> {
    let mut frontier = Frontier::new();
    let mut pending = targets.iter_mut().peekable();
    let mut buffer = Vec::new();
    loop {
        let size = frontier.size();
        while let Some(target) = pending.next_if(|t| t.checkpoint.size == size) {
            target.matched = Some(frontier.root() == target.checkpoint.root);
        }
        let index = size;
        buffer.clear();
        let read = entries
            .read_until(b'\n', &mut buffer)
            .map_err(|e| VerifyError::Read {
                index,
                reason: e.to_string(),
            })?;
        if read == 0 {
            return Ok(size);
        }
        let Some(line) = buffer.strip_suffix(b"\n") else {
            return Err(VerifyError::Unterminated { index });
        };
        let value = canonical_value(line).ok_or(VerifyError::NotCanonical { index })?;
        let found = value.get("index").and_then(Value::as_u64);
        if found != Some(index) {
            return Err(VerifyError::BadIndex { index, found });
        }
        frontier.push(leaf_hash(line));
    }
}

#[cfg(test)]
mod tests;
