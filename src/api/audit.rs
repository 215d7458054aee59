//! The auditor's API (scope `audit:read`): entries with filters, the NDJSON export, signed
//! checkpoints, inclusion and consistency proofs, and the checkpoint verifier key. The reads
//! themselves are [`crate::audit::read`]'s; this module parses queries and shapes answers.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problems::{BadRequest, NotFound};
use super::records::{NumberFilter, PageLimit};
use crate::audit::entry::{Entry, Outcome};
use crate::audit::read;
use crate::audit::trail::Trail;
use crate::auth::{Caller, Scope};
use crate::domain::code::AgencyCode;
use crate::http::extract::parse_query;
use crate::http::problem::ApiError;
use crate::http::state::AppState;

/// A text filter: at most [`MAX_FILTER_CHARS`] characters (nothing longer was ever recorded).
#[derive(Debug, Deserialize)]
#[serde(try_from = "String")]
pub struct FilterText(String);

const MAX_FILTER_CHARS: usize = 200;

impl TryFrom<String> for FilterText {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.chars().count() > MAX_FILTER_CHARS {
            Err(format!("must be at most {MAX_FILTER_CHARS} characters"))
        } else {
            Ok(Self(s))
        }
    }
}

/// Entries per page when the auditor does not say.
const DEFAULT_LIMIT: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// Only requests that arrived at or after this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-28T00:00:00Z")]
    from: Option<chrono::DateTime<chrono::Utc>>,
    /// Only requests that arrived before this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-29T00:00:00Z")]
    to: Option<chrono::DateTime<chrono::Utc>>,
    /// Only this client's requests.
    #[param(value_type = Option<String>, max_length = 200, example = "kemendes-sipede")]
    client: Option<FilterText>,
    /// Only requests by clients of this agency.
    #[param(value_type = Option<String>, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = "KEMENDES")]
    agency: Option<AgencyCode>,
    /// Only requests that declared exactly this purpose.
    #[param(value_type = Option<String>, max_length = 200)]
    purpose: Option<FilterText>,
    /// Only requests to this route template.
    #[param(value_type = Option<String>, max_length = 200, example = "/v1/graduations/{id}")]
    route: Option<FilterText>,
    /// Only requests with this outcome.
    #[param(inline)]
    outcome: Option<Outcome>,
    /// Only requests that wrote or returned this record.
    #[param(value_type = Option<String>, format = Uuid)]
    record_id: Option<uuid::Uuid>,
    /// Only requests that touched this NIK: one person's processing trail (UU 27/2022
    /// Art. 32). The NIK is hashed with the exchange's key and never stored or logged. The
    /// look-up needs a declared purpose (`Sinergi-Purpose`), is limited per client more
    /// tightly than other reads, and is itself recorded under the NIK's hash, so that it
    /// appears in that person's trail.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201011501800001")]
    nik: Option<NumberFilter>,
    /// Only requests that touched this KK (family card number): a family's trail. Like
    /// `nik`, it needs a declared purpose and is limited per client.
    #[param(value_type = Option<String>, pattern = "^[0-9]{16}$", example = "3201012308150007")]
    kk: Option<NumberFilter>,
    /// Only the entry of this request (its `X-Request-Id`).
    #[param(value_type = Option<String>, max_length = 200)]
    request_id: Option<FilterText>,
    /// Entries per page, 1 to 1000 (default 100).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<PageLimit>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// One page of entries, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<Entry>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Checked before the query is read, so that a caller without the scope learns nothing about
/// the parameters.
fn audit_reader(caller: &Caller) -> Result<(), ApiError> {
    Ok(caller.require(Scope::AuditRead)?)
}

/// Search the audit log.
///
/// Entries that joined the tree (within moments of their request), oldest first, filtered;
/// every filter narrows the result. Follow `next_cursor` for further pages. A look-up by
/// `nik` or `kk` must declare its purpose and is limited per client (`429` beyond it).
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    params(EntriesQuery),
    responses(
        (status = 200, description = "One page of entries", body = EntryPage),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/audit/entries")]
pub async fn list_entries(
    caller: Caller,
    state: web::Data<AppState>,
    trail: Trail,
    req: HttpRequest,
) -> Result<web::Json<EntryPage>, ApiError> {
    audit_reader(&caller)?;
    let q: EntriesQuery = parse_query(req.query_string())?;
    let (nik, kk) = (
        q.nik.map(NumberFilter::into_inner),
        q.kk.map(NumberFilter::into_inner),
    );
    if nik.is_some() || kk.is_some() {
        let limit = &state.auth.subject_lookup_limit;
        read::subject_lookup(
            &trail,
            limit,
            &caller.client_id,
            nik.as_deref(),
            kk.as_deref(),
        )?;
    }
    let search = read::Search {
        from: q.from,
        to: q.to,
        client: q.client.map(|t| t.0),
        agency: q.agency,
        purpose: q.purpose.map(|t| t.0),
        route: q.route.map(|t| t.0),
        outcome: q.outcome,
        record_id: q.record_id,
        nik,
        kk,
        request_id: q.request_id.map(|t| t.0),
        cursor: q.cursor,
        limit: q.limit.map_or(DEFAULT_LIMIT, |l| i64::from(l.get())),
    };
    let page = read::entries(&state.db, &state.audit_keys, search).await?;
    Ok(web::Json(EntryPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// First entry index (default 0).
    #[param(minimum = 0)]
    from: Option<u64>,
    /// One past the last entry index (default: the size of the latest checkpoint, so that
    /// the export and that checkpoint verify together).
    #[param(minimum = 0)]
    to: Option<u64>,
}

/// Export entries as NDJSON.
///
/// Entries `from` to `to - 1`, one per line, each line exactly the RFC 8785 bytes hashed
/// for that leaf followed by `\n`: with `from=0` and `to` the size of a checkpoint, the
/// export alone recomputes that checkpoint's root (`sinergi audit verify`). Streamed;
/// any size. Each line is one `Entry`, as `GET /v1/audit/entries` pages them.
///
/// For generated clients: a generator that does not know `application/x-ndjson` should
/// take the body as bytes (openapi-python-client: `content_type_overrides:
/// {application/x-ndjson: application/octet-stream}`) and split it at `\n`, keeping each
/// line's bytes for the Merkle check. The Python SDK's `iter_audit_entries` and
/// `iter_audit_lines` stream it that way.
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    params(ExportQuery),
    responses(
        (status = 200, description = "The entries, one canonical JSON object per line",
            content_type = "application/x-ndjson", body = String,
            example = "{\"agency\":\"KEMENSOS\",\"client_id\":\"demo-kemensos\",\"index\":0,\"latency_us\":812,\"method\":\"GET\",\"nik_hashes\":[],\"outcome\":\"allowed\",\"purpose\":null,\"record_ids\":[],\"request_id\":\"0b7f8f1e-3f0c-4d55-9a55-61f0a3f1c2d4\",\"route\":\"/v1/whoami\",\"status\":200,\"time\":\"2026-11-28T03:12:45.123456Z\"}\n"),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/audit/export")]
pub async fn export_entries(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    audit_reader(&caller)?;
    let ExportQuery { from, to } = parse_query(req.query_string())?;
    let range = read::export_range(&state.db, from, to).await?;
    let chunks = read::export(state.db.clone(), range)
        .map(|chunk| chunk.map(Bytes::from).map_err(ApiError::from));
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(chunks))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckpointQuery {
    /// The tree size of a checkpoint made earlier; default the latest.
    #[param(minimum = 1)]
    size: Option<u64>,
}

/// A signed checkpoint.
///
/// A C2SP `tlog-checkpoint` (origin, tree size, base64 root hash) signed as a C2SP
/// `signed-note` with the exchange's Ed25519 audit key. Every checkpoint ever signed is
/// kept; one is made every few seconds while entries arrive.
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    params(CheckpointQuery),
    responses(
        (status = 200, description = "The signed note", content_type = "text/plain", body = String,
            example = "sinergi/audit\n2\nKHTUnfk/5/8MIk6xruvFO1keXMK2aP/PONvxjOkp7JI=\n\n— sinergi/audit NcQOEO7TWXrrmqW3ezQWWEtA1pyAOzncHRKGHuSgS5ufwHrq8e6ssIzT3+ajZ6Q93V5L16fXM+gLaV+pigmMf0ahKAA=\n"),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/audit/checkpoint")]
pub async fn get_checkpoint(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    audit_reader(&caller)?;
    let CheckpointQuery { size } = parse_query(req.query_string())?;
    let note = read::checkpoint(&state.db, size).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(note))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry's index.
    #[param(minimum = 0)]
    index: u64,
    /// The size of the tree to prove inclusion in (that of a checkpoint).
    #[param(minimum = 1)]
    tree_size: u64,
}

/// An inclusion proof: entry `index` is in the tree of size `tree_size`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"index": 3, "tree_size": 42,
    "hashes": ["3q2+7w9XqS2b5hL8m2Yb0lV5Qe8y3uVv6tKk1X0m7aU=", "Hc0xq5w2mVn8y3V4Zl1kQ5f2eW6Zb8pR1sY0tA7uN9M="]}))]
pub struct InclusionProof {
    pub index: u64,
    pub tree_size: u64,
    /// `PATH(index, D[tree_size])` (RFC 9162 §2.1.3.1), base64, nearest the leaf first.
    pub hashes: Vec<String>,
}

/// Prove that an entry is in the log.
///
/// Combine the leaf hash of the entry (SHA-256 of 0x00 and its exported line without the
/// newline) with these hashes as RFC 9162 §2.1.3.2 says, and compare with the root of the
/// checkpoint of size `tree_size`.
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    params(InclusionQuery),
    responses(
        (status = 200, description = "The proof", body = InclusionProof),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/audit/proofs/inclusion")]
pub async fn inclusion_proof(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<InclusionProof>, ApiError> {
    audit_reader(&caller)?;
    let InclusionQuery { index, tree_size } = parse_query(req.query_string())?;
    let hashes = read::inclusion(&state.db, index, tree_size).await?;
    Ok(web::Json(InclusionProof {
        index,
        tree_size,
        hashes: hashes.iter().map(|h| STANDARD.encode(h)).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The smaller tree size (an earlier checkpoint's).
    #[param(minimum = 1)]
    from: u64,
    /// The larger tree size (a later checkpoint's).
    #[param(minimum = 1)]
    to: u64,
}

/// A consistency proof: the tree of size `to` extends the tree of size `from`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"from": 21, "to": 42,
    "hashes": ["3q2+7w9XqS2b5hL8m2Yb0lV5Qe8y3uVv6tKk1X0m7aU=", "Hc0xq5w2mVn8y3V4Zl1kQ5f2eW6Zb8pR1sY0tA7uN9M="]}))]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    /// `PROOF(from, D[to])` (RFC 9162 §2.1.4.1), base64; empty when `from` equals `to`.
    pub hashes: Vec<String>,
}

/// Prove that the log only grew between two sizes.
///
/// Verify as RFC 9162 §2.1.4.2 says against the roots of the two checkpoints: nothing
/// below `from` was changed or removed by the time the log reached `to`.
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    params(ConsistencyQuery),
    responses(
        (status = 200, description = "The proof", body = ConsistencyProof),
        (status = 400, response = BadRequest),
    )
)]
#[get("/v1/audit/proofs/consistency")]
pub async fn consistency_proof(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<ConsistencyProof>, ApiError> {
    audit_reader(&caller)?;
    let ConsistencyQuery { from, to } = parse_query(req.query_string())?;
    let hashes = read::consistency(&state.db, from, to).await?;
    Ok(web::Json(ConsistencyProof {
        from,
        to,
        hashes: hashes.iter().map(|h| STANDARD.encode(h)).collect(),
    }))
}

/// The checkpoint verifier key.
///
/// The C2SP note verifier key of the audit log (`<name>+<key hash>+<base64 of 0x01 and the
/// Ed25519 public key>`), followed by a newline: the `--public-key` file of
/// `sinergi audit verify`. Obtain it once and keep it; a different key later means
/// checkpoints are signed by someone else.
#[utoipa::path(
    tag = "audit",
    security(("oauth2" = ["audit:read"])),
    responses(
        (status = 200, description = "The verifier key", content_type = "text/plain", body = String,
            example = "sinergi/audit+35c40e10+AQNflI5YsjKmowuriuEWDLgrw3GfaC952AlGryUleah9\n"),
    )
)]
#[get("/v1/audit/public-key")]
pub async fn get_public_key(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let keys = &state.audit_keys;
    audit_reader(&caller)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{}\n", keys.verifier())))
}
