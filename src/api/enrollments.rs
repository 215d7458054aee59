//! Enrollment records (kepesertaan): a person or family joins a program.

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
use crate::domain::enrollment::{
    Enrollment, EnrollmentInput, EnrollmentStatus, enrollment_example, enrollment_input_example,
};
use crate::domain::record::CalendarDate;
use crate::domain::region::AnyRegionCode;
use crate::http::extract::{JsonBody, Query};
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::records::batch::BatchResults;
use crate::records::disclose::Excluded;

/// A batch of enrollments to publish.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = batch_example)]
#[allow(dead_code)] // Documents the body; the handler reads items one by one.
pub struct EnrollmentBatch {
    #[schema(min_items = 1, max_items = 1000)]
    items: Vec<EnrollmentInput>,
}

/// One page of enrollments, in the order they were first published.
#[derive(Serialize, ToSchema)]
#[schema(example = page_example)]
pub struct EnrollmentPage {
    /// Each record as the reader may see it (see [`Enrollment`]).
    #[schema(value_type = Vec<Enrollment>)]
    items: Vec<Box<serde_json::value::RawValue>>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
    /// Publishers whose records this search did not look at, and why: none when the search
    /// named the caller's own agency, every other publisher without an agreement in force
    /// for the declared purpose otherwise. Never a silent partial answer.
    excluded_publishers: Vec<Excluded>,
}

/// Every version of one enrollment, oldest first.
#[derive(Serialize, ToSchema)]
#[schema(example = history_example)]
pub struct EnrollmentHistory {
    #[schema(value_type = Vec<Enrollment>)]
    items: Vec<serde_json::Value>,
}

fn batch_example() -> serde_json::Value {
    serde_json::json!({"items": [enrollment_input_example()]})
}

fn page_example() -> serde_json::Value {
    serde_json::json!({
        "items": [enrollment_example()],
        "next_cursor": "AZrJsl8-ehCMHSueT2p8gNX3yNwAK1fX0pWw3xVjQ6A",
        "excluded_publishers": [{"agency": "KEMENKOP", "reason": "no-agreement"}]
    })
}

fn history_example() -> serde_json::Value {
    let first = enrollment_example();
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
pub struct EnrollmentQuery {
    /// Enrollments whose subject is the person with this NIK.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201011507850003")]
    nik: Option<NumberFilter>,
    /// Enrollments whose subject is the family with this KK.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201012308150007")]
    kk: Option<NumberFilter>,
    /// With `kk`: also the records of the cards that KK came from and led to (splits,
    /// merges, member moves, renumbering recorded at `/v1/household-events`). Each record
    /// keeps the KK it was published with. Default `false`.
    follow_lineage: Option<bool>,
    /// Only this program.
    #[param(value_type = Option<String>, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = "PKTD")]
    program: Option<ProgramCode>,
    /// Only records published by this agency.
    #[param(value_type = Option<String>, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = "KEMENDES")]
    publisher: Option<AgencyCode>,
    /// Enrollments in this region: a province (`32`), regency (`32.01`), district
    /// (`32.01.01`) or village code, with or without dots.
    #[param(inline)]
    region: Option<AnyRegionCode>,
    /// Enrolled on or after this date.
    #[param(value_type = Option<String>, format = Date, example = "2026-01-01")]
    enrolled_from: Option<CalendarDate>,
    /// Enrolled on or before this date.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    enrolled_to: Option<CalendarDate>,
    /// Only enrollments in this status.
    #[param(inline)]
    status: Option<EnrollmentStatus>,
    /// Only enrollments that followed this graduation.
    graduation_id: Option<uuid::Uuid>,
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

/// Publish one enrollment.
///
/// Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
/// new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
/// is the same as the current version. The program must be an active program of your
/// agency; `graduation_id`, when given, must name a graduation published on the exchange.
/// Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:write"])),
    params(("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#,
        description = "Write only if the record's current ETag is one of these, or with `*` only if it exists; a value that is neither matches nothing")),
    request_body = EnrollmentInput,
    responses(
        (status = 201, description = "Created as version 1", body = Enrollment, headers(
            ("ETag" = String, description = "The version's entity tag, e.g. `\"1\"`"),
            ("Location" = String, description = "The record's URL"),
            ("Sinergi-Result" = String, description = "`created`"))),
        (status = 200, description = "Updated to a new version, or unchanged", body = Enrollment,
            headers(
            ("ETag" = String, description = "The current version's entity tag"),
            ("Sinergi-Result" = String, description = "`updated` or `unchanged`"))),
        (status = 400, response = BadRequest),
        (status = 412, response = PreconditionFailed),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[post("/v1/enrollments")]
pub async fn publish_enrollment(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    records::publish_one::<EnrollmentInput>(caller, db, &req, &trail, body).await
}

/// Publish up to 1,000 enrollments at once.
///
/// One result per item, in input order, each `created`, `updated`, `unchanged` or
/// `rejected` with errors pointing into the batch (`/items/7/subject/nik`). Valid items
/// are published even when others are rejected, unless `atomic=true`: then any rejected
/// item fails the whole batch with 400 and nothing is written. Two items with the same
/// `source_record_id` are both rejected.
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:write"])),
    params(BatchQuery),
    request_body = EnrollmentBatch,
    responses(
        (status = 200, description = "One result per item", body = BatchResults),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[post("/v1/enrollments/batch")]
pub async fn publish_enrollment_batch(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    query: Query<BatchQuery>,
    req: HttpRequest,
    body: JsonBody,
) -> Result<web::Json<BatchResults>, ApiError> {
    let db = &state.db;
    records::publish_batch::<EnrollmentInput>(
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

/// Search enrollments.
///
/// Every agency's enrollments, filtered, in the order they were first published. Follow
/// `next_cursor` for further pages; paging stays correct while others publish.
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:read"])),
    params(EnrollmentQuery),
    responses(
        (status = 200, description = "One page of enrollments", body = EnrollmentPage),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
    )
)]
#[get("/v1/enrollments")]
pub async fn search_enrollments(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    query: Query<EnrollmentQuery>,
) -> Result<web::Json<EnrollmentPage>, ApiError> {
    let q = query.0;
    let mut search = CommonFilters {
        nik: q.nik,
        kk: q.kk,
        follow_lineage: q.follow_lineage,
        program: q.program,
        publisher: q.publisher,
        region: q.region,
        from: q.enrolled_from,
        to: q.enrolled_to,
        updated_after: q.updated_after,
        include_retracted: q.include_retracted,
        limit: q.limit,
        cursor: q.cursor,
    }
    .into_search()?;
    search.filter.status = q.status.map(EnrollmentStatus::as_str);
    search.filter.graduation_id = q.graduation_id.map(|id| id.to_string());
    let page = records::search::<EnrollmentInput>(caller, &state, search, &trail).await?;
    Ok(web::Json(EnrollmentPage {
        items: page.items,
        next_cursor: page.next_cursor,
        excluded_publishers: page.excluded_publishers,
    }))
}

/// Read one enrollment.
///
/// Retracted records are answered too, with `retracted: true`. Send the `ETag` back in
/// `If-None-Match` to get `304` while the record is unchanged.
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:read"])),
    params(
        ("id" = uuid::Uuid, Path, description = "The enrollment's id"),
        ("If-None-Match" = Option<String>, Header, nullable = false, description = "ETags the client already has"),
    ),
    responses(
        (status = 200, description = "The enrollment's current version", body = Enrollment,
            headers(("ETag" = String, description = "The version's entity tag"))),
        (status = 304, description = "Unchanged since the ETag in `If-None-Match`",
            headers(("ETag" = String, description = "The version's entity tag"))),
        (status = 403, response = NotCovered),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/enrollments/{id}")]
pub async fn get_enrollment(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<EnrollmentInput>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    records::get_one::<EnrollmentInput>(caller, &state, id, &req, &trail).await
}

/// Every version of one enrollment.
///
/// Each version as it was written, retractions included, oldest first: who changed what
/// and when, for reconciliation and audits.
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:read"])),
    params(("id" = uuid::Uuid, Path, description = "The enrollment's id")),
    responses(
        (status = 200, description = "Every version, oldest first", body = EnrollmentHistory),
        (status = 403, response = NotCovered),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/enrollments/{id}/history")]
pub async fn enrollment_history(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<EnrollmentInput>,
) -> Result<web::Json<EnrollmentHistory>, ApiError> {
    let items = records::history::<EnrollmentInput>(caller, &state, id, &trail).await?;
    Ok(web::Json(EnrollmentHistory { items }))
}

/// Retract one of your enrollments.
///
/// The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
/// Publishing the same `source_record_id` again later restores it as a new version. Only
/// the publisher may retract. Retracting a retracted record changes nothing
/// (`Sinergi-Result: unchanged`).
#[utoipa::path(
    tag = "enrollments",
    security(("oauth2" = ["enrollments:write"])),
    params(
        ("id" = uuid::Uuid, Path, description = "The enrollment's id"),
        RetractQuery,
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#,
            description = "Retract only if the record's current ETag is one of these; a value that is not a list of entity tags matches nothing"),
    ),
    responses(
        (status = 200, description = "The record as it now is", body = Enrollment, headers(
            ("ETag" = String, description = "The current version's entity tag"),
            ("Sinergi-Result" = String, description = "`retracted` or `unchanged`"))),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/v1/enrollments/{id}")]
pub async fn retract_enrollment(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: RecordId<EnrollmentInput>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    records::retract::<EnrollmentInput>(caller, db, id, &req, &trail).await
}
