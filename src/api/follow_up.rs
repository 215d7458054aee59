//! `GET /v1/follow-up`: the open follow-up signals (scope `referrals:read`; see
//! `crate::follow_up`).

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::problems::BadRequest;
use crate::auth::{Caller, Scope};
use crate::db::follow_up::Filter;
use crate::domain::code::ProgramCode;
use crate::domain::region::AnyRegionCode;
use crate::follow_up::model::{self, SignalKind, SignalList};
use crate::http::extract::parse_query;
use crate::http::problem::ApiError;
use crate::http::state::AppState;

/// Signals per page when the client does not say, and at most.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1_000;
/// The longest a signal can be old: the longest window a program may set.
const MAX_AGE_DAYS: u16 = 3_650;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FollowUpQuery {
    /// Comma-separated kinds: `graduation.unreferred`, `graduation.relapse`,
    /// `referral.overdue`.
    #[param(value_type = Option<String>, example = "graduation.relapse",
        pattern = "^(graduation\\.unreferred|graduation\\.relapse|referral\\.overdue)(,(graduation\\.unreferred|graduation\\.relapse|referral\\.overdue))*$")]
    kind: Option<String>,
    /// The graduation's program.
    #[param(value_type = Option<String>, example = "PKH", pattern = "^[A-Z][A-Z0-9_]{1,31}$")]
    program: Option<ProgramCode>,
    /// Families that lived in this region when they graduated: a province (`32`), regency
    /// (`32.01`), district (`32.01.01`) or village code, with or without dots.
    #[param(inline)]
    region: Option<AnyRegionCode>,
    /// Only signals raised at least this many days ago.
    #[param(minimum = 0, maximum = 3650)]
    min_age_days: Option<u16>,
    /// Also the closed ones (default false: open only).
    include_closed: Option<bool>,
    /// The `next` of the previous page.
    after: Option<uuid::Uuid>,
    /// Signals per page, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

/// List follow-up signals.
///
/// What the watch found about graduated families: `graduation.unreferred` (neither a
/// referral nor an enrollment followed within 30 days of `graduated_on`),
/// `graduation.relapse` (inside the monitoring window, 12 months by default, the family is
/// enrolled in a social-assistance program again, by the head's or a member's NIK or under
/// its KK, or a new version of the graduation puts its welfare decile at 4 or below), and
/// `referral.overdue` (a referral passed `respond_by` or `complete_by`). Each names the
/// records that raised it. Open signals by default, oldest first, in pages (`next`).
///
/// An agency sees the signals of the graduations it published and the overdue signals of
/// referrals it made or was offered; the coordinating ministry sees all.
#[utoipa::path(
    tag = "referrals",
    security(("oauth2" = ["referrals:read"])),
    params(FollowUpQuery),
    responses(
        (status = 200, description = "A page of signals", body = SignalList),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/follow-up")]
pub async fn list_follow_up(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<SignalList>, ApiError> {
    caller.require(Scope::ReferralsRead)?;
    let q: FollowUpQuery = parse_query(req.query_string())?;
    let kinds = match q.kind.as_deref() {
        None => Vec::new(),
        Some(text) => text
            .split(',')
            .map(|k| {
                SignalKind::parse(k.trim())
                    .map(SignalKind::as_str)
                    .ok_or_else(|| {
                        ApiError::query(
                            "kind",
                            "an item is not graduation.unreferred, graduation.relapse or \
                         referral.overdue",
                        )
                    })
            })
            .collect::<Result<_, _>>()?,
    };
    let program = q.program.map(|p| p.to_string());
    let region_digits = q.region.map(|r| {
        let digits = r.as_str().replace('.', "");
        (format!("{digits:0<10}"), format!("{digits:9<10}"))
    });
    let limit = match q.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return Err(ApiError::query("limit", "must be between 1 and 1000")),
    };
    let now = chrono::Utc::now();
    let raised_before = match q.min_age_days {
        Some(d) if d > MAX_AGE_DAYS => {
            return Err(ApiError::query("min_age_days", "must be at most 3650"));
        }
        d => d.map(|d| (now - chrono::Duration::days(i64::from(d))).timestamp_micros()),
    };
    let filter = Filter {
        visible_to: None,
        kinds,
        program,
        region_digits,
        raised_before,
        include_closed: q.include_closed.unwrap_or(false),
        after: q.after.map(|a| a.to_string()),
    };
    let agency = caller.agency.to_string();
    let page = state
        .db
        .run(move |conn| model::list(conn, &agency, filter, limit, now).map_err(ApiError::from))
        .await?;
    Ok(web::Json(page))
}
