//! The operator's API for OAuth clients, black-box over HTTP with the demo admin's token.

use std::time::{Duration, Instant};

use crate::common::problem::problem;
use crate::common::{Backend, TestApp, TestDb, spawn_app, spawn_with};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

const CLIENTS: &str = "/v1/admin/clients";

fn siks_ng() -> Value {
    json!({"agency": "KEMENSOS", "name": "SIKS-NG",
           "scopes": ["graduations:write", "graduations:read"]})
}

/// A public Ed25519 key as a JWK Set (any 32 bytes make a syntactically valid `x`).
fn public_jwks() -> Value {
    json!({"keys": [{"kty": "OKP", "crv": "Ed25519",
                     "x": URL_SAFE_NO_PAD.encode([42u8; 32]), "kid": "k1"}]})
}

async fn post_json(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("request")
}

/// POSTs a raw body with the given content type, with the admin's token.
async fn post_raw(app: &TestApp, content_type: &str, body: impl Into<String>) -> reqwest::Response {
    app.client
        .post(app.url(CLIENTS))
        .bearer_auth(&app.admin_token)
        .header("content-type", content_type)
        .body(body.into())
        .send()
        .await
        .expect("request")
}

/// POSTs without a body (disable, rotate-secret) with `token`.
async fn post_action(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

async fn status_and_json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

/// Creates a client as the admin and returns the 201 body.
async fn create(app: &TestApp, body: &Value) -> Value {
    let (status, created) =
        status_and_json(post_json(app, CLIENTS, &app.admin_token, body).await).await;
    assert_eq!(status, 201, "{created}");
    created
}

fn client_count(app: &TestApp) -> usize {
    sinergi::db::clients::list(&mut app.db.connect())
        .unwrap()
        .len()
}

/// The token endpoint's answer to `client_secret_post` credentials.
async fn token_answer(app: &TestApp, id: &str, secret: &str) -> (u16, Value) {
    status_and_json(app.request_token(id, secret, None).await).await
}

async fn token_of(app: &TestApp, id: &str, secret: &str) -> String {
    let (status, body) = token_answer(app, id, secret).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn assert_invalid_client(app: &TestApp, id: &str, secret: &str) {
    let (status, body) = token_answer(app, id, secret).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client", "{body}");
}

/// The claims of a JWT, read without verifying it.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Every object key anywhere in `value`.
fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

both_backends! {
    async fn a_created_client_gets_a_secret_shown_once_and_stored_only_as_an_argon2id_hash(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let res = post_json(&app, CLIENTS, &app.admin_token, &siks_ng()).await;
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/json",
            "the 201 is plain JSON"
        );
        let (status, created) = status_and_json(res).await;
        assert_eq!(status, 201, "{created}");
        let id = created["client_id"].as_str().expect("a client_id").to_owned();
        let secret = created["client_secret"].as_str().expect("a secret").to_owned();
        assert!(secret.starts_with("sns_"), "{secret}");
        assert!(secret.len() >= 40, "a 256-bit secret: {secret}");
        assert_eq!(created["agency"], "KEMENSOS");
        assert_eq!(created["name"], "SIKS-NG");
        assert_eq!(created["auth_method"], "client_secret");
        assert_eq!(created["disabled"], false);
        assert_eq!(created["scopes"], json!(["graduations:read", "graduations:write"]));
        assert!(created["created_at"].is_string(), "{created}");

        // The secret works with client_secret_post and grants exactly those scopes.
        let (status, answer) = token_answer(&app, &id, &secret).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["scope"], "graduations:read graduations:write");
        assert_eq!(answer["token_type"], "Bearer");
        let claims = claims(answer["access_token"].as_str().unwrap());
        assert_eq!(claims["sub"], id.as_str());
        assert_eq!(claims["agency"], "KEMENSOS");
        assert_eq!(claims["scope"], "graduations:read graduations:write");
        // …and no other.
        let res = app.request_token(&id, &secret, Some("changes:read")).await;
        let (status, body) = status_and_json(res).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"], "invalid_scope");

        let stored = sinergi::db::clients::get(&mut app.db.connect(), &id)
            .unwrap()
            .expect("the client is stored");
        let hash = stored.secret_hash.expect("a secret hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(&secret), "{hash}");
        assert!(!hash.contains(secret.trim_start_matches("sns_")), "{hash}");
        assert!(stored.jwks.is_none());
    }

    async fn clients_are_listed_and_found_without_any_secret_or_hash(backend: Backend) {
        let app = spawn_app(backend).await;
        let created = create(&app, &siks_ng()).await;
        let id = created["client_id"].as_str().unwrap();

        let res = app.get(CLIENTS).await;
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        for leak in ["sns_", "argon2", "DEMO-SECRET", "secret_hash"] {
            assert!(!text.contains(leak), "the list shows {leak:?}: {text}");
        }
        let list: Value = serde_json::from_str(&text).unwrap();
        let mut names = Vec::new();
        keys(&list, &mut names);
        assert!(
            !names.iter().any(|k| k.contains("secret") || k.contains("hash")),
            "{names:?}"
        );
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), sinergi::demo::CLIENTS.len() + 1);
        let listed = items
            .iter()
            .find(|c| c["client_id"] == id)
            .expect("the new client is listed");
        let mut expected = created.clone();
        expected.as_object_mut().unwrap().remove("client_secret");
        assert_eq!(listed, &expected);
        assert!(items.iter().any(|c| c["client_id"] == "demo-admin"));

        let res = app.get(&format!("{CLIENTS}/{id}")).await;
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        assert!(!text.contains("sns_") && !text.contains("argon2"), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);

        let (status, demo) = app.get_json(&format!("{CLIENTS}/demo-auditor")).await;
        assert_eq!(status, 200);
        assert_eq!(demo["scopes"], json!(["audit:read"]));
        assert_eq!(demo["agency"], "KEMENKOPM");
    }

    async fn an_unknown_client_is_404_and_a_malformed_id_400_on_every_client_route(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let unknown = "6a1f0e3c-0000-4000-8000-000000000000";
        let body = problem(app.get(&format!("{CLIENTS}/{unknown}")).await, 404).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:not-found");
        for action in ["disable", "rotate-secret"] {
            let res = post_action(&app, &format!("{CLIENTS}/{unknown}/{action}"), &app.admin_token)
                .await;
            let body = problem(res, 404).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:not-found", "{action}");
        }

        let long = "a".repeat(65);
        for bad in ["a%20b", long.as_str(), "a%2Fb", "%C3%A9t%C3%A9"] {
            let body = problem(app.get(&format!("{CLIENTS}/{bad}")).await, 400).await.body;
            assert_eq!(body["errors"][0]["pointer"], "#/path/id", "{bad}: {body}");
            for action in ["disable", "rotate-secret"] {
                let path = format!("{CLIENTS}/{bad}/{action}");
                let body = problem(post_action(&app, &path, &app.admin_token).await, 400).await.body;
                assert_eq!(body["errors"][0]["pointer"], "#/path/id", "{path}: {body}");
            }
        }
        // 64 characters is still a well-formed id.
        let body = problem(app.get(&format!("{CLIENTS}/{}", "a".repeat(64))).await, 404).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:not-found");
    }

    async fn a_rotated_secret_replaces_the_old_one_at_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let created = create(&app, &siks_ng()).await;
        let id = created["client_id"].as_str().unwrap();
        let old = created["client_secret"].as_str().unwrap();
        let old_hash = sinergi::db::clients::get(&mut app.db.connect(), id)
            .unwrap()
            .unwrap()
            .secret_hash
            .unwrap();

        let res = post_action(&app, &format!("{CLIENTS}/{id}/rotate-secret"), &app.admin_token)
            .await;
        let (status, rotated) = status_and_json(res).await;
        assert_eq!(status, 200, "{rotated}");
        let new = rotated["client_secret"].as_str().expect("a new secret");
        assert!(new.starts_with("sns_"), "{new}");
        assert_ne!(new, old);
        assert_eq!(rotated["client_id"], id);
        assert_eq!(rotated["scopes"], created["scopes"]);
        assert_eq!(rotated["disabled"], false);

        assert_invalid_client(&app, id, old).await;
        let token = token_of(&app, id, new).await;
        let res = app
            .client
            .get(app.url("/v1/programs"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);

        let hash = sinergi::db::clients::get(&mut app.db.connect(), id)
            .unwrap()
            .unwrap()
            .secret_hash
            .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert_ne!(hash, old_hash);
        assert!(!hash.contains(new), "{hash}");
    }

    async fn tokens_issued_before_a_secret_rotation_stop_working_within_seconds(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let created = create(&app, &siks_ng()).await;
        let id = created["client_id"].as_str().unwrap();
        let old_token = token_of(&app, id, created["client_secret"].as_str().unwrap()).await;
        // Used once before, so any cache of the client's state is warm.
        assert_eq!(app.programs_status(&old_token).await, 200);

        let res = post_action(&app, &format!("{CLIENTS}/{id}/rotate-secret"), &app.admin_token)
            .await;
        let (status, rotated) = status_and_json(res).await;
        assert_eq!(status, 200, "{rotated}");
        // A token for the new secret, most likely from the rotation's own second, works at once.
        let new_token = token_of(&app, id, rotated["client_secret"].as_str().unwrap()).await;
        assert_eq!(app.programs_status(&new_token).await, 200);
        let revoked_before = sinergi::db::clients::get(&mut app.db.connect(), id)
            .unwrap()
            .unwrap()
            .tokens_revoked_before
            .expect("set by the rotation");
        let iat = |token: &str| claims(token)["iat"].as_i64().unwrap();
        assert!(iat(&old_token) < revoked_before, "{revoked_before}");
        assert!(iat(&new_token) >= revoked_before, "{revoked_before}");

        let started = Instant::now();
        let res = loop {
            let res = app
                .client
                .get(app.url("/v1/programs"))
                .bearer_auth(&old_token)
                .send()
                .await
                .unwrap();
            if res.status() == 401 {
                break res;
            }
            assert_eq!(res.status(), 200);
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "a token issued before the rotation still works after 5 s"
            );
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        };
        let challenge = res.headers()["www-authenticate"].to_str().unwrap().to_owned();
        assert!(challenge.contains("invalid_token"), "{challenge}");
        problem(res, 401).await;
        // The rotation is now known to every cache, and the new token is still good.
        assert_eq!(app.programs_status(&new_token).await, 200);
        let stored = sinergi::db::clients::get(&mut app.db.connect(), id).unwrap().unwrap();
        assert!(!stored.disabled);
    }

    async fn a_disabled_client_loses_its_tokens_within_seconds_and_gets_no_new_ones(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let created = create(&app, &siks_ng()).await;
        let id = created["client_id"].as_str().unwrap();
        let secret = created["client_secret"].as_str().unwrap();
        let token = token_of(&app, id, secret).await;
        let programs = || {
            app.client
                .get(app.url("/v1/programs"))
                .bearer_auth(&token)
                .send()
        };
        // Used once before, so any cache of the client's state is warm.
        assert_eq!(programs().await.unwrap().status(), 200);

        let res = post_action(&app, &format!("{CLIENTS}/{id}/disable"), &app.admin_token).await;
        let (status, disabled) = status_and_json(res).await;
        assert_eq!(status, 200, "{disabled}");
        assert_eq!(disabled["disabled"], true);
        assert_eq!(disabled["client_id"], id);
        assert!(disabled.get("client_secret").is_none(), "{disabled}");

        let started = Instant::now();
        let res = loop {
            let res = programs().await.unwrap();
            if res.status() == 401 {
                break res;
            }
            assert_eq!(res.status(), 200);
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the disabled client's token still works after 5 s"
            );
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        };
        let challenge = res.headers()["www-authenticate"].to_str().unwrap().to_owned();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        assert!(challenge.contains("invalid_token"), "{challenge}");
        problem(res, 401).await;

        assert_invalid_client(&app, id, secret).await;
        let (status, shown) = app.get_json(&format!("{CLIENTS}/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(shown["disabled"], true);
        let stored = sinergi::db::clients::get(&mut app.db.connect(), id).unwrap().unwrap();
        assert!(stored.disabled);
        // Disabling again is harmless.
        let res = post_action(&app, &format!("{CLIENTS}/{id}/disable"), &app.admin_token).await;
        assert_eq!(res.status(), 200);
    }

    async fn the_admin_cannot_disable_its_own_client_or_rotate_its_own_secret(backend: Backend) {
        let app = spawn_app(backend).await;
        for action in ["disable", "rotate-secret"] {
            let path = format!("{CLIENTS}/demo-admin/{action}");
            let body = problem(post_action(&app, &path, &app.admin_token).await, 409).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:conflict", "{action}");
        }

        let stored = sinergi::db::clients::get(&mut app.db.connect(), "demo-admin")
            .unwrap()
            .unwrap();
        assert!(!stored.disabled);
        assert_eq!(stored.tokens_revoked_before, None, "the secret was not rotated");
        // Past the time any cached state would be trusted, the admin still works.
        actix_web::rt::time::sleep(Duration::from_millis(2_500)).await;
        let (status, _) = app.get_json(CLIENTS).await;
        assert_eq!(status, 200);
        let fresh = app.token("demo-admin", None).await;
        let res = app.client.get(app.url(CLIENTS)).bearer_auth(&fresh).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }

    async fn only_an_admin_token_manages_clients(backend: Backend) {
        let app = spawn_app(backend).await;
        let before = client_count(&app);
        for publisher in ["demo-kemensos", "demo-auditor"] {
            let token = app.token(publisher, None).await;
            let res = post_json(&app, CLIENTS, &token, &siks_ng()).await;
            let challenge = res.headers()["www-authenticate"].to_str().unwrap().to_owned();
            let body = problem(res, 403).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:insufficient-scope", "{body}");
            assert!(challenge.contains("insufficient_scope"), "{challenge}");
            assert!(challenge.contains("scope=\"admin\""), "{challenge}");
            for action in ["disable", "rotate-secret"] {
                let res = post_action(&app, &format!("{CLIENTS}/demo-kemendes/{action}"), &token)
                    .await;
                problem(res, 403).await;
            }
        }
        assert_eq!(client_count(&app), before);
        let stored = sinergi::db::clients::get(&mut app.db.connect(), "demo-kemendes")
            .unwrap()
            .unwrap();
        assert!(!stored.disabled);
        let res = app.request_token(
            "demo-kemendes",
            &sinergi::demo::demo_secret("demo-kemendes"),
            None,
        )
        .await;
        assert_eq!(res.status(), 200, "its secret was not rotated");
    }

    async fn a_bad_client_body_is_refused_naming_the_field_and_creates_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let before = client_count(&app);
        let with = |field: &str, value: Value| {
            let mut body = siks_ng();
            body[field] = value;
            body
        };
        let mut with_d = public_jwks();
        with_d["keys"][0]["d"] = json!(URL_SAFE_NO_PAD.encode([1u8; 32]));
        let cases: Vec<(&str, Value, &str)> = vec![
            ("a malformed agency", with("agency", json!("kemensos")), "/agency"),
            ("an empty name", with("name", json!("")), "/name"),
            ("an untidy name", with("name", json!(" SIKS-NG")), "/name"),
            ("a name too long", with("name", json!("x".repeat(201))), "/name"),
            ("an unknown scope", with("scopes", json!(["graduations:delete"])), "/scopes"),
            ("an empty scope list", with("scopes", json!([])), "/scopes"),
            ("scopes that are no list", with("scopes", json!("admin")), "/scopes"),
            ("a private key in the JWKS", with("jwks", with_d), "/jwks"),
            ("a JWKS without keys", with("jwks", json!({"keys": []})), "/jwks"),
            ("a JWKS that is no set", with("jwks", json!(["k"])), "/jwks"),
            ("a shared-secret key", with("jwks", json!({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})), "/jwks"),
        ];
        for (case, body, pointer) in cases {
            let res = post_json(&app, CLIENTS, &app.admin_token, &body).await;
            let problem = problem(res, 400).await.body;
            assert_eq!(problem["type"], "urn:sinergi:problem:validation", "{case}: {problem}");
            let got = problem["errors"][0]["pointer"].as_str().unwrap_or_default();
            assert!(got.starts_with(pointer), "{case}: pointer {got:?}, wanted {pointer}: {problem}");
            if pointer != "/scopes" {
                assert_eq!(got, pointer, "{case}: {problem}");
            }
            assert_eq!(client_count(&app), before, "{case} created a client");
        }

        // An agency that does not exist is a missing resource, not a malformed field.
        let problem_body = problem(
            post_json(&app, CLIENTS, &app.admin_token, &with("agency", json!("NOPE"))).await,
            404,
        )
        .await.body;
        assert_eq!(problem_body["detail"], "no agency has this code");
        assert_eq!(client_count(&app), before);

        // Fields a caller may not choose are refused, not ignored.
        for field in ["id", "client_id", "client_secret", "disabled"] {
            let body = with(field, json!("chosen-by-caller"));
            let problem = problem(post_json(&app, CLIENTS, &app.admin_token, &body).await, 400).await.body;
            let error = &problem["errors"][0];
            let names = error["pointer"] == format!("/{field}")
                || error["detail"].as_str().is_some_and(|d| d.contains(&format!("`{field}`")));
            assert!(names, "{field}: {problem}");
            assert_eq!(client_count(&app), before, "{field} created a client");
        }

        // A missing field is named too.
        let problem = problem(
            post_json(&app, CLIENTS, &app.admin_token, &json!({"name": "x", "scopes": ["admin"]}))
                .await,
            400,
        )
        .await.body;
        assert!(problem["detail"].as_str().unwrap().contains("agency"), "{problem}");
        assert_eq!(client_count(&app), before);
    }

    async fn a_body_that_is_not_json_is_refused_as_such(backend: Backend) {
        let app = spawn_app(backend).await;
        let before = client_count(&app);
        let valid = siks_ng().to_string();

        let body = problem(post_raw(&app, "text/plain", valid.clone()).await, 415).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:unsupported-media-type");
        let res = app
            .client
            .post(app.url(CLIENTS))
            .bearer_auth(&app.admin_token)
            .body(valid.clone())
            .send()
            .await
            .unwrap();
        problem(res, 415).await;
        assert_eq!(client_count(&app), before);

        for malformed in [
            r#"{"agency": "KEMENSOS", "name": "#,
            r#"{"agency" "KEMENSOS"}"#,
            "",
            "\u{feff}{}",
        ] {
            let body = problem(post_raw(&app, "application/json", malformed).await, 400).await.body;
            assert_eq!(body["type"], "urn:sinergi:problem:malformed-body", "{malformed:?}: {body}");
            assert_eq!(client_count(&app), before, "{malformed:?}");
        }
    }

    async fn a_body_over_the_limit_is_refused_with_413(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
        let app = spawn_with(db, |s| s.max_body_bytes = 1024).await;
        let before = client_count(&app);

        // Just under the limit is fine…
        let mut small = siks_ng();
        small["name"] = json!("n".repeat(150));
        assert!(small.to_string().len() < 1024);
        create(&app, &small).await;
        assert_eq!(client_count(&app), before + 1);

        // …over it is not, whatever the body holds.
        let mut big = siks_ng();
        big["name"] = json!("n".repeat(2_000));
        let body = problem(post_json(&app, CLIENTS, &app.admin_token, &big).await, 413).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:payload-too-large");
        let body = problem(post_raw(&app, "application/json", "x".repeat(1_025)).await, 413).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:payload-too-large");
        assert_eq!(client_count(&app), before + 1);
    }

    async fn a_client_with_a_key_set_gets_no_secret_and_none_to_rotate(backend: Backend) {
        let app = spawn_app(backend).await;
        let mut body = siks_ng();
        body["jwks"] = public_jwks();
        let created = create(&app, &body).await;
        assert!(created.get("client_secret").is_none(), "{created}");
        assert_eq!(created["auth_method"], "private_key_jwt");
        assert_eq!(created["disabled"], false);
        let id = created["client_id"].as_str().unwrap();

        let stored = sinergi::db::clients::get(&mut app.db.connect(), id).unwrap().unwrap();
        assert!(stored.secret_hash.is_none());
        let jwks: Value = serde_json::from_str(stored.jwks.as_deref().expect("stored keys")).unwrap();
        assert_eq!(jwks, public_jwks());

        let res = post_action(&app, &format!("{CLIENTS}/{id}/rotate-secret"), &app.admin_token)
            .await;
        let body = problem(res, 409).await.body;
        assert_eq!(body["type"], "urn:sinergi:problem:conflict");
        assert!(body["detail"].as_str().unwrap().contains("private_key_jwt"), "{body}");
        let stored = sinergi::db::clients::get(&mut app.db.connect(), id).unwrap().unwrap();
        assert!(stored.secret_hash.is_none(), "rotation gave a key-based client a secret");

        // No secret authenticates it.
        assert_invalid_client(&app, id, "sns_guess").await;
        let (status, shown) = app.get_json(&format!("{CLIENTS}/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(shown["auth_method"], "private_key_jwt");
        assert!(shown.get("jwks").is_none(), "{shown}");
    }
}
