//! `Nik::parse` on arbitrary text (and on the input read as digits, to reach valid NIKs
//! often). Checks, besides "never panics":
//!
//! * acceptance is exactly the documented rule set, computed independently here: 16 ASCII
//!   digits, province in `data/regions/provinces.csv`, regency and district not `00`, day
//!   01-31 or 41-71 (women), month 01-12, the date exists in 19YY or 20YY, serial not
//!   `0000`; and a refusal names the first rule broken, in the documented order;
//! * every way in (`parse`, `FromStr`, `TryFrom<String>`, serde) agrees;
//! * an accepted NIK round-trips through `as_str`, `Display`, `String::from` and JSON to the
//!   same text and the same value, and its accessors agree with the digits;
//! * neither `Debug` of a NIK nor an error message shows the input's digits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi::domain::nik::{Nik, NikError};
use sinergi_fuzz::{
    DigitsVerdict, REGIONS, as_digits, check_masked_digits, days_in_month, digits_verdict,
};

fn two(s: &str, at: usize) -> u32 {
    s[at..at + 2].parse().expect("two digits")
}

/// The documented rules, in their documented order.
fn expected(s: &str) -> Result<(), NikError> {
    match digits_verdict(s, 16) {
        DigitsVerdict::Ok => {}
        DigitsVerdict::Empty => return Err(NikError::Empty),
        DigitsVerdict::Whitespace => return Err(NikError::Whitespace),
        DigitsVerdict::NonAsciiDigit(position) => return Err(NikError::NonAsciiDigit { position }),
        DigitsVerdict::NotADigit(position) => return Err(NikError::NotADigit { position }),
        DigitsVerdict::Length(got) => return Err(NikError::Length { got }),
    }
    if !REGIONS.provinces.contains(&s[..2]) {
        return Err(NikError::UnknownProvince(s[..2].to_owned()));
    }
    if &s[2..4] == "00" {
        return Err(NikError::ZeroRegency);
    }
    if &s[4..6] == "00" {
        return Err(NikError::ZeroDistrict);
    }
    let dd = two(s, 6);
    let day = match dd {
        1..=31 => dd,
        41..=71 => dd - 40,
        _ => return Err(NikError::InvalidDay(dd)),
    };
    let month = two(s, 8);
    if !(1..=12).contains(&month) {
        return Err(NikError::InvalidMonth(month));
    }
    let yy = two(s, 10);
    if day > days_in_month(month, 1900 + yy) && day > days_in_month(month, 2000 + yy) {
        return Err(NikError::NonexistentDate { day, month, yy });
    }
    if &s[12..16] == "0000" {
        return Err(NikError::ZeroSerial);
    }
    Ok(())
}

fn check(s: &str) {
    let Some(nik) = check_masked_digits("Nik", s, Nik::parse(s), expected(s)) else {
        return;
    };
    assert_eq!(nik.as_str(), s);
    assert_eq!(nik.province(), &s[..2]);
    let dd = two(s, 6);
    assert_eq!(nik.is_female(), dd > 40);
    let (day, month, yy) = nik.birth_date();
    assert_eq!((day, month, yy), (dd % 40, two(s, 8), two(s, 10)));
    assert!((1..=31).contains(&day) && (1..=12).contains(&month) && yy <= 99);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check(s);
    }
    check(&as_digits(data, 16));
});
