//! The `sinergi` binary itself: JSON output, exit codes and error messages.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::cli::{fails, json_of};
use crate::common::{Backend, TestDb};
use serde_json::{Value, json};

use crate::common::sinergi_command as sinergi;

/// The database, a working directory, and the binary pointed at both.
struct Cli {
    db: TestDb,
    dir: tempfile::TempDir,
}

impl Cli {
    fn new(db: TestDb) -> Self {
        Self {
            db,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        sinergi(self.dir.path(), Some(&self.db.url), args)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run sinergi")
    }

    /// Runs a command that must succeed and print one JSON document.
    fn json(&self, args: &[&str]) -> Value {
        json_of(&self.run(args), args)
    }

    /// Runs a command that must fail; returns its stderr.
    fn fails(&self, args: &[&str]) -> String {
        fails(&self.run(args), args)
    }
}

/// Kills a child process if the test ends (or panics) while it still runs.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn add_agency(cli: &Cli) {
    cli.json(&[
        "agencies",
        "add",
        "--code",
        "KEMENSOS",
        "--name",
        "Kementerian Sosial",
    ]);
}

fn add_pkh(cli: &Cli) -> Value {
    cli.json(&[
        "programs",
        "add",
        "--code",
        "PKH",
        "--name",
        "Program Keluarga Harapan",
        "--agency",
        "KEMENSOS",
        "--kind",
        "social_assistance",
    ])
}

both_backends! {
    fn migrate_prepares_an_empty_database_and_says_so(backend: Backend) {
        let cli = Cli::new(TestDb::empty(backend));
        let out = cli.json(&["migrate"]);
        let name = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgresql",
        };
        assert_eq!(out, json!({"status": "migrated", "backend": name}));
        let mut conn = cli.db.connect();
        assert!(sinergi::db::agencies::list(&mut conn).unwrap().is_empty());
        assert!(!sinergi::db::regions::sync(&mut conn).unwrap(), "regions were loaded");
        // Running it again is harmless.
        assert_eq!(cli.json(&["migrate"])["status"], "migrated");
    }

    fn an_agency_is_added_once_and_listed(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        let added = cli.json(&[
            "agencies", "add", "--code", "KEMENSOS", "--name", "Kementerian Sosial",
        ]);
        assert_eq!(added, json!({"code": "KEMENSOS", "name": "Kementerian Sosial"}));

        let stderr = cli.fails(&[
            "agencies", "add", "--code", "KEMENSOS", "--name", "Another name",
        ]);
        assert!(stderr.contains("agency KEMENSOS already exists"), "{stderr}");

        let listed = cli.json(&["agencies", "list"]);
        assert_eq!(
            listed,
            json!({"items": [{"code": "KEMENSOS", "name": "Kementerian Sosial"}]})
        );
        let stored = sinergi::db::agencies::list(&mut cli.db.connect()).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].name, "Kementerian Sosial");
    }

    fn an_invalid_agency_code_or_name_is_refused_with_the_reason(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        let out = cli.run(&["agencies", "add", "--code", "kemensos", "--name", "Kementerian Sosial"]);
        let stderr = fails(&out, &["agencies", "add", "--code", "kemensos"]);
        assert_eq!(out.status.code(), Some(2), "a usage error: {stderr}");
        assert!(stderr.contains("kemensos"), "{stderr}");
        assert!(stderr.contains("--code"), "{stderr}");
        assert!(stderr.contains("must start with an uppercase letter"), "{stderr}");

        let stderr = cli.fails(&["agencies", "add", "--code", "KEMEN SOS", "--name", "X"]);
        assert!(stderr.contains("may contain only"), "{stderr}");
        let stderr = cli.fails(&["agencies", "add", "--code", "KEMENSOS", "--name", ""]);
        assert!(stderr.contains("--name"), "{stderr}");
        let stderr = cli.fails(&["agencies", "add", "--code", "KEMENSOS"]);
        assert!(stderr.contains("--name"), "{stderr}");

        assert!(sinergi::db::agencies::list(&mut cli.db.connect()).unwrap().is_empty());
    }

    fn a_program_is_added_listed_deactivated_and_activated(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        add_agency(&cli);
        let pkh = json!({
            "code": "PKH", "name": "Program Keluarga Harapan", "agency": "KEMENSOS",
            "kind": "social_assistance", "active": true
        });
        assert_eq!(add_pkh(&cli), pkh);
        let stderr = cli.fails(&[
            "programs", "add", "--code", "PKH", "--name", "Again", "--agency", "KEMENSOS",
            "--kind", "empowerment",
        ]);
        assert!(stderr.contains("program PKH already exists"), "{stderr}");

        assert_eq!(
            cli.json(&["programs", "list", "--agency", "KEMENSOS"]),
            json!({"items": [pkh]})
        );
        assert_eq!(cli.json(&["programs", "list"]), json!({"items": [pkh]}));
        assert_eq!(
            cli.json(&["programs", "list", "--agency", "KEMENDES"]),
            json!({"items": []})
        );

        let deactivated = cli.json(&["programs", "deactivate", "PKH"]);
        assert_eq!(deactivated["active"], false);
        assert_eq!(deactivated["code"], "PKH");
        let listed = cli.json(&["programs", "list", "--agency", "KEMENSOS"]);
        assert_eq!(listed["items"][0]["active"], false);
        let code = sinergi::domain::code::ProgramCode::parse("PKH").unwrap();
        let stored = sinergi::db::programs::get(&mut cli.db.connect(), &code).unwrap();
        assert!(!stored.expect("PKH is stored").active);

        assert_eq!(cli.json(&["programs", "activate", "PKH"]), pkh);
        let listed = cli.json(&["programs", "list"]);
        assert_eq!(listed["items"][0]["active"], true);

        let stderr = cli.fails(&["programs", "deactivate", "NOPE"]);
        assert!(stderr.contains("no program NOPE"), "{stderr}");
        let stderr = cli.fails(&["programs", "activate", "NOPE"]);
        assert!(stderr.contains("no program NOPE"), "{stderr}");

        // The follow-up window: set, refused out of range, back to the default.
        let watch = |conn: &mut sinergi::db::AnyConnection| {
            sinergi::db::programs::watch_terms(conn).unwrap()["PKH"].1
        };
        assert_eq!(
            cli.json(&["programs", "follow-up", "PKH", "--days", "180"]),
            json!({"code": "PKH", "follow_up_days": 180})
        );
        assert_eq!(watch(&mut cli.db.connect()), Some(180));
        let stderr = cli.fails(&["programs", "follow-up", "PKH", "--days", "0"]);
        assert!(stderr.contains("--days"), "{stderr}");
        assert_eq!(
            cli.json(&["programs", "follow-up", "PKH", "--default"]),
            json!({"code": "PKH", "follow_up_days": null})
        );
        assert_eq!(watch(&mut cli.db.connect()), None);
        let stderr = cli.fails(&["programs", "follow-up", "NOPE", "--days", "30"]);
        assert!(stderr.contains("no program NOPE"), "{stderr}");
    }

    fn a_program_can_be_created_inactive(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        add_agency(&cli);
        let added = cli.json(&[
            "programs", "add", "--code", "PENA", "--name", "Pahlawan Ekonomi Nusantara",
            "--agency", "KEMENSOS", "--kind", "empowerment", "--inactive",
        ]);
        assert_eq!(added["active"], false);
        assert_eq!(added["kind"], "empowerment");
        assert_eq!(cli.json(&["programs", "list"])["items"][0]["active"], false);
    }

    fn a_program_of_an_unknown_agency_or_kind_is_refused(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        add_agency(&cli);
        let stderr = cli.fails(&[
            "programs", "add", "--code", "PKTD", "--name", "Padat Karya Tunai Desa",
            "--agency", "KEMENDES", "--kind", "empowerment",
        ]);
        assert!(stderr.contains("no agency KEMENDES"), "{stderr}");

        let args = [
            "programs", "add", "--code", "PKH", "--name", "Program Keluarga Harapan",
            "--agency", "KEMENSOS", "--kind", "bansos",
        ];
        let out = cli.run(&args);
        let stderr = fails(&out, &args);
        assert_eq!(out.status.code(), Some(2), "a usage error: {stderr}");
        assert!(stderr.contains("bansos"), "{stderr}");
        assert!(stderr.contains("--kind"), "{stderr}");
        assert!(stderr.contains("social_assistance or empowerment"), "{stderr}");

        let stderr = cli.fails(&["programs", "list", "--agency", "kemensos"]);
        assert!(stderr.contains("must start with an uppercase letter"), "{stderr}");
        assert_eq!(cli.json(&["programs", "list"]), json!({"items": []}));
    }

    fn serve_demo_refuses_a_database_with_other_data(backend: Backend) {
        let cli = Cli::new(TestDb::new(backend));
        add_agency(&cli);
        let child = cli
            .command(&["serve", "--demo"])
            .env("SINERGI_BIND", "127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sinergi serve --demo");
        let mut child = Running(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.0.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "serve --demo did not exit within 60 s");
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut stderr = String::new();
        child.0.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert!(!status.success(), "serve --demo started over real data: {stderr}");
        assert!(
            stderr.contains("already holds data that the demo did not create"),
            "{stderr}"
        );

        let mut conn = cli.db.connect();
        let agencies = sinergi::db::agencies::list(&mut conn).unwrap();
        assert_eq!(agencies.len(), 1, "the demo seeded into real data");
        assert!(sinergi::db::meta::get(&mut conn, sinergi::db::meta::DEMO).unwrap().is_none());
    }

    fn serve_demo_on_an_empty_database_seeds_it_and_prints_the_welcome(backend: Backend) {
        let cli = Cli::new(TestDb::empty(backend));
        let child = cli
            .command(&["serve", "--demo"])
            .env("SINERGI_BIND", "127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sinergi serve --demo");
        let mut child = Running(child);
        let stdout = child.0.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut seen = Vec::new();
        let docs = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains("/docs/") => break line,
                Ok(line) => seen.push(line),
                Err(_) => panic!("no welcome within 120 s; stdout so far: {seen:#?}"),
            }
        };
        assert!(
            seen.iter().any(|l| l.contains("Sinergi demo is running at http://127.0.0.1:")),
            "{seen:#?}"
        );
        let base = docs
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .expect("the docs URL")
            .trim_end_matches("/docs/")
            .to_owned();
        let port: u16 = base.rsplit(':').next().unwrap().parse().expect("a port");
        assert_ne!(port, 0, "the welcome shows the port actually bound");
        assert_eq!(docs.trim(), format!("Interactive API docs:   {base}/docs/"));

        // The server really listens there.
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with(r#"{"status":"ok"}"#), "{response}");

        let mut conn = cli.db.connect();
        assert_eq!(sinergi::db::agencies::list(&mut conn).unwrap().len(), 6);
        assert!(sinergi::db::meta::get(&mut conn, sinergi::db::meta::DEMO).unwrap().is_some());
        drop(conn);
        drop(child);
    }

    fn an_unreachable_database_is_reported_with_the_real_cause(backend: Backend) {
        // The backend picks the scheme of the broken URL: a refused PostgreSQL port, or an
        // SQLite path that cannot be created.
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "not a directory").unwrap();
        let (url, cause) = match backend {
            Backend::Postgres => (
                "postgres://postgres@127.0.0.1:1/sinergi".to_owned(),
                "connection refused",
            ),
            Backend::Sqlite => (
                format!("sqlite://{}/sub/sinergi.db", blocker.display()),
                "cannot create the directory",
            ),
        };
        for args in [&["migrate"][..], &["agencies", "list"][..]] {
            let started = Instant::now();
            let out = sinergi(dir.path(), Some(&url), args).output().unwrap();
            let stderr = fails(&out, args);
            assert!(stderr.to_lowercase().contains(cause), "{args:?}: {stderr}");
            assert!(!stderr.contains("in time"), "{args:?}: {stderr}");
            assert!(started.elapsed() < Duration::from_secs(30), "{args:?}");
        }
    }
}

#[test]
fn openapi_prints_the_committed_3_1_document() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["openapi"];
    let doc = json_of(&sinergi(dir.path(), None, &args).output().unwrap(), &args);
    let version = doc["openapi"].as_str().expect("an openapi field");
    assert!(version.starts_with("3.1"), "{version}");
    assert!(
        doc["paths"]["/v1/programs/{code}"]["get"].is_object(),
        "{doc}"
    );
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json"))
            .expect("the committed document");
    assert_eq!(doc, serde_json::from_str::<Value>(&committed).unwrap());
    assert!(
        !dir.path().join("sinergi-data").exists(),
        "printing the document touched the database"
    );
}

#[test]
fn an_unsupported_database_scheme_is_named() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["migrate"][..], &["agencies", "list"][..], &["serve"][..]] {
        let out = sinergi(dir.path(), Some("mysql://x"), args)
            .output()
            .unwrap();
        let stderr = fails(&out, args);
        assert!(
            stderr.contains("unsupported database URL scheme"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("\"mysql\""), "{args:?}: {stderr}");
    }
}

#[test]
fn a_postgres_url_to_a_closed_port_reports_connection_refused() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["migrate"];
    let started = Instant::now();
    let out = sinergi(
        dir.path(),
        Some("postgres://postgres@127.0.0.1:1/sinergi"),
        &args,
    )
    .output()
    .unwrap();
    let stderr = fails(&out, &args);
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(
        !stderr.contains("timed out") && !stderr.contains("in time"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_stray_setting_in_the_environment_is_refused() {
    // Guards the isolation the other tests rely on: settings come from the environment.
    let dir = tempfile::tempdir().unwrap();
    let args = ["agencies", "list"];
    let out = sinergi(dir.path(), Some("mysql://x"), &args)
        .env("SINERGI_DATABSE_URL", "sqlite://x")
        .output()
        .unwrap();
    let stderr = fails(&out, &args);
    assert!(stderr.contains("databse_url"), "{stderr}");
}

#[test]
fn the_embedded_database_is_its_users_alone_and_a_readable_one_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sinergi-data");
    let db = data.join("sinergi.db");
    let url = format!("sqlite://{}", db.display());
    // While serving, the journal files exist too.
    let service =
        crate::common::service::Service::start(dir.path(), &url, &["serve", "--demo"], &[]);
    assert_eq!(mode(&data), 0o700, "the data directory");
    // (The key-encryption key comes from the environment here, so no key file is made.)
    for name in ["sinergi.db", "sinergi.db-wal", "sinergi.db-shm"] {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}");
    }
    drop(service);

    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [&["migrate"][..], &["serve"][..]] {
        let out = sinergi(dir.path(), Some(&url), args).output().unwrap();
        let stderr = fails(&out, args);
        assert!(
            stderr.contains("can be read by other users"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("chmod 600"), "{args:?}: {stderr}");
    }
}
