//! Requests that name no client: no valid token, and at the token endpoint no registered
//! client. None of them can touch personal data (every route that does needs a token), yet
//! recording each one would let anyone grow the permanent, undeletable log at the speed of
//! their network. So they are limited per source address before they cost anything, and
//! counted instead of recorded: one aggregate entry per address (an IPv6 /64), method, route
//! and status per window, still in the Merkle log, so that an auditor sees a flood, from
//! where and against what. A window records at most `max_entries` aggregates; further
//! addresses are folded into one aggregate per status with the address `*`, so anonymous
//! traffic adds at most `max_entries` plus a handful of entries per window, whatever its
//! rate or number of addresses.
//!
//! The counts live in memory until the writer takes their window (at its end, or when the
//! service stops): a process killed without SIGTERM loses the window in progress. That is
//! the price of not writing anything per anonymous request.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::entry::{Aggregate, Entry, Outcome, format_time};
use crate::auth::rate_limit::{Quota, RateLimiter};

/// The address of an aggregate that folds every address beyond a window's allowance.
const OTHER_ADDRESSES: &str = "*";

/// How anonymous requests are limited and counted.
#[derive(Debug, Clone, Copy)]
pub struct AnonymousSettings {
    /// Requests without credentials per source address.
    pub quota: Quota,
    /// How long one aggregate counts.
    pub window: Duration,
    /// Aggregates recorded per window at most, the overflow aggregates aside.
    pub max_entries: usize,
}

/// The limit and the tally of anonymous requests; shared by every worker.
pub struct Anonymous {
    limit: RateLimiter,
    window_micros: i64,
    max_entries: usize,
    /// Counts per window (its start in Unix microseconds). The writer takes each window
    /// once it has ended, so at most two are held at a time.
    windows: Mutex<BTreeMap<i64, HashMap<Key, Count>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    address: String,
    method: String,
    route: Option<String>,
    status: u16,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    requests: u64,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
}

impl Anonymous {
    pub fn new(settings: AnonymousSettings) -> Self {
        Self {
            limit: RateLimiter::new(settings.quota),
            window_micros: i64::try_from(settings.window.as_micros())
                .unwrap_or(i64::MAX)
                .max(1),
            max_entries: settings.max_entries.max(1),
            windows: Mutex::default(),
        }
    }

    /// Takes one request's worth from the allowance of the address behind `address_key`
    /// (`http::source_address::limit_key`); the wait until the next is allowed otherwise.
    pub fn admit(&self, address_key: &str) -> Result<(), Duration> {
        self.limit.check(address_key)
    }

    /// Counts one anonymous request, described by its (unstored) entry, under the address
    /// key it came from.
    pub fn count(&self, entry: &Entry, address_key: &str, at: DateTime<Utc>) {
        let window = at.timestamp_micros().div_euclid(self.window_micros) * self.window_micros;
        let mut windows = crate::sync::lock(&self.windows);
        let counts = windows.entry(window).or_default();
        let mut key = Key {
            address: address_key.to_owned(),
            method: entry.method.clone(),
            route: entry.route.clone(),
            status: entry.status,
        };
        if counts.len() >= self.max_entries && !counts.contains_key(&key) {
            key = Key {
                address: OTHER_ADDRESSES.into(),
                method: "*".into(),
                route: None,
                status: entry.status,
            };
        }
        counts
            .entry(key)
            .and_modify(|c| {
                c.requests += 1;
                c.last = c.last.max(at);
            })
            .or_insert(Count {
                requests: 1,
                first: at,
                last: at,
            });
    }

    /// The aggregate entries of every window that has ended by `now`, or of every window
    /// when `all` (the service is stopping), oldest first.
    pub fn take(&self, now: DateTime<Utc>, all: bool) -> Vec<Entry> {
        let ended = {
            let mut windows = crate::sync::lock(&self.windows);
            let current =
                now.timestamp_micros().div_euclid(self.window_micros) * self.window_micros;
            let kept = if all {
                BTreeMap::new()
            } else {
                windows.split_off(&current)
            };
            std::mem::replace(&mut *windows, kept)
        };
        let mut entries: Vec<Entry> = ended
            .into_values()
            .flat_map(|counts| counts.into_iter().map(|(key, count)| aggregate(key, count)))
            .collect();
        entries.sort_by(|a, b| a.time.cmp(&b.time));
        entries
    }
}

fn aggregate(key: Key, count: Count) -> Entry {
    Entry {
        index: None,
        time: format_time(count.first),
        // The requests' own ids are not kept; this one names the aggregate.
        request_id: format!("anonymous-{}", uuid::Uuid::new_v4()),
        client_id: None,
        agency: None,
        purpose: None,
        method: key.method,
        route: key.route,
        status: key.status,
        outcome: Outcome::of_status(key.status),
        record_ids: Vec::new(),
        nik_hashes: Vec::new(),
        latency_us: 0,
        kk_hashes: Vec::new(),
        source_address: Some(key.address),
        aggregate: Some(Aggregate {
            requests: count.requests,
            last_time: format_time(count.last),
        }),
        agreements: Vec::new(),
        agreement: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anonymous(max_entries: usize) -> Anonymous {
        Anonymous::new(AnonymousSettings {
            quota: Quota {
                per_second: 1.0,
                burst: 2,
            },
            window: Duration::from_secs(60),
            max_entries,
        })
    }

    fn request(status: u16, route: Option<&str>) -> Entry {
        aggregate(
            Key {
                address: String::new(),
                method: "GET".into(),
                route: route.map(str::to_owned),
                status,
            },
            Count {
                requests: 1,
                first: Utc::now(),
                last: Utc::now(),
            },
        )
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn requests_are_counted_per_address_route_and_status_per_window() {
        let tally = anonymous(100);
        let whoami = request(401, Some("/v1/whoami"));
        for s in 0..50 {
            tally.count(&whoami, "203.0.113.7", at(s));
        }
        tally.count(&request(404, None), "203.0.113.7", at(51));
        tally.count(&whoami, "2001:db8:1:2::/64", at(52));
        tally.count(&whoami, "203.0.113.7", at(61));
        assert!(
            tally.take(at(59), false).is_empty(),
            "the window has not ended"
        );
        let first = tally.take(at(61), false);
        assert_eq!(first.len(), 3);
        let flood = &first[0];
        assert_eq!(flood.source_address.as_deref(), Some("203.0.113.7"));
        assert_eq!(flood.route.as_deref(), Some("/v1/whoami"));
        assert_eq!(flood.outcome, Outcome::Denied);
        assert_eq!(flood.time, format_time(at(0)));
        let counted = flood.aggregate.as_ref().unwrap();
        assert_eq!(
            (counted.requests, counted.last_time.as_str()),
            (50, format_time(at(49)).as_str())
        );
        // The next window is taken once it ends, or at once when the service stops.
        assert!(tally.take(at(62), false).is_empty());
        let last = tally.take(at(62), true);
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].aggregate.as_ref().unwrap().requests, 1);
        assert!(tally.take(at(200), true).is_empty());
    }

    #[test]
    fn addresses_beyond_the_allowance_of_a_window_are_folded_together() {
        let tally = anonymous(10);
        let whoami = request(401, Some("/v1/whoami"));
        for n in 0..10_000u32 {
            let address = format!("2001:db8:{:x}:{:x}::/64", n >> 16, n & 0xffff);
            tally.count(&whoami, &address, at(1));
            tally.count(&request(404, None), &address, at(2));
        }
        let entries = tally.take(at(60), false);
        assert_eq!(entries.len(), 12, "ten aggregates, and one fold per status");
        let folded: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.source_address.as_deref() == Some(OTHER_ADDRESSES))
            .collect();
        assert_eq!(folded.len(), 2);
        let total: u64 = entries
            .iter()
            .map(|e| e.aggregate.as_ref().unwrap().requests)
            .sum();
        assert_eq!(total, 20_000, "every request is counted");
    }

    #[test]
    fn the_allowance_is_per_address() {
        let tally = anonymous(10);
        assert!(tally.admit("203.0.113.7").is_ok());
        assert!(tally.admit("203.0.113.7").is_ok());
        assert!(tally.admit("203.0.113.7").is_err());
        assert!(tally.admit("203.0.113.8").is_ok());
    }
}
