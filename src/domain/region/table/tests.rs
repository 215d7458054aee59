use super::*;
use crate::domain::region::RegionCode;
use std::collections::HashSet;

/// All rows, read once per test binary.
static ROWS: LazyLock<Vec<RegionRow>> = LazyLock::new(|| rows().collect());

#[test]
fn membership() {
    for (code, exists) in [
        ("33", true),
        ("20", false),
        ("00", false),
        ("33.01", true),
        ("33.71", true),
        ("33.30", false),
        ("33.00", false),
        ("33.01.01", true),
        ("33.01.99", false),
        ("11.01.01.2001", true),
        ("11.01.01.0000", false),
        ("96.71.10.1004", true),
        ("96.71.10.1005", false),
        ("99.99.99.9999", false),
    ] {
        assert_eq!(
            region_exists(&AnyRegionCode::parse(code).unwrap()),
            exists,
            "{code}"
        );
    }
    assert!(province_exists("33") && province_exists("96") && province_exists("11"));
    for s in ["20", "00", "3", "333", "٣٣", " 33", ""] {
        assert!(!province_exists(s), "{s:?}");
    }
    assert!(village_exists("11.01.01.2001"));
    assert!(!village_exists("1101012001")); // dotted form only
    assert!(!village_exists("11.01.01.200"));
}

#[test]
fn rows_match_the_csvs() {
    use RegionLevel::*;
    let counts = [Province, Regency, District, Village]
        .map(|l| ROWS.iter().filter(|r| r.level == l).count());
    assert_eq!(counts, [38, 514, 7285, 83762]);
    assert!(
        ROWS.windows(2).all(|w| w[0].level <= w[1].level),
        "levels in order"
    );
    assert_eq!(
        ROWS[0],
        RegionRow {
            code: "11".into(),
            name: "Aceh".into(),
            level: Province,
            parent: None
        }
    );
    let mut seen: HashSet<&str> = HashSet::new();
    for row in ROWS.iter() {
        let any = AnyRegionCode::parse(&row.code).unwrap();
        assert_eq!(
            (any.as_str(), any.level()),
            (row.code.as_str(), row.level),
            "{row:?}"
        );
        assert!(!row.name.is_empty(), "{row:?}");
        match (&row.parent, row.level) {
            (None, Province) => {}
            (Some(p), _) => {
                assert!(seen.contains(p.as_str()), "parent of {row:?} comes earlier");
                assert!(row.code.starts_with(&format!("{p}.")), "{row:?}");
            }
            _ => panic!("{row:?}"),
        }
        assert!(seen.insert(&row.code), "duplicate {}", row.code);
        assert!(region_exists(&any), "{row:?}");
        if row.level == Village {
            assert!(
                village_exists(&row.code) && RegionCode::parse(&row.code.replace('.', "")).is_ok(),
                "{row:?}"
            );
        }
    }
    // Names may be quoted and contain commas or doubled quotes.
    let name = |code: &str| ROWS.iter().find(|r| r.code == code).unwrap().name.clone();
    assert_eq!(name("12.07.28.1007"), "Lubuk Pakam I,II");
    assert_eq!(name("35.13.15.2017"), "Soka\"an");
    assert_eq!(name("35.29.22"), "Ra\"as");
}

#[test]
fn data_version_is_fnv1a_of_the_files() {
    fn fnv1a(parts: &[&[u8]]) -> u64 {
        let mut h: u64 = 0xcbf29ce484222325;
        for part in parts {
            for &b in part.iter() {
                h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
            }
        }
        h
    }
    assert_eq!(fnv1a(&[b"a"]), 0xaf63dc4c8601ec8c); // published test vector
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/regions/");
    let files: Vec<Vec<u8>> = ["provinces", "regencies", "districts", "villages"]
        .iter()
        .map(|f| std::fs::read(format!("{dir}{f}.csv")).unwrap())
        .collect();
    let mut parts: Vec<&[u8]> = Vec::new();
    for f in &files {
        parts.push(f);
        parts.push(&[0xFF]);
    }
    assert_eq!(data_version(), format!("{:016x}", fnv1a(&parts)));
    assert_eq!(data_version().len(), 16);
    assert!(std::ptr::eq(data_version(), data_version()));
}
