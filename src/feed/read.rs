//! The change feed: positioned changes, each with the record as of the version it announces.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::{RawValue, to_raw_value};
use tokio::sync::watch;
use utoipa::ToSchema;

use crate::agreements::ops::COORDINATOR;
use crate::audit::report::Touched;
use crate::auth::Scope;
use crate::db::DbError;
use crate::db::changes::{self as store, Audience, FeedRow, Filter};
use crate::db::corrupt;
use crate::db::referrals::ReferralRow;
use crate::db::{AnyConnection, Db};
use crate::domain::code::AgencyCode;
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::graduation::GraduationInput;
use crate::domain::record::{Content, Meta, RecordKind};
use crate::records::access;
use crate::records::disclose::{Excluded, FeedPlan, Reader};
use crate::records::read::{instant, reason};
use crate::records::stored;
use crate::referrals::model::{Disclosure, Referral};

/// Why a page of the feed was not read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// `after` is beyond the head: no page ever gave it.
    #[error("is beyond the feed's head ({head}); use a `next` the feed gave")]
    BeyondHead { head: i64 },
    #[error("a record does not serialise: {0}")]
    Render(#[source] serde_json::Error),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::QueryError> for FeedError {
    fn from(e: crate::db::QueryError) -> Self {
        Self::Db(e.into())
    }
}

/// The feed's highest position as this instance's sequencer last numbered it: long-polling
/// readers wake when it moves (changes numbered by another instance are found by polling).
pub struct FeedHead(pub watch::Receiver<i64>);

/// What a change is about: a record, a data-sharing agreement or a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    Graduation,
    Enrollment,
    /// Shown to the agreement's two parties and the coordinating ministry, when the token
    /// holds `agreements:read`.
    Agreement,
    /// Shown to the referral's requester, the graduation's publisher, the agencies it was
    /// offered to and the coordinating ministry, when the token holds `referrals:read`.
    Referral,
    /// A follow-up signal (`graduation.unreferred`, `graduation.relapse`,
    /// `referral.overdue`) raised or closed: shown to the graduation's publisher and the
    /// coordinating ministry, when the token holds `referrals:read`.
    FollowUp,
}

impl ChangeType {
    pub const ALL: [Self; 5] = [
        Self::Graduation,
        Self::Enrollment,
        Self::Agreement,
        Self::Referral,
        Self::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graduation => "graduation",
            Self::Enrollment => "enrollment",
            Self::Agreement => "agreement",
            Self::Referral => "referral",
            Self::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The kind of record its changes carry; `None` for an agreement, a referral or a signal.
    pub fn record_kind(self) -> Option<RecordKind> {
        match self {
            Self::Graduation => Some(RecordKind::Graduation),
            Self::Enrollment => Some(RecordKind::Enrollment),
            Self::Agreement | Self::Referral | Self::FollowUp => None,
        }
    }

    /// The scope that reading its changes needs, since they carry what they are about.
    pub fn read_scope(self) -> Scope {
        match (self, self.record_kind()) {
            (_, Some(kind)) => access::read_scope(kind),
            (Self::Referral | Self::FollowUp, None) => Scope::ReferralsRead,
            (_, None) => Scope::AgreementsRead,
        }
    }
}

impl std::fmt::Display for ChangeType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened. To a record: `created`, `updated` (a new version, including a retracted
/// record published again) or `retracted`. To an agreement: `proposed` (also wider terms
/// awaiting approval), `amended` (narrower terms, in force at once), `approved`, `resumed`,
/// `suspended`, `terminated`, `expiring` (30 days before the `valid_until` of the terms in
/// force) and `expired`. To a referral: `offered` (when made, to fallbacks, again after a
/// release), `accepted`, `declined` (by one agency), `withdrawn`, `released`, `enrolled`,
/// `overdue` (a deadline passed) and `lapsed`. To a follow-up signal: `raised` and `closed`.
/// A consumer skips an action it does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Created,
    Updated,
    Retracted,
    Proposed,
    Amended,
    Approved,
    Resumed,
    Suspended,
    Terminated,
    Expiring,
    Expired,
    Offered,
    Accepted,
    Declined,
    Withdrawn,
    Released,
    Enrolled,
    Overdue,
    Lapsed,
    Raised,
    Closed,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        use serde::de::IntoDeserializer;
        Self::deserialize(s.into_deserializer())
            .map_err(|_: serde::de::value::Error| ())
            .ok()
    }
}

/// One change: a record version that was created, updated or retracted, or a step in a
/// data-sharing agreement's life.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"position": 4258, "type": "graduation", "action": "created",
    "record_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "version": 1, "publisher": "KEMENSOS",
    "occurred_at": "2026-11-28T03:12:45.123456Z",
    "record": {"id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "source_record_id": "PKH-2026-3201-000123",
        "publisher": "KEMENSOS", "program": "PKH", "version": 1, "retracted": false}}))]
pub struct Change {
    /// Strictly increasing along the feed; pass the page's `next` as `after`.
    pub position: i64,
    #[serde(rename = "type")]
    pub kind: ChangeType,
    pub action: Action,
    /// The record's id, the agreement's or the referral's.
    pub record_id: uuid::Uuid,
    /// The record's version, the agreement's version the change is about, or the referral's
    /// version after the step.
    pub version: i64,
    /// The record's publisher, the agreement's provider agency, or the referral's requester.
    #[schema(value_type = String, example = "KEMENSOS")]
    pub publisher: AgencyCode,
    pub occurred_at: DateTime<Utc>,
    /// The record as of this version (a `Graduation` or an `Enrollment`, by `type`; a
    /// retracted version carries `retracted: true`), or the `Agreement` or `Referral` as the
    /// change left it (a referral's family shown as the reader's agreement allows).
    // Rendered once, where the record is read: a page of a thousand records is never
    // built as a tree of values only to be written out again.
    #[schema(value_type = Object)]
    pub record: Box<RawValue>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub changes: Vec<Change>,
    /// Where to continue: the last position returned, or the head when the page is not full
    /// (positions up to it that match no filter need not be read again).
    pub next: i64,
    /// Other agencies whose changes this page leaves out, and why (`purpose-missing` when
    /// `Sinergi-Purpose` declares no purpose code, or a refusal's code): without a
    /// data-sharing agreement for the purpose, another agency's changes are not shown.
    pub excluded_publishers: Vec<Excluded>,
}

/// A reader's view of the feed: whose changes it may see (the filter's publishers are
/// narrowed to them), and each record shaped by the agreement it is read under.
pub struct FeedView {
    pub reader: Reader,
    pub plan: FeedPlan,
}

/// One page of changes after `after`, as `view` may see them (all, unprojected, without
/// one). Refuses a position beyond the head, which no feed ever gave.
pub fn page(
    conn: &mut AnyConnection,
    after: i64,
    filter: &Filter,
    limit: i64,
    touched: &mut Touched,
    view: Option<&FeedView>,
) -> Result<FeedPage, FeedError> {
    // The head first: everything up to it is committed, so a page read up to it misses
    // nothing that a later page would not show.
    let head = store::head(conn)?;
    if after > head {
        return Err(FeedError::BeyondHead { head });
    }
    let rows = store::read(conn, after, head, filter, limit)?;
    let referral_ids: Vec<&str> = rows
        .iter()
        .filter(|r| r.kind == "referral")
        .map(|r| r.record_id.as_str())
        .collect();
    let referrals = crate::db::referrals::get_many(conn, &referral_ids)?;
    let next = if rows.len() as i64 == limit {
        rows.last().map_or(head, |r| r.position)
    } else {
        head
    };
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        // A change of another program or region than the agreement's is left out; `next`
        // still passes it, as it would a change the filter leaves out.
        if let Some(change) = render(row, &referrals, touched, view)? {
            changes.push(change);
        }
    }
    let excluded_publishers = view.map(|v| v.plan.excluded.clone()).unwrap_or_default();
    Ok(FeedPage {
        changes,
        next,
        excluded_publishers,
    })
}

/// While long-polling, how often the database is asked again for changes that another
/// instance numbered (this instance's own wake waiters at once).
const POLL_EVERY: Duration = Duration::from_millis(250);

/// The first page after `after` that has a change, waiting up to `wait` for one to arrive;
/// an empty page when none did. Returns the records the page shows, for the audit entry.
pub async fn follow(
    db: &Db,
    head: &FeedHead,
    mut after: i64,
    filter: Filter,
    limit: i64,
    wait: Duration,
    view: Arc<FeedView>,
) -> Result<(FeedPage, Touched), FeedError> {
    let deadline = Instant::now() + wait;
    loop {
        // Subscribed before reading, so that a change numbered meanwhile wakes this loop.
        let mut moved = head.0.clone();
        moved.borrow_and_update();
        let (filter, view) = (filter.clone(), view.clone());
        let (page, touched) = db
            .run(move |conn| {
                let mut touched = Touched::default();
                let page = page(conn, after, &filter, limit, &mut touched, Some(&view))?;
                Ok::<_, FeedError>((page, touched))
            })
            .await?;
        let now = Instant::now();
        if !page.changes.is_empty() || now >= deadline {
            return Ok((page, touched));
        }
        // Nothing matched up to the head: continue from there.
        after = page.next;
        let nap = (deadline - now).min(POLL_EVERY);
        let _ = tokio::time::timeout(nap, moved.changed()).await;
    }
}

/// Whose agreement or referral changes `agency` follows: those it is party to; the
/// coordinating ministry, every one's.
pub fn seen_by(agency: &AgencyCode) -> Audience {
    if agency.as_str() == COORDINATOR {
        Audience::All
    } else {
        Audience::Of(agency.to_string())
    }
}

/// The highest position now.
pub fn head(conn: &mut AnyConnection) -> Result<i64, FeedError> {
    Ok(store::head(conn)?)
}

fn render(
    row: FeedRow,
    referrals: &HashMap<String, ReferralRow>,
    touched: &mut Touched,
    view: Option<&FeedView>,
) -> Result<Option<Change>, FeedError> {
    let action = Action::parse(&row.action).ok_or_else(|| corrupt(std::fmt::Error))?;
    let stood = |kind, record| -> Result<Option<Change>, FeedError> {
        Ok(Some(Change {
            position: row.position,
            kind,
            action,
            record_id: row.record_id.parse().map_err(corrupt)?,
            version: row.version,
            publisher: AgencyCode::parse(&row.publisher).map_err(corrupt)?,
            occurred_at: instant(row.occurred_at)?,
            record,
        }))
    };
    let kind = match row.kind.as_str() {
        "graduation" => RecordKind::Graduation,
        "enrollment" => RecordKind::Enrollment,
        // Stored as the change shows them.
        "agreement" => {
            let record = RawValue::from_string(row.content.clone()).map_err(corrupt)?;
            return stood(ChangeType::Agreement, record);
        }
        "follow_up" => {
            let record = RawValue::from_string(row.content.clone()).map_err(corrupt)?;
            return stood(ChangeType::FollowUp, record);
        }
        "referral" => {
            let referral: Referral = serde_json::from_str(&row.content).map_err(corrupt)?;
            let stored = referrals
                .get(&row.record_id)
                .ok_or_else(|| corrupt(std::fmt::Error))?;
            let referral = match view {
                Some(view) => {
                    view.reader
                        .referrals()
                        .show(referral, &Disclosure::of(stored)?, touched)
                }
                None => referral,
            };
            return stood(
                ChangeType::Referral,
                to_raw_value(&referral).map_err(FeedError::Render)?,
            );
        }
        _ => return Err(corrupt(std::fmt::Error).into()),
    };
    let meta = Meta {
        id: row.record_id.parse().map_err(corrupt)?,
        publisher: AgencyCode::parse(&row.publisher).map_err(corrupt)?,
        version: row.version,
        created_at: instant(row.created_at)?,
        updated_at: instant(row.occurred_at)?,
        retracted: row.retracted,
        retraction_reason: reason(row.retraction_reason.as_deref())?,
    };
    let record = match kind {
        RecordKind::Graduation => embed::<GraduationInput>(&row, meta.clone(), touched, view)?,
        RecordKind::Enrollment => embed::<EnrollmentInput>(&row, meta.clone(), touched, view)?,
    };
    let Some(record) = record else {
        return Ok(None);
    };
    Ok(Some(Change {
        position: row.position,
        kind: match kind {
            RecordKind::Graduation => ChangeType::Graduation,
            RecordKind::Enrollment => ChangeType::Enrollment,
        },
        action,
        record_id: meta.id,
        version: row.version,
        publisher: meta.publisher,
        occurred_at: meta.updated_at,
        record,
    }))
}

/// The record of a change as `view` may see it, or `None` when no agreement covers it.
fn embed<C: Content>(
    row: &FeedRow,
    meta: Meta,
    touched: &mut Touched,
    view: Option<&FeedView>,
) -> Result<Option<Box<RawValue>>, FeedError> {
    let Some(view) = view.filter(|v| !v.reader.is_own(&row.publisher)) else {
        // Shown whole: written from the stored JSON.
        return Ok(Some(stored::own(&row.content, &meta, touched)?));
    };
    let content: C = serde_json::from_str(&row.content).map_err(corrupt)?;
    let Some(access) = view
        .reader
        .access_on_feed(&view.plan, &row.publisher, &content)
    else {
        return Ok(None);
    };
    touched.add(&row.record_id, &content);
    let record = content.into_record(meta);
    let shown = view.reader.show(C::KIND, access, &record, touched);
    to_raw_value(&shown).map(Some).map_err(FeedError::Render)
}
