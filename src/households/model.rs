//! Household events and lineages as the API shows them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::household::{EventKind, EventSource};
use crate::domain::kk::Kk;

/// A member's move as a reader sees it: the NIK only to the agency that recorded the event;
/// to any other, the reader's own pseudonym of it (as `subject_ref` on records).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = HouseholdMemberMove)]
pub struct ShownMove {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{16}$", nullable = false)]
    pub nik: Option<String>,
    /// A keyed hash of the NIK specific to the reader's agency, in place of `nik`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, pattern = "^[0-9a-f]{64}$")]
    pub subject_ref: Option<String>,
    pub from_kk: Kk,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub to_kk: Option<Kk>,
}

/// A household event as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HouseholdEvent {
    pub id: uuid::Uuid,
    /// The agency that recorded it.
    #[schema(example = "KEMENSOS")]
    pub recorded_by: String,
    #[schema(example = "PECAH-KK-2026-0042")]
    pub source_record_id: String,
    pub kind: EventKind,
    /// When it happened.
    #[schema(value_type = String, format = Date, example = "2026-08-17")]
    pub effective_on: String,
    /// When the exchange learnt it.
    pub recorded_at: DateTime<Utc>,
    pub source: EventSource,
    pub predecessor_kks: Vec<Kk>,
    pub successor_kks: Vec<Kk>,
    pub member_moves: Vec<ShownMove>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub note: Option<String>,
    /// Events of other agencies that tell this change differently (the same card's change
    /// on the same day, or the same member moved elsewhere). Both are kept; which is right
    /// is for the agencies (and Dukcapil) to settle. Empty when none does.
    pub conflicts_with: Vec<uuid::Uuid>,
}

/// A card the lineage reaches, and how many links away.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedKk {
    pub kk: Kk,
    #[schema(minimum = 1)]
    pub links_away: u32,
}

/// Where a family card came from and what it became.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lineage {
    pub kk: Kk,
    /// The cards this one came from (through splits, merges, member moves, renumbering),
    /// nearest first.
    pub ancestors: Vec<RelatedKk>,
    /// The cards this one led to, nearest first.
    pub descendants: Vec<RelatedKk>,
    /// Every event that links the cards above, oldest recorded first.
    pub events: Vec<HouseholdEvent>,
    /// Whether any of `events` conflict with each other.
    pub has_conflicts: bool,
    /// Whether the walk stopped at its bound (64 cards each way, 500 events) before the
    /// whole lineage was seen.
    pub truncated: bool,
}
