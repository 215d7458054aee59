//! The audit log end to end, on both backends: every request leaves exactly one entry that
//! says what happened, writes commit their entry with the data, the auditor's API filters,
//! pages, exports and proves, the proofs and the signed checkpoints check out against an
//! RFC 9162 implementation written here, `sinergi audit verify` catches a tampered
//! database, the log refuses changes, and a request whose entry cannot be stored is 503.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::common::answer::{Answer, answer};
use crate::common::audit::settle;
use crate::common::cli::audit_verify;
use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{AUDITOR, HEAD, KEMENDES, KEMENSOS, KK, WIFE, graduation, nik};
use crate::common::rfc9162::{
    Hash, ind_leaf, ind_mth, ind_path, ind_proof, rfc_verify_consistency, rfc_verify_inclusion,
    sha256,
};
use crate::common::{Backend, TestApp, TestDb, spawn_app, spawn_with};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use diesel::prelude::*;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use sinergi::audit::log_keys::AuditKeys;
use sinergi::auth::secrets::KeyEncryptionKey;

/// The fields of every entry, and no others.
/// The fields every entry has.
const ENTRY_FIELDS: [&str; 13] = [
    "agency",
    "client_id",
    "index",
    "latency_us",
    "method",
    "nik_hashes",
    "outcome",
    "purpose",
    "record_ids",
    "request_id",
    "route",
    "status",
    "time",
];

/// The fields added later, left out when empty: the KKs' hashes, the source address (every
/// request's entry has one, a webhook delivery's none), the count of an aggregate, and the
/// agreements a request relied on or, for a change of one, the agreement as it left it.
const LATER_FIELDS: [&str; 5] = [
    "aggregate",
    "agreement",
    "agreements",
    "kk_hashes",
    "source_address",
];

const PURPOSE: &str = "Verifikasi calon peserta program pemberdayaan";
const AUDIT_PURPOSE: &str = "Pemeriksaan jejak pemrosesan data";

/// The origin, size and root of a C2SP signed checkpoint whose Ed25519 signature verifies
/// under the note verifier key `public_key` (`<name>+<hash>+<base64(0x01 ‖ key)>`), checked
/// from the C2SP specifications rather than with the crate's note code.
fn open_checkpoint(note: &str, public_key: &str) -> (String, u64, Hash) {
    let (name, rest) = public_key
        .trim_end()
        .split_once('+')
        .expect("name+hash+key");
    let (hash_hex, key_b64) = rest.split_once('+').expect("name+hash+key");
    let key_bytes = STANDARD.decode(key_b64).unwrap();
    assert_eq!(key_bytes[0], 0x01, "an Ed25519 key");
    let key = VerifyingKey::from_bytes(&key_bytes[1..].try_into().unwrap()).unwrap();
    let key_hash = &sha256(&[name.as_bytes(), b"\n", &key_bytes])[..4];
    assert_eq!(hash_hex, hex(key_hash), "{public_key}");

    let (text, signatures) = note
        .split_once("\n\n")
        .expect("text, blank line, signatures");
    let text = format!("{text}\n");
    let mut verified = 0;
    for line in signatures.lines() {
        let (signer, signature) = line
            .strip_prefix("\u{2014} ")
            .and_then(|l| l.split_once(' '))
            .unwrap_or_else(|| panic!("a signature line: {line:?}"));
        let signature = STANDARD.decode(signature).unwrap();
        if signer == name && signature[..4] == *key_hash {
            let signature = Signature::from_slice(&signature[4..]).unwrap();
            key.verify_strict(text.as_bytes(), &signature)
                .expect("the checkpoint's signature verifies");
            verified += 1;
        }
    }
    assert_eq!(verified, 1, "one signature by the log's key: {note}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "origin, size, root: {note}");
    let root: Hash = STANDARD.decode(lines[2]).unwrap().try_into().unwrap();
    (lines[0].to_owned(), lines[1].parse().unwrap(), root)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hashes(value: &Value) -> Vec<Hash> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("no hashes: {value}"))
        .iter()
        .map(|h| {
            STANDARD
                .decode(h.as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Requests and the log.
// ---------------------------------------------------------------------------

/// Sends `req` under a request id of its own and returns the answer and that id.
async fn traced(req: reqwest::RequestBuilder) -> (Answer, String) {
    let id = format!("audit-test-{}", uuid::Uuid::new_v4().simple());
    let a = answer(
        req.header("x-request-id", &id)
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(a.header("x-request-id"), Some(id.as_str()), "{}", a.body);
    (a, id)
}

/// A GET with `token` (none when `None`) and the extra `headers`, under its own request id.
async fn traced_get(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    headers: &[(&str, &str)],
) -> (Answer, String) {
    let mut req = app.client.get(app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    traced(req).await
}

async fn traced_post(app: &TestApp, token: &str, path: &str, body: &Value) -> (Answer, String) {
    traced(app.client.post(app.url(path)).bearer_auth(token).json(body)).await
}

async fn traced_token_request(app: &TestApp, client_id: &str, secret: &str) -> (Answer, String) {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ];
    traced(app.client.post(app.url("/oauth/token")).form(&form)).await
}

/// Every entry matching `query` (a query string without `limit`), in one page.
async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    settle(app).await;
    let path = format!("/v1/audit/entries?{query}&limit=1000");
    let res = app
        .client
        .get(app.url(&path))
        .bearer_auth(&app.admin_token)
        // A look-up by NIK or KK must say why.
        .header("Sinergi-Purpose", AUDIT_PURPOSE)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    assert_eq!(body["next_cursor"], Value::Null, "{path}: {body}");
    let items = body["items"].as_array().unwrap().clone();
    for entry in &items {
        assert_well_formed(entry);
    }
    items
}

/// The one entry of the request with this id.
async fn the_entry_of(app: &TestApp, request_id: &str) -> Value {
    let found = entries(app, &format!("request_id={request_id}")).await;
    assert_eq!(
        found.len(),
        1,
        "exactly one entry for {request_id}: {found:?}"
    );
    found.into_iter().next().unwrap()
}

/// The requests counted by aggregate entries of anonymous requests to `route` (`null` for
/// no route) answered with `status`, once at least `expected` are counted (their window,
/// one second in these tests, must end first). Each such request has no entry of its own.
async fn counted_anonymously(app: &TestApp, route: Option<&str>, status: u16, expected: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let query = match route {
            Some(route) => format!("route={route}&outcome={}", outcome_of(status)),
            None => format!("outcome={}", outcome_of(status)),
        };
        let counted: u64 = entries(app, &query)
            .await
            .iter()
            .filter(|e| e["status"] == status && e["route"] == json!(route))
            .filter_map(|e| {
                let aggregate = e.get("aggregate")?;
                assert_eq!(e["client_id"], Value::Null, "{e}");
                assert_eq!(e["source_address"], "127.0.0.1", "{e}");
                aggregate["requests"].as_u64()
            })
            .sum();
        if counted >= expected {
            assert_eq!(counted, expected, "{route:?} {status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{counted} of {expected} anonymous requests to {route:?} counted with {status}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

fn outcome_of(status: u16) -> &'static str {
    match status {
        401 | 403 | 429 => "denied",
        400..=499 => "invalid",
        500.. => "failed",
        _ => "allowed",
    }
}

fn assert_well_formed(entry: &Value) {
    let fields: BTreeSet<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let required = BTreeSet::from(ENTRY_FIELDS);
    assert!(fields.is_superset(&required), "{entry}");
    assert!(
        fields
            .difference(&required)
            .all(|f| LATER_FIELDS.contains(f)),
        "{entry}"
    );
    assert!(entry["index"].is_u64(), "{entry}");
    assert!(entry["latency_us"].is_u64(), "{entry}");
    chrono::DateTime::parse_from_rfc3339(entry["time"].as_str().unwrap()).expect("an instant");
    let hashes = entry["nik_hashes"].as_array().unwrap().iter().chain(
        entry
            .get("kk_hashes")
            .map_or(&[][..], |h| h.as_array().unwrap()),
    );
    for hash in hashes {
        let hash = hash.as_str().unwrap();
        assert!(
            hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{entry}"
        );
    }
    assert!(entry["record_ids"].is_array(), "{entry}");
}

/// Checks the fields named in `expected`, and that the status and outcome agree.
fn assert_entry(entry: &Value, expected: Value, what: &str) {
    for (field, value) in expected.as_object().unwrap() {
        assert_eq!(&entry[field], value, "{what}: {field} of {entry}");
    }
    let outcome = match entry["status"].as_u64().unwrap() {
        401 | 403 | 429 => "denied",
        400..=499 => "invalid",
        500.. => "failed",
        _ => "allowed",
    };
    assert_eq!(entry["outcome"], outcome, "{what}: {entry}");
}

/// A text answer: status, content type and body.
async fn get_text(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, res.text().await.unwrap())
}

/// The latest checkpoint and its size, waiting until it covers at least `size` entries.
async fn checkpoint_of_at_least(app: &TestApp, size: u64) -> (String, u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, note) = get_text(app, "/v1/audit/checkpoint").await;
        if status == 200 {
            let signed: u64 = note.lines().nth(1).unwrap().parse().unwrap();
            if signed >= size {
                return (note, signed);
            }
        }
        assert!(
            Instant::now() < deadline,
            "no checkpoint of size {size} after 10 s"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The export's lines `0..to`, each exactly the bytes of its leaf.
async fn export(app: &TestApp, to: u64) -> Vec<String> {
    let (status, content_type, text) = get_text(app, &format!("/v1/audit/export?to={to}")).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(content_type, "application/x-ndjson");
    assert!(text.ends_with('\n'), "every line ends with a newline");
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert_eq!(lines.len() as u64, to);
    lines
}

async fn public_key(app: &TestApp) -> String {
    let (status, _, key) = get_text(app, "/v1/audit/public-key").await;
    assert_eq!(status, 200, "{key}");
    key
}

/// A server whose key-encryption key the test knows: the server, the audit keys derived
/// from it, and the key in base64.
async fn spawn_keyed(backend: Backend) -> (TestApp, AuditKeys, String) {
    let kek = KeyEncryptionKey::generate();
    let keys = AuditKeys::new(&kek, sinergi::audit::DEFAULT_ORIGIN).unwrap();
    let db = TestDb::new(backend);
    sinergi::demo::seed(&mut db.connect()).unwrap();
    let kek_text = kek.to_base64();
    let setting = kek_text.clone();
    let app = spawn_with(db, move |s| s.key_encryption_key = Some(setting)).await;
    (app, keys, kek_text)
}

fn execute(conn: &mut sinergi::db::AnyConnection, sql: &str) -> QueryResult<usize> {
    diesel::sql_query(sql).execute(conn)
}

/// Makes every insert into the audit queue fail, as a full disk or a lost table would.
fn take_the_queue_down(conn: &mut sinergi::db::AnyConnection, backend: Backend) {
    let statements: &[&str] = match backend {
        Backend::Sqlite => &[
            "CREATE TRIGGER test_queue_down BEFORE INSERT ON audit_queue \
             BEGIN SELECT RAISE(ABORT, 'the audit queue is down'); END",
        ],
        Backend::Postgres => &[
            "CREATE FUNCTION test_queue_down() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'the audit queue is down'; END $$",
            "CREATE TRIGGER test_queue_down BEFORE INSERT ON audit_queue \
             FOR EACH ROW EXECUTE FUNCTION test_queue_down()",
        ],
    };
    for sql in statements {
        execute(conn, sql).unwrap();
    }
}

fn bring_the_queue_back(conn: &mut sinergi::db::AnyConnection, backend: Backend) {
    let sql = match backend {
        Backend::Sqlite => "DROP TRIGGER test_queue_down",
        Backend::Postgres => "DROP TRIGGER test_queue_down ON audit_queue",
    };
    execute(conn, sql).unwrap();
}

fn assert_audit_unavailable(a: &Answer, what: &str) {
    assert_problem(a, 503, what);
    assert_eq!(
        a.body["type"], "urn:sinergi:problem:audit-unavailable",
        "{what}: {}",
        a.body
    );
    assert!(
        !a.body.to_string().contains("queue is down"),
        "{what}: {}",
        a.body
    );
    assert!(a.header("retry-after").is_some(), "{what}");
}

fn record_count(app: &TestApp) -> i64 {
    use sinergi::db::schema::records;
    records::table
        .count()
        .get_result(&mut app.db.connect())
        .unwrap()
}

fn demo_secret(client_id: &str) -> String {
    sinergi::demo::demo_secret(client_id)
}

fn sorted_hashes(keys: &AuditKeys, niks: &[&str]) -> Vec<String> {
    niks.iter()
        .map(|n| keys.nik_hash(n))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn run_verify(dir: &std::path::Path, previous: &[String]) -> std::process::Output {
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    audit_verify(dir, &previous).output().unwrap()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

both_backends! {
    async fn every_outcome_leaves_exactly_one_entry_saying_what_happened(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        let app = spawn_with(db, |s| s.audit_anonymous_window_secs = 1).await;
        let kemensos = app.token(KEMENSOS, None).await;

        let (a, id) = traced_get(
            &app,
            Some(&kemensos),
            "/v1/graduations?region=32.01",
            &[("Sinergi-Purpose", PURPOSE)],
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let entry = the_entry_of(&app, &id).await;
        assert_entry(
            &entry,
            json!({
                "request_id": id, "client_id": KEMENSOS, "agency": "KEMENSOS",
                "purpose": PURPOSE, "method": "GET", "route": "/v1/graduations",
                "status": 200, "outcome": "allowed", "record_ids": [], "nik_hashes": [],
            }),
            "an allowed read",
        );
        let by_purpose = entries(&app, &format!("purpose={}", PURPOSE.replace(' ', "%20"))).await;
        assert_eq!(by_purpose, std::slice::from_ref(&entry));

        // A request that names no client is counted, not recorded alone (the aggregates
        // are checked below).
        let (a, id) = traced_get(&app, None, "/v1/graduations", &[]).await;
        assert_problem(&a, 401, "no token");
        assert_eq!(entries(&app, &format!("request_id={id}")).await, Vec::<Value>::new());

        let narrow = app.token(KEMENSOS, Some("enrollments:read")).await;
        let (a, id) = traced_get(&app, Some(&narrow), "/v1/graduations", &[]).await;
        assert_problem(&a, 403, "a token without graduations:read");
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "agency": "KEMENSOS", "route": "/v1/graduations",
                "status": 403, "outcome": "denied",
            }),
            "a token without the scope",
        );

        let (a, id) = traced_get(&app, Some(&kemensos), "/v1/graduations?colour=red", &[]).await;
        // A name the schema does not have could be anything a client typed: not repeated.
        assert_invalid(&a, &["#/query"], "an unknown filter");
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "route": "/v1/graduations", "status": 400,
                "outcome": "invalid",
            }),
            "an invalid query",
        );

        let long = "x".repeat(201);
        for purpose in ["kontrol\tkarakter", long.as_str()] {
            let (a, id) = traced_get(
                &app,
                Some(&kemensos),
                "/v1/graduations",
                &[("Sinergi-Purpose", purpose)],
            )
            .await;
            assert_invalid(&a, &["#/header/Sinergi-Purpose"], purpose);
            // Refused before the token is looked at: nobody is named, so it is counted.
            assert_eq!(entries(&app, &format!("request_id={id}")).await, Vec::<Value>::new());
        }
        // A blank header declares nothing (src/audit/recorder.rs, `purpose`).
        let (a, id) =
            traced_get(&app, Some(&kemensos), "/v1/graduations", &[("Sinergi-Purpose", "")]).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({"purpose": null, "status": 200}),
            "an empty purpose",
        );

        // A value that is not UTF-8 is read as ISO-8859-1, where 0x85 is a control character.
        let latin1 = |bytes: &'static [u8]| {
            app.client
                .get(app.url("/v1/graduations"))
                .bearer_auth(&kemensos)
                .header("Sinergi-Purpose", reqwest::header::HeaderValue::from_bytes(bytes).unwrap())
        };
        let (a, id) = traced(latin1(b"Verifikasi caf\xe9")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({"purpose": "Verifikasi caf\u{e9}", "status": 200}),
            "an ISO-8859-1 purpose",
        );
        let (a, _) = traced(latin1(b"Verifikasi \x85 calon")).await;
        assert_invalid(&a, &["#/header/Sinergi-Purpose"], "a C1 control character");
        counted_anonymously(&app, Some("/v1/graduations"), 400, 3).await;
        counted_anonymously(&app, Some("/v1/graduations"), 401, 1).await;

        // The liveness probe alone is not recorded; readiness is.
        for path in sinergi::http::recorder::UNRECORDED {
            let (a, id) = traced_get(&app, None, path, &[]).await;
            assert_eq!(a.status, 200, "{path}: {}", a.body);
            assert_eq!(entries(&app, &format!("request_id={id}")).await, Vec::<Value>::new());
        }
        let (a, _) = traced_get(&app, None, "/readyz", &[]).await;
        assert_eq!(a.status, 200, "{}", a.body);
        counted_anonymously(&app, Some("/readyz"), 200, 1).await;

        let missing = uuid::Uuid::now_v7();
        let (a, id) =
            traced_get(&app, Some(&kemensos), &format!("/v1/graduations/{missing}"), &[]).await;
        assert_problem(&a, 404, "an unknown record");
        let entry = the_entry_of(&app, &id).await;
        assert_entry(
            &entry,
            json!({
                "client_id": KEMENSOS, "route": "/v1/graduations/{id}", "status": 404,
                "outcome": "invalid", "record_ids": [],
            }),
            "an unknown record",
        );
        assert!(!entry.to_string().contains(&missing.to_string()), "{entry}");

        // No route looks at the token of a request for a path that does not exist.
        let (a, _) = traced_get(&app, Some(&kemensos), "/v1/no/such/3201011507850003", &[]).await;
        assert_problem(&a, 404, "an unknown path");
        counted_anonymously(&app, None, 404, 1).await;

        let (a, id) = traced_token_request(&app, KEMENSOS, &demo_secret(KEMENSOS)).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "agency": "KEMENSOS", "method": "POST",
                "route": "/oauth/token", "status": 200, "outcome": "allowed",
            }),
            "a token issued",
        );

        let (a, id) = traced_token_request(&app, KEMENSOS, "not-the-secret").await;
        assert_eq!(a.status, 401, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "agency": "KEMENSOS", "route": "/oauth/token",
                "status": 401, "outcome": "denied",
            }),
            "a wrong secret",
        );

        let (a, id) = traced_token_request(&app, "someone-typed-this", "whatever").await;
        assert_eq!(a.status, 401, "{}", a.body);
        assert_eq!(entries(&app, &format!("request_id={id}")).await, Vec::<Value>::new());
        counted_anonymously(&app, Some("/oauth/token"), 401, 1).await;
        let everything = entries(&app, "from=2000-01-01T00:00:00Z").await;
        assert!(!Value::from(everything).to_string().contains("someone-typed-this"));

        // Last: the lost table breaks what follows.
        let cascade = if backend == Backend::Postgres { " CASCADE" } else { "" };
        execute(&mut app.db.connect(), &format!("DROP TABLE programs{cascade}")).unwrap();
        let (a, id) = traced_get(&app, Some(&app.admin_token), "/v1/programs", &[]).await;
        assert_problem(&a, 500, "a lost table");
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": "demo-admin", "route": "/v1/programs", "status": 500,
                "outcome": "failed",
            }),
            "a 500",
        );
    }

    async fn a_client_over_its_rate_is_recorded_as_denied(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        // A slow refill, so that the quick requests below cannot earn a new allowance.
        let app = spawn_with(db, |s| {
            s.rate_per_second = 0.2;
            s.rate_burst = 2;
        })
        .await;
        let kemensos = app.token(KEMENSOS, None).await;
        for _ in 0..2 {
            let (a, _) = traced_get(&app, Some(&kemensos), "/v1/programs", &[]).await;
            assert_eq!(a.status, 200, "{}", a.body);
        }
        let (a, id) = traced_get(&app, Some(&kemensos), "/v1/programs", &[]).await;
        assert_problem(&a, 429, "over the rate");
        // The admin has its own allowance, enough for this one query.
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "agency": "KEMENSOS", "route": "/v1/programs",
                "status": 429, "outcome": "denied",
            }),
            "a 429",
        );
    }

    async fn a_write_is_recorded_with_its_records_and_the_keyed_hashes_of_their_niks(
        backend: Backend
    ) {
        let (app, keys, _) = spawn_keyed(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;

        let (a, id) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-1")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        let record = a.body["id"].as_str().unwrap().to_owned();
        let household = sorted_hashes(&keys, &[HEAD, WIFE]);
        let entry = the_entry_of(&app, &id).await;
        assert_entry(
            &entry,
            json!({
                "client_id": KEMENSOS, "agency": "KEMENSOS", "method": "POST",
                "route": "/v1/graduations", "status": 201, "outcome": "allowed",
                "record_ids": [record], "nik_hashes": household,
            }),
            "a publish",
        );
        for query in [
            format!("nik={HEAD}"),
            format!("nik={WIFE}"),
            format!("record_id={record}"),
        ] {
            let found = entries(&app, &format!("{query}&route=/v1/graduations")).await;
            assert_eq!(found, std::slice::from_ref(&entry), "{query}");
        }

        // Reading the record discloses it, even when answered 304.
        let path = format!("/v1/graduations/{record}");
        let etag = a.header("etag").unwrap().to_owned();
        let reads = [
            (path.clone(), None, 200, "/v1/graduations/{id}"),
            (path.clone(), Some(etag), 304, "/v1/graduations/{id}"),
            (format!("{path}/history"), None, 200, "/v1/graduations/{id}/history"),
        ];
        for (path, etag, status, route) in reads {
            let mut req = app.client.get(app.url(&path)).bearer_auth(&kemensos);
            if let Some(etag) = etag {
                req = req.header("if-none-match", etag);
            }
            let (a, id) = traced(req).await;
            assert_eq!(a.status, status, "{path}: {}", a.body);
            assert_entry(
                &the_entry_of(&app, &id).await,
                json!({
                    "route": route, "status": status, "outcome": "allowed",
                    "record_ids": [record], "nik_hashes": household,
                }),
                &path,
            );
        }

        let mut other = graduation("G-2");
        other["household"]["head_nik"] = json!(nik(41));
        other["member_niks"] = json!([nik(42)]);
        let (a, id) = traced_post(
            &app,
            &kemensos,
            "/v1/graduations/batch",
            &json!({"items": [graduation("G-1"), other]}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let ids: Vec<&str> = a.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids[0], record);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "route": "/v1/graduations/batch", "status": 200, "outcome": "allowed",
                "record_ids": ids,
                "nik_hashes": sorted_hashes(&keys, &[HEAD, WIFE, &nik(41), &nik(42)]),
            }),
            "a batch",
        );

        let (a, id) = traced(
            app.client
                .delete(app.url(&format!("/v1/graduations/{record}")))
                .bearer_auth(&kemensos),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let retraction = the_entry_of(&app, &id).await;
        assert_entry(
            &retraction,
            json!({
                "method": "DELETE", "route": "/v1/graduations/{id}", "status": 200,
                "outcome": "allowed", "record_ids": [record], "nik_hashes": household,
            }),
            "a retraction",
        );

        // One person's trail: every request that touched the head of the household, the
        // auditor's own look-up by that NIK above included.
        let (lookups, trail): (Vec<String>, Vec<String>) = entries(&app, &format!("nik={HEAD}"))
            .await
            .iter()
            .map(|e| e["route"].as_str().unwrap().to_owned())
            .partition(|route| route == "/v1/audit/entries");
        assert_eq!(lookups.len(), 1, "the look-up by NIK above");
        assert_eq!(
            trail,
            [
                "/v1/graduations",
                "/v1/graduations/{id}",
                "/v1/graduations/{id}",
                "/v1/graduations/{id}/history",
                "/v1/graduations/batch",
                "/v1/graduations/{id}",
            ]
        );
    }

    async fn a_rejected_write_leaves_its_entry_and_no_record(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;

        let mut invalid = graduation("G-BAD");
        invalid["graduated_on"] = json!("2026-02-30");
        let (a, id) = traced_post(&app, &kemensos, "/v1/graduations", &invalid).await;
        assert_invalid(&a, &["/graduated_on"], "an impossible date");
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENSOS, "method": "POST", "route": "/v1/graduations",
                "status": 400, "outcome": "invalid", "record_ids": [],
            }),
            "an invalid body",
        );

        let (a, id) =
            traced_post(&app, &kemendes, "/v1/graduations", &graduation("G-NOT-MINE")).await;
        assert_problem(&a, 403, "another agency's program");
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "client_id": KEMENDES, "agency": "KEMENDES", "route": "/v1/graduations",
                "status": 403, "outcome": "denied", "record_ids": [],
            }),
            "another agency's program",
        );
        assert_eq!(record_count(&app), 0);
    }

    async fn a_search_by_nik_is_findable_by_that_nik_and_no_nik_is_exported_in_clear(
        backend: Backend
    ) {
        let (app, keys, _) = spawn_keyed(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let (a, _) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-1")).await;
        assert_eq!(a.status, 201, "{}", a.body);

        let nobody = nik(77);
        let (a, id) =
            traced_get(&app, Some(&kemensos), &format!("/v1/graduations?nik={nobody}"), &[]).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.body["items"], json!([]));
        let entry = the_entry_of(&app, &id).await;
        assert_entry(
            &entry,
            json!({
                "route": "/v1/graduations", "status": 200, "record_ids": [],
                "nik_hashes": [keys.nik_hash(&nobody)],
            }),
            "a search that matched nothing",
        );
        assert_eq!(entries(&app, &format!("nik={nobody}")).await, [entry]);

        // A search that finds the household names the record and everyone returned.
        let (a, id) =
            traced_get(&app, Some(&kemensos), &format!("/v1/graduations?nik={WIFE}"), &[]).await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 1, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({
                "record_ids": [a.body["items"][0]["id"]],
                "nik_hashes": sorted_hashes(&keys, &[HEAD, WIFE]),
            }),
            "a search that found the household",
        );

        settle(&app).await;
        let (_, size) = checkpoint_of_at_least(&app, 1).await;
        let lines = export(&app, size).await;
        let text = lines.concat();
        for secret in [HEAD, WIFE, KK, nobody.as_str()] {
            assert!(!text.contains(secret), "{secret} in the export");
        }
        assert!(text.contains(&keys.nik_hash(&nobody)));
    }

    async fn a_kk_asked_for_written_or_returned_and_the_source_address_are_recorded(
        backend: Backend
    ) {
        let (app, keys, _) = spawn_keyed(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let (a, publish) =
            traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-KK")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        let record = a.body["id"].as_str().unwrap().to_owned();
        // KEMENDES reads Kemensos graduations under the demo agreement, for its purpose.
        let purpose = [("Sinergi-Purpose", "PEMBERDAYAAN_EKONOMI")];
        let (a, search) =
            traced_get(&app, Some(&kemendes), &format!("/v1/graduations?kk={KK}"), &purpose).await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 1, "{}", a.body);
        let nobody = "3201012308159999";
        let (_, miss) =
            traced_get(&app, Some(&kemendes), &format!("/v1/graduations?kk={nobody}"), &purpose)
                .await;
        let (a, read) =
            traced_get(&app, Some(&kemendes), &format!("/v1/graduations/{record}"), &purpose)
                .await;
        assert_eq!(a.status, 200, "{}", a.body);
        for (id, what) in [(&publish, "written"), (&search, "searched"), (&read, "returned")] {
            let entry = the_entry_of(&app, id).await;
            assert_eq!(entry["kk_hashes"], json!([keys.kk_hash(KK)]), "{what}: {entry}");
            assert_eq!(entry["source_address"], "127.0.0.1", "{what}: {entry}");
        }
        assert_eq!(
            the_entry_of(&app, &miss).await["kk_hashes"],
            json!([keys.kk_hash(nobody)]),
            "a KK asked for and not found"
        );
        // A KK's hash is not the hash of a NIK with the same digits.
        assert_ne!(keys.kk_hash(KK), keys.nik_hash(KK));
        // The family's trail: every request that touched its KK.
        let trail: BTreeSet<String> = entries(&app, &format!("kk={KK}"))
            .await
            .iter()
            .map(|e| e["request_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(trail, BTreeSet::from([publish, search, read]));
        let text = export(&app, checkpoint_of_at_least(&app, 1).await.1).await.concat();
        assert!(!text.contains(KK) && !text.contains(nobody));
    }

    async fn a_look_up_by_nik_needs_a_purpose_is_limited_and_joins_the_persons_trail(
        backend: Backend
    ) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        let app = spawn_with(db, |s| {
            s.audit_lookup_rate_per_second = 0.001;
            s.audit_lookup_rate_burst = 2;
        })
        .await;
        let auditor = app.token(AUDITOR, None).await;
        let person = nik(55);
        let lookup = format!("/v1/audit/entries?nik={person}");
        let purpose = [("Sinergi-Purpose", AUDIT_PURPOSE)];

        let (a, no_purpose) = traced_get(&app, Some(&auditor), &lookup, &[]).await;
        assert_invalid(&a, &["#/header/Sinergi-Purpose"], "a look-up without a purpose");
        let mut allowed = Vec::new();
        for _ in 0..2 {
            let (a, id) = traced_get(&app, Some(&auditor), &lookup, &purpose).await;
            assert_eq!(a.status, 200, "{}", a.body);
            allowed.push(id);
        }
        let (a, limited) = traced_get(&app, Some(&auditor), &lookup, &purpose).await;
        assert_problem(&a, 429, "a look-up over the allowance");
        assert!(a.header("retry-after").is_some());
        // Ordinary reads of the log are not held to it; other clients have allowances of their
        // own (the look-up below is the admin's).
        let (a, _) = traced_get(&app, Some(&auditor), "/v1/audit/entries?limit=1", &[]).await;
        assert_eq!(a.status, 200, "{}", a.body);

        // Each look-up, refused or not, is in the person's trail with its purpose.
        let trail = entries(&app, &format!("nik={person}")).await;
        let mine: Vec<&Value> = trail.iter().filter(|e| e["client_id"] == AUDITOR).collect();
        let ids: Vec<&str> = mine.iter().map(|e| e["request_id"].as_str().unwrap()).collect();
        let mut expected = vec![no_purpose.as_str()];
        expected.extend(allowed.iter().map(String::as_str));
        expected.push(&limited);
        assert_eq!(ids, expected);
        for entry in &mine {
            assert_eq!(entry["route"], "/v1/audit/entries", "{entry}");
        }
        assert_eq!(mine[0]["purpose"], Value::Null);
        assert_eq!(mine[1]["purpose"], AUDIT_PURPOSE);
        assert_eq!(mine[3]["status"], 429);
    }

    async fn proofs_from_the_api_verify_with_an_independent_rfc_9162_implementation(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        for _ in 0..40 {
            assert_eq!(app.get("/v1/audit/public-key").await.status(), 200);
        }
        let (note, size) = checkpoint_of_at_least(&app, 41).await;
        let lines = export(&app, size).await;
        for (i, line) in lines.iter().enumerate() {
            let entry: Value = serde_json::from_str(line).unwrap();
            assert_eq!(entry["index"], i as u64, "{line}");
        }
        let (status, _, part) = get_text(&app, "/v1/audit/export?from=3&to=7").await;
        assert_eq!(status, 200, "{part}");
        assert_eq!(part, format!("{}\n", lines[3..7].join("\n")));
        let leaves: Vec<Hash> = lines.iter().map(|l| ind_leaf(l.as_bytes())).collect();
        let root = |n: u64| ind_mth(&leaves[..n as usize]);

        let key = public_key(&app).await;
        let (origin, signed, signed_root) = open_checkpoint(&note, &key);
        assert_eq!((origin.as_str(), signed), ("sinergi/audit", size));
        assert_eq!(signed_root, root(size), "the checkpoint signs the export's root");

        let mut sizes: Vec<u64> = (1..=17).chain([31, 32, 33, size - 1, size]).collect();
        sizes.dedup();
        for &n in &sizes {
            let indexes: BTreeSet<u64> = [0, 1, n / 2, n.saturating_sub(2), n - 1]
                .into_iter()
                .filter(|i| *i < n)
                .collect();
            for i in indexes {
                let (status, body) = app
                    .get_json(&format!("/v1/audit/proofs/inclusion?index={i}&tree_size={n}"))
                    .await;
                assert_eq!(status, 200, "{body}");
                assert_eq!(
                    (body["index"].as_u64(), body["tree_size"].as_u64()),
                    (Some(i), Some(n))
                );
                let path = decode_hashes(&body["hashes"]);
                assert_eq!(path, ind_path(i as usize, &leaves[..n as usize]), "PATH({i}, D[{n}])");
                assert!(
                    rfc_verify_inclusion(i, n, leaves[i as usize], &path, root(n)),
                    "inclusion of {i} in {n}"
                );
            }
            for &m in sizes.iter().filter(|m| **m <= n) {
                let (status, body) = app
                    .get_json(&format!("/v1/audit/proofs/consistency?from={m}&to={n}"))
                    .await;
                assert_eq!(status, 200, "{body}");
                assert_eq!((body["from"].as_u64(), body["to"].as_u64()), (Some(m), Some(n)));
                let proof = decode_hashes(&body["hashes"]);
                if m == n {
                    assert!(proof.is_empty(), "{body}");
                    continue;
                }
                assert_eq!(
                    proof,
                    ind_proof(m as usize, &leaves[..n as usize]),
                    "PROOF({m}, D[{n}])"
                );
                assert!(
                    rfc_verify_consistency(m, n, root(m), root(n), &proof),
                    "consistency of {m} with {n}"
                );
            }
        }
    }

    async fn sinergi_audit_verify_accepts_a_real_export_and_names_a_tampered_entry(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        // One request at a time, each under its own checkpoint, so that an altered entry
        // can be pinned between two signed sizes.
        for _ in 0..12 {
            settle(&app).await;
            assert_eq!(app.get("/v1/programs").await.status(), 200);
        }
        settle(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();

        let key = public_key(&app).await;
        write("public-key", &key);
        let (status, _, note) = get_text(&app, "/v1/audit/checkpoint").await;
        assert_eq!(status, 200, "{note}");
        write("checkpoint", &note);
        let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
        let lines = export(&app, size).await;
        write("entries.ndjson", &format!("{}\n", lines.join("\n")));
        let mut previous = Vec::new();
        let mut signed = BTreeSet::new();
        for k in 1..size {
            let (status, _, earlier) =
                get_text(&app, &format!("/v1/audit/checkpoint?size={k}")).await;
            match status {
                200 => {
                    assert_eq!(earlier.lines().nth(1), Some(k.to_string().as_str()));
                    let name = format!("checkpoint-{k}");
                    write(&name, &earlier);
                    previous.push(name);
                    signed.insert(k);
                }
                404 => {}
                other => panic!("checkpoint of size {k}: {other} {earlier}"),
            }
        }

        let out = run_verify(dir.path(), &previous);
        assert!(out.status.success(), "{}", lossy(&out.stderr));
        assert!(
            lossy(&out.stdout).starts_with(&format!("OK: {size} entries")),
            "{}",
            lossy(&out.stdout)
        );

        // A checkpoint over the same entries signed by a key that is not the log's.
        let leaves: Vec<Hash> = lines.iter().map(|l| ind_leaf(l.as_bytes())).collect();
        let forged = sinergi::audit::checkpoint::sign(
            &sinergi::audit::checkpoint::Checkpoint::new("sinergi/audit", size, ind_mth(&leaves)),
            &SigningKey::from_bytes(&[9; 32]),
        )
        .unwrap();
        write("checkpoint", &forged);
        let out = run_verify(dir.path(), &[]);
        assert!(!out.status.success(), "a forged checkpoint verified");
        let stderr = lossy(&out.stderr);
        assert!(
            stderr.to_lowercase().contains("signature") || stderr.contains("key"),
            "{stderr}"
        );
        write("checkpoint", &note);

        // An entry of a 200 with checkpoints at its index and one past it, so that verify
        // can name it exactly.
        let k = (2..size)
            .find(|k| {
                signed.contains(k)
                    && (signed.contains(&(k + 1)) || k + 1 == size)
                    && lines[*k as usize].contains("\"status\":200")
            })
            .expect("consecutive checkpoints around a 200");
        let mut conn = app.db.connect();
        match backend {
            Backend::Sqlite => {
                execute(&mut conn, "DROP TRIGGER audit_entries_no_update").unwrap();
            }
            Backend::Postgres => {
                execute(&mut conn, "SET session_replication_role = replica").unwrap();
            }
        }
        let changed = execute(
            &mut conn,
            &format!(
                "UPDATE audit_entries \
                 SET entry = REPLACE(entry, '\"status\":200', '\"status\":403') \
                 WHERE entry_index = {k}"
            ),
        )
        .unwrap();
        assert_eq!(changed, 1);
        let tampered = export(&app, size).await;
        assert_ne!(tampered[k as usize], lines[k as usize]);
        assert!(sinergi::canonical_json::is_canonical(tampered[k as usize].as_bytes()));
        write("entries.ndjson", &format!("{}\n", tampered.join("\n")));

        let out = run_verify(dir.path(), &previous);
        assert!(!out.status.success(), "a tampered export verified");
        let stderr = lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("entry {k} (line {})", k + 1)),
            "entry {k} is not named: {stderr}"
        );
    }

    async fn sinergi_audit_verify_names_a_disclosure_whose_agreement_was_not_in_force(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let (a, _) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-1")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        let id = a.body["id"].as_str().unwrap();
        let read = app
            .client
            .get(app.url(&format!("/v1/graduations/{id}")))
            .bearer_auth(&kemendes)
            .header("Sinergi-Purpose", "PEMBERDAYAAN_EKONOMI: pendampingan usaha")
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), 200);
        settle(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("public-key", &public_key(&app).await);
        let (status, _, note) = get_text(&app, "/v1/audit/checkpoint").await;
        assert_eq!(status, 200, "{note}");
        write("checkpoint", &note);
        let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
        let lines = export(&app, size).await;
        write("entries.ndjson", &format!("{}\n", lines.join("\n")));

        let out = run_verify(dir.path(), &[]);
        assert!(out.status.success(), "{}", lossy(&out.stderr));
        let stdout = lossy(&out.stdout);
        assert!(
            stdout.contains("agreements: 1 disclosure(s) of another agency's records checked, 0 \
                without an agreement in force"),
            "{stdout}"
        );

        // The export edited so that the demo agreement the read relied on was suspended
        // when it was approved: the signatures no longer match, and the read is named.
        let approval = lines
            .iter()
            .position(|l| {
                l.contains("\"route\":\"sinergi serve --demo\"")
                    && l.contains("\"consumer_agency\":\"KEMENDES\"")
                    && l.contains("\"provider_agency\":\"KEMENSOS\"")
                    && l.contains("\"status\":\"active\"")
            })
            .expect("the demo agreement's approval in the log");
        let mut edited = lines.clone();
        edited[approval] = edited[approval].replace("\"status\":\"active\"", "\"status\":\"suspended\"");
        write("entries.ndjson", &format!("{}\n", edited.join("\n")));
        let out = run_verify(dir.path(), &[]);
        assert!(!out.status.success(), "an edited export verified");
        let stdout = lossy(&out.stdout);
        assert!(stdout.contains("1 without an agreement in force"), "{stdout}");
        assert!(
            stdout.contains("KEMENDES read 1 record(s) of KEMENSOS for purpose PEMBERDAYAAN_EKONOMI")
                && stdout.contains("was suspended at the time"),
            "{stdout}"
        );
        assert!(lossy(&out.stderr).starts_with("error: "), "{}", lossy(&out.stderr));
    }

    async fn the_database_refuses_to_change_or_remove_the_log(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let (a, _) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-1")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        settle(&app).await;

        let mut tables = vec![
            ("audit_entries", "outcome = 'allowed'"),
            ("audit_nodes", "hash = hash"),
            ("audit_checkpoints", "note = note"),
        ];
        if backend == Backend::Sqlite {
            // PostgreSQL keeps these in arrays on the entry's row.
            tables.extend([
                ("audit_entry_records", "record_id = record_id"),
                ("audit_entry_niks", "nik_hash = nik_hash"),
            ]);
        }
        let mut conn = app.db.connect();
        let count = |conn: &mut sinergi::db::AnyConnection, table: &str| {
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(conn)
                .unwrap()
                .n
        };
        let before: Vec<i64> = tables.iter().map(|(t, _)| count(&mut conn, t)).collect();
        assert!(before.iter().all(|n| *n > 0), "{before:?}");
        let mut statements = Vec::new();
        for (table, set) in &tables {
            statements.push(format!("UPDATE {table} SET {set}"));
            statements.push(format!("DELETE FROM {table}"));
            if backend == Backend::Postgres {
                statements.push(format!("TRUNCATE {table} CASCADE"));
            }
        }
        if backend == Backend::Postgres {
            statements.push("TRUNCATE audit_queue".into());
        }
        for sql in statements {
            let error = execute(&mut conn, &sql).expect_err(&sql).to_string();
            assert!(error.contains("append-only"), "{sql}: {error}");
        }
        let after: Vec<i64> = tables.iter().map(|(t, _)| count(&mut conn, t)).collect();
        assert_eq!(after, before);
    }

    async fn a_request_whose_entry_cannot_be_stored_is_503_and_changes_nothing(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let (a, _) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-KEPT")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        let kept = a.body["id"].as_str().unwrap().to_owned();
        settle(&app).await;
        let mut conn = app.db.connect();
        take_the_queue_down(&mut conn, backend);

        let mut refused = Vec::new();
        let (a, id) = traced_get(&app, Some(&kemensos), "/v1/programs", &[]).await;
        assert_audit_unavailable(&a, "a read");
        refused.push(id);
        let (a, id) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-503")).await;
        assert_audit_unavailable(&a, "a publish");
        refused.push(id);
        let batch = json!({"items": [graduation("G-503-A"), graduation("G-503-B")]});
        let (a, id) = traced_post(&app, &kemensos, "/v1/graduations/batch", &batch).await;
        assert_audit_unavailable(&a, "a batch");
        refused.push(id);
        let (a, id) = traced(
            app.client
                .delete(app.url(&format!("/v1/graduations/{kept}")))
                .bearer_auth(&kemensos),
        )
        .await;
        assert_audit_unavailable(&a, "a retraction");
        refused.push(id);
        assert_eq!(record_count(&app), 1, "a refused write stored a record");

        bring_the_queue_back(&mut conn, backend);
        // A 503 does not wait for its own entry (so that an outage is reported within one
        // pool timeout): the entry saying it was refused is stored if the writer gets to it
        // after the queue is back, and lost otherwise. Never anything else.
        for id in &refused {
            let found = entries(&app, &format!("request_id={id}")).await;
            assert!(found.len() <= 1, "{found:?}");
            for entry in found {
                assert_eq!((&entry["status"], &entry["outcome"]), (&json!(503), &json!("failed")));
            }
        }
        let (a, _) =
            traced_get(&app, Some(&kemensos), &format!("/v1/graduations/{kept}"), &[]).await;
        assert_eq!(
            (a.body["version"].clone(), a.body["retracted"].clone()),
            (json!(1), json!(false)),
            "{}",
            a.body
        );
        let (a, id) = traced_post(&app, &kemensos, "/v1/graduations", &graduation("G-503")).await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_entry(
            &the_entry_of(&app, &id).await,
            json!({"status": 201, "record_ids": [a.body["id"]]}),
            "the write once the queue is back",
        );
    }

    async fn an_administrative_change_whose_entry_cannot_be_stored_is_not_made(backend: Backend) {
        use sinergi::db::schema::clients;
        let app = spawn_app(backend).await;
        let admin = app.admin_token.clone();
        let clients_before: i64 = clients::table
            .count()
            .get_result(&mut app.db.connect())
            .unwrap();
        let mut conn = app.db.connect();
        take_the_queue_down(&mut conn, backend);

        let new_client =
            json!({"agency": "KEMENSOS", "name": "SIKS-NG", "scopes": ["graduations:read"]});
        let (a, _) = traced_post(&app, &admin, "/v1/admin/clients", &new_client).await;
        assert_audit_unavailable(&a, "creating a client");
        let (a, _) =
            traced_post(&app, &admin, &format!("/v1/admin/clients/{KEMENDES}/disable"), &json!({}))
                .await;
        assert_audit_unavailable(&a, "disabling a client");
        let (a, _) = traced_post(
            &app,
            &admin,
            &format!("/v1/admin/clients/{KEMENSOS}/rotate-secret"),
            &json!({}),
        )
        .await;
        assert_audit_unavailable(&a, "rotating a secret");
        bring_the_queue_back(&mut conn, backend);

        // Each answer said that nothing was changed; collect every change that was made.
        let mut made = Vec::new();
        let clients_after: i64 = clients::table.count().get_result(&mut conn).unwrap();
        if clients_after != clients_before {
            made.push(format!(
                "a client was created ({clients_before} clients, now {clients_after})"
            ));
        }
        for client in [KEMENDES, KEMENSOS] {
            let (a, _) = traced_token_request(&app, client, &demo_secret(client)).await;
            if a.status != 200 {
                made.push(format!("{client} can no longer obtain a token: {}", a.body));
            }
        }
        assert!(made.is_empty(), "changes behind a 503: {made:#?}");
    }

    async fn only_clients_with_audit_read_may_read_the_log(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let auditor = app.token(AUDITOR, None).await;
        settle(&app).await;
        checkpoint_of_at_least(&app, 1).await;
        let paths = [
            "/v1/audit/entries",
            "/v1/audit/export?to=1",
            "/v1/audit/checkpoint",
            "/v1/audit/proofs/inclusion?index=0&tree_size=1",
            "/v1/audit/proofs/consistency?from=1&to=1",
            "/v1/audit/public-key",
        ];
        for path in paths {
            let (a, id) = traced_get(&app, Some(&kemensos), path, &[]).await;
            assert_problem(&a, 403, path);
            assert_entry(
                &the_entry_of(&app, &id).await,
                json!({"client_id": KEMENSOS, "status": 403, "outcome": "denied"}),
                path,
            );
            let (a, _) = traced_get(&app, None, path, &[]).await;
            assert_problem(&a, 401, path);
            let res = app
                .client
                .get(app.url(path))
                .bearer_auth(&auditor)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{path}");
        }
    }

    async fn pages_walk_every_entry_of_a_filter_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let purpose = "Uji halaman";
        let mut sent = BTreeSet::new();
        for _ in 0..23 {
            let (a, id) = traced_get(
                &app,
                Some(&app.admin_token),
                "/v1/programs",
                &[("Sinergi-Purpose", purpose)],
            )
            .await;
            assert_eq!(a.status, 200, "{}", a.body);
            sent.insert(id);
        }
        let filter = "purpose=Uji%20halaman&client=demo-admin&route=/v1/programs&outcome=allowed";
        let all = entries(&app, filter).await;
        assert_eq!(all.len(), 23);

        let mut walked = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/audit/entries?{filter}&limit=5");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let (status, body) = app.get_json(&path).await;
            assert_eq!(status, 200, "{body}");
            let items = body["items"].as_array().unwrap();
            assert!(!items.is_empty() && items.len() <= 5, "{body}");
            walked.extend(items.iter().cloned());
            match body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(walked, all, "the pages, in order, are the whole result");
        let indexes: Vec<u64> = walked.iter().map(|e| e["index"].as_u64().unwrap()).collect();
        assert!(indexes.windows(2).all(|w| w[0] < w[1]), "{indexes:?}");
        let ids: BTreeSet<String> = walked
            .iter()
            .map(|e| e["request_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, sent);

        // The time filters: from is inclusive, to exclusive.
        let time: chrono::DateTime<chrono::Utc> = all[7]["time"].as_str().unwrap().parse().unwrap();
        let stamp = |t: chrono::DateTime<chrono::Utc>| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        };
        let at = entries(
            &app,
            &format!(
                "{filter}&from={}&to={}",
                stamp(time),
                stamp(time + chrono::Duration::microseconds(1))
            ),
        )
        .await;
        assert!(at.contains(&all[7]), "{at:?}");
        assert!(at.iter().all(|e| e["time"] == all[7]["time"]), "{at:?}");
        let later = entries(&app, &format!("{filter}&from={}", stamp(time))).await;
        assert!(later.iter().all(|e| e["index"].as_u64() >= all[7]["index"].as_u64()));
        assert!(later.contains(&all[22]));
    }

    async fn a_cursor_past_the_largest_index_does_not_start_the_walk_again(backend: Backend) {
        let app = spawn_app(backend).await;
        checkpoint_of_at_least(&app, 1).await;
        settle(&app).await;
        for cursor in ["9223372036854775808", "18446744073709551615"] {
            let (status, body) = app
                .get_json(&format!("/v1/audit/entries?cursor={cursor}"))
                .await;
            assert!(
                status == 400 || body["items"] == json!([]),
                "cursor {cursor} gave {status} with entries from index {}",
                body["items"][0]["index"]
            );
        }
    }

    async fn replicas_log_concurrent_requests_once_each_in_one_tree(backend: Backend) {
        let (app, _, kek) = spawn_keyed(backend).await;
        // A second instance over the same database, as in a deployment with replicas: its
        // own writer and sequencer.
        let mut settings = crate::common::test_settings(&app.db.url);
        settings.key_encryption_key = Some(kek);
        let (port, replica) = crate::common::start_server(settings).await;
        let replica_address = format!("http://127.0.0.1:{port}");
        let kemensos = app.token(KEMENSOS, None).await;
        let requests = (0..40).map(|i| {
            let base = if i % 2 == 0 { &app.address } else { &replica_address };
            let req = if i % 4 < 2 {
                app.client
                    .post(format!("{base}/v1/graduations"))
                    .json(&graduation(&format!("G-{i}")))
            } else {
                app.client.get(format!("{base}/v1/programs"))
            };
            traced(req.bearer_auth(&kemensos))
        });
        let answers = futures_util::future::join_all(requests).await;
        for (a, id) in &answers {
            assert!(a.status == 200 || a.status == 201, "{id}: {}", a.body);
        }
        settle(&app).await;
        for (_, id) in &answers {
            the_entry_of(&app, id).await;
        }
        let (note, size) = checkpoint_of_at_least(&app, 41).await;
        let lines = export(&app, size).await;
        let mut request_ids = BTreeSet::new();
        for (i, line) in lines.iter().enumerate() {
            let entry: Value = serde_json::from_str(line).unwrap();
            assert_eq!(entry["index"], i as u64, "{line}");
            assert!(
                request_ids.insert(entry["request_id"].as_str().unwrap().to_owned()),
                "two entries for one request: {line}"
            );
        }
        let leaves: Vec<Hash> = lines.iter().map(|l| ind_leaf(l.as_bytes())).collect();
        let (_, _, root) = open_checkpoint(&note, &public_key(&app).await);
        assert_eq!(root, ind_mth(&leaves));
        drop(replica);
    }

    async fn bad_auditor_queries_are_refused_naming_the_parameter(backend: Backend) {
        let app = spawn_app(backend).await;
        let (_, size) = checkpoint_of_at_least(&app, 1).await;
        let beyond = size + 1_000_000;
        let cases = [
            ("/v1/audit/entries?cursor=abc".to_owned(), "cursor"),
            ("/v1/audit/entries?nik=123".to_owned(), "nik"),
            ("/v1/audit/entries?nik=320101150785000x".to_owned(), "nik"),
            // A name the schema does not have is not repeated: the problem points at the query.
            ("/v1/audit/entries?colour=red".to_owned(), ""),
            ("/v1/audit/entries?limit=0".to_owned(), "limit"),
            ("/v1/audit/entries?limit=1001".to_owned(), "limit"),
            ("/v1/audit/entries?outcome=maybe".to_owned(), "outcome"),
            ("/v1/audit/entries?record_id=not-a-uuid".to_owned(), "record_id"),
            ("/v1/audit/entries?from=yesterday".to_owned(), "from"),
            (format!("/v1/audit/export?to={beyond}"), "to"),
            (format!("/v1/audit/proofs/inclusion?index={size}&tree_size={size}"), "index"),
            (format!("/v1/audit/proofs/inclusion?index=0&tree_size={beyond}"), "tree_size"),
            (format!("/v1/audit/proofs/consistency?from=1&to={beyond}"), "to"),
            (format!("/v1/audit/proofs/consistency?from={}&to=1", size.max(2)), "from"),
        ];
        for (path, parameter) in &cases {
            let (a, id) = traced_get(&app, Some(&app.admin_token), path, &[]).await;
            let pointer = match *parameter {
                "" => "#/query".to_owned(),
                named => format!("#/query/{named}"),
            };
            assert_invalid(&a, &[&pointer], path);
            assert_entry(
                &the_entry_of(&app, &id).await,
                json!({"status": 400, "outcome": "invalid"}),
                path,
            );
        }
        let path = format!("/v1/audit/checkpoint?size={beyond}");
        let (a, _) = traced_get(&app, Some(&app.admin_token), &path, &[]).await;
        assert_problem(&a, 404, &path);
    }
}
