//! How the console refuses: people get a page in both languages (never a problem document
//! meant for a program) or are sent to sign in; the audit log records the status like any
//! other.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::html;
use crate::db::DbError;
use crate::http::problem::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No live session: the person is sent to the sign-in page.
    #[error("not signed in")]
    NotSignedIn,
    /// The page is for another role.
    #[error("this page is for another role")]
    NotYourRole,
    /// A form without this session's CSRF token, or from another origin.
    #[error("the form was not sent from this console")]
    Forgery,
    /// What the person entered is not valid; the texts say why, in both languages.
    #[error("{en}")]
    Invalid { id: &'static str, en: &'static str },
    #[error("not found")]
    NotFound,
    /// An operation the console called refused or failed as it does for the API.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<DbError> for ConsoleError {
    fn from(e: DbError) -> Self {
        Self::Api(e.into())
    }
}

impl ResponseError for ConsoleError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotSignedIn => StatusCode::SEE_OTHER,
            Self::NotYourRole | Self::Forgery => StatusCode::FORBIDDEN,
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Api(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (id, en) = match self {
            Self::NotSignedIn => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/console/masuk"))
                    .finish();
            }
            Self::NotYourRole => (
                "Halaman ini bukan untuk peran Anda.",
                "This page is not for your role.",
            ),
            Self::Forgery => (
                "Formulir ini tidak dikirim dari konsol ini, atau sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
                "This form was not sent from this console, or it has expired. Reload the page and try again.",
            ),
            Self::Invalid { id, en } => (*id, *en),
            Self::NotFound => ("Halaman tidak ditemukan.", "Page not found."),
            Self::Api(e) if e.status_code().is_server_error() => (
                "Layanan sedang tidak dapat menjawab. Coba lagi sebentar lagi.",
                "The service cannot answer right now. Try again shortly.",
            ),
            Self::Api(e) if e.status_code() == StatusCode::TOO_MANY_REQUESTS => (
                "Terlalu banyak pencarian dalam waktu singkat. Coba lagi sebentar lagi.",
                "Too many look-ups in a short time. Try again shortly.",
            ),
            Self::Api(_) => (
                "Permintaan ini tidak dapat dilayani.",
                "This request cannot be served.",
            ),
        };
        let mut page = HttpResponse::build(self.status_code());
        // What the operation's own answer tells a client to wait, the page tells the browser.
        if let Self::Api(e) = self
            && let Some(wait) = e.error_response().headers().get(header::RETRY_AFTER)
        {
            page.insert_header((header::RETRY_AFTER, wait.clone()));
        }
        page.content_type("text/html; charset=utf-8")
            .body(html::error_page(id, en))
    }
}
