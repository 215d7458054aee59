//! Household events and the lineage links they add, in the database.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::schema::{household_events, household_links};
use super::{AnyConnection, QueryResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = household_events)]
pub struct EventRow {
    pub id: String,
    pub agency: String,
    pub source_record_id: String,
    pub kind: String,
    pub effective_on: String,
    pub source: String,
    pub content: String,
    pub request_sha256: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = household_links)]
#[diesel(treat_none_as_default_value = false)]
pub struct LinkRow {
    pub event_id: String,
    pub position: i32,
    pub from_kk: String,
    pub to_kk: Option<String>,
    pub nik: Option<String>,
    pub effective_on: String,
}

pub fn insert(conn: &mut AnyConnection, event: &EventRow, links: &[LinkRow]) -> QueryResult<()> {
    diesel::insert_into(household_events::table)
        .values(event.clone())
        .execute(conn)?;
    insert_chunked!(conn, household_links::table, links, 100);
    Ok(())
}

pub fn by_source(
    conn: &mut AnyConnection,
    agency: &str,
    source_record_id: &str,
) -> QueryResult<Option<EventRow>> {
    household_events::table
        .filter(household_events::agency.eq(agency))
        .filter(household_events::source_record_id.eq(source_record_id))
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// The events with a link from or to any of `kks`, oldest recorded first.
pub fn touching(conn: &mut AnyConnection, kks: &[String]) -> QueryResult<Vec<EventRow>> {
    let linked = household_links::table
        .filter(
            household_links::from_kk
                .eq_any(kks.to_vec())
                .or(household_links::to_kk.eq_any(kks.to_vec())),
        )
        .select(household_links::event_id);
    household_events::table
        .filter(household_events::id.eq_any(linked))
        .order((household_events::recorded_at, household_events::id))
        .select(EventRow::as_select())
        .load(conn)
}

/// Cards a lineage walk reaches each way, at most.
pub const MAX_RELATED: usize = 64;

/// Which way lineage is followed from a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To the cards it came from.
    Ancestors,
    /// To the cards it led to.
    Descendants,
}

/// What a walk over the lineage is bounded by, and which links it counts.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Only links of events effective on or before this day (`YYYY-MM-DD`).
    pub effective_by: Option<String>,
    /// Only links of events recorded at or before this instant (Unix microseconds).
    pub recorded_by: Option<i64>,
}

/// Cards reached from `kk` and how many links away, at most `max` of them, nearest first;
/// `kk` itself is not among them. One query per level: a family's lineage is a handful of
/// cards, and the bound keeps a pathological chain (or an attacker's) cheap.
pub fn walk(
    conn: &mut AnyConnection,
    kk: &str,
    direction: Direction,
    walk: &Walk,
    max: usize,
) -> QueryResult<BTreeMap<String, u32>> {
    let mut found: BTreeMap<String, u32> = BTreeMap::new();
    let mut frontier = vec![kk.to_owned()];
    let mut depth = 0;
    while !frontier.is_empty() && found.len() < max {
        depth += 1;
        let mut query = household_links::table
            .inner_join(household_events::table)
            .filter(household_links::to_kk.is_not_null())
            .select((household_links::from_kk, household_links::to_kk))
            .into_boxed();
        query = match direction {
            Direction::Ancestors => query.filter(household_links::to_kk.eq_any(frontier.clone())),
            Direction::Descendants => {
                query.filter(household_links::from_kk.eq_any(frontier.clone()))
            }
        };
        if let Some(day) = &walk.effective_by {
            query = query.filter(household_links::effective_on.le(day.clone()));
        }
        if let Some(at) = walk.recorded_by {
            query = query.filter(household_events::recorded_at.le(at));
        }
        let mut next = Vec::new();
        for (from, to) in query.load::<(String, Option<String>)>(conn)? {
            let reached = match direction {
                Direction::Ancestors => from,
                Direction::Descendants => to.expect("filtered on not null"),
            };
            if reached != kk && !found.contains_key(&reached) && found.len() < max {
                found.insert(reached.clone(), depth);
                next.push(reached);
            }
        }
        frontier = next;
    }
    Ok(found)
}
