//! `GET /v1/changes`: the change feed (scope `changes:read`).

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::problems::{BadRequest, NotCovered};
use super::records::PageLimit;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::db::changes::Filter;
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::record::RecordKind;
use crate::feed::read::{self, ChangeType, FeedPage, FeedView};
use crate::http::extract::parse_query;
use crate::http::problem::ApiError;
use crate::http::state::AppState;
use crate::records::disclose::Reader;
use crate::records::error::RecordsError;

/// Changes per page when the consumer does not say.
const DEFAULT_LIMIT: i64 = 100;
/// The longest long-poll, in seconds.
const MAX_WAIT_SECS: u64 = 30;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Only changes after this position: the `next` of the previous page (default 0, the
    /// start of the feed).
    #[param(minimum = 0, example = 4200)]
    after: Option<u64>,
    /// Comma-separated change types: `graduation`, `enrollment` (each needs its read scope),
    /// `agreement` (needs `agreements:read`), `referral` and `follow_up` (each needs
    /// `referrals:read`). Default: every record type the token may read; agreement, referral
    /// and follow-up changes only when named.
    #[param(value_type = Option<String>,
        pattern = "^(graduation|enrollment|agreement|referral|follow_up)(,(graduation|enrollment|agreement|referral|follow_up))*$",
        example = "graduation")]
    types: Option<String>,
    /// Comma-separated program codes.
    #[param(value_type = Option<String>, example = "PKH,SEMBAKO")]
    programs: Option<String>,
    /// Comma-separated publishing agencies.
    #[param(value_type = Option<String>, example = "KEMENSOS")]
    publishers: Option<String>,
    /// Changes per page, 1 to 1000 (default 100).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<PageLimit>,
    /// When nothing is new, wait up to this many seconds (0 to 30, default 0) and answer as
    /// soon as a change arrives.
    #[param(minimum = 0, maximum = 30)]
    wait: Option<u64>,
}

/// A comma-separated list, each item parsed; errors name the parameter.
fn list<T>(
    name: &str,
    text: Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, ApiError> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(|item| parse(item.trim()).map_err(|e| ApiError::query(name, format!("an item {e}"))))
        .collect()
}

/// Follow the changes.
///
/// Every graduation and enrollment that was created, updated (a new version, including a
/// retracted record published again) or retracted, in position order, with the record as of
/// that version. Positions strictly increase; asking again with `after=<next>` never misses
/// a committed change and never repeats one, however publishers' writes interleave. A change
/// is visible about 0.1 s after its write commits. With `wait`, an empty answer is held back
/// until a change arrives or the time is up.
///
/// The feed shows your agency's own changes and, when `Sinergi-Purpose` declares a purpose
/// code, those of other agencies that a data-sharing agreement in force covers for it, each
/// record shown with the agreement's fields only; `excluded_publishers` lists the others and
/// why. Naming in `publishers` an agency that no agreement covers is refused with 403 naming
/// the reason.
///
/// With `types=agreement` (and `agreements:read`), the feed also carries the life of the
/// data-sharing agreements your agency is party to (the coordinating ministry: all of them), `type: agreement`:
/// proposed, amended, approved, resumed, suspended, terminated, and `expiring` 30 days
/// before the end of the terms in force, then `expired`. With `types=referral` (and
/// `referrals:read`), it carries every step of the referrals your agency made, was offered
/// or whose family it graduated (the coordinating ministry: all), `type: referral`:
/// offered, accepted, declined, withdrawn, released, enrolled, overdue, lapsed; the family
/// shown as your agreement with the graduation's publisher allows. With `types=follow_up`
/// (and `referrals:read`), it carries the follow-up signals of the graduations your agency
/// published (the coordinating ministry: all), `type: follow_up`: `raised` and `closed`,
/// the signal as in `GET /v1/follow-up` (`graduation.unreferred`, `graduation.relapse`,
/// `referral.overdue`). `programs` and `publishers` filter records only. A consumer skips a type or action it does not know.
#[utoipa::path(
    tag = "changes",
    security(("oauth2" = ["changes:read"])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = FeedPage),
        (status = 400, response = BadRequest),
        (status = 403, response = NotCovered),
    )
)]
#[get("/v1/changes")]
pub async fn list_changes(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<FeedPage>, ApiError> {
    caller.require(Scope::ChangesRead)?;
    let q: ChangesQuery = parse_query(req.query_string())?;
    let types = match q.types.as_deref() {
        Some(types) => list("types", Some(types), |t| {
            ChangeType::parse(t).ok_or_else(|| {
                "must be graduation, enrollment, agreement, referral or follow_up".into()
            })
        })?,
        // Agreement and referral changes only when asked for: a consumer written for
        // records never sees them.
        None => [ChangeType::Graduation, ChangeType::Enrollment]
            .into_iter()
            .filter(|t| caller.require(t.read_scope()).is_ok())
            .collect(),
    };
    // The feed carries the records and agreements themselves: each type needs its read
    // scope too.
    if types.is_empty() {
        return Err(ApiError::InsufficientScope(Scope::GraduationsRead));
    }
    for t in &types {
        caller.require(t.read_scope())?;
    }
    let kinds: Vec<RecordKind> = types.iter().filter_map(|t| t.record_kind()).collect();
    let audience = |t| types.contains(&t).then(|| read::seen_by(&caller.agency));
    let mut filter = Filter {
        agreements: audience(ChangeType::Agreement),
        referrals: audience(ChangeType::Referral),
        follow_up: audience(ChangeType::FollowUp),
        kinds: kinds.iter().map(|k| k.as_str()).collect(),
        programs: list("programs", q.programs.as_deref(), |p| {
            ProgramCode::parse(p)
                .map(|p| p.as_str().to_owned())
                .map_err(|e| e.to_string())
        })?,
        publishers: list("publishers", q.publishers.as_deref(), |p| {
            AgencyCode::parse(p)
                .map(|a| a.as_str().to_owned())
                .map_err(|e| e.to_string())
        })?,
    };
    let after = match q.after {
        None => 0,
        Some(a) => {
            i64::try_from(a).map_err(|_| ApiError::query("after", "is beyond the feed's head"))?
        }
    };
    let limit = q.limit.map_or(DEFAULT_LIMIT, |l| i64::from(l.get()));
    let wait = match q.wait {
        Some(w) if w > MAX_WAIT_SECS => {
            return Err(ApiError::query(
                "wait",
                format!("must be at most {MAX_WAIT_SECS} seconds"),
            ));
        }
        w => Duration::from_secs(w.unwrap_or(0)),
    };
    // Only the publishers the reader may read, each record shaped by its agreement.
    let reader = Reader::new(&state.agreements, &caller.agency, trail.purpose()).await?;
    let plan = reader.plan_feed(&kinds, &filter.publishers);
    if let Some(blocked) = plan.blocked {
        return Err(RecordsError::from(blocked).into());
    }
    filter.publishers = plan.publishers.clone();
    let view = Arc::new(FeedView { reader, plan });
    let (page, touched) = read::follow(
        &state.db,
        &state.feed_head,
        after,
        filter,
        limit,
        wait,
        view,
    )
    .await?;
    trail.report().touched(&touched);
    Ok(web::Json(page))
}
