//! Schema migrations, embedded in the binary: one folder per backend, the same steps in both
//! except two of PostgreSQL's: `audit_subject_arrays` (SQLite has no arrays and keeps the side
//! tables) and `audit_storage` (how PostgreSQL stores large values; SQLite has no such choice).

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{AnyConnection, DbError};

const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Applies every pending migration and returns how many ran.
pub fn migrate(conn: &mut AnyConnection) -> Result<usize, DbError> {
    let applied = match conn {
        AnyConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

/// Reverts every migration (for tests of the down steps).
pub fn revert_all(conn: &mut AnyConnection) -> Result<usize, DbError> {
    let reverted = match conn {
        AnyConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES).map(|v| v.len()),
        AnyConnection::Sqlite(c) => c.revert_all_migrations(SQLITE).map(|v| v.len()),
    };
    reverted.map_err(|e| DbError::Migration(e.to_string()))
}
