//! The `Caller` extractor: the one place where a request's access token is read. The
//! token is checked by the authentication layer (`auth::caller`) once per request: the
//! recorder asks first ([`vouched_for`]), to tell an authenticated request from an
//! anonymous one before it costs anything, and the extractor takes that answer over. The
//! request's audit trail learns the client once the token is accepted, so that a refusal
//! after that (a missing scope, the client's rate) is recorded against it; a token refused
//! with 401 names nobody.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::recorder::trail_of;
use super::state::AppState;
use crate::auth::caller::CallerError;
use crate::auth::{Auth, Caller, tokens};
use crate::http::problem::ApiError;

/// What the recorder learnt of the request's credentials, for the extractor to take.
struct Authenticated(Result<Caller, ApiError>);

/// Whether the request carries credentials that hold: a token that verifies, of a client
/// that may act now. A request without an `Authorization` header is not vouched for, and
/// neither is one whose token is refused with 401. A failure that says nothing about the
/// credentials (the database or the signing keys unavailable) vouches for the request too,
/// so that it is answered with that failure rather than held to the anonymous allowance.
pub async fn vouched_for(req: &HttpRequest, auth: &Auth) -> bool {
    if !req.headers().contains_key(header::AUTHORIZATION) {
        return false;
    }
    let outcome = authenticate(req, auth).await;
    let vouched = !matches!(outcome, Err(ApiError::Unauthorized(_)));
    req.extensions_mut().insert(Authenticated(outcome));
    vouched
}

async fn authenticate(req: &HttpRequest, auth: &Auth) -> Result<Caller, ApiError> {
    let token = bearer_token(req)?;
    auth.authenticate(&token)
        .await
        .map_err(|e: CallerError| e.into())
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .expect("the app state is registered")
                .clone();
            let auth = &state.auth;
            let known = req.extensions_mut().remove::<Authenticated>();
            let caller = match known {
                Some(Authenticated(outcome)) => outcome?,
                None => authenticate(&req, auth).await?,
            };
            if let Some(trail) = trail_of(&req) {
                trail.set_client(&caller.client_id, caller.agency.as_str());
            }
            auth.admit(&caller)?;
            Ok(caller)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("an access token is required".into()))?;
    if value.len() > tokens::MAX_TOKEN_BYTES + 16 {
        return Err(ApiError::Unauthorized("the token is too large".into()));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is malformed".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
    }
}
