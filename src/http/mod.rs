//! Cross-cutting HTTP layers: request ids, metrics, logging, security headers, and the
//! problem-details safety net.

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
