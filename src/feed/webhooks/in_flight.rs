//! Fair shares of one instance's delivery attempts.
//!
//! An attempt may take the whole timeout: a receiver that accepts connections and never
//! answers holds it that long. Were due subscriptions claimed oldest first into a fixed
//! number of slots, one agency's many subscriptions at such a receiver would hold every slot
//! and delay every other agency's deliveries by the timeout, again and again. So a claim
//! passes over subscriptions whose agency, or whose receiver host, already has its share of
//! attempts in flight on this instance, and reaches the other agencies' subscriptions.

use std::collections::HashMap;

use tokio::task;

use crate::db::subscriptions::SubscriptionRow;

/// How many delivery attempts one instance makes at the same time: in all, for the
/// subscriptions of one agency, and to one receiver host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub total: usize,
    pub per_agency: usize,
    pub per_host: usize,
}

/// One subscription being delivered.
#[derive(Debug, Clone)]
pub struct Slot {
    subscription: String,
    agency: String,
    host: String,
}

impl Slot {
    pub fn of(row: &SubscriptionRow) -> Self {
        Self {
            subscription: row.id.clone(),
            agency: row.agency.clone(),
            host: receiver_host(&row.url),
        }
    }
}

/// The subscriptions this instance is delivering, by the task delivering each.
#[derive(Debug)]
pub struct InFlight {
    caps: Caps,
    slots: HashMap<task::Id, Slot>,
}

impl InFlight {
    pub fn new(caps: Caps) -> Self {
        Self {
            caps,
            slots: HashMap::new(),
        }
    }

    pub fn is_full(&self) -> bool {
        self.slots.len() >= self.caps.total
    }

    pub fn start(&mut self, task: task::Id, slot: Slot) {
        self.slots.insert(task, slot);
    }

    pub fn finish(&mut self, task: task::Id) {
        self.slots.remove(&task);
    }

    /// The shares left now, for a claim to take from.
    pub fn shares(&self) -> Shares {
        let mut shares = Shares {
            caps: self.caps,
            free: self.caps.total.saturating_sub(self.slots.len()),
            busy: Vec::new(),
            agencies: HashMap::new(),
            hosts: HashMap::new(),
        };
        for slot in self.slots.values() {
            shares.busy.push(slot.subscription.clone());
            *shares.agencies.entry(slot.agency.clone()).or_default() += 1;
            *shares.hosts.entry(slot.host.clone()).or_default() += 1;
        }
        shares
    }
}

/// Attempts in flight and claimed so far, by agency and host: which due subscription may
/// start now.
#[derive(Debug, Clone)]
pub struct Shares {
    caps: Caps,
    free: usize,
    busy: Vec<String>,
    agencies: HashMap<String, usize>,
    hosts: HashMap<String, usize>,
}

impl Shares {
    /// The subscriptions being delivered here: never claimed a second time.
    pub fn busy(&self) -> &[String] {
        &self.busy
    }

    /// The agencies whose share is taken: a claim need not look at their subscriptions.
    pub fn full_agencies(&self) -> Vec<String> {
        self.agencies
            .iter()
            .filter(|(_, n)| **n >= self.caps.per_agency)
            .map(|(agency, _)| agency.clone())
            .collect()
    }

    pub fn is_full(&self) -> bool {
        self.free == 0
    }

    /// Takes a share for a subscription of `agency` delivering to `url`, if there is a
    /// free slot and both its agency and its host have room; answers whether it did.
    pub fn admit(&mut self, agency: &str, url: &str) -> bool {
        let host = receiver_host(url);
        let taken =
            |counts: &HashMap<String, usize>, key: &str| counts.get(key).copied().unwrap_or(0);
        if self.free == 0
            || taken(&self.agencies, agency) >= self.caps.per_agency
            || taken(&self.hosts, &host) >= self.caps.per_host
        {
            return false;
        }
        self.free -= 1;
        *self.agencies.entry(agency.to_owned()).or_default() += 1;
        *self.hosts.entry(host).or_default() += 1;
        true
    }
}

/// The receiver host the per-host cap counts a delivery to `url` against: the host name or
/// IP address, in lower case, whatever the port, since one machine serves them all. A URL
/// that does not parse (none is stored) counts as a host of its own.
fn receiver_host(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(url) => url
            .host_str()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_ascii_lowercase(),
        Err(_) => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: Caps = Caps {
        total: 6,
        per_agency: 3,
        per_host: 2,
    };

    #[test]
    fn an_agency_or_host_at_its_share_is_passed_over_and_others_are_admitted() {
        let mut shares = InFlight::new(CAPS).shares();
        // Agency A's subscriptions at one slow host: two get in, the rest wait.
        for n in 0..5 {
            let admitted = shares.admit("A", &format!("https://tarpit.example:{}/", 8000 + n));
            assert_eq!(admitted, n < 2, "A's subscription {n}");
        }
        // A's third share goes to another host; then A is full whatever the host.
        assert!(shares.admit("A", "https://other.example/"));
        assert!(!shares.admit("A", "https://third.example/"));
        assert_eq!(shares.full_agencies(), ["A"]);
        // B is admitted, but not at the host A already fills.
        assert!(!shares.admit("B", "https://TARPIT.example./x"));
        assert!(shares.admit("B", "https://b.example/"));
        assert!(shares.admit("C", "https://c.example/"));
        assert!(shares.admit("D", "https://d.example/"));
        assert!(shares.is_full());
        assert!(
            !shares.admit("E", "https://e.example/"),
            "every slot is taken"
        );
    }

    #[test]
    fn shares_count_what_is_in_flight() {
        let row = |id: &str, agency: &str, url: &str| SubscriptionRow {
            id: id.into(),
            agency: agency.into(),
            url: url.into(),
            types: String::new(),
            programs: String::new(),
            publishers: String::new(),
            secret: String::new(),
            position: 0,
            state: String::new(),
            attempts: 0,
            first_failed_at: None,
            next_attempt_at: 0,
            leased_by: None,
            leased_until: None,
            created_at: 0,
            created_by: String::new(),
            purpose: None,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let tasks: Vec<task::Id> = (0..3)
            .map(|_| runtime.block_on(async { tokio::spawn(async {}).id() }))
            .collect();
        let mut in_flight = InFlight::new(CAPS);
        in_flight.start(tasks[0], Slot::of(&row("s1", "A", "https://h.example/1")));
        in_flight.start(tasks[1], Slot::of(&row("s2", "A", "https://h.example/2")));
        in_flight.start(tasks[2], Slot::of(&row("s3", "A", "https://g.example/")));
        let mut shares = in_flight.shares();
        assert_eq!(shares.busy().len(), 3);
        assert_eq!(shares.full_agencies(), ["A"]);
        assert!(
            !shares.admit("B", "https://h.example/"),
            "h is at its share"
        );
        assert!(shares.admit("B", "https://g.example/"));

        in_flight.finish(tasks[0]);
        let mut shares = in_flight.shares();
        assert!(shares.full_agencies().is_empty());
        assert!(shares.admit("A", "https://h.example/3"));
        assert!(!in_flight.is_full());
    }
}
