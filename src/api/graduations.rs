//! Graduation records (graduasi): a family leaves a social-assistance program.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ids::RecordId;
use super::problems::{
    BadRequest, NotCovered, NotFound, PayloadTooLarge, PreconditionFailed, UnsupportedMediaType,
};
use super::records::{self, BatchQuery, CommonFilters, NumberFilter, PageLimit, RetractQuery};
use crate::audit::trail::Trail;
use crate::auth::Caller;
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::graduation::{
    Graduation, GraduationInput, graduation_example, graduation_input_example,
};
use crate::domain::record::CalendarDate;
use crate::domain::region::AnyRegionCode;
use crate::http::extract::{JsonBody, Query};
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::records::batch::BatchResults;
use crate::records::disclose::Excluded;

/// A batch of graduations to publish.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = batch_example)]
#[allow(dead_code)] // Documents the body; the handler reads items one by one.
pub struct GraduationBatch {
    #[schema(min_items = 1, max_items = 1000)]
    items: Vec<GraduationInput>,
}

/// One page of graduations, in the order they were first published.
#[derive(Serialize, ToSchema)]
#[schema(example = page_example)]
pub struct GraduationPage {
    /// Each record as the reader may see it (see [`Graduation`]).
    #[schema(value_type = Vec<Graduation>)]
    items: Vec<Box<serde_json::value::RawValue>>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
    /// Publishers whose records this search did not look at, and why: none when the search
    /// named the caller's own agency, every other publisher without an agreement in force
    /// for the declared purpose otherwise. Never a silent partial answer.
    excluded_publishers: Vec<Excluded>,
}

/// Every version of one graduation, oldest first.
#[derive(Serialize, ToSchema)]
#[schema(example = history_example)]
pub struct GraduationHistory {
    #[schema(value_type = Vec<Graduation>)]
    items: Vec<serde_json::Value>,
}

fn batch_example() -> serde_json::Value {
    serde_json::json!({"items": [graduation_input_example()]})
}

fn page_example() -> serde_json::Value {
    serde_json::json!({
        "items": [graduation_example()],
        "next_cursor": "AZrJsl8-ehCMHSueT2p8gNX3yNwAK1fX0pWw3xVjQ6A",
        "excluded_publishers": [{"agency": "KEMENKOP", "reason": "no-agreement"}]
    })
}

fn history_example() -> serde_json::Value {
    let first = graduation_example();
    let mut retracted = first.clone();
    retracted["version"] = 2.into();
    retracted["updated_at"] = "2026-09-01T01:00:00Z".into();
    retracted["retracted"] = true.into();
    retracted["retraction_reason"] = "Data ganda: keluarga sudah tercatat dengan id lain".into();
    serde_json::json!({"items": [first, retracted]})
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GraduationQuery {
    /// Graduations naming this NIK as household head or member.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201011507850003")]
    nik: Option<NumberFilter>,
    /// Graduations of the family with this KK.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201012308150007")]
    kk: Option<NumberFilter>,
    /// With `kk`: also the records of the cards that KK came from and led to (splits,
    /// merges, member moves, renumbering recorded at `/v1/household-events`). Each record
    /// keeps the KK it was published with. Default `false`.
    follow_lineage: Option<bool>,
    /// Only this program.
    #[param(value_type = Option<String>, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = "PKH")]
    program: Option<ProgramCode>,
    /// Only records published by this agency.
    #[param(value_type = Option<String>, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = "KEMENSOS")]
    publisher: Option<AgencyCode>,
    /// Families living in this region: a province (`32`), regency (`32.01`), district
    /// (`32.01.01`) or village code, with or without dots.
    #[param(inline)]
    region: Option<AnyRegionCode>,
    /// Graduated on or after this date.
    #[param(value_type = Option<String>, format = Date, example = "2026-01-01")]
    graduated_from: Option<CalendarDate>,
    /// Graduated on or before this date.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    graduated_to: Option<CalendarDate>,
    /// Only records written (created, changed or retracted) after this instant.
    updated_after: Option<DateTime<Utc>>,
    /// Also return retracted records (tombstones). Default `false`.
    include_retracted: Option<bool>,
    /// Records per page, 1 to 1000 (default 100).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<PageLimit>,
    /// `next_cursor` of the previous page, with the same filters.
    cursor: Option<String>,
}

/// Publish one graduation.
///
/// Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
/// new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
/// is the same as the current version, so re-sending a whole data set every night writes
/// nothing new. The program must be an active `social_assistance` program of your agency.
/// Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:write"])),
    params(("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#,
        description = "Write only if the record's current ETag is one of these, or with `*` only if it exists; a value that is neither matches nothing")),
    request_body = GraduationInput,
    responses(
        (status = 201, description = "Created as version 1", body = Graduation, headers(
            ("ETag" = String, description = "The version's entity tag, e.g. `\"1\"`"),
            ("Location" = String, description = "The record's URL"),
            ("Sinergi-Result" = String, description = "`created`"))),
        (status = 200, description = "Updated to a new version, or unchanged", body = Graduation,
            headers(
            ("ETag" = String, description = "The current version's entity tag"),
            ("Sinergi-Result" = String, description = "`updated` or `unchanged`"))),
        (status = 400, response = BadRequest),
        (status = 412, response = PreconditionFailed),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[post("/v1/graduations")]
pub async fn publish_graduation(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    records::publish_one::<GraduationInput>(caller, db, &req, &trail, body).await
}

/// Publish up to 1,000 graduations at once.
///
/// One result per item, in input order, each `created`, `updated`, `unchanged` or
/// `rejected` with errors pointing into the batch (`/items/7/household/kk`). Valid items
/// are published even when others are rejected, unless `atomic=true`: then any rejected
/// item fails the whole batch with 400 and nothing is written. Two items with the same
/// `source_record_id` are both rejected.
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:write"])),
    params(BatchQuery),
    request_body = GraduationBatch,
    responses(
        (status = 200, description = "One result per item", body = BatchResults),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[post("/v1/graduations/batch")]
pub async fn publish_graduation_batch(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    query: Query<BatchQuery>,
    req: HttpRequest,
    body: JsonBody,
) -> Result<web::Json<BatchResults>, ApiError> {
    let db = &state.db;
    records::publish_batch::<GraduationInput>(
        caller,
        db,
        state.max_batch_items,
        query.0,
        &req,
        &trail,
        body,
    )
    .await
}

/// Search graduations.
///
/// Every agency's graduations, filtered, in the order they were first published. Follow
/// `next_cursor` for further pages; paging stays correct while others publish.
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:read"])),
    params(GraduationQuery),
    responses(
        (status = 200, description = "One page of graduations", body = GraduationPage),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
    )
)]
#[get("/v1/graduations")]
pub async fn search_graduations(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    query: Query<GraduationQuery>,
) -> Result<web::Json<GraduationPage>, ApiError> {
    let q = query.0;
    let search = CommonFilters {
        nik: q.nik,
        kk: q.kk,
        follow_lineage: q.follow_lineage,
        program: q.program,
        publisher: q.publisher,
        region: q.region,
        from: q.graduated_from,
        to: q.graduated_to,
        updated_after: q.updated_after,
        include_retracted: q.include_retracted,
        limit: q.limit,
        cursor: q.cursor,
    }
    .into_search()?;
    let page = records::search::<GraduationInput>(caller, &state, search, &trail).await?;
    Ok(web::Json(GraduationPage {
        items: page.items,
        next_cursor: page.next_cursor,
        excluded_publishers: page.excluded_publishers,
    }))
}

/// Read one graduation.
///
/// Retracted records are answered too, with `retracted: true`. Send the `ETag` back in
/// `If-None-Match` to get `304` while the record is unchanged.
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:read"])),
    params(
        ("id" = uuid::Uuid, Path, description = "The graduation's id"),
        ("If-None-Match" = Option<String>, Header, nullable = false, description = "ETags the client already has"),
    ),
    responses(
        (status = 200, description = "The graduation's current version", body = Graduation,
            headers(("ETag" = String, description = "The version's entity tag"))),
        (status = 304, description = "Unchanged since the ETag in `If-None-Match`",
            headers(("ETag" = String, description = "The version's entity tag"))),
        (status = 403, response = NotCovered),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/graduations/{id}")]
pub async fn get_graduation(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<GraduationInput>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    records::get_one::<GraduationInput>(caller, &state, id, &req, &trail).await
}

/// Every version of one graduation.
///
/// Each version as it was written, retractions included, oldest first: who changed what
/// and when, for reconciliation and audits.
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:read"])),
    params(("id" = uuid::Uuid, Path, description = "The graduation's id")),
    responses(
        (status = 200, description = "Every version, oldest first", body = GraduationHistory),
        (status = 403, response = NotCovered),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/graduations/{id}/history")]
pub async fn graduation_history(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<GraduationInput>,
) -> Result<web::Json<GraduationHistory>, ApiError> {
    let items = records::history::<GraduationInput>(caller, &state, id, &trail).await?;
    Ok(web::Json(GraduationHistory { items }))
}

/// Retract one of your graduations.
///
/// The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
/// Publishing the same `source_record_id` again later restores it as a new version. Only
/// the publisher may retract. Retracting a retracted record changes nothing
/// (`Sinergi-Result: unchanged`).
#[utoipa::path(
    tag = "graduations",
    security(("oauth2" = ["graduations:write"])),
    params(
        ("id" = uuid::Uuid, Path, description = "The graduation's id"),
        RetractQuery,
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#,
            description = "Retract only if the record's current ETag is one of these; a value that is not a list of entity tags matches nothing"),
    ),
    responses(
        (status = 200, description = "The record as it now is", body = Graduation, headers(
            ("ETag" = String, description = "The current version's entity tag"),
            ("Sinergi-Result" = String, description = "`retracted` or `unchanged`"))),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/v1/graduations/{id}")]
pub async fn retract_graduation(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<GraduationInput>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    records::retract::<GraduationInput>(caller, db, id, &req, &trail).await
}
