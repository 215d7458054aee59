//! Aggregate statistics for people who coordinate (`GET /v1/stats/{table}`, scope
//! `stats:read`): counts of graduations, enrollments, referrals and follow-up signals, and
//! the conversion of graduations into enrollments, grouped by month, program, agency,
//! province or regency. Never a NIK, a KK or a record id; every count below
//! [`suppress::THRESHOLD`] withheld, with complementary suppression ([`suppress`]).

pub mod suppress;
pub mod table;

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::stats::{self as store, Filter, Group, Key, Unit};
use crate::db::{self, AnyConnection, QueryResult};
use table::{Column, Conversion, Line, Row, StatsTable, Totals};

/// What a table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsTableName)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Graduations by `graduation_type`, in the month of `graduated_on`.
    Graduations,
    /// Enrollments by `status`, in the month of `enrolled_on`.
    Enrollments,
    /// Referrals by `status`, in the month they were made.
    Referrals,
    /// Follow-up signals by kind, in the month they were raised (open or closed since).
    FollowUp,
    /// Graduations by what followed them, in the month of `graduated_on`.
    Conversion,
}

/// What a table's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsGroupBy)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Month,
    Program,
    /// The publishing agency (for referrals: the agency that referred).
    Agency,
    Province,
    Regency,
}

/// Conversion columns, in order: the enrollment buckets first (their sums are the shares).
const ENROLLED_BUCKETS: [(i64, &str, &str, &str); 4] = [
    (
        30,
        "enrolled_0_30",
        "Terdaftar dalam 30 hari",
        "Enrolled within 30 days",
    ),
    (
        90,
        "enrolled_31_90",
        "Terdaftar hari ke-31–90",
        "Enrolled on day 31–90",
    ),
    (
        180,
        "enrolled_91_180",
        "Terdaftar hari ke-91–180",
        "Enrolled on day 91–180",
    ),
    (
        i64::MAX,
        "enrolled_after_180",
        "Terdaftar setelah 180 hari",
        "Enrolled after 180 days",
    ),
];
const REFERRED_ONLY: (&str, &str, &str) = (
    "referred_not_enrolled",
    "Dirujuk, belum terdaftar",
    "Referred, not enrolled",
);
const NEITHER: (&str, &str, &str) = (
    "not_picked_up",
    "Belum dirujuk maupun terdaftar",
    "Neither referred nor enrolled",
);

type Labels = &'static [(&'static str, &'static str, &'static str)];

const GRADUATION_TYPES: Labels = &[
    ("natural", "Graduasi alamiah", "Natural graduation"),
    (
        "self_reliant",
        "Graduasi sejahtera mandiri",
        "Self-reliant graduation",
    ),
    (
        "exit_noncompliance",
        "Keluar karena tidak memenuhi kewajiban",
        "Exit for non-compliance",
    ),
    (
        "exit_data_correction",
        "Keluar karena perbaikan data",
        "Exit for data correction",
    ),
];
const ENROLLMENT_STATUSES: Labels = &[
    ("active", "Aktif", "Active"),
    ("suspended", "Ditangguhkan", "Suspended"),
    ("completed", "Selesai", "Completed"),
    ("exited", "Keluar", "Exited"),
];
const REFERRAL_STATUSES: Labels = &[
    ("offered", "Ditawarkan", "Offered"),
    ("accepted", "Diterima", "Accepted"),
    ("enrolled", "Terdaftar", "Enrolled"),
    ("declined", "Ditolak", "Declined"),
    ("withdrawn", "Ditarik", "Withdrawn"),
    ("released", "Dilepas", "Released"),
    ("lapsed", "Kedaluwarsa", "Lapsed"),
];
const SIGNAL_KINDS: Labels = &[
    (
        "graduation.unreferred",
        "Belum dirujuk 30 hari setelah graduasi",
        "Not referred 30 days after graduating",
    ),
    (
        "graduation.relapse",
        "Kembali ke bantuan sosial",
        "Back in social assistance",
    ),
    (
        "referral.overdue",
        "Rujukan melewati tenggat",
        "Referral past its deadline",
    ),
];

impl Measure {
    fn unit(self) -> Unit {
        match self {
            Measure::Graduations => Unit::Graduations,
            Measure::Enrollments => Unit::Enrollments,
            Measure::Referrals => Unit::Referrals,
            Measure::FollowUp => Unit::Signals,
            Measure::Conversion => Unit::GraduationOutcomes,
        }
    }

    /// What one count counts, as the table says it.
    fn unit_name(self) -> &'static str {
        match self {
            Measure::Graduations | Measure::Conversion => "graduations",
            Measure::Enrollments => "enrollments",
            Measure::Referrals => "referrals",
            Measure::FollowUp => "follow-up signals",
        }
    }

    fn columns(self) -> Vec<(&'static str, &'static str, &'static str)> {
        match self {
            Measure::Graduations => GRADUATION_TYPES.to_vec(),
            Measure::Enrollments => ENROLLMENT_STATUSES.to_vec(),
            Measure::Referrals => REFERRAL_STATUSES.to_vec(),
            Measure::FollowUp => SIGNAL_KINDS.to_vec(),
            Measure::Conversion => ENROLLED_BUCKETS
                .iter()
                .map(|&(_, code, id, en)| (code, id, en))
                .chain([REFERRED_ONLY, NEITHER])
                .collect(),
        }
    }
}

/// A table asked for. Months are the first day of the month; both ends are included.
#[derive(Debug, Clone)]
pub struct Request {
    pub measure: Measure,
    pub by: GroupBy,
    pub program: Option<String>,
    pub agency: Option<String>,
    /// A dotted region code: the table counts units in it.
    pub region: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A month written `YYYY-MM`, as its first day.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    if text.len() != 7 || text.as_bytes()[4] != b'-' {
        return None;
    }
    let year: i32 = text[..4].parse().ok()?;
    let month: u32 = text[5..].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// A filter that names no program, agency or region of the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownFilter {
    Program,
    Agency,
    Region,
}

impl UnknownFilter {
    pub fn parameter(self) -> &'static str {
        match self {
            Self::Program => "program",
            Self::Agency => "agency",
            Self::Region => "region",
        }
    }

    pub fn why(self) -> &'static str {
        match self {
            Self::Program => "is not a program of the exchange",
            Self::Agency => "is not an agency of the exchange",
            Self::Region => "is not a region in the shipped region table",
        }
    }
}

/// The first filter of `request` that names nothing of the exchange: an empty table would
/// look like an answer, so it is refused instead.
pub fn unknown_filter(
    conn: &mut AnyConnection,
    request: &Request,
) -> QueryResult<Option<UnknownFilter>> {
    if let Some(program) = &request.program {
        let known = crate::domain::code::ProgramCode::parse(program)
            .ok()
            .map(|code| db::programs::get(conn, &code))
            .transpose()?
            .flatten()
            .is_some();
        if !known {
            return Ok(Some(UnknownFilter::Program));
        }
    }
    if let Some(agency) = &request.agency {
        let known = match crate::domain::code::AgencyCode::parse(agency) {
            Ok(code) => db::agencies::exists(conn, &code)?,
            Err(_) => false,
        };
        if !known {
            return Ok(Some(UnknownFilter::Agency));
        }
    }
    if let Some(region) = &request.region
        && db::regions::get(conn, region)?.is_none()
    {
        return Ok(Some(UnknownFilter::Region));
    }
    Ok(None)
}

/// One row of a table while it is being built.
#[derive(Default)]
struct Tally {
    counts: Vec<u64>,
    /// Conversion: the latest `graduated_on`, and how many graduations enrolled after how
    /// many days.
    youngest: Option<NaiveDate>,
    days: BTreeMap<i64, u64>,
}

/// Builds the table `request` asks for, as of `today`.
pub fn build(
    conn: &mut AnyConnection,
    request: &Request,
    today: NaiveDate,
) -> QueryResult<StatsTable> {
    let columns = request.measure.columns();
    let key = match request.by {
        GroupBy::Month => Key::Month,
        GroupBy::Program => Key::Program,
        GroupBy::Agency => Key::Agency,
        GroupBy::Province => Key::Province,
        GroupBy::Regency => Key::Regency,
    };
    let groups = store::count(conn, request.measure.unit(), key, &filter(request))?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for group in groups {
        let key = match request.by {
            GroupBy::Province | GroupBy::Regency => dotted(&group.key)?,
            _ => group.key.clone(),
        };
        let tally = tallies.entry(key).or_insert_with(|| Tally {
            counts: vec![0; columns.len()],
            ..Tally::default()
        });
        let units = u64::try_from(group.units).map_err(db::corrupt)?;
        let column = column(request.measure, &columns, &group)?;
        tally.counts[column] += units;
        if let Some(days) = group.days {
            *tally.days.entry(days.max(0)).or_default() += units;
        }
        if let Some(youngest) = &group.youngest {
            let day = NaiveDate::parse_from_str(youngest, "%Y-%m-%d").map_err(db::corrupt)?;
            tally.youngest = tally.youngest.max(Some(day));
        }
    }
    let names = names(conn, request.by, tallies.keys())?;
    let counts: Vec<Vec<u64>> = tallies.values().map(|t| t.counts.clone()).collect();
    let marks = suppress::suppress(&counts, columns.len());
    let conversion = request.measure == Measure::Conversion;
    let mut all = Tally::default();
    for tally in tallies.values() {
        all.youngest = all.youngest.max(tally.youngest);
        for (&days, &n) in &tally.days {
            *all.days.entry(days).or_default() += n;
        }
    }
    let rows = tallies
        .iter()
        .enumerate()
        .map(|(r, (key, tally))| {
            let total = tally.counts.iter().sum();
            let line = Line::new(&tally.counts, &marks.cells[r], total, marks.row_totals[r]);
            Row {
                name: names.get(key).cloned().unwrap_or_else(|| key.clone()),
                key: key.clone(),
                conversion: conversion.then(|| converted(&line, tally, today)),
                cells: line.cells,
                total: line.total,
            }
        })
        .collect();
    let column_totals: Vec<u64> = (0..columns.len())
        .map(|c| counts.iter().map(|row| row[c]).sum())
        .collect();
    let grand = column_totals.iter().sum();
    let totals = Line::new(&column_totals, &marks.column_totals, grand, marks.total);
    Ok(StatsTable {
        table: request.measure,
        unit: request.measure.unit_name(),
        by: request.by,
        as_of: today,
        threshold: suppress::THRESHOLD,
        columns: columns
            .into_iter()
            .map(|(code, name_id, name_en)| Column {
                code,
                name_id,
                name_en,
            })
            .collect(),
        rows,
        totals: Totals {
            conversion: conversion.then(|| converted(&totals, &all, today)),
            cells: totals.cells,
            total: totals.total,
        },
    })
}

fn filter(request: &Request) -> Filter {
    let region = match &request.region {
        None => ("0000000000".to_owned(), "9999999999".to_owned()),
        Some(code) => {
            let digits = code.replace('.', "");
            (format!("{digits:0<10}"), format!("{digits:9<10}"))
        }
    };
    let from = request.from.unwrap_or(NaiveDate::MIN);
    let to = request
        .to
        .and_then(|to| to.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    let micros = |day: NaiveDate, end: bool| {
        let time = if end {
            day.and_hms_micro_opt(23, 59, 59, 999_999)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        time.map_or(if end { i64::MAX } else { i64::MIN }, |t| {
            t.and_utc().timestamp_micros()
        })
    };
    Filter {
        program: request.program.clone().unwrap_or_default(),
        agency: request.agency.clone().unwrap_or_default(),
        region,
        // Stored days are `YYYY-MM-DD`; the extremes of NaiveDate print with a sign and
        // more digits, so they are clamped to what sorts right as text.
        days: (
            request.from.map_or("0000-01-01".into(), |d| d.to_string()),
            request.to.map_or("9999-12-31".into(), |_| to.to_string()),
        ),
        micros: (micros(from, false), micros(to, true)),
    }
}

/// The column a group is counted in.
fn column(measure: Measure, columns: &[(&str, &str, &str)], group: &Group) -> QueryResult<usize> {
    if measure == Measure::Conversion {
        return Ok(match group.days {
            // An enrollment dated before the graduation it names counts as at once.
            Some(days) => ENROLLED_BUCKETS
                .iter()
                .position(|&(limit, ..)| days <= limit)
                .expect("the last bucket has no limit"),
            None if group.referred == Some(true) => ENROLLED_BUCKETS.len(),
            None => ENROLLED_BUCKETS.len() + 1,
        });
    }
    let category = group.category.as_deref().unwrap_or_default();
    columns
        .iter()
        .position(|(code, ..)| *code == category)
        .ok_or_else(|| db::corrupt(Corrupt("a category no column counts")))
}

/// The dotted code of a province's or regency's digits (`32`, `3201` → `32.01`).
fn dotted(digits: &str) -> QueryResult<String> {
    match digits.len() {
        2 => Ok(digits.to_owned()),
        4 => Ok(format!("{}.{}", &digits[..2], &digits[2..])),
        _ => Err(db::corrupt(Corrupt(
            "a region code of an unexpected length",
        ))),
    }
}

fn names<'a>(
    conn: &mut AnyConnection,
    by: GroupBy,
    keys: impl Iterator<Item = &'a String>,
) -> QueryResult<HashMap<String, String>> {
    Ok(match by {
        GroupBy::Month => HashMap::new(),
        GroupBy::Program => db::programs::list(conn, &Default::default())?
            .into_iter()
            .map(|p| (p.code.to_string(), p.name))
            .collect(),
        GroupBy::Agency => db::agencies::list(conn)?
            .into_iter()
            .map(|a| (a.code.to_string(), a.name))
            .collect(),
        GroupBy::Province | GroupBy::Regency => store::region_names(conn, keys.cloned().collect())?,
    })
}

/// The shares enrolled within 30, 90 and 180 days, and the median days to enrolling, for
/// one line of the conversion table. Each is computed from published counts only, so it
/// tells nothing the counts do not: a share is left out when a count it adds up is
/// withheld, and the median when any enrollment bucket is withheld (it would bound them)
/// or fewer than [`suppress::THRESHOLD`] graduations enrolled. A share is also left out
/// while some graduation of the line is younger than its window: it could still enroll.
fn converted(line: &Line, tally: &Tally, today: NaiveDate) -> Conversion {
    let youngest = tally.youngest.unwrap_or(NaiveDate::MIN);
    let total = line.total.count.filter(|&n| n > 0);
    let share = |buckets: usize, window: i64| {
        let old_enough = (today - youngest).num_days() >= window;
        let enrolled: Option<u64> = line.cells[..buckets].iter().map(|c| c.count).sum();
        match (old_enough, enrolled, total) {
            // Four decimals: a share needs no more, and more would only look precise.
            (true, Some(enrolled), Some(total)) => {
                Some((enrolled as f64 / total as f64 * 10_000.0).round() / 10_000.0)
            }
            _ => None,
        }
    };
    let buckets = ENROLLED_BUCKETS.len();
    let enrolled: Option<u64> = line.cells[..buckets].iter().map(|c| c.count).sum();
    let median_days = enrolled
        .filter(|&n| n >= suppress::THRESHOLD)
        .map(|_| median(&tally.days));
    Conversion {
        within_30_days: share(1, ENROLLED_BUCKETS[0].0),
        within_90_days: share(2, ENROLLED_BUCKETS[1].0),
        within_180_days: share(3, ENROLLED_BUCKETS[2].0),
        median_days_to_enroll: median_days,
    }
}

/// The median of a histogram (days → how many), halfway between the middle two when even.
fn median(days: &BTreeMap<i64, u64>) -> f64 {
    let n: u64 = days.values().sum();
    // The values at positions (n - 1) / 2 and n / 2, counted from 0.
    let at = |position: u64| {
        let mut seen = 0;
        for (&d, &count) in days {
            seen += count;
            if seen > position {
                return d;
            }
        }
        unreachable!("the position is below the count")
    };
    (at((n - 1) / 2) + at(n / 2)) as f64 / 2.0
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Corrupt(&'static str);
