//! What went wrong with the database, in the server's own fixed words. Answers and the log
//! lines of failed requests say this much and no more: a driver's message may quote what a
//! statement carried (PostgreSQL's `invalid input syntax for type …: "…"`, a trigger's text),
//! and that may be a value a client sent.

use diesel::result::{DatabaseErrorKind, Error};

use super::DbError;

impl DbError {
    /// The kind of failure, without any text from the driver or the database.
    pub fn cause(&self) -> &'static str {
        match self {
            Self::UnsupportedScheme(_)
            | Self::CreateDir { .. }
            | Self::ReadableByOthers { .. }
            | Self::Migration(_) => "the database is not set up as the service needs",
            Self::Connect(_) => "cannot connect to the database",
            Self::Pool(_) => "no database connection was free in time",
            Self::Query(e) => query_cause(e),
            Self::Cancelled => "the database task was cancelled",
            Self::ConnectionLost => "the connection to the database was lost",
        }
    }
}

/// [`DbError::cause`] of a failed query.
pub fn query_cause(e: &Error) -> &'static str {
    match e {
        Error::DatabaseError(kind, _) => match kind {
            DatabaseErrorKind::UniqueViolation => "a statement broke a unique constraint",
            DatabaseErrorKind::ForeignKeyViolation => "a statement broke a foreign key",
            DatabaseErrorKind::NotNullViolation => "a statement broke a not-null constraint",
            DatabaseErrorKind::CheckViolation => "a statement broke a check constraint",
            DatabaseErrorKind::SerializationFailure => "a transaction could not be serialised",
            DatabaseErrorKind::ReadOnlyTransaction => "a write was made in a read-only transaction",
            DatabaseErrorKind::ClosedConnection => "the connection to the database was lost",
            _ => "the database refused a statement",
        },
        Error::NotFound => "a query found no row where one was expected",
        Error::DeserializationError(_) => "a stored value could not be read",
        Error::SerializationError(_) => "a value could not be written to the database",
        Error::QueryBuilderError(_) => "a query could not be built",
        Error::InvalidCString(_) => "a value held a NUL byte",
        Error::RollbackErrorOnCommit { .. }
        | Error::RollbackTransaction
        | Error::AlreadyInTransaction
        | Error::NotInTransaction
        | Error::BrokenTransactionManager => "a database transaction failed",
        _ => "a database query failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_never_carries_the_databases_text() {
        let nik = "3201011507850003";
        let message = format!("invalid input syntax for type bigint: \"{nik}\"");
        for kind in [
            DatabaseErrorKind::UniqueViolation,
            DatabaseErrorKind::CheckViolation,
            DatabaseErrorKind::Unknown,
        ] {
            let e = DbError::Query(Error::DatabaseError(kind, Box::new(message.clone())));
            assert!(
                e.to_string().contains(nik),
                "the driver's text is there to leak"
            );
            assert!(!e.cause().contains(nik), "{}", e.cause());
        }
    }
}
