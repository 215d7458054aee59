//! The console: web pages for the people around the exchange, served by the same binary.
//!
//! Kemenko PM's coordinators see whether graduated families are picked up (*Ringkasan*,
//! *Rujukan*); an agency's operator its clients, agreements and webhooks (*Operasional*);
//! auditors and data-protection officers the log's checkpoint, verified in their browser,
//! and a person's processing trail (*Audit*). People sign in with their own accounts
//! ([`accounts`]), apart from the API's clients; every page they open is recorded in the
//! audit log as theirs (`console:<username>`), as a client's requests are.
//!
//! The pages are built on what the API uses (the statistics tables and their suppression,
//! the audit log's reads and look-up limits, client secrets), not on copies of it; who sees
//! what is decided by the person's role and agency. Bahasa Indonesia first,
//! English with `?lang=en`; rendered on the server, with one script (the Audit page's
//! verification), all assets in the binary and a CSP that allows nothing else.

pub mod accounts;
mod charts;
pub mod error;
pub mod html;
pub mod identity;
pub mod pages;
pub mod session;
pub mod totp;

use std::sync::Arc;

use actix_web::web;

use crate::auth::secrets::KeyEncryptionKey;
use crate::db::Db;
use accounts::Passwords;

/// What the console needs while serving.
pub struct Console {
    /// The built-in identity provider.
    pub passwords: Passwords,
    /// Whether cookies are marked `Secure`: when the service's public URL is `https`
    /// (a browser drops a `Secure` cookie that a plain-HTTP page sets).
    pub secure_cookies: bool,
    /// The origin browsers see (of `SINERGI_PUBLIC_URL`), which forms must come from. Without
    /// one, the scheme and host the request arrived with; behind a TLS proxy the public URL
    /// must be set, since the request arrives as plain HTTP.
    pub origin: Option<String>,
}

impl Console {
    pub fn new(db: Db, kek: Arc<KeyEncryptionKey>, public_url: Option<&str>) -> Self {
        Self {
            passwords: Passwords { db, kek },
            secure_cookies: public_url.is_some_and(|u| u.starts_with("https://")),
            origin: public_url
                .and_then(|u| url::Url::parse(u).ok())
                .map(|u| u.origin().ascii_serialization()),
        }
    }
}

/// Compares secrets (tokens, codes) without stopping at the first difference, so that the
/// time taken tells nothing of how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The console's routes, under `/console`. Outside the OpenAPI document: they are pages for
/// people, not the API (the route inventory test lists them, one resource per path).
pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::{assets, audit, operations, referrals, sign_in, summary};
    cfg.service(web::resource("/console/").route(web::get().to(pages::index)))
        .service(
            web::resource("/console/masuk")
                .route(web::get().to(sign_in::show))
                .route(web::post().to(sign_in::submit)),
        )
        .service(web::resource("/console/keluar").route(web::post().to(sign_in::sign_out)))
        .service(web::resource("/console/ringkasan").route(web::get().to(summary::show)))
        .service(web::resource("/console/rujukan").route(web::get().to(referrals::show)))
        .service(web::resource("/console/operasional").route(web::get().to(operations::show)))
        .service(
            web::resource("/console/operasional/klien/{id}/{action}")
                .route(web::post().to(operations::client_action)),
        )
        .service(web::resource("/console/audit").route(web::get().to(audit::show)))
        .service(web::resource("/console/audit/checkpoint").route(web::get().to(audit::checkpoint)))
        .service(web::resource("/console/audit/public-key").route(web::get().to(audit::public_key)))
        .service(
            web::resource("/console/audit/consistency").route(web::get().to(audit::consistency)),
        )
        .service(web::resource("/console/audit/jejak").route(web::post().to(audit::trail_lookup)))
        .service(
            web::resource("/console/aset/console.css").route(web::get().to(assets::stylesheet)),
        )
        .service(web::resource("/console/aset/audit.js").route(web::get().to(assets::audit_script)))
        .service(web::resource("/console/aset/favicon.svg").route(web::get().to(assets::icon)));
}
