//! Test harness: the real server on port 0 over a fresh database of either backend.
//!
//! Every test gets its own database. Preparing one (migrations plus the 91,000-row region
//! table) takes seconds, so each backend prepares a template once per test process and
//! copies it: `CREATE DATABASE … TEMPLATE` on PostgreSQL, a file copy on SQLite.

// Shared by `tests/api` and `tests/slow_clients.rs`, which uses only a little of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::prelude::*;
use sinergi::config::Settings;
use sinergi::db::DatabaseUrl;
use sinergi::startup::{Application, prepare_database};

pub mod answer;
pub mod audit;
pub mod cli;
pub mod demo_server;
pub mod oversight;
pub mod problem;
pub mod records;
pub mod rfc9162;
pub mod service;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the PostgreSQL server for tests is; `TEST_POSTGRES_URL` overrides it.
pub fn pg_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_url(db: &str) -> String {
    let admin = pg_admin_url();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{db}")
}

fn unique_name(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A database of its own for one test, removed when dropped.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A migrated database with the region table loaded.
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("sinergi.db");
                std::fs::copy(sqlite_template(), &path).expect("copy template");
                Self {
                    url: format!("sqlite://{}", path.display()),
                    backend,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let name = unique_name("sinergi_test");
                let template = pg_template();
                admin_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"));
                Self {
                    url: pg_url(&name),
                    backend,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    /// An empty database: no tables at all.
    pub fn empty(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("sinergi.db").display());
                Self {
                    url,
                    backend,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let name = unique_name("sinergi_test");
                admin_execute(&format!("CREATE DATABASE {name}"));
                Self {
                    url: pg_url(&name),
                    backend,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    pub fn connect(&self) -> sinergi::db::AnyConnection {
        DatabaseUrl::parse(&self.url)
            .unwrap()
            .connect()
            .expect("connect to test database")
    }

    /// Ends every PostgreSQL session on this database, as a server restart would, and leaves
    /// the database in place.
    pub fn terminate_connections(&self) {
        let name = self
            .pg_name
            .as_ref()
            .expect("only PostgreSQL has sessions to end");
        admin_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ));
    }

    /// Drops a PostgreSQL database at once, cutting its connections, so a test can watch
    /// the service lose its database.
    pub fn kill(&self) {
        if let Some(name) = &self.pg_name {
            admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.kill();
    }
}

fn admin_execute(sql: &str) {
    let mut conn = diesel::PgConnection::establish(&pg_admin_url())
        .expect("PostgreSQL for tests must run at TEST_POSTGRES_URL or 127.0.0.1:5432");
    diesel::sql_query(sql)
        .execute(&mut conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A fingerprint of the migrations and region data, so that a stale template is never used.
fn fingerprint() -> String {
    fn walk(dir: &Path, acc: &mut u64) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, acc);
            } else {
                for b in path
                    .to_string_lossy()
                    .bytes()
                    .chain(std::fs::read(&path).unwrap())
                {
                    *acc = (*acc ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
                }
            }
        }
    }
    let mut acc = 0xcbf2_9ce4_8422_2325_u64;
    walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .as_path(),
        &mut acc,
    );
    format!("{acc:016x}{}", sinergi::domain::region::data_version())
}

fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("template.db");
            let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
            let conn = prepare_database(&url).expect("prepare SQLite template");
            // Closing the only connection checkpoints the WAL into the file we copy.
            drop(conn);
            (dir, path)
        })
        .1
}

/// The name of a migrated PostgreSQL template for this fingerprint, created on first use.
/// It is kept between runs; concurrent test processes serialise on an advisory lock.
fn pg_template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("sinergi_tpl_{}", &fingerprint()[..24]);
        let mut admin = diesel::PgConnection::establish(&pg_admin_url()).expect("admin");
        diesel::sql_query("SELECT pg_advisory_lock(7406)")
            .execute(&mut admin)
            .unwrap();
        #[derive(QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            found: bool,
        }
        let exists = diesel::sql_query(format!(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}') AS found"
        ))
        .get_result::<Found>(&mut admin)
        .unwrap()
        .found;
        if !exists {
            let building = format!("{name}_building");
            admin_execute(&format!("DROP DATABASE IF EXISTS {building}"));
            admin_execute(&format!("CREATE DATABASE {building}"));
            let url = DatabaseUrl::parse(&pg_url(&building)).unwrap();
            drop(prepare_database(&url).expect("prepare PostgreSQL template"));
            admin_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"));
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7406)")
            .execute(&mut admin)
            .unwrap();
        name
    })
}

/// A server running on its own thread and runtime, so that dropping it can stop it and
/// wait: a server left running after its test would keep a pool reconnecting to a dropped
/// database, and a connect still in flight when the test process exits crashes in libpq's
/// OpenSSL clean-up (diesel-rs/diesel#3441).
pub struct RunningServer {
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // The stop command is sent at once; the server's thread ends when it is done.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

/// Starts a server with these settings; it listens on the returned port until dropped.
pub async fn start_server(settings: Settings) -> (u16, RunningServer) {
    let (started, ready) = tokio::sync::oneshot::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).await.expect("build app");
            started.send((app.port(), app.handle())).ok();
            app.run_until_stopped().await.expect("server");
        })
    });
    let (port, handle) = ready.await.expect("the server starts");
    (
        port,
        RunningServer {
            handle,
            thread: Some(thread),
        },
    )
}

/// A running server over its own database.
pub struct TestApp {
    /// Declared before `db`, so the server stops before its database is dropped.
    server: RunningServer,
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub db: TestDb,
    /// A token of the demo admin client, which holds every scope (empty when the app was
    /// started without demo data).
    pub admin_token: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// GET with the demo admin's token, declaring the oversight purpose.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&self.admin_token)
            .header(oversight::PURPOSE.0, oversight::PURPOSE.1)
            .send()
            .await
            .expect("request")
    }

    /// GET without any credentials.
    pub async fn get_anonymous(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// POSTs a client-credentials token request with `client_secret_post`.
    pub async fn request_token(
        &self,
        client_id: &str,
        secret: &str,
        scope: Option<&str>,
    ) -> reqwest::Response {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        self.client
            .post(self.url("/oauth/token"))
            .form(&form)
            .send()
            .await
            .expect("token request")
    }

    /// An access token for a demo client, optionally narrowed to `scope`.
    pub async fn token(&self, client_id: &str, scope: Option<&str>) -> String {
        let res = self
            .request_token(client_id, &sinergi::demo::demo_secret(client_id), scope)
            .await;
        assert_eq!(res.status(), 200, "token for {client_id}");
        let body: serde_json::Value = res.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// The status of a GET on a protected endpoint with `token`.
    pub async fn programs_status(&self, token: &str) -> u16 {
        self.client
            .get(self.url("/v1/programs"))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON body"))
    }
}

pub fn test_settings(db_url: &str) -> Settings {
    Settings {
        database_url: Some(db_url.to_owned()),
        bind: "127.0.0.1:0".parse().unwrap(),
        workers: 2,
        db_pool_size: 4,
        db_timeout_ms: 2_000,
        shutdown_timeout_secs: 1,
        key_encryption_key: Some(sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64()),
        // Generous, so that only the tests about limits meet them.
        rate_per_second: 10_000.0,
        rate_burst: 10_000,
        token_rate_per_second: 10_000.0,
        token_rate_burst: 10_000,
        anonymous_rate_per_second: 10_000.0,
        anonymous_rate_burst: 10_000,
        token_failure_rate_per_second: 10_000.0,
        token_failure_burst: 10_000,
        token_source_failure_rate_per_second: 10_000.0,
        token_source_failure_burst: 10_000,
        // Entries join the tree and get a checkpoint within moments, so tests wait little.
        sequence_interval_ms: 10,
        audit_checkpoint_interval_ms: 0,
        ..Settings::default()
    }
}

/// Starts the server over a fresh database with the demo reference data seeded, and the
/// operator's oversight agreements ([`oversight`]).
pub async fn spawn_app(backend: Backend) -> TestApp {
    let db = TestDb::new(backend);
    let mut conn = db.connect();
    sinergi::demo::seed(&mut conn).expect("seed demo data");
    oversight::grant(&mut conn);
    drop(conn);
    spawn_with(db, |_| {}).await
}

/// Starts the server over the given database, with settings adjusted by `tweak`.
pub async fn spawn_with(db: TestDb, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings(&db.url);
    tweak(&mut settings);
    let (port, server) = start_server(settings).await;
    let mut app = TestApp {
        server,
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        db,
        admin_token: String::new(),
    };
    let has_admin = sinergi::db::clients::get(&mut app.db.connect(), "demo-admin")
        .unwrap()
        .is_some();
    if has_admin {
        app.admin_token = app.token("demo-admin", None).await;
    }
    app
}

/// Two instances over one fresh database (the demo reference data and the operator's
/// oversight agreements seeded), as behind a load balancer, both running the follow-up watch
/// every second: the first as a [`TestApp`], the second's server, which stops when dropped.
pub async fn spawn_two_instances(backend: Backend) -> (TestApp, RunningServer) {
    let kek = sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64();
    let db = TestDb::new(backend);
    {
        let mut conn = db.connect();
        sinergi::demo::seed(&mut conn).expect("seed demo data");
        oversight::grant(&mut conn);
    }
    let setting = kek.clone();
    let app = spawn_with(db, move |s| {
        s.key_encryption_key = Some(setting);
        s.follow_up_every_secs = 1;
    })
    .await;
    let mut settings = test_settings(&app.db.url);
    settings.key_encryption_key = Some(kek);
    settings.follow_up_every_secs = 1;
    let (_port, second) = start_server(settings).await;
    (app, second)
}

/// A fixed key-encryption key for CLI runs (32 bytes, base64).
pub const TEST_KEK: &str = "c2luZXJnaS10ZXN0LWtleS1lbmNyeXB0aW9uLWtleSE=";

/// A command for the real binary, run in `dir` (an empty directory, so no stray
/// `sinergi.toml` is read) with no `SINERGI_*` setting inherited from the test's environment.
pub fn sinergi_command(
    dir: &Path,
    database_url: Option<&str>,
    args: &[&str],
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"));
    cmd.args(args).current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("SINERGI_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("SINERGI_LOG", "warn");
    if let Some(url) = database_url {
        cmd.env("SINERGI_DATABASE_URL", url);
        // PostgreSQL deployments must bring their own key-encryption key.
        cmd.env("SINERGI_KEY_ENCRYPTION_KEY", TEST_KEK);
    }
    cmd
}

/// Runs a test body (async, or plain for tests that only run the binary) once on SQLite and
/// once on PostgreSQL, as two named tests.
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($backend:ident: Backend) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($backend: Backend) $body

                #[actix_web::test]
                async fn on_sqlite() {
                    run(Backend::Sqlite).await
                }

                #[actix_web::test]
                async fn on_postgres() {
                    run(Backend::Postgres).await
                }
            }
        )*
    };
    ($(fn $name:ident($backend:ident: Backend) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                fn run($backend: Backend) $body

                #[test]
                fn on_sqlite() {
                    run(Backend::Sqlite)
                }

                #[test]
                fn on_postgres() {
                    run(Backend::Postgres)
                }
            }
        )*
    };
}
