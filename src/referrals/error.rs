//! Why a referral operation did not happen; the API maps each to its problem once.

use crate::agreements::policy::Refusal;
use crate::audit::write::EntryNotStored;
use crate::auth::caller::MissingScope;
use crate::auth::scope::Scope;
use crate::db::{DbError, LostRace, QueryError};
use crate::domain::field_error::FieldError;
use crate::domain::referral::{Status, Target};

#[derive(Debug, thiserror::Error)]
pub enum ReferralsError {
    #[error("this operation needs the scope {0}")]
    Scope(Scope),
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    /// No such referral, or one the caller's agency may not see (which must not learn that
    /// it exists).
    #[error("there is no referral with this id")]
    NotFound,
    /// A receiving agency (named by the pointer into the request) is not covered by an
    /// agreement in force with the graduation's publisher for the referral's purpose.
    #[error("{pointer}: {}", refusal.detail())]
    NotCovered { pointer: String, refusal: Refusal },
    /// The step is not one the caller may take from the referral's status.
    #[error("a referral that is {} cannot become {} by your agency", status.as_str(), to.as_str())]
    Illegal {
        status: Status,
        to: Target,
        allowed: Vec<Target>,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    /// Another writer changed the referral between this transaction's read and its write:
    /// run again, deciding on what the winner left.
    #[error("the referral changed meanwhile")]
    Raced,
    #[error(transparent)]
    EntryNotStored(#[from] EntryNotStored),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<MissingScope> for ReferralsError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::Scope(scope)
    }
}

impl From<QueryError> for ReferralsError {
    fn from(e: QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// Two requesters creating one referral at once (the unique source id), and two agencies
/// accepting one referral at once (the version check), are both decided again on what the
/// winner wrote: the loser then finds the referral made, or accepted.
impl LostRace for ReferralsError {
    fn lost_race(&self) -> bool {
        match self {
            Self::Raced => true,
            Self::Db(DbError::Query(e)) => e.lost_race(),
            _ => false,
        }
    }
}
