//! What a request leaves for its audit entry while it is served: the recorder opens a trail,
//! the authentication layer names the client, handlers add the records and NIKs they touch.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::entry::{Entry, Outcome};
use super::keys::AuditKeys;
use crate::error::ApiError;
use crate::records::read::Touched;

/// The trail of one request. Cheap to clone; every clone is the same trail.
#[derive(Clone)]
pub struct Trail(Rc<RefCell<State>>);

struct State {
    started: Instant,
    keys: Arc<AuditKeys>,
    entry: Entry,
    records_seen: std::collections::HashSet<String>,
    nik_hashes: BTreeSet<String>,
    kk_hashes: BTreeSet<String>,
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
            keys,
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
            },
            records_seen: Default::default(),
            nik_hashes: BTreeSet::new(),
            kk_hashes: BTreeSet::new(),
            recorded: None,
        })))
    }

    /// The request's trail, if the recorder opened one.
    pub fn of(req: &HttpRequest) -> Option<Self> {
        req.extensions().get::<Trail>().cloned()
    }

    pub fn set_client(&self, client_id: &str, agency: &str) {
        let mut state = self.0.borrow_mut();
        state.entry.client_id = Some(client_id.to_owned());
        state.entry.agency = Some(agency.to_owned());
    }

    /// Adds records written or returned, in order, each once.
    pub fn add_records<S: AsRef<str>>(&self, ids: impl IntoIterator<Item = S>) {
        let mut state = self.0.borrow_mut();
        for id in ids {
            let id = id.as_ref();
            if state.records_seen.insert(id.to_owned()) {
                state.entry.record_ids.push(id.to_owned());
            }
        }
    }

    /// Adds NIKs asked for, written or returned; only their keyed hashes are kept.
    pub fn add_niks<S: AsRef<str>>(&self, niks: impl IntoIterator<Item = S>) {
        let state = &mut *self.0.borrow_mut();
        let keys = &state.keys;
        state
            .nik_hashes
            .extend(niks.into_iter().map(|nik| keys.nik_hash(nik.as_ref())));
    }

    /// Adds KKs asked for, written or returned; only their keyed hashes are kept.
    pub fn add_kks<S: AsRef<str>>(&self, kks: impl IntoIterator<Item = S>) {
        let state = &mut *self.0.borrow_mut();
        let keys = &state.keys;
        state
            .kk_hashes
            .extend(kks.into_iter().map(|kk| keys.kk_hash(kk.as_ref())));
    }

    /// Adds what a read or write touched: its records, NIKs and KKs.
    pub fn add_touched(&self, touched: &Touched) {
        self.add_records(&touched.record_ids);
        self.add_niks(&touched.niks);
        self.add_kks(&touched.kks);
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

    /// The entry as it stands, to be completed with the status inside a write transaction.
    pub fn pending(&self) -> PendingEntry {
        let state = self.0.borrow();
        let mut entry = state.entry.clone();
        entry.nik_hashes = state.nik_hashes.iter().cloned().collect();
        entry.kk_hashes = state.kk_hashes.iter().cloned().collect();
        PendingEntry {
            entry,
            started: state.started,
            keys: state.keys.clone(),
        }
    }

    /// Says that the entry was stored with the write, with this status.
    pub fn mark_recorded(&self, status: u16) {
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
    keys: Arc<AuditKeys>,
}

impl PendingEntry {
    /// The complete entry, with what was learnt since the trail was read: the ids a write
    /// gave the records it created, the NIKs and KK of a record it retracted.
    pub fn finish(&self, status: u16, more: &Touched) -> Entry {
        let mut entry = self.entry.clone();
        for id in &more.record_ids {
            if !entry.record_ids.contains(id) {
                entry.record_ids.push(id.clone());
            }
        }
        let merged = |hashes: Vec<String>, more: &[String], hash: &dyn Fn(&str) -> String| {
            let mut hashes: BTreeSet<String> = hashes.into_iter().collect();
            hashes.extend(more.iter().map(|n| hash(n)));
            hashes.into_iter().collect()
        };
        entry.nik_hashes = merged(entry.nik_hashes, &more.niks, &|n| self.keys.nik_hash(n));
        entry.kk_hashes = merged(entry.kk_hashes, &more.kks, &|k| self.keys.kk_hash(k));
        entry.status = status;
        entry.outcome = Outcome::of_status(status);
        entry.latency_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        entry
    }

    /// Stores the entry in the caller's transaction, so that the write it describes and the
    /// entry commit together or not at all.
    pub fn store(
        &self,
        conn: &mut crate::db::AnyConnection,
        status: u16,
        more: &Touched,
    ) -> diesel::QueryResult<()> {
        let entry = self.finish(status, more).canonical_text();
        crate::db::audit::enqueue(conn, &[entry])
    }

    /// Runs a change in one write transaction with this entry (given `status`, the answer
    /// when the change succeeds), so that the change is made only if it is recorded.
    pub fn audited<T>(
        &self,
        conn: &mut crate::db::AnyConnection,
        status: u16,
        change: impl FnOnce(&mut crate::db::AnyConnection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        crate::db::write_transaction(conn, |conn| {
            let value = change(conn)?;
            self.store(conn, status, &Touched::default())
                .map_err(|e| ApiError::AuditUnavailable(e.to_string()))?;
            Ok(value)
        })
    }
}

impl FromRequest for Trail {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The recorder wraps every route; a request without a trail is a wiring bug, and
        // serving it unrecorded would break the log's promise.
        std::future::ready(
            Self::of(req)
                .ok_or_else(|| ApiError::Internal("the request has no audit trail".into())),
        )
    }
}
