//! The one way a request changes data: its operation runs in a write transaction, and the
//! request's audit entry is stored in that same transaction, with the status the operation's
//! result answers and what the operation reports having touched. The two commit together or
//! not at all, and no handler assembles an entry by hand.
//!
//! A refused write (its operation returns an error) commits nothing; the recorder then
//! stores the entry with the error's status, as for any request.

use super::entry::{Entry, Outcome, format_time};
use super::report::Touched;
use super::trail::{PendingEntry, Trail};
use crate::db::{AnyConnection, Db, DbError, LostRace, write_transaction_retrying};

/// What a write answers: the HTTP status its audit entry records.
pub trait Answered {
    fn status(&self) -> u16;
}

/// The result of an operation that answers one status whatever it did (creating a client:
/// 201; disabling one: 200), which it names with its result.
pub struct Answer<T> {
    pub status: u16,
    pub value: T,
}

impl<T> Answer<T> {
    pub fn ok(value: T) -> Self {
        Self { status: 200, value }
    }

    pub fn created(value: T) -> Self {
        Self { status: 201, value }
    }

    pub fn no_content(value: T) -> Self {
        Self { status: 204, value }
    }
}

impl<T> Answered for Answer<T> {
    fn status(&self) -> u16 {
        self.status
    }
}

/// The request's audit entry could not be stored, so the write was not made.
#[derive(Debug, thiserror::Error)]
#[error("the audit log cannot record the request: {0}")]
pub struct EntryNotStored(#[source] pub crate::db::QueryError);

/// Runs `op` and stores `entry` in one write transaction. `op` may run more than once: a
/// transaction that lost a race to insert the same unique key is run again, and each run
/// reports what it touched into its own `Touched`, so a lost run leaves nothing behind.
pub fn audited<T, E>(
    conn: &mut AnyConnection,
    entry: &PendingEntry,
    mut op: impl FnMut(&mut AnyConnection, &mut Touched) -> Result<T, E>,
) -> Result<(T, Touched), E>
where
    T: Answered,
    E: From<crate::db::QueryError> + From<EntryNotStored> + LostRace,
{
    write_transaction_retrying(conn, |conn| {
        let mut touched = Touched::default();
        let value = op(conn, &mut touched)?;
        entry
            .store(conn, value.status(), &touched)
            .map_err(|e| E::from(EntryNotStored(e)))?;
        Ok((value, touched))
    })
}

/// An operator's write outside any request (a command-line verb) that names no person,
/// such as a change of an agreement: `op` runs as in [`audited`], and its entry (method
/// `CLI`, route `route`, no client) is stored in the same transaction. It needs none of the
/// log's keys, since there is no NIK or KK to hash; an operation that reports one is a bug.
pub fn operator_write<T, E>(
    conn: &mut AnyConnection,
    route: &str,
    mut op: impl FnMut(&mut AnyConnection, &mut Touched) -> Result<T, E>,
) -> Result<T, E>
where
    T: Answered,
    E: From<crate::db::QueryError> + From<EntryNotStored> + LostRace,
{
    let arrival = OperatorArrival::now();
    write_transaction_retrying(conn, |conn| arrival.run(conn, route, &mut op))
}

/// [`operator_write`] within a write transaction the caller holds (the demo's seeding).
pub fn operator_write_within<T, E>(
    conn: &mut AnyConnection,
    route: &str,
    mut op: impl FnMut(&mut AnyConnection, &mut Touched) -> Result<T, E>,
) -> Result<T, E>
where
    T: Answered,
    E: From<crate::db::QueryError> + From<EntryNotStored>,
{
    OperatorArrival::now().run(conn, route, &mut op)
}

/// When an operator's write began, and its entry's request id.
struct OperatorArrival {
    time: chrono::DateTime<chrono::Utc>,
    started: std::time::Instant,
    request_id: String,
}

impl OperatorArrival {
    fn now() -> Self {
        Self {
            time: chrono::Utc::now(),
            started: std::time::Instant::now(),
            request_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    fn run<T, E>(
        &self,
        conn: &mut AnyConnection,
        route: &str,
        op: &mut impl FnMut(&mut AnyConnection, &mut Touched) -> Result<T, E>,
    ) -> Result<T, E>
    where
        T: Answered,
        E: From<EntryNotStored>,
    {
        let mut touched = Touched::default();
        let value = op(conn, &mut touched)?;
        assert!(
            touched.niks.is_empty() && touched.kks.is_empty(),
            "an operator write names no person"
        );
        let status = value.status();
        let entry = Entry {
            index: None,
            time: format_time(self.time),
            request_id: self.request_id.clone(),
            client_id: None,
            agency: None,
            purpose: None,
            method: "CLI".into(),
            route: Some(route.to_owned()),
            status,
            outcome: Outcome::of_status(status),
            record_ids: touched.record_ids,
            nik_hashes: Vec::new(),
            latency_us: u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX),
            kk_hashes: Vec::new(),
            source_address: None,
            aggregate: None,
            agreements: touched.agreements,
            agreement: touched.agreement,
        };
        crate::db::audit::enqueue(conn, &[entry.canonical_text()])
            .map_err(|e| E::from(EntryNotStored(e)))?;
        Ok(value)
    }
}

impl Trail {
    /// [`audited`] on the database's blocking pool, for this request: afterwards the trail
    /// holds what the write touched, and knows that its entry is stored.
    pub async fn write<T, E>(
        &self,
        db: &Db,
        op: impl FnMut(&mut AnyConnection, &mut Touched) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Answered + Send + 'static,
        E: From<DbError> + From<crate::db::QueryError> + From<EntryNotStored> + LostRace,
        E: Send + 'static,
    {
        let entry = self.pending();
        let (value, touched) = db.run(move |conn| audited(conn, &entry, op)).await?;
        self.report().touched(&touched);
        self.mark_recorded(value.status());
        Ok(value)
    }
}
