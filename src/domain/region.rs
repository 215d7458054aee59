//! Kemendagri region codes (`PP.KK.CC.DDDD`) and the shipped region table.
//!
//! The four CSVs under `data/regions/` are embedded in the binary. Only two
//! compact membership sets are kept in memory (province codes and village
//! codes as sorted integers); names are read from the CSVs on demand by
//! [`rows`], which the database loader uses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod table;

pub use table::{RegionRow, data_version, province_exists, region_exists, rows, village_exists};

/// Digits per group of `PP.KK.CC.DDDD`.
const GROUP_WIDTHS: [usize; 4] = [2, 2, 2, 4];

/// Level of a region in the Kemendagri hierarchy.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    Regency,
    District,
    Village,
}

impl RegionLevel {
    /// `"province"`, `"regency"`, `"district"` or `"village"` (the serde names).
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::Regency => "regency",
            RegionLevel::District => "district",
            RegionLevel::Village => "village",
        }
    }

    /// Number of digits of a code at this level (2, 4, 6 or 10).
    pub fn digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::Regency => 4,
            RegionLevel::District => 6,
            RegionLevel::Village => 10,
        }
    }

    fn from_groups(groups: usize) -> Option<RegionLevel> {
        match groups {
            1 => Some(RegionLevel::Province),
            2 => Some(RegionLevel::Regency),
            3 => Some(RegionLevel::District),
            4 => Some(RegionLevel::Village),
            _ => None,
        }
    }
}

impl fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a valid region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("must not be empty")]
    Empty,
    #[error("must not contain whitespace")]
    Whitespace,
    #[error(
        "must contain only ASCII digits 0-9 and dots, found a non-ASCII digit at position {position}"
    )]
    NonAsciiDigit { position: usize },
    #[error(
        "must contain only ASCII digits 0-9 and dots, found another character at position {position}"
    )]
    InvalidCharacter { position: usize },
    /// Undotted input of the wrong length; `expected` is e.g. `"10"`.
    #[error("must be {expected} digits, got {got}")]
    Length { expected: &'static str, got: usize },
    /// Dotted input whose groups are not `PP.KK.CC.DDDD` (or a prefix of it).
    #[error(
        "must be written as {expected} with a dot between every group, or as digits only without dots"
    )]
    Format { expected: &'static str },
    // The code is not repeated: an answer never repeats what a client sent.
    #[error("is not a village code in the region table (/v1/regions lists them)")]
    UnknownVillage(String),
}

/// Checks the format and returns the dotted form and its level.
/// `village_only` restricts the accepted levels to villages.
fn normalise(s: &str, village_only: bool) -> Result<(String, RegionLevel), RegionCodeError> {
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
    for (i, c) in s.chars().enumerate() {
        if !(c.is_ascii_digit() || c == '.') {
            let position = i + 1;
            return Err(if c.is_numeric() {
                RegionCodeError::NonAsciiDigit { position }
            } else {
                RegionCodeError::InvalidCharacter { position }
            });
        }
    }
    if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        let level = RegionLevel::from_groups(groups.len())
            .filter(|l| !village_only || *l == RegionLevel::Village);
        let well_formed = level.is_some()
            && groups
                .iter()
                .zip(GROUP_WIDTHS)
                .all(|(g, width)| g.len() == width);
        match level {
            Some(level) if well_formed => Ok((s.to_owned(), level)),
            _ => Err(RegionCodeError::Format {
                expected: expected_form,
            }),
        }
    } else {
        let level = match s.len() {
            10 => Some(RegionLevel::Village),
            _ if village_only => None,
            2 => Some(RegionLevel::Province),
            4 => Some(RegionLevel::Regency),
            6 => Some(RegionLevel::District),
            _ => None,
        };
        let level = level.ok_or(RegionCodeError::Length {
            expected: expected_len,
            got: s.len(),
        })?;
        let mut dotted = String::with_capacity(13);
        let mut start = 0;
        for width in GROUP_WIDTHS {
            if start == s.len() {
                break;
            }
            if start > 0 {
                dotted.push('.');
            }
            dotted.push_str(&s[start..start + width]);
            start += width;
        }
        Ok((dotted, level))
    }
}

/// A village code that exists in the shipped table, always in the dotted
/// form `33.01.01.2001`. Parsing also accepts the 10 digits without dots.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(
    value_type = String,
    description = "Kemendagri village code PP.KK.CC.DDDD from the shipped region table; \
        accepted with or without dots, always returned with dots",
    pattern = "^[0-9]{2}(\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}|[0-9]{8})$",
    example = "33.01.01.2001"
)]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses `PP.KK.CC.DDDD` or `PPKKCCDDDD` and checks the village exists.
    pub fn parse(s: &str) -> Result<RegionCode, RegionCodeError> {
        let (dotted, _) = normalise(s, true)?;
        if !village_exists(&dotted) {
            return Err(RegionCodeError::UnknownVillage(dotted));
        }
        Ok(RegionCode(dotted))
    }

    /// The dotted code, e.g. `"33.01.01.2001"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province code, e.g. `"33"`.
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    /// The dotted regency code, e.g. `"33.01"`.
    pub fn regency(&self) -> &str {
        &self.0[..5]
    }

    /// The dotted district code, e.g. `"33.01.01"`.
    pub fn district(&self) -> &str {
        &self.0[..8]
    }
}

string_conversions!(RegionCode, RegionCodeError);

/// A code at any level, for lookups and prefix filters (`"33"`, `"33.01"`,
/// `"3301"`, `"33.01.01"`, `"3301012001"`). Parses dotted or undotted,
/// normalises to dotted and takes the level from the digit count (2, 4, 6,
/// 10). Format-checked only: see [`region_exists`] for existence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AnyRegionCode {
    code: String,
    level: RegionLevel,
}

impl AnyRegionCode {
    pub fn parse(s: &str) -> Result<AnyRegionCode, RegionCodeError> {
        let (code, level) = normalise(s, false)?;
        Ok(AnyRegionCode { code, level })
    }

    /// The dotted code, e.g. `"33.01"`.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn level(&self) -> RegionLevel {
        self.level
    }

    /// Whether `village` lies inside this region (or is this village).
    pub fn contains(&self, village: &RegionCode) -> bool {
        let v = village.as_str();
        v.starts_with(&self.code) && matches!(v.as_bytes().get(self.code.len()), None | Some(b'.'))
    }
}

impl utoipa::PartialSchema for AnyRegionCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(
                "^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}|[0-9]{2}\\.[0-9]{2}\
                 |[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}|[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4})$",
            ))
            .description(Some(
                "A Kemendagri region code at any level: province (32), regency (32.01), \
                 district (32.01.01) or village (32.01.01.1002), with or without dots",
            ))
            .examples([serde_json::json!("32.01")])
            .into()
    }
}

impl utoipa::ToSchema for AnyRegionCode {}

impl From<RegionCode> for AnyRegionCode {
    fn from(code: RegionCode) -> Self {
        AnyRegionCode {
            code: code.0,
            level: RegionLevel::Village,
        }
    }
}

impl TryFrom<String> for AnyRegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AnyRegionCode::parse(&s)
    }
}

impl From<AnyRegionCode> for String {
    fn from(code: AnyRegionCode) -> Self {
        code.code
    }
}

impl FromStr for AnyRegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AnyRegionCode::parse(s)
    }
}

impl fmt::Display for AnyRegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

#[cfg(test)]
mod tests;
