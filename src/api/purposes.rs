//! Purposes of processing: the reference list every read of another agency's records names
//! (`Sinergi-Purpose`), and the operator's way to add one (scope `admin`).

use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::problems::BadRequest;
use crate::agreements::purposes;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db;
use crate::domain::reference::Purpose;
use crate::http::extract::JsonBody;
use crate::http::problem::ApiError;
use crate::http::state::AppState;

/// `{"items": [...]}`: every purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeList {
    pub items: Vec<Purpose>,
}

/// List the purposes of processing.
///
/// A read of another agency's records declares one in `Sinergi-Purpose` (`CODE`, or
/// `CODE: free text`), and is served only under an agreement that covers it.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    responses(
        (status = 200, description = "All purposes, ordered by code", body = PurposeList),
    )
)]
#[get("/v1/purposes")]
pub async fn list_purposes(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<PurposeList>, ApiError> {
    let items = state
        .db
        .run(|conn| db::purposes::list(conn).map_err(ApiError::from))
        .await?;
    Ok(web::Json(PurposeList { items }))
}

/// Add a purpose of processing.
///
/// Its code must be new; the names (Bahasa Indonesia and English) and the description are
/// what agreements' parties and data subjects read. Purposes are not removed: past reads and
/// agreements name them.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    request_body = Purpose,
    responses(
        (status = 201, description = "The new purpose", body = Purpose),
        (status = 400, response = BadRequest),
        (status = 409, description = "A purpose with this code exists already",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/admin/purposes")]
pub async fn create_purpose(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::Admin)?;
    let purpose: Purpose = body.parse().await?;
    let created = trail
        .write(&state.db, move |conn, _| {
            purposes::create(conn, purpose.clone())
        })
        .await
        .map_err(ApiError::from)?
        .value;
    Ok(HttpResponse::Created().json(created))
}
