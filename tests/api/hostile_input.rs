//! What a buggy or hostile client sends: repeated keys, absurd nesting, broken encodings,
//! enormous bodies and numbers, SQL and LIKE metacharacters in every filter, header
//! injection. Each gets a clear 4xx naming what is wrong, and nothing is stored.

use std::io::{Read, Write};

use crate::common::answer::answer;
use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::*;
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

async fn graduation_count(app: &TestApp, token: &str) -> usize {
    let a = get(
        app,
        token,
        "/v1/graduations?limit=1000&include_retracted=true",
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["items"].as_array().unwrap().len()
}

fn with_repeated_program(body: &Value) -> String {
    let text = body.to_string();
    // The same key twice in one object: the first says SEMBAKO, the last PKH.
    text.replacen(
        r#""program":"PKH""#,
        r#""program":"SEMBAKO","program":"PKH""#,
        1,
    )
}

both_backends! {
    async fn a_key_repeated_in_one_object_is_refused_naming_it(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let single = with_repeated_program(&graduation("DUP-1"));
        let a = post_text(&app, &kemensos, "/v1/graduations", single).await;
        assert_invalid(&a, &["/program"], "single");
        let batch = format!(
            r#"{{"items":[{},{}]}}"#,
            graduation("DUP-2"),
            with_repeated_program(&graduation("DUP-3"))
        );
        let a = post_text(&app, &kemensos, "/v1/graduations/batch", batch).await;
        assert_invalid(&a, &["/items/1/program"], "batch");
        assert_eq!(graduation_count(&app, &kemensos).await, 0);
    }

    async fn broken_encodings_deep_nesting_and_huge_numbers_are_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let a = post_text(&app, &kemensos, "/v1/graduations", deep).await;
        assert_problem(&a, 400, "nested 10,000 deep");
        assert_eq!(a.body["type"], "urn:sinergi:problem:malformed-body");
        let res = app
            .client
            .post(app.url("/v1/graduations"))
            .bearer_auth(&kemensos)
            .header("Content-Type", "application/json")
            .body(b"{\"source_record_id\":\"\xff\xfe\"}".to_vec())
            .send()
            .await
            .unwrap();
        assert_problem(&answer(res).await, 400, "invalid UTF-8");
        for number in ["1e400", "123456789012345678901234567890", "-1e400", "9007199254740993"] {
            let mut body = graduation("NUM-1");
            body["attributes"] = json!({"n": 0});
            let text = body.to_string().replace(r#"{"n":0}"#, &format!(r#"{{"n":{number}}}"#));
            let a = post_text(&app, &kemensos, "/v1/graduations", text).await;
            assert!(a.status == 400, "{number}: {} {}", a.status, a.body);
        }
        assert_eq!(graduation_count(&app, &kemensos).await, 0);
    }

    async fn a_hundred_megabyte_body_is_refused_without_being_stored(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let huge = format!(r#"{{"items":["{}"]}}"#, "x".repeat(100 * 1024 * 1024));
        let res = app
            .client
            .post(app.url("/v1/graduations/batch"))
            .bearer_auth(&kemensos)
            .header("Content-Type", "application/json")
            .body(huge)
            .send()
            .await;
        // The server may answer 413 before the upload ends and close the connection; either
        // way nothing is stored and the service goes on.
        if let Ok(res) = res {
            assert_eq!(res.status(), 413);
        }
        assert_eq!(graduation_count(&app, &kemensos).await, 0);
    }

    async fn metacharacters_in_every_filter_never_reach_the_database_as_syntax(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        publish(&app, &kemensos, "graduations", &graduation("META-1")).await;
        let filters = [
            "/v1/graduations?nik=", "/v1/graduations?kk=", "/v1/graduations?program=",
            "/v1/graduations?publisher=", "/v1/graduations?region=", "/v1/graduations?graduated_from=",
            "/v1/graduations?updated_after=", "/v1/graduations?cursor=", "/v1/enrollments?status=",
            "/v1/enrollments?graduation_id=", "/v1/changes?programs=", "/v1/changes?publishers=",
            "/v1/changes?types=", "/v1/audit/entries?client=", "/v1/audit/entries?route=",
            "/v1/audit/entries?purpose=", "/v1/programs?agency=",
        ];
        for filter in filters {
            for value in ["%25", "_", "%27", "%5C", "%27%20OR%20%271%27%3D%271", "%25%25", "__"] {
                let path = format!("{filter}{value}");
                let a = get(&app, &app.admin_token, &path).await;
                assert!(
                    a.status == 200 || a.status == 400,
                    "{path}: {} {}",
                    a.status,
                    a.body
                );
                if a.status == 200 {
                    let items = a.body.get("items").or(a.body.get("changes"));
                    assert_eq!(
                        items.and_then(Value::as_array).map_or(0, Vec::len),
                        0,
                        "{path} matched something: {}",
                        a.body
                    );
                }
            }
        }
    }

    async fn a_line_break_in_a_request_id_is_never_echoed(backend: Backend) {
        let app = spawn_app(backend).await;
        // A bare CR inside a header value, sent over a raw socket since HTTP clients refuse it.
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", app.port)).unwrap();
        stream
            .write_all(
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\rSet-Cookie: a=b\r\nConnection: close\r\n\r\n",
            )
            .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        assert!(!reply.contains("Set-Cookie"), "{reply}");
        assert!(!reply.contains("abc\r"), "{reply}");
        // Header folding (obsolete line folding) cannot smuggle one either.
        let res = app
            .client
            .get(app.url("/healthz"))
            .header("X-Request-Id", "abc def")
            .send()
            .await
            .unwrap();
        let echoed = res.headers()["x-request-id"].to_str().unwrap();
        assert_ne!(echoed, "abc def");
    }
}
