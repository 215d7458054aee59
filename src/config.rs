//! Settings from `sinergi.toml` and `SINERGI_*` environment variables (the environment wins).
//!
//! Owns every setting's name, default and check, so that a bad value stops the service at
//! start with the setting named. It reads configuration only; what a setting does is the
//! concern of the module it is handed to.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::audit::anonymous::AnonymousSettings;
use crate::auth::rate_limit::Quota;
use crate::feed::webhooks::in_flight::Caps;
use crate::feed::webhooks::schedule::Schedule;
use crate::feed::webhooks::ssrf::AllowList;
use crate::feed::webhooks::worker::WorkerSettings;

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
    /// Most records in one publishing batch.
    pub max_batch_items: usize,
    /// Connections kept by the database pool.
    pub db_pool_size: u32,
    /// How long a request waits for a free database connection before it gets 503.
    pub db_timeout_ms: u64,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// `iss` of the access tokens, and an accepted `aud` of client assertions.
    pub issuer: String,
    /// `aud` of the access tokens.
    pub audience: String,
    /// Access token lifetime in seconds, at most 900.
    pub token_lifetime_secs: i64,
    /// The public base URL (`https://sinergi.example.go.id`); when set, `<url>/oauth/token` is
    /// also accepted as a client assertion's `aud`.
    pub public_url: Option<String>,
    /// Base64 of 32 bytes that seal private signing keys in the database. Required with
    /// PostgreSQL; with the embedded SQLite default a key file is created beside the database.
    pub key_encryption_key: Option<String>,
    /// Requests per second allowed per client, refilled continuously…
    pub rate_per_second: f64,
    /// …with bursts up to this many requests.
    pub rate_burst: u32,
    /// Token requests per second per source address (IPv6 by /64), and tokens issued per
    /// second per client…
    pub token_rate_per_second: f64,
    /// …with bursts up to this many.
    pub token_rate_burst: u32,
    /// Requests without credentials per second per source address (IPv6 by /64)…
    pub anonymous_rate_per_second: f64,
    /// …with bursts up to this many.
    pub anonymous_rate_burst: u32,
    /// Audit log look-ups by NIK or KK per second per client…
    pub audit_lookup_rate_per_second: f64,
    /// …with bursts up to this many.
    pub audit_lookup_rate_burst: u32,
    /// How long one audit entry aggregating anonymous requests counts, in seconds.
    pub audit_anonymous_window_secs: u64,
    /// Aggregate entries of anonymous requests per window at most (beyond them, further
    /// addresses are folded into one entry per status).
    pub audit_anonymous_max_entries: usize,
    /// Failed client authentications per second per client id and source address…
    pub token_failure_rate_per_second: f64,
    /// …with bursts up to this many.
    pub token_failure_burst: u32,
    /// Failed client authentications per second per source address, whatever the client id…
    pub token_source_failure_rate_per_second: f64,
    /// …with bursts up to this many.
    pub token_source_failure_burst: u32,
    /// The audit log's checkpoint origin, also the name of its signing key.
    pub audit_origin: String,
    /// How often committed changes are numbered for the feed and queued audit entries are
    /// added to the tree, in milliseconds.
    pub sequence_interval_ms: u64,
    /// Least time between two signed checkpoints while entries arrive, in milliseconds.
    pub audit_checkpoint_interval_ms: u64,
    /// Hosts (names or IP addresses) that webhooks may reach over plain `http` and at
    /// non-public addresses: a comma-separated list, or a list in `sinergi.toml`.
    #[serde(deserialize_with = "host_list")]
    pub webhook_allow_hosts: Vec<String>,
    /// The unit of the webhook retry schedule, in milliseconds: the first retry comes within
    /// it, and a failing change is retried for 17,280 times it (24 h at the default 5 s).
    /// Lower only for tests.
    pub webhook_retry_base_ms: u64,
    /// How often due webhook deliveries are looked for, in milliseconds.
    pub webhook_poll_interval_ms: u64,
    /// How long one delivery attempt may take, in milliseconds, from resolving the host to
    /// the answer.
    pub webhook_timeout_ms: u64,
    /// Delivery attempts one instance makes at the same time.
    pub webhook_max_in_flight: usize,
    /// Of those, at most this many for one agency's subscriptions, so that one agency's
    /// slow receivers cannot hold up the others' deliveries.
    pub webhook_max_in_flight_per_agency: usize,
    /// Of those, at most this many to one receiver host, whichever agencies subscribed.
    pub webhook_max_in_flight_per_host: usize,
    /// Most subscriptions one agency may have.
    pub webhook_max_subscriptions_per_agency: usize,
    /// How long after `graduated_on` a graduation is watched, in days, for programs that do
    /// not set their own (`programs.follow_up_days`).
    pub follow_up_window_days: u32,
    /// Days after `graduated_on` without a referral or an enrollment that raise
    /// `graduation.unreferred`.
    pub follow_up_unreferred_days: u32,
    /// How often the follow-up watch runs, in seconds.
    pub follow_up_every_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log: "info".into(),
            max_body_bytes: 8 * 1024 * 1024,
            max_batch_items: 1_000,
            db_pool_size: 16,
            db_timeout_ms: 5_000,
            shutdown_timeout_secs: 30,
            workers: 0,
            issuer: "sinergi".into(),
            audience: "sinergi-api".into(),
            token_lifetime_secs: 900,
            public_url: None,
            key_encryption_key: None,
            rate_per_second: 50.0,
            rate_burst: 100,
            token_rate_per_second: 1.0,
            token_rate_burst: 10,
            anonymous_rate_per_second: 5.0,
            anonymous_rate_burst: 50,
            audit_lookup_rate_per_second: 0.1,
            audit_lookup_rate_burst: 10,
            audit_anonymous_window_secs: 60,
            audit_anonymous_max_entries: 100,
            token_failure_rate_per_second: 0.05,
            token_failure_burst: 5,
            token_source_failure_rate_per_second: 0.2,
            token_source_failure_burst: 20,
            audit_origin: crate::audit::DEFAULT_ORIGIN.into(),
            sequence_interval_ms: 100,
            audit_checkpoint_interval_ms: 1_000,
            webhook_allow_hosts: Vec::new(),
            webhook_retry_base_ms: 5_000,
            webhook_poll_interval_ms: 1_000,
            webhook_timeout_ms: 10_000,
            webhook_max_in_flight: 16,
            webhook_max_in_flight_per_agency: 4,
            webhook_max_in_flight_per_host: 2,
            webhook_max_subscriptions_per_agency: 100,
            follow_up_window_days: 365,
            follow_up_unreferred_days: 30,
            follow_up_every_secs: 3_600,
        }
    }
}

/// `SINERGI_CLIENT_SECRET`, as figment names it once the prefix is off.
const CLIENT_SECRET_SETTING: &str = "client_secret";

impl Settings {
    /// Defaults, then `./sinergi.toml` if present, then `SINERGI_*` variables.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file("sinergi.toml"))
            // The secret `sinergi push` authenticates with is the client's, not the
            // service's: a shell that holds it may still start the service.
            .merge(Env::prefixed("SINERGI_").ignore(&[CLIENT_SECRET_SETTING]))
            .extract::<Settings>()
            .map_err(Box::new)?
            .validated()
            .map_err(|e| Box::new(figment::Error::from(e)))
    }

    /// Refuses values that would make the service unsafe or useless.
    pub fn validated(self) -> Result<Self, String> {
        if !(1..=crate::auth::lifetime::MAX_LIFETIME_SECS).contains(&self.token_lifetime_secs) {
            return Err("token_lifetime_secs must be between 1 and 900".into());
        }
        let positive = |r: f64| r.is_finite() && r > 0.0;
        if ![
            self.rate_per_second,
            self.token_rate_per_second,
            self.token_failure_rate_per_second,
            self.token_source_failure_rate_per_second,
            self.anonymous_rate_per_second,
            self.audit_lookup_rate_per_second,
        ]
        .into_iter()
        .all(positive)
        {
            return Err(
                "rate_per_second, token_rate_per_second, token_failure_rate_per_second, \
                 token_source_failure_rate_per_second, anonymous_rate_per_second and \
                 audit_lookup_rate_per_second must be finite and positive"
                    .into(),
            );
        }
        if !(1..=3_600).contains(&self.audit_anonymous_window_secs)
            || !(1..=100_000).contains(&self.audit_anonymous_max_entries)
        {
            return Err("audit_anonymous_window_secs must be 1 to 3600 and \
                 audit_anonymous_max_entries 1 to 100000"
                .into());
        }
        if !(1..=10_000).contains(&self.max_batch_items) {
            return Err("max_batch_items must be between 1 and 10000".into());
        }
        if !crate::audit::note::is_valid_name(&self.audit_origin) {
            return Err("audit_origin must be a non-empty name without spaces or `+`".into());
        }
        if !(1..=60_000).contains(&self.sequence_interval_ms)
            || self.audit_checkpoint_interval_ms > 60_000
        {
            return Err("sequence_interval_ms must be 1 to 60000 and \
                 audit_checkpoint_interval_ms at most 60000"
                .into());
        }
        if [
            self.rate_burst,
            self.token_rate_burst,
            self.token_failure_burst,
            self.token_source_failure_burst,
            self.anonymous_rate_burst,
            self.audit_lookup_rate_burst,
        ]
        .contains(&0)
        {
            return Err("rate_burst, token_rate_burst, token_failure_burst, \
                 token_source_failure_burst, anonymous_rate_burst and audit_lookup_rate_burst \
                 must be at least 1"
                .into());
        }
        if !(1..=60_000).contains(&self.webhook_retry_base_ms)
            || !(1..=60_000).contains(&self.webhook_poll_interval_ms)
            || !(100..=60_000).contains(&self.webhook_timeout_ms)
        {
            return Err(
                "webhook_retry_base_ms and webhook_poll_interval_ms must be 1 to 60000, \
                 webhook_timeout_ms 100 to 60000"
                    .into(),
            );
        }
        // A share below the whole, so that one agency or host can never take every slot.
        let share = 1..self.webhook_max_in_flight;
        if !(2..=1_000).contains(&self.webhook_max_in_flight)
            || !share.contains(&self.webhook_max_in_flight_per_agency)
            || !share.contains(&self.webhook_max_in_flight_per_host)
        {
            return Err("webhook_max_in_flight must be 2 to 1000, and \
                 webhook_max_in_flight_per_agency and webhook_max_in_flight_per_host \
                 at least 1 and below webhook_max_in_flight"
                .into());
        }
        if !(1..=10_000).contains(&self.webhook_max_subscriptions_per_agency) {
            return Err("webhook_max_subscriptions_per_agency must be 1 to 10000".into());
        }
        if !(1..=3_650).contains(&self.follow_up_window_days)
            || !(1..self.follow_up_window_days).contains(&self.follow_up_unreferred_days)
            || !(1..=86_400).contains(&self.follow_up_every_secs)
        {
            return Err(
                "follow_up_window_days must be 1 to 3650, follow_up_unreferred_days \
                 at least 1 and below it, and follow_up_every_secs 1 to 86400"
                    .into(),
            );
        }
        if let Some(bad) = self.webhook_allow_hosts.iter().find(|h| !is_host(h)) {
            return Err(format!(
                "webhook_allow_hosts: {bad:?} is not a host name or an IP address"
            ));
        }
        Ok(self)
    }

    pub fn rate_limit(&self) -> Quota {
        Quota {
            per_second: self.rate_per_second,
            burst: self.rate_burst,
        }
    }

    pub fn token_rate_limit(&self) -> Quota {
        Quota {
            per_second: self.token_rate_per_second,
            burst: self.token_rate_burst,
        }
    }

    pub fn token_failure_limit(&self) -> Quota {
        Quota {
            per_second: self.token_failure_rate_per_second,
            burst: self.token_failure_burst,
        }
    }

    pub fn token_source_failure_limit(&self) -> Quota {
        Quota {
            per_second: self.token_source_failure_rate_per_second,
            burst: self.token_source_failure_burst,
        }
    }

    pub fn follow_up(&self) -> crate::follow_up::watch::Terms {
        crate::follow_up::watch::Terms {
            window_days: self.follow_up_window_days,
            unreferred_days: self.follow_up_unreferred_days,
            every: std::time::Duration::from_secs(self.follow_up_every_secs),
        }
    }

    pub fn audit_lookup_limit(&self) -> Quota {
        Quota {
            per_second: self.audit_lookup_rate_per_second,
            burst: self.audit_lookup_rate_burst,
        }
    }

    /// How requests that name no client are limited and counted in the audit log.
    pub fn anonymous(&self) -> AnonymousSettings {
        AnonymousSettings {
            quota: Quota {
                per_second: self.anonymous_rate_per_second,
                burst: self.anonymous_rate_burst,
            },
            window: Duration::from_secs(self.audit_anonymous_window_secs),
            max_entries: self.audit_anonymous_max_entries,
        }
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

    pub fn sequence_interval(&self) -> Duration {
        Duration::from_millis(self.sequence_interval_ms)
    }

    pub fn audit_checkpoint_interval(&self) -> Duration {
        Duration::from_millis(self.audit_checkpoint_interval_ms)
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }

    pub fn webhook_worker(&self) -> WorkerSettings {
        WorkerSettings {
            allow: Arc::new(AllowList::new(&self.webhook_allow_hosts)),
            timeout: Duration::from_millis(self.webhook_timeout_ms),
            schedule: Schedule::new(Duration::from_millis(self.webhook_retry_base_ms)),
            poll: Duration::from_millis(self.webhook_poll_interval_ms),
            caps: Caps {
                total: self.webhook_max_in_flight,
                per_agency: self.webhook_max_in_flight_per_agency,
                per_host: self.webhook_max_in_flight_per_host,
            },
        }
    }
}

/// A host name (letters, digits, `-` and `.`) or an IP address (IPv6 with or without
/// brackets).
fn is_host(text: &str) -> bool {
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>().is_ok()
        || ((1..=253).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
}

/// A list of hosts from a comma-separated string (how environment variables give it) or a
/// list (`sinergi.toml`); blanks around items and empty items are dropped.
fn host_list<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Hosts {
        Text(String),
        List(Vec<String>),
    }
    let items = match Hosts::deserialize(de)? {
        Hosts::Text(text) => text.split(',').map(str::to_owned).collect(),
        Hosts::List(items) => items,
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

#[cfg(test)]
// `Jail::expect_with` fixes the closure's error type to the (large) unboxed figment::Error.
#[allow(clippy::result_large_err)]
mod tests;
