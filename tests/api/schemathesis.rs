//! Schemathesis (every check, every phase) against the built binary in demo mode, per backend.
//!
//! Needs the `st` command (`pip install schemathesis`); `.ci/run` installs it. Set
//! `TEST_ST_EXAMPLES` for a longer run and `TEST_ST_SEED` to replay one.

use std::process::Command;

use crate::common::demo_server::start_demo;
use crate::common::{Backend, TestDb};

fn demo_token(base: &str, client: &str) -> String {
    let secret = sinergi::demo::demo_secret(client);
    let res = reqwest::blocking::Client::new()
        .post(format!("{base}/oauth/token"))
        .basic_auth(client, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .expect("token request");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

fn schemathesis_finds_nothing(backend: Backend) {
    let db = TestDb::empty(backend);
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = start_demo(&db, dir.path());
    let examples = std::env::var("TEST_ST_EXAMPLES").unwrap_or_else(|_| "100".into());
    let seed = std::env::var("TEST_ST_SEED").unwrap_or_else(|_| "20261128".into());
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis.toml");
    let status = Command::new("st")
        .args(["--config-file", config])
        // Every check is on by default; `--checks all` would also override the per-operation
        // settings in the config file.
        .args(["run", &format!("{base}/openapi.json")])
        // The demo admin holds every scope; records are published by their programs' owners.
        .env("ST_ADMIN_TOKEN", demo_token(&base, "demo-admin"))
        .env("ST_KEMENSOS_TOKEN", demo_token(&base, "demo-kemensos"))
        .env("ST_KEMENDES_TOKEN", demo_token(&base, "demo-kemendes"))
        .env("ST_TOKEN_BASIC", {
            use base64::Engine;
            let secret = sinergi::demo::demo_secret("demo-kemensos");
            base64::engine::general_purpose::STANDARD.encode(format!("demo-kemensos:{secret}"))
        })
        .args([
            "--max-examples",
            &examples,
            "--seed",
            &seed,
            // One worker: CPython 3.11 can crash schemathesis's coverage phase with
            // "AST constructor recursion depth mismatch" when it compiles on two threads.
            "--workers",
            "1",
        ])
        .current_dir(dir.path())
        .status()
        .expect("schemathesis is not installed: pip install schemathesis");
    assert!(
        status.success(),
        "schemathesis found problems on {backend:?}"
    );
}

#[test]
fn schemathesis_finds_nothing_on_sqlite() {
    schemathesis_finds_nothing(Backend::Sqlite);
}

#[test]
fn schemathesis_finds_nothing_on_postgres() {
    schemathesis_finds_nothing(Backend::Postgres);
}
