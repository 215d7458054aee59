//! Why a records operation did not happen, in the records layer's own terms. The API maps
//! each to its problem once (`api::records`); nothing here knows HTTP.

use crate::agreements::policy::{PurposeProblem, Refusal};
use crate::audit::write::EntryNotStored;
use crate::auth::scope::Scope;
use crate::db::{DbError, LostRace};
use crate::domain::field_error::FieldError;
use crate::domain::record::RecordKind;

#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// The caller's token lacks the scope the operation needs.
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    /// Parts of the command are not valid, each named.
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    /// Valid, but not the caller's to do: another agency's program or record.
    #[error("{0}")]
    Forbidden(String),
    #[error("there is no {0} with this id")]
    NotFound(RecordKind),
    /// A read of another agency's records without a usable `Sinergi-Purpose`.
    #[error("{}", .0.detail())]
    Purpose(PurposeProblem),
    /// A read of another agency's records that no agreement in force allows.
    #[error("{}", .0.detail())]
    Refused(Refusal),
    /// `If-Match` named another version than the current one.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("the batch holds {got} items; at most {max} are accepted")]
    TooManyItems { max: usize, got: usize },
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl RecordsError {
    /// One invalid part.
    pub fn field(pointer: impl Into<String>, detail: impl ToString) -> Self {
        Self::Invalid(vec![FieldError::new(pointer, detail)])
    }
}

impl From<crate::db::QueryError> for RecordsError {
    fn from(e: crate::db::QueryError) -> Self {
        Self::Db(e.into())
    }
}

impl LostRace for RecordsError {
    fn lost_race(&self) -> bool {
        matches!(self, Self::Db(DbError::Query(e)) if e.lost_race())
    }
}
