//! What answers when no route does, and the guarantee that every error is problem+json.

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse, web};

use super::problem::ApiError;
use super::state::AppState;

/// Every path template the API serves and the methods it answers there, taken from the
/// OpenAPI document so that 405 and `Allow` can never disagree with the documentation.
pub struct RouteTable(Vec<(ResourceDef, Vec<String>)>);

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                // HEAD wherever GET: `http::head` routes it as GET.
                let methods = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self(routes)
    }

    fn methods_at(&self, path: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

/// The app's default service: 405 with `Allow` for a known path, 404 otherwise.
pub async fn not_routed(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let routes = &state.routes;
    // The path as the router saw it (`%76` read as `v`), so that a path the router would
    // have matched gets the same 405 as its plain spelling.
    Err(match routes.methods_at(req.match_info().as_str()) {
        Some(methods) => ApiError::MethodNotAllowed(methods.to_vec()),
        None => ApiError::NoRoute,
    })
}
