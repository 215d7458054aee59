//! The tamper-evident audit log: its pure cryptographic core.
//!
//! * [`merkle`] — the RFC 9162 §2.1 Merkle tree: leaf and node hashes, tree heads,
//!   inclusion and consistency proofs and their verification, and the pieces a
//!   database layer needs to serve proofs from stored subtree hashes.
//! * [`note`] — C2SP `signed-note` with Ed25519, and the note verifier key format.
//! * [`checkpoint`] — the C2SP `tlog-checkpoint` body, signed as a note.
//! * [`verify`] — offline verification of an NDJSON export against signed checkpoints
//!   (the core of `sinergi audit verify`).
//!
//! Every leaf is the RFC 8785 encoding of one entry ([`crate::canonical_json`]), and each
//! line of an export is exactly those bytes.
//!
//! Nothing here does I/O; the database, HTTP and CLI layers sit on top.

pub mod checkpoint;
pub mod merkle;
pub mod note;
pub mod verify;

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

/// The default checkpoint origin, also the name of the audit signing key.
pub const DEFAULT_ORIGIN: &str = "sinergi/audit";
