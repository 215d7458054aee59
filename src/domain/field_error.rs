//! A problem with one part of a request, and how serde's complaints become one.
//!
//! What an answer may repeat of what a client sent: nothing, except names the server knows
//! as its own (the schema's field and parameter names). A NIK can arrive in any field, path, query or header, so details say which
//! part is wrong and why in the server's own words. serde's messages quote the value they
//! refused (``invalid type: integer `3201011507850003`, expected a string``) and the names
//! they did not know (``unknown field `…` ``); [`describe`] and the pointers built here do
//! neither. Used by the validation of every layer; the HTTP layer renders it.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_path_to_error::{Path, Segment};
use utoipa::ToSchema;

/// One problem with one part of the request.
// Deserialize: `sinergi push` reads the server's answers with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"pointer": "/household/kk", "detail": "must be 16 digits, got 15"}))]
pub struct FieldError {
    /// Where the problem is: an RFC 6901 JSON pointer into the body (`/items/3/household/kk`),
    /// or `#/query/NAME`, `#/path/NAME`, `#/header/NAME` for other parts of the request.
    pub pointer: String,
    pub detail: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, detail: impl ToString) -> Self {
        Self {
            pointer: pointer.into(),
            detail: detail.to_string(),
        }
    }

    pub fn query(name: &str, detail: impl ToString) -> Self {
        Self::new(format!("#/query/{name}"), detail)
    }

    pub fn path(name: &str, detail: impl ToString) -> Self {
        Self::new(format!("#/path/{name}"), detail)
    }
}

/// The member and parameter names the API's own schema defines, learnt once at start-up
/// from the OpenAPI document ([`learn_schema_names`]).
static SCHEMA_NAMES: OnceLock<HashSet<String>> = OnceLock::new();

/// Tells this module which names are the schema's own: every property and query or path
/// parameter name of the API's document. Only the first call counts (every later one would
/// pass the same document). Until it is made, no name is repeated.
pub fn learn_schema_names(names: impl IntoIterator<Item = String>) {
    let _ = SCHEMA_NAMES.set(names.into_iter().collect());
}

/// Whether a name the client chose (a JSON member, a query parameter) may be repeated in an
/// answer: only a name the server knows to be its own, a schema's field or parameter name,
/// which holds no personal data whoever sends it. A misspelt field, an attribute's key or a
/// personal name (`Siti_Rahayu`) is described without being repeated.
pub fn may_repeat_name(name: &str) -> bool {
    SCHEMA_NAMES
        .get()
        .is_some_and(|known| is_schema_name(name, known))
}

/// [`may_repeat_name`] against `known`: a lowercase snake_case ASCII identifier, as the
/// schema's names all are, that `known` holds.
fn is_schema_name(name: &str, known: &HashSet<String>) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && known.contains(name)
}

/// serde's message about a refused value, without the value and without an unknown name.
/// `expected …` parts are the server's own words (from the schema), so they stay.
pub fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        // The expected part is the server's; the unexpected part before it quotes the
        // client, who may have put ", expected " into a string.
        return match rest.rsplit_once(", expected ") {
            Some((unexpected, expected)) => {
                format!("must be {expected}, not {}", kind(unexpected))
            }
            None => "has the wrong type".into(),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return match rest.rsplit_once(", expected ") {
            Some((_, expected)) => format!("must be {expected}"),
            None => "is not an accepted value".into(),
        };
    }
    if message.starts_with("unknown variant `") {
        return match message.rsplit_once("`, expected ") {
            Some((_, expected)) => format!("must be {expected}"),
            None => "is not an accepted value".into(),
        };
    }
    if message.starts_with("unknown field `") {
        return match message.rsplit_once("`, expected ") {
            Some((_, expected)) => format!("is not a field here; expected {expected}"),
            None => "is not a field here; this object has no fields".into(),
        };
    }
    if message.starts_with("UUID parsing failed") {
        // The uuid crate names the offending character and its position.
        return "must be a UUID".into();
    }
    // `missing field` and `duplicate field` name schema fields; the rest are the messages
    // of the schema's own types and of number, boolean and date parsers, none of which
    // quote their input.
    message.to_owned()
}

/// The kind of value serde's `unexpected` part describes (`integer `5``, `string "x"`),
/// without the value.
fn kind(unexpected: &str) -> &'static str {
    let word = unexpected
        .split(['`', '"'])
        .next()
        .unwrap_or_default()
        .trim();
    match word {
        "integer" => "an integer",
        "floating point" => "a number with a fraction",
        "string" | "character" => "a string",
        "boolean" => "a boolean",
        "null" | "unit value" => "null",
        "sequence" => "an array",
        "map" => "an object",
        _ => "a value of another type",
    }
}

/// Deserialises an already parsed JSON value (one item of a batch, say); the error's
/// pointer starts with `prefix` (`/items/7`).
pub fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|e| field_error(prefix, e.path(), e.inner()))
}

pub(crate) fn field_error(prefix: &str, path: &Path, inner: &serde_json::Error) -> FieldError {
    let message = strip_position(inner);
    let detail = describe(&message);
    let Some(mut pointer) = pointer(path) else {
        // A member name on the way could be personal data: point at the object holding it.
        let (at, _) = pointer_to_named(path);
        return FieldError::new(
            format!("{prefix}{at}"),
            format!("has a member whose name is not repeated here; that member {detail}"),
        );
    };
    // serde reports a missing field at its parent; point at the field itself (a schema
    // name). An unknown field's path already ends with its name.
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        pointer = format!("{pointer}/{}", field.replace('~', "~0").replace('/', "~1"));
    }
    FieldError::new(format!("{prefix}{pointer}"), detail)
}

/// serde_json appends " at line L column C" to data errors; the pointer says where already.
fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

/// An RFC 6901 JSON pointer for a serde path (`items[3].kk` → `/items/3/kk`), or `None`
/// when a member name on the path may not be repeated (see [`may_repeat_name`]).
fn pointer(path: &Path) -> Option<String> {
    match pointer_to_named(path) {
        (pointer, true) => Some(pointer),
        (_, false) => None,
    }
}

/// The pointer up to the first member name that may not be repeated, and whether the whole
/// path was written.
fn pointer_to_named(path: &Path) -> (String, bool) {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } if may_repeat_name(key) => {
                out.push_str(&format!("/{key}"))
            }
            Segment::Map { .. } | Segment::Enum { .. } => return (out, false),
            Segment::Unknown => out.push_str("/-"),
        }
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIK: &str = "3201011507850003";

    #[test]
    fn only_the_schemas_own_names_may_be_repeated() {
        let known: HashSet<String> = ["head_nik", "member_niks", "include_retracted", "limit"]
            .map(str::to_owned)
            .into();
        for name in ["head_nik", "member_niks", "include_retracted", "limit"] {
            assert!(is_schema_name(name, &known), "{name}");
        }
        for name in [
            NIK,
            "x3201011507850003",
            "nik_320101",
            // Shaped like a field name, yet not one: a personal name, a typo, a key of
            // `attributes`.
            "Siti_Rahayu",
            "siti_rahayu",
            "Head_nik",
            "head_nikk",
            "pkh_2024",
            "Budi Santoso",
            "a/b",
            "",
            &"a".repeat(65),
        ] {
            assert!(!is_schema_name(name, &known), "{name}");
        }
    }

    #[test]
    fn serde_messages_lose_the_values_they_quote() {
        let cases = [
            (
                format!("invalid type: integer `{NIK}`, expected a string"),
                "must be a string, not an integer",
            ),
            (
                format!("invalid type: string \"{NIK}, expected x\", expected u8"),
                "must be u8, not a string",
            ),
            (
                format!("invalid value: integer `{NIK}`, expected u8"),
                "must be u8",
            ),
            (
                format!("unknown variant `{NIK}`, expected `natural` or `self_reliant`"),
                "must be `natural` or `self_reliant`",
            ),
            (
                format!("unknown field `{NIK}`, expected one of `nik`, `kk`"),
                "is not a field here; expected one of `nik`, `kk`",
            ),
            (
                format!("UUID parsing failed: invalid character: found `{NIK}`"),
                "must be a UUID",
            ),
            (
                "invalid type: null, expected a string".into(),
                "must be a string, not null",
            ),
            ("missing field `program`".into(), "missing field `program`"),
        ];
        for (message, expected) in cases {
            let described = describe(&message);
            assert_eq!(described, expected);
            assert!(!described.contains(NIK));
        }
    }
}
