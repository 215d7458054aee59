//! Sessions of signed-in people: a random token in an `HttpOnly`, `SameSite=Strict` cookie
//! scoped to `/console`, of which the database keeps only the SHA-256; an idle and an
//! absolute deadline; a CSRF token per session that every state-changing form carries,
//! besides the same-origin check of the request's `Origin` and `Sec-Fetch-Site`.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::LocalBoxFuture;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use super::accounts::Person;
use super::constant_time_eq;
use super::error::ConsoleError;
use crate::db::people::{self, SessionRow};
use crate::db::{Db, DbError};
use crate::http::recorder::trail_of;
use crate::http::state::AppState;

pub const SESSION_COOKIE: &str = "sinergi_sesi";
/// Holds the sign-in form's CSRF token before there is a session (double submit).
pub const SIGN_IN_COOKIE: &str = "sinergi_masuk";
pub const COOKIE_PATH: &str = "/console";
/// A session ends after this long without a request…
pub const IDLE_SECS: i64 = 30 * 60;
/// …and this long after sign-in in any case.
pub const MAX_SECS: i64 = 12 * 60 * 60;
/// A session's idle deadline is moved on at most this often, not on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A random token, base64url: 256 bits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn sha256_hex(token: &str) -> String {
    crate::hex::encode(&Sha256::digest(token.as_bytes()))
}

/// A cookie of the console, with the attributes every one of them has.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish()
}

/// A cookie that tells the browser to forget `name`.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut gone = cookie(name, String::new(), secure);
    gone.set_max_age(time::Duration::ZERO);
    gone
}

/// A signed-in person's request.
#[derive(Debug, Clone)]
pub struct Session {
    pub person: Person,
    /// What the session's forms carry in their `csrf` field.
    pub csrf: String,
    token_sha256: String,
}

impl Session {
    /// Opens a session for a person who just proved who they are (by whatever identity
    /// provider); returns the token for the cookie.
    pub async fn open(db: &Db, person: &Person, now: i64) -> Result<String, DbError> {
        let token = random_token();
        let row = SessionRow {
            token_sha256: sha256_hex(&token),
            username: person.username.clone(),
            csrf_token: random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + IDLE_SECS,
        };
        db.run(move |conn| {
            people::prune_sessions(conn, now)?;
            people::open_session(conn, &row).map_err(DbError::from)
        })
        .await?;
        Ok(token)
    }

    pub async fn close(&self, db: &Db) -> Result<(), DbError> {
        let hash = self.token_sha256.clone();
        db.run(move |conn| people::close_session(conn, &hash).map_err(DbError::from))
            .await
    }

    /// Refuses a state-changing form that does not carry this session's CSRF token or
    /// comes from another origin.
    pub fn check_form(&self, req: &HttpRequest, presented: &str) -> Result<(), ConsoleError> {
        same_origin(req)?;
        if constant_time_eq(presented.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(ConsoleError::Forgery)
        }
    }

    /// The live session a cookie names, its idle deadline moved on.
    async fn find(db: &Db, token: String, now: i64) -> Result<Option<Session>, DbError> {
        let hash = sha256_hex(&token);
        db.run(move |conn| {
            let Some((session, row)) = people::session(conn, &hash, now)? else {
                return Ok(None);
            };
            if row.disabled {
                return Ok(None);
            }
            if now - session.last_seen_at >= TOUCH_EVERY_SECS {
                let expires = (now + IDLE_SECS).min(session.created_at + MAX_SECS);
                people::touch_session(conn, &hash, now, expires)?;
            }
            Ok(Some(Session {
                person: Person::from_row(&row)?,
                csrf: session.csrf_token,
                token_sha256: hash,
            }))
        })
        .await
    }
}

/// Refuses a request that a browser says comes from another site or origin. Browsers send
/// `Origin` with every POST and `Sec-Fetch-Site` with every request; a request with
/// neither is not from a browser's form on another site. (The console's pages are sent with
/// `Referrer-Policy: same-origin`: under the API's `no-referrer` a browser's form would
/// send `Origin: null`, which is refused.)
pub fn same_origin(req: &HttpRequest) -> Result<(), ConsoleError> {
    if let Some(site) = req.headers().get("sec-fetch-site")
        && site.as_bytes() != b"same-origin"
    {
        return Err(ConsoleError::Forgery);
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let configured = req
            .app_data::<web::Data<AppState>>()
            .and_then(|state| state.console.origin.clone());
        let own = configured.unwrap_or_else(|| {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        });
        if origin.as_bytes() != own.as_bytes() {
            return Err(ConsoleError::Forgery);
        }
    }
    Ok(())
}

/// What the recorder learnt of the request's session, for the extractor to take.
struct Found(Option<Session>);

/// Whether the request carries the cookie of a live session. The recorder asks before the
/// request is served, as for a client's token: a signed-in person's requests are recorded
/// as theirs, and not held to the anonymous allowance of their address (an office behind
/// one address would share it).
pub async fn vouched_for(req: &HttpRequest, state: &AppState) -> bool {
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return false;
    };
    let found = Session::find(&state.db, token, chrono::Utc::now().timestamp())
        .await
        .ok()
        .flatten();
    if let (Some(session), Some(trail)) = (&found, trail_of(req)) {
        trail.set_client(&session.person.actor(), session.person.agency.as_str());
    }
    let vouched = found.is_some();
    req.extensions_mut().insert(Found(found));
    vouched
}

impl FromRequest for Session {
    type Error = ConsoleError;
    type Future = LocalBoxFuture<'static, Result<Self, ConsoleError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // Taken out first: a guard held across the match would still borrow the
            // extensions while `vouched_for` parses the cookies into them.
            let known = req.extensions_mut().remove::<Found>();
            let found = match known {
                Some(Found(found)) => found,
                None => {
                    let state = req
                        .app_data::<web::Data<AppState>>()
                        .expect("the app state is registered")
                        .clone();
                    vouched_for(&req, &state).await;
                    let found = req.extensions_mut().remove::<Found>();
                    found.and_then(|Found(found)| found)
                }
            };
            found.ok_or(ConsoleError::NotSignedIn)
        })
    }
}
