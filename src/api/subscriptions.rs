//! Webhook subscriptions (scope `subscriptions:write`; see `crate::subscriptions` for the
//! rules): the documented routes, which extract, call the subscriptions layer and answer.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ids::SubscriptionId;
use super::problems::{BadRequest, NotCovered, NotFound};
use super::records::PageLimit;
use crate::audit::trail::Trail;
use crate::auth::Caller;
use crate::http::extract::{JsonBody, parse_query};
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::subscriptions::model::{CreatedSubscription, Delivery, NewSubscription, Subscription};
use crate::subscriptions::ops;

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
///
/// Another agency's changes are delivered only under a data-sharing agreement in force for
/// the subscription's `purpose`, each record with the agreement's fields, as the feed shows
/// them. Naming in `publishers` an agency that no agreement covers for it is refused with
/// `403` naming the reason; when a named publisher's agreement is later suspended,
/// terminated or expires, the subscription shows `not_covered` and waits, then delivers
/// what it held back once an agreement is in force again. With the type `agreement` (and
/// `agreements:read`), the steps of the agreements the agency is party to are delivered too
/// (`agreement.suspended`, `agreement.expiring`, …).
#[utoipa::path(
    tag = "subscriptions",
    security(("oauth2" = ["subscriptions:write", "changes:read"])),
    request_body = NewSubscription,
    responses(
        (status = 201, description = "The subscription, with its signing secret (shown only now)",
            body = CreatedSubscription,
            headers(("Location" = String, description = "The subscription's path"))),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
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
    // Checked before the body is read, so that a caller without the scopes learns nothing
    // about the schema.
    ops::may_start(&caller)?;
    let new: NewSubscription = body.parse().await?;
    let created = ops::create(
        &state.db,
        &trail,
        &caller,
        &state.webhooks,
        &state.agreements,
        new,
    )
    .await?;
    let id = created.subscription.id;
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
    let items = ops::list(&state.db, &state.agreements, &caller).await?;
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
    ops::may_manage(&caller)?;
    Ok(web::Json(
        ops::get(&state.db, &state.agreements, &caller, id.get()?).await?,
    ))
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
    ops::may_manage(&caller)?;
    ops::delete(&state.db, &trail, &caller, id.get()?).await?;
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
    ops::may_start(&caller)?;
    let id = id.get()?;
    let query: ReplayQuery = parse_query(req.query_string())?;
    let subscription = ops::reactivate(
        &state.db,
        &trail,
        &caller,
        &state.agreements,
        id,
        Some(query.from),
    )
    .await?;
    Ok(web::Json(subscription))
}

/// Resume a failing or suspended subscription.
///
/// Delivery continues with the change that failed, as if it had never been tried; an
/// active subscription stays as it is (its pending retry is tried now). The token needs
/// `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
/// taken over by the calling client, which then needs the read scope of every type it
/// delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
/// A `not_covered` one stays so: only an agreement in force lets its deliveries resume.
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
    ops::may_start(&caller)?;
    let subscription = ops::reactivate(
        &state.db,
        &trail,
        &caller,
        &state.agreements,
        id.get()?,
        None,
    )
    .await?;
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
    ops::may_manage(&caller)?;
    let id = id.get()?;
    let query: DeliveriesQuery = parse_query(req.query_string())?;
    let limit = i64::from(query.limit.map_or(DEFAULT_DELIVERIES, PageLimit::get));
    let items = ops::deliveries(&state.db, &caller, id, limit).await?;
    Ok(web::Json(DeliveryList { items }))
}
