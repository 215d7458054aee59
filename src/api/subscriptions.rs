//! Webhook subscriptions (scope `subscriptions:write`): an agency manages its own, and no
//! other agency can see that they exist.
//!
//! A subscription is the change feed pushed instead of polled, so what sets deliveries going
//! (creating, enabling, replaying) needs `changes:read` as well, exactly like `GET
//! /v1/changes`; otherwise `subscriptions:write` would be a second way into the feed. Listing,
//! reading, deleting and the delivery log need only `subscriptions:write`: they show a
//! subscription's settings and the outcome of its attempts, never a record, and deleting one
//! stops deliveries rather than starting them.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ids::{SubscriptionId, subscription_not_found};
use super::problems::{BadRequest, NotFound};
use super::records::PageLimit;
use crate::audit::trail::Trail;
use crate::audit::write::Answer;
use crate::auth::{Caller, Scope};
use crate::db::subscriptions as store;
use crate::db::{AnyConnection, Db};
use crate::feed::webhooks::ssrf::check_target;
use crate::feed::webhooks::subscription::{
    self, CreatedSubscription, Delivery, NewSubscription, Owner, State, Subscription,
};
use crate::http::extract::{JsonBody, parse_query};
use crate::http::problem::{ApiError, FieldError};
use crate::http::state::AppState;
use crate::records::access;

/// Delivery attempts listed when the caller does not say.
const DEFAULT_DELIVERIES: u16 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub items: Vec<Subscription>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<Delivery>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// Deliver again every matching change after this feed position.
    #[param(minimum = 0, example = 4200)]
    from: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Attempts to list, 1 to 1000 (default 50).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<PageLimit>,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// The caller agency's subscription, or 404 (also when another agency owns it).
fn owned(conn: &mut AnyConnection, id: &str, caller: &Caller) -> Result<Subscription, ApiError> {
    let row = store::get(conn, id, caller.agency.as_str())?.ok_or_else(subscription_not_found)?;
    let mut views = subscription::views(conn, vec![row])?;
    views.pop().ok_or_else(subscription_not_found)
}

/// Subscribe to changes.
///
/// Matching changes are POSTed to `url` one at a time, in position order, each retried with
/// exponential backoff for at least 24 hours until the receiver answers 2xx; then the
/// subscription is paused (`failing`). Deliveries follow the Standard Webhooks convention:
/// the body is `{"type": "graduation.created", "timestamp": …, "data": <a change, exactly
/// as the feed has it>}`, signed in `webhook-signature` with the `secret` returned here, and
/// only here. The token needs `changes:read`, as for reading the feed, and the read scope of
/// every type it subscribes to. An agency may have at most 100 subscriptions (the operator
/// may set another number); beyond that, `409` until it deletes one.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write", "changes:read"])),
    request_body = NewSubscription,
    responses(
        (status = 201, description = "The subscription, with its signing secret (shown only now)",
            body = CreatedSubscription,
            headers(("Location" = String, description = "The subscription's path"))),
        (status = 400, response = BadRequest),
        (status = 409, description = "The agency already has as many subscriptions as it may \
            (100 unless the operator set `SINERGI_WEBHOOK_MAX_SUBSCRIPTIONS_PER_AGENCY`); \
            delete one it no longer needs to make room",
            body = crate::http::problem::Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:sinergi:problem:conflict", "title": "Conflict", "status": 409,
                "detail": "the agency already has 100 subscriptions, the most it may have (100); \
                    delete one it no longer needs (DELETE /v1/subscriptions/{id}) to make room",
                "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
            })),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/subscriptions")]
pub async fn create_subscription(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    let webhooks = &state.webhooks;
    caller.require(Scope::SubscriptionsWrite)?;
    caller.require(Scope::ChangesRead)?;
    let mut new: NewSubscription = body.parse().await?;
    // Deliveries carry the records themselves.
    for kind in &new.types {
        access::check_read(&caller, *kind)?;
    }
    new.url = check_target(&new.url, &webhooks.allow)
        .await
        .map_err(|refused| ApiError::Validation(vec![FieldError::new("/url", refused)]))?
        .to_string();
    let created: CreatedSubscription = {
        let (kek, max_subscriptions) = (webhooks.kek.clone(), webhooks.max_per_agency);
        let caller = caller.clone();
        trail
            .write(db, move |conn, _| {
                let owner = Owner {
                    agency: &caller.agency,
                    client_id: &caller.client_id,
                    max_subscriptions,
                };
                subscription::create(conn, &kek, new.clone(), owner, now()).map(Answer::created)
            })
            .await?
            .value
    };
    let id = created.subscription.id;
    tracing::info!(subscription.id = %id, client.id = %caller.client_id, "webhook subscription created");
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/v1/subscriptions/{id}")))
        .json(created))
}

/// List your agency's subscriptions.
///
/// Oldest first. Secrets are never shown.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write"])),
    responses(
        (status = 200, description = "The agency's subscriptions", body = SubscriptionList),
    )
)]
#[get("/v1/subscriptions")]
pub async fn list_subscriptions(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<SubscriptionList>, ApiError> {
    let db = &state.db;
    caller.require(Scope::SubscriptionsWrite)?;
    let agency = caller.agency.as_str().to_owned();
    let items = db
        .run(move |conn| {
            let rows = store::list(conn, &agency)?;
            Ok::<_, ApiError>(subscription::views(conn, rows)?)
        })
        .await?;
    Ok(web::Json(SubscriptionList { items }))
}

/// One of your agency's subscriptions.
///
/// Its state, position and retries; the secret is never shown again.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write"])),
    params(("id" = uuid::Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription", body = Subscription),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/subscriptions/{id}")]
pub async fn get_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: SubscriptionId,
) -> Result<web::Json<Subscription>, ApiError> {
    let db = &state.db;
    caller.require(Scope::SubscriptionsWrite)?;
    let id = id.get()?;
    let found = db.run(move |conn| owned(conn, &id, &caller)).await?;
    Ok(web::Json(found))
}

/// Delete one of your agency's subscriptions.
///
/// Deliveries stop (an attempt in flight may still arrive) and the delivery history goes
/// with it.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write"])),
    params(("id" = uuid::Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = NotFound),
    )
)]
#[delete("/v1/subscriptions/{id}")]
pub async fn delete_subscription(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: SubscriptionId,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    caller.require(Scope::SubscriptionsWrite)?;
    let id = id.get()?;
    let agency = caller.agency.as_str().to_owned();
    {
        let id = id.clone();
        trail
            .write(db, move |conn, _| {
                if store::delete(conn, &id, &agency)? {
                    Ok(Answer::no_content(()))
                } else {
                    Err(subscription_not_found())
                }
            })
            .await?;
    }
    tracing::info!(subscription.id = %id, client.id = %caller.client_id, "webhook subscription deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// Deliver again from a position.
///
/// Every matching change after `from` is delivered again, in order; a `failing`
/// subscription becomes active. Use it after restoring a receiver from a backup, or to
/// skip ahead (`from` up to the feed's head). The token needs `changes:read`, as for reading
/// the feed. A `suspended` one is taken over by the calling client, which then needs the read
/// scope of every type it delivers (else `403`).
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write", "changes:read"])),
    params(("id" = uuid::Uuid, Path, description = "The subscription's id"), ReplayQuery),
    responses(
        (status = 200, description = "The subscription, active and continuing after `from`",
            body = Subscription),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[post("/v1/subscriptions/{id}/replay")]
pub async fn replay_subscription(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: SubscriptionId,
    req: HttpRequest,
) -> Result<web::Json<Subscription>, ApiError> {
    caller.require(Scope::SubscriptionsWrite)?;
    caller.require(Scope::ChangesRead)?;
    let id = id.get()?;
    let query: ReplayQuery = parse_query(req.query_string())?;
    reactivate(caller, trail, &state.db, id, Some(query.from)).await
}

/// Resume a failing or suspended subscription.
///
/// Delivery continues with the change that failed, as if it had never been tried; an
/// active subscription stays as it is (its pending retry is tried now). The token needs
/// `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
/// taken over by the calling client, which then needs the read scope of every type it
/// delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write", "changes:read"])),
    params(("id" = uuid::Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription, active", body = Subscription),
        (status = 404, response = NotFound),
    )
)]
#[post("/v1/subscriptions/{id}/enable")]
pub async fn enable_subscription(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: SubscriptionId,
) -> Result<web::Json<Subscription>, ApiError> {
    caller.require(Scope::SubscriptionsWrite)?;
    caller.require(Scope::ChangesRead)?;
    let id = id.get()?;
    reactivate(caller, trail, &state.db, id, None).await
}

/// Makes the subscription active and due now, from `from` when given; audited with the
/// change.
async fn reactivate(
    caller: Caller,
    trail: Trail,
    db: &Db,
    id: String,
    from: Option<u64>,
) -> Result<web::Json<Subscription>, ApiError> {
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
                            return Err(ApiError::query(
                                "from",
                                format!("is beyond the feed's head ({head})"),
                            ));
                        }
                    }
                }
            };
            let current = owned(conn, &id, &caller)?;
            let client = if current.state == State::Suspended {
                // The caller takes it over, and deliveries carry records: it needs the
                // read scope of every type, as at creation.
                for kind in &current.types {
                    access::check_read(&caller, *kind)?;
                }
                &caller.client_id
            } else {
                &current.created_by
            };
            if !store::reactivate(conn, &id, agency, client, position, now())? {
                return Err(subscription_not_found());
            }
            owned(conn, &id, &caller).map(Answer::ok)
        })
        .await?
        .value;
    Ok(web::Json(subscription))
}

/// Recent delivery attempts.
///
/// Newest first: when each attempt was made, for which change, the receiver's status and
/// how long it took, and for a failed one why.
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write"])),
    params(("id" = uuid::Uuid, Path, description = "The subscription's id"), DeliveriesQuery),
    responses(
        (status = 200, description = "The latest attempts, newest first", body = DeliveryList),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/subscriptions/{id}/deliveries")]
pub async fn list_deliveries(
    caller: Caller,
    state: web::Data<AppState>,
    id: SubscriptionId,
    req: HttpRequest,
) -> Result<web::Json<DeliveryList>, ApiError> {
    let db = &state.db;
    caller.require(Scope::SubscriptionsWrite)?;
    let id = id.get()?;
    let query: DeliveriesQuery = parse_query(req.query_string())?;
    let limit = i64::from(query.limit.map_or(DEFAULT_DELIVERIES, PageLimit::get));
    let items = db
        .run(move |conn| {
            owned(conn, &id, &caller)?;
            store::attempts(conn, &id, limit)?
                .into_iter()
                .map(|row| Delivery::try_from(row).map_err(ApiError::from))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(web::Json(DeliveryList { items }))
}
