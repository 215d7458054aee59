use super::*;
use crate::domain::region::{self, RegionLevel};
use proptest::prelude::*;
use std::sync::LazyLock;

static PROVINCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    // Provinces come first in `rows()`.
    region::rows()
        .take_while(|r| r.level == RegionLevel::Province)
        .map(|r| r.code)
        .collect()
});

#[test]
fn valid_kk_and_accessors() {
    let k = Kk::parse("3301010101090001").unwrap();
    assert_eq!(k.as_str(), "3301010101090001");
    assert_eq!(k.to_string(), "3301010101090001");
    assert_eq!(k.province(), "33");
    assert_eq!("3301010101090001".parse::<Kk>().unwrap(), k);
    assert_eq!(Kk::try_from(String::from("3301010101090001")).unwrap(), k);
    assert_eq!(String::from(k), "3301010101090001");
    // Only province and serial are checked: the middle digits are free.
    assert!(Kk::parse("9600000000000001").is_ok());
    assert!(Kk::parse("1199999999999999").is_ok());
}

#[test]
fn province_must_be_in_table() {
    for pp in ["00", "20", "99", "10", "37"] {
        let err = Kk::parse(&format!("{pp}01010101090001")).unwrap_err();
        assert_eq!(err, KkError::UnknownProvince(pp.into()));
        assert_eq!(
            err.to_string(),
            format!("province code {pp} is not in the region table")
        );
    }
    for pp in ["11", "31", "65", "96"] {
        assert!(Kk::parse(&format!("{pp}01010101090001")).is_ok(), "{pp}");
    }
}

#[test]
fn serial_0000() {
    let err = Kk::parse("3301010101090000").unwrap_err();
    assert_eq!(err, KkError::ZeroSerial);
    assert_eq!(err.to_string(), "serial number 0000 is not valid");
    assert!(Kk::parse("3301010101091000").is_ok());
    assert!(Kk::parse("3301010101090010").is_ok());
}

#[test]
fn characters_whitespace_and_length() {
    for s in [
        " 3301010101090001",
        "3301010101090001 ",
        "33010101 01090001",
        "3301010101090001\r\n",
        "\u{2003}3301010101090001",
    ] {
        assert_eq!(Kk::parse(s), Err(KkError::Whitespace), "{s:?}");
    }
    assert_eq!(Kk::parse("").unwrap_err().to_string(), "must not be empty");
    assert_eq!(
        Kk::parse("١٢٣"),
        Err(KkError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        Kk::parse("３３01010101090001"),
        Err(KkError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        Kk::parse("330101010109000１"),
        Err(KkError::NonAsciiDigit { position: 16 })
    );
    assert_eq!(
        Kk::parse("33010101010900O1"),
        Err(KkError::NotADigit { position: 15 })
    );
    assert_eq!(
        Kk::parse("KK3301010101090001").unwrap_err().to_string(),
        "must contain only ASCII digits 0-9, found a non-digit character at position 1"
    );
    assert_eq!(
        Kk::parse("330101010109000"),
        Err(KkError::Length { got: 15 })
    );
    assert_eq!(
        Kk::parse("33010101010900011").unwrap_err().to_string(),
        "must be 16 digits, got 17"
    );
    assert_eq!(
        Kk::parse("33").unwrap_err().to_string(),
        "must be 16 digits, got 2"
    );
}

#[test]
fn serde_round_trip_and_errors() {
    let json = "\"3301010101090001\"";
    let k: Kk = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&k).unwrap(), json);
    let err = serde_json::from_str::<Kk>("\"3301010101090000\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("serial number 0000 is not valid"), "{err}");
    let err = serde_json::from_str::<Kk>("\"2001010101090001\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("province code 20 is not in the region table"),
        "{err}"
    );
    assert!(!err.contains("2001010101090001"), "{err}");
}

#[test]
fn debug_is_masked() {
    let k = Kk::parse("3301010101090001").unwrap();
    let debug = format!("{k:?}");
    assert_eq!(debug, "Kk(330101**********)");
    assert!(!debug.contains(k.as_str()));
    assert!(!debug.contains("0001"));
}

// ---- property tests ----

fn valid_kk() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PROVINCES.clone()),
        "[0-9]{10}",
        1..=9999u32,
    )
        .prop_map(|(pp, middle, serial)| format!("{pp}{middle}{serial:04}"))
}

fn set(s: &str, at: usize, part: &str) -> String {
    format!("{}{}{}", &s[..at], part, &s[at + part.len()..])
}

fn non_digit() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'a', 'X', 'O', '-', '.', '_', '#', '١', '٩', '３', '৩', '٥', '³', '⅓', 'ß', '\u{feff}',
    ])
}

proptest! {
    #[test]
    fn valid_kks_parse_and_round_trip(s in valid_kk()) {
        let k = Kk::parse(&s).unwrap();
        prop_assert_eq!(k.to_string(), s.clone());
        prop_assert_eq!(k.province(), &s[..2]);
        let json = serde_json::to_string(&k).unwrap();
        prop_assert_eq!(&json, &format!("\"{s}\""));
        prop_assert_eq!(serde_json::from_str::<Kk>(&json).unwrap(), k.clone());
        let debug = format!("{:?}", k);
        prop_assert!(!debug.contains(&s[6..]), "{}", debug);
    }

    #[test]
    fn zero_serial_is_caught(s in valid_kk()) {
        prop_assert_eq!(Kk::parse(&set(&s, 12, "0000")), Err(KkError::ZeroSerial));
    }

    #[test]
    fn unknown_province_is_caught(s in valid_kk(), pp in 0..=99u32) {
        let pp = format!("{pp:02}");
        prop_assume!(!PROVINCES.contains(&pp));
        let bad = set(&s, 0, &pp);
        let err = Kk::parse(&bad).unwrap_err();
        prop_assert_eq!(&err, &KkError::UnknownProvince(pp));
        prop_assert!(!err.to_string().contains(&bad));
    }

    #[test]
    fn non_digit_is_caught(s in valid_kk(), at in 0..16usize, c in non_digit()) {
        let mut chars: Vec<char> = s.chars().collect();
        chars[at] = c;
        let bad: String = chars.into_iter().collect();
        let err = Kk::parse(&bad).unwrap_err();
        prop_assert!(matches!(err, KkError::NotADigit { position } | KkError::NonAsciiDigit { position } if position == at + 1), "{:?}", err);
    }

    #[test]
    fn dropped_or_added_digit_is_caught(s in valid_kk(), at in 0..16usize, extra in 0..=9u8, add in any::<bool>()) {
        let mut bad = s.clone();
        if add { bad.insert(at, char::from(b'0' + extra)); } else { bad.remove(at); }
        prop_assert_eq!(Kk::parse(&bad), Err(KkError::Length { got: if add { 17 } else { 15 } }));
    }
}

#[test]
fn openapi_schema_is_a_16_digit_string() {
    let schema = serde_json::to_value(<Kk as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(schema["type"], "string", "{schema}");
    assert_eq!(schema["pattern"], "^[0-9]{16}$", "{schema}");
    assert!(
        Kk::parse(schema["example"].as_str().unwrap()).is_ok(),
        "{schema}"
    );
}
