//! Schemathesis (every check, every phase) against the built binary in demo mode, per backend.
//!
//! Needs the `st` command (`pip install schemathesis`); `.ci/run` installs it. Set
//! `TEST_ST_EXAMPLES` for a longer run and `TEST_ST_SEED` to replay one.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Backend, TestDb};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sinergi serve --demo` on a free port and returns it with its base URL.
fn start_demo(db: &TestDb, dir: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["serve", "--demo"])
        .current_dir(dir)
        .env("SINERGI_DATABASE_URL", &db.url)
        .env(
            "SINERGI_KEY_ENCRYPTION_KEY",
            sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64(),
        )
        .env("SINERGI_BIND", "127.0.0.1:0")
        .env("SINERGI_LOG", "warn")
        // Limits high enough that schemathesis explores the API rather than the 429 path.
        .env("SINERGI_RATE_PER_SECOND", "100000")
        .env("SINERGI_RATE_BURST", "100000")
        .env("SINERGI_ANONYMOUS_RATE_PER_SECOND", "100000")
        .env("SINERGI_ANONYMOUS_RATE_BURST", "100000")
        .env("SINERGI_AUDIT_LOOKUP_RATE_PER_SECOND", "100000")
        .env("SINERGI_AUDIT_LOOKUP_RATE_BURST", "100000")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start sinergi");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("read stdout");
        if let Some(rest) = line.strip_prefix("Sinergi demo is running at ") {
            // Keep draining, or the server's next log line fails on a closed pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return (server, rest.trim().to_owned());
        }
        assert!(Instant::now() < deadline, "the demo server did not start");
    }
    panic!("the demo server exited before it was ready");
}

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
