//! Tree heads and proofs served from the stored perfect-subtree hashes: each proof node is
//! the head of a leaf range, folded from at most 64 stored subtrees, so a proof costs
//! O(log² n) point reads however large the log.

use std::ops::Range;

use super::Hash;
use super::merkle::{self, ProofError, consistency_ranges, inclusion_ranges, perfect_subtrees};
use crate::db::AnyConnection;
use crate::db::audit as store;

#[derive(Debug, thiserror::Error)]
pub enum ProofsError {
    /// The sizes or index asked for do not describe a proof (the caller's mistake).
    #[error(transparent)]
    Request(#[from] ProofError),
    #[error("a database query failed: {0}")]
    Query(#[from] crate::db::QueryError),
}

fn range_head(conn: &mut AnyConnection, range: Range<u64>) -> Result<Hash, ProofsError> {
    let nodes = perfect_subtrees(range)?;
    Ok(merkle::fold_subtrees(&store::node_hashes(conn, &nodes)?))
}

/// The tree head of the first `size` entries.
pub fn tree_head(conn: &mut AnyConnection, size: u64) -> Result<Hash, ProofsError> {
    if size == 0 {
        return Ok(merkle::EMPTY_ROOT);
    }
    range_head(conn, 0..size)
}

/// `PATH(index, D[size])`, RFC 9162 §2.1.3.1.
pub fn inclusion(
    conn: &mut AnyConnection,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofsError> {
    inclusion_ranges(index, size)?
        .into_iter()
        .map(|range| range_head(conn, range))
        .collect()
}

/// `PROOF(from, D[to])`, RFC 9162 §2.1.4.1.
pub fn consistency(conn: &mut AnyConnection, from: u64, to: u64) -> Result<Vec<Hash>, ProofsError> {
    consistency_ranges(from, to)?
        .into_iter()
        .map(|range| range_head(conn, range))
        .collect()
}
