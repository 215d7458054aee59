//! Follow-up signals in the database, and the look-ups the watch makes to raise them.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::schema::{follow_up_signals, record_niks, records, referral_offers, referrals};
use super::{AnyConnection, QueryResult};
use crate::domain::referral::OfferState;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follow_up_signals)]
#[diesel(treat_none_as_default_value = false)]
pub struct SignalRow {
    pub id: String,
    pub kind: String,
    pub cause: String,
    pub trigger_id: String,
    pub graduation_id: String,
    pub publisher: String,
    pub program: String,
    pub region_digits: String,
    pub referral_id: Option<String>,
    pub records: String,
    pub raised_at: i64,
    pub closed_at: Option<i64>,
}

/// Stores a signal unless one was raised for the same kind, graduation and trigger; answers
/// whether it was new. Run it under the raiser's lock, which makes the check race-free
/// (`crate::follow_up::announce::raise` also puts it on the feed).
pub fn raise(conn: &mut AnyConnection, row: &SignalRow) -> QueryResult<bool> {
    let exists: i64 = follow_up_signals::table
        .filter(follow_up_signals::kind.eq(&row.kind))
        .filter(follow_up_signals::graduation_id.eq(&row.graduation_id))
        .filter(follow_up_signals::trigger_id.eq(&row.trigger_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(follow_up_signals::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(true)
}

/// A graduation as the watch sees it.
#[derive(Debug, Clone, Queryable, QueryableByName)]
pub struct Watched {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub publisher: String,
    #[diesel(sql_type = Text)]
    pub program: String,
    #[diesel(sql_type = Text)]
    pub region_digits: String,
    /// `graduated_on`.
    #[diesel(sql_type = Text)]
    pub event_on: String,
}

/// On PostgreSQL the records' ids are `COLLATE "C"` (byte order, for keyset paging) while the
/// ids other tables keep of them are not: compared as they are, a records id cannot use those
/// tables' indexes (the planner then scans them, or hashes them whole). Said once, for the
/// probes below.
const DEFAULT_COLLATION: &str = " COLLATE \"default\"";

/// Up to `limit` graduations of `program` that graduated between `from` and `to` (days,
/// inclusive), after the graduation `after` (`graduated_on`, id) in that order, and that no
/// referral, no enrollment and no earlier `graduation.unreferred` signal follows. Uses
/// records_event_on_idx for the days (the watch asks for the days that became due since its
/// last run), then one index probe per candidate in each of referrals_graduation_idx,
/// records_graduation_id_idx and follow_up_signals_graduation_idx.
pub fn unreferred(
    conn: &mut AnyConnection,
    program: &str,
    (from, to): (&str, &str),
    after: (&str, &str),
    limit: i64,
) -> QueryResult<Vec<Watched>> {
    let sql = |p: [&str; 7], c: &str| {
        format!(
            "SELECT g.id, g.publisher, g.program, g.region_digits, g.event_on FROM records g \
             WHERE g.kind = 'graduation' AND NOT g.retracted AND g.program = {} \
               AND g.event_on >= {} AND g.event_on <= {} \
               AND (g.event_on > {} OR (g.event_on = {} AND g.id > {})) \
               AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.graduation_id = g.id{c}) \
               AND NOT EXISTS (SELECT 1 FROM records e WHERE e.graduation_id = g.id) \
               AND NOT EXISTS (SELECT 1 FROM follow_up_signals s WHERE s.graduation_id = g.id{c} \
                               AND s.kind = 'graduation.unreferred') \
             ORDER BY g.event_on, g.id LIMIT {}",
            p[0], p[1], p[2], p[3], p[4], p[5], p[6]
        )
    };
    macro_rules! run {
        ($c:expr, $p:expr, $collate:expr) => {
            diesel::sql_query(sql($p, $collate))
                .bind::<Text, _>(program)
                .bind::<Text, _>(from)
                .bind::<Text, _>(to)
                .bind::<Text, _>(after.0)
                .bind::<Text, _>(after.0)
                .bind::<Text, _>(after.1)
                .bind::<BigInt, _>(limit)
                .load($c)
        };
    }
    match conn {
        AnyConnection::Postgresql(c) => run!(
            c,
            ["$1", "$2", "$3", "$4", "$5", "$6", "$7"],
            DEFAULT_COLLATION
        ),
        AnyConnection::Sqlite(c) => run!(c, ["?", "?", "?", "?", "?", "?", "?"], ""),
    }
}

/// Whether the graduation is one of [`unreferred`]'s: not retracted, and followed by no
/// referral, no enrollment and no earlier `graduation.unreferred` signal.
pub fn is_unreferred(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Watched>> {
    let sql = |p: &str| {
        format!(
            "SELECT g.id, g.publisher, g.program, g.region_digits, g.event_on FROM records g \
             WHERE g.id = {p} AND g.kind = 'graduation' AND NOT g.retracted \
               AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.graduation_id = {p}) \
               AND NOT EXISTS (SELECT 1 FROM records e WHERE e.graduation_id = {p}) \
               AND NOT EXISTS (SELECT 1 FROM follow_up_signals s WHERE s.graduation_id = {p} \
                               AND s.kind = 'graduation.unreferred')"
        )
    };
    let mut found: Vec<Watched> = match conn {
        AnyConnection::Postgresql(c) => diesel::sql_query(sql("$1")).bind::<Text, _>(id).load(c)?,
        AnyConnection::Sqlite(c) => diesel::sql_query(sql("?1")).bind::<Text, _>(id).load(c)?,
    };
    Ok(found.pop())
}

/// The graduations (not retracted) of the family a NIK or KKs name: those that list the
/// NIK (head or member), and those published under one of the KKs.
pub fn graduations_of(
    conn: &mut AnyConnection,
    nik: Option<&str>,
    kks: &[String],
) -> QueryResult<Vec<Watched>> {
    let columns = (
        records::id,
        records::publisher,
        records::program,
        records::region_digits,
        records::event_on,
    );
    let mut found: Vec<Watched> = Vec::new();
    if let Some(nik) = nik {
        found.extend(
            records::table
                .filter(records::kind.eq("graduation"))
                .filter(records::retracted.eq(false))
                .filter(
                    records::id.eq_any(
                        record_niks::table
                            .filter(record_niks::nik.eq(nik.to_owned()))
                            .select(record_niks::record_id),
                    ),
                )
                .select(columns)
                .load::<Watched>(conn)?,
        );
    }
    if !kks.is_empty() {
        for row in records::table
            .filter(records::kind.eq("graduation"))
            .filter(records::retracted.eq(false))
            .filter(records::kk.eq_any(kks.to_vec()))
            .select(columns)
            .load::<Watched>(conn)?
        {
            if !found.iter().any(|f| f.id == row.id) {
                found.push(row);
            }
        }
    }
    Ok(found)
}

/// The open signals that what the watch just read resolves: the `graduation.unreferred`
/// of `graduations` (a referral or an enrollment now follows them) and the
/// `referral.overdue` of `referrals` (they moved on: accepted, enrolled or withdrawn). One
/// probe of follow_up_signals_graduation_idx or follow_up_signals_referral_idx each.
pub fn resolved(
    conn: &mut AnyConnection,
    graduations: &[String],
    referrals: &[String],
) -> QueryResult<Vec<SignalRow>> {
    let mut rows = Vec::new();
    for chunk in graduations.chunks(500) {
        rows.extend(
            follow_up_signals::table
                .filter(follow_up_signals::graduation_id.eq_any(chunk))
                .filter(follow_up_signals::kind.eq("graduation.unreferred"))
                .filter(follow_up_signals::closed_at.is_null())
                .select(SignalRow::as_select())
                .load(conn)?,
        );
    }
    for chunk in referrals.chunks(500) {
        rows.extend(
            follow_up_signals::table
                .filter(follow_up_signals::referral_id.eq_any(chunk))
                .filter(follow_up_signals::kind.eq("referral.overdue"))
                .filter(follow_up_signals::closed_at.is_null())
                .select(SignalRow::as_select())
                .load(conn)?,
        );
    }
    Ok(rows)
}

/// Marks the signals closed at `now`.
pub fn close(conn: &mut AnyConnection, ids: &[String], now: i64) -> QueryResult<()> {
    for chunk in ids.chunks(500) {
        diesel::update(follow_up_signals::table.filter(follow_up_signals::id.eq_any(chunk)))
            .set(follow_up_signals::closed_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// What a list of signals is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only those this agency may see: its graduations', and the overdue signals of the
    /// referrals it made or was offered; `None`: all (the coordinator's view).
    pub visible_to: Option<String>,
    pub kinds: Vec<&'static str>,
    pub program: Option<String>,
    /// Village-code digits: a range `[from, to]` of `region_digits`.
    pub region_digits: Option<(String, String)>,
    /// Only those raised at or before this instant.
    pub raised_before: Option<i64>,
    pub include_closed: bool,
    pub after: Option<String>,
}

pub fn list(conn: &mut AnyConnection, filter: &Filter, limit: i64) -> QueryResult<Vec<SignalRow>> {
    let mut query = follow_up_signals::table
        .select(SignalRow::as_select())
        .order(follow_up_signals::id)
        .limit(limit)
        .into_boxed();
    if let Some(agency) = &filter.visible_to {
        let parties = referrals::table
            .filter(referrals::requester_agency.eq(agency.clone()))
            .select(referrals::id);
        let offered = referral_offers::table
            .filter(referral_offers::agency.eq(agency.clone()))
            .filter(referral_offers::state.eq_any(OfferState::MADE))
            .select(referral_offers::referral_id);
        query = query.filter(
            follow_up_signals::publisher
                .eq(agency.clone())
                .or(follow_up_signals::referral_id
                    .assume_not_null()
                    .eq_any(parties))
                .or(follow_up_signals::referral_id
                    .assume_not_null()
                    .eq_any(offered)),
        );
    }
    if !filter.kinds.is_empty() {
        query = query.filter(follow_up_signals::kind.eq_any(filter.kinds.clone()));
    }
    if let Some(program) = &filter.program {
        query = query.filter(follow_up_signals::program.eq(program.clone()));
    }
    if let Some((from, to)) = &filter.region_digits {
        query = query.filter(follow_up_signals::region_digits.between(from.clone(), to.clone()));
    }
    if let Some(before) = filter.raised_before {
        query = query.filter(follow_up_signals::raised_at.le(before));
    }
    if !filter.include_closed {
        query = query.filter(follow_up_signals::closed_at.is_null());
    }
    if let Some(after) = &filter.after {
        query = query.filter(follow_up_signals::id.gt(after.clone()));
    }
    query.load(conn)
}
