//! Subscriptions as subscribers see them: what a new one asks for, how it is checked and
//! stored, and the views of a subscription and of its delivery attempts.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::SubscriptionsError;
use crate::agreements::policy::{Policy, Snapshot};
use crate::auth::secrets::KeyEncryptionKey;
use crate::db::changes::Filter;
use crate::db::subscriptions::{self as store, ACTIVE, DeliveryRow, SubscriptionRow};
use crate::db::{AnyConnection, DbError, corrupt};
use crate::domain::code::{AgencyCode, ProgramCode, PurposeCode};
use crate::domain::field_error::FieldError;
use crate::domain::record::RecordKind;
use crate::feed::read::{ChangeType, FeedView, seen_by};
use crate::feed::webhooks::signature::SigningSecret;
use crate::records::disclose::{Excluded, Reader};
use crate::records::read::instant;

/// Most programs or publishers one subscription may name.
const MAX_FILTER_ITEMS: usize = 100;

/// A subscription to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://siks.kemensos.go.id/sinergi/webhooks",
    "types": ["enrollment"], "programs": ["PKTD"], "after": 4200
}))]
pub struct NewSubscription {
    /// Where deliveries are POSTed: `https`, without user name or password, at a host that
    /// resolves only to public addresses (plain `http` and internal addresses only for hosts
    /// the operator allows).
    #[schema(
        max_length = 2048,
        pattern = "^[Hh][Tt][Tt][Pp][Ss]?://",
        example = "https://siks.kemensos.go.id/sinergi/webhooks"
    )]
    pub url: String,
    /// The change types to deliver: `graduation`, `enrollment` (the token must hold each
    /// one's read scope), `agreement` (the steps of the agreements the agency is party
    /// to; needs `agreements:read`), `referral` (the steps of the referrals it made, was
    /// offered or whose family it graduated; needs `referrals:read`) and `follow_up` (the
    /// follow-up signals of the graduations it published, raised and closed; needs
    /// `referrals:read`).
    #[schema(min_items = 1)]
    pub types: Vec<ChangeType>,
    /// Only changes of these programs (default: every program).
    #[schema(max_items = 100)]
    pub programs: Option<Vec<ProgramCode>>,
    /// Only changes published by these agencies (default: every agency).
    #[schema(max_items = 100)]
    pub publishers: Option<Vec<AgencyCode>>,
    /// Deliver the changes after this feed position (default: the feed's head now, so only
    /// changes from now on).
    #[schema(minimum = 0)]
    pub after: Option<u64>,
    /// The purpose the deliveries serve (a code of `GET /v1/purposes`): another agency's
    /// changes are delivered only under a data-sharing agreement in force for it, each
    /// record with the agreement's fields. Required when `publishers` names another agency;
    /// without it only the agency's own changes are delivered.
    #[schema(value_type = Option<String>, example = "PEMBERDAYAAN_EKONOMI")]
    pub purpose: Option<PurposeCode>,
}

/// `active`: delivering. `failing`: one change failed for the whole retry schedule (at
/// least 24 hours) and delivery is paused until `enable` or `replay`. `suspended`: the
/// client it is delivered for (`created_by`) is disabled, so nothing is delivered until
/// another client of the agency takes it over with `enable` or `replay`. `not_covered`: a
/// publisher it names is not covered now by an agreement in force for its `purpose` (the
/// agreement was suspended or terminated, or has expired; `excluded_publishers` says
/// which): nothing is delivered until one is again, when delivery resumes after `position`
/// with nothing skipped. `enable` and `replay` do not change this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    Failing,
    Suspended,
    NotCovered,
}

/// A webhook subscription. Its secret is never shown again after creation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b6f2c1e-8d4a-4e0f-9b7c-3a5d6e7f8091", "agency": "KEMENDES",
    "url": "https://sid.kemendesa.go.id/sinergi/webhooks", "types": ["graduation"],
    "programs": [], "publishers": ["KEMENSOS"], "purpose": "PEMBERDAYAAN_EKONOMI",
    "excluded_publishers": [], "position": 4258, "state": "active",
    "attempts": 0, "next_attempt_at": null, "created_at": "2026-11-28T05:00:00Z",
    "created_by": "5d0c1e6a-0f8e-4d7b-9d3f-3f2f1c1f6b0a"
}))]
pub struct Subscription {
    pub id: uuid::Uuid,
    /// The owning agency: only its clients see and change the subscription.
    #[schema(value_type = String, example = "KEMENDES")]
    pub agency: AgencyCode,
    pub url: String,
    pub types: Vec<ChangeType>,
    /// Empty: every program.
    #[schema(value_type = Vec<String>)]
    pub programs: Vec<ProgramCode>,
    /// Empty: the agency's own changes and those of every agency an agreement in force
    /// covers for `purpose` at the time (the others' are passed over, never delivered later).
    /// Named: exactly these, and delivery waits (`not_covered`) while one is not covered.
    #[schema(value_type = Vec<String>)]
    pub publishers: Vec<AgencyCode>,
    /// The purpose the deliveries serve; null: only the agency's own changes.
    #[schema(value_type = Option<String>, example = "PEMBERDAYAAN_EKONOMI")]
    pub purpose: Option<PurposeCode>,
    /// Other agencies (of those named, when `publishers` names some) whose changes are not
    /// delivered now, and why: `purpose-missing`, or a refusal's code (`no-agreement`,
    /// `purpose-not-covered`, `agreement-expired`).
    pub excluded_publishers: Vec<Excluded>,
    /// The last change acknowledged (or passed over as not matching); deliveries continue
    /// with the next matching change after it.
    pub position: i64,
    pub state: State,
    /// Failed attempts to deliver the next change.
    pub attempts: i32,
    /// While a change is being retried: when its next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The client deliveries are made for, and recorded in the audit log under: the one
    /// that created it, or the one that took it over after that client was disabled.
    pub created_by: String,
}

/// A new subscription, with its signing secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    #[serde(flatten)]
    pub subscription: Subscription,
    /// The Standard Webhooks signing secret (`whsec_` and base64 of 32 bytes), shown only in
    /// this response: keep it to verify `webhook-signature`.
    #[schema(example = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")]
    pub secret: String,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub time: DateTime<Utc>,
    /// The change's position in the feed.
    pub position: i64,
    /// 1 for the first attempt of this change.
    pub attempt: i32,
    /// The receiver's HTTP status; null when none came (timeout, refused connection).
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    /// Why the attempt failed: the status (followed by the start of the answer, except from
    /// a receiver the operator allow-lists, whose answer is never shown), or what went wrong
    /// in connecting, in words that never repeat the URL, its host or the addresses it
    /// resolves to. Null for a delivered change.
    pub error: Option<String>,
}

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = crate::db::QueryError;

    fn try_from(row: SubscriptionRow) -> Result<Self, Self::Error> {
        let retrying = row.state == ACTIVE && row.attempts > 0;
        Ok(Self {
            id: row.id.parse().map_err(corrupt)?,
            agency: AgencyCode::parse(&row.agency).map_err(corrupt)?,
            types: split(&row.types)
                .map(|t| kind(t).ok_or_else(|| corrupt(std::fmt::Error)))
                .collect::<Result<_, _>>()?,
            programs: split(&row.programs)
                .map(|p| ProgramCode::parse(p).map_err(corrupt))
                .collect::<Result<_, _>>()?,
            publishers: split(&row.publishers)
                .map(|p| AgencyCode::parse(p).map_err(corrupt))
                .collect::<Result<_, _>>()?,
            purpose: row
                .purpose
                .as_deref()
                .map(PurposeCode::parse)
                .transpose()
                .map_err(corrupt)?,
            excluded_publishers: Vec::new(),
            position: row.position,
            state: if row.state == ACTIVE {
                State::Active
            } else {
                State::Failing
            },
            attempts: row.attempts,
            next_attempt_at: retrying.then(|| instant(row.next_attempt_at)).transpose()?,
            created_at: instant(row.created_at)?,
            created_by: row.created_by,
            url: row.url,
        })
    }
}

/// The agreements a subscription's deliveries are decided on.
pub struct Coverage {
    pub policy: Arc<Policy>,
    pub snapshot: Arc<Snapshot>,
}

impl Coverage {
    /// The agreements in force now (as this instance's cache has them).
    pub async fn now(policy: &Arc<Policy>) -> Result<Self, DbError> {
        Ok(Self {
            snapshot: policy.snapshot().await?,
            policy: policy.clone(),
        })
    }

    /// The subscription's view of the feed: whose changes it delivers, and in what shape.
    pub fn view(&self, subscription: &Subscription) -> FeedView {
        self.view_of(
            &subscription.agency,
            subscription.purpose.as_ref(),
            &subscription.types,
            &subscription.filter().publishers,
        )
    }

    /// The view of the feed of a subscription of `agency` with these terms.
    pub fn view_of(
        &self,
        agency: &AgencyCode,
        purpose: Option<&PurposeCode>,
        types: &[ChangeType],
        publishers: &[String],
    ) -> FeedView {
        let kinds: Vec<RecordKind> = types.iter().filter_map(|t| t.record_kind()).collect();
        let reader = Reader::at(
            self.policy.clone(),
            self.snapshot.clone(),
            agency.clone(),
            purpose.map(ToString::to_string),
        );
        let plan = reader.plan_feed(&kinds, publishers);
        FeedView { reader, plan }
    }
}

/// The views of stored subscriptions: `suspended` where their client is not enabled (the
/// worker's claim skips exactly those), else `not_covered` where a publisher they name is
/// not covered by an agreement now (the worker waits on exactly those), whatever their
/// stored state.
pub fn views(
    conn: &mut AnyConnection,
    rows: Vec<SubscriptionRow>,
    coverage: &Coverage,
) -> Result<Vec<Subscription>, crate::db::QueryError> {
    let clients: Vec<&str> = rows.iter().map(|row| row.created_by.as_str()).collect();
    let enabled = crate::db::clients::enabled_among(conn, &clients)?;
    rows.into_iter()
        .map(|row| {
            let mut view = Subscription::try_from(row)?;
            let plan = coverage.view(&view).plan;
            if !enabled.contains(&view.created_by) {
                view.state = State::Suspended;
                view.next_attempt_at = None;
            } else if plan.blocked.is_some() {
                view.state = State::NotCovered;
                view.next_attempt_at = None;
            }
            view.excluded_publishers = plan.excluded;
            Ok(view)
        })
        .collect()
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = crate::db::QueryError;

    fn try_from(row: DeliveryRow) -> Result<Self, Self::Error> {
        Ok(Self {
            time: instant(row.attempted_at)?,
            position: row.position,
            attempt: row.attempt,
            status_code: row.status_code,
            latency_ms: row.latency_ms,
            error: row.error,
        })
    }
}

impl Subscription {
    /// The changes it receives.
    pub fn filter(&self) -> Filter {
        Filter {
            kinds: self
                .types
                .iter()
                .filter_map(|t| t.record_kind())
                .map(|k| k.as_str())
                .collect(),
            programs: self
                .programs
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            publishers: self
                .publishers
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            agreements: self
                .types
                .contains(&ChangeType::Agreement)
                .then(|| seen_by(&self.agency)),
            referrals: self
                .types
                .contains(&ChangeType::Referral)
                .then(|| seen_by(&self.agency)),
            follow_up: self
                .types
                .contains(&ChangeType::FollowUp)
                .then(|| seen_by(&self.agency)),
        }
    }
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|item| !item.is_empty())
}

fn kind(text: &str) -> Option<ChangeType> {
    ChangeType::ALL.into_iter().find(|k| k.as_str() == text)
}

fn joined<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(",")
}

/// Whom a subscription is created for, and how many its agency may have.
pub struct Owner<'a> {
    pub agency: &'a AgencyCode,
    pub client_id: &'a str,
    pub max_subscriptions: usize,
}

/// Checks what needs the database (the programs and publishers exist, `after` is not beyond
/// the head, the agency has room for another subscription) and stores the subscription;
/// `url`, the purpose and the agreements were checked by the caller. Runs in a write
/// transaction.
pub fn create(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    new: NewSubscription,
    owner: Owner,
    coverage: &Coverage,
    now: i64,
) -> Result<CreatedSubscription, SubscriptionsError> {
    let mut types: Vec<ChangeType> = Vec::new();
    for kind in new.types {
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    if types.is_empty() {
        return Err(SubscriptionsError::Invalid(vec![FieldError::new(
            "/types",
            "must name at least one record type",
        )]));
    }
    let mut programs = new.programs.unwrap_or_default();
    let mut publishers = new.publishers.unwrap_or_default();
    let mut errors = Vec::new();
    for (field, count) in [
        ("/programs", programs.len()),
        ("/publishers", publishers.len()),
    ] {
        if count > MAX_FILTER_ITEMS {
            errors.push(FieldError::new(
                field,
                format!("at most {MAX_FILTER_ITEMS} items"),
            ));
        }
    }
    if errors.is_empty() {
        for (i, program) in programs.iter().enumerate() {
            if crate::db::programs::get(conn, program)?.is_none() {
                errors.push(FieldError::new(
                    format!("/programs/{i}"),
                    "no program has this code",
                ));
            }
        }
        for (i, publisher) in publishers.iter().enumerate() {
            if !crate::db::agencies::exists(conn, publisher)? {
                errors.push(FieldError::new(
                    format!("/publishers/{i}"),
                    "no agency has this code",
                ));
            }
        }
    }
    programs.sort();
    programs.dedup();
    publishers.sort();
    publishers.dedup();
    let head = crate::db::changes::head(conn)?;
    let position = match new.after {
        None => head,
        Some(after) => match i64::try_from(after) {
            Ok(after) if after <= head => after,
            _ => {
                errors.push(FieldError::new(
                    "/after",
                    format!("is beyond the feed's head ({head})"),
                ));
                head
            }
        },
    };
    if !errors.is_empty() {
        return Err(SubscriptionsError::Invalid(errors));
    }
    // Each subscription costs deliveries, retries and a share of the worker's attention: an
    // agency may have only so many.
    store::lock_agency(conn, owner.agency.as_str())?;
    let count = store::count(conn, owner.agency.as_str())?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= owner.max_subscriptions {
        return Err(SubscriptionsError::TooMany(format!(
            "the agency already has {count} subscriptions, the most it may have ({}); \
             delete one it no longer needs (DELETE /v1/subscriptions/{{id}}) to make room",
            owner.max_subscriptions
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let secret = SigningSecret::generate();
    let row = SubscriptionRow {
        secret: secret.seal(kek, &id),
        id,
        agency: owner.agency.as_str().to_owned(),
        url: new.url,
        types: joined(types.iter().map(|k| k.as_str())),
        programs: joined(programs.iter().map(|p| p.as_str())),
        publishers: joined(publishers.iter().map(|p| p.as_str())),
        position,
        state: ACTIVE.into(),
        attempts: 0,
        first_failed_at: None,
        next_attempt_at: now,
        leased_by: None,
        leased_until: None,
        created_at: now,
        created_by: owner.client_id.to_owned(),
        purpose: new.purpose.as_ref().map(ToString::to_string),
    };
    store::insert(conn, &row)?;
    let mut subscription = Subscription::try_from(row)?;
    subscription.excluded_publishers = coverage.view(&subscription).plan.excluded;
    Ok(CreatedSubscription {
        subscription,
        secret: secret.to_text(),
    })
}
