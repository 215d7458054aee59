//! The OAuth 2.0 token endpoint (client credentials) and the exchange's public keys.

use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problems::{InternalError, TooManyRequests, Unavailable};
use crate::auth::assertion::{self, JWT_BEARER};
use crate::auth::grant::{self, Credentials, GrantError};
use crate::auth::rate_limit::retry_after_secs;
use crate::db::clients::ClientRecord;
use crate::http::problem::ApiError;
use crate::http::source_address;
use crate::http::state::AppState;

const MAX_FORM_BYTES: usize = 16 * 1024;

/// The form fields of a token request (`application/x-www-form-urlencoded`). Unknown
/// fields are ignored, as RFC 6749 requires.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    grant_type: Option<String>,
    /// Space-separated scopes, a subset of the client's; omitted means all of them.
    #[schema(example = "graduations:read changes:read")]
    scope: Option<String>,
    /// For `client_secret_post` (with `client_secret`) and optionally `private_key_jwt`.
    client_id: Option<String>,
    /// For `client_secret_post`.
    client_secret: Option<String>,
    /// For `private_key_jwt`: `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`.
    client_assertion_type: Option<String>,
    /// For `private_key_jwt`: a JWT signed with one of the client's registered keys, with
    /// `iss` = `sub` = client id, `aud` the issuer or the token endpoint URL, `exp` at most
    /// 5 minutes ahead and a `jti` used only once.
    client_assertion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9.eyJ...", "token_type": "Bearer",
    "expires_in": 900, "scope": "graduations:read changes:read"
}))]
pub struct TokenResponse {
    access_token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Seconds until the token expires.
    expires_in: i64,
    /// The scopes granted.
    scope: String,
}

/// An RFC 6749 §5.2 error, which this endpoint uses instead of problem details.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "invalid_client", "error_description": "client authentication failed"}))]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type` or `invalid_scope`.
    error: &'static str,
    error_description: String,
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.error_description)
    }
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            error_description: description.into(),
        }
    }

    fn invalid_client(description: impl Into<String>) -> Self {
        Self::new("invalid_client", description)
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        if self.error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if self.error == "invalid_client" {
            res.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"sinergi\""));
        }
        res.insert_header((header::CACHE_CONTROL, "no-store"))
            .json(self)
    }
}

/// Either OAuth's own error format or, for limits and outages, a problem.
#[derive(Debug, thiserror::Error)]
pub enum TokenEndpointError {
    #[error("{0}")]
    OAuth(OAuthError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<OAuthError> for TokenEndpointError {
    fn from(e: OAuthError) -> Self {
        Self::OAuth(e)
    }
}

impl ResponseError for TokenEndpointError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::OAuth(e) => e.status_code(),
            Self::Api(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::OAuth(e) => e.error_response(),
            Self::Api(e) => e.error_response(),
        }
    }
}

/// Obtain an access token with the client credentials grant.
///
/// Authenticate with `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1), `client_secret_post`
/// (`client_id` and `client_secret` in the form) or `private_key_jwt` (RFC 7523). Errors use
/// OAuth's format (RFC 6749 §5.2: `error`, `error_description`), not problem details, except
/// 429, 500 and 503. Credentials that are refused get one answer whatever was wrong with them.
/// Requests are limited per source address; failed authentications per client id and source
/// address and per source address (a source that keeps failing gets 429, others are not
/// affected); tokens per client.
#[utoipa::path(
    tag = "authentication",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "`invalid_request`, `invalid_grant`, `unsupported_grant_type` \
            or `invalid_scope` (RFC 6749 §5.2)", body = OAuthError,
            example = json!({"error": "invalid_scope", "error_description": "the client may not use admin"})),
        (status = 401, description = "`invalid_client`: client authentication failed; the same \
            answer for an unknown or disabled client, wrong credentials and a wrong kind of \
            credentials", body = OAuthError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"sinergi\"`"))),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = Unavailable),
    )
)]
#[post("/oauth/token")]
pub async fn post_token(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, TokenEndpointError> {
    let auth = &state.auth;
    let source = source_address::limit_key(source_address::of(&req));
    auth.token_limits.admit(&source).map_err(too_many)?;
    let form = parse_form(&req, &body)?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                "only client_credentials is supported",
            )
            .into());
        }
        None => return Err(OAuthError::new("invalid_request", "grant_type is required").into()),
    }
    let scope = form.scope.clone();
    let credentials = credentials(&req, form, &auth.assertion_audiences)?;
    let trail = crate::http::recorder::trail_of(&req);
    // The registered client that presented credentials is named in the request's audit entry.
    let presented = |client: &ClientRecord| {
        if let Some(trail) = &trail {
            trail.set_client(&client.id, client.agency.as_str());
        }
    };
    let granted =
        grant::client_credentials(auth, &source, credentials, scope.as_deref(), presented).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse {
            access_token: granted.token,
            token_type: "Bearer",
            expires_in: auth.tokens.lifetime_secs,
            scope: granted.scopes.to_string(),
        }))
}

impl From<GrantError> for TokenEndpointError {
    fn from(e: GrantError) -> Self {
        match e {
            GrantError::TooMany(wait) => too_many(wait).into(),
            GrantError::Refused => OAuthError::invalid_client(e.to_string()).into(),
            GrantError::UnknownScope | GrantError::EmptyScope | GrantError::ScopeNotHeld(_) => {
                OAuthError::new("invalid_scope", e.to_string()).into()
            }
            GrantError::Keys(e) => ApiError::from(e).into(),
            GrantError::Db(e) => ApiError::from(e).into(),
        }
    }
}

fn too_many(wait: Duration) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs: retry_after_secs(wait),
    }
}

fn parse_form(req: &HttpRequest, body: &[u8]) -> Result<TokenRequest, TokenEndpointError> {
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(OAuthError::new(
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        )
        .into());
    }
    if body.len() > MAX_FORM_BYTES {
        return Err(OAuthError::new("invalid_request", "the request is too large").into());
    }
    // A repeated parameter is an error (RFC 6749 §3.2), which serde reports as a duplicate.
    serde_urlencoded::from_bytes(body)
        .map_err(|e| OAuthError::new("invalid_request", format!("malformed form: {e}")).into())
}

/// The credentials of exactly one client authentication method, checked as far as that needs
/// no client.
fn credentials(
    req: &HttpRequest,
    form: TokenRequest,
    audiences: &[String],
) -> Result<Credentials, TokenEndpointError> {
    let basic = basic_credentials(req)?;
    let methods = [
        basic.is_some(),
        form.client_secret.is_some(),
        form.client_assertion.is_some(),
    ];
    if methods.iter().filter(|m| **m).count() > 1 {
        return Err(OAuthError::new(
            "invalid_request",
            "use exactly one client authentication method",
        )
        .into());
    }
    if let Some(token) = form.client_assertion {
        if form.client_assertion_type.as_deref() != Some(JWT_BEARER) {
            return Err(OAuthError::new(
                "invalid_request",
                format!("client_assertion_type must be {JWT_BEARER}"),
            )
            .into());
        }
        let now = chrono::Utc::now().timestamp();
        return assertion::parse(token, form.client_id.as_deref(), audiences, now)
            .map(Credentials::Assertion)
            .map_err(|why| {
                OAuthError::invalid_client(format!("invalid client assertion: {why}")).into()
            });
    }
    match (basic, form.client_id, form.client_secret) {
        (Some((id, secret)), _, _) | (None, Some(id), Some(secret)) => {
            Ok(Credentials::Secret { id, secret })
        }
        _ => Err(OAuthError::invalid_client("client authentication is required").into()),
    }
}

/// `Authorization: Basic` credentials, each half form-urlencoded (RFC 6749 §2.3.1).
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || OAuthError::invalid_client("the Authorization header is malformed");
    let value = value.to_str().map_err(|_| bad())?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") || encoded.len() > 1024 {
        return Err(bad());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

/// The public keys that verify access tokens (RFC 7517 JWK Set).
///
/// Lists every key that may still verify a live token: the current signing key, and keys
/// rotated out less than 15 minutes (plus a margin for clock skew) ago.
#[utoipa::path(
    tag = "authentication",
    responses(
        (status = 200, description = "The JWK Set", body = Object, example = json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            "kid": "3f1c2a9e6a0b4f55", "alg": "EdDSA", "use": "sig"}]})),
        (status = 500, response = InternalError),
        (status = 503, response = Unavailable),
    )
)]
#[get("/.well-known/jwks.json")]
pub async fn get_jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let auth = &state.auth;
    let jwks = auth.keys.jwks().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(jwks))
}
