//! Who may publish and read which records.
//!
//! Every read of records goes through [`check_read`]: today any client with the kind's
//! `:read` scope may read every agency's records, and access by data-sharing agreement
//! between agencies will replace this one function.

use super::error::RecordsError;
use crate::auth::Caller;
use crate::auth::scope::Scope;
use crate::domain::record::RecordKind;

/// The scope that reads records of `kind`.
pub fn read_scope(kind: RecordKind) -> Scope {
    match kind {
        RecordKind::Graduation => Scope::GraduationsRead,
        RecordKind::Enrollment => Scope::EnrollmentsRead,
    }
}

fn write_scope(kind: RecordKind) -> Scope {
    match kind {
        RecordKind::Graduation => Scope::GraduationsWrite,
        RecordKind::Enrollment => Scope::EnrollmentsWrite,
    }
}

/// Refuses unless `caller` may read records of `kind`, whoever published them.
pub fn check_read(caller: &Caller, kind: RecordKind) -> Result<(), RecordsError> {
    require(caller, read_scope(kind))
}

/// Refuses unless `caller` may publish and retract records of `kind`. Which records it may
/// touch is decided per record: only those it publishes, for programs its agency owns.
pub fn check_write(caller: &Caller, kind: RecordKind) -> Result<(), RecordsError> {
    require(caller, write_scope(kind))
}

fn require(caller: &Caller, scope: Scope) -> Result<(), RecordsError> {
    if caller.scopes.contains(scope) {
        Ok(())
    } else {
        Err(RecordsError::Scope(scope))
    }
}
