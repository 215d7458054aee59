//! Push delivery of the change feed (webhooks): subscriptions, their secrets and the
//! signatures of deliveries, the guard that keeps deliveries out of internal networks, the
//! retry schedule, each agency's and receiver host's share of the attempts in flight, and
//! the worker that delivers.
//!
//! It does not manage subscriptions (creating, reading, enabling them is `subscriptions`'s)
//! and knows nothing of incoming HTTP requests; each attempt leaves an audit entry of its own.

pub mod delivery;
pub mod in_flight;
pub mod schedule;
pub mod signature;
pub mod ssrf;
pub mod worker;

use std::sync::Arc;

use crate::auth::secrets::KeyEncryptionKey;
use ssrf::AllowList;

/// What the subscription handlers need, shared as app data: the hosts exempt from the SSRF
/// checks, the key that seals subscription secrets, and how many subscriptions an agency
/// may have.
pub struct Webhooks {
    pub allow: Arc<AllowList>,
    pub kek: Arc<KeyEncryptionKey>,
    pub max_per_agency: usize,
}
