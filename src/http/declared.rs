//! What a client declares in headers that the audit log keeps in clear: the purpose of the
//! processing (`Sinergi-Purpose`) and the request id (`X-Request-Id`). Both are checked before
//! the request is served, since a request refused for them is recorded without them.

use actix_web::HttpMessage;
use actix_web::dev::ServiceRequest;
use actix_web::http::header::HeaderName;

use super::request_id::RefusedRequestId;
use crate::domain::personal_number;
use crate::http::problem::{ApiError, FieldError};

/// The header in which a client declares why it processes the data.
pub const PURPOSE_HEADER: HeaderName = HeaderName::from_static("sinergi-purpose");
/// Where a problem with the declared purpose points.
pub const PURPOSE_POINTER: &str = "#/header/Sinergi-Purpose";
/// Longest declared purpose, in characters.
pub const MAX_PURPOSE_CHARS: usize = 200;

/// Why free text may not hold a NIK or KK.
const IN_CLEAR: &str = "must not hold a 16-digit number such as a NIK or KK: it is stored and \
    logged in clear, where the exchange keeps only keyed hashes of NIKs";

/// The declared purpose, if one was sent: at most [`MAX_PURPOSE_CHARS`] characters without
/// control characters or a NIK-shaped number. Read as UTF-8, or else as ISO-8859-1 (what
/// HTTP historically allows in header values); surrounding blanks are dropped and an empty
/// value declares nothing. A request id that held a NIK-shaped number (replaced by a fresh
/// one at once, see [`crate::http::request_id`]) is refused here too.
pub fn purpose(req: &ServiceRequest) -> Result<Option<String>, ApiError> {
    if req.extensions().contains::<RefusedRequestId>() {
        return Err(ApiError::field("#/header/X-Request-Id", IN_CLEAR));
    }
    let Some(value) = req.headers().get(&PURPOSE_HEADER) else {
        return Ok(None);
    };
    let invalid =
        |detail: String| ApiError::Validation(vec![FieldError::new(PURPOSE_POINTER, detail)]);
    let bytes = value.as_bytes();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let text = text.trim();
    if text.chars().count() > MAX_PURPOSE_CHARS {
        return Err(invalid(format!(
            "must be at most {MAX_PURPOSE_CHARS} characters"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid("must not contain control characters".into()));
    }
    if personal_number::in_a_row(text) {
        return Err(invalid(IN_CLEAR.into()));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}
