//! How long tokens live and how much clock skew their checks allow: what access tokens,
//! client assertions and the signing keys that must outlive their tokens are all sized by.

/// Longest lifetime the contract allows for an access token.
pub const MAX_LIFETIME_SECS: i64 = 15 * 60;
/// Clock skew tolerated for `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 30;
