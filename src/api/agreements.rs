//! Data-sharing agreements (scopes `agreements:read`, `agreements:write`; see
//! `crate::agreements` for the rules): the documented routes, which extract, call and answer.

use actix_web::http::header::{self, LOCATION};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};

use super::ids::AgreementId;
use super::problems::{BadRequest, NotFound, PreconditionFailed};
use crate::agreements::calls;
use crate::agreements::model::{Agreement, AgreementList, AgreementVersions, NewAgreement};
use crate::agreements::ops::Decision;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::domain::agreement::Terms;
use crate::http::extract::JsonBody;
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::records::precondition::{self, Precondition};

/// An agreement with its ETag: the latest version, which `If-Match` names.
fn with_etag(status: actix_web::http::StatusCode, agreement: &Agreement) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, precondition::etag(agreement.latest_version)))
        .json(agreement)
}

/// Propose an agreement.
///
/// The caller's agency is the consumer: it asks `provider_agency` to let it read the records
/// the terms describe. The agreement starts `proposed` and serves no read until the
/// provider approves it. Programs must be the provider's, purposes those of
/// `GET /v1/purposes`, fields those of the listed record kinds.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:write"])),
    request_body = NewAgreement,
    responses(
        (status = 201, description = "The proposed agreement", body = Agreement,
            headers(("Location" = String, description = "The agreement's path"),
                ("ETag" = String, description = "The latest version, for `If-Match`"))),
        (status = 400, response = BadRequest),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/agreements")]
pub async fn propose_agreement(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::AgreementsWrite)?;
    let new = NewAgreement::from_value(body.parse().await?).map_err(ApiError::Validation)?;
    let created = calls::propose(&state.db, &state.agreements, &trail, &caller, new).await?;
    let mut response = with_etag(actix_web::http::StatusCode::CREATED, &created);
    response.headers_mut().insert(
        LOCATION,
        format!("/v1/agreements/{}", created.id)
            .parse()
            .expect("a path is a valid header value"),
    );
    Ok(response)
}

/// List agreements.
///
/// Those the caller's agency is party to, oldest first; the coordinating ministry
/// (KEMENKOPM) sees every agreement.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:read"])),
    responses(
        (status = 200, description = "The agreements", body = AgreementList),
    )
)]
#[get("/v1/agreements")]
pub async fn list_agreements(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<AgreementList>, ApiError> {
    let items = calls::list(&state.db, &caller).await?;
    Ok(web::Json(AgreementList { items }))
}

/// One agreement.
///
/// The terms in force (or, never approved, the latest proposal) and its status; `expired`
/// once `valid_until` has passed. Answers 404 to an agency that is no party to it.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:read"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The agreement", body = Agreement,
            headers(("ETag" = String, description = "The latest version, for `If-Match`"))),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/agreements/{id}")]
pub async fn get_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    id: AgreementId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::AgreementsRead)?;
    let agreement = calls::get(&state.db, &caller, id.get()?).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &agreement))
}

/// Change an agreement's terms.
///
/// Either party sends the whole new terms. Terms that grant nothing beyond those in force
/// (fewer fields, kinds, programs, regions, purposes or search keys, an earlier end, a
/// shorter retention) are in force at once. Terms that grant more, or change the lawful
/// basis, legal reference or document, become a pending version (`pending_version`) that
/// the provider approves; the terms in force stay until then. Send `If-Match` with the
/// agreement's ETag so as not to overwrite a change you have not seen.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:write"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id"),
        ("If-Match" = Option<String>, Header, nullable = false,
            description = "The ETag last read; the change is made only if it is still the latest")),
    request_body = Terms,
    responses(
        (status = 200, description = "The agreement after the change", body = Agreement,
            headers(("ETag" = String, description = "The latest version, for `If-Match`"))),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 409, description = "The agreement is terminated",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 412, response = PreconditionFailed),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[put("/v1/agreements/{id}")]
pub async fn amend_agreement(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: AgreementId,
    req: HttpRequest,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::AgreementsWrite)?;
    let id = id.get()?;
    let if_match = req
        .headers()
        .get(header::IF_MATCH)
        .map(|v| Precondition::parse(v.to_str().ok()));
    let terms: Terms = body.parse().await?;
    let changed = calls::amend(
        &state.db,
        &state.agreements,
        &trail,
        &caller,
        id,
        terms,
        if_match,
    )
    .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &changed))
}

/// Every version of an agreement.
///
/// Oldest first, each with its terms, who proposed it and when it came into force: the
/// agreement's whole history, as both parties and the coordinating ministry see it.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:read"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The versions", body = AgreementVersions),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/agreements/{id}/versions")]
pub async fn agreement_versions(
    caller: Caller,
    state: web::Data<AppState>,
    id: AgreementId,
) -> Result<web::Json<AgreementVersions>, ApiError> {
    caller.require(Scope::AgreementsRead)?;
    let items = calls::versions(&state.db, &caller, id.get()?).await?;
    Ok(web::Json(AgreementVersions { items }))
}

async fn decide(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: AgreementId,
    decision: Decision,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::AgreementsWrite)?;
    let decided = calls::decide(
        &state.db,
        &state.agreements,
        &trail,
        &caller,
        id.get()?,
        decision,
    )
    .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &decided))
}

/// Approve an agreement (the provider).
///
/// A proposed agreement becomes `active`; a pending version comes into force; a suspended
/// agreement resumes.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:write"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The agreement after the approval", body = Agreement),
        (status = 403, description = "The caller's agency is the consumer, not the provider",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "Nothing awaits approval, or the agreement is terminated",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/agreements/{id}/approve")]
pub async fn approve_agreement(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: AgreementId,
) -> Result<HttpResponse, ApiError> {
    decide(caller, trail, state, id, Decision::Approve).await
}

/// Suspend an agreement (the provider).
///
/// Reads under it stop within seconds on every instance; approving it again resumes it.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:write"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The suspended agreement", body = Agreement),
        (status = 403, description = "The caller's agency is the consumer, not the provider",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "The agreement is not active",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/agreements/{id}/suspend")]
pub async fn suspend_agreement(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: AgreementId,
) -> Result<HttpResponse, ApiError> {
    decide(caller, trail, state, id, Decision::Suspend).await
}

/// Terminate an agreement (either party).
///
/// For good: reads under it stop within seconds, and it cannot be approved again.
#[utoipa::path(
    tag = "agreements",
    security(("oauth2" = ["agreements:write"])),
    params(("id" = uuid::Uuid, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The terminated agreement", body = Agreement),
        (status = 404, response = NotFound),
        (status = 409, description = "The agreement is terminated already",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/agreements/{id}/terminate")]
pub async fn terminate_agreement(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: AgreementId,
) -> Result<HttpResponse, ApiError> {
    decide(caller, trail, state, id, Decision::Terminate).await
}
