//! The console's routes: one module per page, each a handler that checks the person's role,
//! calls the operations the API calls, and renders HTML.

pub mod assets;
pub mod audit;
pub mod operations;
pub mod referrals;
pub mod sign_in;
pub mod summary;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;

use super::accounts::Role;
use super::error::ConsoleError;
use super::html::{self, Lang};
use super::session::Session;

/// The largest form the console accepts: its forms hold a few short fields.
pub const MAX_FORM_BYTES: usize = 4096;

/// A form's fields; what does not parse is refused without repeating it.
fn form<T: DeserializeOwned>(body: &[u8]) -> Result<T, ConsoleError> {
    if body.len() > MAX_FORM_BYTES {
        return Err(ConsoleError::Invalid {
            id: "Formulir terlalu besar.",
            en: "The form is too large.",
        });
    }
    serde_urlencoded::from_bytes(body).map_err(|_| ConsoleError::Invalid {
        id: "Isian formulir tidak dapat dibaca.",
        en: "The form's fields cannot be read.",
    })
}

/// Refuses a person whose role the page is not for.
fn require(session: &Session, roles: &[Role]) -> Result<(), ConsoleError> {
    if roles.contains(&session.person.role) {
        Ok(())
    } else {
        Err(ConsoleError::NotYourRole)
    }
}

fn page(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// `/console/`: the person's first page, or the sign-in page.
pub async fn index(req: HttpRequest, session: Option<Session>) -> HttpResponse {
    let lang = Lang::of(&req);
    match session {
        Some(session) => see_other(&lang.link(html::home(session.person.role))),
        None => see_other(&lang.link("/console/masuk")),
    }
}
