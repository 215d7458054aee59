//! `sinergi clients …` and `sinergi keys rotate`: the operator's CLI for credentials, run as
//! the real binary against a database of either backend.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::cli::{fails, json_of};
use crate::common::{Backend, TestDb};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

const SCOPES: &str = "graduations:read changes:read";

fn sinergi(dir: &Path, database_url: &str, args: &[&str]) -> Command {
    crate::common::sinergi_command(dir, Some(database_url), args)
}

/// The database, a working directory, and the binary pointed at both.
struct Cli {
    db: TestDb,
    dir: tempfile::TempDir,
}

impl Cli {
    /// A migrated database holding the agency KEMENSOS, added with the CLI.
    fn with_agency(backend: Backend) -> Self {
        let cli = Self {
            db: TestDb::new(backend),
            dir: tempfile::tempdir().expect("temp dir"),
        };
        cli.json(&[
            "agencies",
            "add",
            "--code",
            "KEMENSOS",
            "--name",
            "Kementerian Sosial",
        ]);
        cli
    }

    fn run(&self, args: &[&str]) -> Output {
        sinergi(self.dir.path(), &self.db.url, args)
            .output()
            .expect("run sinergi")
    }

    /// Runs a command that must succeed and print one JSON document; returns it and the
    /// raw text.
    fn json_and_text(&self, args: &[&str]) -> (Value, String) {
        let out = self.run(args);
        let value = json_of(&out, args);
        (value, String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn json(&self, args: &[&str]) -> Value {
        self.json_and_text(args).0
    }

    /// Runs a command that must fail, printing no secret; returns its exit code and stderr.
    fn fails(&self, args: &[&str]) -> (Option<i32>, String) {
        let out = self.run(args);
        let stderr = fails(&out, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains("sns_"),
            "{args:?} printed a secret: {stdout}"
        );
        (out.status.code(), stderr)
    }

    fn create(&self, name: &str) -> Value {
        self.json(&[
            "clients", "create", "--agency", "KEMENSOS", "--name", name, "--scopes", SCOPES,
        ])
    }

    fn write(&self, file: &str, contents: &str) -> String {
        let path = self.dir.path().join(file);
        std::fs::write(&path, contents).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn client_count(&self) -> usize {
        sinergi::db::clients::list(&mut self.db.connect())
            .unwrap()
            .len()
    }

    /// Whether `secret` authenticates client `id` now.
    fn authenticates(&self, id: &str, secret: &str) -> bool {
        sinergi::auth::client_auth::check_secret(&mut self.db.connect(), id, secret)
            .unwrap()
            .is_ok()
    }
}

fn public_jwks() -> Value {
    json!({"keys": [{"kty": "OKP", "crv": "Ed25519",
                     "x": URL_SAFE_NO_PAD.encode([42u8; 32]), "kid": "k1"}]})
}

both_backends! {
    fn clients_create_prints_the_client_with_its_secret_once(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let created = cli.create("X");
        let id = created["client_id"].as_str().expect("a client_id");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        let secret = created["client_secret"].as_str().expect("a client_secret");
        assert!(secret.starts_with("sns_"), "{secret}");
        assert_eq!(created["agency"], "KEMENSOS");
        assert_eq!(created["name"], "X");
        assert_eq!(created["scopes"], json!(["graduations:read", "changes:read"]));
        assert_eq!(created["auth_method"], "client_secret");
        assert_eq!(created["disabled"], false);

        let stored = sinergi::db::clients::get(&mut cli.db.connect(), id).unwrap().unwrap();
        let hash = stored.secret_hash.expect("a secret hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(secret), "{hash}");
        assert!(cli.authenticates(id, secret));
        assert!(!cli.authenticates(id, "sns_wrong"));

        // `--secret` says the same as the default.
        let explicit = cli.json(&[
            "clients", "create", "--agency", "KEMENSOS", "--name", "Y", "--scopes", "admin",
            "--secret",
        ]);
        assert!(explicit["client_secret"].as_str().unwrap().starts_with("sns_"));
        assert_ne!(explicit["client_id"], created["client_id"]);
        assert_ne!(explicit["client_secret"], created["client_secret"]);
        assert_eq!(cli.client_count(), 2);
    }

    fn clients_create_with_a_jwks_file_prints_no_secret(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let file = cli.write("jwks.json", &public_jwks().to_string());
        let (created, text) = cli.json_and_text(&[
            "clients", "create", "--agency", "KEMENSOS", "--name", "Keyed", "--scopes", SCOPES,
            "--jwks", &file,
        ]);
        assert!(created.get("client_secret").is_none(), "{created}");
        assert!(!text.contains("sns_"), "{text}");
        assert_eq!(created["auth_method"], "private_key_jwt");
        let id = created["client_id"].as_str().unwrap();
        let stored = sinergi::db::clients::get(&mut cli.db.connect(), id).unwrap().unwrap();
        assert!(stored.secret_hash.is_none());
        let keys: Value = serde_json::from_str(stored.jwks.as_deref().unwrap()).unwrap();
        assert_eq!(keys, public_jwks());

        // A key-based client has no secret to rotate.
        let (_, stderr) = cli.fails(&["clients", "rotate-secret", id]);
        assert!(stderr.contains(&format!("no secret-based client {id}")), "{stderr}");
    }

    fn clients_create_refuses_bad_input_naming_it_and_creates_nothing(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let base = ["clients", "create", "--agency", "KEMENSOS", "--name", "X"];
        let with = |extra: &[&str]| -> Vec<String> {
            base.iter().chain(extra).map(|s| s.to_string()).collect()
        };
        let run = |args: Vec<String>| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            cli.fails(&args)
        };

        let (code, stderr) = run(with(&["--scopes", "nope"]));
        assert_eq!(code, Some(2), "a usage error: {stderr}");
        assert!(stderr.contains("--scopes"), "{stderr}");
        assert!(stderr.contains("scope number 1 is not a scope"), "{stderr}");
        let (code, stderr) = run(with(&["--scopes", "changes:read graduations:delete"]));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("scope number 2 is not a scope"), "{stderr}");
        let (code, stderr) = run(with(&["--scopes", " "]));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("at least one scope"), "{stderr}");

        let jwks = cli.write("jwks.json", &public_jwks().to_string());
        let (code, stderr) = run(with(&["--scopes", SCOPES, "--secret", "--jwks", &jwks]));
        assert_eq!(code, Some(2), "refused by the parser: {stderr}");
        assert!(stderr.contains("cannot be used with"), "{stderr}");
        assert!(stderr.contains("--secret") && stderr.contains("--jwks"), "{stderr}");

        let mut private = public_jwks();
        private["keys"][0]["d"] = json!(URL_SAFE_NO_PAD.encode([1u8; 32]));
        let private = cli.write("private.json", &private.to_string());
        let (code, stderr) = run(with(&["--scopes", SCOPES, "--jwks", &private]));
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("--jwks"), "{stderr}");
        assert!(stderr.contains("public keys only"), "{stderr}");

        let missing = cli.dir.path().join("missing.json");
        let (_, stderr) = run(with(&["--scopes", SCOPES, "--jwks", missing.to_str().unwrap()]));
        assert!(stderr.contains("missing.json"), "{stderr}");

        let (code, stderr) = cli.fails(&[
            "clients", "create", "--agency", "KEMENDES", "--name", "X", "--scopes", SCOPES,
        ]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("no agency KEMENDES"), "{stderr}");
        let (_, stderr) = cli.fails(&[
            "clients", "create", "--agency", "KEMENSOS", "--name", "", "--scopes", SCOPES,
        ]);
        assert!(stderr.contains("--name"), "{stderr}");

        assert_eq!(cli.client_count(), 0);
    }

    fn clients_list_shows_every_client_without_secrets(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let (empty, _) = cli.json_and_text(&["clients", "list"]);
        assert_eq!(empty, json!({"items": []}));

        let first = cli.create("First");
        let file = cli.write("jwks.json", &public_jwks().to_string());
        let keyed = cli.json(&[
            "clients", "create", "--agency", "KEMENSOS", "--name", "Keyed", "--scopes", "admin",
            "--jwks", &file,
        ]);
        let (listed, text) = cli.json_and_text(&["clients", "list"]);
        for leak in ["sns_", "argon2", "secret_hash", "\"client_secret\":", "\"jwks\"", "\"x\""] {
            assert!(!text.contains(leak), "the list shows {leak}: {text}");
        }
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{listed}");
        let mut expected = first.clone();
        expected.as_object_mut().unwrap().remove("client_secret");
        assert!(items.contains(&expected), "{listed}");
        assert!(items.contains(&keyed), "{listed}");
    }

    fn clients_rotate_secret_prints_a_new_secret_and_the_old_stops_working(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let created = cli.create("X");
        let id = created["client_id"].as_str().unwrap();
        let old = created["client_secret"].as_str().unwrap();

        let rotated = cli.json(&["clients", "rotate-secret", id]);
        let new = rotated["client_secret"].as_str().expect("a new secret");
        assert!(new.starts_with("sns_"), "{new}");
        assert_ne!(new, old);
        assert_eq!(rotated["client_id"], id);
        assert_eq!(rotated["scopes"], created["scopes"]);
        assert!(cli.authenticates(id, new));
        assert!(!cli.authenticates(id, old));

        let (code, stderr) = cli.fails(&["clients", "rotate-secret", "no-such-client"]);
        assert_eq!(code, Some(1));
        assert!(stderr.contains("no secret-based client no-such-client"), "{stderr}");
    }

    fn clients_disable_prints_the_client_disabled(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let created = cli.create("X");
        let id = created["client_id"].as_str().unwrap();
        let secret = created["client_secret"].as_str().unwrap();

        let (disabled, text) = cli.json_and_text(&["clients", "disable", id]);
        assert_eq!(disabled["disabled"], true);
        assert_eq!(disabled["client_id"], id);
        assert!(!text.contains("sns_") && !text.contains("argon2"), "{text}");
        assert!(!cli.authenticates(id, secret), "a disabled client still authenticates");
        let listed = cli.json(&["clients", "list"]);
        assert_eq!(listed["items"][0]["disabled"], true);

        let (code, stderr) = cli.fails(&["clients", "disable", "no-such-client"]);
        assert_eq!(code, Some(1));
        assert!(stderr.contains("no client no-such-client"), "{stderr}");
    }

    fn keys_rotate_makes_a_new_signing_key_current_each_time(backend: Backend) {
        let cli = Cli::with_agency(backend);
        let first = cli.json(&["keys", "rotate"]);
        assert_eq!(first["status"], "rotated", "{first}");
        let kid1 = first["kid"].as_str().expect("a kid").to_owned();
        assert_eq!(first, json!({"status": "rotated", "kid": kid1}));
        let second = cli.json(&["keys", "rotate"]);
        assert_eq!(second["status"], "rotated", "{second}");
        let kid2 = second["kid"].as_str().expect("a kid").to_owned();
        assert_ne!(kid1, kid2);

        let now = chrono::Utc::now().timestamp();
        let keys = sinergi::db::signing_keys::verifying(&mut cli.db.connect(), now, 900).unwrap();
        let current: Vec<&str> = keys
            .iter()
            .filter(|k| k.retired_at.is_none())
            .map(|k| k.kid.as_str())
            .collect();
        assert_eq!(current, [kid2.as_str()], "exactly the newest key signs");
        assert!(
            keys.iter().any(|k| k.kid == kid1 && k.retired_at.is_some()),
            "the previous key still verifies"
        );
        for key in &keys {
            assert!(!key.private_key.contains("PRIVATE KEY"), "a private key in clear");
        }
    }
}

both_backends! {
    async fn clients_rotate_secret_revokes_the_tokens_issued_before(backend: Backend) {
        let app = crate::common::spawn_app(backend).await;
        let id = "demo-kemensos";
        let old_token = app.token(id, None).await;
        assert_eq!(app.programs_status(&old_token).await, 200);

        let dir = tempfile::tempdir().unwrap();
        let out = sinergi(dir.path(), &app.db.url, &["clients", "rotate-secret", id])
            .output()
            .expect("run sinergi");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rotated: Value = serde_json::from_slice(&out.stdout).unwrap();
        let res = app
            .request_token(id, rotated["client_secret"].as_str().unwrap(), None)
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let new_token = body["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.programs_status(&new_token).await, 200);

        let started = std::time::Instant::now();
        while app.programs_status(&old_token).await == 200 {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "a token issued before the rotation still works after 5 s"
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(app.programs_status(&old_token).await, 401);
        assert_eq!(app.programs_status(&new_token).await, 200);
    }
}
