//! Ids in paths, each parsed in one place with one answer for anything malformed: a record or
//! subscription id that is not a UUID names nothing (404), a client id outside its alphabet
//! is refused naming `#/path/id` (400).
//!
//! Extracting never fails; handlers ask for the id ([`RecordId::get`] …) once they have
//! checked the caller, so that a caller without the scope learns nothing from a path either.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::domain::record::Content;
use crate::http::problem::{ApiError, FieldError};

/// The `{id}` segment of the request's path.
fn segment(req: &HttpRequest) -> String {
    req.match_info().get("id").unwrap_or_default().to_owned()
}

/// The id of a record of kind `C`.
pub struct RecordId<C> {
    raw: String,
    /// Whether the path is the record itself (`/v1/{kind}/{id}`), where `batch` is not an id
    /// but the collection's batch endpoint.
    item: bool,
    kind: PhantomData<C>,
}

impl<C: Content> RecordId<C> {
    /// On the record's own path, `batch` is the batch endpoint, which answers POST only
    /// (405); anything else that is not a UUID names no record (404).
    pub fn get(&self) -> Result<uuid::Uuid, ApiError> {
        if self.item && self.raw == "batch" {
            return Err(ApiError::MethodNotAllowed(vec!["POST".into()]));
        }
        uuid::Uuid::parse_str(&self.raw)
            .map_err(|_| ApiError::NotFound(format!("there is no {} with this id", C::KIND)))
    }
}

impl<C> FromRequest for RecordId<C> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self {
            raw: segment(req),
            item: req.match_pattern().is_some_and(|p| p.ends_with("/{id}")),
            kind: PhantomData,
        }))
    }
}

/// The id of a webhook subscription.
pub struct SubscriptionId(String);

impl SubscriptionId {
    /// The id in its canonical form, or 404.
    pub fn get(&self) -> Result<String, ApiError> {
        uuid::Uuid::parse_str(&self.0)
            .map(|u| u.to_string())
            .map_err(|_| subscription_not_found())
    }
}

/// The answer for a subscription that does not exist or is another agency's.
fn subscription_not_found() -> ApiError {
    ApiError::NotFound("there is no subscription with this id".into())
}

impl FromRequest for SubscriptionId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(segment(req))))
    }
}

/// The id of a client: a UUID for created clients, a short name for the demo's fixed ones.
pub struct ClientId(String);

impl ClientId {
    /// 1 to 64 characters of `A-Z a-z 0-9 - _ .`, or 400 naming `#/path/id`.
    pub fn get(&self) -> Result<String, ApiError> {
        let id = &self.0;
        let ok = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(id.clone())
        } else {
            Err(ApiError::Validation(vec![FieldError::path(
                "id",
                "must be 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' and '.'",
            )]))
        }
    }
}

impl FromRequest for ClientId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(segment(req))))
    }
}

/// The id of a data-sharing agreement.
pub struct AgreementId(String);

impl AgreementId {
    /// The id, or 404 for anything that is not a UUID.
    pub fn get(&self) -> Result<uuid::Uuid, ApiError> {
        uuid::Uuid::parse_str(&self.0)
            .map_err(|_| ApiError::NotFound("there is no agreement with this id".into()))
    }
}

impl FromRequest for AgreementId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(segment(req))))
    }
}

/// The id of a referral.
pub struct ReferralId(String);

impl ReferralId {
    /// The id, or 404 for anything that is not a UUID.
    pub fn get(&self) -> Result<uuid::Uuid, ApiError> {
        uuid::Uuid::parse_str(&self.0)
            .map_err(|_| ApiError::NotFound("there is no referral with this id".into()))
    }
}

impl FromRequest for ReferralId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(segment(req))))
    }
}
