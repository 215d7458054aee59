use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

fn quota(per_second: f64, burst: u32) -> Quota {
    Quota { per_second, burst }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Float rounding may move a wait by a few nanoseconds either way.
#[track_caller]
fn assert_wait(result: Result<(), Duration>, expected: Duration) {
    let wait = result.expect_err("should be refused");
    let slack = Duration::from_micros(1);
    assert!(
        wait + slack >= expected && wait <= expected + slack,
        "waited {wait:?}, expected {expected:?}"
    );
}

#[test]
fn limiter_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<RateLimiter>();
}

#[test]
fn burst_then_refusal() {
    let limiter = RateLimiter::new(quota(2.0, 3));
    let t0 = Instant::now();
    for _ in 0..3 {
        assert_eq!(limiter.check_at("client", t0), Ok(()));
    }
    assert_eq!(limiter.check_at("client", t0), Err(ms(500)));
    // Refusals do not consume anything, nor do they push the wait further out.
    assert_eq!(limiter.check_at("client", t0), Err(ms(500)));
}

#[test]
fn burst_of_one_allows_one() {
    let limiter = RateLimiter::new(quota(1.0, 1));
    let t0 = Instant::now();
    assert_eq!(limiter.check_at("k", t0), Ok(()));
    assert_eq!(limiter.check_at("k", t0), Err(Duration::from_secs(1)));
}

#[test]
fn refill_after_time() {
    let limiter = RateLimiter::new(quota(2.0, 3));
    let t0 = Instant::now();
    for _ in 0..3 {
        limiter.check_at("client", t0).unwrap();
    }
    assert_wait(limiter.check_at("client", t0 + ms(499)), ms(1));
    assert_eq!(limiter.check_at("client", t0 + ms(500)), Ok(()));
    assert_wait(limiter.check_at("client", t0 + ms(500)), ms(500));

    // A long pause refills to the burst and no further.
    let later = t0 + Duration::from_secs(3600);
    for _ in 0..3 {
        assert_eq!(limiter.check_at("client", later), Ok(()));
    }
    assert!(limiter.check_at("client", later).is_err());
}

#[test]
fn fractional_refill_accumulates() {
    let limiter = RateLimiter::new(quota(0.5, 1));
    let t0 = Instant::now();
    limiter.check_at("k", t0).unwrap();
    // Half a token after one second: still refused, one more second to go.
    assert_eq!(
        limiter.check_at("k", t0 + Duration::from_secs(1)),
        Err(Duration::from_secs(1))
    );
    assert_eq!(limiter.check_at("k", t0 + Duration::from_secs(2)), Ok(()));
}

#[test]
fn waiting_exactly_retry_after_is_enough_for_awkward_rates() {
    for per_second in [3.0, 7.0, 0.3, 1.0 / 3.0, 1000.0, 12345.678] {
        let limiter = RateLimiter::new(quota(per_second, 2));
        let mut now = Instant::now();
        limiter.check_at("k", now).unwrap();
        limiter.check_at("k", now).unwrap();
        for _ in 0..50 {
            let wait = limiter.check_at("k", now).unwrap_err();
            now += wait;
            assert_eq!(limiter.check_at("k", now), Ok(()), "rate {per_second}");
        }
    }
}

#[test]
fn earlier_instant_neither_refills_nor_panics() {
    let limiter = RateLimiter::new(quota(1.0, 1));
    let t0 = Instant::now() + Duration::from_secs(10);
    limiter.check_at("k", t0).unwrap();
    assert!(limiter.check_at("k", t0 - Duration::from_secs(5)).is_err());
    assert_eq!(limiter.check_at("k", t0 + Duration::from_secs(1)), Ok(()));
}

#[test]
fn keys_are_independent() {
    let limiter = RateLimiter::new(quota(1.0, 2));
    let t0 = Instant::now();
    limiter.check_at("a", t0).unwrap();
    limiter.check_at("a", t0).unwrap();
    assert!(limiter.check_at("a", t0).is_err());
    assert_eq!(limiter.check_at("b", t0), Ok(()));
    assert_eq!(limiter.check_at("b", t0), Ok(()));
    assert!(limiter.check_at("b", t0).is_err());
    assert_eq!(limiter.check_at("", t0), Ok(()));
}

#[test]
fn a_refund_gives_back_one_token_and_never_more_than_the_burst() {
    let limiter = RateLimiter::new(quota(1.0, 2));
    let t0 = Instant::now();
    limiter.check_at("k", t0).unwrap();
    limiter.check_at("k", t0).unwrap();
    assert!(limiter.check_at("k", t0).is_err());
    limiter.refund_at("k", t0);
    assert_eq!(limiter.check_at("k", t0), Ok(()));
    assert!(limiter.check_at("k", t0).is_err());

    // Refunds beyond the burst are lost, not banked.
    for _ in 0..5 {
        limiter.refund_at("k", t0);
    }
    assert_eq!(limiter.check_at("k", t0), Ok(()));
    assert_eq!(limiter.check_at("k", t0), Ok(()));
    assert!(limiter.check_at("k", t0).is_err());

    // A key never seen is not created by a refund.
    limiter.refund_at("unseen", t0);
    assert!(!limiter.contains("unseen"));
}

#[test]
fn retry_after_value_is_rounded_up_to_whole_seconds() {
    assert_eq!(retry_after_secs(Duration::ZERO), 1);
    assert_eq!(retry_after_secs(Duration::from_nanos(1)), 1);
    assert_eq!(retry_after_secs(ms(500)), 1);
    assert_eq!(retry_after_secs(Duration::from_secs(1)), 1);
    assert_eq!(retry_after_secs(Duration::new(1, 1)), 2);
    assert_eq!(retry_after_secs(ms(2500)), 3);
    assert_eq!(retry_after_secs(Duration::from_secs(60)), 60);
    assert_eq!(retry_after_secs(Duration::MAX), u64::MAX);

    // 0.3 tokens per second: one token every 3.33… s, sent as 4.
    let limiter = RateLimiter::new(quota(0.3, 1));
    let t0 = Instant::now();
    limiter.check_at("k", t0).unwrap();
    let wait = limiter.check_at("k", t0).unwrap_err();
    assert!(wait > ms(3333) && wait < ms(3334), "{wait:?}");
    assert_eq!(retry_after_secs(wait), 4);
    // Partly refilled: the wait shrinks accordingly.
    let wait = limiter
        .check_at("k", t0 + Duration::from_secs(3))
        .unwrap_err();
    assert!(wait > ms(333) && wait < ms(334), "{wait:?}");
    assert_eq!(retry_after_secs(wait), 1);
}

#[test]
fn memory_stays_bounded_under_a_million_keys() {
    let limiter = RateLimiter::new(quota(1.0, 5));
    let t0 = Instant::now();
    // All at one instant, so nothing refills and only least-recently-used eviction helps.
    // (Later keys are refused: they share the debt of evicted ones, see the module docs.)
    for i in 0..1_000_000u32 {
        let _ = limiter.check_at(&format!("flood-{i}"), t0);
        if i % 50_000 == 0 {
            assert!(limiter.len() <= DEFAULT_MAX_KEYS);
        }
    }
    let len = limiter.len();
    assert!(len <= DEFAULT_MAX_KEYS, "{len}");
    assert!(len >= DEFAULT_MAX_KEYS / 2, "{len}");

    // With time passing, full buckets are swept instead.
    let t1 = t0 + Duration::from_secs(60);
    for i in 0..200_000u32 {
        let now = t1 + Duration::from_micros(u64::from(i) * 100);
        let _ = limiter.check_at(&format!("second-wave-{i}"), now);
    }
    assert!(limiter.len() <= DEFAULT_MAX_KEYS);
}

#[test]
fn long_keys_cost_no_more_memory() {
    let limiter = RateLimiter::with_max_keys(quota(1.0, 1), 160);
    let t0 = Instant::now();
    let long = "x".repeat(10_000);
    for i in 0..5_000 {
        let _ = limiter.check_at(&format!("{long}{i}"), t0);
    }
    assert!(limiter.len() <= 160);
}

#[test]
fn throttled_key_stays_throttled_while_others_flood() {
    let q = quota(1.0, 5);
    let limiter = RateLimiter::new(q);
    let t0 = Instant::now();
    for _ in 0..5 {
        limiter.check_at("victim", t0).unwrap();
    }
    assert_eq!(limiter.check_at("victim", t0), Err(Duration::from_secs(1)));

    // A million other keys within the next 100 ms: far more than fit, nothing refills.
    for i in 0..1_000_000u32 {
        let now = t0 + Duration::from_nanos(u64::from(i) * 100);
        let _ = limiter.check_at(&format!("attacker-{i}"), now);
    }
    assert!(limiter.len() <= DEFAULT_MAX_KEYS);
    assert!(
        !limiter.contains("victim"),
        "the flood should have evicted the victim for this test to mean anything"
    );

    let t = t0 + ms(100);
    let wait = limiter.check_at("victim", t).unwrap_err();
    assert!(
        wait >= ms(900) && wait <= Duration::from_secs(5),
        "{wait:?}"
    );
    // Once the quota allows it again, exactly what the quota allows, not a fresh burst.
    let t = t0 + Duration::from_secs(1);
    assert_eq!(limiter.check_at("victim", t), Ok(()));
    assert!(limiter.check_at("victim", t).is_err());

    // Newcomers may have been short-changed during the flood, but not after it.
    let after = t0 + ms(100) + Duration::from_secs(5);
    for i in 0..100 {
        for _ in 0..5 {
            assert_eq!(limiter.check_at(&format!("newcomer-{i}"), after), Ok(()));
        }
    }
}

#[test]
fn repeated_floods_never_reset_a_throttled_key() {
    // A small limiter so that the victim is evicted over and over.
    let q = quota(1.0, 3);
    let limiter = RateLimiter::with_max_keys(q, 16 * 8);
    let t0 = Instant::now();
    let mut allowed = 0;
    let mut readmissions = 0;
    let mut n = 0u32;
    // Ten seconds of the attacker alternating guesses with floods of fresh keys.
    for step in 0..1_000u64 {
        let now = t0 + ms(step * 10);
        if step > 0 && !limiter.contains("victim") {
            readmissions += 1;
        }
        if limiter.check_at("victim", now).is_ok() {
            allowed += 1;
        }
        // After the guess, so that the victim is the oldest key and goes first.
        for _ in 0..200 {
            n += 1;
            let _ = limiter.check_at(&format!("junk-{n}"), now + ms(5));
        }
    }
    // Burst of 3 plus one per second over the ~10 s window, whatever the evictions did.
    assert!(readmissions > 100, "{readmissions}");
    assert!(allowed <= 3 + 10, "{allowed}");
    assert!(allowed >= 3, "{allowed}");
}

#[test]
fn full_buckets_are_dropped_before_throttled_ones() {
    let q = quota(1.0, 5);
    let mut shard = ShardState::new();
    let t0 = Instant::now();
    // Oldest, but still short of tokens.
    for _ in 0..5 {
        shard.check(0, t0, &q, 8).unwrap();
    }
    // Newer, but refilled to full by t0 + 10 s.
    for h in 1..8 {
        shard.check(h, t0 + ms(1), &q, 8).unwrap();
    }
    // Pure LRU would evict key 0 now; the sweep at t0 + 2 s finds the others full first.
    let t = t0 + Duration::from_secs(2);
    shard.check(101, t, &q, 8).unwrap();
    assert!(shard.buckets.contains_key(&0));
    assert!(!shard.buckets.contains_key(&1));
    assert!(shard.evicted.is_empty() || shard.evicted.iter().all(Option::is_none));
}

#[test]
fn least_recently_used_goes_when_nothing_is_full() {
    let q = quota(0.001, 5);
    let mut shard = ShardState::new();
    let t0 = Instant::now();
    for h in 0..8u64 {
        shard.check(h, t0 + ms(h), &q, 8).unwrap();
    }
    shard.check(8, t0 + ms(8), &q, 8).unwrap();
    assert_eq!(shard.buckets.len(), 8);
    assert!(!shard.buckets.contains_key(&0), "the oldest goes");
    assert!((1..=8).all(|h| shard.buckets.contains_key(&h)));
    // The evicted key's debt is remembered and comes back with it.
    let slot = shard.evicted[slot_index(0, shard.evicted.len())];
    assert!(slot.is_some_and(|t| t > t0 + ms(900_000)));
    for _ in 0..4 {
        shard.check(0, t0 + ms(9), &q, 8).unwrap();
    }
    assert!(shard.check(0, t0 + ms(9), &q, 8).is_err());
}

#[test]
fn concurrent_checks_allow_exactly_the_burst() {
    const BURST: u32 = 50;
    let limiter = Arc::new(RateLimiter::new(quota(1.0, BURST)));
    let allowed = Arc::new(AtomicU32::new(0));
    let now = Instant::now();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let limiter = Arc::clone(&limiter);
            let allowed = Arc::clone(&allowed);
            std::thread::spawn(move || {
                for i in 0..1_000 {
                    if limiter.check_at("shared", now).is_ok() {
                        allowed.fetch_add(1, Ordering::Relaxed);
                    }
                    // Traffic on other keys, some in the same shard, in between.
                    let _ = limiter.check_at(&format!("own-{t}-{i}"), now);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(allowed.load(Ordering::Relaxed), BURST);
}

#[test]
fn quota_reads_from_settings() {
    let q: Quota = serde_json::from_str(r#"{"per_second": 0.5, "burst": 10}"#).unwrap();
    assert_eq!(q, quota(0.5, 10));
    let back: Quota = serde_json::from_value(serde_json::to_value(q).unwrap()).unwrap();
    assert_eq!(back, q);
}

#[test]
#[should_panic(expected = "per_second must be a finite number above 0")]
fn zero_rate_is_rejected() {
    RateLimiter::new(quota(0.0, 1));
}

#[test]
#[should_panic(expected = "per_second must be a finite number above 0")]
fn nan_rate_is_rejected() {
    RateLimiter::new(quota(f64::NAN, 1));
}

#[test]
#[should_panic(expected = "per_second must be a finite number above 0")]
fn infinite_rate_is_rejected() {
    RateLimiter::new(quota(f64::INFINITY, 1));
}

#[test]
#[should_panic(expected = "burst must be at least 1")]
fn zero_burst_is_rejected() {
    RateLimiter::new(quota(1.0, 0));
}
