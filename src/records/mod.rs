//! Graduation and enrollment records, the application layer the record endpoints call:
//! publishing with history, conditional writes, retraction, and reading by id, by history
//! and by search, each read decided and shaped by the data-sharing agreements
//! ([`disclose`]). [`ops`] is the entry point (one function per operation, for both kinds);
//! [`error::RecordsError`] is the one error. It knows neither HTTP (the API maps its error
//! once, in `api::errors`) nor diesel (queries are `db::records`'), and it never writes an
//! audit entry itself: operations report what they touched and `audit::write` records it.

pub mod access;
pub mod batch;
pub mod checks;
pub mod cursor;
pub mod disclose;
pub mod error;
pub mod ops;
pub mod precondition;
pub mod publish;
pub mod read;
pub mod stored;
