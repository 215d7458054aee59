use super::*;
use std::collections::HashSet;
use std::sync::LazyLock;

/// All rows, read once per test binary.
static ROWS: LazyLock<Vec<RegionRow>> = LazyLock::new(|| rows().collect());

fn codes(level: RegionLevel) -> Vec<String> {
    ROWS.iter()
        .filter(|r| r.level == level)
        .map(|r| r.code.clone())
        .collect()
}

static VILLAGE_CODES: LazyLock<Vec<String>> = LazyLock::new(|| codes(RegionLevel::Village));
static VILLAGE_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| VILLAGE_CODES.iter().cloned().collect());
static REGENCY_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| codes(RegionLevel::Regency).into_iter().collect());

fn undotted(s: &str) -> String {
    s.replace('.', "")
}

#[test]
fn village_code_dotted_and_undotted() {
    let a = RegionCode::parse("11.01.01.2001").unwrap();
    let b = RegionCode::parse("1101012001").unwrap();
    assert_eq!(a, b);
    assert_eq!(b.as_str(), "11.01.01.2001");
    assert_eq!(b.to_string(), "11.01.01.2001");
    assert_eq!(
        (a.province(), a.regency(), a.district()),
        ("11", "11.01", "11.01.01")
    );
    assert_eq!(
        "96.71.10.1004".parse::<RegionCode>().unwrap().as_str(),
        "96.71.10.1004"
    ); // last row
    assert_eq!(
        RegionCode::try_from(String::from("9671101004"))
            .unwrap()
            .as_str(),
        "96.71.10.1004"
    );
    assert_eq!(String::from(a), "11.01.01.2001");
}

#[test]
fn mixed_and_malformed_forms() {
    let village_form = RegionCodeError::Format {
        expected: "PP.KK.CC.DDDD",
    };
    for s in [
        "33.0101.2001",
        "110101.2001",
        "11.01.012001",
        "1101.01.2001",
        "11.01.01.201",
        "11.1.01.2001",
        "11.01.01.20011",
        "11.01.01",
        "11..01.01.2001",
        ".11.01.01.2001",
        "11.01.01.2001.",
        "11.01.01.20.01",
    ] {
        assert_eq!(RegionCode::parse(s), Err(village_form.clone()), "{s}");
    }
    assert_eq!(
        village_form.to_string(),
        "must be written as PP.KK.CC.DDDD with a dot between every group, or as digits only without dots"
    );
    assert_eq!(
        RegionCode::parse("110101200"),
        Err(RegionCodeError::Length {
            expected: "10",
            got: 9
        })
    );
    assert_eq!(
        RegionCode::parse("11010120011").unwrap_err().to_string(),
        "must be 10 digits, got 11"
    );
    assert_eq!(
        RegionCode::parse("3301").unwrap_err().to_string(),
        "must be 10 digits, got 4"
    );
}

#[test]
fn characters_and_whitespace() {
    for s in [
        " 11.01.01.2001",
        "11.01.01.2001 ",
        "11.01. 01.2001",
        "1101012001\n",
        "\t1101012001",
    ] {
        assert_eq!(
            RegionCode::parse(s),
            Err(RegionCodeError::Whitespace),
            "{s:?}"
        );
        assert_eq!(
            AnyRegionCode::parse(s),
            Err(RegionCodeError::Whitespace),
            "{s:?}"
        );
    }
    assert_eq!(RegionCode::parse(""), Err(RegionCodeError::Empty));
    assert_eq!(
        AnyRegionCode::parse("").unwrap_err().to_string(),
        "must not be empty"
    );
    assert_eq!(
        RegionCode::parse("١١.٠١.٠١.٢٠٠١"),
        Err(RegionCodeError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        AnyRegionCode::parse("٣٣"),
        Err(RegionCodeError::NonAsciiDigit { position: 1 })
    );
    assert_eq!(
        RegionCode::parse("11.01.01.200１"),
        Err(RegionCodeError::NonAsciiDigit { position: 13 })
    );
    assert_eq!(
        RegionCode::parse("11.01.01.200A"),
        Err(RegionCodeError::InvalidCharacter { position: 13 })
    );
    assert_eq!(
        RegionCode::parse("11-01-01-2001").unwrap_err().to_string(),
        "must contain only ASCII digits 0-9 and dots, found another character at position 3"
    );
}

#[test]
fn village_must_exist() {
    for (input, dotted) in [
        ("11.01.01.0000", "11.01.01.0000"),
        ("9901012001", "99.01.01.2001"),
        ("00.00.00.0000", "00.00.00.0000"),
    ] {
        let err = RegionCode::parse(input).unwrap_err();
        assert_eq!(err, RegionCodeError::UnknownVillage(dotted.into()));
        assert_eq!(
            err.to_string(),
            "is not a village code in the region table (/v1/regions lists them)"
        );
    }
}

#[test]
fn serde_forms() {
    let c: RegionCode = serde_json::from_str("\"1101012001\"").unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"11.01.01.2001\"");
    let c: RegionCode = serde_json::from_str("\"11.01.01.2001\"").unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"11.01.01.2001\"");
    let err = serde_json::from_str::<RegionCode>("\"33.0101.2001\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be written as PP.KK.CC.DDDD"), "{err}");
    let err = serde_json::from_str::<RegionCode>("\"11.01.01.0000\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not a village code in the region table"),
        "{err}"
    );
    let a: AnyRegionCode = serde_json::from_str("\"3301\"").unwrap();
    assert_eq!((a.as_str(), a.level()), ("33.01", RegionLevel::Regency));
    assert_eq!(serde_json::to_string(&a).unwrap(), "\"33.01\"");
    assert_eq!(
        serde_json::to_string(&RegionLevel::Village).unwrap(),
        "\"village\""
    );
    let l: RegionLevel = serde_json::from_str("\"district\"").unwrap();
    assert_eq!(l, RegionLevel::District);
    assert!(serde_json::from_str::<RegionLevel>("\"District\"").is_err());
}

#[test]
fn any_region_code_levels() {
    use RegionLevel::*;
    for (input, dotted, level) in [
        ("33", "33", Province),
        ("3301", "33.01", Regency),
        ("33.01", "33.01", Regency),
        ("330101", "33.01.01", District),
        ("33.01.01", "33.01.01", District),
        ("3301012001", "33.01.01.2001", Village),
        ("33.01.01.2001", "33.01.01.2001", Village),
    ] {
        let a = AnyRegionCode::parse(input).unwrap();
        assert_eq!((a.as_str(), a.level()), (dotted, level), "{input}");
        assert_eq!(a.as_str().replace('.', "").len(), level.digits());
    }
    let any_form = "PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD";
    for s in [
        "33.0101",
        "3301.01",
        "33.01.01.2001.1",
        "33.",
        ".33",
        "3.3",
        "33.01.01.201",
    ] {
        assert_eq!(
            AnyRegionCode::parse(s),
            Err(RegionCodeError::Format { expected: any_form }),
            "{s}"
        );
    }
    for n in [1, 3, 5, 7, 8, 9, 11, 12] {
        let err = AnyRegionCode::parse(&"3".repeat(n)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("must be 2, 4, 6 or 10 digits, got {n}")
        );
    }
    assert_eq!(
        [Province, Regency, District, Village].map(RegionLevel::as_str),
        ["province", "regency", "district", "village"]
    );
}

#[test]
fn contains() {
    let v = RegionCode::parse("33.01.01.2001").unwrap();
    for (code, inside) in [
        ("33", true),
        ("33.01", true),
        ("33.01.01", true),
        ("33.01.01.2001", true),
        ("33.01.01.2002", false),
        ("33.02", false),
        ("3", false),
    ] {
        if let Ok(a) = AnyRegionCode::parse(code) {
            assert_eq!(a.contains(&v), inside, "{code}");
        }
    }
    assert_eq!(AnyRegionCode::from(v.clone()).as_str(), v.as_str());
}

#[test]
fn openapi_schemas() {
    let code = serde_json::to_value(<RegionCode as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(code["type"], "string", "{code}");
    assert!(
        RegionCode::parse(code["example"].as_str().unwrap()).is_ok(),
        "{code}"
    );
    let level = serde_json::to_value(<RegionLevel as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(
        level["enum"],
        serde_json::json!(["province", "regency", "district", "village"]),
        "{level}"
    );
}

mod props;
