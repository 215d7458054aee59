//! The background thread every instance runs: it numbers committed changes for the feed and
//! integrates queued audit entries into the Merkle log, every `interval`. Each step takes
//! its own lock, so with several instances exactly one does each at a time, and any may take
//! over. Time-driven work that can take long runs on another thread (`crate::clock`).

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use crate::audit::integrate::integrate;
use crate::audit::log_keys::AuditKeys;
use crate::db::{Db, DbError, write_transaction};

/// Changes numbered per transaction: bounded so that a backlog never holds the lock long.
const CHANGES_PER_ROUND: i64 = 5_000;

pub struct Sequencer {
    shutdown: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Sequencer {
    /// `head` is told the feed's highest position after every round that numbered changes,
    /// so that long-polling readers on this instance wake at once.
    pub fn start(
        db: Db,
        keys: Arc<AuditKeys>,
        interval: Duration,
        checkpoint_interval: Duration,
        head: watch::Sender<i64>,
    ) -> std::io::Result<Self> {
        let (shutdown, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sequencer".into())
            .spawn(move || {
                loop {
                    let last = !matches!(
                        stopped.recv_timeout(interval),
                        Err(RecvTimeoutError::Timeout)
                    );
                    match number_changes(&db) {
                        Ok(Some(position)) => {
                            head.send_replace(position);
                        }
                        Ok(None) => {}
                        Err(e) => tracing::error!(error = %e, "numbering changes failed; retrying"),
                    }
                    // On shutdown one last pass, so entries of the final requests are in the
                    // tree (and under a checkpoint) when the service stops.
                    let wait = if last {
                        Duration::ZERO
                    } else {
                        checkpoint_interval
                    };
                    if let Err(e) = db.run_blocking(|conn| integrate(conn, &keys, wait)) {
                        tracing::error!(error = %e, "audit sequencing failed; retrying");
                    }
                    if last {
                        break;
                    }
                }
            })?;
        Ok(Self { shutdown, thread })
    }

    /// Finishes the current round, makes a last one and stops.
    pub fn stop(self) {
        drop(self.shutdown);
        if self.thread.join().is_err() {
            tracing::error!("the sequencer panicked");
        }
    }
}

/// Numbers every committed change still without a position; answers the new head if any
/// were numbered.
fn number_changes(db: &Db) -> Result<Option<i64>, DbError> {
    db.run_blocking(|conn| {
        let mut numbered_any = false;
        loop {
            let now = chrono::Utc::now().timestamp_micros();
            let numbered = write_transaction(conn, |conn| {
                crate::db::changes::sequence(conn, now, CHANGES_PER_ROUND)
            })?;
            numbered_any |= numbered > 0;
            if (numbered as i64) < CHANGES_PER_ROUND {
                break;
            }
        }
        if numbered_any {
            Ok(Some(crate::db::changes::head(conn)?))
        } else {
            Ok(None)
        }
    })
}
