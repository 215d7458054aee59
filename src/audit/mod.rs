//! The tamper-evident audit log.
//!
//! The cryptographic core, which does no I/O:
//!
//! * [`merkle`] — the RFC 9162 §2.1 Merkle tree: leaf and node hashes, tree heads,
//!   inclusion and consistency proofs and their verification, and the pieces a
//!   database layer needs to serve proofs from stored subtree hashes.
//! * [`note`] — C2SP `signed-note` with Ed25519, and the note verifier key format.
//! * [`checkpoint`] — the C2SP `tlog-checkpoint` body, signed as a note.
//! * [`verify`] — offline verification of an NDJSON export against signed checkpoints
//!   (the core of `sinergi audit verify`), and [`disclosures`], its check that every
//!   disclosure of another agency's records relied on an agreement then in force.
//!
//! Every leaf is the RFC 8785 encoding of one entry ([`crate::canonical_json`]), and each
//! line of an export is exactly those bytes.
//!
//! The service side:
//!
//! * [`entry`] — what one entry holds and its canonical bytes.
//! * [`log_keys`] — the checkpoint signing key and the NIK hashing key, derived from the
//!   key-encryption key.
//! * [`trail`] — what a request accumulates for its entry while it is served, and
//!   [`report`], what the operations serving it report having touched.
//! * [`write`] — the one audited-write path: an operation and its entry in one transaction.
//! * [`writer`] — the group-commit thread that makes request entries durable before their
//!   response (the HTTP layer's recorder, `http::recorder`, hands them over).
//! * [`anonymous`] — the per-address limit for requests that name no client, and the
//!   aggregate entries that count them.
//! * [`integrate`] — moves queued entries into the tree and signs checkpoints (the feed's
//!   sequencer thread runs it).
//! * [`proofs`] — tree heads and proofs served from the stored subtree hashes.
//! * [`read`] — what an auditor reads: entries by filter (a look-up by NIK or KK bound to
//!   a purpose and limited), the export, checkpoints and proofs.

pub mod anonymous;
pub mod checkpoint;
pub mod disclosures;
pub mod entry;
pub mod integrate;
pub mod log_keys;
pub mod merkle;
pub mod note;
pub mod proofs;
pub mod read;
pub mod report;
pub mod trail;
pub mod verify;
pub mod write;
pub mod writer;

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

/// The default checkpoint origin, also the name of the audit signing key.
pub const DEFAULT_ORIGIN: &str = "sinergi/audit";
