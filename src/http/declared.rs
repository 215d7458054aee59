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
const IN_CLEAR: &str = "must not hold a 16-digit number such as a NIK or KK (in a row, grouped \
    or next to letters): it is stored and logged in clear, where the exchange keeps only keyed \
    hashes of NIKs";

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
    if personal_number::appears_in(text) {
        return Err(invalid(IN_CLEAR.into()));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// The rule of [`purpose`] as a JSON Schema pattern, for the OpenAPI document: no control
/// characters, and no run of ASCII digits joined by single separators that holds a NIK's
/// sixteen. A regular expression without look-around says that by allowing at most fifteen
/// digits in a number and making whatever follows one end it. What it cannot say: that
/// digits inside a hexadecimal id do not count (the pattern refuses those), and that other
/// scripts' digits count too (the pattern allows them); the parameter's description does.
pub fn purpose_pattern() -> String {
    let controls = r"\u0000-\u001F\u007F-\u009F";
    let separator = format!("[{}]", personal_number::SEPARATORS);
    let other = format!("[^0-9{controls}{}]", personal_number::SEPARATORS);
    let mut number = "[0-9]".to_owned();
    for _ in 1..personal_number::DIGITS - 1 {
        number = format!("[0-9](?:{separator}?{number})?");
    }
    // A number is followed by another character, or by a separator and another character
    // or separator, so that no single separator can join it to the next; only the last
    // number of the text may end it.
    let ended = format!("{number}(?:{other}|{separator}(?:{other}|{separator}))");
    format!("^(?:{other}|{separator}|{ended})*(?:{number}{separator}?)?$")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::purpose_pattern;
    use crate::domain::personal_number::appears_in;

    proptest! {
        /// For text of ASCII digits, separators and letters that make no hexadecimal id, the
        /// pattern accepts exactly what the server accepts.
        #[test]
        fn the_pattern_says_the_rule(text in "[0-9 ._:/xyz-]{0,60}") {
            let pattern = regex::Regex::new(&purpose_pattern()).unwrap();
            prop_assert_eq!(pattern.is_match(&text), !appears_in(&text), "{}", text);
        }
    }

    #[test]
    fn the_pattern_refuses_grouped_and_glued_numbers() {
        let pattern = regex::Regex::new(&purpose_pattern()).unwrap();
        for text in [
            "PEMBERDAYAAN_EKONOMI: verifikasi calon peserta",
            "PKS 12/2026, Inpres 4/2025",
            "320101150785000",
            "3201 0115  0785 0003",
            "2026-12-02T08:39:18.123456Z",
        ] {
            assert!(pattern.is_match(text), "{text}");
        }
        for text in [
            "3201011507850003",
            "NIK3201011507850003",
            "NIK 3201.0115.0785.0003",
            "3201-0115-0785-0003.",
            "kontrol\tkarakter",
        ] {
            assert!(!pattern.is_match(text), "{text}");
        }
    }
}
