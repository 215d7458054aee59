//! The subscription operations the API offers.

use std::sync::Arc;

use super::error::SubscriptionsError;
use super::model::{
    self, Coverage, CreatedSubscription, Delivery, NewSubscription, Owner, State, Subscription,
};
use crate::agreements::policy::Policy;
use crate::audit::trail::Trail;
use crate::audit::write::Answer;
use crate::auth::{Caller, Scope};
use crate::db::subscriptions as store;
use crate::db::{AnyConnection, Db};
use crate::domain::field_error::FieldError;
use crate::feed::read::ChangeType;
use crate::feed::webhooks::Webhooks;
use crate::feed::webhooks::ssrf::check_target;
use crate::records::disclose::Blocked;

/// May `caller` manage (list, read, delete) its agency's subscriptions?
pub fn may_manage(caller: &Caller) -> Result<(), SubscriptionsError> {
    Ok(caller.require(Scope::SubscriptionsWrite)?)
}

/// May `caller` set deliveries going (create, enable, replay)? They disclose the feed.
pub fn may_start(caller: &Caller) -> Result<(), SubscriptionsError> {
    may_manage(caller)?;
    Ok(caller.require(Scope::ChangesRead)?)
}

/// Every type a subscription delivers needs its read scope: deliveries carry the records
/// and agreements themselves.
fn may_read(caller: &Caller, types: &[ChangeType]) -> Result<(), SubscriptionsError> {
    for t in types {
        caller.require(t.read_scope())?;
    }
    Ok(())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// The caller agency's subscription, or `NotFound` (also when another agency owns it).
fn owned(
    conn: &mut AnyConnection,
    id: &str,
    caller: &Caller,
    coverage: &Coverage,
) -> Result<Subscription, SubscriptionsError> {
    let row = store::get(conn, id, caller.agency.as_str())?.ok_or(SubscriptionsError::NotFound)?;
    let mut views = model::views(conn, vec![row], coverage)?;
    views.pop().ok_or(SubscriptionsError::NotFound)
}

/// A new subscription's purpose and publishers: the purpose a code of this exchange, given
/// when another agency is named, and each named agency covered by an agreement for it now
/// (as the feed refuses to show a named publisher no agreement covers).
fn check_coverage(
    new: &NewSubscription,
    caller: &Caller,
    coverage: &Coverage,
) -> Result<(), SubscriptionsError> {
    let purpose_field =
        |detail: &str| SubscriptionsError::Invalid(vec![FieldError::new("/purpose", detail)]);
    if let Some(purpose) = &new.purpose
        && coverage.snapshot.purpose(Some(purpose.as_str())).is_err()
    {
        return Err(purpose_field("no purpose has this code (GET /v1/purposes)"));
    }
    let named: Vec<String> = new
        .publishers
        .iter()
        .flatten()
        .map(ToString::to_string)
        .collect();
    let view = coverage.view_of(&caller.agency, new.purpose.as_ref(), &new.types, &named);
    match view.plan.blocked {
        None => Ok(()),
        Some(Blocked::Purpose(_)) => Err(purpose_field(
            "is required when publishers names another agency: its changes are delivered only \
             under a data-sharing agreement for a purpose",
        )),
        Some(Blocked::Refused(refusal)) => Err(SubscriptionsError::Refused(refusal)),
    }
}

/// Subscribes the caller's agency: the URL checked against the SSRF guard, what needs the
/// database checked and the subscription stored with the request's entry.
pub async fn create(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    webhooks: &Webhooks,
    policy: &Arc<Policy>,
    mut new: NewSubscription,
) -> Result<CreatedSubscription, SubscriptionsError> {
    may_start(caller)?;
    may_read(caller, &new.types)?;
    let coverage = Coverage::now(policy).await?;
    check_coverage(&new, caller, &coverage)?;
    new.url = check_target(&new.url, &webhooks.allow)
        .await
        .map_err(|refused| SubscriptionsError::Invalid(vec![FieldError::new("/url", refused)]))?
        .to_string();
    let (kek, max_subscriptions) = (webhooks.kek.clone(), webhooks.max_per_agency);
    let owner_caller = caller.clone();
    let created = trail
        .write(db, move |conn, _| {
            let owner = Owner {
                agency: &owner_caller.agency,
                client_id: &owner_caller.client_id,
                max_subscriptions,
            };
            model::create(conn, &kek, new.clone(), owner, &coverage, now()).map(Answer::created)
        })
        .await?
        .value;
    tracing::info!(subscription.id = %created.subscription.id, client.id = %caller.client_id,
        "webhook subscription created");
    Ok(created)
}

/// The caller agency's subscriptions, oldest first.
pub async fn list(
    db: &Db,
    policy: &Arc<Policy>,
    caller: &Caller,
) -> Result<Vec<Subscription>, SubscriptionsError> {
    may_manage(caller)?;
    let coverage = Coverage::now(policy).await?;
    let agency = caller.agency.as_str().to_owned();
    db.run(move |conn| {
        let rows = store::list(conn, &agency)?;
        Ok(model::views(conn, rows, &coverage)?)
    })
    .await
}

/// One of the caller agency's subscriptions.
pub async fn get(
    db: &Db,
    policy: &Arc<Policy>,
    caller: &Caller,
    id: String,
) -> Result<Subscription, SubscriptionsError> {
    may_manage(caller)?;
    let coverage = Coverage::now(policy).await?;
    let caller = caller.clone();
    db.run(move |conn| owned(conn, &id, &caller, &coverage))
        .await
}

/// Deletes one of the caller agency's subscriptions, and with it its delivery history.
pub async fn delete(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    id: String,
) -> Result<(), SubscriptionsError> {
    may_manage(caller)?;
    let agency = caller.agency.as_str().to_owned();
    let deleting = id.clone();
    trail
        .write(db, move |conn, _| {
            if store::delete(conn, &deleting, &agency)? {
                Ok(Answer::no_content(()))
            } else {
                Err(SubscriptionsError::NotFound)
            }
        })
        .await?;
    tracing::info!(subscription.id = %id, client.id = %caller.client_id,
        "webhook subscription deleted");
    Ok(())
}

/// Makes the subscription active and due now, from feed position `from` when given (a
/// replay). A `suspended` one (its client was disabled) is taken over by the caller, which
/// then needs the read scope of every type it delivers. A `not_covered` one stays so: only
/// an agreement in force lets deliveries resume.
pub async fn reactivate(
    db: &Db,
    trail: &Trail,
    caller: &Caller,
    policy: &Arc<Policy>,
    id: String,
    from: Option<u64>,
) -> Result<Subscription, SubscriptionsError> {
    may_start(caller)?;
    let coverage = Coverage::now(policy).await?;
    let caller = caller.clone();
    let subscription = trail
        .write(db, move |conn, _| {
            let agency = caller.agency.as_str();
            let position = match from {
                None => None,
                Some(from) => {
                    let head = crate::db::changes::head(conn)?;
                    match i64::try_from(from) {
                        Ok(from) if from <= head => Some(from),
                        _ => {
                            return Err(SubscriptionsError::Invalid(vec![FieldError::query(
                                "from",
                                format!("is beyond the feed's head ({head})"),
                            )]));
                        }
                    }
                }
            };
            let current = owned(conn, &id, &caller, &coverage)?;
            let client = if current.state == State::Suspended {
                may_read(&caller, &current.types)?;
                &caller.client_id
            } else {
                &current.created_by
            };
            if !store::reactivate(conn, &id, agency, client, position, now())? {
                return Err(SubscriptionsError::NotFound);
            }
            owned(conn, &id, &caller, &coverage).map(Answer::ok)
        })
        .await?
        .value;
    Ok(subscription)
}

/// The subscription's latest delivery attempts, newest first.
pub async fn deliveries(
    db: &Db,
    caller: &Caller,
    id: String,
    limit: i64,
) -> Result<Vec<Delivery>, SubscriptionsError> {
    may_manage(caller)?;
    let caller = caller.clone();
    db.run(move |conn| {
        store::get(conn, &id, caller.agency.as_str())?.ok_or(SubscriptionsError::NotFound)?;
        store::attempts(conn, &id, limit)?
            .into_iter()
            .map(|row| Delivery::try_from(row).map_err(SubscriptionsError::from))
            .collect()
    })
    .await
}
