//! Validated identifier types of the exchange: the citizen number (NIK), the
//! family card number (KK) and the Kemendagri region codes, together with the
//! embedded region table they are checked against.
//!
//! Every type here can only be built through its `parse`/`TryFrom<String>`, so
//! a value of the type is always valid; errors never echo the full input.

pub mod code;
pub mod kk;
pub mod nik;
pub mod reference;
pub mod region;
