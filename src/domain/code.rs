//! Short uppercase codes that name agencies, programs and purposes (`KEMENSOS`, `PKH`,
//! `PEMBERDAYAAN_EKONOMI`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("must be 2 to 32 characters, got {0}")]
    Length(usize),
    #[error("must start with an uppercase letter A-Z")]
    Start,
    #[error("may contain only uppercase letters A-Z, digits 0-9 and '_'")]
    Character,
}

fn check(s: &str) -> Result<(), CodeError> {
    let len = s.chars().count();
    if !(2..=32).contains(&len) {
        return Err(CodeError::Length(len));
    }
    if !s.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Err(CodeError::Start);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(CodeError::Character);
    }
    Ok(())
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schema(value_type = String, pattern = "^[A-Z][A-Z0-9_]{1,31}$", example = $example)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, CodeError> {
                check(s).map(|()| Self(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_conversions!($name, CodeError);
    };
}

code_type!(
    /// An agency's code, such as `KEMENSOS`.
    AgencyCode,
    "KEMENSOS"
);
code_type!(
    /// A program's code, such as `PKH`.
    ProgramCode,
    "PKH"
);
code_type!(
    /// A purpose of processing, such as `PEMBERDAYAAN_EKONOMI`.
    PurposeCode,
    "PEMBERDAYAAN_EKONOMI"
);
code_type!(
    /// A reason of `GET /v1/referral-reasons`, such as `KUOTA_PENUH`.
    ReasonCode,
    "KUOTA_PENUH"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_uppercase_words() {
        assert!(AgencyCode::parse("KEMENSOS").is_ok());
        assert!(ProgramCode::parse("P2K_2026").is_ok());
        assert_eq!(AgencyCode::parse("K"), Err(CodeError::Length(1)));
        assert_eq!(
            AgencyCode::parse(&"A".repeat(33)),
            Err(CodeError::Length(33))
        );
        assert_eq!(AgencyCode::parse("kemensos"), Err(CodeError::Start));
        assert_eq!(AgencyCode::parse("1PKH"), Err(CodeError::Start));
        assert_eq!(ProgramCode::parse("PKH-1"), Err(CodeError::Character));
        assert_eq!(ProgramCode::parse("PKH "), Err(CodeError::Character));
        assert_eq!(ProgramCode::parse("PKHÉ"), Err(CodeError::Character));
    }

    #[test]
    fn serde_refuses_an_invalid_code_with_the_reason() {
        let err = serde_json::from_str::<AgencyCode>("\"kemensos\"").unwrap_err();
        assert!(err.to_string().contains("uppercase"), "{err}");
        let ok: AgencyCode = serde_json::from_str("\"KEMENSOS\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"KEMENSOS\"");
    }
}
