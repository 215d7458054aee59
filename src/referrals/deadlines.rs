//! What time and other agencies' records do to referrals, without a request: the deadline
//! sweep (an offer not answered by `respond_by`, a family not enrolled by `complete_by`),
//! and the enrollment that completes an accepted referral by itself.

use chrono::{DateTime, Utc};

use super::error::ReferralsError;
use super::ops::{any_open, commit, offer_fallbacks};
use crate::agreements::policy::Snapshot;
use crate::db::follow_up::SignalRow;
use crate::db::referrals::{self as store, OfferRow, ReferralRow};
use crate::db::{self, AnyConnection, DbError};
use crate::domain::record::SearchKeys;
use crate::domain::referral::{OfferState, Status};

/// Overdue referrals handled per sweep: bounded so that a backlog never holds the lock long
/// (the next sweep, seconds later, takes the rest).
const PER_SWEEP: i64 = 500;

/// Handles the referrals whose deadline passed before `now`; answers how many. Run it in a
/// write transaction: one instance at a time sweeps (the others find the lock taken), and a
/// referral it moved is no longer overdue, so each deadline is announced once.
///
/// - `offered` past `respond_by`: `overdue`; the unanswered offers lapse; the fallbacks an
///   agreement covers now are offered it (`offered`, with a new `respond_by`), else the
///   referral is `lapsed`.
/// - `accepted` past `complete_by`: `overdue`, then `lapsed`.
///
/// Either way a `referral.overdue` follow-up signal is raised (see `crate::follow_up`).
pub fn sweep(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<usize, ReferralsError> {
    /// "sinergi referral deadlines", as a 64-bit advisory lock key.
    const LOCK: i64 = 0x5349_4e45_5247_5244;
    if !db::try_transaction_lock(conn, LOCK)? {
        return Ok(0);
    }
    let due = store::overdue(conn, now.timestamp_micros(), PER_SWEEP)?;
    if due.is_empty() {
        return Ok(0);
    }
    // Decided on the agreements as committed now, not on an instance's cache.
    let snapshot = Snapshot::load(conn)?;
    let mut swept = 0;
    for row in due {
        let mut offers = store::offers(conn, &row.id)?;
        match lapse(conn, &snapshot, row, &mut offers, now) {
            Ok(()) => swept += 1,
            Err(e @ ReferralsError::Db(_)) => return Err(e),
            // Cannot happen under the lock with a fresh read; the next sweep decides again.
            Err(e) => tracing::warn!(error = %e, "a referral deadline was not handled"),
        }
    }
    Ok(swept)
}

fn lapse(
    conn: &mut AnyConnection,
    snapshot: &Snapshot,
    mut row: ReferralRow,
    offers: &mut [OfferRow],
    now: DateTime<Utc>,
) -> Result<(), ReferralsError> {
    let seen = row.version;
    let mut actions = vec!["overdue"];
    let lapsed = OfferState::Lapsed.as_str();
    let (cause, deadline) = if row.status == Status::Offered.as_str() {
        ("respond_by", row.respond_by)
    } else {
        ("complete_by", row.complete_by)
    };
    crate::follow_up::announce::raise(
        conn,
        &SignalRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "referral.overdue".into(),
            cause: cause.into(),
            trigger_id: format!("{}@{cause}:{deadline}", row.id),
            graduation_id: row.graduation_id.clone(),
            publisher: row.graduation_publisher.clone(),
            program: row.program.clone(),
            region_digits: row.region_digits.clone(),
            referral_id: Some(row.id.clone()),
            records: serde_json::to_string(&[&row.graduation_id, &row.id]).expect("ids serialise"),
            raised_at: now.timestamp_micros(),
            closed_at: None,
        },
        now,
    )?;
    if row.status == Status::Offered.as_str() {
        for offer in offers
            .iter_mut()
            .filter(|o| o.state == OfferState::Offered.as_str())
        {
            offer.state = lapsed.into();
        }
        if offer_fallbacks(snapshot, now, &mut row, offers)? && any_open(offers) {
            actions.push("offered");
        } else {
            row.status = Status::Lapsed.as_str().into();
            actions.push("lapsed");
        }
    } else {
        if let Some(owner) = offers
            .iter_mut()
            .find(|o| Some(o.agency.as_str()) == row.owner_agency.as_deref())
        {
            owner.state = lapsed.into();
        }
        row.status = Status::Lapsed.as_str().into();
        actions.push("lapsed");
    }
    commit(conn, row, seen, offers, &actions, now)?;
    Ok(())
}

/// Completes the accepted referrals that enrollments just published by `publisher` follow
/// (their `graduation_id`, the same family): each becomes `enrolled` with its enrollment.
/// Runs in the publishing transaction; `written` are the enrollments' ids with their keys.
pub fn enrolled_by(
    conn: &mut AnyConnection,
    publisher: &str,
    written: &[(String, SearchKeys)],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let graduations: Vec<&str> = written
        .iter()
        .filter_map(|(_, keys)| keys.graduation_id.as_deref())
        .collect();
    if graduations.is_empty() {
        return Ok(());
    }
    for row in store::accepted_by(conn, &graduations, publisher)? {
        let Some((enrollment, _)) = written.iter().find(|(_, keys)| {
            keys.graduation_id.as_deref() == Some(row.graduation_id.as_str())
                && (keys.niks.contains(&row.subject_nik)
                    || keys.kk.as_deref() == Some(row.subject_kk.as_str()))
        }) else {
            continue;
        };
        let offers = store::offers(conn, &row.id)?;
        let seen = row.version;
        let done = ReferralRow {
            status: Status::Enrolled.as_str().into(),
            enrollment_id: Some(enrollment.clone()),
            ..row
        };
        match commit(conn, done, seen, &offers, &["enrolled"], now) {
            // Released or withdrawn meanwhile: no longer this publisher's to complete.
            Ok(_) | Err(ReferralsError::Raced) => {}
            Err(ReferralsError::Db(e)) => return Err(e),
            Err(other) => return Err(db::corrupt(other).into()),
        }
    }
    Ok(())
}
