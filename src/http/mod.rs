//! Cross-cutting HTTP layers: request ids, metrics, logging, security headers, and the
//! problem-details safety net.
//!
//! Owns what every request goes through whatever its route: the middleware chain, the
//! extractors ([`caller`], [`extract`]), [`problem::ApiError`] and its rendering, the
//! recorder that opens each request's audit trail, and [`state::AppState`]. It holds no rule
//! of a particular resource (those are `api`'s handlers and the application layer's).

pub mod caller;
pub mod declared;
pub mod duplicate_keys;
pub mod echo;
pub mod extract;
pub mod fallback;
pub mod head;
pub mod logging;
pub mod metrics;
pub mod problem;
pub mod recorder;
pub mod request_id;
pub mod security_headers;
pub mod source_address;
pub mod state;
pub mod unparsed;
