//! No answer, log line or audit entry repeats a NIK or a KK that a client sent, wherever the
//! client put it: a body value of each JSON type, a member name, a path segment, a query
//! parameter's name or value, a header, the method, or a request the HTTP layer cannot even
//! parse. Errors say which part is wrong and why, in the server's own words.
//!
//! The real binary runs with `SINERGI_LOG=debug`, and every line it logs is searched, as is
//! every answer and the whole audit export.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::records::{KEMENSOS, graduation};
use crate::common::service::Service;
use crate::common::{Backend, TestDb};
use base64::Engine;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{Value, json};

/// A NIK and a KK that appear nowhere in the demo data.
const NIK: &str = "3174054107920011";
const KK: &str = "3174052201150009";

fn token(client: &Client, service: &Service, id: &str) -> String {
    let res = client
        .post(service.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", &sinergi::demo::demo_secret(id)),
        ])
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "token for {id}");
    res.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends one request and fails when its answer (status line, headers, body) holds `number`;
/// answers the status.
fn refused_without_echo(what: &str, request: RequestBuilder, number: &str) -> u16 {
    let res = request.send().unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = res.status().as_u16();
    let headers = format!("{:?}", res.headers());
    let body = res.text().unwrap();
    for (part, text) in [("headers", &headers), ("body", &body)] {
        assert!(
            !text.contains(number),
            "{what}: the answer's {part} repeats the number: {text}"
        );
    }
    status
}

/// A raw HTTP/1.1 exchange, for what no HTTP client library would send.
fn raw(service: &Service, request: &[u8]) -> String {
    let address = service.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Every position a number can take in one request, for one number.
fn send_everywhere(client: &Client, service: &Service, number: &str) {
    let kemensos = token(client, service, KEMENSOS);
    let admin = token(client, service, "demo-admin");
    let url = |path: &str| service.url(path);
    let as_int: u64 = number.parse().unwrap();

    // Body values of every JSON type, in known and unknown places.
    let mut bodies: Vec<(&str, Value)> = Vec::new();
    let with = |pointer: &[&str], value: Value| {
        let mut body = graduation("NO-ECHO-1");
        let (last, parents) = pointer.split_last().unwrap();
        let mut at = &mut body;
        for p in parents {
            at = &mut at[*p];
        }
        at[*last] = value;
        body
    };
    bodies.push((
        "head_nik as a number",
        with(&["household", "head_nik"], json!(as_int)),
    ));
    bodies.push(("kk as a number", with(&["household", "kk"], json!(as_int))));
    bodies.push((
        "kk as a float",
        with(&["household", "kk"], json!(as_int as f64 + 0.5)),
    ));
    bodies.push((
        "member_niks as a number",
        with(&["member_niks"], json!(as_int)),
    ));
    bodies.push((
        "member_niks holding an object",
        with(&["member_niks"], json!([{ number: 1 }])),
    ));
    bodies.push(("program", with(&["program"], json!(number))));
    bodies.push(("region_code", with(&["region_code"], json!(number))));
    bodies.push(("graduation_type", with(&["graduation_type"], json!(number))));
    bodies.push(("graduated_on", with(&["graduated_on"], json!(number))));
    bodies.push((
        "welfare_decile as a string",
        with(&["welfare_decile"], json!(number)),
    ));
    bodies.push((
        "welfare_decile as a number",
        with(&["welfare_decile"], json!(as_int)),
    ));
    bodies.push(("reason", with(&["reason"], json!(format!("NIK {number}")))));
    bodies.push((
        "source_record_id as a number",
        with(&["source_record_id"], json!(as_int)),
    ));
    bodies.push(("household as a string", with(&["household"], json!(number))));
    bodies.push((
        "an attribute value",
        with(&["attributes", "pendamping"], json!(number)),
    ));
    bodies.push((
        "an attribute number",
        with(&["attributes", "skor"], json!(as_int)),
    ));
    bodies.push((
        "an attribute key",
        with(&["attributes", number], json!("x")),
    ));
    bodies.push(("an unknown member", with(&[number], json!(1))));
    bodies.push((
        "an unknown nested member",
        with(&["household", number], json!("x")),
    ));
    bodies.push((
        "a member named like a field",
        with(&["household", "head_nik"], json!({ number: number })),
    ));
    for (what, body) in &bodies {
        let status = refused_without_echo(
            what,
            client
                .post(url("/v1/graduations"))
                .bearer_auth(&kemensos)
                .json(body),
            number,
        );
        assert_eq!(status, 400, "{what}");
        let status = refused_without_echo(
            what,
            client
                .post(url("/v1/graduations/batch"))
                .bearer_auth(&kemensos)
                .json(&json!({"items": [body]})),
            number,
        );
        assert!([200, 400].contains(&status), "{what} in a batch: {status}");
    }
    let texts = [
        (
            "a repeated attribute key",
            format!(r#"{{"attributes":{{"{number}":1,"{number}":2}}}}"#),
        ),
        ("broken JSON", format!(r#"{{"household":{{"kk":{number}"#)),
        (
            "a batch item that is a number",
            format!(r#"{{"items":[{number}]}}"#),
        ),
        (
            "an enrollment subject",
            format!(r#"{{"subject":{{"nik":{number}}}}}"#),
        ),
    ];
    for (what, text) in &texts {
        for path in ["/v1/graduations", "/v1/enrollments"] {
            refused_without_echo(
                what,
                client
                    .post(url(path))
                    .bearer_auth(&kemensos)
                    .header("content-type", "application/json")
                    .body(text.clone()),
                number,
            );
        }
    }

    // A subscription's URL, types and filters.
    for body in [
        json!({"url": format!("https://{number}.example/"), "types": ["graduation"]}),
        json!({"url": format!("https://hooks.example/{number}?nik={number}"), "types": ["graduation"]}),
        json!({"url": format!("http://[::ffff:{number}]/"), "types": ["graduation"]}),
        json!({"url": "https://hooks.example/", "types": [number]}),
        json!({"url": "https://hooks.example/", "types": ["graduation"], "programs": [format!("P{number}")]}),
        json!({"url": "https://hooks.example/", "types": ["graduation"], "publishers": [format!("A{number}")]}),
        json!({"url": "https://hooks.example/", "types": ["graduation"], "after": as_int}),
    ] {
        refused_without_echo(
            "a subscription",
            client
                .post(url("/v1/subscriptions"))
                .bearer_auth(&admin)
                .json(&body),
            number,
        );
    }

    // A referral's and a household event's fields.
    let referral = |field: &str, value: Value| {
        let mut body = json!({"source_record_id": "NO-ECHO-R", "purpose": "PEMBERDAYAAN_EKONOMI",
            "graduation_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
            "offered_to": [{"agency": "KEMENDES"}], "reason_code": "USAHA_MIKRO"});
        body[field] = value;
        body
    };
    for body in [
        referral("source_record_id", json!(number)),
        referral("graduation_id", json!(number)),
        referral("note", json!(format!("NIK {number}"))),
        referral("reason_code", json!(format!("R{number}"))),
        referral("offered_to", json!([{"agency": format!("A{number}")}])),
        referral(number, json!(number)),
    ] {
        refused_without_echo(
            "a referral",
            client
                .post(url("/v1/referrals"))
                .bearer_auth(&kemensos)
                .json(&body),
            number,
        );
    }
    let event = |field: &str, value: Value| {
        let mut body = json!({"source_record_id": "NO-ECHO-H", "kind": "split",
            "effective_on": "2026-01-02", "predecessor_kks": ["3201012308150007"],
            "successor_kks": ["3201012308150008"], "source": "dukcapil"});
        body[field] = value;
        body
    };
    for body in [
        event("predecessor_kks", json!([format!("{number}9")])),
        event("successor_kks", json!([number, number])),
        event(
            "member_moves",
            json!([{"nik": format!("{number}1"), "from_kk": number}]),
        ),
        event("note", json!(format!("KK {number}"))),
        event("kind", json!(number)),
    ] {
        refused_without_echo(
            "a household event",
            client
                .post(url("/v1/household-events"))
                .bearer_auth(&kemensos)
                .json(&body),
            number,
        );
    }

    // Path segments.
    for path in [
        format!("/v1/referrals/{number}"),
        format!("/v1/households/{number}x/lineage"),
        format!("/v1/households/X{number}/lineage"),
        format!("/v1/graduations/{number}"),
        format!("/v1/graduations/{number}/history"),
        format!("/v1/enrollments/{number}"),
        format!("/v1/graduations/nik/{number}"),
        format!("/v1/programs/{number}"),
        format!("/v1/programs/P{number}"),
        format!("/v1/regions/{number}"),
        format!("/v1/subscriptions/{number}"),
        format!("/v1/subscriptions/{number}/deliveries"),
        format!("/v1/admin/clients/{number}"),
        format!("/{number}"),
        format!("/v1/%ZZ{number}"),
    ] {
        refused_without_echo(&path, client.get(url(&path)).bearer_auth(&admin), number);
        refused_without_echo(&path, client.delete(url(&path)).bearer_auth(&admin), number);
    }

    // Query names and values.
    for query in [
        format!("/v1/graduations?{number}=1"),
        format!("/v1/graduations?program={number}"),
        format!("/v1/graduations?publisher={number}"),
        format!("/v1/graduations?region={number}"),
        format!("/v1/graduations?limit={number}"),
        format!("/v1/graduations?cursor={number}"),
        format!("/v1/graduations?updated_after={number}"),
        format!("/v1/graduations?graduated_from={number}"),
        format!("/v1/graduations?include_retracted={number}"),
        format!("/v1/enrollments?status={number}"),
        format!("/v1/enrollments?graduation_id={number}"),
        format!("/v1/programs?agency={number}&kind={number}"),
        format!("/v1/changes?after={number}"),
        format!("/v1/changes?types={number}&programs=P{number}"),
        format!("/v1/referrals?graduation_id={number}&status={number}"),
        format!("/v1/follow-up?kind={number}&program=P{number}"),
        format!("/v1/graduations?kk=3201012308150007&follow_lineage={number}"),
        format!("/v1/audit/entries?record_id={number}&from={number}"),
        format!("/v1/audit/entries?{number}={number}"),
        format!("/v1/audit/export?from={number}&to={number}"),
        format!("/v1/audit/checkpoint?size={number}"),
        format!("/v1/audit/proofs/inclusion?index={number}&tree_size={number}"),
        format!("/v1/audit/proofs/consistency?from={number}&to={number}"),
    ] {
        let status =
            refused_without_echo(&query, client.get(url(&query)).bearer_auth(&admin), number);
        assert!(status >= 400, "{query}: {status}");
    }
    let retract = "/v1/graduations/019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80";
    refused_without_echo(
        "a retraction reason",
        client
            .delete(url(&format!("{retract}?reason=NIK%20{number}")))
            .bearer_auth(&kemensos),
        number,
    );

    // Headers. A request id and a purpose are refused however the number is written:
    // grouped (`3201.0115.0785.0003`) or glued to letters.
    let groups = |separator: &str| {
        [&number[..4], &number[4..8], &number[8..12], &number[12..]].join(separator)
    };
    let mut headers = vec![
        ("X-Request-Id", number.to_owned()),
        ("X-Request-Id", format!("req-{number}")),
        ("X-Request-Id", format!("abc{number}")),
        ("X-Request-Id", format!("NIK{number}")),
        ("Sinergi-Purpose", format!("Verifikasi NIK {number}")),
        ("Sinergi-Purpose", format!("Verifikasi NIK{number}")),
        ("Sinergi-Purpose", format!("abc{number}")),
    ];
    for separator in [".", "-", "_", ":"] {
        headers.push(("X-Request-Id", groups(separator)));
        headers.push(("Sinergi-Purpose", format!("NIK {}", groups(separator))));
    }
    headers.push(("Sinergi-Purpose", format!("NIK {}", groups(" "))));
    headers.extend([
        ("If-Match", format!("\"{number}\"")),
        ("If-None-Match", format!("\"{number}\"")),
        ("Accept", format!("application/{number}")),
        ("X-Anything", number.to_owned()),
    ]);
    for (name, value) in headers {
        let status = refused_without_echo(
            name,
            client
                .get(url(retract))
                .bearer_auth(&admin)
                .header(name, value.as_str()),
            number,
        );
        // A request id and a purpose are stored and logged in clear: one holding a NIK or KK
        // is refused rather than kept.
        if ["X-Request-Id", "Sinergi-Purpose"].contains(&name) {
            assert_eq!(status, 400, "{name}: {value}");
        }
    }
    for (name, value) in [
        ("Authorization", format!("Bearer {number}")),
        ("Authorization", format!("Basic {number}")),
    ] {
        let status = refused_without_echo(
            name,
            client.get(url("/v1/whoami")).header(name, value),
            number,
        );
        assert_eq!(status, 401, "{name}");
    }
    refused_without_echo(
        "Content-Type",
        client
            .post(url("/v1/graduations"))
            .bearer_auth(&kemensos)
            .header("content-type", format!("application/{number}"))
            .body("{}"),
        number,
    );

    // The token endpoint: every field, and Basic credentials.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{number}:{number}"));
    for form in [
        vec![
            ("grant_type", "client_credentials"),
            ("client_id", number),
            ("client_secret", number),
        ],
        vec![
            ("grant_type", number),
            ("client_id", number),
            ("client_secret", number),
        ],
        vec![
            ("grant_type", "client_credentials"),
            ("client_id", KEMENSOS),
            ("client_secret", &sinergi::demo::demo_secret(KEMENSOS)),
            ("scope", number),
        ],
        vec![
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", number),
        ],
        vec![("grant_type", "client_credentials"), (number, number)],
    ] {
        refused_without_echo(
            "a token request",
            client.post(url("/oauth/token")).form(&form),
            number,
        );
    }
    refused_without_echo(
        "Basic credentials",
        client
            .post(url("/oauth/token"))
            .header("authorization", format!("Basic {basic}"))
            .form(&[("grant_type", "client_credentials")]),
        number,
    );

    // What no client library sends: a number as the method, and requests the HTTP layer
    // refuses before any route sees them.
    let answers = [
        raw(service, format!("{number} /v1/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()),
        raw(service, format!("GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-A: a\x01{number}\r\n\r\n").as_bytes()),
        raw(service, format!("GET /v1/whoami HTTP/1.1\r\nHost: x\r\n{number}(: x\r\n\r\n").as_bytes()),
        raw(service, format!("GET /v1/whoami HTTP/9.{number}\r\nHost: x\r\n\r\n").as_bytes()),
        raw(service, format!("POST /v1/graduations HTTP/1.1\r\nHost: x\r\nContent-Length: {number}x\r\n\r\n").as_bytes()),
        raw(service, format!("POST /v1/graduations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {kemensos}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ{number}\r\n").as_bytes()),
    ];
    for answer in &answers {
        assert!(
            !answer.contains(number),
            "a raw answer repeats the number: {answer}"
        );
    }
}

/// The whole audit log, as an auditor exports it, once every answered request's entry is
/// under a signed checkpoint. Waits on the database, not on the export: on a loaded machine
/// the sequencer can pause longer than any polling interval, so an export that did not grow
/// between two looks says nothing.
fn audit_export(client: &Client, service: &Service, db: &TestDb) -> String {
    use diesel::prelude::*;
    use sinergi::db::schema::{audit_checkpoints, audit_entries, audit_queue};
    let admin = token(client, service, "demo-admin");
    let mut conn = db.connect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let size = loop {
        let queued: i64 = audit_queue::table.count().get_result(&mut conn).unwrap();
        let entries: i64 = audit_entries::table.count().get_result(&mut conn).unwrap();
        let signed: Option<i64> = audit_checkpoints::table
            .select(diesel::dsl::max(audit_checkpoints::tree_size))
            .first(&mut conn)
            .unwrap();
        if queued == 0 && signed == Some(entries) {
            break entries;
        }
        assert!(
            Instant::now() < deadline,
            "after 60 s, {queued} entries queued and {entries} integrated, {signed:?} signed"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let export = client
        .get(service.url(&format!("/v1/audit/export?to={size}")))
        .bearer_auth(&admin)
        .send()
        .unwrap();
    assert!(
        export.status().is_success(),
        "the export answered {}",
        export.status()
    );
    export.text().unwrap()
}

both_backends! {
    fn no_answer_log_line_or_audit_entry_repeats_a_nik_or_kk(backend: Backend) {
        let db = TestDb::new(backend);
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let service = Service::start(dir.path(), &db.url, &["serve", "--demo"], &[("SINERGI_LOG", "debug")]);
        let client = Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        for number in [NIK, KK] {
            send_everywhere(&client, &service, number);
        }
        let export = audit_export(&client, &service, &db);
        assert!(export.lines().count() > 100, "the requests were recorded");
        // The report of unparseable requests comes from a thread that wakes every second.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !service.log().iter().any(|l| l.contains("could not parse")) {
            assert!(Instant::now() < deadline, "unparseable requests were never reported");
            std::thread::sleep(Duration::from_millis(200));
        }
        let log = service.log();
        for number in [NIK, KK] {
            for line in &log {
                assert!(!line.contains(number), "a log line repeats the number: {line}");
            }
            for entry in export.lines() {
                assert!(!entry.contains(number), "an audit entry repeats the number: {entry}");
            }
        }
        // What clients get wrong is theirs: never an ERROR line, and the HTTP layer's
        // refusals are counted, not logged one by one.
        let errors: Vec<&String> = log.iter().filter(|l| l.contains(r#""level":"ERROR""#)).collect();
        assert!(errors.is_empty(), "client mistakes logged at ERROR: {errors:#?}");
        // Reports come at least a minute apart, so however long this test ran (on a loaded
        // machine, more than a minute), there is at most one per minute it has started.
        let reports = log.iter().filter(|l| l.contains("could not parse")).count() as u64;
        let minutes = started.elapsed().as_secs() / 60 + 1;
        assert!(
            (1..=minutes).contains(&reports),
            "{reports} reports of refused requests in {minutes} started minutes"
        );
    }
}
