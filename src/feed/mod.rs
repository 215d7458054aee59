//! The change feed: every committed record version numbered in order ([`sequencer`]), read
//! back in pages ([`read`]), and pushed to subscribers' HTTPS endpoints ([`webhooks`]).
//!
//! Owns the order of changes and their delivery; it does not decide who may read a record
//! (`records::access` does) and knows nothing of HTTP requests.

pub mod read;
pub mod sequencer;
pub mod webhooks;
