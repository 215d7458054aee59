//! One error type for the HTTP API, rendered as RFC 9457 problem details.
//!
//! Clients get a stable `type`, a human `detail` and, for validation, a JSON pointer per
//! field. Internal causes go to the log together with the request id, never to the client.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbError;
use crate::domain::every_error::MAX_ERRORS;
pub use crate::domain::field_error::FieldError;

pub const PROBLEM_JSON: &str = "application/problem+json";

tokio::task_local! {
    // Problem bodies are rendered where no request is at hand (`ResponseError`), so the
    // request id (`super::request_id`) travels with the task that serves the request.
    pub(super) static REQUEST_ID: String;
}

/// The id of the request being served by this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:sinergi:problem:validation",
    "title": "The request is not valid",
    "status": 400,
    "detail": "1 field is not valid",
    "instance": "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11",
    "errors": [{"pointer": "#/path/code", "detail": "must start with an uppercase letter A-Z"}]
}))]
pub struct Problem {
    /// A URN naming the kind of problem; stable, so clients may branch on it.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The id of the request (the `X-Request-Id` response header), for support and the audit log.
    pub instance: String,
    /// For validation problems: one entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For an illegal referral transition (`urn:sinergi:problem:illegal-transition`): the
    /// steps the caller may take from the referral's status (empty when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub allowed_transitions: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request is not valid")]
    Validation(Vec<FieldError>),
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("this operation needs the scope {0}")]
    InsufficientScope(crate::auth::scope::Scope),
    /// Authenticated and holding the scope, but not allowed to touch this resource.
    #[error("{0}")]
    Forbidden(String),
    /// A read of another agency's records that no data-sharing agreement allows: the
    /// refusal's code (the problem type) and what it means.
    #[error("{1}")]
    NotCovered(&'static str, String),
    #[error("{0}")]
    NotFound(String),
    /// No route has this path: told apart from a missing record, so that a client with a
    /// wrong base URL does not conclude that the record it asked for does not exist.
    #[error("no endpoint has this path; check the base URL and the path")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed(Vec<String>),
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the batch holds {got} items; at most {max} are accepted")]
    TooManyItems { max: usize, got: usize },
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("{0}")]
    Conflict(String),
    /// A referral step that the caller may not take from the referral's status: what it
    /// may take instead (`allowed_transitions`, possibly none).
    #[error("{detail}")]
    IllegalTransition {
        detail: String,
        allowed: Vec<&'static str>,
    },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    // The causes of 5xx answers are the server's fixed words (`DbError::cause`), never a
    // driver's or a database's text, which may quote what a request carried: they are
    // logged, and the log carries nothing a client sent.
    #[error("the database is unavailable: {0}")]
    Unavailable(&'static str),
    /// The request's audit entry could not be stored, so the request was not served.
    #[error("the audit log cannot record the request: {0}")]
    AuditUnavailable(&'static str),
    #[error("internal error: {0}")]
    Internal(&'static str),
    /// A request whose head the HTTP layer could not read (`super::unparsed`): a `400` for a
    /// head it could not parse, a `431` for one too large, a `408` for one too slow.
    #[error("the request head could not be read")]
    MalformedRequest(StatusCode),
    /// A status some layer produced without a problem body (see `for_status`).
    #[error("{0}")]
    Http(StatusCode),
}

impl ApiError {
    pub fn field(pointer: impl Into<String>, detail: impl ToString) -> Self {
        Self::Validation(vec![FieldError::new(pointer, detail)])
    }

    /// A query parameter is not valid.
    pub fn query(name: &str, detail: impl ToString) -> Self {
        Self::Validation(vec![FieldError::query(name, detail)])
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::Validation(_) => ("validation", "The request is not valid"),
            Self::MalformedJson(_) => ("malformed-body", "The request body is not valid JSON"),
            Self::Unauthorized(_) => ("unauthorized", "Authentication required"),
            Self::InsufficientScope(_) => ("insufficient-scope", "Insufficient scope"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::NotCovered(code, _) => (code, "Not covered by a data-sharing agreement"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::NoRoute => ("no-route", "No such endpoint"),
            Self::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            Self::PayloadTooLarge { .. } | Self::TooManyItems { .. } => {
                ("payload-too-large", "The request body is too large")
            }
            Self::UnsupportedMediaType => ("unsupported-media-type", "Unsupported content type"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::IllegalTransition { .. } => ("illegal-transition", "Illegal transition"),
            Self::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            Self::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            Self::Unavailable(_) => ("unavailable", "Service temporarily unavailable"),
            Self::AuditUnavailable(_) => ("audit-unavailable", "Service temporarily unavailable"),
            Self::Internal(_) => ("internal", "Internal server error"),
            Self::MalformedRequest(_) => ("malformed-request", "The request could not be read"),
            Self::Http(s) => ("http", s.canonical_reason().unwrap_or("HTTP error")),
        }
    }

    /// What the client is told; never an internal cause.
    fn detail(&self) -> String {
        match self {
            Self::Validation(errors) if errors.len() == 1 && errors[0].pointer.is_empty() => {
                format!("the body {}", errors[0].detail)
            }
            Self::Validation(errors) if errors.len() == 1 => {
                format!("{}: {}", errors[0].pointer, errors[0].detail)
            }
            // A list cut at the most reported ends with an entry saying so.
            Self::Validation(errors) if errors.len() > MAX_ERRORS => format!(
                "more than {MAX_ERRORS} fields are not valid; the first {MAX_ERRORS} are listed"
            ),
            Self::Validation(errors) => format!("{} fields are not valid", errors.len()),
            Self::MethodNotAllowed(allow) => {
                format!("this resource answers only {}", allow.join(", "))
            }
            Self::UnsupportedMediaType => "send the body as application/json".into(),
            Self::Unavailable(_) => "the database is not reachable now; retry later".into(),
            Self::AuditUnavailable(_) => {
                "the audit log cannot record this request now, so it was not carried out; \
                 retry later"
                    .into()
            }
            Self::Internal(_) => "an unexpected error occurred; quote the instance id".into(),
            // Said without quoting anything of the head, which may carry a NIK anywhere.
            Self::MalformedRequest(status) => match *status {
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
                    "the request head is larger than the server reads (128 KiB)".into()
                }
                StatusCode::REQUEST_TIMEOUT => {
                    "the request head did not arrive within 5 seconds".into()
                }
                _ => "the request head could not be parsed as HTTP/1.1: the request line or a \
                      header is malformed (for example a control character in a header value, \
                      a header name that is not a token, an unknown HTTP version, or a \
                      Content-Length that is not a number)"
                    .into(),
            },
            other => other.to_string(),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            // A connection that cannot be had in time means the database is down or saturated.
            DbError::Pool(_) | DbError::Connect(_) | DbError::ConnectionLost => {
                Self::Unavailable(e.cause())
            }
            other => Self::Internal(other.cause()),
        }
    }
}

impl From<crate::db::QueryError> for ApiError {
    fn from(e: crate::db::QueryError) -> Self {
        DbError::from(e).into()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope(_) | Self::Forbidden(_) | Self::NotCovered(..) => {
                StatusCode::FORBIDDEN
            }
            Self::NotFound(_) | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } | Self::TooManyItems { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Conflict(_) | Self::IllegalTransition { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::AuditUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::MalformedRequest(status) | Self::Http(status) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (slug, title) = self.slug_and_title();
        if status.is_server_error() {
            // Only the problem type and the fixed-words cause (see the variants).
            tracing::error!(problem = slug, cause = %self, "request failed");
        }
        let problem = Problem {
            type_: format!("urn:sinergi:problem:{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: current_request_id().unwrap_or_default(),
            errors: match self {
                Self::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            allowed_transitions: match self {
                Self::IllegalTransition { allowed, .. } => {
                    Some(allowed.iter().map(|a| (*a).to_owned()).collect())
                }
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        if let Self::MethodNotAllowed(allow) = self {
            response.insert_header((header::ALLOW, allow.join(", ")));
        }
        match self {
            Self::Unauthorized(reason) => {
                let description = reason.replace(['"', '\\'], "'");
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!(
                        "Bearer realm=\"sinergi\", error=\"invalid_token\", error_description=\"{description}\""
                    ),
                ));
            }
            Self::InsufficientScope(scope) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!(
                        "Bearer realm=\"sinergi\", error=\"insufficient_scope\", scope=\"{scope}\""
                    ),
                ));
            }
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unavailable(_) | Self::AuditUnavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response
            .content_type(PROBLEM_JSON)
            .body(serde_json::to_string(&problem).expect("a problem always serialises"))
    }
}

/// A problem for a status that some layer produced without a problem body (the safety net).
pub fn for_status(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("no such resource".into()),
        StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::Unavailable("a layer answered 503 without a body")
        }
        s if s.is_server_error() => {
            ApiError::Internal("a layer answered a server error without a body")
        }
        s => ApiError::Http(s),
    }
}

/// Replaces an error response that some layer produced without a structured body (a built-in
/// extractor's text/plain, a static file service's empty 404) by a problem for the same
/// status. JSON bodies stay: they are ours (problems, and OAuth's own error format); so do
/// HTML ones, which only the console writes (its refusals are pages for people, and a failed
/// sign-in's page carries the cookie of the next attempt).
pub fn ensure_problem(res: HttpResponse) -> HttpResponse {
    let status = res.status();
    let structured = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            (v.starts_with("application/") && v.contains("json")) || v.starts_with("text/html")
        });
    if !(status.is_client_error() || status.is_server_error()) || structured {
        return res;
    }
    let mut replacement = for_status(status).error_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        replacement
            .headers_mut()
            .insert(header::ALLOW, allow.clone());
    }
    replacement
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Log output kept in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_server_errors_log_line_carries_no_text_of_the_database() {
        use diesel::result::{DatabaseErrorKind, Error};
        let nik = "3201011507850003";
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            for kind in [
                DatabaseErrorKind::Unknown,
                DatabaseErrorKind::CheckViolation,
            ] {
                let message = format!("invalid input syntax for type bigint: \"{nik}\"");
                let e = DbError::Query(Error::DatabaseError(kind, Box::new(message)));
                let res = ApiError::from(e).error_response();
                assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
            }
        });
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert_eq!(log.matches("request failed").count(), 2, "{log}");
        assert!(
            log.contains("a check constraint"),
            "the cause is logged: {log}"
        );
        assert!(!log.contains(nik), "{log}");
    }
}
