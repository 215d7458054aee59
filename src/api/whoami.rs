//! Who the caller is, as the exchange sees its token.

use actix_web::get;
use actix_web::web::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Scope};
use crate::domain::code::AgencyCode;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "client_id": "demo-kemensos", "agency": "KEMENSOS",
    "scopes": ["graduations:read", "graduations:write"]
}))]
pub struct Identity {
    pub client_id: String,
    pub agency: AgencyCode,
    /// The scopes this token carries.
    pub scopes: Vec<Scope>,
}

/// The client, agency and scopes of the presented access token.
///
/// Lets an integrator check a token and its scopes before calling anything else.
#[utoipa::path(
    tag = "authentication",
    security(("oauth2" = [])),
    responses(
        (status = 200, description = "The caller", body = Identity),
    )
)]
#[get("/v1/whoami")]
pub async fn get_whoami(caller: Caller) -> Json<Identity> {
    Json(Identity {
        scopes: caller.scopes.iter().collect(),
        client_id: caller.client_id,
        agency: caller.agency,
    })
}
