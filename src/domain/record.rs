//! What graduation and enrollment records share: the publisher's own id, calendar dates,
//! free text, program-specific attributes, the server-kept metadata, and the canonical
//! form that decides whether a re-sent record changed.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The two kinds of record the exchange carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Graduation,
    Enrollment,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graduation => "graduation",
            Self::Enrollment => "enrollment",
        }
    }

    /// The path segment of the kind's collection, `graduations` or `enrollments`.
    pub fn collection(self) -> &'static str {
        match self {
            Self::Graduation => "graduations",
            Self::Enrollment => "enrollments",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest `source_record_id`, in characters.
pub const MAX_SOURCE_RECORD_ID_CHARS: usize = 128;

/// The publisher's own id for a record: 1–128 characters, no control characters.
/// Together with the publisher it identifies the record for upserts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(
    value_type = String,
    description = "The publisher's own id for the record (1-128 characters, no control \
        characters); publishing the same id again updates the record",
    min_length = 1,
    max_length = 128,
    pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$",
    example = "PKH-2026-3201-000123"
)]
pub struct SourceRecordId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters, got {got}")]
    TooLong { max: usize, got: usize },
    #[error("must not contain control characters (found one at position {0})")]
    Control(usize),
}

/// Why free text in a record may not hold a NIK or KK: the audit log traces every NIK a
/// request writes or returns by its keyed hash, which it can do only for the fields made for
/// NIKs. Anywhere else a NIK would be disclosed without a trace. A publishing rule, not a
/// rule of the types: records stored before it still read back.
pub const PERSONAL_NUMBER: &str = "must not hold a 16-digit number such as a NIK or KK; put \
    NIKs and KKs in the fields made for them (household, member_niks, subject), where every \
    disclosure is traced in the audit log";

/// The free-text fields of new content that hold a NIK- or KK-shaped number: `(pointer,
/// detail)` for each, as [`Content::problems`] reports them.
pub fn personal_numbers_in(
    reason: Option<&Reason>,
    attributes: Option<&Attributes>,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if reason.is_some_and(Reason::holds_personal_number) {
        problems.push(("/reason".to_owned(), PERSONAL_NUMBER.to_owned()));
    }
    if attributes.is_some_and(Attributes::holds_personal_number) {
        problems.push((
            "/attributes".to_owned(),
            format!("holds a key or value that {PERSONAL_NUMBER}"),
        ));
    }
    problems
}

/// Checks length in characters and refuses control characters, which have no place in an
/// identifier or a one-line reason and can forge log lines or break CSV exports.
fn check_text(s: &str, max: usize) -> Result<(), TextError> {
    if s.is_empty() {
        return Err(TextError::Empty);
    }
    let got = s.chars().count();
    if got > max {
        return Err(TextError::TooLong { max, got });
    }
    if let Some(i) = s.chars().position(char::is_control) {
        return Err(TextError::Control(i + 1));
    }
    Ok(())
}

impl SourceRecordId {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        check_text(s, MAX_SOURCE_RECORD_ID_CHARS).map(|()| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_conversions!(SourceRecordId, TextError);

/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 1_000;

/// A short human explanation (why a family graduated, why a record was retracted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(
    value_type = String,
    description = "One line of text (no control characters). It must not hold a NIK or KK: \
        no 16 digits in a row, next to letters or not, or grouped by single spaces, dots, \
        dashes, underscores, colons or slashes; digits inside a UUID or a hexadecimal id of 32 \
        or more digits do not count (the pattern checks only for 16 digits in a row)",
    min_length = 1,
    max_length = 1000,
    pattern = "^[^0-9\\u0000-\\u001F\\u007F-\\u009F]*(?:[0-9]{1,15}[^0-9\\u0000-\\u001F\\u007F-\\u009F]+)*[0-9]{0,15}$",
    example = "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan"
)]
pub struct Reason(String);

impl Reason {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        check_text(s, MAX_REASON_CHARS).map(|()| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// See [`PERSONAL_NUMBER`].
    pub fn holds_personal_number(&self) -> bool {
        super::personal_number::appears_in(&self.0)
    }
}

string_conversions!(Reason, TextError);

/// A calendar date written exactly `YYYY-MM-DD` (RFC 3339 `full-date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate(NaiveDate);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("must be a date written YYYY-MM-DD")]
    Format,
    #[error("is not a real calendar date")]
    Nonexistent,
}

impl CalendarDate {
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(DateError::Format);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Self)
            .map_err(|_| DateError::Nonexistent)
    }

    /// Whether the date is one a record can plausibly carry: records date from 1900 to 2199,
    /// which catches a year typed with a digit missing or too many.
    pub fn plausible_for_record(self) -> bool {
        (1900..=2199).contains(&self.0.year())
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, DateError> {
        Self::parse(&s)
    }
}

impl From<CalendarDate> for String {
    fn from(d: CalendarDate) -> String {
        d.to_string()
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl utoipa::PartialSchema for CalendarDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, YYYY-MM-DD"))
            .examples([serde_json::json!("2026-06-30")])
            .into()
    }
}

impl utoipa::ToSchema for CalendarDate {}

/// Why a record's date is refused although it is a real date.
pub const IMPLAUSIBLE_DATE: &str = "must be a date between 1900-01-01 and 2199-12-31";

/// How deep `attributes` may nest: the object itself is level 1.
pub const MAX_ATTRIBUTE_DEPTH: usize = 6;

/// Program-specific extra fields: a JSON object, nested at most six levels deep. This is
/// the place for anything the shared schema does not have; unknown top-level fields are
/// refused instead, so that a typo is not silently stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "serde_json::Map<String, serde_json::Value>")]
#[schema(
    value_type = Object,
    description = "Program-specific extensions: a JSON object nested at most 6 levels deep",
    example = json!({"pendamping": "PD-3201-17", "kelompok_usaha": "KUBE Mawar"})
)]
pub struct Attributes(serde_json::Map<String, serde_json::Value>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributesError {
    #[error("nests deeper than {MAX_ATTRIBUTE_DEPTH} levels")]
    TooDeep,
    /// RFC 8785 (and I-JSON) numbers are IEEE 754 doubles: a larger number would not be
    /// kept as sent (an integer literal too long for 64 bits even arrives as a rounded
    /// double), so every number must lie within the exactly representable integers.
    #[error("holds a number beyond ±9007199254740991; send such numbers as strings")]
    UnsafeInteger,
}

impl TryFrom<serde_json::Map<String, serde_json::Value>> for Attributes {
    type Error = AttributesError;
    fn try_from(map: serde_json::Map<String, serde_json::Value>) -> Result<Self, Self::Error> {
        fn depth(v: &serde_json::Value) -> usize {
            match v {
                serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        fn safe(v: &serde_json::Value) -> bool {
            let limit = crate::canonical_json::MAX_SAFE_INTEGER;
            match v {
                serde_json::Value::Number(n) => {
                    n.as_u64().is_none_or(|u| u <= limit)
                        && n.as_i64().is_none_or(|i| i.unsigned_abs() <= limit)
                        && n.as_f64().is_some_and(|f| f.abs() <= limit as f64)
                }
                serde_json::Value::Array(items) => items.iter().all(safe),
                serde_json::Value::Object(map) => map.values().all(safe),
                _ => true,
            }
        }
        if 1 + map.values().map(depth).max().unwrap_or(0) > MAX_ATTRIBUTE_DEPTH {
            return Err(AttributesError::TooDeep);
        }
        if !map.values().all(safe) {
            return Err(AttributesError::UnsafeInteger);
        }
        Ok(Self(map))
    }
}

impl Attributes {
    /// Whether a key or value anywhere inside holds a NIK- or KK-shaped number (see
    /// [`PERSONAL_NUMBER`]); a number counts when it has sixteen digits before the point.
    pub fn holds_personal_number(&self) -> bool {
        use super::personal_number::appears_in;
        fn personal(v: &serde_json::Value) -> bool {
            match v {
                serde_json::Value::String(s) => appears_in(s),
                serde_json::Value::Number(n) => n.as_f64().is_some_and(|f| f.abs() >= 1e15),
                serde_json::Value::Array(items) => items.iter().any(personal),
                serde_json::Value::Object(map) => {
                    map.iter().any(|(k, v)| appears_in(k) || personal(v))
                }
                _ => false,
            }
        }
        self.0.iter().any(|(k, v)| appears_in(k) || personal(v))
    }
}

/// Fields that the exchange sets; a publisher that sends one is told so instead of having
/// it silently ignored.
pub const SERVER_FIELDS: [&str; 7] = [
    "id",
    "publisher",
    "version",
    "created_at",
    "updated_at",
    "retracted",
    "retraction_reason",
];

/// The RFC 8785 (JCS) form of a record's content and its SHA-256: two publications with
/// the same meaning, whatever their key order or spelling of a region code, hash alike.
pub fn canonical<T: Serialize>(content: &T) -> (String, String) {
    // Valid content always has a canonical form: its keys are strings and `Attributes`
    // refuses the integers RFC 8785 cannot represent.
    let bytes = crate::canonical_json::to_vec(content).expect("valid record content");
    let hash = Sha256::digest(&bytes);
    let text = String::from_utf8(bytes).expect("JSON is UTF-8");
    (text, crate::hex::encode(&hash))
}

/// The state of one stored version, kept by the exchange.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: uuid::Uuid,
    pub publisher: crate::domain::code::AgencyCode,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub retracted: bool,
    pub retraction_reason: Option<Reason>,
}

/// The columns a record is found by, taken from its content when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchKeys {
    /// Every NIK in the record: household head and members, or the enrollment's subject.
    pub niks: Vec<String>,
    pub kk: Option<String>,
    /// The village code without dots, so that a prefix is a plain range of digits.
    pub region_digits: String,
    /// `graduated_on` or `enrolled_on`.
    pub event_on: String,
    pub status: Option<&'static str>,
    /// Graduations only.
    pub graduation_type: Option<&'static str>,
    pub graduation_id: Option<String>,
}

/// What the storage and publishing code needs from the content of either kind of record.
pub trait Content:
    Serialize + serde::de::DeserializeOwned + Clone + fmt::Debug + Send + Sync + 'static
{
    const KIND: RecordKind;
    /// The record as answered: the content with the exchange's metadata.
    type Record: Serialize + Send + 'static;

    fn source_record_id(&self) -> &SourceRecordId;
    fn program(&self) -> &crate::domain::code::ProgramCode;
    /// The graduation this record follows, which must exist when it is published.
    fn graduation_id(&self) -> Option<uuid::Uuid>;
    fn search_keys(&self) -> SearchKeys;
    /// Rules that span fields and so cannot live in a field's type: `(pointer relative to
    /// the record, detail)` for each one broken.
    fn problems(&self) -> Vec<(String, String)>;
    fn into_record(self, meta: Meta) -> Self::Record;
    /// A valid item as a publisher sends it: the documentation's example, whose parts
    /// stand in for refused ones so that checking goes on past them.
    fn example() -> serde_json::Value;
}

#[cfg(test)]
mod tests;
