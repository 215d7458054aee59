//! Recording household events and reading a card's lineage.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::error::HouseholdsError;
use super::model::{HouseholdEvent, Lineage, RelatedKk, ShownMove};
use crate::agreements::policy::Policy;
use crate::audit::report::Touched;
use crate::audit::write::Answer;
use crate::db::households::{self as store, Direction, EventRow, LinkRow, MAX_RELATED, Walk};
use crate::db::{AnyConnection, QueryResult, corrupt};
use crate::domain::household::NewHouseholdEvent;
use crate::domain::kk::Kk;

/// Events a lineage shows, at most.
const MAX_EVENTS: usize = 500;

/// Who reads, and when.
pub struct Reader<'a> {
    pub agency: &'a str,
    pub policy: &'a Policy,
    pub now: DateTime<Utc>,
}

fn content(row: &EventRow) -> QueryResult<NewHouseholdEvent> {
    serde_json::from_str(&row.content).map_err(corrupt)
}

/// The events among `others` that tell `event` (recorded by `agency`) differently: only
/// another agency's account can conflict (an agency's own later event is news).
fn conflicts(
    agency: &str,
    id: &str,
    event: &NewHouseholdEvent,
    others: &[(EventRow, NewHouseholdEvent)],
) -> QueryResult<Vec<uuid::Uuid>> {
    others
        .iter()
        .filter(|(row, other)| row.id != id && row.agency != agency && event.disagrees_with(other))
        .map(|(row, _)| row.id.parse().map_err(corrupt))
        .collect()
}

/// The event as `reader` sees it, reporting the NIKs and KKs it shows.
fn shown(
    reader: &Reader<'_>,
    row: &EventRow,
    event: NewHouseholdEvent,
    conflicts_with: Vec<uuid::Uuid>,
    touched: &mut Touched,
) -> QueryResult<HouseholdEvent> {
    let own = row.agency == reader.agency;
    touched.kks.extend(event.kks().map(ToString::to_string));
    let member_moves = event
        .member_moves
        .into_iter()
        .map(|m| {
            let nik = m.nik.to_string();
            let (nik, subject_ref) = if own {
                touched.niks.push(nik.clone());
                (Some(nik), None)
            } else {
                (None, Some(reader.policy.subject_ref(reader.agency, &nik)))
            };
            ShownMove {
                nik,
                subject_ref,
                from_kk: m.from_kk,
                to_kk: m.to_kk,
            }
        })
        .collect();
    Ok(HouseholdEvent {
        id: row.id.parse().map_err(corrupt)?,
        recorded_by: row.agency.clone(),
        source_record_id: row.source_record_id.clone(),
        kind: event.kind,
        effective_on: row.effective_on.clone(),
        recorded_at: crate::records::read::instant(row.recorded_at)?,
        source: event.source,
        predecessor_kks: event.predecessor_kks,
        successor_kks: event.successor_kks,
        member_moves,
        note: event.note.map(|n| n.to_string()),
        conflicts_with,
    })
}

/// The events with a link from or to any of `kks`, parsed, at most `max` (and whether
/// there were more).
fn events_of(
    conn: &mut AnyConnection,
    kks: &[String],
    max: usize,
) -> QueryResult<(Vec<(EventRow, NewHouseholdEvent)>, bool)> {
    let mut rows = store::touching(conn, kks)?;
    let truncated = rows.len() > max;
    rows.truncate(max);
    let parsed = rows
        .into_iter()
        .map(|row| content(&row).map(|event| (row, event)))
        .collect::<QueryResult<_>>()?;
    Ok((parsed, truncated))
}

/// An agency records an event. The same event again (same `source_record_id`, same content)
/// answers the one recorded; another agency's account that disagrees is kept too, and each
/// names the other in `conflicts_with`.
pub fn record(
    conn: &mut AnyConnection,
    reader: &Reader<'_>,
    new: NewHouseholdEvent,
    touched: &mut Touched,
) -> Result<Answer<HouseholdEvent>, HouseholdsError> {
    let request_sha256 = crate::domain::record::canonical(&new).1;
    let related: Vec<String> = new
        .kks()
        .map(ToString::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if let Some(existing) = store::by_source(conn, reader.agency, new.source_record_id.as_str())? {
        if existing.request_sha256 != request_sha256 {
            return Err(HouseholdsError::Conflict(
                "your agency recorded a different household event with this source_record_id; \
                 use another id"
                    .into(),
            ));
        }
        let (others, _) = events_of(conn, &related, MAX_EVENTS)?;
        let event = content(&existing)?;
        let with = conflicts(reader.agency, &existing.id, &event, &others)?;
        return Ok(Answer::ok(shown(reader, &existing, event, with, touched)?));
    }
    let problems = new.problems(reader.now.date_naive());
    if !problems.is_empty() {
        return Err(HouseholdsError::Invalid(problems));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let row = EventRow {
        id: id.clone(),
        agency: reader.agency.to_owned(),
        source_record_id: new.source_record_id.to_string(),
        kind: new.kind.as_str().into(),
        effective_on: new.effective_on.to_string(),
        source: new.source.as_str().into(),
        content: crate::domain::record::canonical(&new).0,
        request_sha256,
        recorded_at: reader.now.timestamp_micros(),
    };
    let links: Vec<LinkRow> = new
        .links()
        .into_iter()
        .enumerate()
        .map(|(position, link)| LinkRow {
            event_id: id.clone(),
            position: i32::try_from(position).expect("at most 450 links"),
            from_kk: link.from_kk,
            to_kk: link.to_kk,
            nik: link.nik,
            effective_on: row.effective_on.clone(),
        })
        .collect();
    let (others, _) = events_of(conn, &related, MAX_EVENTS)?;
    store::insert(conn, &row, &links)?;
    let with = conflicts(reader.agency, &id, &new, &others)?;
    if !with.is_empty() {
        tracing::warn!(household_event.id = %id, conflicts = with.len(),
            "a household event disagrees with another agency's");
    }
    Ok(Answer::created(shown(reader, &row, new, with, touched)?))
}

/// The lineage of `kk`: the cards it came from and led to, and the events between them, as
/// known under `walk` (effective by a day, recorded by an instant).
pub fn lineage(
    conn: &mut AnyConnection,
    reader: &Reader<'_>,
    kk: &Kk,
    walk: &Walk,
    touched: &mut Touched,
) -> Result<Lineage, HouseholdsError> {
    let related = |found: std::collections::BTreeMap<String, u32>| -> QueryResult<Vec<RelatedKk>> {
        let mut list = found
            .into_iter()
            .map(|(kk, links_away)| {
                Ok(RelatedKk {
                    kk: Kk::parse(&kk).map_err(corrupt)?,
                    links_away,
                })
            })
            .collect::<QueryResult<Vec<_>>>()?;
        list.sort_by(|a, b| (a.links_away, &a.kk).cmp(&(b.links_away, &b.kk)));
        Ok(list)
    };
    let up = store::walk(conn, kk.as_str(), Direction::Ancestors, walk, MAX_RELATED)?;
    let down = store::walk(conn, kk.as_str(), Direction::Descendants, walk, MAX_RELATED)?;
    let mut truncated = up.len() >= MAX_RELATED || down.len() >= MAX_RELATED;
    let mut cards: Vec<String> = vec![kk.to_string()];
    cards.extend(up.keys().cloned());
    cards.extend(down.keys().cloned());
    let (events, more) = events_of(conn, &cards, MAX_EVENTS)?;
    truncated |= more;
    // The events as known under the same bounds as the walk.
    let known: Vec<(EventRow, NewHouseholdEvent)> = events
        .into_iter()
        .filter(|(row, _)| {
            walk.effective_by
                .as_ref()
                .is_none_or(|day| row.effective_on <= *day)
                && walk.recorded_by.is_none_or(|at| row.recorded_at <= at)
        })
        .collect();
    let mut shown_events = Vec::with_capacity(known.len());
    for (row, event) in &known {
        let with = conflicts(&row.agency, &row.id, event, &known)?;
        shown_events.push(shown(reader, row, event.clone(), with, touched)?);
    }
    Ok(Lineage {
        kk: kk.clone(),
        ancestors: related(up)?,
        descendants: related(down)?,
        has_conflicts: shown_events.iter().any(|e| !e.conflicts_with.is_empty()),
        events: shown_events,
        truncated,
    })
}
