//! Which scope publishing and reading records needs. The scope is the first gate; which
//! records a reader may see, and how much of them, is decided by the data-sharing
//! agreements ([`super::disclose`]).

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

/// Refuses unless `caller` holds the scope that reads records of `kind`.
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
