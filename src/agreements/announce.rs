//! What a change of an agreement leaves besides its rows: the agreement as the change left
//! it, in the audit entry of the request that made it (what `sinergi audit verify` holds
//! later disclosures against), and a change on the feed that both parties and the
//! coordinator see. [`tick`] announces what time alone changes: an agreement about to
//! expire, and one that has.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::error::AgreementsError;
use super::model::{self, terms_of};
use crate::audit::entry::{AgreementState, format_time};
use crate::audit::report::Touched;
use crate::db::agreements::{self as store, AgreementRow, VersionRow};
use crate::db::changes::NewChange;
use crate::db::{self, AnyConnection, QueryResult};

/// How long before `valid_until` the parties are told that an agreement expires.
pub const EXPIRING_AHEAD: Duration = Duration::days(30);

/// What happened to an agreement: the `action` of its change on the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Proposed, or wider terms proposed, awaiting the provider's approval.
    Proposed,
    /// Narrower terms, in force at once.
    Amended,
    /// The provider approved the pending terms, which are now in force.
    Approved,
    /// The provider lifted a suspension.
    Resumed,
    Suspended,
    Terminated,
    /// [`EXPIRING_AHEAD`] or less before the `valid_until` of the version in force.
    Expiring,
    /// Past the `valid_until` of the version in force.
    Expired,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Amended => "amended",
            Self::Approved => "approved",
            Self::Resumed => "resumed",
            Self::Suspended => "suspended",
            Self::Terminated => "terminated",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
        }
    }
}

/// Records `row` as `event` left it: its state into `touched` (the request's audit entry)
/// and a change onto the feed. Runs in the transaction of the change.
pub fn announce(
    conn: &mut AnyConnection,
    row: &AgreementRow,
    event: Event,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> Result<(), AgreementsError> {
    let latest =
        store::version(conn, &row.id, row.latest_version)?.ok_or_else(store::missing_version)?;
    let in_force = match row.version_in_force {
        Some(v) if v == row.latest_version => Some(latest.clone()),
        Some(v) => Some(store::version(conn, &row.id, v)?.ok_or_else(store::missing_version)?),
        None => None,
    };
    let terms = in_force.as_ref().map(terms_of).transpose()?;
    touched.agreement = Some(AgreementState {
        id: row.id.clone(),
        status: row.status.clone(),
        provider_agency: row.provider_agency.clone(),
        consumer_agency: row.consumer_agency.clone(),
        version: row.version_in_force,
        purposes: terms
            .iter()
            .flat_map(|t| t.purposes.iter().map(ToString::to_string))
            .collect(),
        valid_from: terms.as_ref().map(|t| format_time(t.valid_from)),
        valid_until: terms.as_ref().map(|t| format_time(t.valid_until)),
        terms_sha256: crate::hex::encode(&Sha256::digest(latest.terms.as_bytes())),
    });
    feed(conn, row, row.latest_version, event, now)?;
    Ok(())
}

/// The change announcing `event` of `version`, with the agreement as it now stands.
fn feed(
    conn: &mut AnyConnection,
    row: &AgreementRow,
    version: i64,
    event: Event,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let shown: VersionRow = store::version(
        conn,
        &row.id,
        row.version_in_force.unwrap_or(row.latest_version),
    )?
    .ok_or_else(store::missing_version)?;
    let view = model::view(row, &shown, now)?;
    db::changes::insert(
        conn,
        &[NewChange {
            kind: "agreement",
            action: event.as_str(),
            record_id: row.id.clone(),
            version,
            publisher: row.provider_agency.clone(),
            program: String::new(),
            occurred_at: now.timestamp_micros(),
            party: Some(row.consumer_agency.clone()),
            content: Some(serde_json::to_string(&view).expect("an agreement serialises")),
        }],
    )
}

/// Announces, once per version in force, the agreements whose end is near or past; answers
/// how many changes it wrote. Run it in a write transaction: one instance at a time
/// announces (the others find the lock taken, or the announcement made).
pub fn tick(conn: &mut AnyConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    /// "sinergi agreement clock", as a 64-bit advisory lock key.
    const LOCK: i64 = 0x5349_4e45_5247_4941;
    if !db::try_transaction_lock(conn, LOCK)? {
        return Ok(0);
    }
    let mut written = 0;
    for (row, terms) in store::in_force(conn)? {
        let terms: crate::domain::agreement::Terms =
            serde_json::from_str(&terms).map_err(db::corrupt)?;
        let version = row.version_in_force.ok_or_else(store::missing_version)?;
        for (event, from) in [
            (Event::Expiring, terms.valid_until - EXPIRING_AHEAD),
            (Event::Expired, terms.valid_until),
        ] {
            if now >= from && !db::changes::announced(conn, &row.id, version, event.as_str())? {
                feed(conn, &row, version, event, now)?;
                written += 1;
            }
        }
    }
    Ok(written)
}
