//! Aggregate statistics, attacked: for every table the API publishes over the demo data (and
//! for thousands of generated tables), an attacker who knows every published count, that
//! lines add up to their totals, that a `small` count is 1–4 and a `complementary` one at
//! least 5, bounds each withheld count by linear programming, and must never pin one to a
//! single value. The 2-D table with margins is totally unimodular, so the LP bounds are
//! integers and reachable: LP minimum = maximum is exactly "recoverable".

use minilp::{ComparisonOp, OptimizationDirection, Problem};
use serde_json::Value;

use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::get;
use crate::common::{Backend, TestApp, TestDb};
use sinergi::stats::suppress::{self, Mark};

const COORDINATOR: &str = "demo-coordinator";
const TABLES: [&str; 5] = [
    "graduations",
    "enrollments",
    "referrals",
    "follow-up",
    "conversion",
];
const GROUPINGS: [&str; 5] = ["month", "program", "agency", "province", "regency"];

/// One count of a published table, as the attacker sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seen {
    Count(u64),
    Small,
    Complementary,
}

/// A published table: the cells by row, then the margins.
#[derive(Debug)]
struct Published {
    cells: Vec<Vec<Seen>>,
    row_totals: Vec<Seen>,
    column_totals: Vec<Seen>,
    total: Seen,
}

fn seen(cell: &Value) -> Seen {
    match (&cell["count"], cell["suppressed"].as_str()) {
        (Value::Number(n), None) => Seen::Count(n.as_u64().expect("a count")),
        (Value::Null, Some("small")) => Seen::Small,
        (Value::Null, Some("complementary")) => Seen::Complementary,
        _ => panic!("a cell is a count or a withheld count: {cell}"),
    }
}

impl Published {
    fn from_json(table: &Value) -> Published {
        let rows = table["rows"].as_array().expect("rows");
        let line = |v: &Value| v.as_array().expect("cells").iter().map(seen).collect();
        Published {
            cells: rows.iter().map(|r| line(&r["cells"])).collect(),
            row_totals: rows.iter().map(|r| seen(&r["total"])).collect(),
            column_totals: line(&table["totals"]["cells"]),
            total: seen(&table["totals"]["total"]),
        }
    }

    fn from_marks(counts: &[Vec<u64>], columns: usize) -> Published {
        let marks = suppress::suppress(counts, columns);
        let show = |n: u64, m: Mark| match m {
            Mark::Published => Seen::Count(n),
            Mark::Small => Seen::Small,
            Mark::Complementary => Seen::Complementary,
        };
        let column_totals: Vec<u64> = (0..columns)
            .map(|c| counts.iter().map(|r| r[c]).sum())
            .collect();
        Published {
            cells: counts
                .iter()
                .zip(&marks.cells)
                .map(|(row, ms)| row.iter().zip(ms).map(|(&n, &m)| show(n, m)).collect())
                .collect(),
            row_totals: counts
                .iter()
                .zip(&marks.row_totals)
                .map(|(row, &m)| show(row.iter().sum(), m))
                .collect(),
            column_totals: column_totals
                .iter()
                .zip(&marks.column_totals)
                .map(|(&n, &m)| show(n, m))
                .collect(),
            total: show(column_totals.iter().sum(), marks.total),
        }
    }

    /// Every published count is 0 or at least 5.
    fn small_counts_shown(&self) -> Vec<u64> {
        self.cells
            .iter()
            .flatten()
            .chain(&self.row_totals)
            .chain(&self.column_totals)
            .chain([&self.total])
            .filter_map(|s| match s {
                Seen::Count(n) if (1..suppress::THRESHOLD).contains(n) => Some(*n),
                _ => None,
            })
            .collect()
    }

    /// The withheld counts (named `cell r,c`, `row total r`, …) whose LP bounds meet.
    fn recoverable(&self) -> Vec<String> {
        let rows = self.cells.len();
        let columns = self.column_totals.len();
        // Entries in the order: cells row by row, row totals, column totals, grand total.
        let mut entries: Vec<(String, Seen)> = Vec::new();
        for (r, row) in self.cells.iter().enumerate() {
            for (c, &s) in row.iter().enumerate() {
                entries.push((format!("cell {r},{c}"), s));
            }
        }
        for (r, &s) in self.row_totals.iter().enumerate() {
            entries.push((format!("row total {r}"), s));
        }
        for (c, &s) in self.column_totals.iter().enumerate() {
            entries.push((format!("column total {c}"), s));
        }
        entries.push(("grand total".into(), self.total));
        let cell = |r: usize, c: usize| r * columns + c;
        let row_total = |r: usize| rows * columns + r;
        let column_total = |c: usize| rows * columns + rows + c;
        let grand = rows * columns + rows + columns;
        // Each equation: entries with +1, entries with -1.
        let mut equations: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for r in 0..rows {
            equations.push((
                (0..columns).map(|c| cell(r, c)).collect(),
                vec![row_total(r)],
            ));
        }
        for c in 0..columns {
            equations.push((
                (0..rows).map(|r| cell(r, c)).collect(),
                vec![column_total(c)],
            ));
        }
        equations.push(((0..rows).map(row_total).collect(), vec![grand]));
        equations.push(((0..columns).map(column_total).collect(), vec![grand]));

        let bound = |objective: usize, direction| {
            let mut problem = Problem::new(direction);
            let vars: Vec<_> = entries
                .iter()
                .enumerate()
                .map(|(i, (_, s))| {
                    let weight = if i == objective { 1.0 } else { 0.0 };
                    let range = match *s {
                        Seen::Count(n) => (n as f64, n as f64),
                        Seen::Small => (1.0, (suppress::THRESHOLD - 1) as f64),
                        Seen::Complementary => (suppress::THRESHOLD as f64, f64::INFINITY),
                    };
                    problem.add_var(weight, range)
                })
                .collect();
            for (plus, minus) in &equations {
                let terms: Vec<_> = plus
                    .iter()
                    .map(|&i| (vars[i], 1.0))
                    .chain(minus.iter().map(|&i| (vars[i], -1.0)))
                    .collect();
                problem.add_constraint(&terms[..], ComparisonOp::Eq, 0.0);
            }
            match problem.solve() {
                Ok(solution) => Some(solution.objective()),
                Err(minilp::Error::Unbounded) => None,
                Err(e) => panic!("the published table is inconsistent: {e}"),
            }
        };
        entries
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| !matches!(s, Seen::Count(_)))
            .filter_map(|(i, (name, _))| {
                let low = bound(i, OptimizationDirection::Minimize);
                let high = bound(i, OptimizationDirection::Maximize);
                match (low, high) {
                    (Some(l), Some(h)) if h - l < 0.5 => Some(format!("{name} = {l}")),
                    _ => None,
                }
            })
            .collect()
    }
}

/// A deterministic stream of numbers (SplitMix64), so a failure can be replayed.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn no_withheld_count_of_a_generated_table_can_be_recovered() {
    let mut stream = Stream(18);
    for table in 0..1_530 {
        // Many small tables, then a few the size of a province's regencies.
        let rows = if table < 1_500 {
            1 + stream.below(8) as usize
        } else {
            30
        };
        let columns = 1 + stream.below(6) as usize;
        // Mostly zeros and small counts, some large: the tables that are hard to protect.
        let counts: Vec<Vec<u64>> = (0..rows)
            .map(|_| {
                (0..columns)
                    .map(|_| match stream.below(10) {
                        0..=2 => 0,
                        3..=6 => 1 + stream.below(4),
                        7 | 8 => 5 + stream.below(20),
                        _ => 25 + stream.below(500),
                    })
                    .collect()
            })
            .collect();
        let published = Published::from_marks(&counts, columns);
        assert_eq!(
            published.small_counts_shown(),
            Vec::<u64>::new(),
            "table {table}: {counts:?}"
        );
        assert_eq!(
            published.recoverable(),
            Vec::<String>::new(),
            "table {table}: {counts:?} published as {published:?}"
        );
    }
}

/// The demo's records on a fresh database, served.
async fn demo_app(backend: Backend) -> TestApp {
    let db = TestDb::new(backend);
    sinergi::demo::seed_with_records(&mut db.connect()).expect("seed the demo records");
    crate::common::spawn_with(db, |_| {}).await
}

/// Strings of 16 digits anywhere in a body: what a NIK or KK would look like.
fn sixteen_digits(body: &Value) -> bool {
    let text = body.to_string();
    text.as_bytes()
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() == 16)
}

both_backends! {
    async fn every_published_table_withholds_small_counts_beyond_recovery(backend: Backend) {
        let app = demo_app(backend).await;
        let token = app.token(COORDINATOR, None).await;
        let mut withheld = 0;
        for table in TABLES {
            for by in GROUPINGS {
                for filter in ["", "&program=PKH&region=32&from=2025-01&to=2025-12"] {
                    let path = format!("/v1/stats/{table}?by={by}{filter}");
                    let a = get(&app, &token, &path).await;
                    assert_eq!(a.status, 200, "{path}: {}", a.body);
                    assert!(!sixteen_digits(&a.body), "{path} shows a NIK-like number");
                    let columns = a.body["columns"].as_array().unwrap().len();
                    for row in a.body["rows"].as_array().unwrap() {
                        assert_eq!(row["cells"].as_array().unwrap().len(), columns, "{path}");
                    }
                    let published = Published::from_json(&a.body);
                    assert_eq!(published.small_counts_shown(), Vec::<u64>::new(), "{path}");
                    assert_eq!(published.recoverable(), Vec::<String>::new(), "{path}: {}", a.body);
                    withheld += published
                        .cells
                        .iter()
                        .flatten()
                        .filter(|s| !matches!(s, Seen::Count(_)))
                        .count();
                }
            }
        }
        // The regency tables of the demo data have small cells: the attack had work to do.
        assert!(withheld > 0, "no table withheld anything");
    }

    async fn the_tables_count_what_the_exchange_holds(backend: Backend) {
        let app = demo_app(backend).await;
        let token = app.token(COORDINATOR, None).await;
        let loaded = sinergi::demo::records::DEMO_GRADUATIONS as u64;
        let a = get(&app, &token, "/v1/stats/graduations?by=program").await;
        assert_eq!(a.body["totals"]["total"]["count"], loaded, "{}", a.body);
        let codes: Vec<&str> = a.body["rows"].as_array().unwrap().iter()
            .map(|r| r["key"].as_str().unwrap()).collect();
        assert_eq!(codes, ["PKH", "SEMBAKO"]);
        assert_eq!(a.body["rows"][0]["name"], "Program Keluarga Harapan");

        // The conversion table partitions the same graduations; its shares are the
        // published counts divided, never more.
        let c = get(&app, &token, "/v1/stats/conversion?by=province").await;
        assert_eq!(c.body["totals"]["total"]["count"], loaded);
        let enrolled: u64 = c.body["totals"]["cells"].as_array().unwrap()[..4].iter()
            .map(|cell| cell["count"].as_u64().unwrap()).sum();
        let e = get(&app, &token, "/v1/stats/enrollments?by=month").await;
        let enrollments = e.body["totals"]["total"]["count"].as_u64().unwrap();
        // Every demo enrollment names its graduation; a family may enrol more than once.
        assert!(enrolled > 0 && enrolled <= enrollments, "{enrolled} of {enrollments}");
        let totals = &c.body["totals"];
        let within_30 = totals["cells"][0]["count"].as_f64().unwrap()
            / totals["total"]["count"].as_f64().unwrap();
        let shown = totals["conversion"]["within_30_days"].as_f64();
        if let Some(shown) = shown {
            assert!((shown - within_30).abs() < 1e-4, "{shown} against {within_30}");
        }
        for row in c.body["rows"].as_array().unwrap() {
            assert_eq!(row["key"].as_str().unwrap().len(), 2, "provinces: {row}");
            assert!(row["name"].as_str().unwrap().chars().all(|ch| !ch.is_ascii_digit()));
        }
        let other = get(&app, &token, "/v1/stats/graduations?by=month").await;
        assert!(other.body.get("rows").is_some() && other.body["rows"][0].get("conversion").is_none());
    }

    async fn statistics_need_their_scope_and_name_the_parameter_they_refuse(backend: Backend) {
        let app = crate::common::spawn_app(backend).await;
        let token = app.token(COORDINATOR, None).await;

        let anonymous = crate::common::problem::problem(
            app.get_anonymous("/v1/stats/graduations").await, 401).await;
        assert_problem(&anonymous, 401, "no token");
        let publisher = app.token("demo-kemensos", None).await;
        let a = get(&app, &publisher, "/v1/stats/graduations").await;
        assert_problem(&a, 403, "a publisher's client without stats:read");

        let nik = "3201012501900001";
        let cases = [
            (format!("by={nik}"), "#/query/by"),
            (format!("from={nik}"), "#/query/from"),
            ("from=2026-13".to_owned(), "#/query/from"),
            ("from=2026-05&to=2026-04".to_owned(), "#/query/to"),
            ("program=NOPE".to_owned(), "#/query/program"),
            ("agency=NOPE".to_owned(), "#/query/agency"),
            ("region=99".to_owned(), "#/query/region"),
            (format!("{nik}=1"), "#/query"),
        ];
        for (query, pointer) in cases {
            let a = get(&app, &token, &format!("/v1/stats/conversion?{query}")).await;
            assert_invalid(&a, &[pointer], &query);
            assert!(!a.body.to_string().contains(nik), "{query} echoed: {}", a.body);
        }
        let a = get(&app, &token, &format!("/v1/stats/{nik}")).await;
        assert_problem(&a, 404, "an unknown table");
        assert!(!a.body.to_string().contains(nik));

        // An empty exchange answers empty tables, margins published as zeros.
        let a = get(&app, &token, "/v1/stats/referrals?by=agency").await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.body["rows"], serde_json::json!([]));
        assert_eq!(a.body["totals"]["total"]["count"], 0);
        assert_eq!(a.body["columns"].as_array().unwrap().len(), 7);
    }
}
