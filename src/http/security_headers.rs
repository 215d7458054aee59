//! Headers every response carries so that a browser that meets the API treats its answers
//! as data: never sniffed into HTML, never framed, never sending the URL (which may carry a
//! NIK in a query) on to another site. The API sends no CORS headers at all, so no other
//! site's script can read its answers.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The interactive docs run Swagger UI's scripts and styles; everything else is data and
/// may load nothing.
const DOCS_PREFIX: &str = "/docs";
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let docs = req.path().starts_with(DOCS_PREFIX);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let set = |headers: &mut actix_web::http::header::HeaderMap, name: HeaderName, value| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        if docs { DOCS_POLICY } else { API_POLICY },
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Answers may hold personal data; those meant to be revalidated say so themselves.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    Ok(res)
}
