//! A published statistics table, as the API answers it.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::suppress::Mark;
use super::{GroupBy, Measure};

/// A table of counts with its margins; small counts withheld (see the README's
/// "Aggregate statistics").
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsTable {
    pub table: Measure,
    /// What one count counts.
    #[schema(example = "graduations")]
    pub unit: &'static str,
    pub by: GroupBy,
    /// The day the table was computed: recent months can still change.
    pub as_of: NaiveDate,
    /// Counts from 1 to `threshold - 1` are withheld.
    #[schema(example = 5)]
    pub threshold: u64,
    /// The columns, in the order of every row's `cells`.
    pub columns: Vec<Column>,
    /// One row per month, program, agency or region with at least one unit, by `key`.
    pub rows: Vec<Row>,
    /// Each column's total and the grand total.
    pub totals: Totals,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StatsColumn)]
pub struct Column {
    #[schema(example = "enrolled_0_30")]
    pub code: &'static str,
    #[schema(example = "Terdaftar dalam 30 hari")]
    pub name_id: &'static str,
    #[schema(example = "Enrolled within 30 days")]
    pub name_en: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StatsRow)]
pub struct Row {
    /// `YYYY-MM`, a program or agency code, or a dotted province or regency code.
    #[schema(example = "32")]
    pub key: String,
    /// The program's, agency's or region's name (for a month, the key).
    #[schema(example = "Jawa Barat")]
    pub name: String,
    pub cells: Vec<Cell>,
    /// The row's total.
    pub total: Cell,
    /// In the conversion table only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion: Option<Conversion>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StatsTotals)]
pub struct Totals {
    pub cells: Vec<Cell>,
    pub total: Cell,
    /// In the conversion table only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion: Option<Conversion>,
}

/// One count: published (`count`), or withheld (`count` null, `suppressed` says why).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(as = StatsCell)]
pub struct Cell {
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
}

/// Why a count is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = StatsSuppression)]
#[serde(rename_all = "snake_case")]
pub enum Suppressed {
    /// Between 1 and `threshold - 1` (shown as "<5").
    Small,
    /// At least `threshold`, withheld so that no small count can be computed from the
    /// others.
    Complementary,
}

/// How a line's graduations were picked up. Shares are of the line's graduations, from 0
/// to 1; each is null where a count it needs is withheld, or while a graduation of the line
/// is younger than the window (it may still enroll).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StatsConversion)]
pub struct Conversion {
    #[schema(example = 0.42)]
    pub within_30_days: Option<f64>,
    pub within_90_days: Option<f64>,
    pub within_180_days: Option<f64>,
    /// Median days from `graduated_on` to the first enrollment, over the graduations that
    /// enrolled; null where an enrollment count is withheld or fewer than `threshold`
    /// enrolled.
    #[schema(example = 41.5)]
    pub median_days_to_enroll: Option<f64>,
}

/// A line's cells and total, with their marks applied.
pub struct Line {
    pub cells: Vec<Cell>,
    pub total: Cell,
}

impl Cell {
    fn new(count: u64, mark: Mark) -> Cell {
        match mark {
            Mark::Published => Cell {
                count: Some(count),
                suppressed: None,
            },
            Mark::Small => Cell {
                count: None,
                suppressed: Some(Suppressed::Small),
            },
            Mark::Complementary => Cell {
                count: None,
                suppressed: Some(Suppressed::Complementary),
            },
        }
    }
}

impl Line {
    pub fn new(counts: &[u64], marks: &[Mark], total: u64, total_mark: Mark) -> Line {
        Line {
            cells: counts
                .iter()
                .zip(marks)
                .map(|(&n, &m)| Cell::new(n, m))
                .collect(),
            total: Cell::new(total, total_mark),
        }
    }
}
