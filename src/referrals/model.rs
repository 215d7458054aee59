//! Referrals as the agencies see them: the view of a stored referral, and the family it
//! names as each reader may see it (projected by the agreement between the graduation's
//! publisher and the reader, like the graduation itself).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::agreements::policy::{InForce, Policy, Refusal, Snapshot};
use crate::audit::entry::AgreementRef;
use crate::audit::report::Touched;
use crate::db::referrals::{OfferRow, ReasonRow, ReferralRow};
use crate::db::{QueryResult, corrupt};
use crate::domain::agreement;
use crate::domain::code::{AgencyCode, PurposeCode};
use crate::domain::record::RecordKind;
use crate::domain::referral::{OfferState, Priority, ReasonUse, Status};
use crate::records::read::instant;

/// The family a referral is about: the graduation's KK and head of family, each shown when
/// the agreement between the graduation's publisher and the reader covers it
/// (`/household/kk`, `/household/head_nik`); without the NIK, `subject_ref`, the reader's
/// own pseudonym of it (as on records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReferralSubject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "3201012301150007")]
    pub kk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "3201011507850003")]
    pub head_nik: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub subject_ref: Option<String>,
}

/// One agency a referral is offered to, and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReferralOffer {
    #[schema(value_type = String, example = "KEMENDES")]
    pub agency: AgencyCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, nullable = false, example = "PKTD")]
    pub target_program: Option<String>,
    pub state: OfferState,
    /// The reason of a decline or release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub offered_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub answered_at: Option<DateTime<Utc>>,
}

/// A request that an agency take up a graduated family, with the deadlines the exchange
/// keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Referral {
    pub id: uuid::Uuid,
    pub source_record_id: String,
    #[schema(value_type = String, example = "KEMENSOS")]
    pub requester_agency: AgencyCode,
    pub graduation_id: uuid::Uuid,
    /// Whose graduation it is: the agreements with this agency decide what the receiving
    /// agencies see of the family.
    #[schema(value_type = String, example = "KEMENSOS")]
    pub graduation_publisher: AgencyCode,
    #[schema(value_type = String, example = "PEMBERDAYAAN_EKONOMI")]
    pub purpose: PurposeCode,
    pub subject: ReferralSubject,
    pub offered_to: Vec<ReferralOffer>,
    pub fallback_to: Vec<ReferralOffer>,
    pub reason_code: String,
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub note: Option<String>,
    pub respond_by: DateTime<Utc>,
    pub complete_by: DateTime<Utc>,
    pub status: Status,
    /// The reason of the last decline, withdrawal or release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status_reason: Option<String>,
    /// The agency that accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, nullable = false)]
    pub owner_agency: Option<AgencyCode>,
    /// The enrollment that completed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub enrollment_id: Option<uuid::Uuid>,
    /// Counts every step; the ETag, which `If-Match` names.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralList {
    pub items: Vec<Referral>,
    /// Pass as `after` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A reason a referral, a decline, a withdrawal or a release may cite.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralReason {
    #[schema(example = "KUOTA_PENUH")]
    pub code: String,
    #[schema(example = "Kuota program penuh")]
    pub name_id: String,
    #[schema(example = "The program's quota is full")]
    pub name_en: String,
    pub applies_to: ReasonUse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralReasonList {
    pub items: Vec<ReferralReason>,
}

pub fn reason_view(row: ReasonRow) -> QueryResult<ReferralReason> {
    Ok(ReferralReason {
        applies_to: ReasonUse::parse(&row.applies_to).ok_or_else(bad_value)?,
        code: row.code,
        name_id: row.name_id,
        name_en: row.name_en,
    })
}

fn bad_value() -> crate::db::QueryError {
    corrupt(std::io::Error::other(
        "a stored referral value is not one of its kind",
    ))
}

fn agency(code: &str) -> QueryResult<AgencyCode> {
    AgencyCode::parse(code).map_err(corrupt)
}

fn offer_view(row: &OfferRow) -> QueryResult<ReferralOffer> {
    Ok(ReferralOffer {
        agency: agency(&row.agency)?,
        target_program: row.target_program.clone(),
        state: OfferState::parse(&row.state).ok_or_else(bad_value)?,
        reason_code: row.reason_code.clone(),
        offered_at: row.offered_at.map(instant).transpose()?,
        answered_at: row.answered_at.map(instant).transpose()?,
    })
}

/// The referral as stored, naming the family in full: what its requester's write and the
/// feed's change hold, before [`Viewer::show`] projects it for a reader.
pub fn view(row: &ReferralRow, offers: &[OfferRow]) -> QueryResult<Referral> {
    let (fallback, first): (Vec<&OfferRow>, Vec<&OfferRow>) =
        offers.iter().partition(|o| o.fallback);
    Ok(Referral {
        id: row.id.parse().map_err(corrupt)?,
        source_record_id: row.source_record_id.clone(),
        requester_agency: agency(&row.requester_agency)?,
        graduation_id: row.graduation_id.parse().map_err(corrupt)?,
        graduation_publisher: agency(&row.graduation_publisher)?,
        purpose: PurposeCode::parse(&row.purpose).map_err(corrupt)?,
        subject: ReferralSubject {
            kk: Some(row.subject_kk.clone()),
            head_nik: Some(row.subject_nik.clone()),
            subject_ref: None,
        },
        offered_to: first
            .into_iter()
            .map(offer_view)
            .collect::<Result<_, _>>()?,
        fallback_to: fallback
            .into_iter()
            .map(offer_view)
            .collect::<Result<_, _>>()?,
        reason_code: row.reason_code.clone(),
        priority: Priority::parse(&row.priority).ok_or_else(bad_value)?,
        note: row.note.clone(),
        respond_by: instant(row.respond_by)?,
        complete_by: instant(row.complete_by)?,
        status: Status::parse(&row.status).ok_or_else(bad_value)?,
        status_reason: row.status_reason.clone(),
        owner_agency: row.owner_agency.as_deref().map(agency).transpose()?,
        enrollment_id: row
            .enrollment_id
            .as_deref()
            .map(|id| id.parse().map_err(corrupt))
            .transpose()?,
        version: row.version,
        created_at: instant(row.created_at)?,
        updated_at: instant(row.updated_at)?,
    })
}

/// What decides how a reader sees a referral's family: the graduation's publisher,
/// program and village, and the referral's purpose.
#[derive(Debug, Clone)]
pub struct Disclosure {
    pub publisher: String,
    pub program: String,
    pub region_digits: String,
    pub purpose: PurposeCode,
}

impl Disclosure {
    pub fn of(row: &ReferralRow) -> QueryResult<Self> {
        Ok(Self {
            publisher: row.graduation_publisher.clone(),
            program: row.program.clone(),
            region_digits: row.region_digits.clone(),
            purpose: PurposeCode::parse(&row.purpose).map_err(corrupt)?,
        })
    }
}

/// One reader's view of referrals, on one snapshot of the agreements in force.
pub struct Viewer<'a> {
    pub agency: &'a str,
    pub policy: &'a Policy,
    pub snapshot: &'a Snapshot,
    pub now: DateTime<Utc>,
}

/// The agreement under which `agency` may see the family of a referral with `disclosure`
/// at `now`, `Ok(None)` when the graduation is its own, or why not.
pub fn grant<'s>(
    snapshot: &'s Snapshot,
    agency: &str,
    disclosure: &Disclosure,
    now: DateTime<Utc>,
) -> Result<Option<&'s InForce>, Refusal> {
    if agency == disclosure.publisher {
        return Ok(None);
    }
    snapshot
        .covering(
            agency,
            &disclosure.publisher,
            RecordKind::Graduation,
            &disclosure.program,
            &disclosure.region_digits,
            &disclosure.purpose,
            now,
        )
        .map(Some)
}

impl Viewer<'_> {
    pub fn grant(
        &self,
        agency: &str,
        disclosure: &Disclosure,
    ) -> Result<Option<&InForce>, Refusal> {
        grant(self.snapshot, agency, disclosure, self.now)
    }

    /// `referral` (as stored, naming the family in full) as the reader may see it. The
    /// family and the agreement relied on go to `touched`: a referral read is a disclosure
    /// of the family, traced under its NIK and KK like a read of the graduation.
    pub fn show(
        &self,
        mut referral: Referral,
        disclosure: &Disclosure,
        touched: &mut Touched,
    ) -> Referral {
        let full = std::mem::replace(
            &mut referral.subject,
            ReferralSubject {
                kk: None,
                head_nik: None,
                subject_ref: None,
            },
        );
        touched.record_ids.push(referral.graduation_id.to_string());
        touched.niks.extend(full.head_nik.clone());
        touched.kks.extend(full.kk.clone());
        referral.subject = match self.grant(self.agency, disclosure) {
            Ok(None) => full,
            Ok(Some(grant)) => {
                let reference = AgreementRef {
                    id: grant.reference.id.clone(),
                    version: grant.reference.version,
                };
                if !touched.agreements.contains(&reference) {
                    touched.agreements.push(reference);
                }
                let fields = &grant.terms.fields;
                let shows_nik = agreement::covers(fields, "/household/head_nik");
                ReferralSubject {
                    kk: full
                        .kk
                        .filter(|_| agreement::covers(fields, "/household/kk")),
                    subject_ref: (!shows_nik)
                        .then(|| full.head_nik.as_deref().map(|n| self.pseudonym(n)))
                        .flatten(),
                    head_nik: full.head_nik.filter(|_| shows_nik),
                }
            }
            // No agreement in force lets the reader see the family (the coordinator, or an
            // agency whose agreement ended since): its pseudonym only.
            Err(_) => ReferralSubject {
                kk: None,
                head_nik: None,
                subject_ref: full.head_nik.as_deref().map(|n| self.pseudonym(n)),
            },
        };
        referral
    }

    fn pseudonym(&self, nik: &str) -> String {
        self.policy.subject_ref(self.agency, nik)
    }
}
