//! The OpenAPI document: operations come from the registered routes themselves.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sinergi",
        description = "The exchange through which Indonesian ministries publish and consume \
            graduation records (a family, KPM, leaves social assistance) and program-enrollment \
            records through one shared schema.\n\n\
            Every error is an RFC 9457 problem (`application/problem+json`) whose `instance` is \
            the request id, also sent as the `X-Request-Id` response header.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "Sinergi maintainers")
    ),
    servers((url = "/", description = "This server")),
    components(responses(
        api::problems::BadRequest,
        api::problems::NotFound,
        api::problems::Unavailable,
        api::problems::InternalError
    )),
    tags(
        (name = "operations", description = "Health, readiness, metrics and this document"),
        (name = "reference data", description = "Agencies, programs and region codes"),
    )
)]
struct ApiDoc;

/// The complete document, as served at `/openapi.json` and committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(api::configure)
        .split_for_parts();
    doc
}

/// The document as pretty JSON with a final newline, byte for byte the committed file.
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    let mut json = doc.to_pretty_json().expect("the document serialises");
    json.push('\n');
    json
}
