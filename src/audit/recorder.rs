//! The recorder: a middleware around every route that makes each request's audit entry
//! durable before the response leaves, and the group-commit writer behind it.
//!
//! A request's entry is stored either in the transaction of the write it describes (the
//! handler does that, see [`super::trail::PendingEntry`]) or here, after the handler, by the
//! writer thread: it takes every entry waiting at that moment and stores them with one
//! insert and one commit, so concurrent requests share the cost of durability. A response
//! whose entry cannot be stored is replaced by 503, and nothing was changed: writes store
//! their own entry inside their transaction.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};
use tokio::sync::oneshot;

use super::anonymous::Anonymous;
use super::declared;
use super::entry::Entry;
use super::log_keys::AuditKeys;
use super::report::Touched;
use super::trail::{Arrival, Trail};
use crate::auth::rate_limit::retry_after_secs;
use crate::db::{Db, DbError};
use crate::error::ApiError;
use crate::http::request_id::RequestId;
use crate::http::source_address;

/// Entries stored by one commit at most.
const GROUP: usize = 1_000;
/// Entries waiting for the writer at most; beyond that requests get 503 at once rather
/// than queueing without bound behind a slow database.
const BACKLOG: usize = 20_000;

/// Paths that are not recorded: the liveness probe must answer while the database is down
/// (otherwise an outage makes the orchestrator restart every instance), and it touches no
/// data.
pub const UNRECORDED: [&str; 1] = ["/healthz"];

/// The token endpoint, whose requests may carry their credentials in the form.
const TOKEN_ROUTE: &str = "/oauth/token";

struct Job {
    entry: String,
    stored: oneshot::Sender<Result<(), String>>,
}

/// The handle the middleware sends entries through.
#[derive(Clone)]
pub struct Recorder {
    jobs: SyncSender<Job>,
    keys: Arc<AuditKeys>,
    anonymous: Arc<Anonymous>,
}

/// The writer thread. Stopping it lets it store what is queued first.
pub struct Writer {
    thread: JoinHandle<()>,
    stop: Arc<AtomicBool>,
}

impl Writer {
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        if self.thread.join().is_err() {
            tracing::error!("the audit writer panicked");
        }
    }
}

impl Recorder {
    /// Starts the writer, which also stores the aggregates of anonymous requests as each
    /// window ends (and what is left of the last when it stops).
    pub fn start(
        db: Db,
        keys: Arc<AuditKeys>,
        anonymous: Arc<Anonymous>,
    ) -> std::io::Result<(Self, Writer)> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(BACKLOG);
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let tally = anonymous.clone();
        let thread = std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || {
                loop {
                    let (first, ended) = match queue.recv_timeout(Duration::from_millis(100)) {
                        Ok(job) => (Some(job), false),
                        Err(RecvTimeoutError::Timeout) => (None, stopping.load(Ordering::Relaxed)),
                        // No request can send any more.
                        Err(RecvTimeoutError::Disconnected) => (None, true),
                    };
                    let mut group: Vec<Job> = first.into_iter().collect();
                    while !group.is_empty() && group.len() < GROUP {
                        match queue.try_recv() {
                            Ok(job) => group.push(job),
                            Err(_) => break,
                        }
                    }
                    let aggregates: Vec<String> = tally
                        .take(chrono::Utc::now(), ended)
                        .iter()
                        .map(Entry::canonical_text)
                        .collect();
                    if group.is_empty() && aggregates.is_empty() {
                        if ended {
                            break;
                        }
                        continue;
                    }
                    let mut entries: Vec<String> = group.iter().map(|j| j.entry.clone()).collect();
                    entries.extend(aggregates);
                    let result = db
                        .run_blocking(|conn| {
                            crate::db::audit::enqueue(conn, &entries).map_err(DbError::from)
                        })
                        .map_err(|e| e.to_string());
                    if let Err(e) = &result {
                        tracing::error!(error = %e, entries = entries.len(), "audit entries not stored");
                    }
                    for job in group {
                        // A request that gave up waiting has nobody to tell.
                        let _ = job.stored.send(result.clone());
                    }
                }
            })?;
        Ok((
            Self {
                jobs,
                keys,
                anonymous,
            },
            Writer { thread, stop },
        ))
    }

    /// Stores one entry durably; resolves once it is committed.
    async fn store(&self, entry: String) -> Result<(), String> {
        self.submit(entry)?
            .await
            .unwrap_or_else(|_| Err("the audit writer stopped".into()))
    }

    /// Hands one entry to the writer; the receiver learns whether it was committed.
    fn submit(&self, entry: String) -> Result<oneshot::Receiver<Result<(), String>>, String> {
        let (stored, done) = oneshot::channel();
        match self.jobs.try_send(Job { entry, stored }) {
            Ok(()) => Ok(done),
            Err(TrySendError::Full(_)) => Err("the audit backlog is full".into()),
            Err(TrySendError::Disconnected(_)) => Err("the audit writer stopped".into()),
        }
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if UNRECORDED.contains(&req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let recorder = req
        .app_data::<web::Data<Recorder>>()
        .expect("the recorder is registered as app data")
        .clone();
    let source = source_address::of_service(&req);
    let address_key = source_address::limit_key(source);
    let declared = declared::purpose(&req);
    let arrival = Arrival {
        time: chrono::Utc::now(),
        request_id: req
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default(),
        method: crate::http::echo::method(req.method()).to_owned(),
        // Matched against the path the router sees (`%76` read as `v`), not the raw one,
        // which `match_pattern` would use before routing.
        route: req
            .request()
            .resource_map()
            .match_pattern(req.match_info().as_str()),
        purpose: declared.as_ref().ok().cloned().flatten(),
        source_address: source.map(|ip| ip.to_string()),
    };
    let at = arrival.time;
    let token_request = arrival.route.as_deref() == Some(TOKEN_ROUTE);
    let trail = Trail::open(arrival, recorder.keys.clone());
    req.extensions_mut().insert(trail.clone());

    // A request without credentials is held to its address's allowance before it costs
    // anything. The token endpoint has limits of its own.
    let refused = if token_request || req.headers().contains_key(header::AUTHORIZATION) {
        None
    } else {
        recorder
            .anonymous
            .admit(&address_key)
            .err()
            .map(|wait| ApiError::TooManyRequests {
                retry_after_secs: retry_after_secs(wait),
            })
    };
    let outcome = match refused.or(declared.err()) {
        Some(problem) => {
            let (req, _) = req.into_parts();
            Ok(ServiceResponse::new(req, problem.error_response()))
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
    };
    // An error no handler turned into a response is recorded with the status it becomes.
    let status = match &outcome {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    }
    .as_u16();
    if trail.is_anonymous() {
        let entry = trail.pending().finish(status, &Touched::default());
        recorder.anonymous.count(&entry, &address_key, at);
        return outcome;
    }
    if status == 503 {
        record_later(&recorder, &trail, status);
        return outcome;
    }
    match (record(&recorder, &trail, status).await, outcome) {
        (Ok(()), outcome) => outcome,
        (Err(unavailable), Ok(response)) => {
            let (req, _) = response.into_parts();
            Ok(ServiceResponse::new(req, unavailable.error_response()))
        }
        (Err(unavailable), Err(_)) => Err(unavailable.into()),
    }
}

/// Queues the entry of a 503 answer without waiting for it to be stored. A 503 disclosed
/// and changed nothing, and the database being away is its likeliest cause, which would make
/// the entry wait for the pool timeout a second time: clients learn of an outage within one
/// pool timeout instead. The entry is stored with the writer's next commit; if that
/// fails too, the writer logs the loss, as for any entry.
fn record_later(recorder: &Recorder, trail: &Trail, status: u16) {
    if trail.recorded().is_some() {
        return;
    }
    let entry = trail
        .pending()
        .finish(status, &Touched::default())
        .canonical_text();
    if let Err(e) = recorder.submit(entry) {
        tracing::error!(error = %e, "the audit entry of a 503 answer was not queued");
    }
}

/// Makes the request's entry durable, unless its write transaction already did.
async fn record(recorder: &Recorder, trail: &Trail, status: u16) -> Result<(), ApiError> {
    if let Some(recorded) = trail.recorded() {
        // The write committed with its entry, and then something failed on the way out
        // (rendering the answer): the entry tells what was done, the log tells this.
        if recorded != status {
            tracing::warn!(
                recorded,
                status,
                "a write's audit entry records another status than its response"
            );
        }
        return Ok(());
    }
    let entry = trail
        .pending()
        .finish(status, &Touched::default())
        .canonical_text();
    recorder
        .store(entry)
        .await
        .map_err(ApiError::AuditUnavailable)
}
