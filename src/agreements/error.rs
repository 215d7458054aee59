//! Why an agreement operation did not happen; the API maps each to its problem once.

use crate::audit::write::EntryNotStored;
use crate::auth::caller::MissingScope;
use crate::auth::scope::Scope;
use crate::db::{DbError, LostRace, QueryError};
use crate::domain::field_error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AgreementsError {
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    /// No such agreement, or one the caller's agency is no party to (which must not learn
    /// that it exists).
    #[error("there is no agreement with this id")]
    NotFound,
    /// A party, but not the one that may do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Not possible in the agreement's present status.
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` named another version than the latest.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<MissingScope> for AgreementsError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::Scope(scope)
    }
}

impl From<QueryError> for AgreementsError {
    fn from(e: QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// Agreements are created under fresh ids and changed under a check of the version read:
/// a lost race is reported (412 or 409), never run again.
impl LostRace for AgreementsError {
    fn lost_race(&self) -> bool {
        false
    }
}
