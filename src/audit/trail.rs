//! What a request leaves for its audit entry while it is served: the recorder opens a trail,
//! the authentication layer names the client, and the operations serving it report what
//! they touch (see [`super::report`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use super::entry::{Entry, Outcome};
use super::log_keys::AuditKeys;
use super::report::Report;
use super::report::Touched;

/// The trail of one request. Cheap to clone; every clone is the same trail.
#[derive(Clone)]
pub struct Trail(Rc<RefCell<State>>);

struct State {
    started: Instant,
    entry: Entry,
    report: Report,
    /// The entry was stored in the transaction of the write it describes.
    recorded: Option<u16>,
}

/// The request facts known when it arrives.
pub struct Arrival {
    pub time: chrono::DateTime<chrono::Utc>,
    pub request_id: String,
    pub method: String,
    pub route: Option<String>,
    pub purpose: Option<String>,
    /// The peer's address as this server sees it.
    pub source_address: Option<String>,
}

impl Trail {
    pub fn open(arrival: Arrival, keys: Arc<AuditKeys>) -> Self {
        Self(Rc::new(RefCell::new(State {
            started: Instant::now(),
            report: Report::new(keys),
            entry: Entry {
                index: None,
                time: super::entry::format_time(arrival.time),
                request_id: arrival.request_id,
                client_id: None,
                agency: None,
                purpose: arrival.purpose,
                method: arrival.method,
                route: arrival.route,
                status: 0,
                outcome: Outcome::Allowed,
                record_ids: Vec::new(),
                nik_hashes: Vec::new(),
                latency_us: 0,
                kk_hashes: Vec::new(),
                source_address: arrival.source_address,
                aggregate: None,
                agreements: Vec::new(),
                agreement: None,
            },
            recorded: None,
        })))
    }

    pub fn set_client(&self, client_id: &str, agency: &str) {
        let mut state = self.0.borrow_mut();
        state.entry.client_id = Some(client_id.to_owned());
        state.entry.agency = Some(agency.to_owned());
    }

    /// The purpose a request states other than in the `Sinergi-Purpose` header: the
    /// console's forms, where a person picks it.
    pub fn declare_purpose(&self, purpose: String) {
        self.0.borrow_mut().entry.purpose = Some(purpose);
    }

    /// Where the operations serving this request report what they touch.
    pub fn report(&self) -> Report {
        self.0.borrow().report.clone()
    }

    /// Whether the request named no client: nobody authenticated, and no registered client
    /// presented credentials. Such requests can touch no personal data (every route that
    /// does needs a token) and are counted rather than recorded one by one.
    pub fn is_anonymous(&self) -> bool {
        let state = self.0.borrow();
        state.entry.client_id.is_none() && state.recorded.is_none()
    }

    /// The purpose the request declared.
    pub fn purpose(&self) -> Option<String> {
        self.0.borrow().entry.purpose.clone()
    }

    /// The peer address the entry records.
    pub fn source_address(&self) -> Option<String> {
        self.0.borrow().entry.source_address.clone()
    }

    /// The entry, to be completed with the status (inside a write transaction, or by the
    /// recorder) and with what was reported by then.
    pub fn pending(&self) -> PendingEntry {
        let state = self.0.borrow();
        PendingEntry {
            entry: state.entry.clone(),
            started: state.started,
            report: state.report.clone(),
        }
    }

    /// Says that the entry was stored with the write, with this status.
    pub(super) fn mark_recorded(&self, status: u16) {
        self.0.borrow_mut().recorded = Some(status);
    }

    /// The status stored with a write, if the entry was stored that way.
    pub fn recorded(&self) -> Option<u16> {
        self.0.borrow().recorded
    }
}

/// An entry waiting for its status. `Send`, so a database task can complete and store it.
#[derive(Clone)]
pub struct PendingEntry {
    entry: Entry,
    started: Instant,
    report: Report,
}

impl PendingEntry {
    /// The complete entry: what the request reported by now, `more` that a write
    /// transaction touched, and the status.
    pub fn finish(&self, status: u16, more: &Touched) -> Entry {
        let mut entry = self.entry.clone();
        self.report.fill(&mut entry, more);
        entry.status = status;
        entry.outcome = Outcome::of_status(status);
        entry.latency_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        entry
    }

    /// Stores the entry in the caller's transaction, so that the write it describes and the
    /// entry commit together or not at all.
    pub(super) fn store(
        &self,
        conn: &mut crate::db::AnyConnection,
        status: u16,
        more: &Touched,
    ) -> crate::db::QueryResult<()> {
        let entry = self.finish(status, more).canonical_text();
        crate::db::audit::enqueue(conn, &[entry])
    }
}
