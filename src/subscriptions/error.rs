//! Why a subscription operation did not happen; the API maps each to its problem once.

use crate::agreements::policy::Refusal;
use crate::audit::write::EntryNotStored;
use crate::auth::caller::MissingScope;
use crate::auth::scope::Scope;
use crate::db::{DbError, LostRace};
use crate::domain::field_error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum SubscriptionsError {
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    /// No such subscription, or another agency's (which must not learn that it exists).
    #[error("there is no subscription with this id")]
    NotFound,
    /// A publisher it names is not covered by an agreement in force for its purpose.
    #[error("{}", .0.detail())]
    Refused(Refusal),
    /// The agency has as many subscriptions as it may.
    #[error("{0}")]
    TooMany(String),
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<MissingScope> for SubscriptionsError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::Scope(scope)
    }
}

impl From<crate::db::QueryError> for SubscriptionsError {
    fn from(e: crate::db::QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// A subscription's writes insert under fresh random ids: no race worth running again.
impl LostRace for SubscriptionsError {
    fn lost_race(&self) -> bool {
        false
    }
}
