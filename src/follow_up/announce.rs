//! Every follow-up signal is a change on the feed (`type: follow_up`): `raised` when the
//! watch or the deadline sweep raises it, `closed` when what it said was resolved. So a
//! graduation's publisher works from its queue or its webhooks rather than polling
//! `GET /v1/follow-up`. A signal names records by id, never a person: the change carries it
//! as it stood, with nothing to project.

use chrono::{DateTime, Utc};

use super::model::view;
use crate::db::changes::NewChange;
use crate::db::follow_up::{self as store, SignalRow};
use crate::db::{self, AnyConnection, QueryResult};

/// Announces `action` (`raised`, `closed`) of the signal as `row` stands at `now`: the
/// graduation's publisher is both its `publisher` and its `party` (who follows it).
fn announce(
    conn: &mut AnyConnection,
    row: &SignalRow,
    action: &'static str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let signal = view(row.clone(), now)?;
    db::changes::insert(
        conn,
        &[NewChange {
            kind: "follow_up",
            action,
            record_id: row.id.clone(),
            version: if row.closed_at.is_some() { 2 } else { 1 },
            publisher: row.publisher.clone(),
            program: row.program.clone(),
            occurred_at: now.timestamp_micros(),
            party: Some(row.publisher.clone()),
            content: Some(serde_json::to_string(&signal).expect("a signal serialises")),
        }],
    )
}

/// Raises the signal unless one was raised for the same kind, graduation and trigger, and
/// announces it; answers whether it was new. Run it under the raiser's lock.
pub fn raise(conn: &mut AnyConnection, row: &SignalRow, now: DateTime<Utc>) -> QueryResult<bool> {
    let new = store::raise(conn, row)?;
    if new {
        announce(conn, row, "raised", now)?;
    }
    Ok(new)
}

/// Closes the open signals that `graduations` (now followed by a referral or an enrollment)
/// and `referrals` (moved on) resolve (see [`store::resolved`]), and announces each; answers
/// how many.
pub fn close_resolved(
    conn: &mut AnyConnection,
    graduations: &[String],
    referrals: &[String],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut rows = store::resolved(conn, graduations, referrals)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    store::close(conn, &ids, now.timestamp_micros())?;
    for row in &mut rows {
        row.closed_at = Some(now.timestamp_micros());
        announce(conn, row, "closed", now)?;
    }
    Ok(rows.len())
}
