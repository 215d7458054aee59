//! Per-client request rate limits: a keyed token bucket with a configurable rate and burst.
//!
//! The OAuth token endpoint combines several, some charged only for failed authentications:
//! see [`super::token_limits`].
//!
//! State lives in this process's memory only. Behind several replicas each counts on its own, so
//! the effective limit is the quota times the number of replicas, and a restart forgets every
//! bucket. That is acceptable for slowing down guessing and keeping one client from starving the
//! others, and it keeps the request path free of network round trips; a limit that must hold
//! exactly across replicas would need a shared store.
//!
//! # Bounded memory under a flood of keys
//!
//! Keys come from the network (client ids, addresses), so an attacker chooses how many there
//! are. Each shard therefore holds a fixed number of buckets, and keys are stored as a 64-bit
//! keyed hash rather than as the string, so a long key costs no more than a short one. (Two keys
//! whose hashes collide share a bucket, which only makes the limit stricter; the hash key is
//! random per limiter, so collisions cannot be aimed.) A full table of 100 000 keys takes about
//! 6 MB, including the eviction record described below.
//!
//! When a shard is full, buckets that have refilled to full are dropped first: they owe nothing,
//! so forgetting them cannot make anyone's limit more lenient. If that is not enough, the least
//! recently used buckets go. Forgetting a bucket that is still short of tokens would hand its key
//! a fresh burst, and an attacker could buy that by flooding other keys until the throttled one
//! falls out. So an evicted bucket leaves behind the instant at which it would have been full
//! again, in a fixed-size table indexed by hash; when a key is (re)admitted it starts from the
//! latest such instant in its slot instead of from a full bucket.
//!
//! The trade-off: a slot keeps only the latest of those instants, not whose it was, so every key
//! that has been evicted into a slot, or is new and lands in it, shares that slot's debt. Once
//! the limiter overflows, those keys degrade to a hashed limiter with `max_keys` buckets. That
//! errs towards refusing: no eviction ever leaves a key more tokens than it would have had
//! without eviction, so flooding other keys cannot buy a throttled key a fresh burst. The price
//! falls on newcomers during a flood: they may start with fewer tokens than `burst`, and an
//! attacker sustaining more than about `max_keys × per_second` new keys per second can keep them
//! waiting. Clients that come back before the flood has cycled through the table keep their own
//! buckets, and every inherited debt is gone `burst / per_second` after the flood stops. Forgetting instead (plain LRU) would keep
//! newcomers whole but let the flood reset exactly the key being guessed; refusing all new keys
//! while full would lock everyone new out at once.
//!
//! Callers can keep floods away from a limiter altogether by keying it only with values that are
//! already known to be valid (e.g. registered client ids, leaving unknown ones to the address
//! limit) and by keying IPv6 addresses by their /64.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How many keys a limiter made by [`RateLimiter::new`] remembers.
pub const DEFAULT_MAX_KEYS: usize = 100_000;

/// Enough that workers rarely wait for each other, few enough that the per-shard limit stays
/// meaningful.
const SHARDS: usize = 16;

/// Float rounding must not refuse a request that arrives exactly at its `Retry-After`.
const TOLERANCE: f64 = 1e-9;

/// Keeps durations, and instants derived from them, representable for absurdly slow quotas.
const MAX_WAIT: Duration = Duration::from_secs(1 << 32);

/// Rate and burst of one limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    pub per_second: f64,
    pub burst: u32,
}

impl Quota {
    fn burst_tokens(&self) -> f64 {
        f64::from(self.burst)
    }

    /// Time to earn `tokens`, rounded up to the nanosecond so that waiting that long is enough.
    fn time_for(&self, tokens: f64) -> Duration {
        let secs = tokens / self.per_second;
        match Duration::try_from_secs_f64(secs) {
            Ok(d) if d >= MAX_WAIT => MAX_WAIT,
            Ok(d) if d.as_secs_f64() < secs => d + Duration::from_nanos(1),
            Ok(d) => d,
            Err(_) => MAX_WAIT,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    /// Last refill, which is also the last use: every check refills.
    last: Instant,
}

impl Bucket {
    fn tokens_at(&self, quota: &Quota, now: Instant) -> f64 {
        let earned = now.saturating_duration_since(self.last).as_secs_f64() * quota.per_second;
        (self.tokens + earned).min(quota.burst_tokens())
    }

    fn refill(&mut self, quota: &Quota, now: Instant) {
        self.tokens = self.tokens_at(quota, now);
        // Workers read the clock before taking the lock, so instants can arrive slightly out of
        // order; an earlier one must neither refill nor move the bucket back in time.
        self.last = self.last.max(now);
    }

    fn take(&mut self, quota: &Quota) -> Result<(), Duration> {
        if self.tokens >= 1.0 - TOLERANCE {
            self.tokens = (self.tokens - 1.0).max(0.0);
            Ok(())
        } else {
            Err(quota.time_for(1.0 - self.tokens))
        }
    }

    fn full_at(&self, quota: &Quota) -> Instant {
        let wait = quota.time_for(quota.burst_tokens() - self.tokens);
        // `wait` is capped at MAX_WAIT, which every platform's `Instant` can add, so the
        // fallback (forgetting the debt) is unreachable in practice.
        self.last.checked_add(wait).unwrap_or(self.last)
    }
}

/// The map's keys are already keyed SipHash values; hashing them again would only cost time.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached if the key type changes from u64; stay correct rather than panic.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

struct ShardState {
    buckets: HashMap<u64, Bucket, BuildHasherDefault<PreHashed>>,
    /// Per slot, the latest instant at which an evicted bucket would be full again. Empty until
    /// the first eviction, so a limiter that never overflows never pays for it.
    evicted: Box<[Option<Instant>]>,
}

impl ShardState {
    fn new() -> Self {
        ShardState {
            buckets: HashMap::default(),
            evicted: Box::default(),
        }
    }

    fn check(
        &mut self,
        hash: u64,
        now: Instant,
        quota: &Quota,
        capacity: usize,
    ) -> Result<(), Duration> {
        if self.buckets.len() >= capacity && !self.buckets.contains_key(&hash) {
            self.make_room(now, quota, capacity);
        }
        let bucket = match self.buckets.entry(hash) {
            Entry::Occupied(entry) => {
                let bucket = entry.into_mut();
                bucket.refill(quota, now);
                bucket
            }
            Entry::Vacant(entry) => entry.insert(Bucket {
                tokens: inherited_tokens(&self.evicted, hash, now, quota),
                last: now,
            }),
        };
        bucket.take(quota)
    }

    /// Gives back one token taken from `hash`, up to the burst; a bucket already evicted stays
    /// as eviction left it.
    fn refund(&mut self, hash: u64, now: Instant, quota: &Quota) {
        if let Some(bucket) = self.buckets.get_mut(&hash) {
            bucket.refill(quota, now);
            bucket.tokens = (bucket.tokens + 1.0).min(quota.burst_tokens());
        }
    }

    /// Frees an eighth of the shard at once, so that under a flood the O(capacity) sweep is paid
    /// once per `capacity / 8` new keys rather than on every one.
    fn make_room(&mut self, now: Instant, quota: &Quota, capacity: usize) {
        self.buckets
            .retain(|_, b| b.tokens_at(quota, now) < quota.burst_tokens());
        let target = capacity - (capacity / 8).max(1);
        if self.buckets.len() <= target {
            return;
        }
        let excess = self.buckets.len() - target;
        let mut by_age: Vec<(Instant, u64)> =
            self.buckets.iter().map(|(&h, b)| (b.last, h)).collect();
        by_age.select_nth_unstable(excess - 1);
        if self.evicted.is_empty() {
            self.evicted = vec![None; capacity].into_boxed_slice();
        }
        for &(_, hash) in &by_age[..excess] {
            if let Some(bucket) = self.buckets.remove(&hash) {
                let full_at = bucket.full_at(quota);
                let slot = &mut self.evicted[slot_index(hash, self.evicted.len())];
                if slot.is_none_or(|t| t < full_at) {
                    *slot = Some(full_at);
                }
            }
        }
    }
}

fn slot_index(hash: u64, len: usize) -> usize {
    // The remainder is below `len`, so it fits in usize.
    (hash % len as u64) as usize
}

fn inherited_tokens(evicted: &[Option<Instant>], hash: u64, now: Instant, quota: &Quota) -> f64 {
    let burst = quota.burst_tokens();
    if evicted.is_empty() {
        return burst;
    }
    match evicted[slot_index(hash, evicted.len())] {
        Some(full_at) if full_at > now => {
            let missing = (full_at - now).as_secs_f64() * quota.per_second;
            (burst - missing).max(0.0)
        }
        _ => burst,
    }
}

/// Cache-line aligned so that workers locking neighbouring shards do not slow each other down.
#[repr(align(64))]
struct Shard(Mutex<ShardState>);

/// A keyed token-bucket limiter. Thread-safe (`Send + Sync`), cheap to call on every request.
///
/// In-memory and per process: see the module documentation.
pub struct RateLimiter {
    quota: Quota,
    hasher: RandomState,
    shards: [Shard; SHARDS],
    shard_capacity: usize,
}

impl RateLimiter {
    /// A limiter remembering at most [`DEFAULT_MAX_KEYS`] keys.
    ///
    /// # Panics
    /// If `per_second` is not a finite number above zero or `burst` is zero.
    pub fn new(quota: Quota) -> Self {
        Self::with_max_keys(quota, DEFAULT_MAX_KEYS)
    }

    /// A limiter remembering at most `max_keys` keys (rounded down to a multiple of the shard
    /// count, and at least one per shard).
    ///
    /// # Panics
    /// As [`RateLimiter::new`].
    pub fn with_max_keys(quota: Quota, max_keys: usize) -> Self {
        assert!(
            quota.per_second.is_finite() && quota.per_second > 0.0,
            "rate limit quota: per_second must be a finite number above 0, got {}",
            quota.per_second
        );
        assert!(
            quota.burst >= 1,
            "rate limit quota: burst must be at least 1, got {}",
            quota.burst
        );
        RateLimiter {
            quota,
            hasher: RandomState::new(),
            shards: std::array::from_fn(|_| Shard(Mutex::new(ShardState::new()))),
            shard_capacity: (max_keys / SHARDS).max(1),
        }
    }

    /// The quota enforced, e.g. for logs or a `RateLimit-Policy` header.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// Takes one token for `key` at time `now`. Ok(()) if allowed; Err(retry_after) with the
    /// time until one token is available again (callers send it as `Retry-After`, rounded up to
    /// whole seconds, at least 1: see [`retry_after_secs`]).
    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let hash = self.hasher.hash_one(key);
        self.shard(hash)
            .check(hash, now, &self.quota, self.shard_capacity)
    }

    /// [`RateLimiter::check_at`] now.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    /// Gives back the token an earlier check took for `key` at `now`. A limit that counts only
    /// some outcomes (failures, say) takes its token before the outcome is known, so that
    /// concurrent requests cannot all pass a check that none of them has paid for yet, and
    /// refunds it when the outcome turns out not to count.
    pub fn refund_at(&self, key: &str, now: Instant) {
        let hash = self.hasher.hash_one(key);
        self.shard(hash).refund(hash, now, &self.quota);
    }

    /// [`RateLimiter::refund_at`] now.
    pub fn refund(&self, key: &str) {
        self.refund_at(key, Instant::now());
    }

    fn shard(&self, hash: u64) -> std::sync::MutexGuard<'_, ShardState> {
        // The map uses the low bits (bucket index) and the top seven (control bytes); bits from
        // the middle keep the shards' maps evenly spread.
        let index = (hash >> 32) as usize % SHARDS;
        crate::sync::lock(&self.shards[index].0)
    }

    /// Number of keys currently remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.0.lock().unwrap().buckets.len())
            .sum()
    }

    #[cfg(test)]
    fn contains(&self, key: &str) -> bool {
        let hash = self.hasher.hash_one(key);
        self.shard(hash).buckets.contains_key(&hash)
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("quota", &self.quota)
            .field("max_keys", &(self.shard_capacity * SHARDS))
            .finish_non_exhaustive()
    }
}

/// Whole seconds for a Retry-After header: the duration rounded up, at least 1.
pub fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs()
        .saturating_add(u64::from(d.subsec_nanos() > 0))
        .max(1)
}

#[cfg(test)]
mod tests;
