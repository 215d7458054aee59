//! `RegionCode::parse` and `AnyRegionCode::parse` on arbitrary text (and on the input read
//! as digits and dots). Checks, besides "never panics":
//!
//! * acceptance and the error are exactly the documented format rules, computed
//!   independently here: `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.DDDD` or the same digits
//!   without any dot (2, 4, 6 or 10), villages only for `RegionCode`, which also needs the
//!   village in `data/regions/villages.csv`;
//! * the value is the dotted form; the dotted and the undotted spelling parse to the same
//!   value, and parsing the value's text again gives it back (also through `FromStr`,
//!   `TryFrom<String>`, `String::from` and JSON);
//! * `region_exists` agrees with the CSVs at every level, `RegionCode`'s province, regency
//!   and district are its prefixes, and `AnyRegionCode::contains` is "is this code or below
//!   it" on a few real villages.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use sinergi::domain::region::{
    AnyRegionCode, RegionCode, RegionCodeError, RegionLevel, region_exists,
};
use sinergi_fuzz::{REGIONS, as_digits_and_dots};

const WIDTHS: [usize; 4] = [2, 2, 2, 4];

fn level_of(groups: usize) -> RegionLevel {
    [
        RegionLevel::Province,
        RegionLevel::Regency,
        RegionLevel::District,
        RegionLevel::Village,
    ][groups - 1]
}

/// The documented format rules: the dotted form and its level, or the error.
fn expected(s: &str, village_only: bool) -> Result<(String, RegionLevel), RegionCodeError> {
    let (expected_len, expected_form) = if village_only {
        ("10", "PP.KK.CC.DDDD")
    } else {
        ("2, 4, 6 or 10", "PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD")
    };
    if s.is_empty() {
        return Err(RegionCodeError::Empty);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(RegionCodeError::Whitespace);
    }
    if let Some((i, c)) = s
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
    {
        let position = i + 1;
        return Err(if c.is_numeric() {
            RegionCodeError::NonAsciiDigit { position }
        } else {
            RegionCodeError::InvalidCharacter { position }
        });
    }
    if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        let ok = (2..=4).contains(&groups.len())
            && (!village_only || groups.len() == 4)
            && groups.iter().zip(WIDTHS).all(|(g, w)| g.len() == w);
        if !ok {
            return Err(RegionCodeError::Format {
                expected: expected_form,
            });
        }
        Ok((s.to_owned(), level_of(groups.len())))
    } else {
        let groups = match s.len() {
            10 => 4,
            2 | 4 | 6 if !village_only => s.len() / 2,
            got => {
                return Err(RegionCodeError::Length {
                    expected: expected_len,
                    got,
                });
            }
        };
        let mut dotted = String::new();
        let mut start = 0;
        for width in &WIDTHS[..groups] {
            if start > 0 {
                dotted.push('.');
            }
            dotted.push_str(&s[start..start + width]);
            start += width;
        }
        Ok((dotted, level_of(groups)))
    }
}

fn in_table(dotted: &str, level: RegionLevel) -> bool {
    let table = &*REGIONS;
    match level {
        RegionLevel::Province => table.provinces.contains(dotted),
        RegionLevel::Regency => table.regencies.contains(dotted),
        RegionLevel::District => table.districts.contains(dotted),
        RegionLevel::Village => table.villages.contains(dotted),
    }
}

/// A few real villages in different provinces, for `contains`.
static SAMPLE_VILLAGES: LazyLock<Vec<RegionCode>> = LazyLock::new(|| {
    [
        "11.01.01.2001",
        "33.01.01.2001",
        "33.01.02.2001",
        "33.02.01.2001",
    ]
    .iter()
    .filter_map(|c| RegionCode::parse(c).ok())
    .collect()
});

fn check(s: &str) {
    // Any level.
    let any = AnyRegionCode::parse(s);
    assert_eq!(
        any.as_ref()
            .map(|a| (a.as_str().to_owned(), a.level()))
            .map_err(Clone::clone),
        expected(s, false),
        "{s:?}"
    );
    assert_eq!(s.parse::<AnyRegionCode>(), any);
    assert_eq!(AnyRegionCode::try_from(s.to_owned()), any);
    if let Ok(a) = &any {
        let undotted: String = a.as_str().chars().filter(|&c| c != '.').collect();
        assert_eq!(undotted.len(), a.level().digits());
        assert_eq!(undotted, s.replace('.', ""));
        assert_eq!(AnyRegionCode::parse(a.as_str()).as_ref(), Ok(a));
        assert_eq!(AnyRegionCode::parse(&undotted).as_ref(), Ok(a));
        assert_eq!(a.to_string(), a.as_str());
        assert_eq!(String::from(a.clone()), a.as_str());
        let json = serde_json::to_string(a).unwrap();
        assert_eq!(json, format!("\"{}\"", a.as_str()));
        assert_eq!(&serde_json::from_str::<AnyRegionCode>(&json).unwrap(), a);
        assert_eq!(
            region_exists(a),
            in_table(a.as_str(), a.level()),
            "region_exists({:?})",
            a.as_str()
        );
        for village in SAMPLE_VILLAGES.iter() {
            let v = village.as_str();
            let below = v == a.as_str() || v.starts_with(&format!("{}.", a.as_str()));
            assert_eq!(
                a.contains(village),
                below,
                "{:?} contains {v:?}",
                a.as_str()
            );
        }
    }

    // Villages only.
    let village = RegionCode::parse(s);
    let want = expected(s, true).and_then(|(dotted, _)| {
        if REGIONS.villages.contains(&dotted) {
            Ok(dotted)
        } else {
            Err(RegionCodeError::UnknownVillage(dotted))
        }
    });
    assert_eq!(
        village
            .as_ref()
            .map(|v| v.as_str().to_owned())
            .map_err(Clone::clone),
        want,
        "{s:?}"
    );
    assert_eq!(s.parse::<RegionCode>(), village);
    assert_eq!(RegionCode::try_from(s.to_owned()), village);
    if let Ok(v) = &village {
        let a = any.as_ref().expect("a village code is a region code");
        assert_eq!(a.level(), RegionLevel::Village);
        assert_eq!(&AnyRegionCode::from(v.clone()), a);
        assert_eq!(v.as_str(), a.as_str());
        let undotted = v.as_str().replace('.', "");
        assert_eq!(RegionCode::parse(&undotted).as_ref(), Ok(v));
        assert_eq!(RegionCode::parse(v.as_str()).as_ref(), Ok(v));
        assert_eq!(v.to_string(), v.as_str());
        assert_eq!(String::from(v.clone()), v.as_str());
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<RegionCode>(&json).unwrap(), v);
        let code = v.as_str();
        assert_eq!(v.province(), &code[..2]);
        assert_eq!(v.regency(), &code[..5]);
        assert_eq!(v.district(), &code[..8]);
        for parent in [v.province(), v.regency(), v.district(), code] {
            let parent = AnyRegionCode::parse(parent).expect("a prefix of a village parses");
            assert!(parent.contains(v));
            assert!(
                region_exists(&parent),
                "{:?} above a known village",
                parent.as_str()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check(s);
    }
    check(&as_digits_and_dots(data, 13));
});
