//! Nomor Kartu Keluarga (KK), the 16-digit family card number.
//!
//! Checked: 16 ASCII digits, the first two a province in the region table,
//! the last four (the serial) not `0000`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::nik::{DigitsIssue, check_digits};
use super::region;

/// Number of digits in a KK number.
pub const KK_LEN: usize = 16;

/// A valid family card number. `Debug` masks everything but the six region
/// digits; `Display` and [`Kk::as_str`] give the digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(
    value_type = String,
    description = "Nomor Kartu Keluarga (family card number): 16 digits, the first two a \
        province code, the last four not 0000",
    pattern = "^[0-9]{16}$",
    example = "3301010101090001"
)]
pub struct Kk(String);

/// Why a string is not a valid KK number. The message never contains the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KkError {
    #[error("must not be empty")]
    Empty,
    #[error("must not contain whitespace")]
    Whitespace,
    #[error("must contain only ASCII digits 0-9, found a non-ASCII digit at position {position}")]
    NonAsciiDigit { position: usize },
    #[error(
        "must contain only ASCII digits 0-9, found a non-digit character at position {position}"
    )]
    NotADigit { position: usize },
    #[error("must be 16 digits, got {got}")]
    Length { got: usize },
    #[error("province code {0} is not in the region table")]
    UnknownProvince(String),
    #[error("serial number 0000 is not valid")]
    ZeroSerial,
}

impl From<DigitsIssue> for KkError {
    fn from(issue: DigitsIssue) -> Self {
        match issue {
            DigitsIssue::Empty => KkError::Empty,
            DigitsIssue::Whitespace => KkError::Whitespace,
            DigitsIssue::NonAsciiDigit(position) => KkError::NonAsciiDigit { position },
            DigitsIssue::NotADigit(position) => KkError::NotADigit { position },
            DigitsIssue::Length(got) => KkError::Length { got },
        }
    }
}

fn validate(s: &str) -> Result<(), KkError> {
    check_digits(s, KK_LEN)?;
    let province = &s[0..2];
    if !region::province_exists(province) {
        return Err(KkError::UnknownProvince(province.to_owned()));
    }
    if &s[12..16] == "0000" {
        return Err(KkError::ZeroSerial);
    }
    Ok(())
}

impl Kk {
    /// Parses a KK number. No trimming: surrounding whitespace is an error.
    pub fn parse(s: &str) -> Result<Kk, KkError> {
        validate(s)?;
        Ok(Kk(s.to_owned()))
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two province digits, e.g. `"33"`.
    pub fn province(&self) -> &str {
        &self.0[0..2]
    }
}

string_conversions!(Kk, KkError);

/// Shows only the six region digits: Debug output may end up in logs.
impl fmt::Debug for Kk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kk({}**********)", &self.0[0..6])
    }
}

#[cfg(test)]
mod tests;
