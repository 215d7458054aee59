//! The OAuth token endpoint, client assertions, bearer-token checks, key rotation and rate
//! limits, over HTTP on both backends.
//!
//! Tokens with arbitrary claims are forged by starting the server with a key-encryption key
//! the test knows and a signing key the test inserted itself, so the test holds the
//! exchange's private key.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use crate::common::problem::problem;
use crate::common::{Backend, TestApp, TestDb, spawn_app, spawn_with};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::{self, HeaderValue};
use serde_json::{Value, json};
use sinergi::auth::clients::{self, ClientError, Credential};
use sinergi::auth::scope::ScopeSet;
use sinergi::auth::secrets::KeyEncryptionKey;
use sinergi::domain::code::AgencyCode;

/// The scopes of the demo publishers, in the order the exchange writes them.
const PUBLISHER_SCOPES: &str = "graduations:read graduations:write enrollments:read \
    enrollments:write changes:read subscriptions:write agreements:read agreements:write \
    referrals:read referrals:write households:read households:write";
const ALL_SCOPES: &str = "graduations:read graduations:write enrollments:read \
    enrollments:write changes:read subscriptions:write audit:read metrics:read \
    agreements:read agreements:write referrals:read referrals:write households:read \
    households:write stats:read admin";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const PROTECTED: &str = "/v1/programs";

/// A P-256 key made with `openssl genpkey` for this file only; it protects nothing.
const TEST_ONLY_P256_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghtWCRhEXN7TIhipr\n\
kVZomgLAdjloo9wbzdA1iMd2g8qhRANCAATsTXhCcDYLhtuPxxstTYpyR7qTTnVt\n\
cy50M046REoVs6Gxq7kUE6R2kW+rg+iGmD7GrlmpOqng61vTH1ZvNVNB\n\
-----END PRIVATE KEY-----\n";
/// An RSA-2048 key made with `openssl genpkey` for this file only; it protects nothing.
const TEST_ONLY_RSA_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCsPFEGoWBtkdgc\n\
8wPGZa/pRgIWevuB4d5KwFdtZUNvnfznxukRrE90o3Aylo4OwXO6ZWfh/Ly33fYw\n\
aC8E57zanTWE0+NHgXFr6POjT1oeVjsv+dtebHl5WGRMGD0U1yYrumN7e1HW870X\n\
gKMK7ODGqjlPnWfe1W8B9sUUKcvL1CkGxN6WopoUpufWQzAP9aXRqhCicEv9ZmSN\n\
Je5UOy9WJpyyhvoUFlWNmWohBApk51KYNiMfDc/KspNg7dAIWm+t3iMj+NDDz7Gn\n\
qDmnggEqECRG8tUu4ibZXwnRefp4tIuq4yymSH0wpwWMd4R3yTN3/LEnDahwUrYt\n\
3yL2/ehfAgMBAAECggEADaceWSMzrJvSAMF2vCRVZG1rPvLyuuH3p/9FLuPHC7L/\n\
WDQZR5BcIAfQngH3Ms486TqemHhbUUvj9wRbLc1c2At8MZJGQuXM4tvtbDWfFCaL\n\
vIrWy85Xdrn+AVYuiVdgrDizKBenbh2WEKXexr/uNXFK57e3gx9yFDrGdom1oOuI\n\
HB1USNZ0miM77R89qZPYAwhKSUn8b+Xn8S6gtXSCxk7X7FIR6uquZxnhKCQp/1/O\n\
FITyq5LKHSDgaSK7fetZ7ie8/taB9+awzmwpHP/W/h0Ux64FkeMxBHp5jdMiEi+P\n\
jRkYoM+Hju8NCrwQafDKnvMKA65tcU1H/x3mQQHgyQKBgQDct8otQlx1Kjn6RaOc\n\
OuSwjRpzkXMOUxd7djxPzcB/JVImRxUkRXJvGURxN9kHlM4uQPU6h+hxgxGmM4NE\n\
59LX3pYICqxfPAdUTwzet8OkESb+ARdHoATSwO58hKd4GqOAO+EdMRvrQ9tKvQqa\n\
8CXCpYTRklU8M56X7hHiv3HRPQKBgQDHxIkJoJ5hM/TiHWcdhj7bNK208A7Yv9Nt\n\
ZaGH2nA63k7PECHxjStZoNDxhJ/w8ppHEOIJ7RB9YNwIn+56vA8qJA5xZ99Z5/Dv\n\
WgmdArfPYCnOxEQPQzv/G19A9BZ4DXc2E3d0Va12pr3VoM2WsWqLykFsPAwXS4Aq\n\
Dm4gMNbBywKBgF6xh071mp8115v1RqVfawAH+aI9c8Rgh8GTT3rZhk3GYEFF298s\n\
4FSj3YZJdJZZFEAp5EwRRPt2RRsuHJJydzXgLDQVCDDvmyFjrNzcsFXyee0d4LP9\n\
BjS5S1gmvYa8vwrkJceVayn7edjN0//3KewhgSM8ic8DQnZiUFAc3KLtAoGBAJZA\n\
18Xa/mUkHCNadC17xJlBpQm7qZ8ToSXeVEGHZfSRMvuBKdayFJIEaEPQOjCTeMDN\n\
DQbkPQvgp38BM/Eys8FBf2+C7jaEQu70bNigq7oZnTh83KgSLPUzFFEZhjDkB+8v\n\
cyCYNLFStuQQX7HhXb8o8E5FV97JleuMEP67XTxDAoGAMpnjUbztKF7hFs+vjteb\n\
7JrR6AQYvrEv9ieWutx7Glb3I6V/V+NxtGNaa6qe6BwhI2WBjd4IuXbeTI8V7MEK\n\
PBA5CnXewKWfnaLySgX3AAbTKStDN+lDDDD5CFoZYDNNM16mdMXpjlOzZwa2nWrt\n\
6LjAIJmmgg9MfdS3u4oQIPY=\n\
-----END PRIVATE KEY-----\n";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The JSON of a token's header (0) or payload (1), read without verifying anything.
fn segment(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).expect("a JWT segment");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn b64_json(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

fn sign(key: &EncodingKey, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).expect("sign")
}

/// A fresh Ed25519 key: its signing half for jsonwebtoken, and its raw public key.
fn ed25519_key() -> (EncodingKey, [u8; 32]) {
    let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let der = key.to_pkcs8_der().unwrap();
    (
        EncodingKey::from_ed_der(der.as_bytes()),
        key.verifying_key().to_bytes(),
    )
}

/// Access-token claims as the exchange writes them for demo-kemensos, valid now.
fn kemensos_claims() -> Value {
    let now = now();
    json!({
        "iss": "sinergi", "sub": "demo-kemensos", "aud": "sinergi-api",
        "exp": now + 300, "iat": now, "nbf": now, "jti": uuid::Uuid::new_v4().to_string(),
        "agency": "KEMENSOS", "scope": PUBLISHER_SCOPES,
    })
}

async fn post_form(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url("/oauth/token"))
        .form(form)
        .send()
        .await
        .expect("token request")
}

async fn jwks(app: &TestApp) -> Value {
    let res = app.get_anonymous("/.well-known/jwks.json").await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn jwks_kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// GET on a protected endpoint with `Authorization: Bearer <token>`.
async fn call(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(PROTECTED))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

/// Asserts a 200 token response with `Cache-Control: no-store`; returns its body.
async fn token_ok(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    res.json().await.unwrap()
}

/// Asserts an RFC 6749 §5.2 error with this status and `error`; returns the body.
async fn oauth_error(res: reqwest::Response, status: u16, error: &str) -> Value {
    assert_eq!(res.status(), status);
    let challenge = res.headers().get(header::WWW_AUTHENTICATE).cloned();
    if error == "invalid_client" {
        assert_eq!(challenge.unwrap(), "Basic realm=\"sinergi\"");
    } else {
        assert!(challenge.is_none(), "{challenge:?}");
    }
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    body
}

/// Asserts 401 with an `invalid_token` challenge and an `unauthorized` problem.
/// The problem's `detail` of a refused token, once it is checked as [`assert_invalid_token`]
/// checks it.
async fn problem_detail_of_invalid_token(res: reqwest::Response, case: &str) -> String {
    assert_eq!(res.status(), 401, "{case}");
    let body = problem(res, 401).await.body;
    assert_eq!(body["type"], "urn:sinergi:problem:unauthorized", "{case}");
    body["detail"].as_str().unwrap().to_owned()
}

async fn assert_invalid_token(res: reqwest::Response, case: &str) {
    assert_eq!(res.status(), 401, "{case}");
    let challenge = res.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Bearer realm=\"sinergi\""),
        "{case}: {challenge}"
    );
    assert!(
        challenge.contains("error=\"invalid_token\""),
        "{case}: {challenge}"
    );
    let body = problem(res, 401).await.body;
    assert_eq!(body["type"], "urn:sinergi:problem:unauthorized", "{case}");
}

/// Checks an access token issued to a demo client: header, published kid and claims.
async fn assert_access_token(app: &TestApp, token: &str, client: &str, agency: &str, scope: &str) {
    let head = segment(token, 0);
    assert_eq!(head["alg"], "EdDSA");
    let kid = head["kid"].as_str().expect("a kid");
    assert!(
        jwks_kids(&jwks(app).await).iter().any(|k| k == kid),
        "{kid}"
    );
    let claims = segment(token, 1);
    assert_eq!(claims["iss"], "sinergi");
    assert_eq!(claims["aud"], "sinergi-api");
    assert_eq!(claims["sub"], client);
    assert_eq!(claims["agency"], agency);
    assert_eq!(claims["scope"], scope);
    let (exp, iat, nbf) = (
        claims["exp"].as_i64().unwrap(),
        claims["iat"].as_i64().unwrap(),
        claims["nbf"].as_i64().unwrap(),
    );
    assert!(exp - iat <= 900 && exp > iat, "{claims}");
    assert!(nbf <= iat + 1 && (iat - now()).abs() < 60, "{claims}");
    let jti = claims["jti"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(jti).is_ok(), "{jti}");
}

/// A client of KEMENSOS holding `graduations:read` that authenticates with this JWK Set.
fn create_jwks_client(db: &TestDb, jwks: &Value) -> String {
    clients::create(
        &mut db.connect(),
        AgencyCode::parse("KEMENSOS").unwrap(),
        "Key-based test client".into(),
        ScopeSet::parse("graduations:read").unwrap(),
        Credential::Jwks(jwks.to_string()),
    )
    .expect("create a key-based client")
    .client
    .client_id
}

fn ed25519_jwks(public: &[u8; 32], kid: &str) -> Value {
    json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(public),
        "kid": kid, "alg": "EdDSA", "use": "sig",
    }]})
}

fn assertion_claims(client_id: &str, aud: &str, exp_in: i64) -> Value {
    let now = now();
    json!({
        "iss": client_id, "sub": client_id, "aud": aud,
        "exp": now + exp_in, "iat": now, "jti": uuid::Uuid::new_v4().to_string(),
    })
}

async fn post_assertion(app: &TestApp, assertion: &str) -> reqwest::Response {
    post_form(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
        ],
    )
    .await
}

/// A key-based client registered with a fresh Ed25519 key under kid `k1`.
struct KeyClient {
    id: String,
    key: EncodingKey,
}

impl KeyClient {
    fn register(db: &TestDb) -> Self {
        let (key, public) = ed25519_key();
        let id = create_jwks_client(db, &ed25519_jwks(&public, "k1"));
        Self { id, key }
    }

    fn assertion(&self, claims: &Value) -> String {
        sign(&self.key, Algorithm::EdDSA, Some("k1"), claims)
    }
}

/// A running app whose current signing key the test holds.
struct Forger {
    app: TestApp,
    /// The app's key-encryption key.
    kek: KeyEncryptionKey,
    kid: String,
    key: EncodingKey,
}

impl Forger {
    async fn spawn(backend: Backend) -> Self {
        let db = TestDb::new(backend);
        let kek = KeyEncryptionKey::generate();
        let mut conn = db.connect();
        sinergi::demo::seed(&mut conn).expect("seed demo data");
        let kid = sinergi::auth::keys::rotate(&mut conn, &kek, now()).expect("a signing key");
        let stored = sinergi::db::signing_keys::verifying(&mut conn, now(), 900)
            .unwrap()
            .into_iter()
            .find(|k| k.kid == kid)
            .expect("the key just stored");
        let der = kek.open(&stored.private_key, kid.as_bytes()).unwrap();
        drop(conn);
        let kek_text = kek.to_base64();
        let app = spawn_with(db, move |s| s.key_encryption_key = Some(kek_text)).await;
        // The app signs with the key the test inserted.
        assert_eq!(segment(&app.admin_token, 0)["kid"], kid.as_str());
        Self {
            app,
            kek,
            kid,
            key: EncodingKey::from_ed_der(&der),
        }
    }

    fn mint(&self, claims: &Value) -> String {
        sign(&self.key, Algorithm::EdDSA, Some(&self.kid), claims)
    }
}

/// Polls `probe` every 100 ms until it returns `Some`, for at most `limit`.
async fn poll<T, F, Fut>(limit: Duration, mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = probe().await {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Everything a caller sees of a response but its timing and the headers that differ on
/// every response (`date`, `x-request-id`).
async fn seen(res: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = res.status().as_u16();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (status, headers, res.text().await.unwrap())
}

/// An HTTP client whose requests come from 127.0.x.y, `n` = x·256 + y (every address in
/// 127/8 is local on Linux), so that one test can play many sources. `n` starts at 2:
/// 127.0.0.1 is where the harness itself sends from.
fn source(n: u16) -> reqwest::Client {
    assert!(n >= 2);
    let [x, y] = n.to_be_bytes();
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, x, y)))
        .build()
        .unwrap()
}

/// A `client_secret_post` token request sent from `from`.
async fn token_request_from(
    from: &reqwest::Client,
    app: &TestApp,
    id: &str,
    secret: &str,
) -> reqwest::Response {
    from.post(app.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .expect("token request")
}

/// Asserts a 429 problem with a `Retry-After` of at least a second.
async fn assert_too_many(res: reqwest::Response, case: &str) {
    assert_eq!(res.status(), 429, "{case}");
    let retry: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{case}: {retry}");
    let body = problem(res, 429).await.body;
    assert_eq!(
        body["type"], "urn:sinergi:problem:too-many-requests",
        "{case}"
    );
}

/// An app over the demo data whose token endpoint limits are set by `tweak`. The data is
/// seeded after the start, so that the harness spends no allowance on a token of its own.
async fn spawn_limited(
    backend: Backend,
    tweak: impl FnOnce(&mut sinergi::config::Settings),
) -> TestApp {
    let app = spawn_with(TestDb::new(backend), tweak).await;
    sinergi::demo::seed(&mut app.db.connect()).unwrap();
    app
}

both_backends! {
    // ---- The token endpoint ----

    async fn client_secret_basic_and_client_secret_post_both_issue_a_bearer_token_for_every_scope(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        let basic = app
            .client
            .post(app.url("/oauth/token"))
            .basic_auth("demo-kemensos", Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        let post = app.request_token("demo-kemensos", &secret, None).await;
        for res in [basic, post] {
            assert_eq!(res.headers()[header::PRAGMA], "no-cache");
            let body = token_ok(res).await;
            assert_eq!(body["token_type"], "Bearer");
            assert_eq!(body["expires_in"], 900);
            assert_eq!(body["scope"], PUBLISHER_SCOPES);
            let token = body["access_token"].as_str().unwrap();
            assert_access_token(&app, token, "demo-kemensos", "KEMENSOS", PUBLISHER_SCOPES).await;
            assert_eq!(call(&app, token).await.status(), 200);
        }
        let admin = token_ok(
            app.request_token(
                "demo-admin",
                &sinergi::demo::demo_secret("demo-admin"),
                None,
            )
            .await,
        )
        .await;
        assert_eq!(admin["scope"], ALL_SCOPES);
        let token = admin["access_token"].as_str().unwrap();
        assert_access_token(&app, token, "demo-admin", "KEMENKOPM", ALL_SCOPES).await;
    }

    async fn the_jwks_publishes_the_signing_key_as_an_ed25519_jwk(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = app.get_anonymous("/.well-known/jwks.json").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=60");
        let body: Value = res.json().await.unwrap();
        let keys = body["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1);
        let key = &keys[0];
        assert_eq!(key["kty"], "OKP");
        assert_eq!(key["crv"], "Ed25519");
        assert_eq!(key["alg"], "EdDSA");
        assert_eq!(key["use"], "sig");
        assert!(key.get("d").is_none(), "no private part: {key}");
        let x = URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap();
        assert_eq!(x.len(), 32);
        assert_eq!(segment(&app.admin_token, 0)["kid"], key["kid"]);
    }

    async fn a_requested_subset_of_scopes_narrows_the_token(backend: Backend) {
        let app = spawn_app(backend).await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        // Order and repetition in the request do not matter; the grant is in canonical order.
        let res = app
            .request_token(
                "demo-kemensos",
                &secret,
                Some("changes:read graduations:read changes:read"),
            )
            .await;
        let body = token_ok(res).await;
        assert_eq!(body["scope"], "graduations:read changes:read");
        let token = body["access_token"].as_str().unwrap();
        assert_access_token(
            &app,
            token,
            "demo-kemensos",
            "KEMENSOS",
            "graduations:read changes:read",
        )
        .await;
        // The narrowed token no longer reaches what the client could otherwise do.
        let admin_only = app
            .request_token(
                "demo-admin",
                &sinergi::demo::demo_secret("demo-admin"),
                Some("audit:read"),
            )
            .await;
        let narrowed = token_ok(admin_only).await;
        let res = app
            .client
            .get(app.url("/v1/admin/clients"))
            .bearer_auth(narrowed["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }

    async fn a_scope_the_client_lacks_or_an_unknown_scope_is_invalid_scope(backend: Backend) {
        let app = spawn_app(backend).await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        let res = app
            .request_token("demo-kemensos", &secret, Some("graduations:read admin"))
            .await;
        let body = oauth_error(res, 400, "invalid_scope").await;
        assert_eq!(body["error_description"], "the client may not use admin");
        let res = app
            .request_token(
                "demo-auditor",
                &sinergi::demo::demo_secret("demo-auditor"),
                Some("graduations:write"),
            )
            .await;
        oauth_error(res, 400, "invalid_scope").await;
        // An unknown scope is refused without repeating it: what a caller types there could
        // be anything, a NIK included.
        for unknown in ["graduations:delete", "3201012345678901"] {
            let res = app
                .request_token("demo-kemensos", &secret, Some(&format!("graduations:read {unknown}")))
                .await;
            let body = oauth_error(res, 400, "invalid_scope").await;
            let description = body["error_description"].as_str().unwrap();
            assert!(!description.contains(unknown), "{description}");
            assert!(description.contains("scope"), "{description}");
        }
        let res = app
            .request_token("demo-kemensos", &secret, Some("Admin"))
            .await;
        oauth_error(res, 400, "invalid_scope").await;
    }

    async fn a_wrong_secret_or_an_unknown_client_is_invalid_client_with_a_challenge(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let wrong = app
            .request_token("demo-kemensos", "sns_not-the-secret", None)
            .await;
        let wrong = oauth_error(wrong, 401, "invalid_client").await;
        let unknown = app
            .request_token(
                "no-such-client",
                &sinergi::demo::demo_secret("demo-kemensos"),
                None,
            )
            .await;
        let unknown = oauth_error(unknown, 401, "invalid_client").await;
        // Nothing tells an unknown client id from a wrong secret.
        assert_eq!(wrong, unknown);
        // The same through HTTP Basic.
        let basic = app
            .client
            .post(app.url("/oauth/token"))
            .basic_auth("demo-kemensos", Some("sns_not-the-secret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(oauth_error(basic, 401, "invalid_client").await, wrong);
        // A client id without any secret is not authenticated either.
        let bare = post_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "demo-kemensos"),
            ],
        )
        .await;
        oauth_error(bare, 401, "invalid_client").await;
    }

    async fn basic_and_body_credentials_together_are_an_invalid_request(backend: Backend) {
        let app = spawn_app(backend).await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        let res = app
            .client
            .post(app.url("/oauth/token"))
            .basic_auth("demo-kemensos", Some(&secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "demo-kemensos"),
                ("client_secret", secret.as_str()),
            ])
            .send()
            .await
            .unwrap();
        oauth_error(res, 400, "invalid_request").await;
    }

    async fn a_missing_grant_type_is_an_invalid_request_and_password_an_unsupported_grant(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        let res = post_form(
            &app,
            &[("client_id", "demo-kemensos"), ("client_secret", &secret)],
        )
        .await;
        oauth_error(res, 400, "invalid_request").await;
        let res = post_form(
            &app,
            &[
                ("grant_type", "password"),
                ("client_id", "demo-kemensos"),
                ("client_secret", &secret),
                ("username", "someone"),
                ("password", "something"),
            ],
        )
        .await;
        oauth_error(res, 400, "unsupported_grant_type").await;
    }

    async fn a_json_body_is_an_invalid_request(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = app
            .client
            .post(app.url("/oauth/token"))
            .json(&json!({
                "grant_type": "client_credentials",
                "client_id": "demo-kemensos",
                "client_secret": sinergi::demo::demo_secret("demo-kemensos"),
            }))
            .send()
            .await
            .unwrap();
        let body = oauth_error(res, 400, "invalid_request").await;
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("x-www-form-urlencoded")
        );
    }

    async fn a_disabled_client_cannot_get_a_token(backend: Backend) {
        let app = spawn_app(backend).await;
        assert!(sinergi::db::clients::set_disabled(&mut app.db.connect(), "demo-kemensos", true).unwrap());
        let res = app
            .request_token(
                "demo-kemensos",
                &sinergi::demo::demo_secret("demo-kemensos"),
                None,
            )
            .await;
        oauth_error(res, 401, "invalid_client").await;
    }

    // ---- private_key_jwt (RFC 7523) ----

    async fn a_signed_client_assertion_yields_a_token_but_only_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", 60));
        let body = token_ok(post_assertion(&app, &assertion).await).await;
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["scope"], "graduations:read");
        let token = body["access_token"].as_str().unwrap();
        assert_access_token(&app, token, &client.id, "KEMENSOS", "graduations:read").await;
        assert_eq!(call(&app, token).await.status(), 200);
        // The very same assertion again is a replay.
        let replay = oauth_error(
            post_assertion(&app, &assertion).await,
            401,
            "invalid_client",
        )
        .await;
        // Answered as any other refused credential (the log has the reason).
        assert_eq!(replay["error_description"], "client authentication failed");
        // A new assertion (new jti), naming the client in the form as well, works.
        let again = client.assertion(&assertion_claims(&client.id, "sinergi", 60));
        let res = post_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &client.id),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &again),
            ],
        )
        .await;
        token_ok(res).await;
    }

    async fn an_assertion_cannot_be_replayed_while_the_leeway_still_accepts_it(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        // Ten seconds past its exp: still accepted, within the 30 s of tolerated clock skew.
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", -10));
        token_ok(post_assertion(&app, &assertion).await).await;
        let replay = post_assertion(&app, &assertion).await;
        assert_eq!(replay.status(), 401, "the replayed assertion was accepted again");
        oauth_error(replay, 401, "invalid_client").await;
    }

    async fn an_assertion_valid_for_an_hour_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", 3600));
        oauth_error(
            post_assertion(&app, &assertion).await,
            401,
            "invalid_client",
        )
        .await;
    }

    async fn an_expired_assertion_or_one_without_jti_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        let expired = client.assertion(&assertion_claims(&client.id, "sinergi", -600));
        let body = oauth_error(post_assertion(&app, &expired).await, 401, "invalid_client").await;
        assert_eq!(
            body["error_description"],
            "invalid client assertion: the assertion expired (exp has passed): sign a new one"
        );
        let mut claims = assertion_claims(&client.id, "sinergi", 60);
        claims.as_object_mut().unwrap().remove("jti");
        let no_jti = client.assertion(&claims);
        oauth_error(post_assertion(&app, &no_jti).await, 401, "invalid_client").await;
    }

    async fn an_assertion_signed_with_another_key_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        let (other, _) = ed25519_key();
        let claims = assertion_claims(&client.id, "sinergi", 60);
        let forged = sign(&other, Algorithm::EdDSA, Some("k1"), &claims);
        oauth_error(post_assertion(&app, &forged).await, 401, "invalid_client").await;
        let no_kid = sign(&other, Algorithm::EdDSA, None, &claims);
        oauth_error(post_assertion(&app, &no_kid).await, 401, "invalid_client").await;
        // The genuine key still works with those very claims: only the signature was wrong.
        token_ok(post_assertion(&app, &client.assertion(&claims)).await).await;
    }

    async fn an_assertion_for_another_audience_or_subject_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        // Which check failed is said (the audiences are this exchange's, not secret), the
        // same for a client that does not exist: nothing about clients is learnt from it.
        let (stranger, _) = ed25519_key();
        for aud in ["sinergi-api", "https://elsewhere.example/oauth/token", ""] {
            let assertion = client.assertion(&assertion_claims(&client.id, aud, 60));
            let body = oauth_error(post_assertion(&app, &assertion).await, 401, "invalid_client").await;
            assert_eq!(
                body["error_description"],
                "invalid client assertion: aud must name this exchange: sinergi"
            );
            let unknown = sign(&stranger, Algorithm::EdDSA, Some("k1"),
                &assertion_claims("no-such-client", aud, 60));
            let other = oauth_error(post_assertion(&app, &unknown).await, 401, "invalid_client").await;
            assert_eq!(other, body);
        }
        let mut claims = assertion_claims(&client.id, "sinergi", 60);
        claims["sub"] = json!("demo-kemensos");
        let body = oauth_error(
            post_assertion(&app, &client.assertion(&claims)).await,
            401,
            "invalid_client",
        )
        .await;
        assert_eq!(
            body["error_description"],
            "invalid client assertion: sub must be the client id, as iss is"
        );
        // A client_id in the form that differs from the assertion's issuer.
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", 60));
        let res = post_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "demo-kemensos"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &assertion),
            ],
        )
        .await;
        oauth_error(res, 401, "invalid_client").await;
    }

    async fn the_token_endpoint_url_is_an_accepted_assertion_audience(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        let app = spawn_with(db, |s| {
            s.public_url = Some("https://sinergi.example.go.id/".into())
        })
        .await;
        let client = KeyClient::register(&app.db);
        let aud = "https://sinergi.example.go.id/oauth/token";
        let assertion = client.assertion(&assertion_claims(&client.id, aud, 60));
        token_ok(post_assertion(&app, &assertion).await).await;
    }

    async fn a_wrong_client_assertion_type_is_an_invalid_request(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", 60));
        for kind in [
            "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
            "",
        ] {
            let res = post_form(
                &app,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_assertion_type", kind),
                    ("client_assertion", &assertion),
                ],
            )
            .await;
            oauth_error(res, 400, "invalid_request").await;
        }
        let res = post_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_assertion", &assertion),
            ],
        )
        .await;
        oauth_error(res, 400, "invalid_request").await;
        // Refused before its jti was spent: the same assertion still works when sent right.
        token_ok(post_assertion(&app, &assertion).await).await;
    }

    async fn a_disabled_key_client_cannot_get_a_token(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = KeyClient::register(&app.db);
        assert!(sinergi::db::clients::set_disabled(&mut app.db.connect(), &client.id, true).unwrap());
        let assertion = client.assertion(&assertion_claims(&client.id, "sinergi", 60));
        oauth_error(
            post_assertion(&app, &assertion).await,
            401,
            "invalid_client",
        )
        .await;
    }

    // Whatever depends on the client (its existence, standing, secret, keys, used
    // assertions) is refused alike; what an assertion says of itself (its audience, its
    // lifetime) is refused naming the check, before any client is looked up.
    async fn every_refused_credential_gets_the_same_answer(backend: Backend) {
        let app = spawn_app(backend).await;
        let key_client = KeyClient::register(&app.db);
        let disabled_key_client = KeyClient::register(&app.db);
        let mut conn = app.db.connect();
        assert!(sinergi::db::clients::set_disabled(&mut conn, "demo-kemendes", true).unwrap());
        assert!(sinergi::db::clients::set_disabled(&mut conn, &disabled_key_client.id, true).unwrap());
        drop(conn);
        let secret = |id: &str| sinergi::demo::demo_secret(id);
        // A well-signed assertion naming a client that has no keys, or no such client.
        let (stranger, _) = ed25519_key();
        let assertion_as = |id: &str| {
            sign(&stranger, Algorithm::EdDSA, Some("k1"), &assertion_claims(id, "sinergi", 60))
        };
        let used = key_client.assertion(&assertion_claims(&key_client.id, "sinergi", 60));
        token_ok(post_assertion(&app, &used).await).await;

        let mut answers = Vec::new();
        for (case, res) in [
            ("unknown client id", app.request_token("no-such-client", &secret("demo-kemensos"), None).await),
            ("disabled client, right secret", app.request_token("demo-kemendes", &secret("demo-kemendes"), None).await),
            ("secret-based client presenting an assertion", post_assertion(&app, &assertion_as("demo-kemensos")).await),
            ("key-based client presenting a secret", app.request_token(&key_client.id, &secret("demo-kemensos"), None).await),
            ("wrong secret", app.request_token("demo-kemensos", "sns_not-the-secret", None).await),
            ("unknown client id in an assertion", post_assertion(&app, &assertion_as("no-such-client")).await),
            ("disabled key-based client, right key", post_assertion(&app, &disabled_key_client.assertion(&assertion_claims(&disabled_key_client.id, "sinergi", 60))).await),
            ("assertion signed by another key", post_assertion(&app, &assertion_as(&key_client.id)).await),
            ("replayed assertion", post_assertion(&app, &used).await),
        ] {
            answers.push((case, seen(res).await));
        }
        let (first_case, first) = &answers[0];
        assert_eq!(first.0, 401, "{first_case}: {first:?}");
        assert!(first.2.contains("invalid_client"), "{first:?}");
        for (case, answer) in &answers[1..] {
            assert_eq!(answer, first, "{case} is answered unlike {first_case}");
        }
    }

    async fn es256_and_rs256_assertions_from_registered_keys_are_accepted(backend: Backend) {
        let app = spawn_app(backend).await;
        let cases = [
            (
                Algorithm::ES256,
                EncodingKey::from_ec_pem(TEST_ONLY_P256_PEM.as_bytes()).unwrap(),
            ),
            (
                Algorithm::RS256,
                EncodingKey::from_rsa_pem(TEST_ONLY_RSA_PEM.as_bytes()).unwrap(),
            ),
        ];
        for (alg, key) in cases {
            let mut jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&key, alg).unwrap();
            jwk.common.key_id = Some("k1".into());
            let id = create_jwks_client(&app.db, &json!({"keys": [jwk]}));
            let assertion = sign(&key, alg, Some("k1"), &assertion_claims(&id, "sinergi", 60));
            let body = token_ok(post_assertion(&app, &assertion).await).await;
            assert_eq!(
                segment(body["access_token"].as_str().unwrap(), 1)["sub"],
                id.as_str()
            );
            // The key under another algorithm's name is not tried.
            let (other, _) = ed25519_key();
            let mismatched = sign(
                &other,
                Algorithm::EdDSA,
                Some("k1"),
                &assertion_claims(&id, "sinergi", 60),
            );
            oauth_error(
                post_assertion(&app, &mismatched).await,
                401,
                "invalid_client",
            )
            .await;
        }
    }

    async fn a_key_set_with_a_private_member_is_refused_at_registration(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        let signing = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let mut jwks = ed25519_jwks(&signing.verifying_key().to_bytes(), "k1");
        jwks["keys"][0]["d"] = json!(URL_SAFE_NO_PAD.encode(signing.to_bytes()));
        let result = clients::create(
            &mut db.connect(),
            AgencyCode::parse("KEMENSOS").unwrap(),
            "Leaky client".into(),
            ScopeSet::parse("graduations:read").unwrap(),
            Credential::Jwks(jwks.to_string()),
        );
        match result {
            Err(ClientError::Jwks(why)) => assert!(why.contains("`d`"), "{why}"),
            other => panic!(
                "expected ClientError::Jwks, got {:?}",
                other.map(|c| c.client)
            ),
        }
        // Nothing was stored.
        let stored = sinergi::db::clients::list(&mut db.connect()).unwrap();
        assert!(stored.iter().all(|c| c.name != "Leaky client"));
        // A shared secret (`oct`) is no public key either.
        let oct = json!({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "k1"}]});
        assert!(matches!(
            clients::create(
                &mut db.connect(),
                AgencyCode::parse("KEMENSOS").unwrap(),
                "Symmetric client".into(),
                ScopeSet::parse("graduations:read").unwrap(),
                Credential::Jwks(oct.to_string()),
            ),
            Err(ClientError::Jwks(_))
        ));
    }

    // ---- Bearer tokens on a protected endpoint ----

    async fn requests_without_a_usable_bearer_header_are_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        assert_invalid_token(app.get_anonymous(PROTECTED).await, "no header").await;
        let basic = format!("Basic {}", STANDARD.encode("demo-admin:secret"));
        let huge = format!("Bearer {}", "a".repeat(100 * 1024));
        let headers: Vec<(&str, HeaderValue)> = vec![
            ("Basic", HeaderValue::from_str(&basic).unwrap()),
            (
                "Basic with the real token",
                HeaderValue::from_str(&format!("Basic {}", app.admin_token)).unwrap(),
            ),
            ("empty Bearer", HeaderValue::from_static("Bearer ")),
            ("Bearer alone", HeaderValue::from_static("Bearer")),
            (
                "the token without a scheme",
                HeaderValue::from_str(&app.admin_token).unwrap(),
            ),
            (
                "non-ASCII",
                HeaderValue::from_bytes(b"Bearer \xff\xfe\xc3(").unwrap(),
            ),
            (
                "garbage token",
                HeaderValue::from_static("Bearer not.a.jwt"),
            ),
            ("100 KB token", HeaderValue::from_str(&huge).unwrap()),
        ];
        for (case, value) in headers {
            let res = app
                .client
                .get(app.url(PROTECTED))
                .header(header::AUTHORIZATION, value)
                .send()
                .await
                .unwrap();
            assert_invalid_token(res, case).await;
        }
        // The scheme is case-insensitive, as RFC 7235 says.
        let res = app
            .client
            .get(app.url(PROTECTED))
            .header(header::AUTHORIZATION, format!("bearer {}", app.admin_token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }

    async fn an_unsigned_alg_none_token_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let kid = segment(&app.admin_token, 0)["kid"].clone();
        let claims = segment(&app.admin_token, 1);
        let head = json!({"alg": "none", "typ": "JWT", "kid": kid});
        let token = format!("{}.{}.", b64_json(&head), b64_json(&claims));
        assert_invalid_token(call(&app, &token).await, "alg none").await;
        let head = json!({"alg": "None", "typ": "JWT", "kid": kid});
        let token = format!("{}.{}.", b64_json(&head), b64_json(&claims));
        assert_invalid_token(call(&app, &token).await, "alg None").await;
        // The real signature kept, under a header claiming none.
        let signature = app.admin_token.rsplit('.').next().unwrap();
        let head = json!({"alg": "none", "typ": "JWT", "kid": kid});
        let token = format!("{}.{}.{signature}", b64_json(&head), b64_json(&claims));
        assert_invalid_token(call(&app, &token).await, "alg none, signature kept").await;
    }

    async fn an_hs256_token_keyed_with_the_public_key_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let jwks = jwks(&app).await;
        let key = &jwks["keys"][0];
        let kid = key["kid"].as_str().unwrap();
        let public = URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap();
        let claims = segment(&app.admin_token, 1);
        for secret in [
            public.clone(),
            key["x"].as_str().unwrap().as_bytes().to_vec(),
        ] {
            let token = sign(
                &EncodingKey::from_secret(&secret),
                Algorithm::HS256,
                Some(kid),
                &claims,
            );
            assert_invalid_token(call(&app, &token).await, "HS256").await;
        }
    }

    async fn a_token_signed_by_another_key_under_the_real_kid_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let kid = segment(&app.admin_token, 0)["kid"]
            .as_str()
            .unwrap()
            .to_owned();
        let (other, _) = ed25519_key();
        let mut claims = segment(&app.admin_token, 1);
        claims["jti"] = json!(uuid::Uuid::new_v4().to_string());
        let token = sign(&other, Algorithm::EdDSA, Some(&kid), &claims);
        assert_invalid_token(call(&app, &token).await, "foreign key").await;
        // The real token's signature spliced onto another header is no good either.
        let mut parts: Vec<&str> = app.admin_token.split('.').collect();
        let head = b64_json(&json!({"alg": "EdDSA", "kid": kid, "typ": "JWT", "cty": "x"}));
        parts[0] = &head;
        assert_invalid_token(call(&app, &parts.join(".")).await, "header altered").await;
    }

    async fn a_token_with_an_unknown_or_missing_kid_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let (other, _) = ed25519_key();
        let claims = segment(&app.admin_token, 1);
        let unknown = sign(&other, Algorithm::EdDSA, Some("0123456789abcdef"), &claims);
        assert_invalid_token(call(&app, &unknown).await, "unknown kid").await;
        let missing = sign(&other, Algorithm::EdDSA, None, &claims);
        assert_invalid_token(call(&app, &missing).await, "no kid").await;
    }

    async fn a_token_minted_with_the_exchange_key_is_accepted(backend: Backend) {
        let forger = Forger::spawn(backend).await;
        let token = forger.mint(&kemensos_claims());
        assert_eq!(call(&forger.app, &token).await.status(), 200);
        // Within the 30 s leeway: just expired, or valid from a few seconds ahead.
        let mut claims = kemensos_claims();
        claims["exp"] = json!(now() - 10);
        assert_eq!(call(&forger.app, &forger.mint(&claims)).await.status(), 200);
        let mut claims = kemensos_claims();
        claims["nbf"] = json!(now() + 10);
        assert_eq!(call(&forger.app, &forger.mint(&claims)).await.status(), 200);
    }

    async fn expired_and_not_yet_valid_tokens_are_refused(backend: Backend) {
        let forger = Forger::spawn(backend).await;
        let now = now();
        let mut expired = kemensos_claims();
        expired["iat"] = json!(now - 1500);
        expired["nbf"] = json!(now - 1500);
        expired["exp"] = json!(now - 600);
        let answer = call(&forger.app, &forger.mint(&expired)).await;
        let detail = problem_detail_of_invalid_token(answer, "expired").await;
        let at = chrono::DateTime::from_timestamp(now - 600, 0)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert_eq!(
            detail,
            format!("the access token expired at {at}; request a new one from /oauth/token")
        );
        let mut early = kemensos_claims();
        early["nbf"] = json!(now + 600);
        early["exp"] = json!(now + 900);
        assert_invalid_token(
            call(&forger.app, &forger.mint(&early)).await,
            "not yet valid",
        )
        .await;
    }

    async fn tokens_with_foreign_missing_or_unreadable_claims_are_refused(backend: Backend) {
        let forger = Forger::spawn(backend).await;
        // Each refusal says which check failed.
        for (claim, value, said) in [
            ("aud", json!("another-api"), "the access token is meant for another API than this exchange's"),
            ("iss", json!("someone-else"), "the access token was not issued by this exchange"),
        ] {
            let mut claims = kemensos_claims();
            claims[claim] = value;
            let detail = problem_detail_of_invalid_token(
                call(&forger.app, &forger.mint(&claims)).await, claim).await;
            assert_eq!(detail, said);
        }
        let mut claims = kemensos_claims();
        claims.as_object_mut().unwrap().remove("nbf");
        let detail = problem_detail_of_invalid_token(
            call(&forger.app, &forger.mint(&claims)).await, "without nbf").await;
        assert_eq!(detail, "the access token lacks a claim the exchange writes, or one cannot be read");
        for (claim, value) in [
            ("sub", json!("no-such-client")),
            ("aud", json!("another-api")),
            ("aud", json!(["another-api"])),
            ("iss", json!("someone-else")),
            ("iss", json!("Sinergi")),
        ] {
            let mut claims = kemensos_claims();
            claims[claim] = value.clone();
            let case = format!("{claim} = {value}");
            assert_invalid_token(call(&forger.app, &forger.mint(&claims)).await, &case).await;
        }
        for missing in ["exp", "nbf", "iat", "iss", "aud", "sub"] {
            let mut claims = kemensos_claims();
            claims.as_object_mut().unwrap().remove(missing);
            let case = format!("without {missing}");
            assert_invalid_token(call(&forger.app, &forger.mint(&claims)).await, &case).await;
        }
        // Claims of the exchange's own making that it cannot read.
        for (claim, value) in [
            ("agency", json!("kemensos")),
            ("scope", json!("graduations:delete")),
        ] {
            let mut claims = kemensos_claims();
            claims[claim] = value;
            let case = format!("bad {claim}");
            assert_invalid_token(call(&forger.app, &forger.mint(&claims)).await, &case).await;
        }
    }

    async fn a_token_whose_payload_was_altered_is_refused(backend: Backend) {
        let forger = Forger::spawn(backend).await;
        let mut claims = kemensos_claims();
        claims["scope"] = json!("graduations:read");
        let token = forger.mint(&claims);
        assert_eq!(call(&forger.app, &token).await.status(), 200);
        let parts: Vec<&str> = token.split('.').collect();
        claims["sub"] = json!("demo-admin");
        claims["scope"] = json!(ALL_SCOPES);
        let altered = format!("{}.{}.{}", parts[0], b64_json(&claims), parts[2]);
        assert_invalid_token(call(&forger.app, &altered).await, "altered payload").await;
        // One flipped bit of the signature.
        let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        signature[10] ^= 1;
        let flipped = format!(
            "{}.{}.{}",
            parts[0],
            parts[1],
            URL_SAFE_NO_PAD.encode(signature)
        );
        assert_invalid_token(call(&forger.app, &flipped).await, "flipped signature").await;
    }

    async fn a_token_of_a_client_disabled_after_issuance_stops_working_within_seconds(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let token = app.token("demo-kemensos", None).await;
        assert_eq!(call(&app, &token).await.status(), 200);
        assert!(sinergi::db::clients::set_disabled(&mut app.db.connect(), "demo-kemensos", true).unwrap());
        let started = Instant::now();
        let refused = poll(Duration::from_secs(5), || async {
            let res = call(&app, &token).await;
            match res.status().as_u16() {
                401 => Some(res),
                200 => None,
                other => panic!("unexpected status {other}"),
            }
        })
        .await
        .unwrap_or_else(|| panic!("still accepted {:?} after disabling", started.elapsed()));
        assert_invalid_token(refused, "disabled client").await;
        // Other clients are unaffected.
        assert_eq!(app.get(PROTECTED).await.status(), 200);
    }

    async fn a_token_without_the_scope_is_forbidden_with_insufficient_scope(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token("demo-kemensos", None).await;
        let res = app
            .client
            .get(app.url("/v1/admin/clients"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let challenge = res.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            challenge.starts_with("Bearer realm=\"sinergi\""),
            "{challenge}"
        );
        assert!(
            challenge.contains("error=\"insufficient_scope\""),
            "{challenge}"
        );
        assert!(challenge.contains("scope=\"admin\""), "{challenge}");
        let body = problem(res, 403).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:insufficient-scope");
        // The admin token reaches the same endpoint.
        assert_eq!(app.get("/v1/admin/clients").await.status(), 200);
    }

    // ---- Signing keys ----

    async fn after_a_key_rotation_both_keys_are_published_and_old_tokens_keep_working(
        backend: Backend
    ) {
        let forger = Forger::spawn(backend).await;
        let app = &forger.app;
        let old_token = app.token("demo-kemensos", None).await;
        assert_eq!(segment(&old_token, 0)["kid"], forger.kid.as_str());
        assert_eq!(jwks_kids(&jwks(app).await), [forger.kid.as_str()]);

        let new_kid =
            sinergi::auth::keys::rotate(&mut app.db.connect(), &forger.kek, now()).unwrap();
        assert_ne!(new_kid, forger.kid);

        let both = poll(Duration::from_secs(7), || async {
            let kids = jwks_kids(&jwks(app).await);
            (kids.len() == 2).then_some(kids)
        })
        .await
        .expect("the JWKS lists both keys within the refresh interval");
        assert!(
            both.contains(&forger.kid) && both.contains(&new_kid),
            "{both:?}"
        );
        assert_eq!(call(app, &old_token).await.status(), 200);
        let new_token = app.token("demo-kemensos", None).await;
        assert_eq!(segment(&new_token, 0)["kid"], new_kid.as_str());
        assert_eq!(call(app, &new_token).await.status(), 200);
        // Tokens of the retired key that are still within their lifetime keep verifying.
        assert_eq!(
            call(app, &forger.mint(&kemensos_claims())).await.status(),
            200
        );
    }

    // ---- Rate limits ----

    async fn a_client_over_its_request_rate_gets_429_while_others_are_served(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        // A slow refill, so that the quick requests below cannot earn a new token meanwhile.
        let app = spawn_with(db, |s| {
            s.rate_per_second = 0.2;
            s.rate_burst = 3;
        })
        .await;
        let token = app.token("demo-kemensos", None).await;
        for i in 0..3 {
            assert_eq!(call(&app, &token).await.status(), 200, "request {i}");
        }
        assert_too_many(call(&app, &token).await, "a fourth request").await;
        // Another client has its own allowance.
        assert_eq!(app.get(PROTECTED).await.status(), 200);
    }

    async fn the_third_quick_token_request_from_one_address_gets_429(backend: Backend) {
        // No demo data at start, so that the harness asks for no token of its own.
        let app = spawn_with(TestDb::new(backend), |s| {
            s.token_rate_per_second = 0.05;
            s.token_rate_burst = 2;
        })
        .await;
        sinergi::demo::seed(&mut app.db.connect()).unwrap();
        // Three different clients: the limit is the address's, not a client's.
        for id in ["demo-kemensos", "demo-kemendes"] {
            let res = app
                .request_token(id, &sinergi::demo::demo_secret(id), None)
                .await;
            token_ok(res).await;
        }
        let res = app
            .request_token(
                "demo-kemenkop",
                &sinergi::demo::demo_secret("demo-kemenkop"),
                None,
            )
            .await;
        assert_too_many(res, "a third client's token").await;
        // Even a malformed request counts against, and is refused by, the address limit.
        let res = post_form(&app, &[("grant_type", "password")]).await;
        assert_eq!(res.status(), 429);
    }

    async fn wrong_secrets_from_many_sources_leave_the_right_secret_working(backend: Backend) {
        let app = spawn_limited(backend, |s| {
            s.token_rate_per_second = 0.01;
            s.token_rate_burst = 3;
            s.token_failure_rate_per_second = 0.01;
            s.token_failure_burst = 2;
            s.token_source_failure_rate_per_second = 0.01;
            s.token_source_failure_burst = 2;
        })
        .await;
        // 14 sources guess until each is throttled (see the next tests for when): 42 wrong
        // secrets, far over the 3 tokens the client may get.
        for n in 2..16 {
            let attacker = source(n);
            for _ in 0..3 {
                let res = token_request_from(&attacker, &app, "demo-kemensos", "sns_guess").await;
                assert!(matches!(res.status().as_u16(), 401 | 429), "{}", res.status());
            }
        }
        let res = token_request_from(
            &source(16),
            &app,
            "demo-kemensos",
            &sinergi::demo::demo_secret("demo-kemensos"),
        )
        .await;
        token_ok(res).await;
    }

    async fn a_steady_stream_of_wrong_secrets_does_not_keep_the_real_client_out(
        backend: Backend
    ) {
        let app = spawn_limited(backend, |s| {
            s.token_rate_per_second = 0.01;
            s.token_rate_burst = 12;
            s.token_failure_rate_per_second = 0.01;
            s.token_failure_burst = 2;
            s.token_source_failure_rate_per_second = 0.01;
            s.token_source_failure_burst = 2;
        })
        .await;
        let client = source(2);
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        let mut attacker = 100;
        for round in 0..10 {
            // Three wrong secrets from fresh sources before each of the client's requests:
            // 30 in all, over twice what the client may get.
            for _ in 0..3 {
                attacker += 1;
                let res =
                    token_request_from(&source(attacker), &app, "demo-kemensos", "sns_guess").await;
                assert!(matches!(res.status().as_u16(), 401 | 429), "{}", res.status());
            }
            let res = token_request_from(&client, &app, "demo-kemensos", &secret).await;
            assert_eq!(res.status(), 200, "round {round}");
        }
    }

    async fn a_source_that_keeps_failing_is_throttled_and_no_other(backend: Backend) {
        let app = spawn_limited(backend, |s| {
            s.token_rate_per_second = 0.01;
            s.token_rate_burst = 100;
            s.token_failure_rate_per_second = 0.01;
            s.token_failure_burst = 3;
            s.token_source_failure_rate_per_second = 0.01;
            s.token_source_failure_burst = 5;
        })
        .await;
        let guesser = source(2);
        for _ in 0..3 {
            let res = token_request_from(&guesser, &app, "demo-kemensos", "sns_guess").await;
            oauth_error(res, 401, "invalid_client").await;
        }
        let res = token_request_from(&guesser, &app, "demo-kemensos", "sns_guess").await;
        assert_too_many(res, "a fourth guess for one client").await;
        // Throttled for that client id, whatever it sends: the secret is not even checked.
        let right = sinergi::demo::demo_secret("demo-kemensos");
        let res = token_request_from(&guesser, &app, "demo-kemensos", &right).await;
        assert_too_many(res, "the right secret from the throttled source").await;
        // Spreading its guesses over client ids, it is throttled for all of them.
        for id in ["demo-kemendes", "no-such-client"] {
            let res = token_request_from(&guesser, &app, id, "sns_guess").await;
            oauth_error(res, 401, "invalid_client").await;
        }
        let res = token_request_from(&guesser, &app, "demo-kemenkop", "sns_guess").await;
        assert_too_many(res, "a guess for a third client id").await;
        // Another source is not affected.
        token_ok(token_request_from(&source(3), &app, "demo-kemensos", &right).await).await;
    }

    async fn tokens_per_client_stay_limited_whatever_the_source(backend: Backend) {
        let app = spawn_limited(backend, |s| {
            s.token_rate_per_second = 0.01;
            s.token_rate_burst = 2;
        })
        .await;
        let secret = sinergi::demo::demo_secret("demo-kemensos");
        for n in 2..4 {
            token_ok(token_request_from(&source(n), &app, "demo-kemensos", &secret).await).await;
        }
        let res = token_request_from(&source(4), &app, "demo-kemensos", &secret).await;
        assert_too_many(res, "a third token for one client").await;
    }
}
