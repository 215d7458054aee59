//! The shipped region table: the embedded CSVs, the rows for the database
//! loader and the in-memory membership sets.

use std::sync::LazyLock;

use super::{AnyRegionCode, RegionLevel};

static PROVINCES_CSV: &str = include_str!("../../../data/regions/provinces.csv");
static REGENCIES_CSV: &str = include_str!("../../../data/regions/regencies.csv");
static DISTRICTS_CSV: &str = include_str!("../../../data/regions/districts.csv");
static VILLAGES_CSV: &str = include_str!("../../../data/regions/villages.csv");

/// One row of the shipped table, used to load the table into the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    /// Dotted code.
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    /// Dotted parent code; `None` for provinces.
    pub parent: Option<String>,
}

/// All rows of the four CSVs: provinces, then regencies, districts, villages,
/// each in file order.
pub fn rows() -> impl Iterator<Item = RegionRow> {
    level_rows(PROVINCES_CSV, RegionLevel::Province)
        .chain(level_rows(REGENCIES_CSV, RegionLevel::Regency))
        .chain(level_rows(DISTRICTS_CSV, RegionLevel::District))
        .chain(level_rows(VILLAGES_CSV, RegionLevel::Village))
}

fn level_rows(text: &'static str, level: RegionLevel) -> impl Iterator<Item = RegionRow> {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .map(move |record| {
            // The CSVs are compiled in and checked by the tests, so a bad row is a build defect.
            let record = record.expect("embedded region CSV is well-formed");
            let field = |i: usize| {
                record
                    .get(i)
                    .expect("embedded region CSV row has all columns")
                    .to_owned()
            };
            match level {
                RegionLevel::Province => RegionRow {
                    code: field(0),
                    name: field(1),
                    level,
                    parent: None,
                },
                _ => RegionRow {
                    code: field(0),
                    name: field(2),
                    level,
                    parent: Some(field(1)),
                },
            }
        })
}

/// Province codes as a lookup table indexed by the two-digit number.
static PROVINCES: LazyLock<[bool; 100]> = LazyLock::new(|| {
    let mut set = [false; 100];
    let mut reader = csv::Reader::from_reader(PROVINCES_CSV.as_bytes());
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("embedded provinces.csv is well-formed")
    {
        if let Some(n) = record.get(0).and_then(|c| digits_value(c, 2)) {
            set[n as usize] = true;
        }
    }
    set
});

/// Village codes as sorted 10-digit integers.
static VILLAGES: LazyLock<Box<[u64]>> = LazyLock::new(|| {
    let lines = VILLAGES_CSV.bytes().filter(|&b| b == b'\n').count();
    let mut codes = Vec::with_capacity(lines);
    let mut reader = csv::Reader::from_reader(VILLAGES_CSV.as_bytes());
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("embedded villages.csv is well-formed")
    {
        if let Some(n) = record.get(0).and_then(village_value) {
            codes.push(n);
        }
    }
    codes.sort_unstable();
    codes.dedup();
    codes.into_boxed_slice()
});

static DATA_VERSION: LazyLock<String> = LazyLock::new(|| {
    // FNV-1a 64 over the four files, each followed by 0xFF (never in UTF-8).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for text in [PROVINCES_CSV, REGENCIES_CSV, DISTRICTS_CSV, VILLAGES_CSV] {
        for &b in text.as_bytes().iter().chain(&[0xFF]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
});

/// The value of exactly `len` ASCII digits.
fn digits_value(s: &[u8], len: usize) -> Option<u64> {
    if s.len() != len || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, &b| n * 10 + u64::from(b - b'0')))
}

/// The 10-digit value of a strictly dotted `PP.KK.CC.DDDD` village code.
fn village_value(s: &[u8]) -> Option<u64> {
    if s.len() != 13 || s[2] != b'.' || s[5] != b'.' || s[8] != b'.' {
        return None;
    }
    let mut n = 0;
    for (start, width) in [(0, 2), (3, 2), (6, 2), (9, 4)] {
        let group = digits_value(&s[start..start + width], width)?;
        n = n * 10u64.pow(width as u32) + group;
    }
    Some(n)
}

/// Whether `pp` (two digits, e.g. `"33"`) is a province in the table.
pub fn province_exists(pp: &str) -> bool {
    digits_value(pp.as_bytes(), 2).is_some_and(|n| PROVINCES[n as usize])
}

/// Whether the dotted village code (e.g. `"33.01.01.2001"`) is in the table.
pub fn village_exists(dotted: &str) -> bool {
    village_value(dotted.as_bytes()).is_some_and(|n| VILLAGES.binary_search(&n).is_ok())
}

/// Whether the region exists in the table at its level. Regencies and
/// districts are looked up as prefixes of the village codes (every regency
/// and district in the shipped table has villages), so no extra set is kept.
pub fn region_exists(code: &AnyRegionCode) -> bool {
    let digits: String = code.as_str().chars().filter(|&c| c != '.').collect();
    let Some(prefix) = digits_value(digits.as_bytes(), digits.len()) else {
        return false;
    };
    match code.level() {
        RegionLevel::Province => PROVINCES[prefix as usize],
        RegionLevel::Village => VILLAGES.binary_search(&prefix).is_ok(),
        level => {
            let scale = 10u64.pow((10 - level.digits()) as u32);
            let lo = prefix * scale;
            let i = VILLAGES.partition_point(|&v| v < lo);
            VILLAGES.get(i).is_some_and(|&v| v < lo + scale)
        }
    }
}

/// A short, stable fingerprint of the embedded region data (16 hex digits of
/// an FNV-1a 64 hash), so the database loader knows when to reload.
pub fn data_version() -> &'static str {
    &DATA_VERSION
}

#[cfg(test)]
mod tests;
