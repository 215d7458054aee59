//! The purposes of processing: a reference list the operator keeps, which reads name
//! and agreements cover.

use super::error::AgreementsError;
use crate::audit::write::Answer;
use crate::db::{self, AnyConnection, Refusal};
use crate::domain::field_error::FieldError;
use crate::domain::reference::{self, Purpose};

/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// Adds a purpose; its code must be new.
pub fn create(
    conn: &mut AnyConnection,
    purpose: Purpose,
) -> Result<Answer<Purpose>, AgreementsError> {
    let mut problems = Vec::new();
    for (field, name) in [
        ("/name_id", &purpose.name_id),
        ("/name_en", &purpose.name_en),
    ] {
        if let Err(e) = reference::check_name(name) {
            problems.push(FieldError::new(field, e));
        }
    }
    let description = &purpose.description;
    if description.trim().is_empty() || description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(FieldError::new(
            "/description",
            format!("must be 1 to {MAX_DESCRIPTION_CHARS} characters"),
        ));
    } else if description.chars().any(reference::is_stray_control) {
        // PostgreSQL cannot store a NUL at all, and the others forge lines in exports.
        problems.push(FieldError::new(
            "/description",
            "must not contain control characters other than tabs and line breaks",
        ));
    }
    if !problems.is_empty() {
        return Err(AgreementsError::Invalid(problems));
    }
    db::purposes::insert(conn, &purpose).map_err(|e| match db::refusal(&e) {
        Some(Refusal::Duplicate) => {
            AgreementsError::Conflict("a purpose with this code exists already".into())
        }
        _ => e.into(),
    })?;
    Ok(Answer::created(purpose))
}
