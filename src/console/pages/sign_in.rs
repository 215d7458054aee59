//! Signing in and out. The sign-in form is protected against cross-site posting before
//! there is a session by a token in a cookie that the form repeats (double submit) and by
//! the same-origin check; a sign-in opens a new session, so a token planted before it is
//! worth nothing after it.

use std::fmt::Write;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{form, see_other};
use crate::console::accounts::{LOCK_SECS, MAX_FAILURES, PasswordCredentials, SignInError};
use crate::console::constant_time_eq;
use crate::console::error::ConsoleError;
use crate::console::html::{self, Frame, Lang, esc};
use crate::console::identity::IdentityProvider;
use crate::console::session::{self, SESSION_COOKIE, SIGN_IN_COOKIE, Session, random_token};
use crate::http::recorder::trail_of;
use crate::http::state::AppState;

/// The longest username, password and code the form reads.
const MAX_USERNAME: usize = 64;
const MAX_PASSWORD: usize = 256;
const MAX_CODE: usize = 8;

fn sign_in_page(lang: Lang, csrf: &str, failed: bool) -> String {
    let mut body = String::new();
    if failed {
        let _ = write!(
            body,
            r#"<p class="warning" role="alert">{}</p>"#,
            lang.t(
                "Nama pengguna, kata sandi, atau kode salah, atau akun sedang dikunci.",
                "The username, password or code is wrong, or the account is locked.",
            )
        );
    }
    let _ = write!(
        body,
        r#"<form method="post" action="/console/masuk" class="sign-in">
<input type="hidden" name="csrf" value="{csrf}">{keep}
<label for="username">{user}</label>
<input id="username" name="username" autocomplete="username" required maxlength="{MAX_USERNAME}">
<label for="password">{password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="{MAX_PASSWORD}">
<label for="code">{code}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{{6}}" maxlength="6" aria-describedby="code-help">
<p id="code-help" class="help">{code_help}</p>
<button type="submit">{submit}</button>
</form>
<p class="help">{lockout}</p>"#,
        csrf = esc(csrf),
        keep = lang.field(),
        user = lang.t("Nama pengguna", "Username"),
        password = lang.t("Kata sandi", "Password"),
        code = lang.t("Kode autentikator", "Authenticator code"),
        code_help = lang.t(
            "Enam angka dari aplikasi autentikator, jika akun Anda memakainya.",
            "Six digits from your authenticator app, if your account uses one.",
        ),
        submit = lang.t("Masuk", "Sign in"),
        lockout = match lang {
            Lang::Id => format!(
                "Setelah {MAX_FAILURES} kali gagal berturut-turut, akun dikunci selama {} menit.",
                LOCK_SECS / 60
            ),
            Lang::En => format!(
                "After {MAX_FAILURES} failures in a row, the account is locked for {} minutes.",
                LOCK_SECS / 60
            ),
        },
    );
    Frame {
        lang,
        session: None,
        path: "/console/masuk",
        query: "",
        title: lang.t("Masuk ke konsol Sinergi", "Sign in to the Sinergi console"),
        scripts: &[],
    }
    .render(&body)
}

/// The form with a fresh double-submit token in its cookie.
fn form_response(state: &AppState, lang: Lang, failed: bool) -> HttpResponse {
    let csrf = random_token();
    let mut response = if failed {
        HttpResponse::Unauthorized()
    } else {
        HttpResponse::Ok()
    };
    response
        .cookie(session::cookie(
            SIGN_IN_COOKIE,
            csrf.clone(),
            state.console.secure_cookies,
        ))
        .content_type("text/html; charset=utf-8")
        .body(sign_in_page(lang, &csrf, failed))
}

/// `GET /console/masuk`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Option<Session>,
) -> HttpResponse {
    let lang = Lang::of(&req);
    match session {
        Some(session) => see_other(&lang.link(html::home(session.person.role))),
        None => form_response(&state, lang, false),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    // Absent is refused as forged (403), not as unreadable.
    #[serde(default)]
    csrf: String,
    username: String,
    password: String,
    #[serde(default)]
    code: String,
    lang: Option<String>,
}

/// `POST /console/masuk`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ConsoleError> {
    let fields: SignInForm = form(&body)?;
    let lang = Lang::of_form(fields.lang.as_deref());
    session::same_origin(&req)?;
    let cookie = req.cookie(SIGN_IN_COOKIE).map(|c| c.value().to_owned());
    if !cookie.is_some_and(|c| constant_time_eq(c.as_bytes(), fields.csrf.as_bytes())) {
        return Err(ConsoleError::Forgery);
    }
    if fields.username.len() > MAX_USERNAME
        || fields.password.len() > MAX_PASSWORD
        || fields.code.len() > MAX_CODE
    {
        return Ok(form_response(&state, lang, true));
    }
    let now = chrono::Utc::now().timestamp();
    let credentials = PasswordCredentials {
        username: fields.username,
        password: fields.password,
        code: Some(fields.code).filter(|c| !c.is_empty()),
    };
    let trail = trail_of(&req);
    match state.console.passwords.authenticate(credentials, now).await {
        Ok(person) => {
            if let Some(trail) = &trail {
                trail.set_client(&person.actor(), person.agency.as_str());
            }
            let token = Session::open(&state.db, &person, now).await?;
            let secure = state.console.secure_cookies;
            Ok(HttpResponse::SeeOther()
                .cookie(session::cookie(SESSION_COOKIE, token, secure))
                .cookie(session::removal(SIGN_IN_COOKIE, secure))
                .insert_header(("Location", lang.link(html::home(person.role))))
                .finish())
        }
        Err(SignInError::Refused(why, account)) => {
            // A failure on an account is recorded as the account's; one naming nobody is
            // counted with its address's anonymous requests.
            if let (Some(person), Some(trail)) = (account, &trail) {
                trail.set_client(&person.actor(), person.agency.as_str());
            }
            tracing::info!(refusal = ?why, "console sign-in refused");
            Ok(form_response(&state, lang, true))
        }
        Err(SignInError::Db(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct SignOutForm {
    // Absent is refused as forged (403), not as unreadable.
    #[serde(default)]
    csrf: String,
    lang: Option<String>,
}

/// `POST /console/keluar`
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    body: web::Bytes,
) -> Result<HttpResponse, ConsoleError> {
    let fields: SignOutForm = form(&body)?;
    session.check_form(&req, &fields.csrf)?;
    session.close(&state.db).await?;
    let lang = Lang::of_form(fields.lang.as_deref());
    Ok(HttpResponse::SeeOther()
        .cookie(session::removal(
            SESSION_COOKIE,
            state.console.secure_cookies,
        ))
        .insert_header(("Location", lang.link("/console/masuk")))
        .finish())
}
