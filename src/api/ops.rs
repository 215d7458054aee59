//! Operational endpoints: liveness, readiness, metrics and the API description.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Scope};
use crate::http::problem::{ApiError, Problem};
use crate::http::state::AppState;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Status {
    /// `ok` when alive, `ready` when the database answers too.
    pub status: &'static str,
}

/// Liveness: the process is up and serving HTTP.
///
/// Does not touch the database; use it to decide whether to restart the process.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The service is alive", body = Status))
)]
#[get("/healthz")]
pub async fn get_healthz() -> web::Json<Status> {
    web::Json(Status { status: "ok" })
}

/// Readiness: the database answers, so requests can be served.
///
/// Use it to decide whether to route traffic to this instance.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Status,
            example = json!({"status": "ready"})),
        (status = 503, description = "The database is not reachable",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn get_readyz(state: web::Data<AppState>) -> Result<web::Json<Status>, ApiError> {
    let db = &state.db;
    if db.ping().await {
        Ok(web::Json(Status { status: "ready" }))
    } else {
        Err(ApiError::Unavailable("the readiness check failed"))
    }
}

/// Prometheus metrics: request counts and latency histograms by route template and status.
///
/// Labels carry route templates, never concrete paths, so no identifier reaches the metrics.
/// They still tell how the exchange is used and by how much, so they need the scope
/// `metrics:read` (Prometheus fetches its token itself with its `oauth2` scrape setting).
#[utoipa::path(
    tag = "operations",
    security(("oauth2" = ["metrics:read"])),
    responses(
        (status = 200, description = "Metrics in the Prometheus text format",
            body = String, content_type = "text/plain; version=0.0.4",
            example = "sinergi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n"),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let metrics = &state.metrics;
    caller.require(Scope::MetricsRead)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render()))
}

/// This OpenAPI document, identical to the committed `openapi/openapi.json`.
///
/// The interactive rendering of it is at `/docs/`, served without any external resource.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document",
        body = Object, content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn get_openapi(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType::json())
        .body(state.openapi_json.clone())
}
