//! Household events and lineages (scopes `households:write`, `households:read`; see
//! `crate::households`): the documented routes, which extract, call and answer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::problems::BadRequest;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::households::Walk;
use crate::domain::household::NewHouseholdEvent;
use crate::domain::kk::Kk;
use crate::domain::record::CalendarDate;
use crate::households::calls;
use crate::households::model::{HouseholdEvent, Lineage};
use crate::http::extract::{JsonBody, parse_query};
use crate::http::problem::{ApiError, FieldError};
use crate::http::state::AppState;

/// Record a household event.
///
/// What happened to family cards (KK): a `split` (pecah KK), a `merge`, members joining or
/// leaving a card, or a `renumber`, with the day it happened (`effective_on`) and who
/// established it (`source`). Records keep the KK they were published with; the event links
/// the cards, so that the follow-up watch and searches with `follow_lineage=true` follow
/// the family to its new cards.
///
/// Idempotent per `source_record_id`: the same event again answers 200 with the one
/// recorded; a different one under the same id is a 409. An event of another agency that
/// tells the same change differently (the same card's change on the same day, or the same
/// member moved elsewhere) does not stop this one: both are kept and each names the other
/// in `conflicts_with`.
#[utoipa::path(
    tag = "households",
    security(("oauth2" = ["households:write"])),
    request_body = NewHouseholdEvent,
    responses(
        (status = 201, description = "The event, recorded", body = HouseholdEvent),
        (status = 200, description = "The same event was recorded before: that one",
            body = HouseholdEvent),
        (status = 400, response = BadRequest),
        (status = 409, description = "Another event of the caller's agency has this \
            `source_record_id`", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/household-events")]
pub async fn record_household_event(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::HouseholdsWrite)?;
    let new: NewHouseholdEvent = body.parse().await?;
    let (event, created) =
        calls::record(&state.db, &state.agreements, &trail, &caller, new).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(event))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LineageQuery {
    /// Only what had happened by this day (events effective on or before it).
    #[param(value_type = Option<String>, format = Date, example = "2026-06-30")]
    as_of: Option<CalendarDate>,
    /// Only what the exchange had been told by this instant (events recorded at or before
    /// it): the lineage as it was known then.
    known_at: Option<DateTime<Utc>>,
}

/// A family card's lineage.
///
/// The cards the KK came from and the cards it led to, through every recorded split,
/// merge, member move and renumbering (followed up to 64 cards each way), with the events
/// that link them. Events of different agencies that disagree are all shown, each naming
/// the others in `conflicts_with`. A member's NIK is shown only to the agency that recorded
/// the event; other agencies see their own `subject_ref` for it. A KK nothing is known of
/// has an empty lineage.
#[utoipa::path(
    tag = "households",
    security(("oauth2" = ["households:read"])),
    params(("kk" = String, Path, pattern = "^[0-9]{16}$", description = "The family card number"),
        LineageQuery),
    responses(
        (status = 200, description = "The card's lineage", body = Lineage),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/households/{kk}/lineage")]
pub async fn household_lineage(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Lineage>, ApiError> {
    caller.require(Scope::HouseholdsRead)?;
    let kk = Kk::parse(req.match_info().get("kk").unwrap_or_default())
        .map_err(|e| ApiError::Validation(vec![FieldError::new("#/path/kk", e)]))?;
    let q: LineageQuery = parse_query(req.query_string())?;
    let walk = Walk {
        effective_by: q.as_of.map(|d| d.to_string()),
        recorded_by: q.known_at.map(|t| t.timestamp_micros()),
    };
    let lineage = calls::lineage(&state.db, &state.agreements, &trail, &caller, kk, walk).await?;
    Ok(web::Json(lineage))
}
