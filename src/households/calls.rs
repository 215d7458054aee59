//! The household operations as a client's request makes them: the scope each needs, the
//! caller's agency as the actor, writes through the request's audited write and reads
//! reported to its audit entry.

use std::sync::Arc;

use super::error::HouseholdsError;
use super::model::{HouseholdEvent, Lineage};
use super::ops::{self, Reader};
use crate::agreements::policy::Policy;
use crate::audit::report::Touched;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::Db;
use crate::db::households::Walk;
use crate::domain::household::NewHouseholdEvent;
use crate::domain::kk::Kk;

pub async fn record(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    new: NewHouseholdEvent,
) -> Result<(HouseholdEvent, bool), HouseholdsError> {
    caller.require(Scope::HouseholdsWrite)?;
    let agency = caller.agency.to_string();
    let policy = policy.clone();
    let answer = trail
        .write(db, move |conn, touched| {
            let reader = Reader {
                agency: &agency,
                policy: &policy,
                now: chrono::Utc::now(),
            };
            ops::record(conn, &reader, new.clone(), touched)
        })
        .await?;
    let created = answer.status == 201;
    if created {
        tracing::info!(household_event.id = %answer.value.id, client.id = %caller.client_id,
            "household event recorded");
    }
    Ok((answer.value, created))
}

pub async fn lineage(
    db: &Db,
    policy: &Arc<Policy>,
    trail: &Trail,
    caller: &Caller,
    kk: Kk,
    walk: Walk,
) -> Result<Lineage, HouseholdsError> {
    caller.require(Scope::HouseholdsRead)?;
    // Asking for a KK processes it, whether or not anything is known of it.
    trail.report().kks([kk.as_str()]);
    let agency = caller.agency.to_string();
    let policy = policy.clone();
    let (lineage, touched) = db
        .run(move |conn| {
            let reader = Reader {
                agency: &agency,
                policy: &policy,
                now: chrono::Utc::now(),
            };
            let mut touched = Touched::default();
            let lineage = ops::lineage(conn, &reader, &kk, &walk, &mut touched)?;
            Ok::<_, HouseholdsError>((lineage, touched))
        })
        .await?;
    trail.report().touched(&touched);
    Ok(lineage)
}
