//! Storage. This module is the only place that knows there are two backends.
//!
//! Owns the connection pool, migrations, transactions (and which failures are worth running
//! again), and one submodule of queries per table group. Only this module names diesel;
//! the layers above see [`QueryError`] and ask [`refusal`] what kind of failure it is. It
//! holds no rule of the exchange: a query does what it is asked, checks are the callers'.

/// Inserts rows in chunks small enough for either backend's bind-parameter limit
/// (SQLite allows 32,766). Multi-row inserts do not compile through the two-backend enum,
/// hence the match.
macro_rules! insert_chunked {
    ($conn:expr, $table:expr, $rows:expr, $per_chunk:expr) => {
        for chunk in $rows.chunks($per_chunk) {
            let insert = diesel::insert_into($table).values(chunk);
            match $conn {
                AnyConnection::Postgresql(c) => insert.execute(c)?,
                AnyConnection::Sqlite(c) => insert.execute(c)?,
            };
        }
    };
}

pub mod agencies;
pub mod agreements;
pub mod assertions;
pub mod audit;
mod cause;
pub mod changes;
pub mod clients;
pub mod follow_up;
pub mod households;
pub mod meta;
mod migrations;
pub mod people;
pub mod programs;
pub mod purposes;
pub mod records;
pub mod referrals;
pub mod regions;
pub mod schema;
pub mod signing_keys;
pub mod sqlite_files;
pub mod stats;
pub mod subscriptions;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};

pub use migrations::{migrate, revert_all};

/// What every query here returns on failure. The layers above name it through `db` (and ask
/// [`refusal`] what kind of failure it is) so that only this module knows which library
/// runs the queries.
pub use diesel::result::Error as QueryError;
pub type QueryResult<T> = Result<T, QueryError>;

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which database a URL points at, decided by its scheme alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    /// The path of the SQLite file.
    Sqlite(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "unsupported database URL scheme {0:?}: use postgres://… or sqlite://PATH (the URL is never guessed)"
    )]
    UnsupportedScheme(String),
    #[error("cannot create the directory for the SQLite database at {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the SQLite database {path} (or its -wal or -shm file) can be read by other users \
         (mode {mode:o}), and it holds personal data; make it the service user's alone with \
         `chmod 600 {path}*` and `chmod 700` on its directory, then start again"
    )]
    ReadableByOthers { path: String, mode: u32 },
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] ConnectionError),
    #[error("the database did not hand out a connection in time: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("a database query failed: {0}")]
    Query(diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("the database task was cancelled")]
    Cancelled,
    #[error("the connection to the database was lost")]
    ConnectionLost,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(with_network_timeouts(url)))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Self::Sqlite(path.to_owned()))
        } else {
            let scheme = url.split_once("://").map_or("", |(s, _)| s);
            Err(DbError::UnsupportedScheme(scheme.to_owned()))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgresql",
            Self::Sqlite(_) => "sqlite",
        }
    }

    /// Opens one connection, creating the SQLite file and its directory first when needed
    /// (for its owner only: see [`sqlite_files`]).
    /// Errors carry the driver's own message, so a wrong password or a missing
    /// directory is reported as such rather than as a pool timeout.
    pub fn connect(&self) -> Result<AnyConnection, DbError> {
        match self {
            Self::Postgres(url) => Ok(AnyConnection::Postgresql(diesel::PgConnection::establish(
                url,
            )?)),
            Self::Sqlite(path) => {
                sqlite_files::prepare(path)?;
                let mut conn = diesel::SqliteConnection::establish(path)?;
                configure_sqlite(&mut conn).map_err(DbError::Query)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }

    fn manager_url(&self) -> &str {
        match self {
            Self::Postgres(url) | Self::Sqlite(url) => url,
        }
    }
}

/// libpq leaves a connection attempt and a query to the operating system's TCP timeouts,
/// which is minutes when the database host vanishes without a reset (a network partition,
/// a host that lost power): every request holding a connection would hang that long, and
/// `/readyz`'s check with them. These bound it: a connection attempt gives up after 5 s;
/// an idle connection is probed after 30 s and dropped after three unanswered probes; a
/// query whose bytes stay unacknowledged for 30 s fails. A parameter the URL sets wins.
const PG_NETWORK_DEFAULTS: [(&str, &str); 5] = [
    ("connect_timeout", "5"),
    ("keepalives_idle", "30"),
    ("keepalives_interval", "10"),
    ("keepalives_count", "3"),
    ("tcp_user_timeout", "30000"),
];

fn with_network_timeouts(url: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let present: Vec<&str> = query
        .split('&')
        .map(|pair| pair.split_once('=').map_or(pair, |(key, _)| key))
        .collect();
    let mut out = url.to_owned();
    for (key, value) in PG_NETWORK_DEFAULTS {
        if !present.contains(&key) {
            if !out.contains('?') {
                out.push('?');
            } else if !out.ends_with(['?', '&']) {
                out.push('&');
            }
            out.push_str(&format!("{key}={value}"));
        }
    }
    out
}

/// WAL lets readers run beside the one writer; `synchronous = FULL` syncs the WAL at every
/// commit, so a committed write or audit entry survives a power loss too (the audit log
/// keeps its throughput by group commit, not by weaker durability); the busy timeout makes a
/// second writer wait instead of failing at once (set first, so that it covers the
/// `journal_mode` pragma too); SQLite leaves foreign keys off unless asked.
fn configure_sqlite(conn: &mut diesel::SqliteConnection) -> QueryResult<()> {
    conn.batch_execute(
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
         PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<AnyConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(c) = conn {
            configure_sqlite(c).map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// A pool of connections to one database, and the way to use it from async code.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<AnyConnection>>,
}

pub type Conn = PooledConnection<ConnectionManager<AnyConnection>>;

impl Db {
    /// Connects once directly (to surface the real cause of a failure), then builds the pool.
    pub fn open(url: &DatabaseUrl, size: u32, timeout: Duration) -> Result<Self, DbError> {
        drop(url.connect()?);
        let pool = Pool::builder()
            // No `SELECT 1` before every use: it doubled PostgreSQL's work per search
            // (docs/PERFORMANCE.md). A connection is tested after work on it fails instead,
            // and a dead one is discarded (see `Db::run`).
            .test_on_check_out(false)
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            .connection_customizer(Box::new(SqlitePragmas))
            .build(ConnectionManager::new(url.manager_url()))?;
        Ok(Self { pool })
    }

    /// Runs blocking diesel code on the blocking thread pool, never on the async executor.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.run_blocking(f))
            .await
            .map_err(|_| E::from(DbError::Cancelled))?
    }

    /// Runs diesel code on this thread, which must be one that may block.
    pub fn run_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Conn) -> Result<T, E>,
        E: From<DbError>,
    {
        let mut conn = self.pool.get().map_err(DbError::from)?;
        let result = f(&mut conn);
        if result.is_err() && !alive(&mut conn) {
            // The failure was the connection's, whatever error the work saw: say so,
            // and keep the pool from lending the dead connection out again.
            discard(&mut conn);
            drop(conn);
            self.sweep_idle();
            return Err(DbError::ConnectionLost.into());
        }
        result
    }

    /// Tests every idle connection and discards the dead ones. One dead connection usually
    /// means the server restarted or the network dropped, which killed its idle siblings
    /// too; without the sweep each of them would cost a later request a 503 once the
    /// database is back.
    fn sweep_idle(&self) {
        let idle: Vec<Conn> = std::iter::from_fn(|| self.pool.try_get())
            .take(self.pool.max_size() as usize)
            .collect();
        for mut conn in idle {
            if !alive(&mut conn) {
                discard(&mut conn);
            }
        }
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> bool {
        self.run(|conn| {
            diesel::sql_query("SELECT 1")
                .execute(conn)
                .map_err(DbError::from)
        })
        .await
        .is_ok()
    }
}

/// Whether the connection still answers a trivial query.
fn alive(conn: &mut AnyConnection) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

/// Marks the connection broken, so the pool drops it when it comes back instead of
/// lending it out again (r2d2 asks diesel, which reports a broken transaction state).
fn discard(conn: &mut AnyConnection) {
    use diesel::connection::TransactionManager;
    <AnyConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .set_in_error();
}

/// Takes the transaction-level advisory lock `key` if it is free, without waiting: true if
/// this transaction now holds it, so that exactly one instance does the guarded work at a
/// time. SQLite has a single writer, already held from `BEGIN IMMEDIATE`: always true.
pub fn try_transaction_lock(conn: &mut AnyConnection, key: i64) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        AnyConnection::Postgresql(c) => Ok(diesel::sql_query(format!(
            "SELECT pg_try_advisory_xact_lock({key}) AS locked"
        ))
        .get_result::<Locked>(c)?
        .locked),
        AnyConnection::Sqlite(_) => Ok(true),
    }
}

/// Runs `f` in one transaction. On SQLite the write lock is taken at `BEGIN IMMEDIATE`:
/// a deferred transaction that reads first and writes later fails at once with
/// `SQLITE_BUSY` when another writer got in between, whatever the busy timeout.
pub fn write_transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <AnyConnection as Connection>::TransactionManager;
    match conn {
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        AnyConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            // The caller's error says what went wrong; a failed rollback leaves the
            // connection broken, which the pool notices and discards.
            let _ = Manager::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// An error that may say a transaction lost a race to insert the same unique key (two
/// writers creating one record at once): run again, the transaction finds the winner's row.
pub trait LostRace {
    fn lost_race(&self) -> bool;
}

/// A query's error, with a connection the server closed told apart: the database went away,
/// which callers answer with 503 rather than 500.
impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::ConnectionLost,
            other => Self::Query(other),
        }
    }
}

impl LostRace for diesel::result::Error {
    fn lost_race(&self) -> bool {
        refusal(self) == Some(Refusal::Duplicate)
    }
}

/// A write the database refused for what it would have stored, as callers outside this
/// module tell them apart (they need not know diesel's error kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A row with the same unique key exists.
    Duplicate,
    /// A row it refers to does not exist.
    MissingReference,
}

pub fn refusal(e: &diesel::result::Error) -> Option<Refusal> {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Some(Refusal::Duplicate),
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            Some(Refusal::MissingReference)
        }
        _ => None,
    }
}

/// How often a write is run again after losing a race for a unique key.
const RACE_RETRIES: usize = 5;

/// [`write_transaction`], run again (at most five more times) while it fails with a lost
/// race, so that callers never see one.
pub fn write_transaction_retrying<T, E, F>(conn: &mut AnyConnection, mut f: F) -> Result<T, E>
where
    F: FnMut(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error> + LostRace,
{
    let mut attempt = 0;
    loop {
        match write_transaction(conn, &mut f) {
            Err(e) if e.lost_race() && attempt < RACE_RETRIES => attempt += 1,
            other => return other,
        }
    }
}

/// A stored value that the domain types refuse: the database was changed behind our back.
pub(crate) fn corrupt(e: impl std::error::Error + Send + Sync + 'static) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(Box::new(e))
}

/// Refreshes the planner's statistics of every table (both backends keep them), for after a
/// bulk load into empty tables.
pub fn analyze(conn: &mut AnyConnection) -> QueryResult<()> {
    diesel::sql_query("ANALYZE").execute(conn).map(drop)
}

#[cfg(test)]
mod tests;
