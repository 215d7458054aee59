//! The `Caller` extractor: the one place where a request's access token is read. The
//! token is checked by the authentication layer (`auth::caller`); the request's audit trail
//! learns the client as soon as the token names it, so that even a refusal after that is
//! recorded against it.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::recorder::trail_of;
use super::state::AppState;
use crate::auth::{Caller, tokens};
use crate::http::problem::ApiError;

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
            let token = bearer_token(&req)?;
            let caller = auth.caller(&token).await?;
            if let Some(trail) = trail_of(&req) {
                trail.set_client(&caller.client_id, caller.agency.as_str());
            }
            auth.admit(&caller).await?;
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
