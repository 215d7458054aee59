//! The change feed in the database: the outbox rows publishing writes, their numbering by
//! the sequencer, and reading them back in position order with each version's content.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::AnyConnection;
use super::schema::{changes, record_versions, records, referral_offers};
use crate::domain::referral::OfferState;

/// A change written with the record version it announces.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = changes)]
pub struct NewChange {
    pub kind: &'static str,
    pub action: &'static str,
    pub record_id: String,
    pub version: i64,
    pub publisher: String,
    pub program: String,
    pub occurred_at: i64,
    /// An agreement's consumer (its provider is the `publisher`); `None` for a record.
    pub party: Option<String>,
    /// The agreement as it stood; `None` for a record, whose version holds its content.
    pub content: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, rows: &[NewChange]) -> QueryResult<()> {
    insert_chunked!(conn, changes::table, rows, 2_000);
    Ok(())
}

/// Numbers up to `limit` committed changes that have no position yet, after the highest
/// position, in the order they were written; answers how many. Run it in a write
/// transaction: on PostgreSQL a transaction-level advisory lock makes sure exactly one
/// instance numbers at a time (another one returns 0 at once); SQLite's `BEGIN IMMEDIATE`
/// already serialises writers.
pub fn sequence(conn: &mut AnyConnection, now: i64, limit: i64) -> QueryResult<usize> {
    /// "sinergi change sequencer", as a 64-bit advisory lock key.
    const LOCK: i64 = 0x5349_4e45_5247_4932;
    if !super::try_transaction_lock(conn, LOCK)? {
        return Ok(0);
    }
    // Read under the lock: the numbering continues from the last committed one.
    let head = head(conn)?;
    let numbered = |placeholders: [&str; 3]| {
        format!(
            "UPDATE changes SET position = {} + r.rn, positioned_at = {} \
             FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM changes \
                   WHERE position IS NULL ORDER BY id LIMIT {}) AS r \
             WHERE changes.id = r.id",
            placeholders[0], placeholders[1], placeholders[2]
        )
    };
    match conn {
        AnyConnection::Postgresql(c) => diesel::sql_query(numbered(["$1", "$2", "$3"]))
            .bind::<BigInt, _>(head)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(limit)
            .execute(c),
        AnyConnection::Sqlite(c) => diesel::sql_query(numbered(["?", "?", "?"]))
            .bind::<BigInt, _>(head)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(limit)
            .execute(c),
    }
}

/// Whether the agreement's `version` already has a change with `action`.
pub fn announced(
    conn: &mut AnyConnection,
    agreement: &str,
    version: i64,
    action: &str,
) -> QueryResult<bool> {
    let found: i64 = changes::table
        .filter(changes::kind.eq("agreement"))
        .filter(changes::record_id.eq(agreement))
        .filter(changes::version.eq(version))
        .filter(changes::action.eq(action))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The highest position, 0 before the first change.
pub fn head(conn: &mut AnyConnection) -> QueryResult<i64> {
    changes::table
        .select(diesel::dsl::max(changes::position))
        .first::<Option<i64>>(conn)
        .map(|h| h.unwrap_or(0))
}

/// What a consumer follows: the changes of records of `kinds`, restricted to `programs` and
/// `publishers` unless those are empty, and agreement, referral and follow-up changes as
/// `agreements`, `referrals` and `follow_up` say.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kinds: Vec<&'static str>,
    pub programs: Vec<String>,
    pub publishers: Vec<String>,
    pub agreements: Option<Audience>,
    pub referrals: Option<Audience>,
    pub follow_up: Option<Audience>,
}

/// Whose agreement, referral or follow-up changes a consumer follows.
#[derive(Debug, Clone)]
pub enum Audience {
    /// Every one's (the coordinator's view).
    All,
    /// Those this agency is a party to: an agreement's provider or consumer; a referral's
    /// requester, its graduation's publisher, or an agency it was offered to; a signal's
    /// graduation's publisher.
    Of(String),
}

/// A positioned change with the record version it announces, as stored.
#[derive(Debug, Clone)]
pub struct FeedRow {
    pub position: i64,
    pub kind: String,
    pub action: String,
    pub record_id: String,
    pub version: i64,
    pub publisher: String,
    pub occurred_at: i64,
    pub content: String,
    pub created_at: i64,
    pub retracted: bool,
    pub retraction_reason: Option<String>,
}

/// Changes with `after < position <= upto` that pass `filter`, at most `limit`, in
/// position order.
pub fn read(
    conn: &mut AnyConnection,
    after: i64,
    upto: i64,
    filter: &Filter,
    limit: i64,
) -> QueryResult<Vec<FeedRow>> {
    type Row = (
        i64,
        String,
        String,
        String,
        i64,
        String,
        i64,
        Option<String>,
    );
    macro_rules! build {
        ($backend:ty) => {{
            type Condition = Box<
                dyn BoxableExpression<changes::table, $backend, SqlType = diesel::sql_types::Bool>,
            >;
            let mut shown: Condition = Box::new(changes::kind.eq_any(filter.kinds.clone()));
            if !filter.programs.is_empty() {
                shown = Box::new(shown.and(changes::program.eq_any(filter.programs.clone())));
            }
            if !filter.publishers.is_empty() {
                shown = Box::new(shown.and(changes::publisher.eq_any(filter.publishers.clone())));
            }
            let agreement = changes::kind.eq("agreement");
            shown = match &filter.agreements {
                None => shown,
                Some(Audience::All) => Box::new(shown.or(agreement)),
                Some(Audience::Of(agency)) => Box::new(
                    shown.or(agreement.and(
                        changes::publisher
                            .eq(agency.clone())
                            .or(changes::party.assume_not_null().eq(agency.clone())),
                    )),
                ),
            };
            let referral = changes::kind.eq("referral");
            shown = match &filter.referrals {
                None => shown,
                Some(Audience::All) => Box::new(shown.or(referral)),
                Some(Audience::Of(agency)) => Box::new(
                    shown.or(referral.and(
                        changes::publisher
                            .eq(agency.clone())
                            .or(changes::party.assume_not_null().eq(agency.clone()))
                            .or(changes::record_id.eq_any(
                                referral_offers::table
                                    .filter(referral_offers::agency.eq(agency.clone()))
                                    .filter(referral_offers::state.eq_any(OfferState::MADE))
                                    .select(referral_offers::referral_id),
                            )),
                    )),
                ),
            };
            let follow_up = changes::kind.eq("follow_up");
            shown = match &filter.follow_up {
                None => shown,
                Some(Audience::All) => Box::new(shown.or(follow_up)),
                Some(Audience::Of(agency)) => {
                    Box::new(shown.or(follow_up.and(changes::publisher.eq(agency.clone()))))
                }
            };
            changes::table
                .select((
                    changes::position.assume_not_null(),
                    changes::kind,
                    changes::action,
                    changes::record_id,
                    changes::version,
                    changes::publisher,
                    changes::occurred_at,
                    changes::content,
                ))
                .filter(changes::position.gt(after))
                .filter(changes::position.le(upto))
                .filter(shown)
                .order(changes::position)
                .limit(limit)
                .into_boxed::<$backend>()
        }};
    }
    let rows: Vec<Row> = match conn {
        AnyConnection::Postgresql(c) => build!(diesel::pg::Pg).load(c)?,
        AnyConnection::Sqlite(c) => build!(diesel::sqlite::Sqlite).load(c)?,
    };
    // The versions' content and the records' creation instants, two queries for the page.
    let ids: Vec<&str> = rows
        .iter()
        .filter(|r| r.7.is_none())
        .map(|r| r.3.as_str())
        .collect();
    let mut versions: HashMap<(String, i64), (String, bool, Option<String>)> = HashMap::new();
    let mut created: HashMap<String, i64> = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let found: Vec<(String, i64, String, bool, Option<String>)> = record_versions::table
            .select((
                record_versions::record_id,
                record_versions::version,
                record_versions::content,
                record_versions::retracted,
                record_versions::retraction_reason,
            ))
            .filter(record_versions::record_id.eq_any(chunk))
            .load(conn)?;
        for (id, version, content, retracted, reason) in found {
            versions.insert((id, version), (content, retracted, reason));
        }
        let births: Vec<(String, i64)> = records::table
            .select((records::id, records::created_at))
            .filter(records::id.eq_any(chunk))
            .load(conn)?;
        created.extend(births);
    }
    rows.into_iter()
        .map(
            |(position, kind, action, record_id, version, publisher, occurred_at, content)| {
                // An agreement's or a referral's change carries it as it stood; a record's,
                // its version.
                let (content, created_at, retracted, retraction_reason) = match content {
                    Some(stood) => (stood, occurred_at, false, None),
                    None => {
                        let missing = || super::corrupt(std::fmt::Error);
                        let (content, retracted, reason) = versions
                            .get(&(record_id.clone(), version))
                            .cloned()
                            .ok_or_else(missing)?;
                        let created_at = *created.get(&record_id).ok_or_else(missing)?;
                        (content, created_at, retracted, reason)
                    }
                };
                Ok(FeedRow {
                    position,
                    kind,
                    action,
                    record_id,
                    version,
                    publisher,
                    occurred_at,
                    content,
                    created_at,
                    retracted,
                    retraction_reason,
                })
            },
        )
        .collect()
}

/// A positioned change of a record, as the follow-up watch reads them.
#[derive(Debug, Clone, Queryable)]
pub struct RecordChange {
    pub position: i64,
    pub kind: String,
    pub action: String,
    pub record_id: String,
    pub version: i64,
    pub publisher: String,
    pub program: String,
}

/// Up to `limit` changes of records (graduations and enrollments) and referrals after
/// `after`, in position order: what the follow-up watch reads.
pub fn watched_after(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<RecordChange>> {
    changes::table
        .filter(changes::position.gt(after))
        .filter(changes::kind.eq_any(["graduation", "enrollment", "referral"]))
        .order(changes::position)
        .limit(limit)
        .select((
            changes::position.assume_not_null(),
            changes::kind,
            changes::action,
            changes::record_id,
            changes::version,
            changes::publisher,
            changes::program,
        ))
        .load(conn)
}
