//! Webhook subscriptions as an agency manages them: create, read and delete its own, and set
//! one going again (enable; replay from a position), a suspended one being taken over by the
//! calling client. Delivery itself is `feed::webhooks`.
//!
//! A subscription is the change feed pushed instead of polled, so what sets deliveries going
//! (creating, enabling, replaying) needs `changes:read` as well as `subscriptions:write`,
//! exactly like reading the feed; otherwise `subscriptions:write` would be a second way in.
//! Listing, reading, deleting and the delivery log need only `subscriptions:write`: they
//! show settings and the outcome of attempts, never a record, and deleting stops deliveries.
//!
//! Each operation checks the caller's scopes, changes data only through the audited-write
//! path, and answers a result or a [`error::SubscriptionsError`]; nothing here knows HTTP.

pub mod error;
pub mod model;
pub mod ops;
