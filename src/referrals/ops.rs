//! The referral operations: create, take a step, read; each write runs inside one audited
//! write and announces what it did on the feed ([`super::announce`]).
//!
//! The rules (see `domain::referral` for the state machine): the graduation's publisher or
//! the coordinating ministry refers; a referral is a disclosure of the family to every
//! agency it is offered to, so each needs an agreement in force with the graduation's
//! publisher that covers the graduation for the referral's purpose. The first agency to
//! accept owns it (a version check makes concurrent accepts race, and the loser is decided
//! again on what the winner wrote).

use chrono::{DateTime, Duration, Utc};

use super::announce::announce;
use super::error::ReferralsError;
use super::model::{Disclosure, Referral, ReferralList, Viewer, grant, view};
use crate::agreements::ops::COORDINATOR;
use crate::agreements::policy::Snapshot;
use crate::audit::report::Touched;
use crate::audit::write::Answer;
use crate::db::referrals::{self as store, Filter, OfferRow, ReferralRow};
use crate::db::{self, AnyConnection};
use crate::domain::code::{AgencyCode, ReasonCode};
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::field_error::FieldError;
use crate::domain::graduation::GraduationInput;
use crate::domain::record::{PERSONAL_NUMBER, Reason, RecordKind};
use crate::domain::referral::{
    self, MAX_AGENCIES, MAX_HORIZON_DAYS, NewReferral, OfferState, ReasonUse, Role, Status, Target,
    TransitionRequest,
};
use crate::records::precondition::Precondition;

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Whether `agency` may see the referral: its requester, the graduation's publisher, an
/// agency it was offered to (a fallback only once offered, never when skipped), and the
/// coordinator.
fn sees(agency: &str, row: &ReferralRow, offers: &[OfferRow]) -> bool {
    agency == COORDINATOR
        || agency == row.requester_agency
        || agency == row.graduation_publisher
        || offers
            .iter()
            .any(|o| o.agency == agency && OfferState::MADE.contains(&o.state.as_str()))
}

fn load(
    conn: &mut AnyConnection,
    agency: &str,
    id: &str,
) -> Result<(ReferralRow, Vec<OfferRow>), ReferralsError> {
    let Some(row) = store::get(conn, id)? else {
        return Err(ReferralsError::NotFound);
    };
    let offers = store::offers(conn, id)?;
    if sees(agency, &row, &offers) {
        Ok((row, offers))
    } else {
        Err(ReferralsError::NotFound)
    }
}

fn shown(
    viewer: &Viewer<'_>,
    row: &ReferralRow,
    offers: &[OfferRow],
    touched: &mut Touched,
) -> Result<Referral, ReferralsError> {
    Ok(viewer.show(view(row, offers)?, &Disclosure::of(row)?, touched))
}

/// The note of a request: no NIK or KK, which the audit log could not trace there.
fn check_note(note: Option<&Reason>, problems: &mut Vec<FieldError>) {
    if note.is_some_and(Reason::holds_personal_number) {
        problems.push(FieldError::new("/note", PERSONAL_NUMBER));
    }
}

/// A reason code that exists and applies to `use_`.
fn check_reason(
    conn: &mut AnyConnection,
    code: &ReasonCode,
    use_: ReasonUse,
    pointer: &str,
    problems: &mut Vec<FieldError>,
) -> Result<(), ReferralsError> {
    match store::reason(conn, code.as_str())? {
        Some(r) if r.applies_to == use_.as_str() => {}
        Some(_) => problems.push(FieldError::new(
            pointer,
            format!(
                "is not a reason for a {} (see GET /v1/referral-reasons, applies_to)",
                use_.as_str()
            ),
        )),
        None => problems.push(FieldError::new(
            pointer,
            "is not a reason of this exchange (see GET /v1/referral-reasons)",
        )),
    }
    Ok(())
}

/// The requester's graduation, as the referral snapshots it; or why it cannot be referred.
fn graduation(
    conn: &mut AnyConnection,
    requester: &AgencyCode,
    id: &uuid::Uuid,
) -> Result<(String, GraduationInput), ReferralsError> {
    let not_yours = || {
        ReferralsError::Invalid(vec![FieldError::new(
            "/graduation_id",
            "is not a graduation your agency published (the coordinating ministry may refer \
             any)",
        )])
    };
    let stored =
        db::records::get(conn, RecordKind::Graduation, &id.to_string())?.ok_or_else(not_yours)?;
    if stored.publisher != requester.as_str() && requester.as_str() != COORDINATOR {
        return Err(not_yours());
    }
    if stored.retracted {
        return Err(ReferralsError::Invalid(vec![FieldError::new(
            "/graduation_id",
            "is a retracted graduation",
        )]));
    }
    let content: GraduationInput = serde_json::from_str(&stored.content).map_err(db::corrupt)?;
    Ok((stored.publisher, content))
}

/// The deadlines of a new referral: as asked, or the priority's defaults.
fn deadlines(
    new: &NewReferral,
    now: DateTime<Utc>,
    problems: &mut Vec<FieldError>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (answer, complete) = new.priority.default_windows();
    let respond_by = new.respond_by.unwrap_or(now + answer);
    let complete_by = new.complete_by.unwrap_or(respond_by.max(now) + complete);
    if respond_by <= now {
        problems.push(FieldError::new("/respond_by", "must be in the future"));
    }
    if complete_by <= respond_by {
        problems.push(FieldError::new("/complete_by", "must be after respond_by"));
    }
    if complete_by > now + Duration::days(MAX_HORIZON_DAYS) {
        problems.push(FieldError::new(
            "/complete_by",
            format!("must be at most {MAX_HORIZON_DAYS} days ahead"),
        ));
    }
    (respond_by, complete_by)
}

/// The offers of a new referral: each agency once, none the requester's or the
/// graduation's publisher's own, each target program one of that agency's.
fn offers_of(
    conn: &mut AnyConnection,
    new: &NewReferral,
    requester: &AgencyCode,
    publisher: &str,
    problems: &mut Vec<FieldError>,
) -> Result<(), ReferralsError> {
    if new.offered_to.is_empty() {
        problems.push(FieldError::new(
            "/offered_to",
            "must name at least one agency",
        ));
    }
    for (name, list) in [
        ("offered_to", &new.offered_to),
        ("fallback_to", &new.fallback_to),
    ] {
        if list.len() > MAX_AGENCIES {
            problems.push(FieldError::new(
                format!("/{name}"),
                format!("must name at most {MAX_AGENCIES} agencies"),
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let all = new
        .offered_to
        .iter()
        .enumerate()
        .map(|(i, o)| (format!("/offered_to/{i}"), o))
        .chain(
            new.fallback_to
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("/fallback_to/{i}"), o)),
        );
    for (at, offer) in all {
        let agency = offer.agency.as_str();
        if !seen.insert(agency) {
            problems.push(FieldError::new(
                format!("{at}/agency"),
                "is named more than once in offered_to and fallback_to",
            ));
        } else if agency == requester.as_str() || agency == publisher {
            problems.push(FieldError::new(
                format!("{at}/agency"),
                "is the requester or the graduation's publisher; refer to another agency",
            ));
        } else if !db::agencies::exists(conn, &offer.agency)? {
            problems.push(FieldError::new(
                format!("{at}/agency"),
                "is not an agency of this exchange",
            ));
        } else if let Some(program) = &offer.target_program {
            match db::programs::get(conn, program)? {
                Some(p) if p.agency == offer.agency && p.active => {}
                Some(p) if p.agency == offer.agency => problems.push(FieldError::new(
                    format!("{at}/target_program"),
                    "is a program that no longer takes records",
                )),
                _ => problems.push(FieldError::new(
                    format!("{at}/target_program"),
                    "is not a program of that agency",
                )),
            }
        }
    }
    Ok(())
}

/// The requester refers a graduated family. The same request again (same
/// `source_record_id`, same content) answers the referral already made.
pub fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer<'_>,
    requester: &AgencyCode,
    new: NewReferral,
    touched: &mut Touched,
) -> Result<Answer<Referral>, ReferralsError> {
    let now = viewer.now;
    let request_sha256 = crate::domain::record::canonical(&new).1;
    if let Some(existing) =
        store::by_source(conn, requester.as_str(), new.source_record_id.as_str())?
    {
        if existing.request_sha256 != request_sha256 {
            return Err(ReferralsError::Conflict(
                "your agency made a different referral with this source_record_id; use \
                 another id, or read the referral that has it"
                    .into(),
            ));
        }
        let offers = store::offers(conn, &existing.id)?;
        return Ok(Answer::ok(shown(viewer, &existing, &offers, touched)?));
    }
    let (publisher, graduation) = graduation(conn, requester, &new.graduation_id)?;
    let mut problems = Vec::new();
    let (respond_by, complete_by) = deadlines(&new, now, &mut problems);
    offers_of(conn, &new, requester, &publisher, &mut problems)?;
    check_reason(
        conn,
        &new.reason_code,
        ReasonUse::Referral,
        "/reason_code",
        &mut problems,
    )?;
    if db::purposes::get(conn, &new.purpose)?.is_none() {
        problems.push(FieldError::new(
            "/purpose",
            "is not a purpose of this exchange (see GET /v1/purposes)",
        ));
    }
    check_note(new.note.as_ref(), &mut problems);
    if !problems.is_empty() {
        return Err(ReferralsError::Invalid(problems));
    }
    let disclosure = Disclosure {
        publisher: publisher.clone(),
        program: graduation.program.to_string(),
        region_digits: graduation.region_code.as_str().replace('.', ""),
        purpose: new.purpose.clone(),
    };
    // Every agency the family may be disclosed to, fallbacks included, must be covered now:
    // a referral that could never reach its fallbacks is refused rather than left to skip
    // them later.
    for (name, list) in [
        ("offered_to", &new.offered_to),
        ("fallback_to", &new.fallback_to),
    ] {
        for (i, offer) in list.iter().enumerate() {
            if let Err(refusal) = viewer.grant(offer.agency.as_str(), &disclosure) {
                return Err(ReferralsError::NotCovered {
                    pointer: format!("/{name}/{i}/agency"),
                    refusal,
                });
            }
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    let at = micros(now);
    let row = ReferralRow {
        id: id.clone(),
        requester_agency: requester.to_string(),
        source_record_id: new.source_record_id.to_string(),
        graduation_id: new.graduation_id.to_string(),
        graduation_publisher: publisher,
        program: disclosure.program.clone(),
        region_digits: disclosure.region_digits.clone(),
        subject_kk: graduation.household.kk.to_string(),
        subject_nik: graduation.household.head_nik.to_string(),
        purpose: new.purpose.to_string(),
        reason_code: new.reason_code.to_string(),
        priority: new.priority.as_str().into(),
        note: new.note.as_ref().map(ToString::to_string),
        status: Status::Offered.as_str().into(),
        status_reason: None,
        owner_agency: None,
        enrollment_id: None,
        respond_by: micros(respond_by),
        complete_by: micros(complete_by),
        request_sha256,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let offers: Vec<OfferRow> = new
        .offered_to
        .iter()
        .map(|o| (o, false))
        .chain(new.fallback_to.iter().map(|o| (o, true)))
        .enumerate()
        .map(|(rank, (o, fallback))| OfferRow {
            referral_id: id.clone(),
            agency: o.agency.to_string(),
            target_program: o.target_program.as_ref().map(ToString::to_string),
            rank: i32::try_from(rank).expect("at most 20 offers"),
            fallback,
            state: if fallback {
                OfferState::Waiting
            } else {
                OfferState::Offered
            }
            .as_str()
            .into(),
            reason_code: None,
            offered_at: (!fallback).then_some(at),
            answered_at: None,
        })
        .collect();
    store::insert(conn, &row, &offers)?;
    announce(conn, &row, &offers, "offered", now)?;
    Ok(Answer::created(shown(viewer, &row, &offers, touched)?))
}

/// How long the agencies a referral is offered to again have to answer: the priority's
/// window from now, never past `complete_by`.
fn new_respond_by(row: &ReferralRow, now: DateTime<Utc>) -> i64 {
    let priority = referral::Priority::parse(&row.priority).unwrap_or_default();
    let window = priority.default_windows().0;
    micros(now + window)
        .max(row.respond_by)
        .min(row.complete_by - 1)
}

/// Offers the referral to its waiting fallbacks that an agreement in force covers now
/// (the others are skipped); answers whether any was offered.
pub(super) fn offer_fallbacks(
    snapshot: &Snapshot,
    now: DateTime<Utc>,
    row: &mut ReferralRow,
    offers: &mut [OfferRow],
) -> Result<bool, ReferralsError> {
    let disclosure = Disclosure::of(row)?;
    let at = micros(now);
    let mut offered = false;
    for offer in offers
        .iter_mut()
        .filter(|o| o.state == OfferState::Waiting.as_str())
    {
        if grant(snapshot, &offer.agency, &disclosure, now).is_ok() {
            offer.state = OfferState::Offered.as_str().into();
            offer.offered_at = Some(at);
            offered = true;
        } else {
            offer.state = OfferState::Skipped.as_str().into();
        }
    }
    if offered {
        row.respond_by = new_respond_by(row, now);
    }
    Ok(offered)
}

/// Whether any agency still holds an unanswered offer.
pub(super) fn any_open(offers: &[OfferRow]) -> bool {
    offers
        .iter()
        .any(|o| o.state == OfferState::Offered.as_str())
}

/// The owner's enrollment of the family, checked: its own, not retracted, following the
/// referral's graduation, for the same family (the head's NIK or the KK).
fn check_enrollment(
    conn: &mut AnyConnection,
    row: &ReferralRow,
    id: &uuid::Uuid,
) -> Result<(), ReferralsError> {
    let wrong = |detail: &'static str| {
        ReferralsError::Invalid(vec![FieldError::new("/enrollment_id", detail)])
    };
    let owner = row.owner_agency.as_deref().unwrap_or_default();
    let Some(stored) = db::records::get(conn, RecordKind::Enrollment, &id.to_string())? else {
        return Err(wrong("is not an enrollment your agency published"));
    };
    if stored.publisher != owner {
        return Err(wrong("is not an enrollment your agency published"));
    }
    if stored.retracted {
        return Err(wrong("is a retracted enrollment"));
    }
    let content: EnrollmentInput = serde_json::from_str(&stored.content).map_err(db::corrupt)?;
    if !follows(row, &content) {
        return Err(wrong(
            "does not follow this referral: its graduation_id must be the referral's, and its \
             subject the referred family (the head's NIK or the KK)",
        ));
    }
    Ok(())
}

/// Whether an enrollment completes the referral: it names the referral's graduation and
/// the same family.
pub fn follows(row: &ReferralRow, enrollment: &EnrollmentInput) -> bool {
    enrollment.graduation_id.map(|g| g.to_string()).as_deref() == Some(row.graduation_id.as_str())
        && (enrollment
            .subject
            .nik
            .as_ref()
            .map(ToString::to_string)
            .as_deref()
            == Some(row.subject_nik.as_str())
            || enrollment
                .subject
                .kk
                .as_ref()
                .map(ToString::to_string)
                .as_deref()
                == Some(row.subject_kk.as_str()))
}

/// Writes the steps taken on `row` (loaded at `seen_version`) and its offers (at most 20):
/// one version and one change on the feed per action.
pub(super) fn commit(
    conn: &mut AnyConnection,
    mut row: ReferralRow,
    seen_version: i64,
    offers: &[OfferRow],
    actions: &[&'static str],
    now: DateTime<Utc>,
) -> Result<ReferralRow, ReferralsError> {
    row.version = seen_version + i64::try_from(actions.len()).expect("few actions");
    row.updated_at = micros(now);
    if !store::update(conn, &row, seen_version)? {
        return Err(ReferralsError::Raced);
    }
    for offer in offers {
        store::update_offer(conn, offer)?;
    }
    let last = row.version;
    for (i, action) in actions.iter().enumerate() {
        let version = last - i64::try_from(actions.len() - 1 - i).expect("few actions");
        announce(
            conn,
            &ReferralRow {
                version,
                ..row.clone()
            },
            offers,
            action,
            now,
        )?;
    }
    Ok(row)
}

/// A party takes a step (`POST /v1/referrals/{id}/transitions`).
pub fn transition(
    conn: &mut AnyConnection,
    viewer: &Viewer<'_>,
    id: &str,
    step: &TransitionRequest,
    if_match: Option<&Precondition>,
    touched: &mut Touched,
) -> Result<Answer<Referral>, ReferralsError> {
    let now = viewer.now;
    let agency = viewer.agency;
    let (mut row, mut offers) = load(conn, agency, id)?;
    let status = Status::parse(&row.status).ok_or_else(|| db::corrupt(std::fmt::Error))?;
    let role = Role {
        requester: agency == row.requester_agency,
        owner: row.owner_agency.as_deref() == Some(agency),
        open_offer: offers
            .iter()
            .any(|o| o.agency == agency && o.state == OfferState::Offered.as_str()),
    };
    let allowed = referral::allowed(status, role);
    if !allowed.contains(&step.to) {
        return Err(ReferralsError::Illegal {
            status,
            to: step.to,
            allowed,
        });
    }
    if let Some(precondition) = if_match {
        precondition
            .check(Some(row.version))
            .map_err(|e| ReferralsError::PreconditionFailed(e.replace("record", "referral")))?;
    }
    let mut problems = Vec::new();
    match (step.to.reason_use(), &step.reason_code) {
        (Some(use_), Some(code)) => check_reason(conn, code, use_, "/reason_code", &mut problems)?,
        (Some(use_), None) => problems.push(FieldError::new(
            "/reason_code",
            format!(
                "is required for a {} (see GET /v1/referral-reasons)",
                use_.as_str()
            ),
        )),
        (None, Some(_)) => problems.push(FieldError::new(
            "/reason_code",
            "is taken only to decline, withdraw or release",
        )),
        (None, None) => {}
    }
    match (step.to, &step.enrollment_id) {
        (Target::Enrolled, None) => problems.push(FieldError::new(
            "/enrollment_id",
            "is required to mark a referral enrolled",
        )),
        (Target::Enrolled, Some(_)) => {}
        (_, Some(_)) => problems.push(FieldError::new(
            "/enrollment_id",
            "is taken only with to: enrolled",
        )),
        (_, None) => {}
    }
    check_note(step.note.as_ref(), &mut problems);
    if !problems.is_empty() {
        return Err(ReferralsError::Invalid(problems));
    }
    let seen_version = row.version;
    let at = micros(now);
    let reason = step.reason_code.as_ref().map(ToString::to_string);
    let mut actions = vec![step.to.as_str()];
    let mine = offers.iter().position(|o| o.agency == agency);
    match step.to {
        Target::Accepted => {
            // Accepting is seeing the family: only under an agreement still in force.
            if let Err(refusal) = viewer.grant(agency, &Disclosure::of(&row)?) {
                return Err(ReferralsError::NotCovered {
                    pointer: String::new(),
                    refusal,
                });
            }
            let offer = &mut offers[mine.expect("an open offer is the caller's")];
            offer.state = OfferState::Accepted.as_str().into();
            offer.answered_at = Some(at);
            row.status = Status::Accepted.as_str().into();
            row.owner_agency = Some(agency.to_owned());
            row.status_reason = None;
        }
        Target::Declined => {
            let offer = &mut offers[mine.expect("an open offer is the caller's")];
            offer.state = OfferState::Declined.as_str().into();
            offer.reason_code = reason.clone();
            offer.answered_at = Some(at);
            row.status_reason = reason;
            if !any_open(&offers) {
                if offer_fallbacks(viewer.snapshot, now, &mut row, &mut offers)? {
                    actions.push("offered");
                } else {
                    row.status = Status::Declined.as_str().into();
                }
            }
        }
        Target::Withdrawn => {
            row.status = Status::Withdrawn.as_str().into();
            row.status_reason = reason;
        }
        Target::Released => {
            let offer = &mut offers[mine.expect("the owner holds an offer")];
            offer.state = OfferState::Released.as_str().into();
            offer.reason_code = reason.clone();
            offer.answered_at = Some(at);
            row.owner_agency = None;
            row.status_reason = reason;
            if any_open(&offers) {
                row.status = Status::Offered.as_str().into();
                row.respond_by = new_respond_by(&row, now);
            } else if offer_fallbacks(viewer.snapshot, now, &mut row, &mut offers)? {
                row.status = Status::Offered.as_str().into();
                actions.push("offered");
            } else {
                row.status = Status::Released.as_str().into();
            }
        }
        Target::Enrolled => {
            let enrollment = step.enrollment_id.expect("checked above");
            check_enrollment(conn, &row, &enrollment)?;
            row.status = Status::Enrolled.as_str().into();
            row.enrollment_id = Some(enrollment.to_string());
        }
        Target::Lapsed => unreachable!("no role may ask for a lapse"),
    }
    let row = commit(conn, row, seen_version, &offers, &actions, now)?;
    Ok(Answer::ok(shown(viewer, &row, &offers, touched)?))
}

/// One referral, as the reader may see it.
pub fn get(
    conn: &mut AnyConnection,
    viewer: &Viewer<'_>,
    id: &str,
    touched: &mut Touched,
) -> Result<Referral, ReferralsError> {
    let (row, offers) = load(conn, viewer.agency, id)?;
    shown(viewer, &row, &offers, touched)
}

/// A page of the referrals the reader may see, oldest first.
pub fn list(
    conn: &mut AnyConnection,
    viewer: &Viewer<'_>,
    mut filter: Filter,
    limit: i64,
    touched: &mut Touched,
) -> Result<ReferralList, ReferralsError> {
    if viewer.agency != COORDINATOR {
        filter.visible_to = Some(viewer.agency.to_owned());
    }
    let rows = store::list(conn, &filter, limit)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut offers = store::offers_of(conn, &ids)?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    let items = rows
        .iter()
        .map(|row| {
            let offers = offers.remove(&row.id).unwrap_or_default();
            shown(viewer, row, &offers, touched)
        })
        .collect::<Result<_, _>>()?;
    Ok(ReferralList { items, next })
}

/// The reasons referrals, declines, withdrawals and releases cite.
pub fn reasons(
    conn: &mut AnyConnection,
) -> Result<Vec<super::model::ReferralReason>, ReferralsError> {
    Ok(store::reasons(conn)?
        .into_iter()
        .map(super::model::reason_view)
        .collect::<Result<_, _>>()?)
}
