//! Follow-up signals as the agencies see them: the graduation's publisher its own, the
//! agencies a referral was made by or offered to its overdue signals, the coordinating
//! ministry all. A signal names records by id, never a person.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::agreements::ops::COORDINATOR;
use crate::db::follow_up::{self as store, Filter, SignalRow};
use crate::db::{AnyConnection, QueryResult, corrupt};
use crate::domain::code::AgencyCode;
use crate::records::read::instant;

/// What a signal says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum SignalKind {
    /// Neither a referral nor an enrollment followed the graduation within the set days.
    #[serde(rename = "graduation.unreferred")]
    Unreferred,
    /// The family is back in social assistance, or down to a bansos priority decile.
    #[serde(rename = "graduation.relapse")]
    Relapse,
    /// A referral of the family passed `respond_by` or `complete_by`.
    #[serde(rename = "referral.overdue")]
    Overdue,
}

impl SignalKind {
    pub const ALL: [Self; 3] = [Self::Unreferred, Self::Relapse, Self::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreferred => "graduation.unreferred",
            Self::Relapse => "graduation.relapse",
            Self::Overdue => "referral.overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One follow-up signal.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019ae0f1-2b7c-7d3e-9a41-5c6d7e8f9a0b", "kind": "graduation.relapse",
    "cause": "social_assistance_enrollment", "graduation_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
    "publisher": "KEMENSOS", "program": "PKH", "region_code": "32.01.01.1002",
    "records": ["019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "019ae0c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f"],
    "raised_at": "2026-12-05T01:00:00Z", "age_days": 3}))]
pub struct Signal {
    pub id: uuid::Uuid,
    pub kind: SignalKind,
    /// What raised it: `no_referral`; `social_assistance_enrollment` or `welfare_decile`
    /// (a relapse); `respond_by` or `complete_by` (an overdue referral).
    pub cause: String,
    pub graduation_id: uuid::Uuid,
    /// The graduation's publisher.
    #[schema(value_type = String, example = "KEMENSOS")]
    pub publisher: AgencyCode,
    /// The graduation's program.
    pub program: String,
    /// The family's village when it graduated.
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub referral_id: Option<uuid::Uuid>,
    /// The ids of the records (and referral) that raised it: the graduation, and the
    /// enrollment of a relapse.
    pub records: Vec<String>,
    pub raised_at: DateTime<Utc>,
    /// Whole days since it was raised.
    pub age_days: i64,
    /// When it was closed (a referral or an enrollment followed; the referral moved on);
    /// absent while open.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalList {
    pub items: Vec<Signal>,
    /// Pass as `after` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The signal `row` as it stands at `now`.
pub fn view(row: SignalRow, now: DateTime<Utc>) -> QueryResult<Signal> {
    let raised_at = instant(row.raised_at)?;
    let d = &row.region_digits;
    let region_code = if d.len() == 10 {
        format!("{}.{}.{}.{}", &d[..2], &d[2..4], &d[4..6], &d[6..])
    } else {
        d.clone()
    };
    Ok(Signal {
        id: row.id.parse().map_err(corrupt)?,
        kind: SignalKind::parse(&row.kind).ok_or_else(|| corrupt(std::fmt::Error))?,
        cause: row.cause,
        graduation_id: row.graduation_id.parse().map_err(corrupt)?,
        publisher: AgencyCode::parse(&row.publisher).map_err(corrupt)?,
        program: row.program,
        region_code,
        referral_id: row
            .referral_id
            .as_deref()
            .map(|r| r.parse().map_err(corrupt))
            .transpose()?,
        records: serde_json::from_str(&row.records).map_err(corrupt)?,
        raised_at,
        age_days: (now - raised_at).num_days(),
        closed_at: row.closed_at.map(instant).transpose()?,
    })
}

/// A page of the signals `agency` may see, oldest first.
pub fn list(
    conn: &mut AnyConnection,
    agency: &str,
    mut filter: Filter,
    limit: i64,
    now: DateTime<Utc>,
) -> QueryResult<SignalList> {
    if agency != COORDINATOR {
        filter.visible_to = Some(agency.to_owned());
    }
    let rows = store::list(conn, &filter, limit)?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    let items = rows
        .into_iter()
        .map(|r| view(r, now))
        .collect::<Result<_, _>>()?;
    Ok(SignalList { items, next })
}
