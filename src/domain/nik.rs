//! Nomor Induk Kependudukan (NIK), the 16-digit citizen number.
//!
//! Layout `PPKKCC DDMMYY SSSS`: province, regency and district of
//! registration, birth date (women have 40 added to the day) and a serial.
//! Only the province is checked against the region table: regency and district
//! codes of old registrations may no longer exist, so they are format-checked
//! (digits, not `00`) only.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::region;

/// Number of digits in a NIK.
pub const NIK_LEN: usize = 16;

/// A valid NIK. `Debug` masks everything but the six region digits;
/// `Display` and [`Nik::as_str`] give the digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(
    value_type = String,
    description = "Nomor Induk Kependudukan: 16 digits PPKKCCDDMMYYSSSS (region, birth date with \
        40 added to the day for women, serial)",
    pattern = "^[0-9]{16}$",
    example = "3201015708900123"
)]
pub struct Nik(String);

/// Why a string is not a valid NIK. The message never contains the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
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
    #[error("regency code 00 is not valid")]
    ZeroRegency,
    #[error("district code 00 is not valid")]
    ZeroDistrict,
    #[error("birth day {0:02} is not valid (must be 01-31, or 41-71 for women)")]
    InvalidDay(u32),
    #[error("birth month {0:02} is not valid (must be 01-12)")]
    InvalidMonth(u32),
    #[error("{}", nonexistent_date_message(*day, *month, *yy))]
    NonexistentDate { day: u32, month: u32, yy: u32 },
    #[error("serial number 0000 is not valid")]
    ZeroSerial,
}

fn nonexistent_date_message(day: u32, month: u32, yy: u32) -> String {
    if day == 29 && month == 2 {
        format!("birth date 29-02 does not exist: neither 19{yy:02} nor 20{yy:02} is a leap year")
    } else {
        format!("birth date {day:02}-{month:02} does not exist")
    }
}

/// Format problems shared by the fixed-length all-digit numbers (NIK, KK).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DigitsIssue {
    Empty,
    Whitespace,
    /// 1-based character position.
    NonAsciiDigit(usize),
    /// 1-based character position.
    NotADigit(usize),
    Length(usize),
}

/// Checks that `s` is exactly `len` ASCII digits, reporting the first problem
/// in this order: empty, whitespace anywhere, a character that is not an
/// ASCII digit, wrong length.
pub(super) fn check_digits(s: &str, len: usize) -> Result<(), DigitsIssue> {
    if s.is_empty() {
        return Err(DigitsIssue::Empty);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(DigitsIssue::Whitespace);
    }
    for (i, c) in s.chars().enumerate() {
        if !c.is_ascii_digit() {
            return Err(if c.is_numeric() {
                DigitsIssue::NonAsciiDigit(i + 1)
            } else {
                DigitsIssue::NotADigit(i + 1)
            });
        }
    }
    // Only ASCII from here on, so bytes == characters.
    if s.len() != len {
        return Err(DigitsIssue::Length(s.len()));
    }
    Ok(())
}

impl From<DigitsIssue> for NikError {
    fn from(issue: DigitsIssue) -> Self {
        match issue {
            DigitsIssue::Empty => NikError::Empty,
            DigitsIssue::Whitespace => NikError::Whitespace,
            DigitsIssue::NonAsciiDigit(position) => NikError::NonAsciiDigit { position },
            DigitsIssue::NotADigit(position) => NikError::NotADigit { position },
            DigitsIssue::Length(got) => NikError::Length { got },
        }
    }
}

/// Two ASCII digits at `at` as a number (the caller has checked they are digits).
pub(super) fn two_digits(s: &str, at: usize) -> u32 {
    let b = s.as_bytes();
    u32::from(b[at] - b'0') * 10 + u32::from(b[at + 1] - b'0')
}

/// Whether `day`-`month` exists in 19`yy` or in 20`yy`.
fn date_exists(day: u32, month: u32, yy: u32) -> bool {
    [1900, 2000]
        .into_iter()
        .any(|century| NaiveDate::from_ymd_opt(century + yy as i32, month, day).is_some())
}

fn validate(s: &str) -> Result<(), NikError> {
    check_digits(s, NIK_LEN)?;
    let province = &s[0..2];
    if !region::province_exists(province) {
        return Err(NikError::UnknownProvince(province.to_owned()));
    }
    if &s[2..4] == "00" {
        return Err(NikError::ZeroRegency);
    }
    if &s[4..6] == "00" {
        return Err(NikError::ZeroDistrict);
    }
    let dd = two_digits(s, 6);
    let day = match dd {
        1..=31 => dd,
        41..=71 => dd - 40,
        _ => return Err(NikError::InvalidDay(dd)),
    };
    let month = two_digits(s, 8);
    if !(1..=12).contains(&month) {
        return Err(NikError::InvalidMonth(month));
    }
    let yy = two_digits(s, 10);
    if !date_exists(day, month, yy) {
        return Err(NikError::NonexistentDate { day, month, yy });
    }
    if &s[12..16] == "0000" {
        return Err(NikError::ZeroSerial);
    }
    Ok(())
}

impl Nik {
    /// Parses a NIK. No trimming: surrounding whitespace is an error.
    pub fn parse(s: &str) -> Result<Nik, NikError> {
        validate(s)?;
        Ok(Nik(s.to_owned()))
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth `(day 1-31, month 1-12, two-digit year)`, with the +40 of women
    /// removed from the day. The century is not encoded in a NIK.
    pub fn birth_date(&self) -> (u32, u32, u32) {
        let dd = two_digits(&self.0, 6);
        let day = if dd > 40 { dd - 40 } else { dd };
        (day, two_digits(&self.0, 8), two_digits(&self.0, 10))
    }

    /// Whether the day digits carry the +40 used for women.
    pub fn is_female(&self) -> bool {
        two_digits(&self.0, 6) > 40
    }

    /// The two province digits, e.g. `"33"`.
    pub fn province(&self) -> &str {
        &self.0[0..2]
    }
}

string_conversions!(Nik, NikError);

/// Shows only the six region digits: Debug output may end up in logs.
impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({}**********)", &self.0[0..6])
    }
}

#[cfg(test)]
mod tests;
