//! The referral operations as a client's request makes them: the scope each needs, the
//! caller's agency as the actor, the agreements in force (this instance's cache) deciding
//! what it may disclose, writes through the request's audited write and reads reported to
//! its audit entry.

use std::sync::Arc;

use super::error::ReferralsError;
use super::model::{Referral, ReferralList, ReferralReason, Viewer};
use super::ops;
use crate::agreements::policy::{Policy, Snapshot};
use crate::audit::report::Touched;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::Db;
use crate::db::referrals::Filter;
use crate::domain::referral::{NewReferral, TransitionRequest};
use crate::records::precondition::Precondition;

/// What a request's operation decides on: the caller's agency and the agreements now.
struct Seat {
    agency: String,
    policy: Arc<Policy>,
    snapshot: Arc<Snapshot>,
}

impl Seat {
    async fn of(caller: &Caller, policy: &Arc<Policy>) -> Result<Self, ReferralsError> {
        Ok(Self {
            agency: caller.agency.to_string(),
            policy: policy.clone(),
            snapshot: policy.snapshot().await?,
        })
    }

    fn viewer(&self) -> Viewer<'_> {
        Viewer {
            agency: &self.agency,
            policy: &self.policy,
            snapshot: &self.snapshot,
            now: chrono::Utc::now(),
        }
    }
}

pub async fn create(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    new: NewReferral,
) -> Result<(Referral, bool), ReferralsError> {
    caller.require(Scope::ReferralsWrite)?;
    let seat = Seat::of(caller, policy).await?;
    let requester = caller.agency.clone();
    let answer = trail
        .write(db, move |conn, touched| {
            ops::create(conn, &seat.viewer(), &requester, new.clone(), touched)
        })
        .await?;
    let created = answer.status == 201;
    if created {
        tracing::info!(referral.id = %answer.value.id, client.id = %caller.client_id, "referral made");
    }
    Ok((answer.value, created))
}

pub async fn transition(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    id: uuid::Uuid,
    step: TransitionRequest,
    if_match: Option<Precondition>,
) -> Result<Referral, ReferralsError> {
    caller.require(Scope::ReferralsWrite)?;
    let seat = Seat::of(caller, policy).await?;
    let moved = trail
        .write(db, move |conn, touched| {
            ops::transition(
                conn,
                &seat.viewer(),
                &id.to_string(),
                &step,
                if_match.as_ref(),
                touched,
            )
        })
        .await?
        .value;
    tracing::info!(referral.id = %id, status = moved.status.as_str(), client.id = %caller.client_id,
        "referral moved");
    Ok(moved)
}

pub async fn get(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<Referral, ReferralsError> {
    caller.require(Scope::ReferralsRead)?;
    let seat = Seat::of(caller, policy).await?;
    let (referral, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let referral = ops::get(conn, &seat.viewer(), &id.to_string(), &mut touched)?;
            Ok::<_, ReferralsError>((referral, touched))
        })
        .await?;
    trail.report().touched(&touched);
    Ok(referral)
}

pub async fn list(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    filter: Filter,
    limit: i64,
) -> Result<ReferralList, ReferralsError> {
    caller.require(Scope::ReferralsRead)?;
    let seat = Seat::of(caller, policy).await?;
    let (page, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let page = ops::list(conn, &seat.viewer(), filter, limit, &mut touched)?;
            Ok::<_, ReferralsError>((page, touched))
        })
        .await?;
    trail.report().touched(&touched);
    Ok(page)
}

pub async fn reasons(db: &Db) -> Result<Vec<ReferralReason>, ReferralsError> {
    db.run(|conn| ops::reasons(conn)).await
}
