//! Referrals: what a request to take up a graduated family holds, and the state machine
//! the exchange enforces on it. No I/O: `crate::referrals` applies these rules to stored
//! referrals.
//!
//! ```text
//!   offered ──accept──▶ accepted ──enrol──▶ enrolled
//!     │  │                 │  │
//!     │  └─withdraw─┐      │  └─release──▶ offered again to the remaining agencies
//!     │             ▼      ▼                (released when none remains)
//!     │          withdrawn ◀─withdraw
//!     ├─every agency declined, no fallback left──▶ declined
//!     └─respond_by passed, no fallback left──▶ lapsed ◀──complete_by passed── accepted
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::{AgencyCode, ProgramCode, PurposeCode, ReasonCode};
use super::record::{Reason, SourceRecordId};

/// Most agencies one referral is offered to (`offered_to` and `fallback_to` each).
pub const MAX_AGENCIES: usize = 10;
/// The latest a referral may be completed: a year after it was made.
pub const MAX_HORIZON_DAYS: i64 = 366;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReferralStatus)]
pub enum Status {
    /// Waiting for an agency it is offered to to accept it.
    Offered,
    /// An agency (`owner_agency`) took it up and works on enrolling the family.
    Accepted,
    /// The family is enrolled (`enrollment_id`): done.
    Enrolled,
    /// Every agency it was offered to declined, and no fallback was left.
    Declined,
    /// The requester took it back.
    Withdrawn,
    /// The owner gave it back and no other agency was left to offer it to.
    Released,
    /// A deadline passed (`respond_by` while offered, `complete_by` while accepted) and no
    /// fallback was left.
    Lapsed,
}

impl Status {
    pub const ALL: [Self; 7] = [
        Self::Offered,
        Self::Accepted,
        Self::Enrolled,
        Self::Declined,
        Self::Withdrawn,
        Self::Released,
        Self::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Enrolled => "enrolled",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
            Self::Released => "released",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Nothing more can happen to it.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Offered | Self::Accepted)
    }
}

/// Where one agency's offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    /// A fallback agency, not (yet) offered it: it does not see the referral.
    Waiting,
    /// Offered, not yet answered.
    Offered,
    Accepted,
    Declined,
    /// Accepted, then given back.
    Released,
    /// Not answered by `respond_by`.
    Lapsed,
    /// A fallback that was due, but no agreement in force covered it then: not offered.
    Skipped,
}

impl OfferState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Released => "released",
            Self::Lapsed => "lapsed",
            Self::Skipped => "skipped",
        }
    }

    /// The states of an offer that was made: its agency sees the referral. A fallback still
    /// waiting, or skipped for want of an agreement, was never shown the family.
    pub const MADE: [&'static str; 5] = ["offered", "accepted", "declined", "released", "lapsed"];

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Waiting,
            Self::Offered,
            Self::Accepted,
            Self::Declined,
            Self::Released,
            Self::Lapsed,
            Self::Skipped,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReferralPriority)]
pub enum Priority {
    #[default]
    Routine,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Routine => "routine",
            Self::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Routine, Self::Urgent]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// How long an agency has to answer, and to enrol the family, when the request does
    /// not say: a week and 60 days for an urgent referral, two weeks and 90 days otherwise.
    pub fn default_windows(self) -> (chrono::Duration, chrono::Duration) {
        match self {
            Self::Routine => (chrono::Duration::days(14), chrono::Duration::days(90)),
            Self::Urgent => (chrono::Duration::days(7), chrono::Duration::days(60)),
        }
    }
}

/// What a referral reason may be cited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonUse {
    /// Why the family fits the receiving agency (`reason_code` of a referral).
    Referral,
    Decline,
    Withdrawal,
    Release,
}

impl ReasonUse {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referral => "referral",
            Self::Decline => "decline",
            Self::Withdrawal => "withdrawal",
            Self::Release => "release",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Referral,
            Self::Decline,
            Self::Withdrawal,
            Self::Release,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// One agency a referral is offered to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferTo {
    pub agency: AgencyCode,
    /// The program of that agency the family is referred to; absent: the agency chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_program: Option<ProgramCode>,
}

/// A referral as the requester sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = new_referral_example)]
pub struct NewReferral {
    /// The requester's own id for the referral: sending the same referral again answers the
    /// one already made.
    pub source_record_id: SourceRecordId,
    /// The graduation of the family referred.
    pub graduation_id: uuid::Uuid,
    /// Why the receiving agencies may see the family (a code of `GET /v1/purposes`): each
    /// needs a data-sharing agreement in force with the graduation's publisher that covers
    /// the graduation for this purpose.
    pub purpose: PurposeCode,
    /// The agencies asked to take the family up, all at once: the first to accept owns it.
    #[schema(min_items = 1, max_items = 10)]
    pub offered_to: Vec<OfferTo>,
    /// Agencies offered the referral, in this order, once those of `offered_to` have all
    /// declined or let `respond_by` pass.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub fallback_to: Vec<OfferTo>,
    /// Why the family fits (a `referral` reason of `GET /v1/referral-reasons`).
    #[schema(value_type = String, example = "USAHA_MIKRO")]
    pub reason_code: ReasonCode,
    #[serde(default)]
    pub priority: Priority,
    /// By when an agency answers; default 14 days from now (urgent: 7).
    #[serde(default)]
    pub respond_by: Option<DateTime<Utc>>,
    /// By when the family is enrolled; default 90 days from now (urgent: 60). At most a year
    /// ahead, and after `respond_by`.
    #[serde(default)]
    pub complete_by: Option<DateTime<Utc>>,
    /// For the receiving agencies; no NIK or KK (those travel in `subject`).
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub note: Option<Reason>,
}

fn new_referral_example() -> serde_json::Value {
    serde_json::json!({
        "source_record_id": "RUJUK-2026-0001",
        "graduation_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
        "purpose": "PEMBERDAYAAN_EKONOMI",
        "offered_to": [{"agency": "KEMENDES", "target_program": "PADAT_KARYA"}],
        "fallback_to": [{"agency": "KEMENKOP"}],
        "reason_code": "USAHA_MIKRO",
        "priority": "routine",
        "respond_by": "2026-12-19T00:00:00Z",
        "complete_by": "2027-03-05T00:00:00Z"
    })
}

/// A state a client may move a referral to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReferralTarget)]
pub enum Target {
    /// An agency it is offered to takes it up (first to accept wins).
    Accepted,
    /// An agency it is offered to says no, with a `decline` reason.
    Declined,
    /// The requester takes it back, with a `withdrawal` reason.
    Withdrawn,
    /// The owner gives it back, with a `release` reason; it is offered again to the
    /// agencies that have not answered, then to the fallbacks.
    Released,
    /// The owner enrolled the family: `enrollment_id` names the enrollment (also reached by
    /// itself when the owner publishes an enrollment with the referral's `graduation_id`).
    Enrolled,
    /// Only the exchange sets this, when a deadline passes.
    Lapsed,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
            Self::Released => "released",
            Self::Enrolled => "enrolled",
            Self::Lapsed => "lapsed",
        }
    }

    /// The reasons this step needs, if it needs one.
    pub fn reason_use(self) -> Option<ReasonUse> {
        match self {
            Self::Declined => Some(ReasonUse::Decline),
            Self::Withdrawn => Some(ReasonUse::Withdrawal),
            Self::Released => Some(ReasonUse::Release),
            Self::Accepted | Self::Enrolled | Self::Lapsed => None,
        }
    }
}

/// A step a client asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "declined", "reason_code": "KUOTA_PENUH",
    "note": "Kuota padat karya 2026 sudah penuh"}))]
pub struct TransitionRequest {
    pub to: Target,
    /// Required to decline, withdraw or release: a reason of `GET /v1/referral-reasons`
    /// that applies to the step.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub reason_code: Option<ReasonCode>,
    /// No NIK or KK.
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub note: Option<Reason>,
    /// Required for `enrolled`: the owner's enrollment of the family, with the referral's
    /// `graduation_id`.
    #[serde(default)]
    pub enrollment_id: Option<uuid::Uuid>,
}

/// Who asks, in relation to one referral.
#[derive(Debug, Clone, Copy, Default)]
pub struct Role {
    pub requester: bool,
    pub owner: bool,
    /// The caller's agency holds an offer not yet answered.
    pub open_offer: bool,
}

/// The steps `role` may take from `status`, in a fixed order.
pub fn allowed(status: Status, role: Role) -> Vec<Target> {
    let mut targets = Vec::new();
    match status {
        Status::Offered => {
            if role.open_offer {
                targets.extend([Target::Accepted, Target::Declined]);
            }
            if role.requester {
                targets.push(Target::Withdrawn);
            }
        }
        Status::Accepted => {
            if role.owner {
                targets.extend([Target::Enrolled, Target::Released]);
            }
            if role.requester {
                targets.push(Target::Withdrawn);
            }
        }
        _ => {}
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(requester: bool, owner: bool, open_offer: bool) -> Role {
        Role {
            requester,
            owner,
            open_offer,
        }
    }

    #[test]
    fn only_open_referrals_move() {
        for status in Status::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(
                allowed(status, role(true, true, true)).is_empty(),
                "{status:?}"
            );
        }
    }

    #[test]
    fn each_party_has_its_own_steps() {
        use Target::*;
        assert_eq!(
            allowed(Status::Offered, role(false, false, true)),
            [Accepted, Declined]
        );
        assert_eq!(
            allowed(Status::Offered, role(true, false, false)),
            [Withdrawn]
        );
        assert!(allowed(Status::Offered, role(false, false, false)).is_empty());
        assert_eq!(
            allowed(Status::Accepted, role(false, true, false)),
            [Enrolled, Released]
        );
        assert_eq!(
            allowed(Status::Accepted, role(true, false, false)),
            [Withdrawn]
        );
        // Another agency it was offered to can no longer accept once one has.
        assert!(allowed(Status::Accepted, role(false, false, true)).is_empty());
        // Nobody asks for a lapse: only the deadline sweep sets it.
        for status in Status::ALL {
            assert!(!allowed(status, role(true, true, true)).contains(&Lapsed));
        }
    }

    #[test]
    fn made_offers_are_every_state_but_waiting_and_skipped() {
        use OfferState::*;
        let made = [Offered, Accepted, Declined, Released, Lapsed].map(OfferState::as_str);
        assert_eq!(OfferState::MADE, made);
    }

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Priority::parse("urgent"), Some(Priority::Urgent));
        assert_eq!(ReasonUse::parse("release"), Some(ReasonUse::Release));
        assert_eq!(OfferState::parse("skipped"), Some(OfferState::Skipped));
    }
}
