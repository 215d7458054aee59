//! Requests the HTTP layer refuses before any route sees them (a control byte in a header
//! value, a request line it cannot parse, a head larger than it reads) are answered like
//! every other 4xx: a problem with a request id and the security headers, repeating nothing
//! of the request, and counted in the audit log like every request that names no client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

use crate::common::answer::Answer;
use crate::common::problem::assert_problem;
use crate::common::{Backend, TestApp, TestDb, spawn_with};

const NIK: &str = "3201011507850003";

/// A raw HTTP/1.1 exchange on a connection of its own (blocking, on a thread of its own so
/// that the test's runtime keeps serving): the answer's head and body, read until the
/// server closes the connection.
async fn raw(app: &TestApp, request: Vec<u8>) -> (String, Answer) {
    let port = app.port;
    actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // The server may stop reading an oversized head and answer before it is all sent.
        let _ = stream.write_all(&request);
        let mut seen = Vec::new();
        let _ = stream.read_to_end(&mut seen);
        let text = String::from_utf8(seen).expect("an answer in UTF-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap()[9..12].parse().unwrap();
        let mut headers = reqwest::header::HeaderMap::new();
        for line in lines {
            let (name, value) = line.split_once(": ").unwrap();
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap();
            assert!(!headers.contains_key(&name), "{name} twice: {head}");
            headers.insert(name, value.parse().unwrap());
        }
        let body: Value =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        (
            text.clone(),
            Answer {
                status,
                headers,
                body,
            },
        )
    })
    .await
    .unwrap()
}

/// The aggregate entries of requests the HTTP layer refused (no method, no route) with
/// `status`: how many requests they count, once they count at least `expected`.
async fn counted(app: &TestApp, status: u16, expected: u64) -> u64 {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (code, page) = app.get_json("/v1/audit/entries?limit=1000").await;
        assert_eq!(code, 200, "{page}");
        let refused: Vec<&Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["method"] == "" && e["route"].is_null() && e["status"] == status)
            .collect();
        for entry in &refused {
            assert_eq!(entry["source_address"], "127.0.0.1", "{entry}");
            assert_eq!(entry["outcome"], "invalid", "{entry}");
            assert!(entry["client_id"].is_null(), "{entry}");
        }
        let requests = refused
            .iter()
            .map(|e| e["aggregate"]["requests"].as_u64().unwrap())
            .sum();
        if requests >= expected || std::time::Instant::now() > deadline {
            return requests;
        }
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}

both_backends! {
    async fn requests_the_http_layer_cannot_read_get_a_problem_and_are_counted(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        // Aggregates each second, so that the test need not wait a minute for them.
        let app = spawn_with(db, |s| s.audit_anonymous_window_secs = 1).await;
        let oversized = format!(
            "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Nik: {NIK}\r\nX-Big: {}\r\n\r\n",
            "a".repeat(140_000)
        );
        let requests: [(&str, Vec<u8>, u16); 4] = [
            (
                "a control byte in a header value",
                format!("GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Note: a\x01{NIK}\r\n\r\n").into(),
                400,
            ),
            (
                "an unknown HTTP version",
                format!("GET /v1/whoami HTTP/9.{NIK}\r\nHost: x\r\n\r\n").into(),
                400,
            ),
            (
                "a request line that is not one",
                format!("GET /v1/{NIK} /whoami\r\nHost: x\r\n\r\n").into(),
                400,
            ),
            ("an oversized head", oversized.into(), 431),
        ];
        let mut ids = Vec::new();
        for (what, request, status) in requests {
            let (text, answer) = raw(&app, request).await;
            assert_problem(&answer, status, what);
            assert_eq!(
                answer.body["type"], "urn:sinergi:problem:malformed-request",
                "{what}: {text}"
            );
            assert_eq!(answer.header("connection"), Some("close"), "{what}: {text}");
            for (name, value) in [
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "DENY"),
                ("referrer-policy", "no-referrer"),
                ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
                ("cache-control", "no-store"),
            ] {
                assert_eq!(answer.header(name), Some(value), "{what}: {text}");
            }
            for sent in [NIK, "\u{1}", "whoami", "aaaaaaaa"] {
                assert!(!text.contains(sent), "{what}: the answer repeats {sent:?}: {text}");
            }
            ids.push(answer.header("x-request-id").unwrap().to_owned());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 4, "each answer has a request id of its own");

        // A request refused after others on the same connection: theirs go out as they were.
        let port = app.port;
        let pipelined = actix_web::rt::task::spawn_blocking(move || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\x02b\r\n\r\n")
                .unwrap();
            let mut seen = String::new();
            let _ = stream.read_to_string(&mut seen);
            seen
        })
        .await
        .unwrap();
        let (first, second) = pipelined
            .split_once("HTTP/1.1 400 Bad Request\r\n")
            .unwrap_or_else(|| panic!("no 400 after the first answer: {pipelined}"));
        assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{pipelined}");
        assert!(second.contains("application/problem+json"), "{pipelined}");
        assert!(second.contains("urn:sinergi:problem:malformed-request"), "{pipelined}");

        // Counted like every request that names no client: in the aggregate of its address.
        assert_eq!(counted(&app, 400, 4).await, 4);
        assert_eq!(counted(&app, 431, 1).await, 1);
    }
}
