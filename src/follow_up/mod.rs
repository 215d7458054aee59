//! The follow-up watch (issue 15): whether graduated families are picked up and stay out of
//! social assistance. [`watch`] raises signals (a graduation nobody referred or enrolled
//! within the set days, a family back in a social-assistance program or down to a bansos
//! priority decile, a referral past a deadline), each once; [`model`] shows them to the
//! agencies entitled to see them; [`announce`] puts each on the feed. Knows nothing of HTTP.

pub mod announce;
pub mod model;
pub mod watch;
