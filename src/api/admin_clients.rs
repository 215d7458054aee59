//! The operator's API for OAuth clients (scope `admin`); the same operations as the CLI.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ids::ClientId;
use super::problems::{BadRequest, NotFound};
use crate::audit::trail::Trail;
use crate::auth::Caller;
use crate::auth::admin;
use crate::auth::clients::{ClientView, ClientWithSecret};
use crate::auth::scope::Scope;
use crate::domain::code::AgencyCode;
use crate::domain::reference;
use crate::http::extract::JsonBody;
use crate::http::problem::ApiError;
use crate::http::state::AppState;

/// A client to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "agency": "KEMENSOS", "name": "SIKS-NG publisher",
    "scopes": ["graduations:write", "graduations:read"]
}))]
pub struct NewClient {
    /// The agency the client acts for.
    agency: AgencyCode,
    /// What the client is, for operators.
    #[schema(schema_with = reference::name_schema)]
    name: String,
    /// The scopes the client may request; grant the fewest it needs.
    #[schema(min_items = 1)]
    scopes: Vec<Scope>,
    /// The client's public JWK Set for `private_key_jwt`. Without it the client gets a
    /// generated secret, shown once in the response.
    #[schema(value_type = Option<crate::auth::jwks::JwkSetSchema>)]
    jwks: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientList {
    pub items: Vec<ClientView>,
}

/// Create a client.
///
/// A client belongs to one agency and holds the scopes it may request. Without `jwks` a secret
/// is generated and returned in this response only; it is stored as an argon2id hash.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    request_body = NewClient,
    responses(
        (status = 201, description = "The client, with its secret when it uses one", body = ClientWithSecret,
            example = json!({"client_id": "5d0c1e6a-0f8e-4d7b-9d3f-3f2f1c1f6b0a", "agency": "KEMENSOS",
                "name": "SIKS-NG publisher", "scopes": ["graduations:read", "graduations:write"],
                "auth_method": "client_secret", "disabled": false, "created_at": "2026-11-28T05:00:00Z",
                "client_secret": "sns_8q3VZbq0l8wq4Vq3fL3xYQy6m2xk1z0b4o9vJm3sT9A"})),
        (status = 400, response = BadRequest),
        (status = 404, description = "The agency named in the body does not exist",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = crate::http::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/v1/admin/clients")]
pub async fn create_client(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    // Checked before the body and path are read (as on every admin route), so that a
    // caller without the scope learns nothing about the schema.
    caller.require(Scope::Admin)?;
    let new: NewClient = body.parse().await?;
    let new = admin::NewClient {
        agency: new.agency,
        name: new.name,
        scopes: new.scopes,
        jwks: new.jwks,
    };
    let created = admin::create(&state.db, &trail, &caller, new).await?;
    Ok(HttpResponse::Created().json(created))
}

/// List every client.
///
/// Secrets and secret hashes are never shown.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    responses(
        (status = 200, description = "All clients", body = ClientList),
    )
)]
#[get("/v1/admin/clients")]
pub async fn list_clients(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<ClientList>, ApiError> {
    let items = admin::list(&state.db, &caller).await?;
    Ok(web::Json(ClientList { items }))
}

/// One client.
///
/// Answers 404 when no client has that id.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    params(("id" = String, Path, description = "The client id", pattern = "^[A-Za-z0-9._-]{1,64}$")),
    responses(
        (status = 200, description = "The client", body = ClientView),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
#[get("/v1/admin/clients/{id}")]
pub async fn get_client(
    caller: Caller,
    state: web::Data<AppState>,
    id: ClientId,
) -> Result<web::Json<ClientView>, ApiError> {
    caller.require(Scope::Admin)?;
    Ok(web::Json(admin::get(&state.db, &caller, id.get()?).await?))
}

/// Disable a client.
///
/// Its tokens stop working within seconds on every instance, even before they expire, and it
/// can obtain no new ones. The webhook subscriptions it created are suspended until another
/// client of its agency takes them over.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    params(("id" = String, Path, description = "The client id", pattern = "^[A-Za-z0-9._-]{1,64}$")),
    responses(
        (status = 200, description = "The disabled client", body = ClientView),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 409, description = "The caller tried to disable its own client",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/admin/clients/{id}/disable")]
pub async fn disable_client(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: ClientId,
) -> Result<web::Json<ClientView>, ApiError> {
    caller.require(Scope::Admin)?;
    let client = admin::disable(&state.db, &trail, &caller, id.get()?).await?;
    Ok(web::Json(client))
}

/// Replace a client's secret.
///
/// The old secret stops working at once, and the access tokens issued before the rotation
/// within seconds on every instance, as when a client is disabled; tokens obtained with the new
/// secret work at once. The new secret is shown in this response only.
/// Answers 409 for clients that authenticate with keys (`private_key_jwt`): they have no
/// secret to replace; and for the calling client itself, whose own token would stop working.
#[utoipa::path(
    tag = "administration",
    security(("oauth2" = ["admin"])),
    params(("id" = String, Path, description = "The client id", pattern = "^[A-Za-z0-9._-]{1,64}$")),
    responses(
        (status = 200, description = "The client with its new secret", body = ClientWithSecret),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 409, description = "The client authenticates with keys and has no secret, \
            or it is the calling client (its own token would stop working; use another admin \
            client or the CLI)",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/admin/clients/{id}/rotate-secret")]
pub async fn rotate_client_secret(
    caller: Caller,
    trail: Trail,
    state: web::Data<AppState>,
    id: ClientId,
) -> Result<web::Json<ClientWithSecret>, ApiError> {
    caller.require(Scope::Admin)?;
    let rotated = admin::rotate_secret(&state.db, &trail, &caller, id.get()?).await?;
    Ok(web::Json(rotated))
}
