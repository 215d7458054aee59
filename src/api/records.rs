//! What the graduation and enrollment endpoints share. `graduations.rs` and
//! `enrollments.rs` hold the documented routes; the work is done here, once for both kinds.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::trail::{PendingEntry, Trail};
use crate::auth::Caller;
use crate::db::records::{self as store, StoredRecord};
use crate::db::{Db, write_transaction};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::record::{self, CalendarDate, Content, Reason, RecordKind, SourceRecordId};
use crate::domain::region::AnyRegionCode;
use crate::error::{ApiError, FieldError};
use crate::http::extract::{JsonBody, parse_query};
use crate::records::access;
use crate::records::cursor::CursorKey;
use crate::records::precondition::{self, Precondition};
use crate::records::publish::{self, Prepared, References, Rejection, WriteResult};
use crate::records::read::{self, Page, Search, Touched};

/// The response header that says what a write did.
pub const RESULT_HEADER: &str = "Sinergi-Result";

/// Most items in one batch, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimit(pub usize);

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

/// What happened to one item of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Created,
    Updated,
    Unchanged,
    /// Not published; `errors` says why.
    Rejected,
}

impl From<WriteResult> for ItemResult {
    fn from(r: WriteResult) -> Self {
        match r {
            WriteResult::Created => Self::Created,
            WriteResult::Updated => Self::Updated,
            WriteResult::Unchanged => Self::Unchanged,
        }
    }
}

/// The outcome for one item, at the item's position in the request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"index": 0, "source_record_id": "PKH-2026-3201-000123",
    "result": "updated", "id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "version": 2, "errors": []}))]
pub struct BatchItemResult {
    /// The item's position in `items`, from 0.
    pub index: usize,
    /// The item's `source_record_id`, when it had a valid one.
    pub source_record_id: Option<SourceRecordId>,
    pub result: ItemResult,
    /// The record's id; absent when rejected.
    pub id: Option<uuid::Uuid>,
    /// The record's version after the write; absent when rejected.
    pub version: Option<i64>,
    /// Why the item was rejected, with pointers into the request (`/items/7/household/kk`).
    pub errors: Vec<FieldError>,
}

/// One result per item, in the order of the request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"results": [
    {"index": 0, "source_record_id": "PKH-2026-3201-000123", "result": "created",
     "id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "version": 1, "errors": []},
    {"index": 1, "source_record_id": null, "result": "rejected", "id": null, "version": null,
     "errors": [{"pointer": "/items/1/household/kk", "detail": "must be 16 digits, got 15"}]}
]}))]
pub struct BatchResults {
    pub results: Vec<BatchItemResult>,
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
    pub fn into_search(self) -> Search {
        let region_digits = self.region.map(|r| {
            let digits = r.as_str().replace('.', "");
            (format!("{digits:0<10}"), format!("{digits:9<10}"))
        });
        Search {
            filter: store::Filter {
                nik: self.nik.map(|n| n.0),
                kk: self.kk.map(|k| k.0),
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
        }
    }
}

fn if_match(req: &HttpRequest) -> Option<Precondition> {
    req.headers()
        .get(header::IF_MATCH)
        .map(|v| Precondition::parse(v.to_str().ok()))
}

/// `/v1/{kind}/batch` is routed to the `{id}` handlers for methods other than POST; it is a
/// resource that exists, so those methods are not allowed rather than not found.
fn refuse_batch_path(id: &str) -> Result<(), ApiError> {
    if id == "batch" {
        Err(ApiError::MethodNotAllowed(vec!["POST".into()]))
    } else {
        Ok(())
    }
}

/// A record id from the path. Anything that is not a UUID names no record: 404.
fn record_id(kind: RecordKind, id: &str) -> Result<String, ApiError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| not_found(kind))
}

fn not_found(kind: RecordKind) -> ApiError {
    ApiError::NotFound(format!("there is no {kind} with this id"))
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

/// `POST /v1/{kind}`: upserts one record on (publisher, `source_record_id`).
pub async fn publish_one<C: Content>(
    caller: Caller,
    db: &Db,
    req: &HttpRequest,
    trail: &Trail,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    access::check_write(&caller, C::KIND)?;
    let precondition = if_match(req);
    let value: serde_json::Value = body.parse().await?;
    let content: C = publish::parse_item(value, "").map_err(Rejection::into_api_error)?;
    trail.add_touched(&Touched::subjects(content.search_keys()));
    let audit = trail.pending();
    let publisher = caller.agency;
    let (written, content) = db
        .run(move |conn| {
            let references = References::load(conn, &[&content])?;
            references
                .check(&publisher, &content, "")
                .map_err(Rejection::into_api_error)?;
            let prepared = [Prepared::new(content)];
            let written = publish::write(
                conn,
                &publisher,
                &prepared,
                precondition.as_ref(),
                Some((&audit, |written| status_of_one(written).as_u16())),
            )?;
            Ok::<_, ApiError>((written, prepared[0].stored()?))
        })
        .await?;
    let status = status_of_one(&written);
    trail.mark_recorded(status.as_u16());
    let written = written.into_iter().next().expect("one result per item");
    let (version, id) = (written.meta.version, written.meta.id);
    let record = content.into_record(written.meta);
    let mut response = record_response(status, version, Some(written.result.as_str()), &record);
    if status == StatusCode::CREATED {
        let location = format!("/v1/{}/{id}", C::KIND.collection());
        response.headers_mut().insert(
            header::LOCATION,
            location.parse().expect("a path is a valid header value"),
        );
    }
    Ok(response)
}

/// 201 when the one record was created, 200 otherwise.
fn status_of_one(written: &[publish::Written]) -> StatusCode {
    if written.first().map(|w| w.result) == Some(WriteResult::Created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// `POST /v1/{kind}/batch`: upserts many records, one result per item.
pub async fn publish_batch<C: Content>(
    caller: Caller,
    db: &Db,
    limit: BatchLimit,
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
    if body.items.len() > limit.0 {
        return Err(ApiError::TooManyItems {
            max: limit.0,
            got: body.items.len(),
        });
    }
    if body.items.is_empty() {
        return Err(ApiError::field("/items", "must hold at least one item"));
    }
    let atomic = query.atomic.unwrap_or(false);
    // Rejected items still report their source_record_id when it was readable.
    let source_ids: Vec<Option<SourceRecordId>> = body
        .items
        .iter()
        .map(|v| {
            v.get("source_record_id")
                .and_then(|s| s.as_str())
                .and_then(|s| SourceRecordId::parse(s).ok())
        })
        .collect();
    let mut items: Vec<(usize, Result<C, Rejection>)> = body
        .items
        .into_iter()
        .enumerate()
        .map(|(i, value)| (i, publish::parse_item(value, &format!("/items/{i}"))))
        .collect();
    publish::reject_repeats(&mut items);
    let mut subjects = Touched::default();
    for (_, item) in &items {
        if let Ok(content) = item {
            subjects.add_subjects(content.search_keys());
        }
    }
    trail.add_touched(&subjects);
    let audit = trail.pending();
    let publisher = caller.agency;
    let results = db
        .run(move |conn| {
            let valid: Vec<&C> = items.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
            let references = References::load(conn, &valid)?;
            for (i, item) in items.iter_mut() {
                if let Ok(content) = item
                    && let Err(rejection) =
                        references.check(&publisher, content, &format!("/items/{i}"))
                {
                    *item = Err(rejection);
                }
            }
            if atomic && items.iter().any(|(_, r)| r.is_err()) {
                let errors = items
                    .into_iter()
                    .filter_map(|(_, r)| r.err())
                    .flat_map(|r| r.errors)
                    .collect();
                return Err(ApiError::Validation(errors));
            }
            write_batch(conn, &publisher, items, source_ids, &audit)
        })
        .await?;
    trail.mark_recorded(StatusCode::OK.as_u16());
    Ok(web::Json(BatchResults { results }))
}

fn write_batch<C: Content>(
    conn: &mut crate::db::AnyConnection,
    publisher: &AgencyCode,
    items: Vec<(usize, Result<C, Rejection>)>,
    source_ids: Vec<Option<SourceRecordId>>,
    audit: &PendingEntry,
) -> Result<Vec<BatchItemResult>, ApiError> {
    let mut results = Vec::with_capacity(items.len());
    let mut prepared = Vec::new();
    let mut positions = Vec::new();
    for (index, item) in items {
        match item {
            Ok(content) => {
                positions.push(results.len());
                results.push(BatchItemResult {
                    index,
                    source_record_id: Some(content.source_record_id().clone()),
                    result: ItemResult::Rejected,
                    id: None,
                    version: None,
                    errors: Vec::new(),
                });
                prepared.push(Prepared::new(content));
            }
            Err(rejection) => results.push(BatchItemResult {
                index,
                source_record_id: source_ids[index].clone(),
                result: ItemResult::Rejected,
                id: None,
                version: None,
                errors: rejection.errors,
            }),
        }
    }
    let ok: publish::StatusOf = |_| StatusCode::OK.as_u16();
    if prepared.is_empty() {
        // Nothing to write, but the answer is still a 200 the entry must match.
        write_transaction(conn, |conn| audit.store(conn, ok(&[]), &Touched::default()))
            .map_err(|e| ApiError::AuditUnavailable(e.to_string()))?;
    } else {
        let written = publish::write(conn, publisher, &prepared, None, Some((audit, ok)))?;
        for (position, w) in positions.into_iter().zip(written) {
            let slot = &mut results[position];
            slot.result = w.result.into();
            slot.id = Some(w.meta.id);
            slot.version = Some(w.meta.version);
        }
    }
    Ok(results)
}

async fn load(db: &Db, kind: RecordKind, id: &str) -> Result<StoredRecord, ApiError> {
    let key = record_id(kind, id)?;
    db.run(move |conn| store::get(conn, kind, &key).map_err(ApiError::from))
        .await?
        .ok_or_else(|| not_found(kind))
}

/// `GET /v1/{kind}/{id}`, answering 304 when `If-None-Match` names the current version.
pub async fn get_one<C: Content>(
    caller: Caller,
    db: &Db,
    id: &str,
    req: &HttpRequest,
    trail: &Trail,
) -> Result<HttpResponse, ApiError> {
    access::check_read(&caller, C::KIND)?;
    refuse_batch_path(id)?;
    let row = load(db, C::KIND, id).await?;
    // Parsed even for a 304: the client was told the record is unchanged, which discloses
    // it as much as sending it again.
    let mut touched = Touched::default();
    let record = read::to_record::<C>(&row, &mut touched)?;
    trail.add_touched(&touched);
    let etag = precondition::etag(row.version);
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
    Ok(record_response(StatusCode::OK, row.version, None, &record))
}

/// `GET /v1/{kind}/{id}/history`: every version, oldest first.
pub async fn history<C: Content>(
    caller: Caller,
    db: &Db,
    id: &str,
    trail: &Trail,
) -> Result<Vec<C::Record>, ApiError> {
    access::check_read(&caller, C::KIND)?;
    let row = load(db, C::KIND, id).await?;
    let (records, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let records = read::history::<C>(conn, &row, &mut touched)?;
            Ok::<_, ApiError>((records, touched))
        })
        .await?;
    trail.add_touched(&touched);
    Ok(records)
}

/// `GET /v1/{kind}`: one page of a search.
pub async fn search<C: Content>(
    caller: Caller,
    db: &Db,
    key: &CursorKey,
    search: Search,
    trail: &Trail,
) -> Result<Page<C::Record>, ApiError> {
    access::check_read(&caller, C::KIND)?;
    // Asking for a NIK or KK processes it, found or not.
    trail.add_niks(search.filter.nik.as_slice());
    trail.add_kks(search.filter.kk.as_slice());
    let key = key.clone();
    let (page, touched) = db
        .run(move |conn| {
            let mut touched = Touched::default();
            let page = read::search::<C>(conn, &key, &search, &mut touched)?;
            Ok::<_, ApiError>((page, touched))
        })
        .await?;
    trail.add_touched(&touched);
    Ok(page)
}

/// `DELETE /v1/{kind}/{id}`: the publisher withdraws its record.
pub async fn retract<C: Content>(
    caller: Caller,
    db: &Db,
    id: &str,
    req: &HttpRequest,
    trail: &Trail,
) -> Result<HttpResponse, ApiError> {
    access::check_write(&caller, C::KIND)?;
    refuse_batch_path(id)?;
    // Parsed only now: on `/batch` the batch's own parameters are no error of this route's.
    let query: RetractQuery = parse_query(req.query_string())?;
    if query
        .reason
        .as_ref()
        .is_some_and(Reason::holds_personal_number)
    {
        return Err(ApiError::query("reason", record::PERSONAL_NUMBER));
    }
    let precondition = if_match(req);
    let key = record_id(C::KIND, id)?;
    trail.add_records([&key]);
    let audit = trail.pending();
    let publisher = caller.agency;
    let (result, row) = db
        .run(move |conn| {
            publish::retract::<C>(
                conn,
                &publisher,
                &key,
                query.reason.as_ref(),
                precondition.as_ref(),
                &audit,
            )
        })
        .await?;
    trail.mark_recorded(StatusCode::OK.as_u16());
    // The entry, stored with the write, already names the record and its NIKs.
    let record = read::to_record::<C>(&row, &mut Touched::default())?;
    let said = match result {
        WriteResult::Unchanged => "unchanged",
        _ => "retracted",
    };
    Ok(record_response(
        StatusCode::OK,
        row.version,
        Some(said),
        &record,
    ))
}
