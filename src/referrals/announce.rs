//! Every step of a referral is a change on the feed (`type: referral`), so that the
//! agencies' systems work from their queue without polling: `offered` (also to fallbacks,
//! and again after a release), `accepted`, `declined`, `withdrawn`, `released`, `enrolled`,
//! `overdue` (a deadline passed) and `lapsed`. The change holds the referral as the step
//! left it, naming the family in full; the feed projects it for each reader.

use chrono::{DateTime, Utc};

use super::model::view;
use crate::db::changes::NewChange;
use crate::db::referrals::{OfferRow, ReferralRow};
use crate::db::{self, AnyConnection, QueryResult};

/// Writes the change announcing `action` of `row` (as the step left it), in the
/// transaction of the step. The requester is its `publisher` and the graduation's
/// publisher its `party`; the agencies it is offered to see it through its offers.
pub fn announce(
    conn: &mut AnyConnection,
    row: &ReferralRow,
    offers: &[OfferRow],
    action: &'static str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let referral = view(row, offers)?;
    db::changes::insert(
        conn,
        &[NewChange {
            kind: "referral",
            action,
            record_id: row.id.clone(),
            version: row.version,
            publisher: row.requester_agency.clone(),
            program: row.program.clone(),
            occurred_at: now.timestamp_micros(),
            party: Some(row.graduation_publisher.clone()),
            content: Some(serde_json::to_string(&referral).expect("a referral serialises")),
        }],
    )
}
