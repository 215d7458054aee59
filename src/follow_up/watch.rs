//! Raising follow-up signals. Runs in the sequencer's thread every [`Terms::every`], under
//! its own lock (one instance at a time), within one transaction:
//!
//! - `graduation.unreferred`: a graduation inside its program's window that neither a
//!   referral nor an enrollment followed within `unreferred_days` of `graduated_on`.
//! - `graduation.relapse`: inside the window, the family appears in a social-assistance
//!   program (an enrollment of the head's or a member's NIK, or under the family's KK or a
//!   card it led to by then: `crate::households`), or a
//!   new version of the graduation puts its `welfare_decile` at 4 or below (DTSEN bansos
//!   priority deciles) from above 4. Found from the change feed since the last run, so a
//!   run reads the day's changes, never the whole history.
//! - Closing: a referral or an enrollment of a graduation in the feed closes its
//!   `graduation.unreferred`; a referral's step to accepted, enrolled or withdrawn its
//!   `referral.overdue`.
//!
//! `referral.overdue` is raised by the referral deadline sweep (`referrals::deadlines`).
//! Each signal is raised once per trigger (the record or deadline that raised it).

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use super::announce;
use crate::db::follow_up::{self as store, SignalRow};
use crate::db::households::{Direction, MAX_RELATED, Walk, walk};
use crate::db::{self, AnyConnection, QueryResult, corrupt};
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::graduation::GraduationInput;

/// DTSEN deciles that put a family back among bansos priorities.
pub const RELAPSE_DECILE: u8 = 4;
/// Changes read per run, and graduations looked at per program per run: bounded so that a
/// backlog never holds the lock long (the next run takes the rest).
const PER_RUN: i64 = 5_000;
/// Where the watch has read the feed to, in `meta`.
const POSITION: &str = "follow_up_position";

/// How the exchange watches graduations.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub window_days: u32,
    pub unreferred_days: u32,
    pub every: Duration,
}

/// What one run raised.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Raised {
    pub unreferred: usize,
    pub relapses: usize,
    pub closed: usize,
    /// Whether the run stopped at its bound with more changes waiting: the next run should
    /// come at once rather than after [`Terms::every`].
    pub behind: bool,
}

/// A signal about graduation `g` (id, publisher, program, region digits).
fn signal(
    kind: &str,
    cause: &str,
    trigger: &str,
    g: (&str, &str, &str, &str),
    records: &[&str],
    now: DateTime<Utc>,
) -> SignalRow {
    SignalRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        cause: cause.into(),
        trigger_id: trigger.into(),
        graduation_id: g.0.into(),
        publisher: g.1.into(),
        program: g.2.into(),
        region_digits: g.3.into(),
        referral_id: None,
        records: serde_json::to_string(records).expect("ids serialise"),
        raised_at: now.timestamp_micros(),
        closed_at: None,
    }
}

fn day(text: &str) -> QueryResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(corrupt)
}

/// Where the date-driven unreferred check of a program has got to, in `meta`: the last
/// graduation (`graduated_on|id`) it looked at.
fn due_key(program: &str) -> String {
    format!("follow_up_due:{program}")
}

/// Past every id of a day: ids are UUIDs, in lower-case hex and dashes.
const WHOLE_DAY: &str = "~";

/// One run of the watch at `now`. Run it in a write transaction.
///
/// Each run costs what happened since the last one, not the size of the register: the
/// graduations that became due (graduated `unreferred_days` ago) since the last run, read
/// from where that run stopped, and the feed's changes since then (new graduations already
/// due, enrollments and referrals that close signals or raise relapses).
pub fn run(conn: &mut AnyConnection, terms: Terms, now: DateTime<Utc>) -> QueryResult<Raised> {
    /// "sinergi follow-up watch", as a 64-bit advisory lock key.
    const LOCK: i64 = 0x5349_4e45_5247_4657;
    if !db::try_transaction_lock(conn, LOCK)? {
        return Ok(Raised::default());
    }
    let programs = db::programs::watch_terms(conn)?;
    let window = |program: &str| -> i64 {
        programs
            .get(program)
            .and_then(|(_, days)| *days)
            .map_or(i64::from(terms.window_days), i64::from)
    };
    let social = |program: &str| {
        programs
            .get(program)
            .is_some_and(|(kind, _)| kind == "social_assistance")
    };
    let today = now.date_naive();
    let due = today - chrono::Days::new(u64::from(terms.unreferred_days));
    let mut raised = Raised::default();
    let unreferred_signal = |g: &store::Watched| {
        signal(
            "graduation.unreferred",
            "no_referral",
            &g.id,
            (&g.id, &g.publisher, &g.program, &g.region_digits),
            &[&g.id],
            now,
        )
    };
    // Unreferred by date: per social-assistance program, the graduations inside its window
    // that became due since the last run.
    for (program, (kind, _)) in &programs {
        if kind != "social_assistance" {
            continue;
        }
        let from = today - chrono::Days::new(window(program).unsigned_abs());
        if due < from {
            continue;
        }
        let key = due_key(program);
        let mark = db::meta::get(conn, &key)?.unwrap_or_default();
        let (day, id) = mark.split_once('|').unwrap_or(("", ""));
        // The mark's day as the lower bound too, so that the index range starts there.
        let from = from.to_string().max(day.to_owned());
        let found =
            store::unreferred(conn, program, (&from, &due.to_string()), (day, id), PER_RUN)?;
        let next = match found.last() {
            Some(last) if found.len() as i64 == PER_RUN => {
                raised.behind = true;
                format!("{}|{}", last.event_on, last.id)
            }
            _ => format!("{due}|{WHOLE_DAY}"),
        };
        for g in &found {
            raised.unreferred += usize::from(announce::raise(conn, &unreferred_signal(g), now)?);
        }
        db::meta::set(conn, &key, &next)?;
    }
    // The changes since the last run.
    let after: i64 = db::meta::get(conn, POSITION)?
        .map(|p| p.parse().map_err(corrupt))
        .transpose()?
        .unwrap_or(0);
    let changes = db::changes::watched_after(conn, after, PER_RUN)?;
    // What closes signals: graduations a referral or an enrollment now follows, referrals
    // that moved on.
    let mut followed: Vec<String> = Vec::new();
    let mut moved_on: Vec<String> = Vec::new();
    for change in &changes {
        if change.kind == "referral" {
            if let Some(referral) = db::referrals::get(conn, &change.record_id)? {
                // As it stands now, not as the change left it: a step taken before a later
                // deadline passed does not close that deadline's signal.
                if ["accepted", "enrolled", "withdrawn"].contains(&referral.status.as_str()) {
                    moved_on.push(referral.id);
                }
                followed.push(referral.graduation_id);
            }
            continue;
        }
        let Some(content) = db::records::version_content(conn, &change.record_id, change.version)?
        else {
            continue;
        };
        match change.kind.as_str() {
            "enrollment" if change.action != "retracted" => {
                let e: EnrollmentInput = serde_json::from_str(&content).map_err(corrupt)?;
                if let Some(g) = e.graduation_id {
                    followed.push(g.to_string());
                }
                if social(&change.program) {
                    raised.relapses +=
                        back_in_assistance(conn, &change.record_id, &e, &window, now)?;
                }
            }
            "graduation" if change.action != "retracted" => {
                let g: GraduationInput = serde_json::from_str(&content).map_err(corrupt)?;
                if change.action == "updated" {
                    raised.relapses += decile_dropped(conn, change, &g, &window, now)?;
                }
                // Published (or published again) when already due: the date-driven check
                // has passed its day.
                let graduated = g.graduated_on.date();
                let inside = (today - graduated).num_days() <= window(g.program.as_str());
                if social(g.program.as_str())
                    && graduated <= due
                    && inside
                    && let Some(w) = store::is_unreferred(conn, &change.record_id)?
                {
                    raised.unreferred +=
                        usize::from(announce::raise(conn, &unreferred_signal(&w), now)?);
                }
            }
            _ => {}
        }
    }
    raised.closed = announce::close_resolved(conn, &followed, &moved_on, now)?;
    if let Some(last) = changes.last() {
        db::meta::set(conn, POSITION, &last.position.to_string())?;
    }
    raised.behind |= changes.len() as i64 == PER_RUN;
    Ok(raised)
}

/// A social-assistance enrollment of a graduated family, inside the window of each of its
/// graduations that it follows in time.
fn back_in_assistance(
    conn: &mut AnyConnection,
    enrollment_id: &str,
    e: &EnrollmentInput,
    window: &impl Fn(&str) -> i64,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let nik = e.subject.nik.as_ref().map(ToString::to_string);
    let enrolled = day(&e.enrolled_on.to_string())?;
    // The family's card, and the cards it came from by the enrollment's day: after a split,
    // a member's new card leads back to the card the family graduated under.
    let mut kks = Vec::new();
    if let Some(kk) = &e.subject.kk {
        let by = Walk {
            effective_by: Some(enrolled.to_string()),
            recorded_by: None,
        };
        kks.extend(walk(conn, kk.as_str(), Direction::Ancestors, &by, MAX_RELATED)?.into_keys());
        kks.push(kk.to_string());
    }
    let mut raised = 0;
    for g in store::graduations_of(conn, nik.as_deref(), &kks)? {
        let graduated = day(&g.event_on)?;
        let inside =
            enrolled >= graduated && (enrolled - graduated).num_days() <= window(&g.program);
        if inside {
            let row = signal(
                "graduation.relapse",
                "social_assistance_enrollment",
                enrollment_id,
                (&g.id, &g.publisher, &g.program, &g.region_digits),
                &[&g.id, enrollment_id],
                now,
            );
            raised += usize::from(announce::raise(conn, &row, now)?);
        }
    }
    Ok(raised)
}

/// A new version of a graduation that puts the family's decile at [`RELAPSE_DECILE`] or
/// below from above it (or from none), while the graduation is watched.
fn decile_dropped(
    conn: &mut AnyConnection,
    change: &db::changes::RecordChange,
    g: &GraduationInput,
    window: &impl Fn(&str) -> i64,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let low = |d: Option<u8>| d.is_some_and(|d| d <= RELAPSE_DECILE);
    let decile = g.welfare_decile.map(u8::from);
    if !low(decile) {
        return Ok(0);
    }
    let before = match db::records::version_content(conn, &change.record_id, change.version - 1)? {
        Some(text) => serde_json::from_str::<GraduationInput>(&text).map_err(corrupt)?,
        None => return Ok(0),
    };
    let graduated = day(&g.graduated_on.to_string())?;
    let watched = (now.date_naive() - graduated).num_days() <= window(g.program.as_str());
    if low(before.welfare_decile.map(u8::from)) || !watched {
        return Ok(0);
    }
    let trigger = format!("{}@{}", change.record_id, change.version);
    let row = signal(
        "graduation.relapse",
        "welfare_decile",
        &trigger,
        (
            &change.record_id,
            &change.publisher,
            g.program.as_str(),
            &g.region_code.as_str().replace('.', ""),
        ),
        &[&change.record_id],
        now,
    );
    Ok(usize::from(announce::raise(conn, &row, now)?))
}
