//! `GET /v1/stats/{table}`: aggregate statistics (scope `stats:read`; see `crate::stats`).

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::problems::{BadRequest, NotFound};
use crate::auth::{Caller, Scope};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::region::AnyRegionCode;
use crate::http::extract::parse_query;
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::stats::table::StatsTable;
use crate::stats::{self, GroupBy, Measure, Request};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// What the rows are (default `month`).
    by: Option<GroupBy>,
    /// Only this program's units (for referrals and signals: the graduation's program).
    #[param(value_type = Option<String>, example = "PKH", pattern = "^[A-Z][A-Z0-9_]{1,31}$")]
    program: Option<ProgramCode>,
    /// Only the units of this agency: the publisher (for referrals: the agency that
    /// referred).
    #[param(value_type = Option<String>, example = "KEMENSOS", pattern = "^[A-Z][A-Z0-9_]{1,31}$")]
    agency: Option<AgencyCode>,
    /// Only families in this region (where they lived when they graduated or enrolled): a
    /// province (`32`), regency (`32.01`), district or village code, with or without dots.
    #[param(inline)]
    region: Option<AnyRegionCode>,
    /// The first month counted, `YYYY-MM` (default: the earliest).
    #[param(value_type = Option<String>, example = "2026-01", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    from: Option<String>,
    /// The last month counted, `YYYY-MM`, included (default: the latest).
    #[param(value_type = Option<String>, example = "2026-12", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    to: Option<String>,
}

/// Get an aggregate statistics table.
///
/// `table` is one of:
/// - `graduations`: graduations by `graduation_type`, in the month of `graduated_on`;
/// - `enrollments`: enrollments by `status`, in the month of `enrolled_on`;
/// - `referrals`: referrals by `status`, in the month they were made;
/// - `follow-up`: follow-up signals by kind, in the month they were raised;
/// - `conversion`: graduations by what followed them (their first enrollment naming them,
///   by days after `graduated_on`; else whether they were referred), in the month of
///   `graduated_on`, with the shares enrolled within 30, 90 and 180 days and the median
///   days to enrolling.
///
/// Rows are grouped `by` month, program, agency, province or regency; `totals` holds each
/// column's total and the grand total. Retracted records are not counted. Aggregates only:
/// no NIK, KK or record id. Every count from 1 to 4, a cell's or a total's, is withheld
/// (`suppressed: small`), and further counts are withheld (`suppressed: complementary`)
/// until no withheld count can be computed from the published ones and the totals. Any
/// agency's client with `stats:read` sees the same tables.
#[utoipa::path(
    tag = "stats",
    security(("oauth2" = ["stats:read"])),
    params(
        ("table" = Measure, Path, description = "What the table counts"),
        StatsQuery,
    ),
    responses(
        (status = 200, description = "The table", body = StatsTable),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/stats/{table}")]
pub async fn get_stats(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<StatsTable>, ApiError> {
    caller.require(Scope::StatsRead)?;
    let measure: Measure = serde_json::from_value(serde_json::Value::String(
        req.match_info().query("table").to_owned(),
    ))
    .map_err(|_| {
        ApiError::NotFound(
            "no such statistics table; the tables are graduations, enrollments, referrals, \
             follow-up and conversion"
                .into(),
        )
    })?;
    let q: StatsQuery = parse_query(req.query_string())?;
    let month = |name, text: &str| {
        stats::parse_month(text).ok_or_else(|| {
            ApiError::query(name, "must be a month written YYYY-MM, such as 2026-01")
        })
    };
    let from = q.from.as_deref().map(|t| month("from", t)).transpose()?;
    let to = q.to.as_deref().map(|t| month("to", t)).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::query("to", "must not be before from"));
    }
    let request = Request {
        measure,
        by: q.by.unwrap_or(GroupBy::Month),
        program: q.program.map(|p| p.to_string()),
        agency: q.agency.map(|a| a.to_string()),
        region: q.region.map(|r| r.as_str().to_owned()),
        from,
        to,
    };
    let today = chrono::Utc::now().date_naive();
    let table = state
        .db
        .run(move |conn| {
            if let Some(unknown) = stats::unknown_filter(conn, &request)? {
                return Err(ApiError::query(unknown.parameter(), unknown.why()));
            }
            stats::build(conn, &request, today).map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(table))
}
