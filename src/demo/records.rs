//! Synthetic but valid demo records: Kementerian Sosial graduations (PKH, SEMBAKO) of
//! families in real villages of six provinces, and the enrollments of some of those families
//! in the other ministries' empowerment programs.
//!
//! Everything is drawn from a small seeded PRNG (SplitMix64, written out in [`people`] so the
//! stream can never change under a dependency upgrade), so the same seed gives the same
//! records on every run and every machine, for a given region table; [`generate`] shapes the
//! records and this module writes them. Every identifier is built with the
//! domain types' own parsers, so nothing invalid is ever produced. The records are written
//! through [`crate::records::publish::write`], the code the API uses, so history and the NIK
//! index are exactly what publishing over HTTP would leave; writing them again finds them
//! unchanged.

mod generate;
mod people;

use std::collections::BTreeMap;

use super::DemoError;
use crate::audit::report::Touched;
use crate::db::{AnyConnection, meta};
use crate::domain::code::AgencyCode;
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::graduation::GraduationInput;
use crate::domain::nik::Nik;
use crate::domain::record::Content;
use crate::records::error::RecordsError;
use crate::records::publish::{self, Prepared, WriteResult, Written};

pub use generate::{enrollments, graduations};

/// How many graduations `serve --demo` loads.
pub const DEMO_GRADUATIONS: usize = 3_000;
/// The seed of the demo data set. Changing it changes every demo record.
pub const DEMO_SEED: u64 = 2026;
/// Records per publishing transaction, the API's batch limit.
const CHUNK: usize = 1_000;

/// What loading the demo records did, per kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub graduations: Counts,
    pub enrollments: Counts,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn add(&mut self, result: WriteResult) {
        match result {
            WriteResult::Created => self.created += 1,
            WriteResult::Updated => self.updated += 1,
            WriteResult::Unchanged => self.unchanged += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.created + self.updated + self.unchanged
    }
}

/// Writes one chunk in one transaction, as the API does (run again after a lost race).
pub(super) fn write_chunk<C: Content>(
    conn: &mut AnyConnection,
    publisher: &AgencyCode,
    chunk: &[Prepared<C>],
) -> Result<Vec<Written>, DemoError> {
    crate::db::write_transaction_retrying(conn, |conn| {
        publish::write(conn, publisher, chunk, None, &mut Touched::default())
    })
    .map_err(|e| match e {
        RecordsError::Db(crate::db::DbError::Query(e)) => DemoError::Db(e),
        other => unreachable!("the demo writes without a precondition or an entry: {other}"),
    })
}

/// Publishes the demo records into a database that [`super::seed`] prepared, through the
/// publishing code the API uses, in transactions of up to 1,000 records. Running it again
/// leaves everything unchanged.
pub fn load(conn: &mut AnyConnection) -> Result<Loaded, DemoError> {
    if meta::get(conn, meta::DEMO)?.is_none() {
        return Err(DemoError::NotDemo);
    }
    let mut loaded = Loaded::default();
    let kemensos = generate::text::<AgencyCode>("KEMENSOS");
    let mut graduations = Vec::with_capacity(DEMO_GRADUATIONS);
    let mut ids = Vec::with_capacity(DEMO_GRADUATIONS);
    let all = graduations_prepared(DEMO_GRADUATIONS, DEMO_SEED);
    for chunk in all.chunks(CHUNK) {
        let written = write_chunk(conn, &kemensos, chunk)?;
        for (item, w) in chunk.iter().zip(written) {
            loaded.graduations.add(w.result);
            ids.push(w.meta.id);
            graduations.push(item.content.clone());
        }
    }
    let mut by_agency: BTreeMap<AgencyCode, Vec<Prepared<EnrollmentInput>>> = BTreeMap::new();
    for (agency, enrollment) in enrollments(&graduations, &ids, DEMO_SEED) {
        by_agency
            .entry(agency)
            .or_default()
            .push(Prepared::new(enrollment));
    }
    for (agency, items) in &by_agency {
        for chunk in items.chunks(CHUNK) {
            let written = write_chunk(conn, agency, chunk)?;
            for w in written {
                loaded.enrollments.add(w.result);
            }
        }
    }
    Ok(loaded)
}

fn graduations_prepared(count: usize, seed: u64) -> Vec<Prepared<GraduationInput>> {
    graduations(count, seed)
        .into_iter()
        .map(Prepared::new)
        .collect()
}

/// A NIK of the demo data that both a graduation and an enrollment are found by, and the
/// number of demo enrollments.
pub fn sample() -> (Nik, usize) {
    let graduations = graduations(DEMO_GRADUATIONS, DEMO_SEED);
    let ids = vec![uuid::Uuid::nil(); graduations.len()];
    let enrollments = enrollments(&graduations, &ids, DEMO_SEED);
    let nik = enrollments
        .first()
        .and_then(|(_, e)| e.subject.nik.clone())
        .unwrap_or_else(|| graduations[0].household.head_nik.clone());
    (nik, enrollments.len())
}

#[cfg(test)]
mod tests;
