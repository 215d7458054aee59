//! Reusable OpenAPI responses for the problems an operation can answer with.

use utoipa::ToResponse;

use crate::http::problem::Problem;

/// The request is not valid; `errors` names each offending field or parameter.
#[derive(ToResponse)]
#[response(
    description = "The request is not valid; `errors` names each offending field or parameter",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:validation", "title": "The request is not valid",
        "status": 400, "detail": "#/path/code: must start with an uppercase letter A-Z",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11",
        "errors": [{"pointer": "#/path/code", "detail": "must start with an uppercase letter A-Z"}]
    })
)]
pub struct BadRequest(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "No such resource",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:not-found", "title": "Not found", "status": 404,
        "detail": "no program PKX", "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct NotFound(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "The database, or the audit log that must record the request before it is \
        served, is not available now; nothing was changed. Retry after `Retry-After` seconds \
        (`type` is `urn:sinergi:problem:unavailable` or `urn:sinergi:problem:audit-unavailable`)",
    content_type = "application/problem+json",
    headers(("Retry-After" = u32, description = "Seconds to wait before retrying")),
    example = json!({
        "type": "urn:sinergi:problem:unavailable", "title": "Service temporarily unavailable",
        "status": 503, "detail": "the database is not reachable now; retry later",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct Unavailable(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "An unexpected error; the cause is logged under the instance id",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:internal", "title": "Internal server error",
        "status": 500, "detail": "an unexpected error occurred; quote the instance id",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct InternalError(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "No valid access token: missing, malformed, expired, or its client is disabled",
    content_type = "application/problem+json",
    headers(("WWW-Authenticate" = String,
        description = "`Bearer realm=\"sinergi\", error=\"invalid_token\", error_description=\"…\"`")),
    example = json!({
        "type": "urn:sinergi:problem:unauthorized", "title": "Authentication required",
        "status": 401, "detail": "an access token is required",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct Unauthorized(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "The token lacks the scope this operation needs",
    content_type = "application/problem+json",
    headers(("WWW-Authenticate" = String,
        description = "`Bearer realm=\"sinergi\", error=\"insufficient_scope\", scope=\"…\"`")),
    example = json!({
        "type": "urn:sinergi:problem:insufficient-scope", "title": "Insufficient scope",
        "status": 403, "detail": "this operation needs the scope admin",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct Forbidden(#[allow(dead_code)] Problem);

/// A read of records refused by its scope or by the data-sharing agreements.
#[derive(ToResponse)]
#[response(
    description = "The token lacks the read scope (`insufficient-scope`), or no data-sharing \
        agreement in force lets the caller's agency read these records of another agency for \
        the declared purpose. The problem `type` ends in the reason: `no-agreement` (none, or \
        suspended or terminated, or not for this program or region), `purpose-not-covered`, \
        `search-key-not-covered` (a `nik` or `kk` filter the agreement does not list), \
        `agreement-expired`",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:purpose-not-covered",
        "title": "Not covered by a data-sharing agreement", "status": 403,
        "detail": "the agreement that covers these records does not cover the declared purpose (Sinergi-Purpose)",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct NotCovered(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "Too many requests from this client or address; retry after `Retry-After` seconds",
    content_type = "application/problem+json",
    headers(("Retry-After" = u32, description = "Seconds to wait before retrying")),
    example = json!({
        "type": "urn:sinergi:problem:too-many-requests", "title": "Too many requests",
        "status": 429, "detail": "too many requests; retry in 1 s",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct TooManyRequests(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "The body is larger than the configured limit, or a batch holds more items \
        than allowed",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:payload-too-large", "title": "The request body is too large",
        "status": 413, "detail": "the batch holds 1001 items; at most 1000 are accepted",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct PayloadTooLarge(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "The body is not `application/json`",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:unsupported-media-type", "title": "Unsupported content type",
        "status": 415, "detail": "send the body as application/json",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct UnsupportedMediaType(#[allow(dead_code)] Problem);

#[derive(ToResponse)]
#[response(
    description = "`If-Match` did not match the record's current ETag (or the record does not \
        exist); nothing was written",
    content_type = "application/problem+json",
    example = json!({
        "type": "urn:sinergi:problem:precondition-failed", "title": "Precondition failed",
        "status": 412, "detail": "the record has changed: its current ETag is \"3\"",
        "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"
    })
)]
pub struct PreconditionFailed(#[allow(dead_code)] Problem);
