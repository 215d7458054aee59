//! Which of another agency's records a read may return, and in what shape: the agreements
//! in force, cached per instance, decide every read of records (by id, history, search),
//! and each record returned is projected to its agreement's fields, with a `subject_ref`
//! in place of the NIK when the NIK is not among them.
//!
//! The cache is read again when it is older than [`REFRESH`], and at once after this
//! instance changed an agreement: a change made on another instance takes effect here
//! within [`REFRESH`]. Expiry needs no refresh: validity is checked at each decision.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;

use crate::audit::entry::AgreementRef;
use crate::db::{self, Db, DbError, QueryError};
use crate::domain::agreement::{self, SearchKey, Terms};
use crate::domain::code::PurposeCode;
use crate::domain::record::RecordKind;

/// The longest an agreement changed on another instance keeps its old effect here.
pub const REFRESH: Duration = Duration::from_secs(2);

/// Why a read of another agency's records is refused (403); the codes are the problem
/// types' last segment, in the spirit of OpenG2P's decision reason codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No active agreement lets the caller's agency read these records.
    NoAgreement,
    /// An agreement covers the records, but not the declared purpose.
    PurposeNotCovered,
    /// An agreement covers the records and purpose, but not a search filter used.
    SearchKeyNotCovered,
    /// The agreement that covered the records has passed its `valid_until`.
    AgreementExpired,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoAgreement => "no-agreement",
            Self::PurposeNotCovered => "purpose-not-covered",
            Self::SearchKeyNotCovered => "search-key-not-covered",
            Self::AgreementExpired => "agreement-expired",
        }
    }

    /// What the caller is told: which check failed, never what it sent.
    pub fn detail(self) -> &'static str {
        match self {
            Self::NoAgreement => {
                "no active data-sharing agreement lets your agency read these records; the \
                 provider agency approves one (POST /v1/agreements)"
            }
            Self::PurposeNotCovered => {
                "the agreement that covers these records does not cover the declared purpose \
                 (Sinergi-Purpose)"
            }
            Self::SearchKeyNotCovered => {
                "the agreement that covers these records does not let your agency search by \
                 this filter (see its search_keys)"
            }
            Self::AgreementExpired => {
                "the agreement that covered these records has passed its valid_until"
            }
        }
    }
}

/// Why a read was not decided on its merits: its declared purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeProblem {
    Missing,
    Unknown,
}

impl PurposeProblem {
    pub fn detail(self) -> &'static str {
        match self {
            Self::Missing => {
                "a read of another agency's records declares its purpose: `CODE` or `CODE: \
                 free text`, with a code of GET /v1/purposes"
            }
            Self::Unknown => {
                "does not begin with a purpose code of this exchange (GET /v1/purposes)"
            }
        }
    }
}

/// One agreement in force, as reads are decided on it.
#[derive(Debug, Clone)]
pub struct InForce {
    pub reference: AgreementRef,
    pub provider: String,
    pub consumer: String,
    pub terms: Terms,
}

/// What the cache holds.
pub struct Snapshot {
    agreements: Vec<InForce>,
    purposes: BTreeSet<String>,
    agencies: Vec<String>,
}

/// The agreements in force, cached for this instance.
pub struct Policy {
    db: Db,
    cache: Mutex<Cache>,
    subject_key: [u8; 32],
}

#[derive(Default)]
struct Cache {
    snapshot: Option<(Instant, Arc<Snapshot>)>,
    /// Counts invalidations, so that a load that began before one does not store what it
    /// read as current.
    generation: u64,
    /// A load is under way: until it ends, others keep using the snapshot they have rather
    /// than all reading the database at once.
    refreshing: bool,
}

/// Clears `refreshing` however the load ends, a cancelled request included.
struct Refreshing<'a>(&'a Mutex<Cache>);

impl Drop for Refreshing<'_> {
    fn drop(&mut self) {
        crate::sync::lock(self.0).refreshing = false;
    }
}

/// How one record may be shown to the reader.
#[derive(Debug, Clone, Copy)]
pub enum Access<'a> {
    /// The reader's agency published it.
    Own,
    Granted(&'a InForce),
}

/// The purpose a read declared: the code before the first `:` of `Sinergi-Purpose`.
fn declared_code(purpose: Option<&str>) -> Option<Result<PurposeCode, PurposeProblem>> {
    let text = purpose?;
    let code = text.split(':').next().unwrap_or_default().trim();
    Some(PurposeCode::parse(code).map_err(|_| PurposeProblem::Unknown))
}

impl Policy {
    pub fn new(db: Db, subject_key: [u8; 32]) -> Self {
        Self {
            db,
            cache: Mutex::new(Cache::default()),
            subject_key,
        }
    }

    /// The agreements in force, read again when older than [`REFRESH`].
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, DbError> {
        let generation = {
            let mut cache = crate::sync::lock(&self.cache);
            if let Some((at, snapshot)) = &cache.snapshot
                && (at.elapsed() < REFRESH || cache.refreshing)
            {
                return Ok(snapshot.clone());
            }
            cache.refreshing = true;
            cache.generation
        };
        let refreshing = Refreshing(&self.cache);
        let loaded = self
            .db
            .run(|conn| Snapshot::load(conn).map_err(DbError::from))
            .await;
        drop(refreshing);
        let snapshot = Arc::new(loaded?);
        let mut cache = crate::sync::lock(&self.cache);
        if cache.generation == generation {
            cache.snapshot = Some((Instant::now(), snapshot.clone()));
        }
        Ok(snapshot)
    }

    /// Forgets the cache: this instance just changed an agreement.
    pub fn invalidate(&self) {
        let mut cache = crate::sync::lock(&self.cache);
        cache.generation += 1;
        cache.snapshot = None;
    }

    /// The consumer agency's pseudonym for a NIK: HMAC-SHA256 under the exchange's key of
    /// the agency and the NIK. Stable for one agency, different between agencies, and
    /// without the key not invertible (NIKs are too few to hash without one).
    pub fn subject_ref(&self, consumer: &str, nik: &str) -> String {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.subject_key)
            .expect("HMAC accepts any key length");
        mac.update(consumer.as_bytes());
        mac.update(&[0]);
        mac.update(nik.as_bytes());
        crate::hex::encode(&mac.finalize().into_bytes())
    }

    /// `record` (a record as the publisher sees it) as the reader may see it: under an
    /// agreement, only its fields, and a `subject_ref` for a NIK not among them.
    pub fn project(
        &self,
        reader: &str,
        kind: RecordKind,
        access: Access<'_>,
        mut record: Value,
    ) -> Value {
        let Access::Granted(grant) = access else {
            return record;
        };
        let fields = &grant.terms.fields;
        let subject_field = agreement::subject_nik_field(kind);
        if !agreement::covers(fields, subject_field)
            && let Some(nik) = record.pointer(subject_field).and_then(Value::as_str)
        {
            let reference = self.subject_ref(reader, nik);
            record["subject_ref"] = reference.into();
        }
        // Leaves only: an enclosing object stays while any of its fields is shown, and goes
        // when the projection left it empty.
        for pointer in agreement::selectable_fields(kind) {
            if !PARENTS.contains(pointer) && !agreement::covers(fields, pointer) {
                remove(&mut record, pointer);
            }
        }
        for parent in PARENTS {
            if record
                .pointer(parent)
                .and_then(Value::as_object)
                .is_some_and(serde_json::Map::is_empty)
            {
                remove(&mut record, parent);
            }
        }
        record
    }
}

/// The selectable fields that enclose others.
const PARENTS: [&str; 2] = ["/household", "/subject"];

fn remove(record: &mut Value, pointer: &str) {
    let (parent, name) = pointer.rsplit_once('/').expect("pointers start with /");
    let target = if parent.is_empty() {
        Some(record)
    } else {
        record.pointer_mut(parent)
    };
    if let Some(Value::Object(map)) = target {
        map.remove(name);
    }
}

impl Snapshot {
    /// The agreements in force as the database holds them now (the cache's source; the
    /// referral deadline sweep decides on it directly, within its transaction).
    pub fn load(conn: &mut db::AnyConnection) -> Result<Self, QueryError> {
        let agreements = db::agreements::in_force(conn)?
            .into_iter()
            .map(|(row, terms)| {
                Ok(InForce {
                    reference: AgreementRef {
                        id: row.id,
                        version: row.version_in_force.unwrap_or(row.latest_version),
                    },
                    provider: row.provider_agency,
                    consumer: row.consumer_agency,
                    terms: serde_json::from_str(&terms).map_err(db::corrupt)?,
                })
            })
            .collect::<Result<_, QueryError>>()?;
        let purposes = db::purposes::list(conn)?
            .into_iter()
            .map(|p| p.code.to_string())
            .collect();
        let agencies = db::agencies::list(conn)?
            .into_iter()
            .map(|a| a.code.to_string())
            .collect();
        Ok(Self {
            agreements,
            purposes,
            agencies,
        })
    }

    /// The purpose a read of another agency's records declared, checked.
    pub fn purpose(&self, declared: Option<&str>) -> Result<PurposeCode, PurposeProblem> {
        let code = declared_code(declared).ok_or(PurposeProblem::Missing)??;
        if self.purposes.contains(code.as_str()) {
            Ok(code)
        } else {
            Err(PurposeProblem::Unknown)
        }
    }

    /// Every agency but `reader`.
    pub fn other_agencies<'a>(&'a self, reader: &'a str) -> impl Iterator<Item = &'a str> {
        self.agencies
            .iter()
            .map(String::as_str)
            .filter(move |a| *a != reader)
    }

    /// The agreements under which `reader` may read `kind` records of `publisher` for
    /// `purpose` now, searching by `keys`; or why there are none. Programs and regions are
    /// decided per record ([`Self::covering`]).
    pub fn grants(
        &self,
        reader: &str,
        publisher: &str,
        kind: RecordKind,
        purpose: &PurposeCode,
        keys: &[SearchKey],
        now: DateTime<Utc>,
    ) -> Result<Vec<&InForce>, Refusal> {
        let between: Vec<&InForce> = self
            .agreements
            .iter()
            .filter(|a| a.consumer == reader && a.provider == publisher)
            .filter(|a| a.terms.record_kinds.contains(&kind))
            .collect();
        narrow(between, purpose, keys, now)
    }

    /// The agreement under which `reader` may read this one record for `purpose`.
    #[allow(clippy::too_many_arguments)]
    pub fn covering(
        &self,
        reader: &str,
        publisher: &str,
        kind: RecordKind,
        program: &str,
        village: &str,
        purpose: &PurposeCode,
        now: DateTime<Utc>,
    ) -> Result<&InForce, Refusal> {
        let between: Vec<&InForce> = self
            .agreements
            .iter()
            .filter(|a| a.consumer == reader && a.provider == publisher)
            .filter(|a| a.terms.covers_record(kind, program, village))
            .collect();
        Ok(narrow(between, purpose, &[], now)?[0])
    }
}

/// Of the agreements that cover the records, those valid now, for the purpose, with the
/// search keys; the first reason why none is left.
fn narrow<'a>(
    between: Vec<&'a InForce>,
    purpose: &PurposeCode,
    keys: &[SearchKey],
    now: DateTime<Utc>,
) -> Result<Vec<&'a InForce>, Refusal> {
    if between.is_empty() {
        return Err(Refusal::NoAgreement);
    }
    let valid: Vec<&InForce> = between
        .iter()
        .copied()
        .filter(|a| a.terms.valid_at(now))
        .collect();
    if valid.is_empty() {
        return Err(if between.iter().any(|a| now > a.terms.valid_until) {
            Refusal::AgreementExpired
        } else {
            Refusal::NoAgreement
        });
    }
    let for_purpose: Vec<&InForce> = valid
        .into_iter()
        .filter(|a| a.terms.purposes.contains(purpose))
        .collect();
    if for_purpose.is_empty() {
        return Err(Refusal::PurposeNotCovered);
    }
    let usable: Vec<&InForce> = for_purpose
        .into_iter()
        .filter(|a| keys.iter().all(|k| a.terms.search_keys.contains(k)))
        .collect();
    if usable.is_empty() {
        return Err(Refusal::SearchKeyNotCovered);
    }
    Ok(usable)
}
