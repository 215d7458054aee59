//! Graduation and enrollment records: publishing with history, conditional writes,
//! retraction, and reading by id, by history and by search.

pub mod access;
pub mod cursor;
pub mod feed;
pub mod precondition;
pub mod publish;
pub mod read;
