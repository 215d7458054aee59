//! Property tests: valid NIKs built from real province codes round-trip, and each kind of
//! corruption of a valid value is rejected with the matching error.

use super::*;
use proptest::prelude::*;

static PROVINCES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    // Provinces come first in `rows()`.
    region::rows()
        .take_while(|r| r.level == RegionLevel::Province)
        .map(|r| r.code)
        .collect()
});

fn provinces() -> Vec<String> {
    PROVINCES.clone()
}

/// A valid NIK with its (day, month, yy, female) parts.
fn valid_nik() -> impl Strategy<Value = (String, (u32, u32, u32, bool))> {
    let region = (prop::sample::select(provinces()), 1..=99u32, 1..=99u32)
        .prop_map(|(pp, kk, cc)| format!("{pp}{kk:02}{cc:02}"));
    let date = (0..=99u32, 1..=12u32, any::<bool>()).prop_flat_map(|(yy, mm, female)| {
        let max = (28..=31)
            .rev()
            .find(|&d| oracle_date_exists(d, mm, yy))
            .unwrap();
        (1..=max).prop_map(move |day| (day, mm, yy, female))
    });
    (region, date, 1..=9999u32).prop_map(|(region, (day, mm, yy, female), serial)| {
        let dd = if female { day + 40 } else { day };
        (
            nik(&region, dd, mm, yy, &format!("{serial:04}")),
            (day, mm, yy, female),
        )
    })
}

fn set(s: &str, at: usize, part: &str) -> String {
    format!("{}{}{}", &s[..at], part, &s[at + part.len()..])
}

/// Anything that is not an ASCII digit: letters, punctuation, Unicode digits.
fn non_digit() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'a', 'Z', 'O', 'l', '-', '.', '/', '+', '١', '٣', '３', '०', '۵', '²', '½', 'é', '\u{200b}',
    ])
}

proptest! {
    #[test]
    fn valid_niks_parse_and_round_trip((s, (day, mm, yy, female)) in valid_nik()) {
        let n = Nik::parse(&s).unwrap();
        prop_assert_eq!(n.to_string(), s.clone());
        prop_assert_eq!(n.birth_date(), (day, mm, yy));
        prop_assert_eq!(n.is_female(), female);
        let json = serde_json::to_string(&n).unwrap();
        prop_assert_eq!(&json, &format!("\"{s}\""));
        prop_assert_eq!(serde_json::from_str::<Nik>(&json).unwrap(), n.clone());
        prop_assert_eq!(s.parse::<Nik>().unwrap(), n.clone());
        let debug = format!("{:?}", n);
        prop_assert!(!debug.contains(&s[6..]), "{}", debug);
    }

    #[test]
    fn invalid_day_is_caught((s, _) in valid_nik(), dd in prop_oneof![Just(0u32), 32..=40u32, 72..=99u32]) {
        prop_assert_eq!(Nik::parse(&set(&s, 6, &format!("{dd:02}"))), Err(NikError::InvalidDay(dd)));
    }

    #[test]
    fn invalid_month_is_caught((s, _) in valid_nik(), mm in prop_oneof![Just(0u32), 13..=99u32]) {
        prop_assert_eq!(Nik::parse(&set(&s, 8, &format!("{mm:02}"))), Err(NikError::InvalidMonth(mm)));
    }

    #[test]
    fn nonexistent_date_is_caught((s, (_, _, yy, female)) in valid_nik(),
                                  (day, mm) in prop_oneof![Just((30u32, 2u32)), Just((31, 2)), Just((31, 4)), Just((31, 6)), Just((31, 9)), Just((31, 11))]) {
        let dd = if female { day + 40 } else { day };
        let bad = set(&s, 6, &format!("{dd:02}{mm:02}"));
        prop_assert_eq!(Nik::parse(&bad), Err(NikError::NonexistentDate { day, month: mm, yy }));
    }

    #[test]
    fn zero_serial_is_caught((s, _) in valid_nik()) {
        prop_assert_eq!(Nik::parse(&set(&s, 12, "0000")), Err(NikError::ZeroSerial));
    }

    #[test]
    fn unknown_province_is_caught((s, _) in valid_nik(), pp in 0..=99u32) {
        let pp = format!("{pp:02}");
        prop_assume!(!PROVINCES.contains(&pp));
        let bad = set(&s, 0, &pp);
        let err = Nik::parse(&bad).unwrap_err();
        prop_assert_eq!(&err, &NikError::UnknownProvince(pp));
        prop_assert!(!err.to_string().contains(&bad));
    }

    #[test]
    fn non_digit_is_caught((s, _) in valid_nik(), at in 0..16usize, c in non_digit()) {
        let mut chars: Vec<char> = s.chars().collect();
        chars[at] = c;
        let bad: String = chars.into_iter().collect();
        let err = Nik::parse(&bad).unwrap_err();
        prop_assert!(matches!(err, NikError::NotADigit { position } | NikError::NonAsciiDigit { position } if position == at + 1), "{:?}", err);
    }

    #[test]
    fn dropped_or_added_digit_is_caught((s, _) in valid_nik(), at in 0..16usize, extra in 0..=9u8, add in any::<bool>()) {
        let mut bad = s.clone();
        if add { bad.insert(at, char::from(b'0' + extra)); } else { bad.remove(at); }
        let err = Nik::parse(&bad).unwrap_err();
        prop_assert_eq!(&err, &NikError::Length { got: if add { 17 } else { 15 } });
        prop_assert!(!err.to_string().contains(&bad));
    }
}
