//! Referrals (issue 15): a graduated family handed to the agencies that may take it up,
//! with deadlines the exchange keeps. The application layer: the operations and their
//! rules ([`ops`]), how a client's request reaches them ([`calls`]), what each step leaves
//! on the feed ([`announce`]), and what happens without a request ([`deadlines`]: the
//! sweep of passed deadlines, and the enrollment that completes a referral). Knows nothing
//! of HTTP; the state machine itself is `domain::referral`'s.

pub mod announce;
pub mod calls;
pub mod deadlines;
pub mod error;
pub mod model;
pub mod ops;
