//! Everything request handling needs, registered with the server once. Built in `startup`
//! as one struct literal, so a missing part is a compile error there, not a 500 at run time
//! when the first handler asks for it.

use std::sync::Arc;

use crate::agreements::policy::Policy;
use crate::audit::log_keys::AuditKeys;
use crate::audit::writer::Recorder;
use crate::auth::Auth;
use crate::console::Console;
use crate::db::Db;
use crate::feed::read::FeedHead;
use crate::feed::webhooks::Webhooks;
use crate::http::fallback::RouteTable;
use crate::http::metrics::Metrics;
use crate::records::cursor::CursorKey;

pub struct AppState {
    pub db: Db,
    pub auth: Auth,
    /// The audit log's signing and hashing keys.
    pub audit_keys: Arc<AuditKeys>,
    /// Hands request entries to the audit log's writer.
    pub recorder: Recorder,
    pub cursor_key: CursorKey,
    /// The data-sharing agreements in force, which decide every read of records.
    pub agreements: Arc<Policy>,
    /// The feed's head, which long-polls wait on.
    pub feed_head: FeedHead,
    pub webhooks: Webhooks,
    /// Sign-in and sessions of the console's people.
    pub console: Console,
    pub metrics: Metrics,
    /// The documented paths and their methods, for 404 and 405 answers.
    pub routes: RouteTable,
    /// The OpenAPI document, serialised once.
    pub openapi_json: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Most records in one publishing batch.
    pub max_batch_items: usize,
}
