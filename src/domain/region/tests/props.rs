//! Property tests: real village codes sampled from the table round-trip, and each kind of
//! corruption of a valid value is rejected with the matching error.

use super::*;
use proptest::prelude::*;

fn village() -> impl Strategy<Value = String> {
    (0..VILLAGE_CODES.len()).prop_map(|i| VILLAGE_CODES[i].clone())
}

fn non_digit() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'a', 'Z', '-', '/', ',', '_', '١', '٢', '３', '०', '¹', 'ö', '\u{200b}',
    ])
}

proptest! {
    #[test]
    fn real_villages_parse_and_round_trip(dotted in village()) {
        let a = RegionCode::parse(&dotted).unwrap();
        let b = RegionCode::parse(&undotted(&dotted)).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.to_string(), dotted.clone());
        let json = serde_json::to_string(&b).unwrap();
        prop_assert_eq!(&json, &format!("\"{dotted}\""));
        let back: RegionCode = serde_json::from_str(&format!("\"{}\"", undotted(&dotted))).unwrap();
        prop_assert_eq!(&back, &a);
        for (len, level) in [(2, RegionLevel::Province), (5, RegionLevel::Regency), (8, RegionLevel::District), (13, RegionLevel::Village)] {
            for form in [dotted[..len].to_string(), undotted(&dotted[..len])] {
                let any = AnyRegionCode::parse(&form).unwrap();
                prop_assert_eq!(any.as_str(), &dotted[..len]);
                prop_assert_eq!(any.level(), level);
                prop_assert!(any.contains(&a) && region_exists(&any));
            }
        }
    }

    #[test]
    fn dropped_or_added_digit_is_caught(dotted in village(), pick in any::<prop::sample::Index>(), d in 0..=9u8, add in any::<bool>(), dots in any::<bool>()) {
        let s = if dots { dotted.clone() } else { undotted(&dotted) };
        let digit_positions: Vec<usize> = s.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
        let at = *pick.get(&digit_positions);
        let mut bad = s.clone();
        if add { bad.insert(at, char::from(b'0' + d)); } else { bad.remove(at); }
        let err = RegionCode::parse(&bad).unwrap_err();
        let expected = if dots { RegionCodeError::Format { expected: "PP.KK.CC.DDDD" } } else { RegionCodeError::Length { expected: "10", got: if add { 11 } else { 9 } } };
        prop_assert_eq!(err, expected);
    }

    #[test]
    fn non_digit_is_caught(dotted in village(), pick in any::<prop::sample::Index>(), c in non_digit(), dots in any::<bool>()) {
        let s = if dots { dotted.clone() } else { undotted(&dotted) };
        let mut chars: Vec<char> = s.chars().collect();
        let at = pick.index(chars.len());
        chars[at] = c;
        let bad: String = chars.into_iter().collect();
        let err = RegionCode::parse(&bad).unwrap_err();
        prop_assert!(matches!(err, RegionCodeError::NonAsciiDigit { position } | RegionCodeError::InvalidCharacter { position } if position == at + 1), "{:?}", err);
    }

    #[test]
    fn moved_dot_is_caught(dotted in village(), which in 0..3usize, left in any::<bool>()) {
        let dot = [2, 5, 8][which];
        let mut bytes = dotted.clone().into_bytes();
        bytes.swap(dot, if left { dot - 1 } else { dot + 1 });
        let bad = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(RegionCode::parse(&bad), Err(RegionCodeError::Format { expected: "PP.KK.CC.DDDD" }));
    }

    #[test]
    fn village_number_exists_iff_in_table(dotted in village(), n in 0..=9999u32, dots in any::<bool>()) {
        let candidate = format!("{}.{n:04}", &dotted[..8]);
        let input = if dots { candidate.clone() } else { undotted(&candidate) };
        match RegionCode::parse(&input) {
            Ok(code) => prop_assert!(VILLAGE_SET.contains(code.as_str())),
            Err(e) => {
                prop_assert!(!VILLAGE_SET.contains(&candidate));
                prop_assert_eq!(e, RegionCodeError::UnknownVillage(candidate));
            }
        }
    }

    #[test]
    fn unknown_province_or_regency_is_caught(dotted in village(), pp in 0..=99u32, kk in 0..=99u32) {
        let with_pp = format!("{pp:02}{}", &dotted[2..]);
        let province = AnyRegionCode::parse(&format!("{pp:02}")).unwrap();
        prop_assert_eq!(region_exists(&province), province_exists(province.as_str()));
        if !province_exists(&format!("{pp:02}")) {
            prop_assert_eq!(RegionCode::parse(&with_pp), Err(RegionCodeError::UnknownVillage(with_pp.clone())));
        }
        let regency = AnyRegionCode::parse(&format!("{}.{kk:02}", &dotted[..2])).unwrap();
        prop_assert_eq!(region_exists(&regency), REGENCY_SET.contains(regency.as_str()));
    }
}
