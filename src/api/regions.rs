//! Lookup of Kemendagri region codes, so integrators can check a code before publishing.

use actix_web::{get, web};

use super::problems::{BadRequest, NotFound};
use crate::auth::Caller;
use crate::db::{self, regions::Region};
use crate::domain::region::AnyRegionCode;
use crate::http::problem::{ApiError, FieldError};
use crate::http::state::AppState;

/// One region (province, regency, district or village) by its code, dotted or not.
///
/// The table is Kemendagri's official code list as shipped with this release. Use it to check a
/// `region_code` before publishing: records need an existing village code.
#[utoipa::path(
    tag = "reference data",
    security(("oauth2" = [])),
    params(("code" = String, Path,
        description = "A province (`33`), regency (`33.01`), district (`33.01.01`) or village \
            (`33.01.01.2001`) code; the dots are optional",
        example = "33.01.01.2001", pattern = "^([0-9]{2}(\\.[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{4})?)?)?|[0-9]{4}|[0-9]{6}|[0-9]{10})$")),
    responses(
        (status = 200, description = "The region", body = Region),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/regions/{code}")]
pub async fn get_region(
    _caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<Region>, ApiError> {
    let db = &state.db;
    let code = AnyRegionCode::parse(&code)
        .map_err(|e| ApiError::Validation(vec![FieldError::path("code", e)]))?;
    let dotted = code.as_str().to_owned();
    let found = db
        .run(move |conn| db::regions::get(conn, &dotted).map_err(ApiError::from))
        .await?;
    found
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound("no region has this code".into()))
}
