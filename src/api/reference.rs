//! Reference data: agencies and programs.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problems::{BadRequest, NotFound};
use crate::auth::Caller;
use crate::db::{self, programs::ProgramFilter};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::reference::{Agency, Program, ProgramKind};
use crate::http::extract::Query;
use crate::http::problem::{ApiError, FieldError};
use crate::http::state::AppState;

/// `{"items": [...]}`: every agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyList {
    pub items: Vec<Agency>,
}

/// `{"items": [...]}`: the programs that matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramList {
    pub items: Vec<Program>,
}

/// List every agency taking part in the exchange.
///
/// Agencies are ministries and institutions; each publishing system belongs to one.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    responses(
        (status = 200, description = "All agencies, ordered by code", body = AgencyList,
            example = json!({"items": [{"code": "KEMENSOS", "name": "Kementerian Sosial"}]})),
    )
)]
#[get("/v1/agencies")]
pub async fn list_agencies(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<AgencyList>, ApiError> {
    let db = &state.db;
    let items = db
        .run(|conn| db::agencies::list(conn).map_err(ApiError::from))
        .await?;
    Ok(web::Json(AgencyList { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// Only programs of this agency.
    #[param(example = "KEMENSOS")]
    agency: Option<AgencyCode>,
    /// Only programs of this kind.
    #[param(inline)]
    kind: Option<ProgramKind>,
    /// Only active (`true`) or inactive (`false`) programs.
    active: Option<bool>,
}

/// List programs, optionally filtered by agency, kind and whether they are active.
///
/// A `social_assistance` program (bansos such as PKH) is one families graduate out of; an
/// `empowerment` program is one they can be enrolled in afterwards. Unknown filters are refused.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    params(ProgramQuery),
    responses(
        (status = 200, description = "The matching programs, ordered by code", body = ProgramList,
            example = json!({"items": [{"code": "PKH", "name": "Program Keluarga Harapan",
                "agency": "KEMENSOS", "kind": "social_assistance", "active": true}]})),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/programs")]
pub async fn list_programs(
    _caller: Caller,
    state: web::Data<AppState>,
    Query(q): Query<ProgramQuery>,
) -> Result<web::Json<ProgramList>, ApiError> {
    let db = &state.db;
    let filter = ProgramFilter {
        agency: q.agency,
        kind: q.kind,
        active: q.active,
    };
    let items = db
        .run(move |conn| db::programs::list(conn, &filter).map_err(ApiError::from))
        .await?;
    Ok(web::Json(ProgramList { items }))
}

/// One program by its code.
///
/// Answers 404 when no program has that code; inactive programs are returned too.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    params(("code" = String, Path, description = "The program's code", example = "PKH",
        pattern = "^[A-Z][A-Z0-9_]{1,31}$")),
    responses(
        (status = 200, description = "The program", body = Program),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/programs/{code}")]
pub async fn get_program(
    _caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<Program>, ApiError> {
    let db = &state.db;
    let code = ProgramCode::parse(&code)
        .map_err(|e| ApiError::Validation(vec![FieldError::path("code", e)]))?;
    let found = {
        let code = code.clone();
        db.run(move |conn| db::programs::get(conn, &code).map_err(ApiError::from))
            .await?
    };
    found
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound("no program has this code".into()))
}
