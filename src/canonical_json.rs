//! RFC 8785 (JSON Canonicalization Scheme) encoding: one byte sequence per JSON value,
//! whatever the key order or number spelling it arrived with. Audit entries are hashed in
//! this form, and a record's content is compared in it to decide "unchanged".
//! A pure function of a JSON value: no I/O, no knowledge of records or entries.

use serde::Serialize;
use serde_json::Value;

/// The largest integer that survives a trip through an IEEE 754 double unchanged
/// (ECMAScript `Number.MAX_SAFE_INTEGER`, 2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a value has no canonical JSON form.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalError {
    /// Serialization failed: a map with non-string keys, or an error from the
    /// value's `Serialize` implementation.
    #[error("cannot serialize the entry as JSON: {0}")]
    Serialize(#[from] serde_json::Error),
    /// An integer beyond ±2^53: RFC 8785 encodes numbers as IEEE 754 doubles, so it
    /// would silently change value. Encode such numbers as strings instead.
    #[error("integer {0} is outside the range RFC 8785 numbers represent exactly")]
    UnsafeInteger(String),
}

/// The RFC 8785 canonical JSON bytes of `entry`: the bytes hashed for its leaf and
/// written as its export line (without the line's `\n`).
///
/// Numbers are formatted by `serde_jcs` (the ECMAScript way, RFC 8785 §3.2.2.3);
/// the structure is written by this module, because `serde_jcs` 0.1 sorts object
/// keys by their *escaped, quoted* bytes, which puts `"a!"` before `"a"`, where
/// RFC 8785 §3.2.3 sorts by UTF-16 code units. Integers must lie within ±2^53, the
/// range a double holds exactly (records are held to the stricter ±(2^53 − 1) of
/// [`MAX_SAFE_INTEGER`] by their own validation, as I-JSON asks of interoperable data).
/// Deviation from RFC 8785: a NaN or infinite float becomes `null`
/// (serde_json turns it into `null` before any formatter sees it) instead of an
/// error; audit entries hold no such values.
pub fn to_vec<T: Serialize + ?Sized>(entry: &T) -> Result<Vec<u8>, CanonicalError> {
    let value = serde_json::to_value(entry)?;
    let mut out = Vec::with_capacity(256);
    write_canonical(&value, &mut out, true)?;
    Ok(out)
}

/// Whether `line` is exactly the RFC 8785 canonical encoding of the JSON value it
/// holds: it parses as JSON (UTF-8, no duplicate object keys, no trailing
/// whitespace or newline) and canonicalizing the parsed value gives back the same
/// bytes.
pub fn is_canonical(line: &[u8]) -> bool {
    canonical_value(line).is_some()
}

/// Parses `line` and returns the value when `line` is canonical.
pub(crate) fn canonical_value(line: &[u8]) -> Option<Value> {
    let value: Value = serde_json::from_slice(line).ok()?;
    let mut out = Vec::with_capacity(line.len());
    write_canonical(&value, &mut out, false).ok()?;
    (out == line).then_some(value)
}

/// Writes `value` in RFC 8785 form. With `strict_integers`, integers that a double
/// cannot hold exactly are an error; otherwise they are written the way
/// ECMAScript would print the nearest double (which never equals a longer input).
fn write_canonical(
    value: &Value,
    out: &mut Vec<u8>,
    strict_integers: bool,
) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            let exact = number
                .as_i64()
                .filter(|i| i.unsigned_abs() <= 1 << 53)
                .map(|i| i.to_string())
                .or_else(|| {
                    number
                        .as_u64()
                        .filter(|u| *u <= 1 << 53)
                        .map(|u| u.to_string())
                });
            match exact {
                Some(digits) => out.extend_from_slice(digits.as_bytes()),
                // A double between 2^53 and 10^21 is written as a long integer (1e20 as
                // 100000000000000000000), which would read back as an unsafe integer: it is
                // refused alike, so that canonical output always canonicalises again. (From
                // 10^21 on, doubles are written with an exponent and read back as doubles.)
                None if strict_integers
                    && (number.is_i64()
                        || number.is_u64()
                        || number
                            .as_f64()
                            .is_some_and(|f| f.abs() > (1u64 << 53) as f64 && f.abs() < 1e21)) =>
                {
                    return Err(CanonicalError::UnsafeInteger(number.to_string()));
                }
                None => {
                    // serde_json numbers are finite, so this cannot fail.
                    let double = number.as_f64().unwrap_or(f64::NAN);
                    out.extend_from_slice(&serde_jcs::to_vec(&double)?);
                }
            }
        }
        Value::String(text) => serde_json::to_writer(&mut *out, text)?,
        Value::Array(items) => {
            out.push(b'[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_canonical(item, out, strict_integers)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push(b'{');
            for (position, (key, item)) in members.into_iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key)?;
                out.push(b':');
                write_canonical(item, out, strict_integers)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_by_utf16_code_units() {
        // RFC 8785 §3.2.3 example: sorted by UTF-16 code units, so U+1F600 (a
        // surrogate pair D83D DE00) comes before U+FB33 although its UTF-8 and its
        // code point are larger.
        let value = json!({"\u{20ac}": "Euro Sign", "\r": "Carriage Return",
            "\u{fb33}": "Hebrew Letter Dalet With Dagesh", "1": "One",
            "\u{1f600}": "Emoji: Grinning Face", "\u{0080}": "Control",
            "\u{00f6}": "Latin Small Letter O With Diaeresis"});
        let bytes = to_vec(&value).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let order: Vec<&str> = [
            "\\r",
            "1",
            "\u{0080}",
            "\u{00f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .into_iter()
        .collect();
        let mut last = 0;
        for key in order {
            let at = text.find(&format!("\"{key}\":")).unwrap();
            assert!(at >= last, "{key:?} out of order in {text}");
            last = at;
        }
    }

    #[test]
    fn prefix_keys_sort_first() {
        assert_eq!(
            to_vec(&json!({"a!": 1, "a": 2, "a b": 3})).unwrap(),
            br#"{"a":2,"a b":3,"a!":1}"#
        );
    }

    // The input of RFC 8785 §3.2.2, whose first number has more digits than a double.
    #[test]
    #[allow(clippy::excessive_precision)]
    fn rfc8785_numbers_and_strings() {
        let value = json!({"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0.0, 100.0],
            "string": "\u{20ac}$\u{000f}\u{000a}A'\u{0042}\u{0022}\u{005c}\\\"/",
            "literals": [null, true, false]});
        assert_eq!(
            String::from_utf8(to_vec(&value).unwrap()).unwrap(),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27,0,100],\"string\":\"\u{20ac}$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}"
        );
    }

    #[test]
    fn rejects_non_finite_and_unsafe_integers() {
        assert_eq!(to_vec(&[f64::NAN]).unwrap(), b"[null]");
        let mut by_number = std::collections::HashMap::new();
        by_number.insert(vec![1u8], 1);
        assert!(matches!(
            to_vec(&by_number),
            Err(CanonicalError::Serialize(_))
        ));
        assert!(matches!(
            to_vec(&json!({"n": MAX_SAFE_INTEGER + 2})),
            Err(CanonicalError::UnsafeInteger(_))
        ));
        assert_eq!(
            to_vec(&json!([MAX_SAFE_INTEGER, -(MAX_SAFE_INTEGER as i64)])).unwrap(),
            b"[9007199254740991,-9007199254740991]"
        );
        // 2^53 itself is exact as a double: the encoder's bound, though not a record's.
        assert_eq!(
            to_vec(&json!([1u64 << 53, -(1i64 << 53)])).unwrap(),
            b"[9007199254740992,-9007199254740992]"
        );
    }

    #[test]
    fn canonical_lines() {
        assert!(is_canonical(br#"{"a":1,"b":[true,null,"x"]}"#));
        assert!(is_canonical(b"0"));
        assert!(!is_canonical(br#"{"b":1,"a":2}"#), "unsorted keys");
        assert!(!is_canonical(br#"{"a": 1}"#), "whitespace");
        assert!(!is_canonical(b"{\"a\":1}\n"), "trailing newline");
        assert!(!is_canonical(br#"{"a":1.0}"#), "non-shortest number");
        assert!(!is_canonical(br#"{"a":1e2}"#), "exponent");
        assert!(!is_canonical(b"-0"), "negative zero");
        assert!(!is_canonical(br#"{"a":1,"a":1}"#), "duplicate key");
        assert!(!is_canonical(br#"{"a":"\u0041"}"#), "needless escape");
        assert!(!is_canonical(br#"{"a":"\/"}"#), "escaped solidus");
        assert!(!is_canonical(b"9007199254740993"), "not representable");
        assert!(!is_canonical(b"{\"a\":\"\xff\"}"), "invalid UTF-8");
        assert!(!is_canonical(b""), "empty");
    }

    mod props {
        use proptest::prelude::*;
        use serde_json::Value;

        use super::super::{MAX_SAFE_INTEGER, is_canonical, to_vec};

        /// Any JSON a client could send, within the numbers RFC 8785 keeps exactly.
        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                (-(MAX_SAFE_INTEGER as i64)..=MAX_SAFE_INTEGER as i64).prop_map(Value::from),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(Value::from),
                (-1e15f64..1e15).prop_map(Value::from),
                ".{0,12}".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 64, 6, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    proptest::collection::btree_map(".{0,6}", inner, 0..6)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            /// The canonical form parses back to the same value, is recognised as
            /// canonical, and canonicalising it again changes nothing.
            #[test]
            fn canonical_bytes_round_trip_and_are_a_fixed_point(value in json()) {
                // Doubles written as unsafe integers are refused; everything else has a
                // canonical form.
                let Ok(bytes) = to_vec(&value) else {
                    return Ok(());
                };
                prop_assert!(is_canonical(&bytes), "{}", String::from_utf8_lossy(&bytes));
                let back: Value = serde_json::from_slice(&bytes).unwrap();
                prop_assert_eq!(to_vec(&back).unwrap(), bytes);
            }

            /// Arbitrary bytes never make the checker panic.
            #[test]
            fn any_bytes_are_checked_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
                let _ = is_canonical(&bytes);
            }
        }
    }
}
