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
/// The console's pages: their own stylesheet and script, fetches to their own origin, forms
/// that post only here, no inline script or style at all.
const CONSOLE_PREFIX: &str = "/console";
const CONSOLE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";
const NO_STORE: &str = "no-store";
/// What every answer carries, whatever its path.
const FIXED: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
];

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let console = req.path().starts_with(CONSOLE_PREFIX);
    let policy = if req.path().starts_with(DOCS_PREFIX) {
        DOCS_POLICY
    } else if console {
        CONSOLE_POLICY
    } else {
        API_POLICY
    };
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    for (name, value) in FIXED {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    if console {
        // The console's forms must carry their origin (`no-referrer` makes a browser send
        // `Origin: null`); its URLs hold no personal data (a NIK travels in a POST body),
        // and the referrer still never leaves the origin.
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Answers may hold personal data; those meant to be revalidated say so themselves.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    }
    Ok(res)
}

/// The headers an answer of the API carries, for answers written without this middleware
/// (`http::unparsed`).
pub fn api_headers() -> impl Iterator<Item = (HeaderName, &'static str)> {
    FIXED.into_iter().chain([
        (header::CONTENT_SECURITY_POLICY, API_POLICY),
        (header::CACHE_CONTROL, NO_STORE),
    ])
}
