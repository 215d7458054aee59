//! The console for people, black-box over HTTP with cookies read and sent by hand, so that
//! their attributes are checked as a browser would act on them: signing in and out, the
//! lockout, TOTP codes used once, the CSRF and same-origin checks, the pages of each role,
//! an operator's actions on its agency's clients, an auditor's trail look-up, and what the
//! audit log records of each; `sinergi users` as an operator of the exchange runs it.

use std::io::Write;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::audit::settle;
use crate::common::cli::{fails, json_of};
use crate::common::records::{AUDITOR, HEAD, KEMENDES, KEMENSOS, graduation, publish};
use crate::common::{Backend, TEST_KEK, TestApp, TestDb, sinergi_command, spawn_with};
use sinergi::auth::secrets::KeyEncryptionKey;
use sinergi::config::Settings;
use sinergi::console::accounts::{self, LOCK_SECS, MAX_FAILURES, NewPerson, Role};
use sinergi::console::totp;
use sinergi::db::schema::{console_sessions, people};
use sinergi::domain::code::AgencyCode;

/// The password of every account the tests make.
const PASSWORD: &str = "kata-sandi-yang-panjang-2026";
const SESSION: &str = "sinergi_sesi";
const SIGN_IN: &str = "sinergi_masuk";
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The pages of the menu.
const PAGES: [&str; 4] = [
    "/console/ringkasan",
    "/console/rujukan",
    "/console/operasional",
    "/console/audit",
];

// ---------------------------------------------------------------------------
// A server, accounts, and TOTP codes.
// ---------------------------------------------------------------------------

/// A server over the demo reference data whose key-encryption key is [`TEST_KEK`], the CLI's
/// in tests, so that TOTP secrets sealed here or by `sinergi users create` open on it.
async fn spawn(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let db = TestDb::new(backend);
    sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
    spawn_with(db, |s| {
        s.key_encryption_key = Some(TEST_KEK.to_owned());
        tweak(s);
    })
    .await
}

/// Creates an account with [`PASSWORD`]; returns its TOTP secret when it has one.
fn account(app: &TestApp, username: &str, agency: &str, role: Role, totp: bool) -> Option<Vec<u8>> {
    let kek = KeyEncryptionKey::from_base64(TEST_KEK).unwrap();
    let new = NewPerson {
        username: username.to_owned(),
        agency: AgencyCode::parse(agency).unwrap(),
        role,
        password: Some(PASSWORD.to_owned()),
        totp,
    };
    let created = accounts::create(
        &mut app.db.connect(),
        &kek,
        new,
        chrono::Utc::now().timestamp(),
    )
    .expect("create the account");
    assert_eq!(
        created.password, None,
        "a chosen password is not shown back"
    );
    created.totp_uri.map(|uri| secret_of(&uri))
}

/// The secret of an `otpauth://` URI, checked to say what authenticator apps must use.
fn secret_of(uri: &str) -> Vec<u8> {
    let url = url::Url::parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
    assert_eq!(url.scheme(), "otpauth", "{uri}");
    assert_eq!(url.host_str(), Some("totp"), "{uri}");
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("algorithm").as_deref(), Some("SHA1"), "{uri}");
    assert_eq!(param("digits").as_deref(), Some("6"), "{uri}");
    assert_eq!(param("period").as_deref(), Some("30"), "{uri}");
    let secret = base32_decode(&param("secret").expect("a secret"));
    assert_eq!(secret.len(), 20, "160 bits: {uri}");
    secret
}

/// RFC 4648 base32 without padding.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c)
            .unwrap_or_else(|| panic!("not base32: {text}"));
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// The current 30-second step and its code.
fn code_now(secret: &[u8]) -> (i64, String) {
    let step = chrono::Utc::now().timestamp().div_euclid(30);
    (step, totp::code_at(secret, step))
}

fn person(app: &TestApp, username: &str) -> sinergi::db::people::PersonRow {
    sinergi::db::people::get(&mut app.db.connect(), username)
        .unwrap()
        .unwrap_or_else(|| panic!("no account {username}"))
}

fn session_count(app: &TestApp) -> i64 {
    console_sessions::table
        .count()
        .get_result(&mut app.db.connect())
        .unwrap()
}

fn client_disabled(app: &TestApp, id: &str) -> bool {
    sinergi::db::clients::get(&mut app.db.connect(), id)
        .unwrap()
        .unwrap_or_else(|| panic!("no client {id}"))
        .disabled
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------
// Pages, forms and cookies.
// ---------------------------------------------------------------------------

/// One answer read whole, its body as text.
struct Page {
    status: u16,
    headers: HeaderMap,
    body: String,
}

/// A `Set-Cookie`: the cookie and its attributes.
#[derive(Debug)]
struct SetCookie {
    value: String,
    attributes: Vec<String>,
}

impl SetCookie {
    fn has(&self, attribute: &str) -> bool {
        self.attributes
            .iter()
            .any(|a| a.eq_ignore_ascii_case(attribute))
    }

    /// The attributes every console cookie has: `HttpOnly`, `SameSite=Strict`, the console's
    /// path, and `Secure` exactly when the service's public URL is https.
    fn assert_console(&self, secure: bool) {
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
            assert!(self.has(attribute), "{attribute} missing: {self:?}");
        }
        assert_eq!(self.has("Secure"), secure, "{self:?}");
    }

    /// A cookie that tells the browser to forget it.
    fn assert_removal(&self) {
        assert!(
            self.value.is_empty() && self.has("Max-Age=0"),
            "not a removal: {self:?}"
        );
    }
}

impl Page {
    async fn of(res: reqwest::Response) -> Page {
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.text().await.expect("a body"),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// Every `Set-Cookie` for `name`.
    fn cookies(&self, name: &str) -> Vec<SetCookie> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| {
                let text = v.to_str().unwrap();
                let mut parts = text.split(';').map(str::trim);
                let (n, value) = parts.next()?.split_once('=')?;
                (n == name).then(|| SetCookie {
                    value: value.to_owned(),
                    attributes: parts.map(str::to_owned).collect(),
                })
            })
            .collect()
    }

    /// The one `Set-Cookie` for `name`.
    fn cookie(&self, name: &str) -> SetCookie {
        let mut found = self.cookies(name);
        assert_eq!(found.len(), 1, "one {name} cookie: {:?}", self.headers);
        found.pop().unwrap()
    }

    /// A page of the console: HTML under the console's policy.
    fn assert_html(&self, what: &str) {
        assert_eq!(
            self.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{what}: {}",
            self.body
        );
        assert_eq!(self.header("content-security-policy"), Some(CSP), "{what}");
    }

    /// A page sending the browser to sign in.
    fn assert_to_sign_in(&self, what: &str) {
        assert_eq!(self.status, 303, "{what}: {}", self.body);
        assert_eq!(self.location(), Some("/console/masuk"), "{what}");
    }

    /// The token of the page's forms (the first `csrf` field).
    fn csrf(&self) -> String {
        let start = r#"name="csrf" value=""#;
        let at = self
            .body
            .find(start)
            .unwrap_or_else(|| panic!("no csrf field: {}", self.body))
            + start.len();
        let len = self.body[at..].find('"').unwrap();
        self.body[at..at + len].to_owned()
    }
}

fn cookie_header(cookies: &[(&str, &str)]) -> String {
    cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A GET with the session cookie `session`, if any.
async fn get_page(app: &TestApp, session: Option<&str>, path: &str) -> Page {
    let mut req = app.client.get(app.url(path));
    if let Some(token) = session {
        req = req.header("cookie", cookie_header(&[(SESSION, token)]));
    }
    Page::of(req.send().await.expect("request")).await
}

/// POSTs a form with the given cookies and extra headers.
async fn post_form(
    app: &TestApp,
    path: &str,
    cookies: &[(&str, &str)],
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> Page {
    let mut req = app.client.post(app.url(path)).form(fields);
    if !cookies.is_empty() {
        req = req.header("cookie", cookie_header(cookies));
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    Page::of(req.send().await.expect("request")).await
}

/// POSTs a raw urlencoded body with the given cookies.
async fn post_body(app: &TestApp, path: &str, cookies: &[(&str, &str)], body: String) -> Page {
    let req = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie_header(cookies))
        .body(body);
    Page::of(req.send().await.expect("request")).await
}

/// Opens the sign-in form: 200, its token in the hidden field and in the cookie.
async fn sign_in_form(app: &TestApp) -> String {
    let form = get_page(app, None, "/console/masuk").await;
    assert_eq!(form.status, 200, "{}", form.body);
    form.assert_html("the sign-in form");
    let csrf = form.csrf();
    assert_eq!(form.cookie(SIGN_IN).value, csrf, "double submit");
    csrf
}

/// Opens the form and posts it with these credentials, as a browser would.
async fn attempt(app: &TestApp, username: &str, password: &str, code: &str) -> Page {
    let csrf = sign_in_form(app).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("username", username),
        ("password", password),
        ("code", code),
    ];
    post_form(app, "/console/masuk", &[(SIGN_IN, &csrf)], &fields, &[]).await
}

/// Signs in with [`PASSWORD`] and `code`; returns the session's token.
async fn sign_in(app: &TestApp, username: &str, code: &str) -> String {
    let res = attempt(app, username, PASSWORD, code).await;
    assert_eq!(res.status, 303, "{username} signs in: {}", res.body);
    res.cookie(SESSION).value
}

/// A refused sign-in: 401, the form again with a fresh token, and no session.
fn assert_refused(res: &Page, what: &str) {
    assert_eq!(res.status, 401, "{what}: {}", res.body);
    res.assert_html(what);
    assert!(res.cookies(SESSION).is_empty(), "{what}: a session cookie");
    assert_eq!(res.cookie(SIGN_IN).value, res.csrf(), "{what}");
    assert!(res.body.contains(r#"role="alert""#), "{what}: {}", res.body);
}

/// The body with its form's token replaced, to compare two refusals.
fn without_token(page: &Page) -> String {
    page.body.replace(&page.csrf(), "TOKEN")
}

// ---------------------------------------------------------------------------
// The audit log.
// ---------------------------------------------------------------------------

/// The entries matching `query`, oldest first, as the demo auditor reads them.
async fn entries(app: &TestApp, query: &[(&str, &str)]) -> Vec<Value> {
    settle(app).await;
    let token = app.token(AUDITOR, None).await;
    let res = app
        .client
        .get(app.url("/v1/audit/entries"))
        .bearer_auth(token)
        .query(query)
        .query(&[("limit", "1000")])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{query:?}: {body}");
    assert_eq!(body["next_cursor"], Value::Null, "{body}");
    body["items"].as_array().unwrap().clone()
}

// ---------------------------------------------------------------------------
// `sinergi users`.
// ---------------------------------------------------------------------------

/// Runs `sinergi users …` against the app's database, with `stdin` on standard input.
fn users(app: &TestApp, dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["users"];
    all.extend_from_slice(args);
    let mut child = sinergi_command(dir, Some(&app.db.url), &all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sinergi");
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

// ---------------------------------------------------------------------------
// The stories.
// ---------------------------------------------------------------------------

both_backends! {
    // The whole visit: the form and its cookie, the session cookie and the role's page, the
    // database holding only the token's hash, signing out, and the log recording it all as
    // the person's.
    async fn a_person_signs_in_to_their_roles_page_and_out_again(backend: Backend) {
        let app = spawn(backend, |_| {}).await;
        account(&app, "rina", "KEMENKOPM", Role::Coordinator, false);

        let form = get_page(&app, None, "/console/masuk").await;
        assert_eq!(form.status, 200, "{}", form.body);
        form.assert_html("the sign-in form");
        let csrf = form.csrf();
        let cookie = form.cookie(SIGN_IN);
        assert_eq!(cookie.value, csrf, "the form repeats its cookie");
        assert!(csrf.len() >= 43, "256 bits: {csrf}");
        cookie.assert_console(false);

        // Posted as a browser posts it, from the console's own origin.
        let fields = [
            ("csrf", csrf.as_str()),
            ("username", "rina"),
            ("password", PASSWORD),
            ("code", ""),
        ];
        let browser = [
            ("origin", app.address.as_str()),
            ("sec-fetch-site", "same-origin"),
        ];
        let signed_in =
            post_form(&app, "/console/masuk", &[(SIGN_IN, &csrf)], &fields, &browser).await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        assert_eq!(signed_in.location(), Some("/console/ringkasan"));
        let session = signed_in.cookie(SESSION);
        session.assert_console(false);
        assert!(session.value.len() >= 43, "256 bits: {session:?}");
        assert_ne!(session.value, csrf);
        signed_in.cookie(SIGN_IN).assert_removal();

        // The database keeps the token's hash, never the token.
        let stored: Vec<(String, String, String)> = console_sessions::table
            .select((
                console_sessions::token_sha256,
                console_sessions::username,
                console_sessions::csrf_token,
            ))
            .load(&mut app.db.connect())
            .unwrap();
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(stored[0].0, sha256_hex(&session.value));
        assert_eq!(stored[0].1, "rina");
        assert_ne!(stored[0].2, session.value);

        let page = get_page(&app, Some(&session.value), "/console/ringkasan").await;
        assert_eq!(page.status, 200, "{}", page.body);
        page.assert_html("Ringkasan");
        assert!(page.body.contains("rina"), "who is signed in is shown");
        assert!(!page.body.contains(&session.value), "the page holds no session token");
        // A signed-in person asking for the form or the console's root lands on their page.
        for path in ["/console/", "/console/masuk"] {
            let res = get_page(&app, Some(&session.value), path).await;
            assert_eq!(res.status, 303, "{path}");
            assert_eq!(res.location(), Some("/console/ringkasan"), "{path}");
        }

        let out = post_form(
            &app,
            "/console/keluar",
            &[(SESSION, &session.value)],
            &[("csrf", &page.csrf())],
            &browser,
        )
        .await;
        assert_eq!(out.status, 303, "{}", out.body);
        assert_eq!(out.location(), Some("/console/masuk"));
        out.cookie(SESSION).assert_removal();
        assert_eq!(session_count(&app), 0, "the session is gone");
        // A browser that kept the cookie is sent to sign in again.
        get_page(&app, Some(&session.value), "/console/ringkasan")
            .await
            .assert_to_sign_in("the cookie after signing out");

        let mine = entries(&app, &[("client", "console:rina")]).await;
        let of = |method: &str, route: &str| {
            mine.iter()
                .find(|e| e["method"] == method && e["route"] == route)
                .unwrap_or_else(|| panic!("no {method} {route} among {mine:?}"))
        };
        for (method, route, status) in [
            ("POST", "/console/masuk", 303),
            ("GET", "/console/ringkasan", 200),
            ("POST", "/console/keluar", 303),
        ] {
            let entry = of(method, route);
            assert_eq!(entry["status"], status, "{entry}");
            assert_eq!(entry["agency"], "KEMENKOPM", "{entry}");
            assert_eq!(entry["outcome"], "allowed", "{entry}");
        }
        // The page asked for with the dead cookie is nobody's.
        assert_eq!(
            mine.iter()
                .filter(|e| e["route"] == "/console/ringkasan")
                .count(),
            1,
            "{mine:?}"
        );
    }

    // Five wrong passwords lock the account: the right one is then refused in the same words,
    // until the lock ends; every failure is recorded as the account's.
    async fn five_wrong_passwords_lock_the_account_until_the_lock_ends(backend: Backend) {
        let app = spawn(backend, |_| {}).await;
        account(&app, "budi", "KEMENDES", Role::Operator, false);

        let mut first = None;
        for n in 1..=MAX_FAILURES {
            let res = attempt(&app, "budi", "bukan-kata-sandinya-2026", "").await;
            assert_refused(&res, &format!("wrong password {n}"));
            first.get_or_insert(res);
        }
        let first = first.unwrap();
        let now = chrono::Utc::now().timestamp();
        let row = person(&app, "budi");
        let until = row.locked_until.expect("the account is locked");
        assert!(
            until > now && until <= now + LOCK_SECS + 5,
            "locked until {until}, now {now}"
        );

        let locked = attempt(&app, "budi", PASSWORD, "").await;
        assert_refused(&locked, "the right password on a locked account");
        assert_eq!(
            without_token(&locked),
            without_token(&first),
            "a locked account is refused in the words of a wrong password"
        );
        assert_eq!(session_count(&app), 0);

        // The lock ends.
        diesel::update(people::table.find("budi"))
            .set(people::locked_until.eq(Some(now - 1)))
            .execute(&mut app.db.connect())
            .unwrap();
        let opened = attempt(&app, "budi", PASSWORD, "").await;
        assert_eq!(opened.status, 303, "{}", opened.body);
        assert_eq!(opened.location(), Some("/console/rujukan"));
        let row = person(&app, "budi");
        assert_eq!(row.failed_sign_ins, 0);
        assert_eq!(row.locked_until, None);

        let tried = entries(
            &app,
            &[("client", "console:budi"), ("route", "/console/masuk")],
        )
        .await;
        let statuses: Vec<&Value> = tried.iter().map(|e| &e["status"]).collect();
        let mut expected = vec![json!(401); MAX_FAILURES as usize + 1];
        expected.push(json!(303));
        assert_eq!(statuses, expected.iter().collect::<Vec<_>>(), "{tried:?}");
        for entry in &tried {
            assert_eq!(entry["method"], "POST", "{entry}");
            assert_eq!(entry["agency"], "KEMENDES", "{entry}");
            let outcome = if entry["status"] == 401 { "denied" } else { "allowed" };
            assert_eq!(entry["outcome"], outcome, "{entry}");
        }
    }

    // An account made with the CLI: refusals that say why, a list without secrets, a
    // generated password that works, and a TOTP code that is needed, checked, and used once.
    async fn an_account_from_the_cli_needs_its_totp_code_and_each_code_works_once(
        backend: Backend
    ) {
        let app = spawn(backend, |_| {}).await;
        let dir = tempfile::tempdir().unwrap();

        let create = ["create", "--username", "tia", "--role", "auditor"];
        let short = [&create[..], &["--agency", "KEMENKOPM", "--password-stdin"][..]].concat();
        let stderr = fails(&users(&app, dir.path(), &short, Some("pendek\n")), &short);
        assert!(stderr.contains("at least 12 characters"), "{stderr}");
        let unknown = [&create[..], &["--agency", "KEMENXYZ", "--password-stdin"][..]].concat();
        let stderr = fails(
            &users(&app, dir.path(), &unknown, Some(&format!("{PASSWORD}\n"))),
            &unknown,
        );
        assert!(stderr.contains("no agency with this code"), "{stderr}");
        assert!(
            sinergi::db::people::list(&mut app.db.connect()).unwrap().is_empty(),
            "nothing was created"
        );

        let args = [
            &create[..],
            &["--agency", "KEMENKOPM", "--password-stdin", "--totp"][..],
        ]
        .concat();
        let created = json_of(
            &users(&app, dir.path(), &args, Some(&format!("{PASSWORD}\n"))),
            &args,
        );
        let uri = created["totp_uri"].as_str().expect("a TOTP URI").to_owned();
        assert_eq!(
            created,
            json!({"username": "tia", "agency": "KEMENKOPM", "role": "auditor", "totp_uri": uri}),
            "a password from stdin is not printed"
        );
        let secret = secret_of(&uri);
        let taken = fails(
            &users(&app, dir.path(), &args, Some(&format!("{PASSWORD}\n"))),
            &args,
        );
        assert!(taken.contains("already an account"), "{taken}");

        let args = [
            "create", "--username", "uli", "--agency", "KEMENDES", "--role", "operator",
        ];
        let generated = json_of(&users(&app, dir.path(), &args, None), &args);
        let password = generated["password"].as_str().expect("a generated password");
        assert!(password.len() >= 22, "{generated}");
        assert_eq!(generated.get("totp_uri"), None, "{generated}");

        let out = users(&app, dir.path(), &["list"], None);
        let list = json_of(&out, &["list"]);
        assert_eq!(
            list["items"],
            json!([
                {"username": "tia", "agency": "KEMENKOPM", "role": "auditor", "totp": true,
                 "disabled": false, "locked_until": null},
                {"username": "uli", "agency": "KEMENDES", "role": "operator", "totp": false,
                 "disabled": false, "locked_until": null},
            ])
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let uri_secret = uri.split("secret=").nth(1).unwrap().split('&').next().unwrap();
        for row in sinergi::db::people::list(&mut app.db.connect()).unwrap() {
            assert!(!text.contains(&row.password_hash), "a hash listed: {text}");
            if let Some(sealed) = &row.totp_secret {
                assert!(!text.contains(sealed.as_str()), "a sealed secret listed: {text}");
            }
        }
        for secret in ["$argon2", PASSWORD, password, uri_secret] {
            assert!(!text.contains(secret), "{secret} listed: {text}");
        }

        let res = attempt(&app, "uli", password, "").await;
        assert_eq!(res.status, 303, "the generated password works: {}", res.body);

        assert_refused(
            &attempt(&app, "tia", PASSWORD, "").await,
            "the password without the code",
        );
        let (step, code) = code_now(&secret);
        let old = totp::code_at(&secret, step - 20);
        assert_refused(
            &attempt(&app, "tia", PASSWORD, &old).await,
            "a code of ten minutes ago",
        );
        let res = attempt(&app, "tia", PASSWORD, &code).await;
        assert_eq!(res.status, 303, "the password and the code: {}", res.body);
        assert_eq!(res.location(), Some("/console/audit"));
        let used = person(&app, "tia").totp_last_step.expect("the step is kept");
        assert!((step - 1..=step + 1).contains(&used), "{used} for {step}");
        assert_eq!(person(&app, "tia").failed_sign_ins, 0);
        assert_refused(
            &attempt(&app, "tia", PASSWORD, &code).await,
            "the same code a second time",
        );
    }

    // Each role opens its own pages and is refused the others; the audit endpoints serve the
    // API's bodies; an operator acts on its own agency's clients only, and a secret rotated in
    // the console is the one the token endpoint takes.
    async fn each_role_opens_its_pages_and_an_operator_only_its_agencys_clients(
        backend: Backend
    ) {
        let app = spawn(backend, |_| {}).await;
        let audit_endpoints = ["/console/audit/checkpoint", "/console/audit/public-key"];
        for path in PAGES.iter().chain(&audit_endpoints) {
            get_page(&app, None, path).await.assert_to_sign_in(path);
        }

        let roles = [
            ("koor", "KEMENKOPM", Role::Coordinator, [true, true, false, false]),
            ("opr", "KEMENDES", Role::Operator, [false, true, true, false]),
            ("aud", "KEMENKOPM", Role::Auditor, [false, false, false, true]),
            ("dpo", "KEMENSOS", Role::Dpo, [false, false, false, true]),
        ];
        let mut sessions = Vec::new();
        for (username, agency, role, allowed) in roles {
            account(&app, username, agency, role, false);
            let res = attempt(&app, username, PASSWORD, "").await;
            assert_eq!(res.status, 303, "{username}: {}", res.body);
            let home = PAGES[allowed.iter().position(|a| *a).unwrap()];
            assert_eq!(res.location(), Some(home), "{username}");
            let session = res.cookie(SESSION).value;
            for (path, allowed) in PAGES.iter().zip(allowed) {
                let page = get_page(&app, Some(&session), path).await;
                let what = format!("{username} on {path}");
                assert_eq!(page.status, if allowed { 200 } else { 403 }, "{what}: {}", page.body);
                page.assert_html(&what);
            }
            let auditing = allowed[3];
            for path in audit_endpoints {
                let res = get_page(&app, Some(&session), path).await;
                // The checkpoint may not be signed yet: 404 is the API's answer then.
                let expected: &[u16] = if !auditing {
                    &[403]
                } else if path.ends_with("checkpoint") {
                    &[200, 404]
                } else {
                    &[200]
                };
                assert!(expected.contains(&res.status), "{username} on {path}: {}", res.status);
            }
            sessions.push(session);
        }
        let (operator, auditor) = (&sessions[1], &sessions[2]);

        // The auditor's endpoints answer what the API answers.
        let api = |path: String| {
            let app = &app;
            async move { Page::of(app.get(&path).await).await }
        };
        let key = get_page(&app, Some(auditor), "/console/audit/public-key").await;
        assert_eq!(key.status, 200);
        assert_eq!(key.body, api("/v1/audit/public-key".into()).await.body);
        let deadline = Instant::now() + Duration::from_secs(10);
        let note = loop {
            let res = get_page(&app, Some(auditor), "/console/audit/checkpoint").await;
            if res.status == 200 {
                break res.body;
            }
            assert!(Instant::now() < deadline, "no checkpoint: {}", res.body);
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        };
        let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
        let same = api(format!("/v1/audit/checkpoint?size={size}")).await;
        assert_eq!((same.status, same.body), (200, note.clone()));
        let proof = get_page(
            &app,
            Some(auditor),
            &format!("/console/audit/consistency?from=1&to={size}"),
        )
        .await;
        assert_eq!(proof.status, 200, "{}", proof.body);
        let expected = api(format!("/v1/audit/proofs/consistency?from=1&to={size}")).await;
        assert_eq!(
            serde_json::from_str::<Value>(&proof.body).unwrap(),
            serde_json::from_str::<Value>(&expected.body).unwrap()
        );

        // The operator's page lists its agency's clients only.
        let page = get_page(&app, Some(operator), "/console/operasional").await;
        assert!(page.body.contains(&format!(r#"data-client="{KEMENDES}""#)), "{}", page.body);
        assert!(!page.body.contains(KEMENSOS), "another agency's client is listed");
        let csrf = page.csrf();
        let act = |client: &'static str, verb: &'static str| {
            let (app, csrf) = (&app, csrf.clone());
            async move {
                post_form(
                    app,
                    &format!("/console/operasional/klien/{client}/{verb}"),
                    &[(SESSION, operator.as_str())],
                    &[("csrf", &csrf)],
                    &[],
                )
                .await
            }
        };
        // Another agency's client is not found, and stays as it was.
        for verb in ["nonaktifkan", "rotasi"] {
            let res = act(KEMENSOS, verb).await;
            assert_eq!(res.status, 404, "{verb}: {}", res.body);
        }
        assert!(!client_disabled(&app, KEMENSOS));
        let res = app
            .request_token(KEMENSOS, &sinergi::demo::demo_secret(KEMENSOS), None)
            .await;
        assert_eq!(res.status(), 200, "the other agency's secret still works");

        // Its own: disabled and enabled again, then a new secret, shown once.
        let res = act(KEMENDES, "nonaktifkan").await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(res.location(), Some("/console/operasional"));
        assert!(client_disabled(&app, KEMENDES));
        assert_eq!(act(KEMENDES, "aktifkan").await.status, 303);
        assert!(!client_disabled(&app, KEMENDES));
        let rotated = act(KEMENDES, "rotasi").await;
        assert_eq!(rotated.status, 200, "{}", rotated.body);
        rotated.assert_html("the rotated secret");
        let start = r#"<code id="rahasia-baru">"#;
        let at = rotated.body.find(start).expect("the new secret") + start.len();
        let secret = &rotated.body[at..at + rotated.body[at..].find('<').unwrap()];
        assert!(secret.starts_with("sns_"), "{secret}");
        let new = app.request_token(KEMENDES, secret, None).await;
        assert_eq!(new.status(), 200, "the new secret gets a token");
        let old = app
            .request_token(KEMENDES, &sinergi::demo::demo_secret(KEMENDES), None)
            .await;
        assert_eq!(old.status(), 401, "the old secret is refused");

        let acted = entries(
            &app,
            &[
                ("client", "console:opr"),
                ("route", "/console/operasional/klien/{id}/{action}"),
            ],
        )
        .await;
        let statuses: Vec<&Value> = acted.iter().map(|e| &e["status"]).collect();
        assert_eq!(
            statuses,
            [&json!(404), &json!(404), &json!(303), &json!(303), &json!(200)],
            "{acted:?}"
        );
        assert!(acted.iter().all(|e| e["agency"] == "KEMENDES"), "{acted:?}");
    }

    // An auditor looks up a person's trail by NIK with a purpose: the page lists what touched
    // the NIK without showing it whole, and the look-up's own entry keeps the purpose and the
    // NIK's hash; a bad NIK is not repeated back, and an oversized form is refused.
    async fn an_auditors_trail_look_up_lists_the_persons_entries_and_is_itself_recorded(
        backend: Backend
    ) {
        let app = spawn(backend, |_| {}).await;
        let publisher = app.token(KEMENSOS, None).await;
        publish(&app, &publisher, "graduations", &graduation("LULUS-CONSOLE-1")).await;
        account(&app, "aud", "KEMENKOPM", Role::Auditor, false);
        let session = sign_in(&app, "aud", "").await;
        let csrf = get_page(&app, Some(&session), "/console/audit").await.csrf();
        settle(&app).await;

        let lookup = |nik: String| {
            let (app, session, csrf) = (&app, session.clone(), csrf.clone());
            async move {
                post_form(
                    app,
                    "/console/audit/jejak",
                    &[(SESSION, &session)],
                    &[
                        ("csrf", csrf.as_str()),
                        ("nik", nik.as_str()),
                        ("purpose", "permintaan-subjek"),
                        ("note", "Surat 17/PDP/2026"),
                    ],
                    &[],
                )
                .await
            }
        };
        let trail = lookup(HEAD.to_owned()).await;
        assert_eq!(trail.status, 200, "{}", trail.body);
        trail.assert_html("the trail");
        assert!(trail.body.contains(r#"id="trail-entries""#), "{}", trail.body);
        assert!(!trail.body.contains(HEAD), "the NIK is not shown whole");
        let rows = trail.body.matches("<tr><td>").count();
        assert!(rows >= 1, "the publication is listed: {}", trail.body);
        assert!(trail.body.contains(KEMENSOS), "{}", trail.body);
        let count_at = trail.body.find(r#"<dd id="trail-count">"#).unwrap();
        assert!(
            trail.body[count_at..].starts_with(&format!(r#"<dd id="trail-count">{rows}<"#)),
            "{rows} rows"
        );

        for bad in ["3201019913990001", "32010115078500ZQ"] {
            let res = lookup(bad.to_owned()).await;
            assert_eq!(res.status, 400, "{bad}: {}", res.body);
            res.assert_html(bad);
            assert!(!res.body.contains(bad), "{bad} repeated back: {}", res.body);
        }
        let oversized = format!(
            "csrf={csrf}&nik={HEAD}&purpose=insiden&note={}",
            "a".repeat(4096)
        );
        let res = post_body(&app, "/console/audit/jejak", &[(SESSION, &session)], oversized).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(!res.body.contains(HEAD), "{}", res.body);

        let published = entries(&app, &[("client", KEMENSOS), ("route", "/v1/graduations")]).await;
        assert_eq!(published.len(), 1, "{published:?}");
        let published = published[0]["nik_hashes"].as_array().unwrap();
        let looked_up = entries(
            &app,
            &[("client", "console:aud"), ("route", "/console/audit/jejak")],
        )
        .await;
        let statuses: Vec<&Value> = looked_up.iter().map(|e| &e["status"]).collect();
        assert_eq!(statuses, [&json!(200), &json!(400), &json!(400), &json!(400)]);
        let entry = &looked_up[0];
        assert_eq!(
            entry["purpose"],
            "Menjawab permintaan subjek data (UU 27/2022 Pasal 32) — Surat 17/PDP/2026",
            "{entry}"
        );
        assert_eq!(entry["agency"], "KEMENKOPM", "{entry}");
        let hashes = entry["nik_hashes"].as_array().unwrap();
        assert_eq!(hashes.len(), 1, "{entry}");
        assert!(published.contains(&hashes[0]), "the NIK's hash: {entry}");
        for entry in &looked_up[1..] {
            assert_eq!(entry["nik_hashes"], json!([]), "{entry}");
        }
    }
}

/// Sign-in forms and client actions that lack the token, carry another, or come from
/// another site are refused before anything is checked or changed.
#[actix_web::test]
async fn forms_without_the_token_or_from_another_site_are_refused() {
    let app = spawn(Backend::Sqlite, |_| {}).await;
    account(&app, "sari", "KEMENDES", Role::Operator, false);
    let (csrf, other) = (sign_in_form(&app).await, sign_in_form(&app).await);
    let (csrf, other) = (csrf.as_str(), other.as_str());
    let https_self = app.address.replace("http://", "https://");
    // What is wrong, the form's cookie, its `csrf` field, and a header a browser would add;
    // the password is right each time.
    let evil = Some(("origin", "https://evil.example"));
    let cases = [
        ("no cookie", None, Some(csrf), None),
        ("another form's cookie", Some(other), Some(csrf), None),
        ("an empty token", Some(csrf), Some(""), None),
        ("no token field", Some(csrf), None, None),
        ("another origin", Some(csrf), Some(csrf), evil),
        (
            "the same host over another scheme",
            Some(csrf),
            Some(csrf),
            Some(("origin", https_self.as_str())),
        ),
        (
            "a null origin",
            Some(csrf),
            Some(csrf),
            Some(("origin", "null")),
        ),
        (
            "a cross-site fetch",
            Some(csrf),
            Some(csrf),
            Some(("sec-fetch-site", "cross-site")),
        ),
        (
            "a same-site fetch",
            Some(csrf),
            Some(csrf),
            Some(("sec-fetch-site", "same-site")),
        ),
    ];
    for (what, cookie, token, header) in cases {
        let cookies: Vec<_> = cookie.map(|c| (SIGN_IN, c)).into_iter().collect();
        let mut fields = vec![("username", "sari"), ("password", PASSWORD), ("code", "")];
        fields.extend(token.map(|t| ("csrf", t)));
        let headers: Vec<_> = header.into_iter().collect();
        let res = post_form(&app, "/console/masuk", &cookies, &fields, &headers).await;
        assert_eq!(res.status, 403, "{what}: {}", res.body);
        res.assert_html(what);
        assert!(res.cookies(SESSION).is_empty(), "{what}");
    }
    assert_eq!(session_count(&app), 0);
    assert_eq!(
        person(&app, "sari").failed_sign_ins,
        0,
        "no password was checked"
    );
    let oversized = format!(
        "csrf={csrf}&username=sari&password={}&code=",
        "a".repeat(4096)
    );
    let res = post_body(&app, "/console/masuk", &[(SIGN_IN, csrf)], oversized).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(session_count(&app), 0);

    // Signed in, a client action needs the session's token and the console's origin.
    let session = sign_in(&app, "sari", "").await;
    let page = get_page(&app, Some(&session), "/console/operasional").await;
    let token = page.csrf();
    let token = token.as_str();
    let action = format!("/console/operasional/klien/{KEMENDES}/nonaktifkan");
    let cases = [
        ("no token field", None, None),
        ("a wrong token", Some("bukan-tokennya"), None),
        ("the sign-in form's token", Some(csrf), None),
        ("another origin", Some(token), evil),
        (
            "a cross-site fetch",
            Some(token),
            Some(("sec-fetch-site", "cross-site")),
        ),
    ];
    for (what, token, header) in cases {
        let fields: Vec<_> = token.map(|t| ("csrf", t)).into_iter().collect();
        let headers: Vec<_> = header.into_iter().collect();
        let res = post_form(&app, &action, &[(SESSION, &session)], &fields, &headers).await;
        assert_eq!(res.status, 403, "{what}: {}", res.body);
        res.assert_html(what);
        assert!(
            !client_disabled(&app, KEMENDES),
            "{what}: the client changed"
        );
    }
    let res = post_form(
        &app,
        "/console/keluar",
        &[(SESSION, &session)],
        &[("csrf", "bukan-tokennya")],
        &[],
    )
    .await;
    assert_eq!(res.status, 403, "signing out needs the token too");
    assert_eq!(session_count(&app), 1);
    // With the token, from the console, the same action is done.
    let res = post_form(
        &app,
        &action,
        &[(SESSION, &session)],
        &[("csrf", token)],
        &[("origin", &app.address), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(client_disabled(&app, KEMENDES));
}

/// An unknown username is answered exactly as a wrong password is, so the answer does not
/// tell who has an account (the time each takes is kept alike by `accounts::Passwords`,
/// and not measured here). Behind an https public URL the cookies are `Secure`.
#[actix_web::test]
async fn an_unknown_username_is_answered_as_a_wrong_password_is() {
    let app = spawn(Backend::Sqlite, |s| {
        s.public_url = Some("https://sinergi.example.go.id".into());
    })
    .await;
    account(&app, "wati", "KEMENSOS", Role::Dpo, false);
    let wrong = attempt(&app, "wati", "bukan-kata-sandinya-2026", "").await;
    let unknown = attempt(&app, "tidak-ada", PASSWORD, "").await;
    assert_refused(&wrong, "a wrong password");
    assert_refused(&unknown, "an unknown username");
    assert_ne!(wrong.csrf(), unknown.csrf(), "each form its own token");
    assert_eq!(without_token(&wrong), without_token(&unknown));
    assert_eq!(wrong.header("content-type"), unknown.header("content-type"));
    for res in [&wrong, &unknown] {
        res.cookie(SIGN_IN).assert_console(true);
    }
    let res = attempt(&app, "wati", PASSWORD, "").await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.cookie(SESSION).assert_console(true);
}
