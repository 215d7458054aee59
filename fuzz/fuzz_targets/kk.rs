//! `Kk::parse` on arbitrary text (and on the input read as digits). Checks, besides "never
//! panics":
//!
//! * acceptance is exactly the documented rule set, computed independently here: 16 ASCII
//!   digits, province in `data/regions/provinces.csv`, serial (last four) not `0000`; and a
//!   refusal names the first rule broken, in the documented order;
//! * every way in (`parse`, `FromStr`, `TryFrom<String>`, serde) agrees;
//! * an accepted KK round-trips through `as_str`, `Display`, `String::from` and JSON;
//! * neither `Debug` of a KK nor an error message shows the input's digits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi::domain::kk::{Kk, KkError};
use sinergi_fuzz::{DigitsVerdict, REGIONS, as_digits, check_masked_digits, digits_verdict};

fn expected(s: &str) -> Result<(), KkError> {
    match digits_verdict(s, 16) {
        DigitsVerdict::Ok => {}
        DigitsVerdict::Empty => return Err(KkError::Empty),
        DigitsVerdict::Whitespace => return Err(KkError::Whitespace),
        DigitsVerdict::NonAsciiDigit(position) => return Err(KkError::NonAsciiDigit { position }),
        DigitsVerdict::NotADigit(position) => return Err(KkError::NotADigit { position }),
        DigitsVerdict::Length(got) => return Err(KkError::Length { got }),
    }
    if !REGIONS.provinces.contains(&s[..2]) {
        return Err(KkError::UnknownProvince(s[..2].to_owned()));
    }
    if &s[12..16] == "0000" {
        return Err(KkError::ZeroSerial);
    }
    Ok(())
}

fn check(s: &str) {
    if let Some(kk) = check_masked_digits("Kk", s, Kk::parse(s), expected(s)) {
        assert_eq!(kk.as_str(), s);
        assert_eq!(kk.province(), &s[..2]);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check(s);
    }
    check(&as_digits(data, 16));
});
