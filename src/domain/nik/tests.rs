use super::*;
use crate::domain::region::{self, RegionLevel};

/// Builds a NIK string from its parts (no validation).
fn nik(region: &str, dd: u32, mm: u32, yy: u32, serial: &str) -> String {
    format!("{region}{dd:02}{mm:02}{yy:02}{serial}")
}

fn parse_date(dd: u32, mm: u32, yy: u32) -> Result<Nik, NikError> {
    Nik::parse(&nik("320101", dd, mm, yy, "0001"))
}

/// Independent oracle: does `day`-`month` exist in 19yy or 20yy?
fn oracle_date_exists(day: u32, month: u32, yy: u32) -> bool {
    let leap = |y: u32| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let max = |y: u32| match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => 0,
    };
    day >= 1 && (day <= max(1900 + yy) || day <= max(2000 + yy))
}

#[test]
fn valid_nik_and_accessors() {
    let n = Nik::parse("3201015708900123").unwrap();
    assert_eq!(n.as_str(), "3201015708900123");
    assert_eq!(n.to_string(), "3201015708900123");
    assert_eq!(n.province(), "32");
    assert!(n.is_female());
    assert_eq!(n.birth_date(), (17, 8, 90));
    let m: Nik = "3201011708900123".parse().unwrap();
    assert!(!m.is_female());
    assert_eq!(m.birth_date(), (17, 8, 90));
    assert_eq!(Nik::try_from(String::from("3201011708900123")).unwrap(), m);
    assert_eq!(String::from(m), "3201011708900123");
}

#[test]
fn womens_day_plus_forty() {
    assert!(parse_date(41, 1, 90).is_ok());
    assert!(parse_date(71, 1, 90).is_ok()); // 31 January
    assert_eq!(parse_date(72, 1, 90), Err(NikError::InvalidDay(72)));
    for dd in 32..=40 {
        assert_eq!(
            parse_date(dd, 1, 90),
            Err(NikError::InvalidDay(dd)),
            "day {dd}"
        );
    }
    assert_eq!(parse_date(0, 1, 90), Err(NikError::InvalidDay(0)));
    assert_eq!(parse_date(99, 1, 90), Err(NikError::InvalidDay(99)));
    // +40 applies to the date check too: 71-04 is 31 April.
    assert_eq!(
        parse_date(71, 4, 90),
        Err(NikError::NonexistentDate {
            day: 31,
            month: 4,
            yy: 90
        })
    );
    assert_eq!(
        parse_date(70, 2, 90),
        Err(NikError::NonexistentDate {
            day: 30,
            month: 2,
            yy: 90
        })
    );
    assert_eq!(
        parse_date(35, 1, 90).unwrap_err().to_string(),
        "birth day 35 is not valid (must be 01-31, or 41-71 for women)"
    );
}

#[test]
fn february_29() {
    for yy in [0, 24, 96, 4, 88] {
        assert!(parse_date(29, 2, yy).is_ok(), "29-02-{yy:02}");
        assert!(parse_date(69, 2, yy).is_ok(), "woman 29-02-{yy:02}");
    }
    for yy in [23, 1, 99, 50] {
        let err = parse_date(29, 2, yy).unwrap_err();
        assert_eq!(
            err,
            NikError::NonexistentDate {
                day: 29,
                month: 2,
                yy
            }
        );
        assert_eq!(parse_date(69, 2, yy).unwrap_err(), err);
    }
    assert_eq!(
        parse_date(29, 2, 23).unwrap_err().to_string(),
        "birth date 29-02 does not exist: neither 1923 nor 2023 is a leap year"
    );
    assert_eq!(
        parse_date(29, 2, 1).unwrap_err().to_string(),
        "birth date 29-02 does not exist: neither 1901 nor 2001 is a leap year"
    );
}

#[test]
fn impossible_dates_and_months() {
    assert_eq!(
        parse_date(31, 4, 90).unwrap_err().to_string(),
        "birth date 31-04 does not exist"
    );
    assert_eq!(
        parse_date(30, 2, 0).unwrap_err().to_string(),
        "birth date 30-02 does not exist"
    );
    for mm in [6, 9, 11] {
        assert!(parse_date(31, mm, 90).is_err());
        assert!(parse_date(30, mm, 90).is_ok());
    }
    for mm in [1, 3, 5, 7, 8, 10, 12] {
        assert!(parse_date(31, mm, 90).is_ok());
    }
    assert_eq!(parse_date(1, 0, 90), Err(NikError::InvalidMonth(0)));
    assert_eq!(parse_date(1, 13, 90), Err(NikError::InvalidMonth(13)));
    assert_eq!(
        parse_date(1, 13, 90).unwrap_err().to_string(),
        "birth month 13 is not valid (must be 01-12)"
    );
}

#[test]
fn every_day_month_year_agrees_with_oracle() {
    for yy in 0..=99 {
        for mm in 0..=13 {
            for dd in 0..=99 {
                let expected = (1..=12).contains(&mm)
                    && match dd {
                        1..=31 => oracle_date_exists(dd, mm, yy),
                        41..=71 => oracle_date_exists(dd - 40, mm, yy),
                        _ => false,
                    };
                assert_eq!(
                    parse_date(dd, mm, yy).is_ok(),
                    expected,
                    "{dd:02}-{mm:02}-{yy:02}"
                );
            }
        }
    }
}

#[test]
fn region_part() {
    for pp in ["00", "20", "99"] {
        let err = Nik::parse(&nik(&format!("{pp}0101"), 1, 1, 90, "0001")).unwrap_err();
        assert_eq!(err, NikError::UnknownProvince(pp.into()));
        assert_eq!(
            err.to_string(),
            format!("province code {pp} is not in the region table")
        );
    }
    assert_eq!(
        Nik::parse(&nik("320001", 1, 1, 90, "0001")),
        Err(NikError::ZeroRegency)
    );
    assert_eq!(
        Nik::parse(&nik("320100", 1, 1, 90, "0001")),
        Err(NikError::ZeroDistrict)
    );
    // Regency/district codes are format-checked only: 32.99.99 does not exist.
    assert!(Nik::parse(&nik("329999", 1, 1, 90, "0001")).is_ok());
}

#[test]
fn serial_0000() {
    let err = Nik::parse(&nik("320101", 1, 1, 90, "0000")).unwrap_err();
    assert_eq!(err, NikError::ZeroSerial);
    assert_eq!(err.to_string(), "serial number 0000 is not valid");
    assert!(Nik::parse(&nik("320101", 1, 1, 90, "9999")).is_ok());
}

#[test]
fn characters_whitespace_and_length() {
    let ws = [
        "3201011708900123 ",
        " 3201011708900123",
        "32010117 08900123",
        "3201011708900123\n",
        "\t3201011708900123",
        "3201011708900123\u{a0}",
    ];
    for s in ws {
        assert_eq!(Nik::parse(s), Err(NikError::Whitespace), "{s:?}");
    }
    assert_eq!(
        NikError::Whitespace.to_string(),
        "must not contain whitespace"
    );
    assert_eq!(
        Nik::parse("١٢٣"),
        Err(NikError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        Nik::parse("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦"),
        Err(NikError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        Nik::parse("32０1011708900123"),
        Err(NikError::NonAsciiDigit { position: 3 })
    );
    assert_eq!(
        Nik::parse("320101170890012３"),
        Err(NikError::NonAsciiDigit { position: 16 })
    );
    assert_eq!(
        Nik::parse("32010117089001٢3").unwrap_err().to_string(),
        "must contain only ASCII digits 0-9, found a non-ASCII digit at position 15"
    );
    assert_eq!(
        Nik::parse("320101170890012A"),
        Err(NikError::NotADigit { position: 16 })
    );
    assert_eq!(
        Nik::parse("3201-0117089001"),
        Err(NikError::NotADigit { position: 5 })
    );
    assert_eq!(
        Nik::parse("abcdefghijklmnop"),
        Err(NikError::NotADigit { position: 1 })
    );
    assert_eq!(Nik::parse(""), Err(NikError::Empty));
    assert_eq!(
        Nik::parse("320101170890012"),
        Err(NikError::Length { got: 15 })
    );
    assert_eq!(
        Nik::parse("32010117089001234"),
        Err(NikError::Length { got: 17 })
    );
    assert_eq!(
        Nik::parse("320101170890012").unwrap_err().to_string(),
        "must be 16 digits, got 15"
    );
    assert_eq!(
        Nik::parse("32010117089001234").unwrap_err().to_string(),
        "must be 16 digits, got 17"
    );
}

#[test]
fn serde_round_trip_and_errors() {
    let json = "\"3201015708900123\"";
    let n: Nik = serde_json::from_str(json).unwrap();
    assert_eq!(n.as_str(), "3201015708900123");
    assert_eq!(serde_json::to_string(&n).unwrap(), json);
    let err = serde_json::from_str::<Nik>("\"320101570890012\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be 16 digits, got 15"), "{err}");
    assert!(!err.contains("320101570890012"), "{err}");
    let err = serde_json::from_str::<Nik>("\"3201013102900123\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("birth date 31-02 does not exist"), "{err}");
    assert!(serde_json::from_str::<Nik>("3201015708900123").is_err()); // a number, not a string
}

#[test]
fn debug_is_masked() {
    let n = Nik::parse("3201015708900123").unwrap();
    let debug = format!("{n:?}");
    assert_eq!(debug, "Nik(320101**********)");
    assert!(!debug.contains("3201015708900123"));
    assert!(!debug.contains("570890"));
    assert!(!debug.contains("0123"));
    let nested = format!("{:?}", Some(vec![n.clone()]));
    assert!(!nested.contains(n.as_str()), "{nested}");
}

#[test]
fn openapi_schema_is_a_16_digit_string() {
    let schema = serde_json::to_value(<Nik as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(schema["type"], "string", "{schema}");
    assert_eq!(schema["pattern"], "^[0-9]{16}$", "{schema}");
    assert!(
        Nik::parse(schema["example"].as_str().unwrap()).is_ok(),
        "{schema}"
    );
}

mod props;
