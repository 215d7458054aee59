//! The RFC 9162 §2.1 Merkle tree (the Certificate Transparency v2 tree, SHA-256).
//!
//! * Leaf hash `SHA-256(0x00 ‖ entry)`, node hash `SHA-256(0x01 ‖ left ‖ right)`.
//! * The tree head `MTH(D[n])` (§2.1.1): for `n > 1`, with `k` the largest power of two
//!   smaller than `n`, `MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))`; the empty tree's
//!   head is `SHA-256("")`.
//! * Inclusion proofs `PATH(m, D[n])` (§2.1.3.1) and consistency proofs `PROOF(m, D[n])`
//!   (§2.1.4.1), node hashes listed in the RFC's order, and their verification
//!   algorithms (§2.1.3.2, §2.1.4.2).
//!
//! # Proofs without holding every leaf
//!
//! Every hash in a proof is the tree head of a contiguous range of leaves, and every
//! such range `[start, end)` starts at a multiple of the largest power of two not
//! above its length. Proof generation is therefore split in two:
//!
//! 1. [`inclusion_ranges`] / [`consistency_ranges`] say *which* ranges a proof needs
//!    (pure arithmetic, no hashing);
//! 2. the caller supplies each range's tree head — from a slice of leaf hashes
//!    ([`inclusion_proof`], [`consistency_proof`] do this), or from stored hashes of
//!    perfect subtrees: [`perfect_subtrees`] names the full subtrees ([`NodeId`]) a
//!    range is made of and [`fold_subtrees`] combines their hashes. A [`Frontier`]
//!    appends leaves in `O(log n)` and reports each perfect subtree as it completes,
//!    which is exactly what such a store needs to keep.
//!
//! Conventions beyond the RFC (shared with transparency-dev/merkle): a consistency
//! proof from size 0 or between equal sizes is empty; see [`verify_consistency`].

use std::ops::Range;

use sha2::{Digest, Sha256};

use super::Hash;

/// The tree head of the empty tree: SHA-256 of the empty string.
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// Why a proof could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    /// A consistency proof was asked from a larger tree to a smaller one.
    #[error("cannot prove consistency from tree size {from} to the smaller size {to}")]
    SizesReversed { from: u64, to: u64 },
    /// The tree size is larger than the number of leaves available.
    #[error("tree size {size} exceeds the {available} leaves available")]
    TreeTooLarge { size: u64, available: u64 },
    /// The range is empty, reversed, or does not start at a multiple of the largest
    /// power of two not above its length, so it is not a union of perfect subtrees
    /// read left to right.
    #[error("leaf range {start}..{end} is not a tree range")]
    NotATreeRange { start: u64, end: u64 },
    /// [`Frontier::restore`] got a number of subtree hashes that does not match the size.
    #[error("tree size {size} needs {expected} subtree hashes, got {found}")]
    FrontierShape {
        size: u64,
        expected: usize,
        found: usize,
    },
}

/// The leaf hash of an entry: `SHA-256(0x00 ‖ entry)`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    hasher.finalize().into()
}

/// An interior node hash: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The tree head `MTH` over the given leaf hashes (RFC 9162 §2.1.1).
pub fn root(leaves: &[Hash]) -> Hash {
    let mut frontier = Frontier::new();
    for leaf in leaves {
        frontier.push(*leaf);
    }
    frontier.root()
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The leaf ranges whose tree heads form the inclusion proof `PATH(index, D[size])`,
/// in proof order (the sibling nearest the leaf first).
pub fn inclusion_ranges(index: u64, size: u64) -> Result<Vec<Range<u64>>, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    // Walk down from the root; the siblings met on the way, reversed, are the proof.
    let (mut low, mut high) = (0, size);
    let mut siblings = Vec::new();
    while high - low > 1 {
        let k = split_point(high - low);
        if index < low + k {
            siblings.push(low + k..high);
            high = low + k;
        } else {
            siblings.push(low..low + k);
            low += k;
        }
    }
    siblings.reverse();
    Ok(siblings)
}

/// The leaf ranges whose tree heads form the consistency proof `PROOF(from, D[to])`,
/// in proof order. Empty when `from` is 0 or equals `to`.
pub fn consistency_ranges(from: u64, to: u64) -> Result<Vec<Range<u64>>, ProofError> {
    if from > to {
        return Err(ProofError::SizesReversed { from, to });
    }
    if from == 0 || from == to {
        return Ok(Vec::new());
    }
    // SUBPROOF(m, D[low:high], b), unrolled: collect the siblings top-down, then the
    // proof is the terminal element (if any) followed by the siblings bottom-up.
    let (mut m, mut low, mut high, mut whole) = (from, 0, to, true);
    let mut siblings = Vec::new();
    while m != high - low {
        let k = split_point(high - low);
        if m <= k {
            siblings.push(low + k..high);
            high = low + k;
        } else {
            siblings.push(low..low + k);
            low += k;
            m -= k;
            whole = false;
        }
    }
    let mut proof = Vec::with_capacity(siblings.len() + 1);
    if !whole {
        proof.push(low..high);
    }
    proof.extend(siblings.into_iter().rev());
    Ok(proof)
}

fn leaves_up_to(leaves: &[Hash], size: u64) -> Result<&[Hash], ProofError> {
    let available = leaves.len() as u64;
    usize::try_from(size)
        .ok()
        .and_then(|size| leaves.get(..size))
        .ok_or(ProofError::TreeTooLarge { size, available })
}

fn range_root(leaves: &[Hash], range: Range<u64>) -> Hash {
    // The ranges come from slices we already bounds-checked, so they fit in usize.
    root(&leaves[range.start as usize..range.end as usize])
}

/// The inclusion proof of leaf `index` in the tree made of all of `leaves`.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProofError> {
    Ok(inclusion_ranges(index, leaves.len() as u64)?
        .into_iter()
        .map(|range| range_root(leaves, range))
        .collect())
}

/// The consistency proof between the trees of the first `from` and the first `to`
/// of `leaves`.
pub fn consistency_proof(leaves: &[Hash], from: u64, to: u64) -> Result<Vec<Hash>, ProofError> {
    let ranges = consistency_ranges(from, to)?;
    let leaves = leaves_up_to(leaves, to)?;
    Ok(ranges
        .into_iter()
        .map(|range| range_root(leaves, range))
        .collect())
}

/// A perfect subtree: the `2^level` leaves starting at `index << level`.
/// Level 0 is a single leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    pub level: u32,
    pub index: u64,
}

impl NodeId {
    /// The leaves this subtree covers.
    pub fn leaves(self) -> Range<u64> {
        let start = self.index << self.level;
        start..start + (1 << self.level)
    }
}

/// The perfect subtrees, left to right, whose hashes [`fold_subtrees`] combines into
/// the tree head of the leaves `range`. Every range used by a proof qualifies, as does
/// `0..size` for any size.
pub fn perfect_subtrees(range: Range<u64>) -> Result<Vec<NodeId>, ProofError> {
    let (start, end) = (range.start, range.end);
    let invalid = ProofError::NotATreeRange { start, end };
    if end <= start {
        return Err(invalid);
    }
    let length = end - start;
    let largest = 1u64 << (63 - length.leading_zeros());
    if start % largest != 0 {
        return Err(invalid);
    }
    let mut nodes = Vec::with_capacity(length.count_ones() as usize);
    let mut at = start;
    for level in (0..64u32).rev() {
        if length & (1 << level) != 0 {
            nodes.push(NodeId {
                level,
                index: at >> level,
            });
            at += 1 << level;
        }
    }
    Ok(nodes)
}

/// Combines the hashes of the perfect subtrees of a range (as listed by
/// [`perfect_subtrees`], left to right) into the range's tree head. The empty list
/// gives [`EMPTY_ROOT`].
pub fn fold_subtrees(hashes: &[Hash]) -> Hash {
    match hashes.split_last() {
        None => EMPTY_ROOT,
        Some((last, rest)) => rest
            .iter()
            .rev()
            .fold(*last, |right, left| node_hash(left, &right)),
    }
}

/// The right edge of a growing tree (a "compact range" from leaf 0): the hashes of
/// the perfect subtrees of [`perfect_subtrees`]`(0..size)`. Appending is `O(log n)`
/// and the tree head is available at every size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// Perfect subtree hashes, largest (leftmost) first.
    subtrees: Vec<Hash>,
}

impl Frontier {
    /// The empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resumes a tree from its size and the hashes of `perfect_subtrees(0..size)`.
    pub fn restore(size: u64, subtrees: Vec<Hash>) -> Result<Self, ProofError> {
        let expected = size.count_ones() as usize;
        if subtrees.len() != expected {
            return Err(ProofError::FrontierShape {
                size,
                expected,
                found: subtrees.len(),
            });
        }
        Ok(Self { size, subtrees })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The hashes of `perfect_subtrees(0..size)`, left to right.
    pub fn subtrees(&self) -> &[Hash] {
        &self.subtrees
    }

    /// The current tree head.
    pub fn root(&self) -> Hash {
        fold_subtrees(&self.subtrees)
    }

    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.push_with(leaf, |_, _| {});
    }

    /// Appends a leaf hash and reports every perfect subtree this completes, the
    /// leaf itself (level 0) first, then each larger one.
    pub fn push_with(&mut self, leaf: Hash, mut completed: impl FnMut(NodeId, &Hash)) {
        let index = self.size;
        let mut hash = leaf;
        completed(NodeId { level: 0, index }, &hash);
        // Each trailing one bit of the old size is a perfect subtree that merges now.
        for level in 1..=index.trailing_ones() {
            let left = self
                .subtrees
                .pop()
                .expect("one subtree per set bit of size");
            hash = node_hash(&left, &hash);
            completed(
                NodeId {
                    level,
                    index: index >> level,
                },
                &hash,
            );
        }
        self.subtrees.push(hash);
        self.size += 1;
    }
}

/// Verifies an inclusion proof (RFC 9162 §2.1.3.2): that `leaf_hash` is the leaf at
/// `index` of the tree of size `size` whose head is `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && r == *root
}

/// Verifies a consistency proof (RFC 9162 §2.1.4.2): that the tree of size `from`
/// with head `from_root` is a prefix of the tree of size `to` with head `to_root`.
///
/// Beyond the RFC, which covers `0 < from < to`: `from == to` needs an empty proof
/// and equal heads; `from == 0` needs an empty proof and `from_root` equal to
/// [`EMPTY_ROOT`]; `from > to` always fails.
pub fn verify_consistency(
    from: u64,
    to: u64,
    from_root: &Hash,
    to_root: &Hash,
    proof: &[Hash],
) -> bool {
    if from > to {
        return false;
    }
    if from == to {
        return proof.is_empty() && from_root == to_root;
    }
    if from == 0 {
        return proof.is_empty() && *from_root == EMPTY_ROOT;
    }
    // Step 1: an empty proof fails.
    let Some((first, rest)) = proof.split_first() else {
        return false;
    };
    // Step 2: if `from` is a power of two, the proof starts with `from_root` itself.
    let (start, path): (&Hash, &[Hash]) = if from.is_power_of_two() {
        (from_root, proof)
    } else {
        (first, rest)
    };
    // Steps 3-4.
    let (mut fnode, mut snode) = (from - 1, to - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 5.
    let (mut fr, mut sr) = (*start, *start);
    // Step 6.
    for c in path {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 7.
    fr == *from_root && sr == *to_root && snode == 0
}

#[cfg(test)]
mod tests;
