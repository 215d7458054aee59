//! What the aggregate statistics count (`crate::stats`), counted by the database: one row
//! per group key and column (and, in the conversion table, per number of days to enrolling),
//! so that a table over millions of records moves a few thousand rows, never the records. No
//! NIK, KK or record id leaves these queries.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::{AnyConnection, QueryResult};

/// The units counted alike: so many in this row and column.
#[derive(Debug, Clone, QueryableByName)]
pub struct Group {
    /// `YYYY-MM`, a program or agency code, or the first 2 or 4 region digits.
    #[diesel(sql_type = Text, column_name = row_key)]
    pub key: String,
    /// A graduation type, an enrollment or referral status, a signal kind; in the
    /// conversion table `NULL` (the next two decide).
    #[diesel(sql_type = Nullable<Text>)]
    pub category: Option<String>,
    /// Conversion: days from graduating to the first enrollment naming the graduation
    /// (`NULL`: none).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub days: Option<i64>,
    /// Conversion: whether a referral names the graduation.
    #[diesel(sql_type = Nullable<Bool>)]
    pub referred: Option<bool>,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    /// Conversion: the latest `graduated_on` among them.
    #[diesel(sql_type = Nullable<Text>)]
    pub youngest: Option<String>,
}

/// Which units to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Graduations by `graduation_type`.
    Graduations,
    /// Graduations by their first enrollment and whether they were referred.
    GraduationOutcomes,
    Enrollments,
    Referrals,
    Signals,
}

/// What the rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Month,
    Program,
    Agency,
    Province,
    Regency,
}

/// The units' filter; an empty string matches any program or agency.
#[derive(Debug, Clone)]
pub struct Filter {
    pub program: String,
    pub agency: String,
    /// Inclusive bounds of `region_digits` (ten digits each).
    pub region: (String, String),
    /// Inclusive bounds of the day (`YYYY-MM-DD`) and of the instant (microseconds): the
    /// same period, for units counted by day and by instant.
    pub days: (String, String),
    pub micros: (i64, i64),
}

/// The columns of one unit's table: where it is counted, by what, and how.
struct Source {
    /// `FROM` and the unit's own condition.
    from: &'static str,
    program: &'static str,
    agency: &'static str,
    region: &'static str,
    /// A day column (`YYYY-MM-DD`), or an instant in microseconds.
    when: When,
}

enum When {
    Day(&'static str),
    Micros(&'static str),
}

fn source(unit: Unit, pg: bool) -> Source {
    let records = |from: &'static str| Source {
        from,
        program: "g.program",
        agency: "g.publisher",
        region: "g.region_digits",
        when: When::Day("g.event_on"),
    };
    match unit {
        Unit::Graduations => records("records g WHERE g.kind = 'graduation' AND NOT g.retracted"),
        // Each graduation with its first enrollment and its referrals, joined by hash: one
        // index probe per graduation took four times as long at 100,000 (bench/stats.sh).
        // The records' ids are `COLLATE "C"` on PostgreSQL and the referrals' copies are not.
        Unit::GraduationOutcomes if pg => records(concat!(
            "records g ",
            "LEFT JOIN (SELECT graduation_id, MIN(event_on) AS first_on FROM records ",
            "WHERE kind = 'enrollment' AND NOT retracted AND graduation_id IS NOT NULL ",
            "GROUP BY graduation_id) e ON e.graduation_id = g.id ",
            "LEFT JOIN (SELECT DISTINCT graduation_id COLLATE \"C\" AS graduation_id ",
            "FROM referrals) r ON r.graduation_id = g.id ",
            "WHERE g.kind = 'graduation' AND NOT g.retracted"
        )),
        Unit::GraduationOutcomes => records(concat!(
            "records g ",
            "LEFT JOIN (SELECT graduation_id, MIN(event_on) AS first_on FROM records ",
            "WHERE kind = 'enrollment' AND NOT retracted AND graduation_id IS NOT NULL ",
            "GROUP BY graduation_id) e ON e.graduation_id = g.id ",
            "LEFT JOIN (SELECT DISTINCT graduation_id FROM referrals) r ",
            "ON r.graduation_id = g.id ",
            "WHERE g.kind = 'graduation' AND NOT g.retracted"
        )),
        Unit::Enrollments => records("records g WHERE g.kind = 'enrollment' AND NOT g.retracted"),
        Unit::Referrals => Source {
            from: "referrals r WHERE TRUE",
            program: "r.program",
            agency: "r.requester_agency",
            region: "r.region_digits",
            when: When::Micros("r.created_at"),
        },
        Unit::Signals => Source {
            from: "follow_up_signals s WHERE TRUE",
            program: "s.program",
            agency: "s.publisher",
            region: "s.region_digits",
            when: When::Micros("s.raised_at"),
        },
    }
}

/// The units of `unit` that `filter` keeps, counted per `key` and column. Retracted records
/// are not counted.
pub fn count(
    conn: &mut AnyConnection,
    unit: Unit,
    key: Key,
    filter: &Filter,
) -> QueryResult<Vec<Group>> {
    let pg = matches!(conn, AnyConnection::Postgresql(_));
    let src = source(unit, pg);
    let p: Vec<String> = (1..=8)
        .map(|i| if pg { format!("${i}") } else { "?".into() })
        .collect();
    let (when, month) = match src.when {
        When::Day(day) => (day, format!("substr({day}, 1, 7)")),
        When::Micros(at) if pg => (
            at,
            format!("to_char(to_timestamp({at} / 1000000.0) AT TIME ZONE 'UTC', 'YYYY-MM')"),
        ),
        When::Micros(at) => (
            at,
            format!("strftime('%Y-%m', {at} / 1000000, 'unixepoch')"),
        ),
    };
    let key = match key {
        Key::Month => month,
        Key::Program => src.program.to_owned(),
        Key::Agency => src.agency.to_owned(),
        Key::Province => format!("substr({}, 1, 2)", src.region),
        Key::Regency => format!("substr({}, 1, 4)", src.region),
    };
    let category = match unit {
        Unit::Graduations => "g.graduation_type",
        Unit::GraduationOutcomes => "CAST(NULL AS TEXT)",
        Unit::Enrollments => "g.status",
        Unit::Referrals => "r.status",
        Unit::Signals => "s.kind",
    };
    let (days, referred, youngest) = if unit == Unit::GraduationOutcomes {
        let days = if pg {
            "CAST(CAST(e.first_on AS DATE) - CAST(g.event_on AS DATE) AS BIGINT)"
        } else {
            "CAST(julianday(e.first_on) - julianday(g.event_on) AS INTEGER)"
        };
        (days, "(r.graduation_id IS NOT NULL)", "g.event_on")
    } else {
        (
            "CAST(NULL AS BIGINT)",
            "CAST(NULL AS BOOLEAN)",
            "CAST(NULL AS TEXT)",
        )
    };
    let sql = format!(
        "SELECT row_key, category, days, referred, COUNT(*) AS units, MAX(youngest) AS youngest \
         FROM (SELECT {key} AS row_key, {category} AS category, {days} AS days, \
                 {referred} AS referred, {youngest} AS youngest \
               FROM {from} \
                 AND ({0} = '' OR {program} = {1}) AND ({2} = '' OR {agency} = {3}) \
                 AND {region} >= {4} AND {region} <= {5} \
                 AND {when} >= {6} AND {when} <= {7}) AS units \
         GROUP BY row_key, category, days, referred",
        p[0],
        p[1],
        p[2],
        p[3],
        p[4],
        p[5],
        p[6],
        p[7],
        from = src.from,
        program = src.program,
        agency = src.agency,
        region = src.region,
    );
    let by_instant = matches!(src.when, When::Micros(_));
    macro_rules! run {
        ($c:expr) => {{
            let query = diesel::sql_query(sql)
                .bind::<Text, _>(&filter.program)
                .bind::<Text, _>(&filter.program)
                .bind::<Text, _>(&filter.agency)
                .bind::<Text, _>(&filter.agency)
                .bind::<Text, _>(&filter.region.0)
                .bind::<Text, _>(&filter.region.1);
            if by_instant {
                query
                    .bind::<BigInt, _>(filter.micros.0)
                    .bind::<BigInt, _>(filter.micros.1)
                    .load($c)
            } else {
                query
                    .bind::<Text, _>(&filter.days.0)
                    .bind::<Text, _>(&filter.days.1)
                    .load($c)
            }
        }};
    }
    match conn {
        AnyConnection::Postgresql(c) => run!(c),
        AnyConnection::Sqlite(c) => run!(c),
    }
}

/// The names of the regions with these dotted codes (provinces, regencies).
pub fn region_names(
    conn: &mut AnyConnection,
    codes: Vec<String>,
) -> QueryResult<HashMap<String, String>> {
    use super::schema::regions;
    Ok(regions::table
        .filter(regions::code.eq_any(codes))
        .select((regions::code, regions::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
