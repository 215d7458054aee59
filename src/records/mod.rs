//! Graduation and enrollment records: publishing with history, conditional writes,
//! retraction, and reading by id, by history and by search.

pub mod access;
pub mod batch;
pub mod cursor;
pub mod error;
pub mod ops;
pub mod precondition;
pub mod publish;
pub mod read;
