//! Why a household operation did not happen; the API maps each to its problem once.

use crate::audit::write::EntryNotStored;
use crate::auth::caller::MissingScope;
use crate::auth::scope::Scope;
use crate::db::{DbError, LostRace, QueryError};
use crate::domain::field_error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum HouseholdsError {
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<MissingScope> for HouseholdsError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::Scope(scope)
    }
}

impl From<QueryError> for HouseholdsError {
    fn from(e: QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// Two requests recording one event at once (the unique source id): the loser runs again
/// and finds the event recorded.
impl LostRace for HouseholdsError {
    fn lost_race(&self) -> bool {
        match self {
            Self::Db(DbError::Query(e)) => e.lost_race(),
            _ => false,
        }
    }
}
