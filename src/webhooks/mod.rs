//! Push delivery of the change feed (webhooks): subscriptions, their secrets and the
//! signatures of deliveries, the guard that keeps deliveries out of internal networks, the
//! retry schedule, and the worker that delivers.

pub mod delivery;
pub mod schedule;
pub mod signature;
pub mod ssrf;
pub mod subscription;
pub mod worker;

use std::sync::Arc;

use crate::auth::secrets::KeyEncryptionKey;
use ssrf::AllowList;

/// What the subscription handlers need, shared as app data: the hosts exempt from the SSRF
/// checks, and the key that seals subscription secrets.
pub struct Webhooks {
    pub allow: Arc<AllowList>,
    pub kek: Arc<KeyEncryptionKey>,
}
