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
use sinergi_fuzz::{DigitsVerdict, REGIONS, as_digits, digits_verdict, may_echo};

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
    let parsed = Kk::parse(s);
    assert_eq!(
        parsed.as_ref().map(|_| ()).map_err(Clone::clone),
        expected(s),
        "{s:?}"
    );
    assert_eq!(s.parse::<Kk>(), parsed);
    assert_eq!(Kk::try_from(s.to_owned()), parsed);
    let from_json = serde_json::from_value::<Kk>(serde_json::Value::String(s.to_owned()));
    assert_eq!(from_json.is_ok(), parsed.is_ok());

    match parsed {
        Ok(kk) => {
            assert!(s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(kk.as_str(), s);
            let shown = kk.to_string();
            assert_eq!(shown, s);
            assert_eq!(AsRef::<str>::as_ref(&kk), s);
            assert_eq!(String::from(kk.clone()), s);
            assert_eq!(from_json.unwrap(), kk);
            let json = serde_json::to_string(&kk).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<Kk>(&json).unwrap(), kk);
            assert_eq!(Kk::parse(&shown).unwrap(), kk);
            assert_eq!(kk.province(), &s[..2]);
            assert_eq!(format!("{kk:?}"), format!("Kk({}**********)", &s[..6]));
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!may_echo(&message, s), "{message:?} shows the input");
            assert!(!may_echo(&format!("{e:?}"), s));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check(s);
    }
    check(&as_digits(data, 16));
});
