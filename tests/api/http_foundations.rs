//! What every endpoint shares: request ids, problem details, 404/405, probes, metrics,
//! the OpenAPI document and the bundled Swagger UI.

use std::time::{Duration, Instant};

use crate::common::answer::Answer;
use crate::common::problem::problem;
use crate::common::{Backend, TestApp, spawn_app};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

const REQUEST_ID: &str = "x-request-id";

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .expect("every response carries X-Request-Id")
        .to_str()
        .expect("X-Request-Id is ASCII")
        .to_owned()
}

fn is_fresh_uuid(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)
}

async fn send(app: &TestApp, method: Method, path: &str) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .send()
        .await
        .expect("request")
}

async fn get_with_id(app: &TestApp, path: &str, id: HeaderValue) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(&app.admin_token)
        .header(REQUEST_ID, id)
        .send()
        .await
        .expect("request")
}

async fn metrics(app: &TestApp) -> String {
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The `src` and `href` attribute values in an HTML page.
fn asset_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("a closed attribute");
            found.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    found
}

both_backends! {
    async fn every_response_carries_a_fresh_request_id(backend: Backend) {
        let app = spawn_app(backend).await;
        let mut seen = std::collections::HashSet::new();
        for (method, path) in [
            (Method::GET, "/healthz"),
            (Method::GET, "/readyz"),
            (Method::GET, "/metrics"),
            (Method::GET, "/openapi.json"),
            (Method::GET, "/docs"),
            (Method::GET, "/docs/"),
            (Method::GET, "/v1/agencies"),
            (Method::GET, "/v1/programs/PKH"),
            (Method::GET, "/v1/programs/NOPE"),
            (Method::GET, "/v1/programs?kind=bansos"),
            (Method::GET, "/no/such/thing"),
            (Method::POST, "/v1/programs"),
        ] {
            let res = send(&app, method.clone(), path).await;
            let id = request_id(res.headers());
            assert!(is_fresh_uuid(&id), "{method} {path}: {id}");
            assert!(seen.insert(id), "{method} {path} reused an id");
        }
    }

    async fn a_well_formed_request_id_is_echoed(backend: Backend) {
        let app = spawn_app(backend).await;
        let long = "a".repeat(128);
        for id in [
            "3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11",
            "trace:abc.def_1-XYZ",
            "x",
            long.as_str(),
        ] {
            let res = get_with_id(&app, "/healthz", HeaderValue::from_str(id).unwrap()).await;
            assert_eq!(res.status(), 200);
            assert_eq!(request_id(res.headers()), id);
        }
        // Problems carry the echoed id as their instance too.
        let res = get_with_id(&app, "/nowhere", HeaderValue::from_static("client-id-42")).await;
        assert_eq!(request_id(res.headers()), "client-id-42");
        let body = problem(res, 404).await.body;
        assert_eq!(body["instance"], "client-id-42");
    }

    async fn a_malformed_request_id_is_replaced_by_a_fresh_uuid(backend: Backend) {
        let app = spawn_app(backend).await;
        let too_long = "a".repeat(200);
        let malformed = [
            HeaderValue::from_static("a b"),
            HeaderValue::from_str(&too_long).unwrap(),
            HeaderValue::from_str(&"b".repeat(129)).unwrap(),
            HeaderValue::from_static("id;drop"),
            HeaderValue::from_static("a/b"),
            HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
            HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
            HeaderValue::from_static(""),
        ];
        for value in malformed {
            let sent = value.clone();
            let res = get_with_id(&app, "/healthz", value).await;
            assert_eq!(res.status(), 200, "{sent:?}");
            let id = request_id(res.headers());
            assert!(is_fresh_uuid(&id), "{sent:?} was answered with {id:?}");
            assert_ne!(id.as_bytes(), sent.as_bytes());
        }
        let res = get_with_id(&app, "/v1/programs/pkh", HeaderValue::from_static("a b")).await;
        let Answer { headers, body, .. } = problem(res, 400).await;
        assert!(is_fresh_uuid(&request_id(&headers)));
        assert_eq!(body["instance"], request_id(&headers).as_str());
    }

    async fn an_unknown_route_is_a_404_problem(backend: Backend) {
        let app = spawn_app(backend).await;
        for path in ["/nope", "/v1", "/v1/agencies/KEMENSOS/extra", "/v2/programs", "/%FF"] {
            let body = problem(app.get(path).await, 404).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:no-route", "{path}");
            assert_eq!(body["title"], "No such endpoint", "{path}");
            assert!(body.get("errors").is_none(), "{path}: {body}");
        }
        let body = problem(app.get("/nope").await, 404).await.body;
        // The path is not repeated: it could hold a NIK.
        assert_eq!(
            body["detail"],
            "no endpoint has this path; check the base URL and the path"
        );
    }

    async fn a_wrong_method_gets_405_with_allow(backend: Backend) {
        let app = spawn_app(backend).await;
        for (method, path) in [
            (Method::POST, "/v1/programs"),
            (Method::PUT, "/v1/programs"),
            (Method::DELETE, "/v1/programs"),
            (Method::PATCH, "/v1/programs"),
            (Method::DELETE, "/v1/programs/PKH"),
            (Method::PUT, "/v1/programs/PKH"),
            (Method::POST, "/v1/agencies"),
            (Method::POST, "/v1/regions/33"),
            (Method::POST, "/healthz"),
        ] {
            let res = send(&app, method.clone(), path).await;
            let Answer { headers, body, .. } = problem(res, 405).await;
            assert_eq!(
                headers.get("allow").map(|v| v.to_str().unwrap()),
                Some("GET, HEAD"),
                "{method} {path}"
            );
            assert_eq!(body["type"], "urn:sinergi:problem:method-not-allowed", "{method} {path}");
            assert_eq!(body["detail"], "this resource answers only GET, HEAD", "{method} {path}");
        }
    }

    async fn head_answers_like_get_without_the_body(backend: Backend) {
        let app = spawn_app(backend).await;
        let head = |path: &str| {
            app.client
                .head(app.url(path))
                .bearer_auth(&app.admin_token)
                .send()
        };
        for path in ["/v1/programs", "/v1/programs/PKH", "/v1/whoami", "/openapi.json"] {
            let get = app.get(path).await;
            let head = head(path).await.unwrap();
            assert_eq!(head.status(), get.status(), "HEAD {path}");
            for name in ["content-type", "content-length", "cache-control"] {
                assert_eq!(head.headers().get(name), get.headers().get(name), "HEAD {path}: {name}");
            }
            assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} has no body");
        }
        // A missing record, a path no route has, and a method a path does not have.
        let missing = "/v1/graduations/0190b7a4-6e2c-7d1f-8a3b-5c4d3e2f1a0b";
        for (path, status) in [(missing, 404), ("/no/such/path", 404), ("/v1/graduations/batch", 405)] {
            assert_eq!(head(path).await.unwrap().status(), status, "HEAD {path}");
        }
    }

    async fn bad_query_values_are_400_problems_naming_the_parameter(backend: Backend) {
        let app = spawn_app(backend).await;
        for (query, param) in [
            ("kind=%FF", "kind"),
            ("kind=%zz", "kind"),
            ("kind=social%00assistance", "kind"),
            ("active=%FF", "active"),
            ("active=", "active"),
            ("agency=%FF%FE", "agency"),
            ("agency=%27%20OR%201%3D1--", "agency"),
            ("agency=KEMEN%25", "agency"),
            ("agency=K%5C", "agency"),
            ("agency=%", "agency"),
            ("agency=", "agency"),
        ] {
            let body = problem(app.get(&format!("/v1/programs?{query}")).await, 400).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:validation", "{query}");
            assert_eq!(body["errors"][0]["pointer"], format!("#/query/{param}"), "{query}");
        }
    }

    async fn special_characters_in_filters_never_cause_a_500(backend: Backend) {
        let app = spawn_app(backend).await;
        for query in [
            "agency='",
            "agency=%27",
            "agency=%",
            "agency=%25",
            "agency=_",
            "agency=%5F%5F",
            "agency=\\",
            "agency=%5C",
            "agency=KEMEN%25",
            "agency=KEMEN__",
            "agency=K_",
            "kind=%27",
            "kind=%25",
            "kind=_",
            "kind=%5C",
            "active=%27",
            "%FF=1",
            "%27=1",
            "&&&",
            "=",
            "%",
        ] {
            let res = app.get(&format!("/v1/programs?{query}")).await;
            let status = res.status().as_u16();
            assert!(status == 200 || status == 400, "{query}: {status}");
            if status == 400 {
                problem(res, 400).await;
            } else {
                let body: Value = res.json().await.unwrap();
                assert!(body["items"].is_array(), "{query}: {body}");
            }
        }
        // Underscores are valid in codes, and must match literally rather than as wildcards.
        let (status, body) = app.get_json("/v1/programs?agency=KEMEN_OS").await;
        assert_eq!(status, 200);
        assert_eq!(body, json!({"items": []}));
        for path in ["/v1/programs/%27", "/v1/programs/%25", "/v1/programs/P_%25",
                     "/v1/programs/%5C", "/v1/programs/%FF", "/v1/regions/%27", "/v1/regions/3_"] {
            let res = app.get(path).await;
            let status = res.status().as_u16();
            assert!(status == 400 || status == 404, "{path}: {status}");
            problem(res, status).await;
        }
        // A code that looks like a LIKE pattern finds nothing rather than everything.
        let body = problem(app.get("/v1/programs/P__").await, 404).await.body;
        assert_eq!(body["detail"], "no program has this code");
    }

    async fn health_and_readiness_answer_when_all_is_well(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, body) = app.get_json("/healthz").await;
        assert_eq!(status, 200);
        assert_eq!(body, json!({"status": "ok"}));
        let (status, body) = app.get_json("/readyz").await;
        assert_eq!(status, 200);
        assert_eq!(body, json!({"status": "ready"}));
    }

    async fn metrics_count_requests_by_route_template(backend: Backend) {
        let app = spawn_app(backend).await;
        assert_eq!(app.get("/v1/programs/PKH").await.status(), 200);
        assert_eq!(app.get("/v1/programs/NOPE").await.status(), 404);
        let res = app.get("/metrics").await;
        assert_eq!(res.status(), 200);
        let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        let text = res.text().await.unwrap();
        let labels = r#"method="GET",route="/v1/programs/{code}",status="200""#;
        assert!(text.contains("# TYPE sinergi_http_requests_total counter"), "{text}");
        assert!(
            text.lines().any(|l| l == format!("sinergi_http_requests_total{{{labels}}} 1")),
            "{text}"
        );
        assert!(
            text.contains("# TYPE sinergi_http_request_duration_seconds histogram"),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l
                == format!("sinergi_http_request_duration_seconds_count{{{labels}}} 1")),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l == format!(
                "sinergi_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 1"
            )),
            "{text}"
        );
        assert!(text.contains(
            r#"sinergi_http_requests_total{method="GET",route="/v1/programs/{code}",status="404"} 1"#
        ), "{text}");
        assert!(!text.contains("PKH"), "a concrete path leaked into a label: {text}");
        assert!(!text.contains("NOPE"), "a concrete path leaked into a label: {text}");
    }

    async fn unknown_paths_are_counted_as_unmatched(backend: Backend) {
        let app = spawn_app(backend).await;
        let probes: Vec<String> = (0..3)
            .map(|_| format!("/probe-{}", uuid::Uuid::new_v4().simple()))
            .collect();
        for path in &probes {
            assert_eq!(app.get(path).await.status(), 404);
        }
        let text = metrics(&app).await;
        assert!(
            text.lines().any(|l| l
                == r#"sinergi_http_requests_total{method="GET",route="unmatched",status="404"} 3"#),
            "{text}"
        );
        for path in &probes {
            assert!(!text.contains(&path[1..]), "{path} became a label: {text}");
        }
        // An unusual method is not a label value either.
        let odd = Method::from_bytes(b"BREW").unwrap();
        let res = send(&app, odd, "/healthz").await;
        assert!(res.status().is_client_error(), "{}", res.status());
        let text = metrics(&app).await;
        assert!(!text.contains("BREW"), "{text}");
    }

    async fn the_served_openapi_document_is_the_committed_one(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = app.get("/openapi.json").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/json");
        let served: Value = res.json().await.unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let committed: Value = serde_json::from_str(&committed).unwrap();
        assert_eq!(
            served, committed,
            "the served document differs from openapi/openapi.json; regenerate it with \
             `sinergi openapi > openapi/openapi.json`"
        );
        assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    }

    async fn the_docs_are_served_from_local_assets_only(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = app.get("/docs").await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers()["location"], "/docs/");

        let res = app.get("/docs/").await;
        assert_eq!(res.status(), 200);
        let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let html = res.text().await.unwrap();
        for scheme in ["http://", "https://"] {
            assert!(!html.contains(scheme), "the docs page links out: {html}");
        }
        let assets = asset_references(&html);
        assert!(!assets.is_empty(), "{html}");
        let mut initializer = None;
        for asset in &assets {
            assert!(
                !asset.contains("://") && !asset.starts_with("//") && !asset.starts_with('/'),
                "{asset} is not a relative reference: {html}"
            );
            let path = format!("/docs/{}", asset.trim_start_matches("./"));
            let res = app.get(&path).await;
            assert_eq!(res.status(), 200, "{path}");
            if asset.ends_with("swagger-initializer.js") {
                initializer = Some(res.text().await.unwrap());
            }
        }
        let initializer = initializer.expect("the page loads swagger-initializer.js");
        assert!(initializer.contains(r#""url": "/openapi.json""#), "{initializer}");
        assert!(initializer.contains(r#""validatorUrl": "none""#), "{initializer}");
        for scheme in ["http://", "https://"] {
            assert!(!initializer.contains(scheme), "{initializer}");
        }
    }

    async fn a_database_error_is_a_500_without_internal_detail(backend: Backend) {
        use diesel::RunQueryDsl;
        let app = spawn_app(backend).await;
        let mut conn = app.db.connect();
        // Tables the client and key tables do not reference, so those stay intact. Records
        // reference programs: PostgreSQL drops those (empty) constraints with CASCADE, and
        // SQLite, which has no CASCADE, needs nothing since no record exists.
        let cascade = if backend == Backend::Postgres { " CASCADE" } else { "" };
        for table in ["programs", "regions"] {
            diesel::sql_query(format!("DROP TABLE {table}{cascade}"))
                .execute(&mut conn)
                .unwrap();
        }
        for path in ["/v1/programs", "/v1/programs/PKH", "/v1/regions/33"] {
            let Answer { headers, body, .. } = problem(app.get(path).await, 500).await;
            assert_eq!(body["type"], "urn:sinergi:problem:internal", "{path}");
            assert_eq!(body["title"], "Internal server error", "{path}");
            assert_eq!(
                body["detail"], "an unexpected error occurred; quote the instance id",
                "{path}"
            );
            assert!(headers.get("retry-after").is_none(), "{path}");
            let text = body.to_string().to_lowercase();
            for leak in ["agencies\"", "relation", "no such table", "sql", "diesel", "query"] {
                assert!(!text.contains(leak), "{path} leaks {leak:?}: {body}");
            }
        }
        // What does not touch the lost tables still answers.
        let (status, _) = app.get_json("/v1/agencies").await;
        assert_eq!(status, 200);
    }
}

/// The pool lends connections without a test query first. When connections die while idle
/// (a PostgreSQL restart), the first request to meet a dead one gets 503 (never a 500) and
/// its dead siblings are swept out, so no later request pays for them.
#[actix_web::test]
async fn connections_that_died_while_idle_are_replaced() {
    let app = spawn_app(Backend::Postgres).await;
    // Fill the pool (4 connections in tests) with connections that have been used.
    let warm: Vec<_> = (0..8).map(|_| app.get_json("/v1/agencies")).collect();
    for (status, _) in futures_util::future::join_all(warm).await {
        assert_eq!(status, 200);
    }
    app.db.terminate_connections();

    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(app.get_json("/v1/agencies").await.0);
    }
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    // One 503 at most: a background task (the sequencer, the webhook worker) may meet a
    // dead connection first and sweep for the requests.
    assert!(
        statuses.iter().filter(|s| **s == 503).count() <= 1,
        "{statuses:?}"
    );
    assert!(statuses[1..].iter().all(|s| *s == 200), "{statuses:?}");
}

/// Watches the service lose its database: probes and requests turn into 503 within the
/// pool timeout (2 s in tests) instead of hanging or answering 500.
#[actix_web::test]
async fn a_lost_postgres_database_makes_the_service_unready_not_broken() {
    let app = spawn_app(Backend::Postgres).await;
    let (status, _) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
    app.db.kill();

    let started = Instant::now();
    let res = app
        .client
        .get(app.url("/readyz"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("an answer, not a hang");
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "readiness took {elapsed:?}"
    );
    let Answer { headers, body, .. } = problem(res, 503).await;
    assert_eq!(body["type"], "urn:sinergi:problem:unavailable");
    let retry_after = headers
        .get("retry-after")
        .expect("503 carries Retry-After")
        .to_str()
        .unwrap();
    assert!(
        retry_after.parse::<u32>().is_ok_and(|s| s > 0),
        "{retry_after}"
    );

    for path in ["/v1/agencies", "/v1/programs/PKH", "/v1/regions/33"] {
        let started = Instant::now();
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(&app.admin_token)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("an answer, not a hang");
        assert!(started.elapsed() < Duration::from_secs(10), "{path}");
        let Answer { headers, body, .. } = problem(res, 503).await;
        assert!(headers.contains_key("retry-after"), "{path}");
        assert_eq!(body["type"], "urn:sinergi:problem:unavailable", "{path}");
        assert_eq!(
            body["detail"], "the database is not reachable now; retry later",
            "{path}"
        );
        let text = body.to_string().to_lowercase();
        for leak in [
            "sinergi_test",
            "fatal",
            "does not exist",
            "connection",
            "pool",
            "timed out",
        ] {
            assert!(!text.contains(leak), "{path} leaks {leak:?}: {body}");
        }
    }

    // Liveness does not depend on the database.
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"status": "ok"}));
}
