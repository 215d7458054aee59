//! Helpers shared by the fuzz targets: independent oracles (written from the documented
//! rules and the shipped CSVs, not by calling the code under test), byte edits for the
//! mutation targets, and the token-verification environment.

use std::collections::HashSet;
use std::fmt::{Debug, Display};
use std::str::FromStr;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The shipped region table, read straight from the CSVs: the oracle for province and
/// village existence, independent of `sinergi::domain::region`'s compact sets.
pub struct RegionTable {
    pub provinces: HashSet<String>,
    pub regencies: HashSet<String>,
    pub districts: HashSet<String>,
    pub villages: HashSet<String>,
}

static PROVINCES_CSV: &str = include_str!("../../data/regions/provinces.csv");
static REGENCIES_CSV: &str = include_str!("../../data/regions/regencies.csv");
static DISTRICTS_CSV: &str = include_str!("../../data/regions/districts.csv");
static VILLAGES_CSV: &str = include_str!("../../data/regions/villages.csv");

fn codes(csv: &str) -> HashSet<String> {
    csv.lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| line.split(',').next().expect("a code column").to_owned())
        .collect()
}

pub static REGIONS: LazyLock<RegionTable> = LazyLock::new(|| RegionTable {
    provinces: codes(PROVINCES_CSV),
    regencies: codes(REGENCIES_CSV),
    districts: codes(DISTRICTS_CSV),
    villages: codes(VILLAGES_CSV),
});

/// Gregorian leap year.
pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The expected outcome of the shared "exactly `len` ASCII digits" check, in the documented
/// order: empty, whitespace anywhere, first character that is not an ASCII digit (1-based;
/// numeric or not), wrong length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitsVerdict {
    Ok,
    Empty,
    Whitespace,
    NonAsciiDigit(usize),
    NotADigit(usize),
    Length(usize),
}

pub fn digits_verdict(s: &str, len: usize) -> DigitsVerdict {
    if s.is_empty() {
        return DigitsVerdict::Empty;
    }
    if s.chars().any(char::is_whitespace) {
        return DigitsVerdict::Whitespace;
    }
    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return if c.is_numeric() {
            DigitsVerdict::NonAsciiDigit(i + 1)
        } else {
            DigitsVerdict::NotADigit(i + 1)
        };
    }
    if s.len() != len {
        return DigitsVerdict::Length(s.len());
    }
    DigitsVerdict::Ok
}

/// Two more ways to read a fuzz input as an identifier, so that valid values are reached
/// often and not only by chance: every byte as a decimal digit, and every byte as a digit
/// or (for about one byte in eleven) a dot.
pub fn as_digits(data: &[u8], max: usize) -> String {
    data.iter()
        .take(max)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

pub fn as_digits_and_dots(data: &[u8], max: usize) -> String {
    data.iter()
        .take(max)
        .map(|b| match b % 11 {
            10 => '.',
            d => char::from(b'0' + d),
        })
        .collect()
}

/// Whether an error message could be leaking the (all-digit) input: the messages carry at
/// most four digits in a row (a length, a position, a century), so any longer all-digit
/// input must not appear in them.
pub fn may_echo(message: &str, input: &str) -> bool {
    input.len() >= 5 && input.bytes().all(|b| b.is_ascii_digit()) && message.contains(input)
}

/// One edit of a byte string, for the targets that spoil a valid signed value.
#[derive(Arbitrary, Debug, Clone)]
pub enum Edit {
    /// Replace the byte at `at` (modulo the length) by `byte`.
    Set {
        at: u16,
        byte: u8,
    },
    /// XOR the byte at `at` with `mask` (no-op when 0: the final comparison decides).
    Flip {
        at: u16,
        mask: u8,
    },
    /// Replace the byte at `at` by a base64 character (standard or url-safe alphabet, or
    /// `=`), so that the change reaches the decoders behind base64.
    Base64 {
        at: u16,
        symbol: u8,
    },
    Insert {
        at: u16,
        byte: u8,
    },
    Remove {
        at: u16,
    },
    Truncate {
        at: u16,
    },
    Append(Vec<u8>),
    /// Copy `len` bytes from `from` over `to` (both modulo the length).
    CopyWithin {
        from: u16,
        to: u16,
        len: u8,
    },
}

pub const BASE64_SYMBOLS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";

impl Edit {
    pub fn apply(&self, bytes: &mut Vec<u8>) {
        let at = |i: u16, len: usize| usize::from(i) % len.max(1);
        match self {
            Edit::Set { at: i, byte } => {
                if !bytes.is_empty() {
                    let i = at(*i, bytes.len());
                    bytes[i] = *byte;
                }
            }
            Edit::Flip { at: i, mask } => {
                if !bytes.is_empty() {
                    let i = at(*i, bytes.len());
                    bytes[i] ^= *mask;
                }
            }
            Edit::Base64 { at: i, symbol } => {
                if !bytes.is_empty() {
                    let i = at(*i, bytes.len());
                    bytes[i] = BASE64_SYMBOLS[usize::from(*symbol) % BASE64_SYMBOLS.len()];
                }
            }
            Edit::Insert { at: i, byte } => {
                let i = usize::from(*i) % (bytes.len() + 1);
                bytes.insert(i, *byte);
            }
            Edit::Remove { at: i } => {
                if !bytes.is_empty() {
                    let i = at(*i, bytes.len());
                    bytes.remove(i);
                }
            }
            Edit::Truncate { at: i } => {
                let i = usize::from(*i) % (bytes.len() + 1);
                bytes.truncate(i);
            }
            Edit::Append(tail) => bytes.extend_from_slice(tail),
            Edit::CopyWithin { from, to, len } => {
                if !bytes.is_empty() {
                    let from = at(*from, bytes.len());
                    let to = at(*to, bytes.len());
                    let len = usize::from(*len)
                        .min(bytes.len() - from)
                        .min(bytes.len() - to);
                    bytes.copy_within(from..from + len, to);
                }
            }
        }
    }
}

/// JSON values equal as RFC 8785 sees them: numbers by their IEEE 754 double value
/// (`1.0`, `1` and `1e0` are one number, and so are `0` and `-0`), everything else exactly.
pub fn json_equivalent(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equivalent(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equivalent(v, w)))
        }
        _ => a == b,
    }
}

pub mod token_env;

/// The checks `Nik` and `Kk` share, both being 16 digits shown masked: `T::parse(s)` gave
/// `parsed`, which must be exactly `expected` (the oracle's verdict); every other way in
/// (`FromStr`, `TryFrom<String>`, serde) agrees; an accepted value round-trips through
/// `AsRef<str>`, `Display`, `String::from` and JSON to the same text and value, and its
/// `Debug` shows `name(` the six region digits and asterisks; neither `Debug` nor the
/// message of a refusal shows the input's digits. Returns the accepted value, for the
/// checks of its own accessors.
pub fn check_masked_digits<T, E>(
    name: &str,
    s: &str,
    parsed: Result<T, E>,
    expected: Result<(), E>,
) -> Option<T>
where
    T: FromStr<Err = E>
        + TryFrom<String, Error = E>
        + Serialize
        + DeserializeOwned
        + Display
        + AsRef<str>
        + Into<String>
        + Clone
        + PartialEq
        + Debug,
    E: Display + Debug + Clone + PartialEq,
{
    assert_eq!(
        parsed.as_ref().map(|_| ()).map_err(Clone::clone),
        expected,
        "{s:?}"
    );
    assert_eq!(s.parse::<T>(), parsed);
    assert_eq!(T::try_from(s.to_owned()), parsed);
    let from_json = serde_json::from_value::<T>(serde_json::Value::String(s.to_owned()));
    assert_eq!(from_json.is_ok(), parsed.is_ok());

    match parsed {
        Ok(value) => {
            assert!(s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()));
            let shown = value.to_string();
            assert_eq!(shown, s);
            assert_eq!(value.as_ref(), s);
            assert_eq!(Into::<String>::into(value.clone()), s);
            assert_eq!(from_json.ok().as_ref(), Some(&value));
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<T>(&json).ok().as_ref(), Some(&value));
            assert_eq!(shown.parse::<T>().ok().as_ref(), Some(&value));
            assert_eq!(
                format!("{value:?}"),
                format!("{name}({}**********)", &s[..6])
            );
            Some(value)
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!may_echo(&message, s), "{message:?} shows the input");
            assert!(!may_echo(&format!("{e:?}"), s));
            None
        }
    }
}
