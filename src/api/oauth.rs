//! The OAuth 2.0 token endpoint (client credentials) and the exchange's public keys.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problems::{InternalError, TooManyRequests, Unavailable};
use crate::audit::trail::Trail;
use crate::auth::rate_limit::retry_after_secs;
use crate::auth::scope::ScopeSet;
use crate::auth::{Auth, clients, tokens};
use crate::db::{self, clients::ClientRecord};
use crate::error::ApiError;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// RFC 7523 assertions must not be valid for longer than this ahead.
const MAX_ASSERTION_AHEAD_SECS: i64 = 300;
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
/// 429, 500 and 503. Requests are limited per client id and per remote address.
#[utoipa::path(
    tag = "authentication",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "`invalid_request`, `invalid_grant`, `unsupported_grant_type` \
            or `invalid_scope` (RFC 6749 §5.2)", body = OAuthError,
            example = json!({"error": "invalid_scope", "error_description": "the client may not use admin"})),
        (status = 401, description = "`invalid_client`: client authentication failed",
            body = OAuthError,
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
    auth: web::Data<Auth>,
) -> Result<HttpResponse, TokenEndpointError> {
    let addr = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    limit(&auth.token_limit_addr, &addr)?;
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
    let client = authenticate(&req, form, &auth).await?;
    audit_client(&req, &client.0);
    let granted = match &client.1 {
        Some(requested) => {
            let requested = ScopeSet::parse(requested)
                .map_err(|e| OAuthError::new("invalid_scope", e.to_string()))?;
            if let Some(scope) = requested.iter().find(|s| !client.0.scopes.contains(*s)) {
                return Err(OAuthError::new(
                    "invalid_scope",
                    format!("the client may not use {scope}"),
                )
                .into());
            }
            requested
        }
        None => client.0.scopes.clone(),
    };
    let token = tokens::issue(&auth.keys, &auth.tokens, &client.0, &granted)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer",
            expires_in: auth.tokens.lifetime_secs,
            scope: granted.to_string(),
        }))
}

/// Names a registered client that presented credentials in the request's audit entry.
fn audit_client(req: &HttpRequest, client: &ClientRecord) {
    if let Some(trail) = Trail::of(req) {
        trail.set_client(&client.id, client.agency.as_str());
    }
}

fn limit(limiter: &crate::auth::rate_limit::RateLimiter, key: &str) -> Result<(), ApiError> {
    limiter
        .check(key)
        .map_err(|wait| ApiError::TooManyRequests {
            retry_after_secs: retry_after_secs(wait),
        })
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

/// The authenticated client and the scope it asked for.
async fn authenticate(
    req: &HttpRequest,
    form: TokenRequest,
    auth: &web::Data<Auth>,
) -> Result<(ClientRecord, Option<String>), TokenEndpointError> {
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
    let scope = form.scope.clone();
    if let Some(assertion) = form.client_assertion {
        if form.client_assertion_type.as_deref() != Some(JWT_BEARER) {
            return Err(OAuthError::new(
                "invalid_request",
                format!("client_assertion_type must be {JWT_BEARER}"),
            )
            .into());
        }
        let client = verify_assertion(req, &assertion, form.client_id.as_deref(), auth).await?;
        return Ok((client, scope));
    }
    let (id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(OAuthError::invalid_client("client authentication is required").into()),
    };
    limit(&auth.token_limit_client, &id)?;
    let (client, presented) = auth
        .db
        .run(move |conn| {
            let client = clients::authenticate_secret(conn, &id, &secret)?;
            // A failed attempt is recorded against the client it names, if that client
            // exists; an unknown id is not kept (it could be anything a caller typed).
            let presented = match &client {
                Some(_) => None,
                None => db::clients::get(conn, &id)?,
            };
            Ok::<_, ApiError>((client, presented))
        })
        .await?;
    if let Some(known) = presented {
        audit_client(req, &known);
    }
    let client =
        client.ok_or_else(|| OAuthError::invalid_client("client authentication failed"))?;
    Ok((client, scope))
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

#[derive(Debug, Deserialize)]
struct AssertionClaims {
    iss: String,
    exp: i64,
    jti: Option<String>,
}

/// RFC 7523 §3: the assertion names the client, is signed by one of its registered keys,
/// is meant for us, expires soon, and has not been used before.
async fn verify_assertion(
    req: &HttpRequest,
    assertion: &str,
    form_client_id: Option<&str>,
    auth: &web::Data<Auth>,
) -> Result<ClientRecord, TokenEndpointError> {
    let failed = |why: &str| OAuthError::invalid_client(format!("invalid client assertion: {why}"));
    if assertion.len() > tokens::MAX_TOKEN_BYTES {
        return Err(failed("too large").into());
    }
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| failed("malformed"))?;
    if !matches!(
        header.alg,
        Algorithm::EdDSA | Algorithm::ES256 | Algorithm::RS256
    ) {
        return Err(failed("the algorithm must be EdDSA, ES256 or RS256").into());
    }
    // The issuer names the client whose keys to check; nothing is trusted before that check.
    let unverified: AssertionClaims = jsonwebtoken::dangerous::insecure_decode_claims(assertion)
        .map_err(|_| failed("malformed claims"))?;
    let client_id = unverified.iss.clone();
    if form_client_id.is_some_and(|id| id != client_id) {
        return Err(failed("client_id does not match the assertion's issuer").into());
    }
    limit(&auth.token_limit_client, &client_id)?;
    let lookup = client_id.clone();
    let client = auth
        .db
        .run(move |conn| db::clients::get(conn, &lookup).map_err(ApiError::from))
        .await?
        .inspect(|c| audit_client(req, c))
        .filter(|c| !c.disabled)
        .ok_or_else(|| failed("unknown or disabled client"))?;
    let jwks = client
        .jwks
        .as_deref()
        .ok_or_else(|| failed("the client has no keys"))?;
    let set: JwkSet =
        serde_json::from_str(jwks).map_err(|_| failed("the client's keys are unusable"))?;

    let mut validation = Validation::new(header.alg);
    validation.leeway = tokens::LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[&client.id]);
    validation.sub = Some(client.id.clone());
    validation.set_audience(&auth.assertion_audiences);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let verified = candidate_keys(&set, header.kid.as_deref(), header.alg)
        .iter()
        .any(|key| jsonwebtoken::decode::<serde_json::Value>(assertion, key, &validation).is_ok());
    if !verified {
        return Err(failed("signature, audience, issuer, subject or lifetime check failed").into());
    }
    let now = chrono::Utc::now().timestamp();
    if unverified.exp > now + MAX_ASSERTION_AHEAD_SECS + tokens::LEEWAY_SECS as i64 {
        return Err(failed("exp is more than 5 minutes ahead").into());
    }
    let jti = unverified
        .jti
        .filter(|j| !j.is_empty() && j.len() <= 256)
        .ok_or_else(|| failed("jti is required"))?;
    let (id, exp) = (client.id.clone(), unverified.exp);
    let fresh = auth
        .db
        .run(move |conn| {
            let prune_before = now - tokens::LEEWAY_SECS as i64;
            db::assertions::record_once(conn, &id, &jti, exp, prune_before).map_err(ApiError::from)
        })
        .await?;
    if !fresh {
        return Err(failed("this assertion was already used").into());
    }
    Ok(client)
}

/// The client's keys that could have made a signature with `alg` (and `kid`, when given).
fn candidate_keys(set: &JwkSet, kid: Option<&str>, alg: Algorithm) -> Vec<DecodingKey> {
    set.keys
        .iter()
        .filter(|jwk| kid.is_none() || jwk.common.key_id.as_deref() == kid)
        .filter(|jwk| {
            matches!(
                (&jwk.algorithm, alg),
                (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
                    | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
                    | (AlgorithmParameters::RSA(_), Algorithm::RS256)
            )
        })
        .filter_map(|jwk| DecodingKey::from_jwk(jwk).ok())
        .collect()
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
pub async fn get_jwks(auth: web::Data<Auth>) -> Result<HttpResponse, ApiError> {
    let jwks = auth.keys.jwks().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(jwks))
}
