//! Small-cell suppression of a two-way table of counts with its margins.
//!
//! **Primary suppression.** Every count from 1 to [`THRESHOLD`]` - 1` is withheld, whether
//! a cell, a row or column total or the grand total. Zeros are published: they describe no
//! family.
//!
//! **Secondary (complementary) suppression.** A withheld count must not follow from the
//! published ones. The attacker we defend against knows every published count, that each
//! line adds up to its total, that a small count lies in 1–4 and that a complementary one
//! is at least 5 (the table says which is which, so we assume nothing hidden).
//!
//! Write the table with its totals negated, as an `(m+1)×(n+1)` array `y` whose every row
//! and column sums to zero. Tables consistent with what the attacker knows differ from the
//! true one by a circulation on the bipartite graph of rows and columns, over withheld
//! entries only, within their bounds. Such a difference decomposes into simple cycles each
//! of which is feasible on its own, so a withheld entry can take another value if and only
//! if one cycle through it is feasible: a path in the residual graph (row `r` → column `c`
//! where `y[r][c]` may grow, `c` → `r` where it may shrink). Because this constraint matrix
//! is totally unimodular, "another value" means another integer, and that is what we check
//! for every withheld entry. While some entry is pinned, the smallest published non-zero
//! count in its row or column is withheld as well (zeros are never chosen: a complementary
//! count is declared to be at least 5), and failing that the smallest anywhere.
//!
//! `tests/api/stats.rs` checks the result independently, by linear programming over what a
//! published table shows.

/// Counts below this are never published.
pub const THRESHOLD: u64 = 5;

/// How one count of a table is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Published,
    /// Withheld because it is between 1 and `THRESHOLD - 1`.
    Small,
    /// Withheld so that a small count cannot be computed from the others.
    Complementary,
}

/// The marks of a table: `cells[row][column]`, then the margins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marks {
    pub cells: Vec<Vec<Mark>>,
    pub row_totals: Vec<Mark>,
    pub column_totals: Vec<Mark>,
    pub total: Mark,
}

/// The table extended with its negated margins (see the module's documentation).
struct Extended {
    rows: usize,
    columns: usize,
    /// Row-major, `(rows + 1) × (columns + 1)`.
    values: Vec<i64>,
    marks: Vec<Mark>,
}

impl Extended {
    fn new(cells: &[Vec<u64>], columns: usize) -> Self {
        let rows = cells.len();
        let width = columns + 1;
        let mut values = vec![0i64; (rows + 1) * width];
        for (r, row) in cells.iter().enumerate() {
            assert_eq!(row.len(), columns, "every row has one count per column");
            for (c, &count) in row.iter().enumerate() {
                let count = i64::try_from(count).expect("counts fit in i64");
                values[r * width + c] = count;
                values[r * width + columns] -= count;
                values[rows * width + c] -= count;
                values[rows * width + columns] += count;
            }
        }
        let marks = values
            .iter()
            .map(|v| match v.unsigned_abs() {
                n if n > 0 && n < THRESHOLD => Mark::Small,
                _ => Mark::Published,
            })
            .collect();
        Extended {
            rows,
            columns,
            values,
            marks,
        }
    }

    fn width(&self) -> usize {
        self.columns + 1
    }

    /// Whether entry `i` may grow (`up`) or shrink without leaving its declared bounds.
    fn may_move(&self, i: usize, up: bool) -> bool {
        let v = self.values[i];
        // Margins are negated, so growing the entry shrinks the count it stands for.
        let count_grows = up == (v >= 0);
        let count = v.unsigned_abs();
        match (self.marks[i], count_grows) {
            (Mark::Published, _) => false,
            (Mark::Small, true) => count < THRESHOLD - 1,
            (Mark::Small, false) => count > 1,
            (Mark::Complementary, true) => true,
            (Mark::Complementary, false) => count > THRESHOLD,
        }
    }

    /// Whether withheld entry `(r, c)` can take another value in a table consistent with
    /// everything published.
    fn can_vary(&self, r: usize, c: usize) -> bool {
        let i = r * self.width() + c;
        // Growing it: back from column c to row r along the residual graph; shrinking it:
        // from row r to column c. The entry's own arc is the trivial cycle and not used.
        (self.may_move(i, true) && self.reaches(Node::Column(c), Node::Row(r), i))
            || (self.may_move(i, false) && self.reaches(Node::Row(r), Node::Column(c), i))
    }

    fn reaches(&self, from: Node, to: Node, skip: usize) -> bool {
        let (rows, width) = (self.rows + 1, self.width());
        let mut seen_rows = vec![false; rows];
        let mut seen_columns = vec![false; width];
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            match node {
                Node::Row(r) => {
                    if std::mem::replace(&mut seen_rows[r], true) {
                        continue;
                    }
                    // Row → column where the entry may grow.
                    for (c, _) in seen_columns.iter().enumerate().filter(|(_, s)| !**s) {
                        let i = r * width + c;
                        if i != skip && self.may_move(i, true) {
                            stack.push(Node::Column(c));
                        }
                    }
                }
                Node::Column(c) => {
                    if std::mem::replace(&mut seen_columns[c], true) {
                        continue;
                    }
                    for (r, _) in seen_rows.iter().enumerate().filter(|(_, s)| !**s) {
                        let i = r * width + c;
                        if i != skip && self.may_move(i, false) {
                            stack.push(Node::Row(r));
                        }
                    }
                }
            }
        }
        false
    }

    /// The published entry to withhold next so that `(r, c)` may vary: the smallest
    /// non-zero count in its row or column, else the smallest anywhere.
    fn complement_for(&self, r: usize, c: usize) -> Option<usize> {
        let width = self.width();
        let candidate = |i: &usize| self.marks[*i] == Mark::Published && self.values[*i] != 0;
        let smallest = |it: &mut dyn Iterator<Item = usize>| {
            it.filter(candidate)
                .min_by_key(|&i| (self.values[i].unsigned_abs(), i))
        };
        let line = (0..width)
            .map(|c2| r * width + c2)
            .chain((0..=self.rows).map(|r2| r2 * width + c));
        smallest(&mut line.into_iter()).or_else(|| smallest(&mut (0..self.values.len())))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Row(usize),
    Column(usize),
}

/// Decides which counts of `cells` (rows of `columns` counts each) and of its margins are
/// published.
pub fn suppress(cells: &[Vec<u64>], columns: usize) -> Marks {
    let mut table = Extended::new(cells, columns);
    let width = table.width();
    // Passes over the withheld entries until none is pinned; an entry found pinned gets one
    // complement at once and is looked at again in the next pass.
    loop {
        let mut added = false;
        for i in 0..table.values.len() {
            if table.marks[i] == Mark::Published || table.can_vary(i / width, i % width) {
                continue;
            }
            if let Some(j) = table.complement_for(i / width, i % width) {
                table.marks[j] = Mark::Complementary;
                added = true;
            }
        }
        // Nothing added: nothing is pinned, or every non-zero count is withheld already and
        // the table's zeros and bounds alone decide (no generated table reaches that).
        if !added {
            break;
        }
    }
    let mark = |r: usize, c: usize| table.marks[r * width + c];
    Marks {
        cells: (0..table.rows)
            .map(|r| (0..columns).map(|c| mark(r, c)).collect())
            .collect(),
        row_totals: (0..table.rows).map(|r| mark(r, columns)).collect(),
        column_totals: (0..columns).map(|c| mark(table.rows, c)).collect(),
        total: mark(table.rows, columns),
    }
}

#[cfg(test)]
mod tests;
