//! Agreements as their parties see them: what a proposal holds, the view of an agreement
//! with the terms in force, the view of each version, and the stored rows behind them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::agreements::{AgreementRow, VersionRow};
use crate::db::{QueryResult, corrupt};
use crate::domain::agreement::{AgreementStatus, Terms};
use crate::domain::code::AgencyCode;
use crate::domain::field_error::{FieldError, from_value};
use crate::records::read::instant;

/// An agreement the caller's agency (the consumer) proposes to a provider agency: the
/// provider and the terms in one object.
#[derive(Debug, Clone, ToSchema)]
pub struct NewAgreement {
    /// The agency whose records the caller's agency asks to read.
    pub provider_agency: AgencyCode,
    #[serde(flatten)]
    pub terms: Terms,
}

impl NewAgreement {
    /// Reads a proposal: `provider_agency` beside the terms' own fields. Parsed in two
    /// steps because serde cannot say where an error lies inside a flattened struct.
    pub fn from_value(mut value: serde_json::Value) -> Result<Self, Vec<FieldError>> {
        let provider = match value.as_object_mut() {
            Some(object) => object.remove("provider_agency"),
            None => return Err(vec![FieldError::new("", "must be a JSON object")]),
        };
        let provider = match provider {
            None => Err(FieldError::new("/provider_agency", "is required")),
            Some(v) => from_value::<AgencyCode>(v, "/provider_agency"),
        };
        let terms = from_value::<Terms>(value, "");
        match (provider, terms) {
            (Ok(provider_agency), Ok(terms)) => Ok(Self {
                provider_agency,
                terms,
            }),
            (provider, terms) => Err(provider.err().into_iter().chain(terms.err()).collect()),
        }
    }
}

/// A version's place in the agreement's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Awaiting the provider's approval.
    Proposed,
    /// Approved (or, for a narrowing, in force at once); the latest approved version is in
    /// force.
    Approved,
    /// Replaced by a later version before it was approved, or left pending when the
    /// agreement ended.
    Superseded,
}

impl VersionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Proposed, Self::Approved, Self::Superseded]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A data-sharing agreement: the provider lets the consumer read the records its terms
/// describe, for the purposes they list, while it is `active`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Agreement {
    pub id: uuid::Uuid,
    pub provider_agency: AgencyCode,
    pub consumer_agency: AgencyCode,
    pub status: AgreementStatus,
    /// The version whose terms are shown: the one in force, or while the agreement was
    /// never approved, the latest proposal.
    pub version: i64,
    #[serde(flatten)]
    pub terms: Terms,
    /// A later version (a widening) awaiting the provider's approval; until then `version`
    /// stays in force.
    pub pending_version: Option<i64>,
    /// The newest version of any state: the ETag, and what `If-Match` names to change the
    /// terms.
    pub latest_version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of an agreement's terms, as proposed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementVersion {
    pub version: i64,
    pub state: VersionState,
    /// The party that proposed it.
    pub proposed_by: AgencyCode,
    pub proposed_at: DateTime<Utc>,
    /// When it came into force.
    pub approved_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub terms: Terms,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementList {
    pub items: Vec<Agreement>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementVersions {
    /// Oldest first.
    pub items: Vec<AgreementVersion>,
}

pub fn terms_of(row: &VersionRow) -> QueryResult<Terms> {
    serde_json::from_str(&row.terms).map_err(corrupt)
}

/// The status an agreement has now: a stored one, or `expired` once the terms in force end.
pub fn status_at(
    row: &AgreementRow,
    in_force: Option<&Terms>,
    now: DateTime<Utc>,
) -> QueryResult<AgreementStatus> {
    let stored = AgreementStatus::parse_stored(&row.status).ok_or_else(|| {
        corrupt(std::io::Error::other(
            "an agreement's stored status is unknown",
        ))
    })?;
    let ended = in_force.is_some_and(|t| now > t.valid_until);
    Ok(match stored {
        AgreementStatus::Active | AgreementStatus::Suspended if ended => AgreementStatus::Expired,
        other => other,
    })
}

/// The view of an agreement, given the version shown (in force, or the latest proposal).
pub fn view(row: &AgreementRow, shown: &VersionRow, now: DateTime<Utc>) -> QueryResult<Agreement> {
    let terms = terms_of(shown)?;
    let in_force = row.version_in_force.map(|_| &terms);
    let pending = match row.version_in_force {
        Some(v) if row.latest_version > v && row.status != "terminated" => Some(row.latest_version),
        _ => None,
    };
    Ok(Agreement {
        id: row.id.parse().map_err(corrupt)?,
        provider_agency: AgencyCode::parse(&row.provider_agency).map_err(corrupt)?,
        consumer_agency: AgencyCode::parse(&row.consumer_agency).map_err(corrupt)?,
        status: status_at(row, in_force, now)?,
        version: shown.version,
        terms,
        pending_version: pending,
        latest_version: row.latest_version,
        created_at: instant(row.created_at)?,
        updated_at: instant(row.updated_at)?,
    })
}

pub fn version_view(row: &VersionRow) -> QueryResult<AgreementVersion> {
    Ok(AgreementVersion {
        version: row.version,
        state: VersionState::parse(&row.state)
            .ok_or_else(|| corrupt(std::io::Error::other("a version's stored state is unknown")))?,
        proposed_by: AgencyCode::parse(&row.proposed_by).map_err(corrupt)?,
        proposed_at: instant(row.proposed_at)?,
        approved_at: row.approved_at.map(instant).transpose()?,
        terms: terms_of(row)?,
    })
}
