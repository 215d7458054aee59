//! The agreement operations: propose, amend, approve, suspend, terminate, and the reads.
//! Each write runs inside one audited write (the API's request entry, or the command
//! line's) and reports the agreement version it produced, so that every version of every
//! agreement is itself an entry in the Merkle log.
//!
//! The rules: the consumer proposes; the provider approves, suspends and resumes; either
//! party terminates, for good. A change that grants more than the terms in force (see
//! [`Terms::widens`]) waits as a new version for the provider's approval while the old
//! terms stay in force; one that grants nothing more is in force at once.

use chrono::{DateTime, Utc};

use super::announce::{Event, announce};
use super::error::AgreementsError;
use super::model::{self, Agreement, AgreementVersion, NewAgreement, VersionState};
use crate::audit::entry::AgreementRef;
use crate::audit::report::Touched;
use crate::audit::write::Answer;
use crate::db::agreements::{self as store, AgreementRow, VersionRow};
use crate::db::{self, AnyConnection};
use crate::domain::agreement::Terms;
use crate::domain::code::AgencyCode;
use crate::domain::field_error::FieldError;
use crate::domain::region::region_exists;
use crate::records::precondition::Precondition;

/// The agency that coordinates the exchange and sees every agreement (not their records).
pub const COORDINATOR: &str = "KEMENKOPM";

/// Who acts on an agreement.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A client of this agency, over the API.
    Agency(AgencyCode),
    /// The exchange's operator at the command line, recording a party's signed decision.
    Operator,
}

impl Actor {
    fn is(&self, agency: &str) -> bool {
        matches!(self, Self::Operator) || matches!(self, Self::Agency(a) if a.as_str() == agency)
    }

    fn sees(&self, row: &AgreementRow) -> bool {
        self.is(&row.provider_agency) || self.is(&row.consumer_agency) || self.is(COORDINATOR)
    }
}

/// What the provider (or either party, for `Terminate`) decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approve the pending version, or resume a suspended agreement.
    Approve,
    Suspend,
    Terminate,
}

fn micros(now: DateTime<Utc>) -> i64 {
    now.timestamp_micros()
}

/// Terms checked on their own and against the reference data: the provider's programs,
/// known purposes, existing regions.
fn check_terms(
    conn: &mut AnyConnection,
    provider: &str,
    terms: &mut Terms,
    prefix: &str,
) -> Result<(), AgreementsError> {
    let mut problems = terms.problems(prefix);
    for (i, code) in terms.purposes.iter().enumerate() {
        if db::purposes::get(conn, code)?.is_none() {
            problems.push(FieldError::new(
                format!("{prefix}/purposes/{i}"),
                "is not a purpose of this exchange (see GET /v1/purposes)",
            ));
        }
    }
    for (i, code) in terms.programs.iter().flatten().enumerate() {
        match db::programs::get(conn, code)? {
            Some(p) if p.agency.as_str() == provider => {}
            Some(_) => problems.push(FieldError::new(
                format!("{prefix}/programs/{i}"),
                "is a program of another agency than the provider",
            )),
            None => problems.push(FieldError::new(
                format!("{prefix}/programs/{i}"),
                "is not a program of this exchange",
            )),
        }
    }
    for (i, region) in terms.region_prefixes.iter().flatten().enumerate() {
        if !region_exists(region) {
            problems.push(FieldError::new(
                format!("{prefix}/region_prefixes/{i}"),
                "is not a region in the Kemendagri table",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AgreementsError::Invalid(problems));
    }
    // Only now: the pointers above name items as the request listed them.
    terms.normalise();
    Ok(())
}

fn canonical_terms(terms: &Terms) -> String {
    crate::domain::record::canonical(terms).0
}

fn load(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
) -> Result<AgreementRow, AgreementsError> {
    match store::get(conn, id)? {
        Some(row) if actor.sees(&row) => Ok(row),
        _ => Err(AgreementsError::NotFound),
    }
}

fn version_row(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
) -> Result<VersionRow, AgreementsError> {
    Ok(store::version(conn, id, version)?.ok_or_else(store::missing_version)?)
}

/// The version awaiting the provider's approval, if any: a later one than the terms in
/// force (or any, while none is).
fn pending(row: &AgreementRow) -> Option<i64> {
    (row.latest_version != row.version_in_force.unwrap_or(0)).then_some(row.latest_version)
}

/// Marks the pending version, if any, as never approved.
fn supersede_pending(conn: &mut AnyConnection, row: &AgreementRow) -> Result<(), AgreementsError> {
    if let Some(version) = pending(row) {
        let state = VersionState::Superseded.as_str();
        store::set_version_state(conn, &row.id, version, state, None)?;
    }
    Ok(())
}

/// The view of a stored agreement: its terms in force, or its latest proposal.
fn view_of(
    conn: &mut AnyConnection,
    row: &AgreementRow,
    now: DateTime<Utc>,
) -> Result<Agreement, AgreementsError> {
    let shown = version_row(
        conn,
        &row.id,
        row.version_in_force.unwrap_or(row.latest_version),
    )?;
    Ok(model::view(row, &shown, now)?)
}

/// The consumer's agency proposes an agreement to `new.provider_agency`.
pub fn propose(
    conn: &mut AnyConnection,
    consumer: &AgencyCode,
    mut new: NewAgreement,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> Result<Answer<Agreement>, AgreementsError> {
    let provider = new.provider_agency.clone();
    if provider == *consumer {
        return Err(AgreementsError::Invalid(vec![FieldError::new(
            "/provider_agency",
            "is the caller's own agency; reading one's own records needs no agreement",
        )]));
    }
    if !db::agencies::exists(conn, &provider)? {
        return Err(AgreementsError::Invalid(vec![FieldError::new(
            "/provider_agency",
            "is not an agency of this exchange",
        )]));
    }
    check_terms(conn, provider.as_str(), &mut new.terms, "")?;
    let id = uuid::Uuid::now_v7().to_string();
    let at = micros(now);
    let row = AgreementRow {
        id: id.clone(),
        provider_agency: provider.to_string(),
        consumer_agency: consumer.to_string(),
        status: "proposed".into(),
        version_in_force: None,
        latest_version: 1,
        created_at: at,
        updated_at: at,
    };
    let first = VersionRow {
        agreement_id: id.clone(),
        version: 1,
        terms: canonical_terms(&new.terms),
        state: VersionState::Proposed.as_str().into(),
        proposed_by: consumer.to_string(),
        proposed_at: at,
        approved_at: None,
    };
    store::insert(conn, &row, &first)?;
    touched.agreements.push(AgreementRef { id, version: 1 });
    announce(conn, &row, Event::Proposed, now, touched)?;
    Ok(Answer::created(model::view(&row, &first, now)?))
}

/// A party proposes new terms. Terms that grant nothing beyond those in force replace them
/// at once; wider ones wait for the provider's approval (replacing an earlier pending one).
pub fn amend(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    mut terms: Terms,
    if_match: Option<&Precondition>,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> Result<Answer<Agreement>, AgreementsError> {
    let row = load(conn, actor, id)?;
    let Actor::Agency(by) = actor else {
        return Err(AgreementsError::Forbidden(
            "only a party changes an agreement's terms",
        ));
    };
    // The terms first, as for any write: a request that is wrong in itself is told so
    // whatever the agreement's state.
    check_terms(conn, &row.provider_agency, &mut terms, "")?;
    if let Some(precondition) = if_match {
        precondition
            .check(Some(row.latest_version))
            .map_err(AgreementsError::PreconditionFailed)?;
    }
    if row.status == "terminated" {
        return Err(AgreementsError::Conflict(
            "the agreement is terminated; propose a new one".into(),
        ));
    }
    let at = micros(now);
    let version = row.latest_version + 1;
    // A narrowing is in force at once; anything while never approved, and any widening,
    // waits for approval.
    let immediate = match row.version_in_force {
        Some(v) => terms
            .widens(&model::terms_of(&version_row(conn, id, v)?)?)
            .is_empty(),
        None => false,
    };
    // An earlier proposal that was never approved: this one replaces it.
    supersede_pending(conn, &row)?;
    let new_version = VersionRow {
        agreement_id: id.to_owned(),
        version,
        terms: canonical_terms(&terms),
        state: if immediate {
            VersionState::Approved
        } else {
            VersionState::Proposed
        }
        .as_str()
        .into(),
        proposed_by: by.to_string(),
        proposed_at: at,
        approved_at: immediate.then_some(at),
    };
    store::insert_version(conn, &new_version)?;
    let updated = AgreementRow {
        version_in_force: if immediate {
            Some(version)
        } else {
            row.version_in_force
        },
        latest_version: version,
        updated_at: at,
        ..row.clone()
    };
    if !store::update(conn, &updated, row.latest_version, &row.status)? {
        return Err(AgreementsError::Conflict(
            "the agreement changed meanwhile; read it again".into(),
        ));
    }
    touched.agreements.push(AgreementRef {
        id: id.to_owned(),
        version,
    });
    let event = if immediate {
        Event::Amended
    } else {
        Event::Proposed
    };
    announce(conn, &updated, event, now, touched)?;
    Ok(Answer::ok(view_of(conn, &updated, now)?))
}

/// Approve, suspend or terminate.
pub fn decide(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    decision: Decision,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> Result<Answer<Agreement>, AgreementsError> {
    let row = load(conn, actor, id)?;
    let provider_only = "only the provider agency approves or suspends an agreement";
    if decision != Decision::Terminate && !actor.is(&row.provider_agency) {
        return Err(AgreementsError::Forbidden(provider_only));
    }
    if decision == Decision::Terminate
        && !(actor.is(&row.provider_agency) || actor.is(&row.consumer_agency))
    {
        return Err(AgreementsError::Forbidden(
            "only a party terminates an agreement",
        ));
    }
    let at = micros(now);
    let awaiting = pending(&row).is_some();
    let mut updated = AgreementRow {
        updated_at: at,
        ..row.clone()
    };
    let conflict =
        |what: &str| AgreementsError::Conflict(format!("the agreement is {}; {what}", row.status));
    let event = match (decision, row.status.as_str()) {
        (_, "terminated") => return Err(conflict("nothing more can change")),
        (Decision::Approve, _) if awaiting => {
            store::set_version_state(
                conn,
                id,
                row.latest_version,
                VersionState::Approved.as_str(),
                Some(at),
            )?;
            updated.version_in_force = Some(row.latest_version);
            // Approving is the provider's yes to the terms now pending: a suspended
            // agreement resumes under them.
            updated.status = "active".into();
            Event::Approved
        }
        (Decision::Approve, "suspended") => {
            updated.status = "active".into();
            Event::Resumed
        }
        (Decision::Approve, _) => return Err(conflict("no version awaits approval")),
        (Decision::Suspend, "active") => {
            updated.status = "suspended".into();
            Event::Suspended
        }
        (Decision::Suspend, _) => return Err(conflict("only an active agreement is suspended")),
        (Decision::Terminate, _) => {
            supersede_pending(conn, &row)?;
            updated.status = "terminated".into();
            Event::Terminated
        }
    };
    if !store::update(conn, &updated, row.latest_version, &row.status)? {
        return Err(AgreementsError::Conflict(
            "the agreement changed meanwhile; read it again".into(),
        ));
    }
    touched.agreements.push(AgreementRef {
        id: id.to_owned(),
        version: updated.version_in_force.unwrap_or(updated.latest_version),
    });
    announce(conn, &updated, event, now, touched)?;
    Ok(Answer::ok(view_of(conn, &updated, now)?))
}

/// One agreement, for a party, the coordinator or the operator.
pub fn get(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Agreement, AgreementsError> {
    let row = load(conn, actor, id)?;
    view_of(conn, &row, now)
}

/// The agreements `actor` may see, oldest first.
pub fn list(
    conn: &mut AnyConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Agreement>, AgreementsError> {
    let party = match actor {
        Actor::Agency(a) if a.as_str() != COORDINATOR => Some(a.as_str()),
        _ => None,
    };
    let rows = store::list(conn, party)?;
    let shown = store::shown_versions(conn, &rows)?;
    rows.iter()
        .map(|row| {
            let version = shown.get(&row.id).ok_or_else(store::missing_version)?;
            Ok(model::view(row, version, now)?)
        })
        .collect()
}

/// Every version of one agreement, oldest first.
pub fn versions(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<AgreementVersion>, AgreementsError> {
    let row = load(conn, actor, id)?;
    Ok(store::versions(conn, &row.id)?
        .iter()
        .map(model::version_view)
        .collect::<Result<_, _>>()?)
}
