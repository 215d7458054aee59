//! The console's stylesheet and script, compiled into the binary: nothing is loaded from
//! anywhere else, so the console works on a ministry network without internet.

use actix_web::HttpResponse;
use actix_web::http::header;

const STYLESHEET: &str = include_str!("../assets/console.css");
const AUDIT_SCRIPT: &str = include_str!("../assets/audit.js");
const ICON: &str = include_str!("../assets/favicon.svg");

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        // Revalidated on each use: a new release's assets are never mixed with an old page.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

/// `GET /console/aset/console.css`
pub async fn stylesheet() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLESHEET)
}

/// `GET /console/aset/audit.js`
pub async fn audit_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", AUDIT_SCRIPT)
}

/// `GET /console/aset/favicon.svg`: named by every page, so that no browser asks for
/// `/favicon.ico` outside the console.
pub async fn icon() -> HttpResponse {
    asset("image/svg+xml", ICON)
}
