//! Webhook subscriptions and their delivery attempts in the database.
//!
//! Instances share the work through leases: a worker claims due subscriptions by setting
//! `leased_by` to its own id, and each later write of the delivery state is conditional on
//! still holding the lease at the position it read. A replay, or another instance that took
//! over an expired lease, thus makes the old holder's writes miss instead of undoing theirs.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{agencies, clients, deliveries, subscriptions};

pub const ACTIVE: &str = "active";
pub const FAILING: &str = "failing";

/// A subscription as stored. `secret` is sealed; instants are Unix microseconds.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = subscriptions)]
#[diesel(treat_none_as_default_value = false)]
pub struct SubscriptionRow {
    pub id: String,
    pub agency: String,
    pub url: String,
    pub types: String,
    pub programs: String,
    pub publishers: String,
    pub secret: String,
    pub position: i64,
    pub state: String,
    pub attempts: i32,
    pub first_failed_at: Option<i64>,
    pub next_attempt_at: i64,
    pub leased_by: Option<String>,
    pub leased_until: Option<i64>,
    pub created_at: i64,
    pub created_by: String,
    /// The purpose code deliveries serve; `None`: the agency's own changes only.
    pub purpose: Option<String>,
}

/// One attempt to deliver one change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub subscription_id: String,
    pub position: i64,
    pub attempt: i32,
    pub attempted_at: i64,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, row: &SubscriptionRow) -> QueryResult<()> {
    diesel::insert_into(subscriptions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// How many subscriptions the agency has.
pub fn count(conn: &mut AnyConnection, agency: &str) -> QueryResult<i64> {
    subscriptions::table
        .filter(subscriptions::agency.eq(agency))
        .count()
        .get_result(conn)
}

/// Makes subscriptions of `agency` wait for this transaction, so that two created at once
/// cannot both pass the cap on their number. PostgreSQL locks the agency's row (`FOR NO KEY
/// UPDATE`: rows that merely refer to the agency are not held up); SQLite's one writer has
/// held its lock since `BEGIN IMMEDIATE`.
pub fn lock_agency(conn: &mut AnyConnection, agency: &str) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(c) => agencies::table
            .filter(agencies::code.eq(agency))
            .select(agencies::code)
            .for_no_key_update()
            .first::<String>(c)
            .optional()
            .map(drop),
        AnyConnection::Sqlite(_) => Ok(()),
    }
}

/// The agency's subscriptions, oldest first.
pub fn list(conn: &mut AnyConnection, agency: &str) -> QueryResult<Vec<SubscriptionRow>> {
    subscriptions::table
        .filter(subscriptions::agency.eq(agency))
        .order((subscriptions::created_at, subscriptions::id))
        .select(SubscriptionRow::as_select())
        .load(conn)
}

/// The subscription, if it exists and belongs to `agency`.
pub fn get(
    conn: &mut AnyConnection,
    id: &str,
    agency: &str,
) -> QueryResult<Option<SubscriptionRow>> {
    subscriptions::table
        .filter(subscriptions::id.eq(id))
        .filter(subscriptions::agency.eq(agency))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
}

/// Deletes the agency's subscription, and with it (`ON DELETE CASCADE`) its delivery
/// history; answers whether it existed.
pub fn delete(conn: &mut AnyConnection, id: &str, agency: &str) -> QueryResult<bool> {
    let owned = subscriptions::table
        .filter(subscriptions::id.eq(id))
        .filter(subscriptions::agency.eq(agency));
    Ok(diesel::delete(owned).execute(conn)? == 1)
}

/// Makes the agency's subscription active and due now, with no failed attempt, delivered
/// for `client` (its own, or one taking it over), after `position` when given (a replay);
/// answers whether it exists. Drops the lease, so that a delivery in flight cannot write
/// over this.
pub fn reactivate(
    conn: &mut AnyConnection,
    id: &str,
    agency: &str,
    client: &str,
    position: Option<i64>,
    now: i64,
) -> QueryResult<bool> {
    let target = subscriptions::table
        .filter(subscriptions::id.eq(id))
        .filter(subscriptions::agency.eq(agency));
    let reset = (
        subscriptions::state.eq(ACTIVE),
        subscriptions::attempts.eq(0),
        subscriptions::first_failed_at.eq(None::<i64>),
        subscriptions::next_attempt_at.eq(now),
        subscriptions::leased_by.eq(None::<String>),
        subscriptions::leased_until.eq(None::<i64>),
        subscriptions::created_by.eq(client),
    );
    let updated = match position {
        Some(position) => diesel::update(target)
            .set((reset, subscriptions::position.eq(position)))
            .execute(conn)?,
        None => diesel::update(target).set(reset).execute(conn)?,
    };
    Ok(updated == 1)
}

/// A due subscription, as a claim weighs it.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub id: String,
    pub agency: String,
    pub url: String,
    pub next_attempt_at: i64,
}

/// Up to `limit` active subscriptions that are due, not leased, behind `head` and
/// delivered for an enabled client, oldest due first, after the `(next_attempt_at, id)` of
/// the last one read (`(i64::MIN, "")` for the first page); leaves out the `busy` ones
/// (still being delivered here) and those of `full` agencies.
pub fn due(
    conn: &mut AnyConnection,
    now: i64,
    head: i64,
    busy: &[String],
    full: &[String],
    (after_time, after_id): (i64, &str),
    limit: i64,
) -> QueryResult<Vec<Due>> {
    subscriptions::table
        .select((
            subscriptions::id,
            subscriptions::agency,
            subscriptions::url,
            subscriptions::next_attempt_at,
        ))
        .filter(subscriptions::state.eq(ACTIVE))
        .filter(subscriptions::next_attempt_at.le(now))
        .filter(subscriptions::position.lt(head))
        .filter(subscriptions::id.ne_all(busy))
        .filter(subscriptions::agency.ne_all(full))
        .filter(
            subscriptions::leased_until
                .is_null()
                .or(subscriptions::leased_until.lt(now)),
        )
        // Deliveries are made for the subscription's client: none while it is disabled.
        .filter(
            subscriptions::created_by.eq_any(
                clients::table
                    .filter(clients::disabled.eq(false))
                    .select(clients::id),
            ),
        )
        .filter(
            subscriptions::next_attempt_at
                .gt(after_time)
                .or(subscriptions::next_attempt_at
                    .eq(after_time)
                    .and(subscriptions::id.gt(after_id))),
        )
        .order((subscriptions::next_attempt_at, subscriptions::id))
        .limit(limit)
        .load(conn)
}

/// Leases those of `ids` that are still active and free to `holder` until `until`, and
/// answers them.
pub fn lease(
    conn: &mut AnyConnection,
    holder: &str,
    now: i64,
    until: i64,
    ids: &[String],
) -> QueryResult<Vec<SubscriptionRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The conditions are checked again by the update itself: of two instances that read the
    // same ids, the second finds the rows leased (PostgreSQL re-reads a row a concurrent
    // update changed; SQLite runs one writer at a time) and claims none of them.
    macro_rules! lease {
        ($c:expr) => {
            diesel::update(
                subscriptions::table
                    .filter(subscriptions::id.eq_any(ids))
                    .filter(subscriptions::state.eq(ACTIVE))
                    .filter(
                        subscriptions::leased_until
                            .is_null()
                            .or(subscriptions::leased_until.lt(now)),
                    ),
            )
            .set((
                subscriptions::leased_by.eq(holder),
                subscriptions::leased_until.eq(until),
            ))
            .returning(SubscriptionRow::as_returning())
            .get_results($c)
        };
    }
    match conn {
        AnyConnection::Postgresql(c) => lease!(c),
        AnyConnection::Sqlite(c) => lease!(c),
    }
}

/// A subscription as its lease holder last saw it: writes apply only while that holds.
#[derive(Debug, Clone)]
pub struct Lease {
    pub id: String,
    pub holder: String,
    pub position: i64,
}

macro_rules! leased {
    ($lease:expr) => {
        subscriptions::table
            .filter(subscriptions::id.eq(&$lease.id))
            .filter(subscriptions::leased_by.eq(&$lease.holder))
            .filter(subscriptions::position.eq($lease.position))
    };
}

/// Moves the subscription to `position` (a delivered change, or the head when nothing
/// matched) and keeps the lease until `until`; answers whether the lease still held.
pub fn advance(
    conn: &mut AnyConnection,
    lease: &Lease,
    position: i64,
    now: i64,
    until: i64,
) -> QueryResult<bool> {
    let updated = diesel::update(leased!(lease))
        .set((
            subscriptions::position.eq(position),
            subscriptions::attempts.eq(0),
            subscriptions::first_failed_at.eq(None::<i64>),
            subscriptions::next_attempt_at.eq(now),
            subscriptions::leased_until.eq(until),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Records a failed attempt of the change after the lease's position and releases the
/// lease: retried at `retry_at`, or with `None` paused as failing. Answers whether the
/// lease still held.
pub fn fail(
    conn: &mut AnyConnection,
    lease: &Lease,
    attempts: i32,
    first_failed_at: i64,
    retry_at: Option<i64>,
) -> QueryResult<bool> {
    let updated = diesel::update(leased!(lease))
        .set((
            subscriptions::state.eq(if retry_at.is_some() { ACTIVE } else { FAILING }),
            subscriptions::attempts.eq(attempts),
            subscriptions::first_failed_at.eq(Some(first_failed_at)),
            subscriptions::next_attempt_at.eq(retry_at.unwrap_or(first_failed_at)),
            subscriptions::leased_by.eq(None::<String>),
            subscriptions::leased_until.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Releases the lease and makes the subscription due again at `until`, at the same
/// position: it waits for an agreement to cover it. Answers whether the lease still held.
pub fn wait(conn: &mut AnyConnection, lease: &Lease, until: i64) -> QueryResult<bool> {
    let updated = diesel::update(leased!(lease))
        .set((
            subscriptions::next_attempt_at.eq(until),
            subscriptions::leased_by.eq(None::<String>),
            subscriptions::leased_until.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives up the leases `holder` has, on one subscription or (`id` None) on all of them.
pub fn release(conn: &mut AnyConnection, holder: &str, id: Option<&str>) -> QueryResult<usize> {
    let held = subscriptions::table.filter(subscriptions::leased_by.eq(holder));
    let free = (
        subscriptions::leased_by.eq(None::<String>),
        subscriptions::leased_until.eq(None::<i64>),
    );
    match id {
        Some(id) => diesel::update(held.filter(subscriptions::id.eq(id)))
            .set(free)
            .execute(conn),
        None => diesel::update(held).set(free).execute(conn),
    }
}

pub fn record_attempt(conn: &mut AnyConnection, row: &DeliveryRow) -> QueryResult<()> {
    diesel::insert_into(deliveries::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The subscription's latest attempts, newest first.
pub fn attempts(
    conn: &mut AnyConnection,
    subscription_id: &str,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    deliveries::table
        .filter(deliveries::subscription_id.eq(subscription_id))
        .order(deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// Forgets attempts made before `before`; answers how many.
pub fn prune_attempts(conn: &mut AnyConnection, before: i64) -> QueryResult<usize> {
    diesel::delete(deliveries::table.filter(deliveries::attempted_at.lt(before))).execute(conn)
}

/// When the subscription's latest delivery that the receiver accepted (2xx) was made.
pub fn last_success(conn: &mut AnyConnection, subscription_id: &str) -> QueryResult<Option<i64>> {
    deliveries::table
        .filter(deliveries::subscription_id.eq(subscription_id))
        .filter(deliveries::status_code.between(200, 299))
        .select(diesel::dsl::max(deliveries::attempted_at))
        .first(conn)
}
