//! Validated identifier types of the exchange: the citizen number (NIK), the
//! family card number (KK) and the Kemendagri region codes, together with the
//! embedded region table they are checked against.
//!
//! Every type here can only be built through its `parse`/`TryFrom<String>`, so
//! a value of the type is always valid; errors never echo the full input.
//!
//! The record shapes of the shared schema (graduation, enrollment, what they share) and
//! [`field_error::FieldError`] live here too. Nothing here does I/O or knows HTTP or the
//! database: every other layer may use it, and it uses none of them.

/// The conversions every validated string newtype shares, all going through its `parse`, so
/// that no path into the type skips validation.
macro_rules! string_conversions {
    ($type:ident, $error:ty) => {
        impl TryFrom<String> for $type {
            type Error = $error;
            fn try_from(s: String) -> Result<Self, $error> {
                Self::parse(&s)
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> String {
                value.0
            }
        }

        impl std::str::FromStr for $type {
            type Err = $error;
            fn from_str(s: &str) -> Result<Self, $error> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $type {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub mod agreement;
pub mod code;
pub mod enrollment;
pub mod every_error;
pub mod field_error;
pub mod graduation;
pub mod household;
pub mod kk;
pub mod nik;
pub mod personal_number;
pub mod record;
pub mod reference;
pub mod referral;
pub mod region;
