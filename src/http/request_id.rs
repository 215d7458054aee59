//! `X-Request-Id`: taken from the request when well formed, otherwise generated, and echoed
//! on every response. It is also the `instance` of every problem body.

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use super::problem::{self, REQUEST_ID};
use crate::domain::personal_number;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The request id, stored in the request's extensions for extractors and the logger.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Marks a request whose own id held a NIK-shaped number: it was replaced by a fresh id at
/// once, so that it is never logged or echoed, and the request is refused with 400 by the
/// recorder (`http::declared`), which records it.
#[derive(Debug, Clone, Copy)]
pub struct RefusedRequestId;

/// At most 128 characters of `A-Z a-z 0-9 . _ : -`: enough for UUIDs and trace ids, and nothing
/// that could split a header or a log line.
pub fn well_formed(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let sent = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed(v));
    let id = match sent {
        Some(sent) if personal_number::appears_in(sent) => {
            req.extensions_mut().insert(RefusedRequestId);
            None
        }
        sent => sent.map(str::to_owned),
    }
    .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let value = HeaderValue::from_str(&id).expect("a well-formed id is a valid header value");
    let outcome = REQUEST_ID.scope(id.clone(), next.call(req)).await;
    // Problem bodies made below must carry the id too, so they are rendered inside the scope.
    REQUEST_ID.sync_scope(id, || match outcome {
        Ok(res) => {
            let (req, res) = res.map_into_boxed_body().into_parts();
            let mut res = problem::ensure_problem(res);
            res.headers_mut().insert(HEADER, value);
            Ok(ServiceResponse::new(req, res))
        }
        Err(e) => {
            // A layer failed without a request at hand; render its response here and hand
            // it back as an error that answers with exactly that response.
            let mut res = problem::ensure_problem(e.error_response());
            res.headers_mut().insert(HEADER, value);
            Err(InternalError::from_response(e, res).into())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn only_plain_ids_are_taken_from_the_client() {
        assert!(well_formed("3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11"));
        assert!(well_formed("trace:abc.def_1"));
        assert!(!well_formed(""));
        assert!(!well_formed("abc\r\nSet-Cookie: x=1"));
        assert!(!well_formed("a b"));
        assert!(!well_formed(&"a".repeat(129)));
        assert!(!well_formed("ü"));
    }
}
