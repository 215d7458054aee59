//! The background thread that does the exchange's time-driven work: it announces agreements
//! whose end is near or past (`agreements::announce`), handles referrals whose deadline
//! passed (`referrals::deadlines`) and runs the follow-up watch (`follow_up::watch`). Each
//! step takes its own lock, so with several instances exactly one does each at a time.
//!
//! It is a thread of its own, apart from the sequencer (`feed::sequencer`), because the
//! watch takes seconds over a backlog (the day after an agency loaded its history: 10 s per
//! 20,000 changes, docs/PERFORMANCE.md), and neither the feed's numbering nor the audit
//! log's integration may wait behind it: the audit queue would grow under load meanwhile.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::agreements::announce;
use crate::db::{Db, DbError, write_transaction};
use crate::follow_up::watch::{self as follow_up_watch, Terms};
use crate::referrals::deadlines;

/// How often agreements are looked at for an end that is near or past (see
/// `agreements::announce::tick`), and referrals for a passed deadline: their announcements
/// come this much late at most.
const EVERY: Duration = Duration::from_secs(5);

pub struct Clock {
    shutdown: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Clock {
    /// Starts the thread; its first round runs at once.
    pub fn start(db: Db, follow_up: Terms) -> std::io::Result<Self> {
        let (shutdown, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("clock".into())
            .spawn(move || {
                let mut watched: Option<Instant> = None;
                loop {
                    round(&db, follow_up, &mut watched);
                    if !matches!(stopped.recv_timeout(EVERY), Err(RecvTimeoutError::Timeout)) {
                        break;
                    }
                }
            })?;
        Ok(Self { shutdown, thread })
    }

    /// Lets the current round finish and stops.
    pub fn stop(self) {
        drop(self.shutdown);
        if self.thread.join().is_err() {
            tracing::error!("the clock thread panicked");
        }
    }
}

/// One round: announcements and deadlines every time, the watch when `follow_up.every` has
/// passed since it last ran (or at once while it is behind).
fn round(db: &Db, follow_up: Terms, watched: &mut Option<Instant>) {
    let now = chrono::Utc::now();
    let ticked = db.run_blocking(|conn| {
        write_transaction(conn, |conn| announce::tick(conn, now)).map_err(DbError::from)
    });
    if let Err(e) = ticked {
        tracing::error!(error = %e, "announcing agreements' ends failed; retrying");
    }
    let swept = db.run_blocking(|conn| write_transaction(conn, |conn| deadlines::sweep(conn, now)));
    if let Err(e) = swept {
        tracing::error!(error = %e, "handling referral deadlines failed; retrying");
    }
    if watched.is_some_and(|at| at.elapsed() < follow_up.every) {
        return;
    }
    *watched = Some(Instant::now());
    let ran = db.run_blocking(|conn| {
        write_transaction(conn, |conn| follow_up_watch::run(conn, follow_up, now))
            .map_err(DbError::from)
    });
    match ran {
        Ok(raised) => {
            // A backlog (a first start over years of records) is read a page per round,
            // not a page per `every`.
            if raised.behind {
                *watched = None;
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
