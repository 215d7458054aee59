//! Reference data: the agencies that take part and the programs they run.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::{AgencyCode, ProgramCode};

/// A ministry or institution that publishes or consumes records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"code": "KEMENSOS", "name": "Kementerian Sosial"}))]
pub struct Agency {
    pub code: AgencyCode,
    /// The agency's official name.
    #[schema(schema_with = name_schema)]
    pub name: String,
}

/// Whether a program gives social assistance (bansos) or empowers its participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    /// Bantuan sosial, such as PKH or Sembako: families graduate out of it.
    SocialAssistance,
    /// Pemberdayaan: a program that graduated families can join.
    Empowerment,
}

impl ProgramKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SocialAssistance => "social_assistance",
            Self::Empowerment => "empowerment",
        }
    }
}

impl fmt::Display for ProgramKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("must be social_assistance or empowerment")]
pub struct ProgramKindError;

impl FromStr for ProgramKind {
    type Err = ProgramKindError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "social_assistance" => Ok(Self::SocialAssistance),
            "empowerment" => Ok(Self::Empowerment),
            _ => Err(ProgramKindError),
        }
    }
}

/// A program run by one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "code": "PKH", "name": "Program Keluarga Harapan", "agency": "KEMENSOS",
    "kind": "social_assistance", "active": true
}))]
pub struct Program {
    pub code: ProgramCode,
    #[schema(schema_with = name_schema)]
    pub name: String,
    /// The code of the agency that owns the program.
    pub agency: AgencyCode,
    pub kind: ProgramKind,
    /// Whether records may still be published for this program.
    pub active: bool,
}

/// Longest accepted agency or program name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A purpose for which personal data may be processed (UU 27/2022): every read of another
/// agency's records names one, and an agreement lists those it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "code": "PEMBERDAYAAN_EKONOMI", "name_id": "Pemberdayaan ekonomi keluarga pascagraduasi",
    "name_en": "Economic empowerment of graduated families",
    "description": "Menjangkau keluarga yang lulus dari bantuan sosial untuk program pemberdayaan ekonomi."
}))]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub code: crate::domain::code::PurposeCode,
    /// The name in Bahasa Indonesia.
    #[schema(schema_with = name_schema)]
    pub name_id: String,
    /// The name in English.
    #[schema(schema_with = name_schema)]
    pub name_en: String,
    /// What processing the purpose covers, for the parties' legal teams: free text over
    /// several lines, without other control characters than tabs and line breaks.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    )]
    pub description: String,
}

/// A control character that free text over several lines may not hold: any but a tab and
/// the line breaks.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

#[derive(Debug, thiserror::Error)]
pub enum NameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("must not start or end with whitespace or contain control characters")]
    Untidy,
}

/// The rule of `check_name` as an ECMA regular expression for the OpenAPI document; the two
/// must agree exactly, or generated clients and fuzzers are told something untrue. The
/// whitespace class is Rust's `char::is_whitespace` spelled out (U+0085 is a control).
pub const NAME_PATTERN: &str = "^[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f]\
    ([^\\u0000-\\u001f\\u007f-\\u009f]*[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f])?$";

/// The OpenAPI schema of a display name (`schema_with`, since `pattern` takes only literals).
pub fn name_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_NAME_CHARS))
        .pattern(Some(NAME_PATTERN))
        .build()
}

/// Checks a display name: non-empty, bounded, no stray whitespace or control characters.
pub fn check_name(name: &str) -> Result<(), NameError> {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(NameError::TooLong)
    } else if !edge_ok(name.chars().next())
        || !edge_ok(name.chars().next_back())
        || name.chars().any(char::is_control)
    {
        Err(NameError::Untidy)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_tidy() {
        assert!(check_name("Kementerian Sosial").is_ok());
        assert!(matches!(check_name(""), Err(NameError::Empty)));
        assert!(matches!(check_name(" Kemensos"), Err(NameError::Untidy)));
        assert!(matches!(check_name("Kemen\nsos"), Err(NameError::Untidy)));
        assert!(matches!(
            check_name(&"a".repeat(201)),
            Err(NameError::TooLong)
        ));
    }

    #[test]
    fn program_kinds_use_the_contract_spelling() {
        assert_eq!(
            serde_json::to_string(&ProgramKind::SocialAssistance).unwrap(),
            "\"social_assistance\""
        );
        assert_eq!(
            "empowerment".parse::<ProgramKind>().unwrap(),
            ProgramKind::Empowerment
        );
        assert!("Empowerment".parse::<ProgramKind>().is_err());
    }
}
