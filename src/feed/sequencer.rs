//! The background thread every instance runs: it numbers committed changes for the feed,
//! announces agreements whose end is near or past, handles referrals whose deadline passed
//! (`referrals::deadlines`), runs the follow-up watch (`follow_up::watch`), and integrates
//! queued audit entries into the Merkle log. Each step takes its own lock, so with several
//! instances exactly one does each at a time, and any may take over.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::agreements::announce;
use crate::audit::integrate::integrate;
use crate::audit::log_keys::AuditKeys;
use crate::db::{Db, DbError, write_transaction};
use crate::follow_up::watch::{self as follow_up_watch, Terms};
use crate::referrals::deadlines;

/// Changes numbered per transaction: bounded so that a backlog never holds the lock long.
const CHANGES_PER_ROUND: i64 = 5_000;
/// How often agreements are looked at for an end that is near or past (see
/// `agreements::announce::tick`), and referrals for a passed deadline: their announcements
/// come this much late at most.
const CLOCK_EVERY: Duration = Duration::from_secs(5);

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
        follow_up: Terms,
    ) -> std::io::Result<Self> {
        let (shutdown, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sequencer".into())
            .spawn(move || {
                let mut clock: Option<Instant> = None;
                let mut watched: Option<Instant> = None;
                loop {
                    let last = !matches!(
                        stopped.recv_timeout(interval),
                        Err(RecvTimeoutError::Timeout)
                    );
                    // Numbered first: the follow-up watch below reads numbered changes only.
                    match number_changes(&db) {
                        Ok(Some(position)) => {
                            head.send_replace(position);
                        }
                        Ok(None) => {}
                        Err(e) => tracing::error!(error = %e, "numbering changes failed; retrying"),
                    }
                    if clock.is_none_or(|at| at.elapsed() >= CLOCK_EVERY) {
                        clock = Some(Instant::now());
                        let now = chrono::Utc::now();
                        let ticked = db.run_blocking(|conn| {
                            write_transaction(conn, |conn| announce::tick(conn, now))
                                .map_err(DbError::from)
                        });
                        if let Err(e) = ticked {
                            tracing::error!(error = %e, "announcing agreements' ends failed; retrying");
                        }
                        let swept = db.run_blocking(|conn| {
                            write_transaction(conn, |conn| deadlines::sweep(conn, now))
                        });
                        if let Err(e) = swept {
                            tracing::error!(error = %e, "handling referral deadlines failed; retrying");
                        }
                        if watched.is_none_or(|at| at.elapsed() >= follow_up.every) {
                            watched = Some(Instant::now());
                            let ran = db.run_blocking(|conn| {
                                write_transaction(conn, |conn| follow_up_watch::run(conn, follow_up, now))
                                    .map_err(DbError::from)
                            });
                            match ran {
                                Ok(raised) => {
                                    // A backlog (a first start over years of records) is read
                                    // a page per clock tick, not a page per `every`.
                                    if raised.behind {
                                        watched = None;
                                    }
                                    if raised.unreferred + raised.relapses + raised.closed > 0 {
                                        tracing::info!(
                                            unreferred = raised.unreferred,
                                            relapses = raised.relapses,
                                            closed = raised.closed,
                                            "follow-up signals raised"
                                        );
                                    }
                                }
                                Err(e) => tracing::error!(error = %e, "the follow-up watch failed; retrying"),
                            }
                        }
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
