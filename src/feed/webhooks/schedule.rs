//! When a failed delivery is tried again, and when the exchange stops trying.
//!
//! Exponential backoff with full jitter: the n-th retry waits a random time up to a ceiling
//! that grows fivefold per failure (5 s, 25 s, 2 min, 10 min, 52 min) and stops growing at
//! 1 h. The jitter spreads the retries of every subscription that failed in the same outage
//! of a receiver, so they do not come back in one wave. Because jitter makes the sum of the
//! waits random, giving up is decided by the time since the change first failed: a change
//! is retried for at least 24 hours, then the subscription is paused (`failing`).
//!
//! Every duration is a multiple of one base (5 s by default), so tests can run the whole
//! schedule in seconds.

use std::time::Duration;

/// The ceiling grows by this factor per failure.
const GROWTH: u32 = 5;
/// Longest wait between two attempts, in bases (1 h at the default base).
const CAP_BASES: u32 = 720;
/// How long a change is retried, in bases (24 h at the default base).
const SPAN_BASES: u32 = 17_280;
/// Shortest wait, in fifths of a base (1 s at the default base): a jitter near zero must
/// not turn into a burst of attempts.
const FLOOR_FIFTHS: u32 = 1;

#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    base: Duration,
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    RetryIn(Duration),
    /// The change has failed for the whole span: pause the subscription.
    GiveUp,
}

impl Schedule {
    pub fn new(base: Duration) -> Self {
        Self { base }
    }

    /// The longest wait after the `failures`-th failed attempt of a change (1 for the first).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let growth = GROWTH.saturating_pow(failures.saturating_sub(1));
        self.base.saturating_mul(growth.min(CAP_BASES))
    }

    /// How long a change is retried before the subscription is paused.
    pub fn span(&self) -> Duration {
        self.base * SPAN_BASES
    }

    /// After the `failures`-th failed attempt of a change that first failed `failing_for`
    /// ago; `jitter` is a uniform random number in [0, 1).
    pub fn after_failure(&self, failures: u32, failing_for: Duration, jitter: f64) -> Next {
        if failing_for >= self.span() {
            return Next::GiveUp;
        }
        let floor = self.base * FLOOR_FIFTHS / 5;
        let ceiling = self.ceiling(failures);
        let wait = ceiling.mul_f64(jitter.clamp(0.0, 1.0));
        Next::RetryIn(wait.clamp(floor, ceiling.max(floor)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Schedule = Schedule {
        base: Duration::from_secs(5),
    };
    const HOUR: Duration = Duration::from_secs(3_600);

    /// Fails every attempt and answers (attempts, time from the first failure to giving up).
    fn run_to_the_end(schedule: Schedule, mut jitter: impl FnMut() -> f64) -> (u32, Duration) {
        let mut failing_for = Duration::ZERO;
        for failures in 1.. {
            match schedule.after_failure(failures, failing_for, jitter()) {
                Next::RetryIn(wait) => failing_for += wait,
                Next::GiveUp => return (failures, failing_for),
            }
        }
        unreachable!()
    }

    #[test]
    fn the_first_retries_come_within_seconds_and_waits_stop_growing_at_an_hour() {
        assert_eq!(DEFAULT.ceiling(1), Duration::from_secs(5));
        assert_eq!(DEFAULT.ceiling(2), Duration::from_secs(25));
        assert_eq!(DEFAULT.ceiling(3), Duration::from_secs(125));
        assert_eq!(DEFAULT.ceiling(6), HOUR);
        assert_eq!(DEFAULT.ceiling(1_000), HOUR);
        assert_eq!(DEFAULT.span(), 24 * HOUR);
    }

    #[test]
    fn every_wait_lies_between_a_second_and_its_ceiling() {
        for failures in 1..40 {
            for jitter in [0.0, 0.1, 0.5, 0.999_999, -3.0, 7.0] {
                let Next::RetryIn(wait) = DEFAULT.after_failure(failures, HOUR, jitter) else {
                    panic!("gave up within the span");
                };
                assert!(
                    wait >= Duration::from_secs(1),
                    "{failures} {jitter}: {wait:?}"
                );
                assert!(
                    wait <= DEFAULT.ceiling(failures),
                    "{failures} {jitter}: {wait:?}"
                );
            }
        }
    }

    #[test]
    fn the_schedule_spans_at_least_24_hours_whatever_the_jitter() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let (attempts, spanned) = run_to_the_end(DEFAULT, || rng.r#gen::<f64>());
        assert!(spanned >= 24 * HOUR, "{spanned:?}");
        assert!(spanned < 25 * HOUR, "{spanned:?}");
        // About two per hour once the ceiling is reached: a failing receiver is not hammered.
        assert!((30..120).contains(&attempts), "{attempts}");

        let (attempts, spanned) = run_to_the_end(DEFAULT, || 0.999_999);
        assert!((24 * HOUR..25 * HOUR).contains(&spanned), "{spanned:?}");
        assert!((25..35).contains(&attempts), "{attempts}");
        let (_, spanned) = run_to_the_end(DEFAULT, || 0.0);
        assert!(spanned >= 24 * HOUR, "{spanned:?}");
    }

    #[test]
    fn a_smaller_base_shrinks_the_whole_schedule() {
        let fast = Schedule::new(Duration::from_millis(5));
        assert_eq!(fast.ceiling(1), Duration::from_millis(5));
        assert_eq!(fast.span(), Duration::from_millis(86_400));
        assert_eq!(
            fast.after_failure(3, fast.span(), 0.5),
            Next::GiveUp,
            "the span is over"
        );
    }
}
