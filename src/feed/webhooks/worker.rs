//! The delivery worker every instance runs: it leases due subscriptions and delivers each
//! one's matching changes in position order, never the next before the previous was
//! acknowledged. All its state is in the database, so a restart, or another instance once
//! a lease has expired, resumes exactly where delivery stopped. Each agency and each
//! receiver host gets only a share of the attempts in flight (see [`super::in_flight`]).

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;

use super::delivery::{self, Sender};
use super::in_flight::{Caps, InFlight, Shares, Slot};
use super::schedule::{Next, Schedule};
use super::signature::SigningSecret;
use super::ssrf::AllowList;
use crate::agreements::policy::{Policy, REFRESH};
use crate::audit::entry::{Entry, Outcome, WEBHOOK_ROUTE, format_time};
use crate::audit::log_keys::AuditKeys;
use crate::audit::report::Touched;
use crate::auth::secrets::KeyEncryptionKey;
use crate::db::subscriptions::{self as store, DeliveryRow, Lease, SubscriptionRow};
use crate::db::{AnyConnection, Db, DbError, write_transaction};
use crate::feed::read::{self, FeedError};
use crate::subscriptions::model::{Coverage, Subscription};

/// Due subscriptions read at a time while claiming.
const CLAIM_PAGE: i64 = 64;
/// How long a lease outlives the attempt it covers: another instance takes over a
/// subscription only when its holder has surely stopped.
const LEASE_MARGIN: Duration = Duration::from_secs(60);
/// Delivery attempts are kept this long.
const KEEP_ATTEMPTS: Duration = Duration::from_secs(30 * 24 * 3_600);
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    pub allow: Arc<AllowList>,
    pub timeout: Duration,
    pub schedule: Schedule,
    /// How often due subscriptions are looked for when nothing wakes the worker.
    pub poll: Duration,
    pub caps: Caps,
}

pub struct Worker {
    stop: oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

/// What every delivery task shares.
struct Context {
    db: Db,
    /// The agreements that decide which changes each subscription may deliver.
    policy: Arc<Policy>,
    kek: Arc<KeyEncryptionKey>,
    /// Deliveries disclose records to another agency: each attempt is an audit entry.
    audit: Arc<AuditKeys>,
    sender: Sender,
    schedule: Schedule,
    /// This worker's lease holder id.
    holder: String,
    lease: Duration,
}

impl Worker {
    /// Starts the worker on its own thread. `head` moves when this instance numbers
    /// changes, which wakes the worker at once; changes numbered elsewhere and retries that
    /// fall due are found by polling.
    pub fn start(
        db: Db,
        policy: Arc<Policy>,
        kek: Arc<KeyEncryptionKey>,
        audit: Arc<AuditKeys>,
        head: watch::Receiver<i64>,
        settings: WorkerSettings,
    ) -> std::io::Result<Self> {
        let sender =
            Sender::new(settings.allow.clone(), settings.timeout).map_err(std::io::Error::other)?;
        let context = Arc::new(Context {
            db,
            policy,
            kek,
            audit,
            sender,
            schedule: settings.schedule,
            holder: format!("instance-{}", uuid::Uuid::new_v4()),
            lease: settings.timeout + LEASE_MARGIN,
        });
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("webhooks".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the webhook worker");
                let in_flight = InFlight::new(settings.caps);
                runtime.block_on(run(
                    context.clone(),
                    head,
                    settings.poll,
                    in_flight,
                    stopped,
                ));
                // Waits for database writes still running on the blocking pool, so that
                // none takes a lease again after the release below.
                drop(runtime);
                let released = context.db.run_blocking(|conn| {
                    store::release(conn, &context.holder, None).map_err(DbError::from)
                });
                if let Err(e) = released {
                    tracing::warn!(error = %e, "webhook leases not released; they expire");
                }
            })?;
        Ok(Self { stop, thread })
    }

    /// Abandons the attempts in flight (their changes are delivered again later: at least
    /// once) and stops.
    pub fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::error!("the webhook worker panicked");
        }
    }
}

/// `in_flight` holds the subscription each task delivers, so that one is never delivered
/// twice at once (a claim finds again a subscription whose lease ran out while its task
/// still runs), and the shares of its agency and host.
async fn run(
    context: Arc<Context>,
    mut head: watch::Receiver<i64>,
    poll: Duration,
    mut in_flight: InFlight,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut tasks = JoinSet::new();
    let mut head_moves = true;
    let mut pruned: Option<Instant> = None;
    loop {
        if !in_flight.is_full() {
            // Subscriptions still being delivered are not claimed again: a task that failed
            // an attempt frees its lease before it ends, and a claim in between would lease
            // the subscription to nobody until the lease ran out.
            match claim(&context, in_flight.shares()).await {
                Ok(claimed) => {
                    for row in claimed {
                        let slot = Slot::of(&row);
                        let task = tasks.spawn(deliver(context.clone(), row));
                        in_flight.start(task.id(), slot);
                    }
                }
                Err(e) => tracing::error!(error = %e, "claiming webhook subscriptions failed"),
            }
        }
        if pruned.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            pruned = Some(Instant::now());
            prune(&context).await;
        }
        tokio::select! {
            _ = &mut stopped => break,
            moved = head.changed(), if head_moves => head_moves = moved.is_ok(),
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let task = match done {
                    Ok((task, ())) => task,
                    // A panic: its lease runs out, and the subscription is claimed again.
                    Err(e) => e.id(),
                };
                in_flight.finish(task);
            }
            () = tokio::time::sleep(poll) => {}
        }
    }
    tasks.shutdown().await;
}

fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// Leases the due subscriptions that `shares` leave room for, oldest due first: those whose
/// agency or receiver host has no share left are passed over for the next ones, so one
/// agency's many slow subscriptions do not keep the others waiting. Agencies without a
/// share left are not even read; what is passed over for its host is bounded by the cap on
/// subscriptions per agency.
async fn claim(context: &Context, mut shares: Shares) -> Result<Vec<SubscriptionRow>, DbError> {
    let holder = context.holder.clone();
    let lease = micros(context.lease);
    context
        .db
        .run(move |conn| {
            let head = crate::db::changes::head(conn)?;
            let now = now_micros();
            let mut picked = Vec::new();
            let mut after = (i64::MIN, String::new());
            while !shares.is_full() {
                let full = shares.full_agencies();
                let due = (after.0, after.1.as_str());
                let page = store::due(conn, now, head, shares.busy(), &full, due, CLAIM_PAGE)?;
                for due in &page {
                    if shares.admit(&due.agency, &due.url) {
                        picked.push(due.id.clone());
                    }
                }
                match page.last() {
                    Some(last) if page.len() == CLAIM_PAGE as usize => {
                        after = (last.next_attempt_at, last.id.clone());
                    }
                    _ => break,
                }
            }
            Ok(store::lease(conn, &holder, now, now + lease, &picked)?)
        })
        .await
}

async fn prune(context: &Context) {
    let before = now_micros() - micros(KEEP_ATTEMPTS);
    let pruned = context
        .db
        .run(move |conn| store::prune_attempts(conn, before).map_err(DbError::from));
    if let Err(e) = pruned.await {
        tracing::warn!(error = %e, "old webhook delivery attempts not pruned");
    }
}

/// Delivers one leased subscription's changes until it is caught up or an attempt fails.
async fn deliver(context: Arc<Context>, row: SubscriptionRow) {
    let id = row.id.clone();
    if let Err(e) = deliver_in_order(&context, row).await {
        tracing::error!(subscription.id = %id, error = %e, "webhook delivery stopped; retrying");
        let (holder, released) = (context.holder.clone(), id.clone());
        let release = context
            .db
            .run(move |conn| store::release(conn, &holder, Some(&released)).map_err(DbError::from));
        if let Err(e) = release.await {
            tracing::warn!(subscription.id = %id, error = %e, "webhook lease not released");
        }
    }
}

async fn deliver_in_order(context: &Context, row: SubscriptionRow) -> anyhow::Result<()> {
    let secret = SigningSecret::open(&context.kek, &row.secret, &row.id)?;
    let mut lease = Lease {
        id: row.id.clone(),
        holder: context.holder.clone(),
        position: row.position,
    };
    let (mut attempts, mut first_failed_at) = (row.attempts, row.first_failed_at);
    let owner = (row.created_by.clone(), row.agency.clone());
    let subscription = Subscription::try_from(row)?;
    loop {
        // Decided again for every change: an agreement suspended, terminated or expired
        // meanwhile stops delivery before the next one (within the cache's bound).
        let view = Coverage::now(&context.policy).await?.view(&subscription);
        if view.plan.blocked.is_some() {
            let (lease, until) = (lease.clone(), now_micros() + micros(REFRESH));
            context
                .db
                .run(move |conn| store::wait(conn, &lease, until).map_err(DbError::from))
                .await?;
            // Debug only: this repeats every REFRESH while it waits, and the subscription's
            // own state (`not_covered`) tells its agency.
            tracing::debug!(subscription.id = %subscription.id,
                "webhook subscription waits: a publisher it names is not covered by an agreement");
            return Ok(());
        }
        let mut filter = subscription.filter();
        filter.publishers = view.plan.publishers.clone();
        let view = Arc::new(view);
        let next = {
            let (after, view) = (lease.position, view.clone());
            let (client, lease) = (owner.0.clone(), lease.clone());
            context
                .db
                .run(move |conn| {
                    // Deliveries are made for the subscription's client: once it is
                    // disabled they stop before the next change (and claims skip it).
                    if !crate::db::clients::is_enabled(conn, &client)? {
                        store::release(conn, &lease.holder, Some(&lease.id))
                            .map_err(DbError::from)?;
                        return Ok(None);
                    }
                    let mut touched = Touched::default();
                    let page = read::page(conn, after, &filter, 1, &mut touched, Some(&view))?;
                    Ok::<_, FeedError>(Some((page, touched)))
                })
                .await?
        };
        let Some((page, touched)) = next else {
            tracing::info!(subscription.id = %lease.id, client.id = %owner.0,
                "webhook subscription suspended: its client is disabled");
            return Ok(());
        };
        let Some(change) = page.changes.into_iter().next() else {
            // Nothing matches up to the head: pass over it, so that the next claim reads on
            // from there.
            let next = page.next;
            context
                .db
                .run(move |conn| {
                    let now = now_micros();
                    if next > lease.position {
                        store::advance(conn, &lease, next, now, now)?;
                    }
                    store::release(conn, &lease.holder, Some(&lease.id)).map_err(DbError::from)
                })
                .await?;
            return Ok(());
        };
        let message_id = format!("{}-{}", lease.id, change.position);
        let body = delivery::body(&change);
        let started = (chrono::Utc::now(), std::time::Instant::now());
        let attempt = context
            .sender
            .send(&subscription.url, &secret, &message_id, body)
            .await;
        let now = now_micros();
        let record = DeliveryRow {
            subscription_id: lease.id.clone(),
            position: change.position,
            attempt: attempts + 1,
            attempted_at: now,
            status_code: attempt.status.map(i32::from),
            latency_ms: i64::try_from(attempt.latency.as_millis()).unwrap_or(i64::MAX),
            error: attempt.error,
        };
        let purpose = subscription.purpose.as_ref().map(ToString::to_string);
        let entry = audit_entry(
            context,
            (&owner, purpose),
            &message_id,
            started,
            &record,
            &touched,
        );
        if record.error.is_none() {
            let (delivered, until) = (change.position, now + micros(context.lease));
            let held = settle(context, lease.clone(), record, entry, move |conn, lease| {
                store::advance(conn, lease, delivered, now, until)
            })
            .await?;
            if !held {
                return Ok(());
            }
            (lease.position, attempts, first_failed_at) = (delivered, 0, None);
            continue;
        }
        let first = first_failed_at.unwrap_or(now);
        let failing_for = Duration::from_micros(u64::try_from(now - first).unwrap_or(0));
        let failures = record.attempt;
        let retry_at = match context.schedule.after_failure(
            u32::try_from(failures).unwrap_or(u32::MAX),
            failing_for,
            rand::random(),
        ) {
            Next::RetryIn(wait) => Some(now + micros(wait)),
            Next::GiveUp => None,
        };
        settle(context, lease.clone(), record, entry, move |conn, lease| {
            store::fail(conn, lease, failures, first, retry_at)
        })
        .await?;
        if retry_at.is_none() {
            tracing::warn!(subscription.id = %lease.id, position = change.position,
                "webhook subscription paused: a change failed for the whole retry schedule");
        }
        return Ok(());
    }
}

/// The audit entry of one attempt: a webhook delivery is an entry with method `POST` and
/// route `webhook`, its `webhook-id` as request id, the subscription's owner as client and
/// agency and its purpose, the receiver's status (502 when it did not answer), the record
/// it carried and the agreement that let it.
fn audit_entry(
    context: &Context,
    ((client_id, agency), purpose): (&(String, String), Option<String>),
    message_id: &str,
    (time, started): (chrono::DateTime<chrono::Utc>, std::time::Instant),
    attempt: &DeliveryRow,
    touched: &Touched,
) -> String {
    let status = attempt
        .status_code
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(502);
    let nik_hashes: std::collections::BTreeSet<String> = touched
        .niks
        .iter()
        .map(|n| context.audit.nik_hash(n))
        .collect();
    let kk_hashes: std::collections::BTreeSet<String> = touched
        .kks
        .iter()
        .map(|k| context.audit.kk_hash(k))
        .collect();
    let mut record_ids = touched.record_ids.clone();
    record_ids.dedup();
    Entry {
        index: None,
        time: format_time(time),
        request_id: message_id.to_owned(),
        client_id: Some(client_id.clone()),
        agency: Some(agency.clone()),
        purpose,
        method: "POST".into(),
        route: Some(WEBHOOK_ROUTE.into()),
        status,
        outcome: Outcome::of_status(status),
        record_ids,
        nik_hashes: nik_hashes.into_iter().collect(),
        latency_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        kk_hashes: kk_hashes.into_iter().collect(),
        // The exchange makes the request: there is no source address to record.
        source_address: None,
        aggregate: None,
        agreements: touched.agreements.clone(),
        agreement: None,
    }
    .canonical_text()
}

/// Writes the subscription's new state with `update` and, if the lease still held, the
/// attempt and its audit entry, in one transaction; answers whether the lease held.
async fn settle(
    context: &Context,
    lease: Lease,
    attempt: DeliveryRow,
    entry: String,
    update: impl FnOnce(&mut AnyConnection, &Lease) -> crate::db::QueryResult<bool> + Send + 'static,
) -> Result<bool, DbError> {
    context
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let held = update(conn, &lease)?;
                if held {
                    store::record_attempt(conn, &attempt)?;
                    crate::db::audit::enqueue(conn, &[entry])?;
                }
                Ok::<_, DbError>(held)
            })
        })
        .await
}
