//! What an answer may repeat of what a client sent: nothing, except names that cannot hold
//! personal data. A NIK can arrive in any field, path, query or header, so error details say
//! which part is wrong and why in the server's own words.
//!
//! serde's messages quote the value they refused (``invalid type: integer `3201011507850003`,
//! expected a string``) and the names they did not know (``unknown field `…` ``); these
//! functions turn them into messages that do neither.

/// Whether a name the client chose (a JSON member, a query parameter) may be repeated in an
/// answer: at most 64 characters of `A-Z a-z 0-9 _ -`, with at most four digits, which no
/// NIK, KK, phone number or personal name fits. Schema names all pass; anything else is
/// described without being repeated.
pub fn may_repeat_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && name.bytes().filter(u8::is_ascii_digit).count() <= 4
}

/// A request method as logs and the audit log may name it: the standard ones by name, any
/// other as `OTHER`, since a client may send any token as a method, digits included.
pub fn method(method: &actix_web::http::Method) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("OTHER")
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

#[cfg(test)]
mod tests {
    use super::*;

    const NIK: &str = "3201011507850003";

    #[test]
    fn schema_names_may_be_repeated_numbers_and_free_text_may_not() {
        for name in [
            "head_nik",
            "member_niks",
            "include_retracted",
            "limit",
            "pkh_2024",
        ] {
            assert!(may_repeat_name(name), "{name}");
        }
        for name in [
            NIK,
            "x3201011507850003",
            "nik_320101",
            "Budi Santoso",
            "a/b",
            "",
            &"a".repeat(65),
        ] {
            assert!(!may_repeat_name(name), "{name}");
        }
    }

    #[test]
    fn only_standard_methods_are_named() {
        use actix_web::http::Method;
        assert_eq!(method(&Method::GET), "GET");
        assert_eq!(method(&Method::from_bytes(b"PROPFIND").unwrap()), "OTHER");
        assert_eq!(
            method(&Method::from_bytes(NIK.as_bytes()).unwrap()),
            "OTHER"
        );
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
