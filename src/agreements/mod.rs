//! Data-sharing agreements between agencies (UU 27/2022): the application layer.
//!
//! Owns the life of an agreement ([`ops`]: propose, amend, approve, suspend, terminate,
//! with every version kept and audited) and how a client's request reaches it
//! ([`calls`]), and the decision of every read of another agency's records ([`policy`]:
//! which agreement covers it, what it shows), and what each change leaves in the audit log
//! and on the feed ([`announce`]). Knows nothing of HTTP (the routes are `api::agreements`'s) and reaches
//! storage only through `db`; the terms themselves are `domain::agreement`'s.

pub mod announce;
pub mod calls;
pub mod error;
pub mod model;
pub mod ops;
pub mod policy;
pub mod purposes;
