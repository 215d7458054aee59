//! How each layer's errors answer over HTTP: one `From` per layer error, so that handlers
//! use `?` and no layer below knows a status code or a problem type.

use crate::agreements::error::AgreementsError;
use crate::audit::read::AuditReadError;
use crate::audit::write::EntryNotStored;
use crate::auth::admin::AdminError;
use crate::auth::caller::{CallerError, MissingScope};
use crate::auth::clients::ClientError;
use crate::auth::keys::KeyError;
use crate::auth::rate_limit::retry_after_secs;
use crate::feed::read::FeedError;
use crate::households::error::HouseholdsError;
use crate::http::problem::ApiError;
use crate::records::error::RecordsError;
use crate::referrals::error::ReferralsError;
use crate::subscriptions::error::SubscriptionsError;

impl From<EntryNotStored> for ApiError {
    fn from(e: EntryNotStored) -> Self {
        Self::AuditUnavailable(crate::db::DbError::from(e.0).cause())
    }
}

impl From<RecordsError> for ApiError {
    fn from(e: RecordsError) -> Self {
        match e {
            RecordsError::Scope(scope) => Self::InsufficientScope(scope),
            RecordsError::Invalid(errors) => Self::Validation(errors),
            RecordsError::Forbidden(detail) => Self::Forbidden(detail),
            RecordsError::NotFound(kind) => {
                Self::NotFound(format!("there is no {kind} with this id"))
            }
            RecordsError::PreconditionFailed(detail) => Self::PreconditionFailed(detail),
            RecordsError::Purpose(problem) => {
                Self::field(crate::http::declared::PURPOSE_POINTER, problem.detail())
            }
            RecordsError::Refused(refusal) => {
                Self::NotCovered(refusal.code(), refusal.detail().into())
            }
            RecordsError::TooManyItems { max, got } => Self::TooManyItems { max, got },
            RecordsError::EntryNotStored(e) => e.into(),
            RecordsError::Db(e) => e.into(),
        }
    }
}

impl From<FeedError> for ApiError {
    fn from(e: FeedError) -> Self {
        match e {
            FeedError::BeyondHead { .. } => Self::query("after", e),
            FeedError::Render(_) => Self::Internal("a record did not render for the feed"),
            FeedError::Db(e) => e.into(),
        }
    }
}

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::Db(e) => e.into(),
            KeyError::Unusable { .. } => Self::Internal("a signing key cannot be used"),
            KeyError::NoKey => Self::Internal("there is no signing key"),
        }
    }
}

impl From<CallerError> for ApiError {
    fn from(e: CallerError) -> Self {
        match e {
            CallerError::Unauthorized(why) => Self::Unauthorized(why),
            CallerError::TooManyRequests { retry_after_secs } => {
                Self::TooManyRequests { retry_after_secs }
            }
            CallerError::Keys(e) => e.into(),
            CallerError::Db(e) => e.into(),
        }
    }
}

impl From<MissingScope> for ApiError {
    fn from(MissingScope(scope): MissingScope) -> Self {
        Self::InsufficientScope(scope)
    }
}

impl From<SubscriptionsError> for ApiError {
    fn from(e: SubscriptionsError) -> Self {
        match e {
            SubscriptionsError::Scope(scope) => Self::InsufficientScope(scope),
            SubscriptionsError::Invalid(errors) => Self::Validation(errors),
            SubscriptionsError::NotFound => Self::NotFound(e.to_string()),
            SubscriptionsError::TooMany(detail) => Self::Conflict(detail),
            SubscriptionsError::Refused(refusal) => {
                Self::NotCovered(refusal.code(), refusal.detail().into())
            }
            SubscriptionsError::EntryNotStored(e) => e.into(),
            SubscriptionsError::Db(e) => e.into(),
        }
    }
}

impl From<AuditReadError> for ApiError {
    fn from(e: AuditReadError) -> Self {
        match e {
            AuditReadError::Parameter { name, why } => Self::query(name, why),
            AuditReadError::PurposeRequired => {
                Self::field("#/header/Sinergi-Purpose", e.to_string())
            }
            AuditReadError::TooManyLookups(wait) => Self::TooManyRequests {
                retry_after_secs: retry_after_secs(wait),
            },
            AuditReadError::NoCheckpointAt | AuditReadError::NoCheckpoint => {
                Self::NotFound(e.to_string())
            }
            // What is damaged is for the operator, who can run `sinergi audit verify`.
            AuditReadError::Damaged(_) => Self::Internal("the stored audit log is damaged"),
            AuditReadError::Db(e) => e.into(),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Scope(scope) => Self::InsufficientScope(scope),
            AdminError::Scopes(why) => Self::field("/scopes", why),
            AdminError::NotFound => Self::NotFound(e.to_string()),
            AdminError::DisableSelf | AdminError::RotateSelf | AdminError::KeysOnly(_) => {
                Self::Conflict(e.to_string())
            }
            AdminError::Client(e) => e.into(),
            AdminError::EntryNotStored(e) => e.into(),
            AdminError::Db(e) => e.into(),
        }
    }
}

impl From<ClientError> for ApiError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::UnknownAgency(_) => Self::NotFound("no agency has this code".into()),
            ClientError::Name(e) => Self::field("/name", e),
            ClientError::Jwks(e) => Self::field("/jwks", e),
            ClientError::Db(e) => e.into(),
        }
    }
}

impl From<AgreementsError> for ApiError {
    fn from(e: AgreementsError) -> Self {
        match e {
            AgreementsError::Scope(scope) => Self::InsufficientScope(scope),
            AgreementsError::Invalid(errors) => Self::Validation(errors),
            AgreementsError::NotFound => Self::NotFound(e.to_string()),
            AgreementsError::Forbidden(why) => Self::Forbidden(why.into()),
            AgreementsError::Conflict(why) => Self::Conflict(why),
            AgreementsError::PreconditionFailed(why) => Self::PreconditionFailed(why),
            AgreementsError::EntryNotStored(e) => e.into(),
            AgreementsError::Db(e) => e.into(),
        }
    }
}

impl From<ReferralsError> for ApiError {
    fn from(e: ReferralsError) -> Self {
        match e {
            ReferralsError::Scope(scope) => Self::InsufficientScope(scope),
            ReferralsError::Invalid(errors) => Self::Validation(errors),
            ReferralsError::NotFound => Self::NotFound(e.to_string()),
            ReferralsError::NotCovered {
                ref pointer,
                refusal,
            } => {
                let detail = if pointer.is_empty() {
                    refusal.detail().to_owned()
                } else {
                    format!(
                        "{pointer}: this agency may not see the family: no data-sharing \
                         agreement in force with the graduation's publisher covers the \
                         graduation for the referral's purpose ({})",
                        refusal.code()
                    )
                };
                Self::NotCovered(refusal.code(), detail)
            }
            ReferralsError::Illegal { ref allowed, .. } => Self::IllegalTransition {
                detail: e.to_string(),
                allowed: allowed.iter().map(|t| t.as_str()).collect(),
            },
            ReferralsError::Conflict(detail) => Self::Conflict(detail),
            ReferralsError::PreconditionFailed(detail) => Self::PreconditionFailed(detail),
            ReferralsError::Raced => Self::Conflict(e.to_string()),
            ReferralsError::EntryNotStored(e) => e.into(),
            ReferralsError::Db(e) => e.into(),
        }
    }
}

impl From<HouseholdsError> for ApiError {
    fn from(e: HouseholdsError) -> Self {
        match e {
            HouseholdsError::Scope(scope) => Self::InsufficientScope(scope),
            HouseholdsError::Invalid(errors) => Self::Validation(errors),
            HouseholdsError::Conflict(detail) => Self::Conflict(detail),
            HouseholdsError::EntryNotStored(e) => e.into(),
            HouseholdsError::Db(e) => e.into(),
        }
    }
}
