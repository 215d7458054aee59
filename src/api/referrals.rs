//! Referrals (scopes `referrals:read`, `referrals:write`; see `crate::referrals` for the
//! rules): the documented routes, which extract, call and answer.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, LOCATION};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::ids::ReferralId;
use super::problems::{BadRequest, NotCovered, NotFound, PreconditionFailed};
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::referrals::Filter;
use crate::domain::code::AgencyCode;
use crate::domain::referral::{NewReferral, Status, TransitionRequest};
use crate::http::extract::{JsonBody, parse_query};
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::records::precondition::{self, Precondition};
use crate::referrals::calls;
use crate::referrals::model::{Referral, ReferralList, ReferralReasonList};

/// Referrals per page when the client does not say, and at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;

fn with_etag(status: StatusCode, referral: &Referral) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, precondition::etag(referral.version)))
        .json(referral)
}

/// Refer a graduated family.
///
/// The caller's agency published the graduation (or is the coordinating ministry,
/// KEMENKOPM). The referral is offered at once to every agency of `offered_to`; the first to
/// accept owns it. A referral discloses the family: every agency of `offered_to` and
/// `fallback_to` needs a data-sharing agreement in force with the graduation's publisher
/// covering the graduation for `purpose` (else 403 naming the agency's place in the
/// request), and each sees the family as that agreement's `fields` allow.
///
/// Idempotent per `source_record_id`: the same request again answers 200 with the referral
/// already made; a different one under the same id is a 409.
///
/// The life of a referral, which the exchange enforces:
///
/// ```text
/// offered ──accepted──▶ accepted ──enrolled──▶ enrolled
///   │ ├─declined (per agency; declined when all did and no fallback is left)
///   │ └─withdrawn (requester)      accepted ──released──▶ offered again (released if none left)
///   └─respond_by passed: overdue, then offered to fallback_to, or lapsed
/// accepted ──complete_by passed──▶ overdue, lapsed;  accepted ──withdrawn (requester)
/// ```
#[utoipa::path(
    tag = "referrals",
    security(("oauth2" = ["referrals:write"])),
    request_body = NewReferral,
    responses(
        (status = 201, description = "The referral, offered", body = Referral,
            headers(("Location" = String, description = "The referral's path"),
                ("ETag" = String, description = "The referral's version, for `If-Match`"))),
        (status = 200, description = "The same request was made before: the referral it made",
            body = Referral,
            headers(("Location" = String, description = "The referral's path"),
                ("ETag" = String, description = "The referral's version, for `If-Match`"))),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
        (status = 409, description = "Another referral of the caller's agency has this \
            `source_record_id`", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/referrals")]
pub async fn create_referral(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::ReferralsWrite)?;
    let new: NewReferral = body.parse().await?;
    let (referral, created) =
        calls::create(&state.db, &state.agreements, &trail, &caller, new).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = with_etag(status, &referral);
    response.headers_mut().insert(
        LOCATION,
        format!("/v1/referrals/{}", referral.id)
            .parse()
            .expect("a path is a valid header value"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralsQuery {
    /// Comma-separated statuses: offered, accepted, enrolled, declined, withdrawn,
    /// released, lapsed.
    #[param(value_type = Option<String>, example = "offered,accepted",
        pattern = "^(offered|accepted|enrolled|declined|withdrawn|released|lapsed)(,(offered|accepted|enrolled|declined|withdrawn|released|lapsed))*$")]
    status: Option<String>,
    /// Only referrals of this graduation.
    graduation_id: Option<uuid::Uuid>,
    /// `received`: only those offered to the caller's agency (its queue); `made`: only
    /// those it made.
    #[param(value_type = Option<String>, pattern = "^(received|made)$")]
    role: Option<String>,
    /// The `next` of the previous page.
    after: Option<uuid::Uuid>,
    /// Referrals per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// List referrals.
///
/// Those the caller's agency made, was offered (a fallback once offered) or whose family it
/// graduated; the coordinating ministry sees all. Oldest first, in pages (`next`). Each
/// shows the family as the agreement between the graduation's publisher and the caller's
/// agency allows, and only a `subject_ref` where none does.
#[utoipa::path(
    tag = "referrals",
    security(("oauth2" = ["referrals:read"])),
    params(ReferralsQuery),
    responses(
        (status = 200, description = "A page of referrals", body = ReferralList),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/referrals")]
pub async fn list_referrals(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<ReferralList>, ApiError> {
    caller.require(Scope::ReferralsRead)?;
    let q: ReferralsQuery = parse_query(req.query_string())?;
    let statuses = match q.status.as_deref() {
        None => Vec::new(),
        Some(text) => text
            .split(',')
            .map(|s| {
                Status::parse(s.trim()).map(Status::as_str).ok_or_else(|| {
                    ApiError::query(
                        "status",
                        "an item is not a referral status (offered, accepted, enrolled, \
                         declined, withdrawn, released, lapsed)",
                    )
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let limit = match q.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return Err(ApiError::query("limit", "must be between 1 and 500")),
    };
    let agency: &AgencyCode = &caller.agency;
    let mut filter = Filter {
        statuses,
        graduation_id: q.graduation_id.map(|g| g.to_string()),
        after: q.after.map(|a| a.to_string()),
        ..Filter::default()
    };
    match q.role.as_deref() {
        None => {}
        Some("received") => filter.offered_to = Some(agency.to_string()),
        Some("made") => filter.requester = Some(agency.to_string()),
        Some(_) => return Err(ApiError::query("role", "must be received or made")),
    }
    let page = calls::list(&state.db, &state.agreements, &trail, &caller, filter, limit).await?;
    Ok(web::Json(page))
}

/// One referral.
///
/// Answers 404 to an agency that may not see it (neither requester, the graduation's
/// publisher, an agency it was offered to, nor the coordinating ministry).
#[utoipa::path(
    tag = "referrals",
    security(("oauth2" = ["referrals:read"])),
    params(("id" = uuid::Uuid, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral", body = Referral,
            headers(("ETag" = String, description = "The referral's version, for `If-Match`"))),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/referrals/{id}")]
pub async fn get_referral(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: ReferralId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::ReferralsRead)?;
    let referral = calls::get(&state.db, &state.agreements, &trail, &caller, id.get()?).await?;
    Ok(with_etag(StatusCode::OK, &referral))
}

/// Take a step in a referral's life.
///
/// `to` is the state asked for. An agency it is offered to `accepted` (the first wins) or
/// `declined` (with a `decline` reason); the owner `enrolled` (with its `enrollment_id`;
/// publishing that enrollment does it too) or `released` (with a `release` reason: the
/// referral is offered again to the agencies that have not answered, then to the
/// fallbacks); the requester `withdrawn` (with a `withdrawal` reason). `lapsed` is only
/// the exchange's, when a deadline passes. A step the caller may not take from the
/// referral's status gets 409 `illegal-transition` with `allowed_transitions`. Send
/// `If-Match` with the ETag last read so as not to act on a state you have not seen.
#[utoipa::path(
    tag = "referrals",
    security(("oauth2" = ["referrals:write"])),
    params(("id" = uuid::Uuid, Path, description = "The referral's id"),
        ("If-Match" = Option<String>, Header, nullable = false,
            description = "The ETag last read; the step is taken only if it is still current")),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The referral after the step", body = Referral,
            headers(("ETag" = String, description = "The referral's version, for `If-Match`"))),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
        (status = 404, response = NotFound),
        (status = 409, description = "The caller may not take this step from the referral's \
            status (`allowed_transitions` lists those it may), or another agency accepted it \
            first", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 412, response = PreconditionFailed),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/referrals/{id}/transitions")]
pub async fn transition_referral(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: ReferralId,
    req: HttpRequest,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::ReferralsWrite)?;
    let id = id.get()?;
    let if_match = req
        .headers()
        .get(header::IF_MATCH)
        .map(|v| Precondition::parse(v.to_str().ok()));
    let step: TransitionRequest = body.parse().await?;
    let moved = calls::transition(
        &state.db,
        &state.agreements,
        &trail,
        &caller,
        id,
        step,
        if_match,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, &moved))
}

/// List the referral reasons.
///
/// Why a family is referred (`applies_to: referral`), and why a referral is declined,
/// withdrawn or released: a shared list, so that reasons can be counted across agencies.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    responses(
        (status = 200, description = "Every reason, by use and code", body = ReferralReasonList),
    )
)]
#[get("/v1/referral-reasons")]
pub async fn list_referral_reasons(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<ReferralReasonList>, ApiError> {
    let items = calls::reasons(&state.db).await?;
    Ok(web::Json(ReferralReasonList { items }))
}
