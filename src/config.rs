//! Settings from `sinergi.toml` and `SINERGI_*` environment variables (the environment wins).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Where the embedded SQLite database lives when no `SINERGI_DATABASE_URL` is set.
pub const DEFAULT_SQLITE_PATH: &str = "./sinergi-data/sinergi.db";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `postgres://…` or `sqlite://PATH`; unset means the embedded SQLite file.
    pub database_url: Option<String>,
    /// Address to listen on; port 0 picks a free port (tests use that).
    pub bind: SocketAddr,
    /// A `tracing` filter such as `info` or `sinergi=debug,actix_web=info`.
    pub log: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Connections kept by the database pool.
    pub db_pool_size: u32,
    /// How long a request waits for a free database connection before it gets 503.
    pub db_timeout_ms: u64,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log: "info".into(),
            max_body_bytes: 8 * 1024 * 1024,
            db_pool_size: 16,
            db_timeout_ms: 5_000,
            shutdown_timeout_secs: 30,
            workers: 0,
        }
    }
}

impl Settings {
    /// Defaults, then `./sinergi.toml` if present, then `SINERGI_*` variables.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file("sinergi.toml"))
            .merge(Env::prefixed("SINERGI_"))
            .extract()
            .map_err(Box::new)
    }

    /// The database URL in force: the configured one, or the embedded SQLite default.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{DEFAULT_SQLITE_PATH}"))
    }

    pub fn db_timeout(&self) -> Duration {
        Duration::from_millis(self.db_timeout_ms)
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }

    /// The directory holding the embedded database, when SQLite is in use.
    pub fn sqlite_dir(&self) -> Option<PathBuf> {
        let url = self.database_url();
        let path = url.strip_prefix("sqlite://")?;
        PathBuf::from(path).parent().map(PathBuf::from)
    }
}

#[cfg(test)]
// `Jail::expect_with` fixes the closure's error type to the (large) unboxed figment::Error.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SINERGI_BIND", "0.0.0.0:9000");
            jail.set_env("SINERGI_MAX_BODY_BYTES", "1024");
            let s = Settings::load().map_err(|e| *e)?;
            assert_eq!(s.bind.port(), 9000);
            assert_eq!(s.max_body_bytes, 1024);
            assert_eq!(s.database_url(), "sqlite://./sinergi-data/sinergi.db");
            Ok(())
        });
    }

    #[test]
    fn toml_file_is_read_and_environment_wins() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("sinergi.toml", "log = \"debug\"\nbind = \"127.0.0.1:7000\"")?;
            jail.set_env("SINERGI_BIND", "127.0.0.1:7001");
            let s = Settings::load().map_err(|e| *e)?;
            assert_eq!(s.log, "debug");
            assert_eq!(s.bind.port(), 7001);
            Ok(())
        });
    }

    #[test]
    fn an_unknown_setting_is_an_error_not_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("sinergi.toml", "databse_url = \"postgres://x\"")?;
            assert!(Settings::load().is_err());
            Ok(())
        });
    }
}
