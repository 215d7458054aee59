//! The group-commit writer: the thread that makes request entries durable, and the handle
//! ([`Recorder`]) through which the HTTP layer's recorder (`http::recorder`) hands them over.
//!
//! A request's entry is stored either in the transaction of the write it describes
//! ([`super::write`]) or by this thread after the handler: it takes every entry waiting at
//! that moment and stores them with one insert and one commit, so concurrent requests share
//! the cost of durability. It also stores the aggregates of anonymous requests as each
//! window ends ([`super::anonymous`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use super::anonymous::Anonymous;
use super::entry::Entry;
use super::log_keys::AuditKeys;
use crate::db::{Db, DbError};

/// Entries stored by one commit at most.
const GROUP: usize = 1_000;
/// Entries waiting for the writer at most; beyond that requests get 503 at once rather
/// than queueing without bound behind a slow database.
const BACKLOG: usize = 20_000;

struct Job {
    entry: String,
    stored: oneshot::Sender<Result<(), &'static str>>,
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
                        .map_err(|e| {
                            // The writer's own statement failed: the driver's text is for the
                            // operator; the requests waiting are answered with its cause.
                            tracing::error!(error = %e, entries = entries.len(), "audit entries not stored");
                            e.cause()
                        });
                    for job in group {
                        // A request that gave up waiting has nobody to tell.
                        let _ = job.stored.send(result);
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

    /// The keys entries are made with.
    pub fn keys(&self) -> &Arc<AuditKeys> {
        &self.keys
    }

    /// Where anonymous requests are limited and counted.
    pub fn anonymous(&self) -> &Anonymous {
        &self.anonymous
    }

    /// Stores one entry durably; resolves once it is committed.
    pub async fn store(&self, entry: String) -> Result<(), &'static str> {
        self.submit(entry)?
            .await
            .unwrap_or(Err("the audit writer stopped"))
    }

    /// Hands one entry to the writer; the receiver learns whether it was committed.
    pub fn submit(
        &self,
        entry: String,
    ) -> Result<oneshot::Receiver<Result<(), &'static str>>, &'static str> {
        let (stored, done) = oneshot::channel();
        match self.jobs.try_send(Job { entry, stored }) {
            Ok(()) => Ok(done),
            Err(TrySendError::Full(_)) => Err("the audit backlog is full"),
            Err(TrySendError::Disconnected(_)) => Err("the audit writer stopped"),
        }
    }
}
