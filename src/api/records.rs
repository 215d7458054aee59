//! What the graduation and enrollment endpoints share. `graduations.rs` and
//! `enrollments.rs` hold the documented routes; the work is done here, once for both kinds.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::ids::RecordId;
use crate::audit::trail::Trail;
use crate::audit::write::Answered;
use crate::auth::Caller;
use crate::db::Db;
use crate::db::records as store;
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::record::{CalendarDate, Content, Reason};
use crate::domain::region::AnyRegionCode;
use crate::http::extract::{JsonBody, parse_query};
use crate::http::problem::{ApiError, FieldError};
use crate::http::state::AppState;
use crate::records::access;
use crate::records::batch::BatchResults;
use crate::records::ops;
use crate::records::precondition::{self, Precondition};
use crate::records::read::{Page, Search};

/// The response header that says what a write did.
pub const RESULT_HEADER: &str = "Sinergi-Result";

/// A batch of records to publish.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchBody {
    /// Parsed one by one later, so that one bad item does not hide the others.
    items: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// `true`: publish every item or none (any rejected item fails the whole batch with 400).
    /// Default `false`: valid items are published even when others are rejected.
    atomic: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RetractQuery {
    /// Why the record is withdrawn (kept in its history): one line, without a NIK or KK.
    #[param(value_type = Option<String>, min_length = 1, max_length = 1000,
        pattern = "^[^0-9\\u0000-\\u001F\\u007F-\\u009F]*(?:[0-9]{1,15}[^0-9\\u0000-\\u001F\\u007F-\\u009F]+)*[0-9]{0,15}$",
        example = "Data ganda: keluarga sudah tercatat dengan id lain")]
    reason: Option<Reason>,
}

/// A 16-digit number (NIK or KK) in a search filter. Only its form is checked: a number
/// that cannot exist simply matches nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct NumberFilter(String);

impl NumberFilter {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for NumberFilter {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s))
        } else {
            Err("must be 16 ASCII digits")
        }
    }
}

/// Records per page: 1 to 1,000.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "u16")]
pub struct PageLimit(u16);

/// Records per page when the client does not say.
const DEFAULT_LIMIT: u16 = 100;

impl PageLimit {
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for PageLimit {
    type Error = &'static str;
    fn try_from(n: u16) -> Result<Self, Self::Error> {
        if (1..=1_000).contains(&n) {
            Ok(Self(n))
        } else {
            Err("must be between 1 and 1000")
        }
    }
}

/// The filters both kinds share, in the form the query strings give them.
pub struct CommonFilters {
    pub nik: Option<NumberFilter>,
    pub kk: Option<NumberFilter>,
    pub follow_lineage: Option<bool>,
    pub program: Option<ProgramCode>,
    pub publisher: Option<AgencyCode>,
    pub region: Option<AnyRegionCode>,
    pub from: Option<CalendarDate>,
    pub to: Option<CalendarDate>,
    pub updated_after: Option<chrono::DateTime<chrono::Utc>>,
    pub include_retracted: Option<bool>,
    pub limit: Option<PageLimit>,
    pub cursor: Option<String>,
}

impl CommonFilters {
    /// The search these filters ask for; `follow_lineage` needs a `kk` to follow.
    pub fn into_search(self) -> Result<Search, ApiError> {
        if self.follow_lineage == Some(true) && self.kk.is_none() {
            return Err(ApiError::query(
                "follow_lineage",
                "follows a family card: give kk as well",
            ));
        }
        let region_digits = self.region.map(|r| {
            let digits = r.as_str().replace('.', "");
            (format!("{digits:0<10}"), format!("{digits:9<10}"))
        });
        Ok(Search {
            filter: store::Filter {
                nik: self.nik.map(|n| n.0),
                kk: self.kk.map(|k| k.0),
                follow_lineage: self.follow_lineage.unwrap_or(false),
                program: self.program.map(|p| p.as_str().to_owned()),
                publisher: self.publisher.map(|p| p.as_str().to_owned()),
                region_digits,
                event_from: self.from.map(|d| d.to_string()),
                event_to: self.to.map(|d| d.to_string()),
                updated_after: self.updated_after.map(|t| t.timestamp_micros()),
                status: None,
                graduation_id: None,
                include_retracted: self.include_retracted.unwrap_or(false),
            },
            limit: usize::from(self.limit.map_or(DEFAULT_LIMIT, |l| l.0)),
            cursor: self.cursor,
        })
    }
}

fn if_match(req: &HttpRequest) -> Option<Precondition> {
    req.headers()
        .get(header::IF_MATCH)
        .map(|v| Precondition::parse(v.to_str().ok()))
}

/// The answer to a single-record write or a read: the record with its ETag.
fn record_response<R: Serialize>(
    status: StatusCode,
    version: i64,
    result: Option<&str>,
    record: &R,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::ETAG, precondition::etag(version)))
        // Personal data: no shared cache may keep it, and a client revalidates with the ETag.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(result) = result {
        response.insert_header((RESULT_HEADER, result));
    }
    response.json(record)
}

// Each operation checks the caller's scope itself; writes check it here first as well, so
// that a caller without the scope learns nothing about the schema from the body or query.

/// `POST /v1/{kind}`: upserts one record on (publisher, `source_record_id`).
pub async fn publish_one<C: Content>(
    caller: Caller,
    db: &Db,
    req: &HttpRequest,
    trail: &Trail,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    access::check_write(&caller, C::KIND)?;
    let item = body.parse().await?;
    let published = ops::publish_one::<C>(db, trail, &caller, item, if_match(req)).await?;
    let status = StatusCode::from_u16(published.status()).expect("a status the write chose");
    let mut response = record_response(
        status,
        published.version,
        Some(published.result.as_str()),
        &published.record,
    );
    if status == StatusCode::CREATED {
        let location = format!("/v1/{}/{}", C::KIND.collection(), published.id);
        response.headers_mut().insert(
            header::LOCATION,
            location.parse().expect("a path is a valid header value"),
        );
    }
    Ok(response)
}

/// `POST /v1/{kind}/batch`: upserts many records, one result per item.
pub async fn publish_batch<C: Content>(
    caller: Caller,
    db: &Db,
    max_items: usize,
    query: BatchQuery,
    req: &HttpRequest,
    trail: &Trail,
    body: JsonBody,
) -> Result<web::Json<BatchResults>, ApiError> {
    access::check_write(&caller, C::KIND)?;
    if req.headers().contains_key(header::IF_MATCH) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "#/header/If-Match",
            "applies to single-record writes only; a batch cannot be conditional",
        )]));
    }
    let body: BatchBody = body.parse().await?;
    let atomic = query.atomic.unwrap_or(false);
    let results =
        ops::publish_batch::<C>(db, trail, &caller, body.items, atomic, max_items).await?;
    Ok(web::Json(results))
}

/// `GET /v1/{kind}/{id}`, answering 304 when `If-None-Match` names the current version.
pub async fn get_one<C: Content>(
    caller: Caller,
    state: &AppState,
    id: RecordId<C>,
    req: &HttpRequest,
    trail: &Trail,
) -> Result<HttpResponse, ApiError> {
    access::check_read(&caller, C::KIND)?;
    let id = id.get()?;
    // Read even for a 304: the client was told the record is unchanged, which discloses it
    // as much as sending it again.
    let fetched = ops::get::<C>(&state.db, trail, &caller, &state.agreements, id).await?;
    let etag = precondition::etag(fetched.version);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| precondition::none_match(v, &etag));
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .finish());
    }
    Ok(record_response(
        StatusCode::OK,
        fetched.version,
        None,
        &fetched.record,
    ))
}

/// `GET /v1/{kind}/{id}/history`: every version, oldest first.
pub async fn history<C: Content>(
    caller: Caller,
    state: &AppState,
    id: RecordId<C>,
    trail: &Trail,
) -> Result<Vec<serde_json::Value>, ApiError> {
    access::check_read(&caller, C::KIND)?;
    Ok(ops::history::<C>(&state.db, trail, &caller, &state.agreements, id.get()?).await?)
}

/// `GET /v1/{kind}`: one page of a search.
pub async fn search<C: Content>(
    caller: Caller,
    state: &AppState,
    search: Search,
    trail: &Trail,
) -> Result<Page<Box<serde_json::value::RawValue>>, ApiError> {
    let (db, key, policy) = (&state.db, &state.cursor_key, &state.agreements);
    Ok(ops::search::<C>(db, trail, &caller, policy, key, search).await?)
}

/// `DELETE /v1/{kind}/{id}`: the publisher withdraws its record.
pub async fn retract<C: Content>(
    caller: Caller,
    db: &Db,
    id: RecordId<C>,
    req: &HttpRequest,
    trail: &Trail,
) -> Result<HttpResponse, ApiError> {
    access::check_write(&caller, C::KIND)?;
    let id = id.get()?;
    // Parsed only now: on `/batch` the batch's own parameters are no error of this route's.
    let query: RetractQuery = parse_query(req.query_string())?;
    let retracted = ops::retract::<C>(db, trail, &caller, id, query.reason, if_match(req)).await?;
    let said = if retracted.unchanged {
        "unchanged"
    } else {
        "retracted"
    };
    Ok(record_response(
        StatusCode::OK,
        retracted.version,
        Some(said),
        &retracted.record,
    ))
}
