//! The agreement operations as a client's request makes them: the scope each needs, the
//! caller's agency as the actor, writes through the request's audited write, after which
//! this instance's cache of agreements in force is read again.

use super::error::AgreementsError;
use super::model::{Agreement, AgreementVersion, NewAgreement};
use super::ops::{self, Actor, Decision};
use super::policy::Policy;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::Db;
use crate::domain::agreement::Terms;
use crate::records::precondition::Precondition;

fn actor(caller: &Caller) -> Actor {
    Actor::Agency(caller.agency.clone())
}

pub async fn propose(
    db: &Db,
    policy: &Policy,
    trail: &Trail,
    caller: &Caller,
    new: NewAgreement,
) -> Result<Agreement, AgreementsError> {
    caller.require(Scope::AgreementsWrite)?;
    let consumer = caller.agency.clone();
    let created = trail
        .write(db, move |conn, touched| {
            ops::propose(conn, &consumer, new.clone(), chrono::Utc::now(), touched)
        })
        .await?
        .value;
    policy.invalidate();
    tracing::info!(agreement.id = %created.id, client.id = %caller.client_id, "agreement proposed");
    Ok(created)
}

pub async fn amend(
    db: &Db,
    policy: &Policy,
    trail: &Trail,
    caller: &Caller,
    id: uuid::Uuid,
    terms: Terms,
    if_match: Option<Precondition>,
) -> Result<Agreement, AgreementsError> {
    caller.require(Scope::AgreementsWrite)?;
    let actor = actor(caller);
    let changed = trail
        .write(db, move |conn, touched| {
            let id = id.to_string();
            ops::amend(
                conn,
                &actor,
                &id,
                terms.clone(),
                if_match.as_ref(),
                chrono::Utc::now(),
                touched,
            )
        })
        .await?
        .value;
    policy.invalidate();
    tracing::info!(agreement.id = %id, version = changed.version, client.id = %caller.client_id,
        "agreement terms changed");
    Ok(changed)
}

pub async fn decide(
    db: &Db,
    policy: &Policy,
    trail: &Trail,
    caller: &Caller,
    id: uuid::Uuid,
    decision: Decision,
) -> Result<Agreement, AgreementsError> {
    caller.require(Scope::AgreementsWrite)?;
    let actor = actor(caller);
    let decided = trail
        .write(db, move |conn, touched| {
            ops::decide(
                conn,
                &actor,
                &id.to_string(),
                decision,
                chrono::Utc::now(),
                touched,
            )
        })
        .await?
        .value;
    policy.invalidate();
    tracing::info!(agreement.id = %id, decision = ?decision, status = decided.status.as_str(),
        client.id = %caller.client_id, "agreement decided");
    Ok(decided)
}

pub async fn get(db: &Db, caller: &Caller, id: uuid::Uuid) -> Result<Agreement, AgreementsError> {
    caller.require(Scope::AgreementsRead)?;
    let actor = actor(caller);
    db.run(move |conn| ops::get(conn, &actor, &id.to_string(), chrono::Utc::now()))
        .await
}

pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<Agreement>, AgreementsError> {
    caller.require(Scope::AgreementsRead)?;
    let actor = actor(caller);
    db.run(move |conn| ops::list(conn, &actor, chrono::Utc::now()))
        .await
}

pub async fn versions(
    db: &Db,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<Vec<AgreementVersion>, AgreementsError> {
    caller.require(Scope::AgreementsRead)?;
    let actor = actor(caller);
    db.run(move |conn| ops::versions(conn, &actor, &id.to_string()))
        .await
}
