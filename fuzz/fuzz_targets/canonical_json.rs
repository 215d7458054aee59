//! `canonical_json::to_vec` and `is_canonical` on arbitrary bytes.
//!
//! Checks, for every input that parses as a `serde_json::Value`:
//!
//! * `to_vec` fails only for a number RFC 8785 cannot keep exactly (an integer beyond
//!   ±2^53, or a double between 2^53 and 10^21 that would be written as such an integer),
//!   and then with `UnsafeInteger`;
//! * otherwise its output is canonical (`is_canonical`), is valid UTF-8 JSON that re-parses
//!   to an equivalent value (numbers compared as IEEE 754 doubles), and canonicalising the
//!   re-parsed value gives the same bytes again (a fixed point);
//! * an input that `is_canonical` accepts is its own canonical form.
//!
//! And for every input: `is_canonical` never panics, and accepts only what parses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sinergi::canonical_json::{CanonicalError, is_canonical, to_vec};
use sinergi_fuzz::json_equivalent;

const TWO_53: u64 = 1 << 53;

fn has_unsafe_number(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.unsigned_abs() > TWO_53
            } else if let Some(u) = n.as_u64() {
                u > TWO_53
            } else {
                let f = n.as_f64().expect("a finite double").abs();
                f > TWO_53 as f64 && f < 1e21
            }
        }
        Value::Array(items) => items.iter().any(has_unsafe_number),
        Value::Object(map) => map.values().any(has_unsafe_number),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let canonical_input = is_canonical(data);
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        assert!(
            !canonical_input,
            "is_canonical accepted what does not parse"
        );
        return;
    };
    match to_vec(&value) {
        Err(CanonicalError::UnsafeInteger(_)) => {
            assert!(
                has_unsafe_number(&value),
                "refused a value without unsafe numbers"
            );
        }
        Err(e) => panic!("a parsed JSON value has no canonical form: {e}"),
        Ok(bytes) => {
            assert!(!has_unsafe_number(&value), "wrote an unsafe number");
            let text = std::str::from_utf8(&bytes).expect("canonical JSON is UTF-8");
            assert!(is_canonical(&bytes), "output not canonical: {text}");
            let back: Value = serde_json::from_slice(&bytes).expect("canonical JSON parses");
            assert!(
                json_equivalent(&value, &back),
                "canonical form changed the value: {value} became {text}"
            );
            assert_eq!(
                to_vec(&back).expect("canonical again"),
                bytes,
                "not a fixed point"
            );
            if canonical_input {
                assert_eq!(bytes, data, "a canonical input is its own canonical form");
            }
        }
    }
});
