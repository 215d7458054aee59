//! Small-cell suppression of a two-way table of counts with its margins.
//!
//! **Primary suppression.** Every count from 1 to [`THRESHOLD`]` - 1` is withheld, whether
//! a cell, a row or column total or the grand total. Zeros are published: they describe no
//! family.
//!
//! **Secondary (complementary) suppression.** No withheld count may follow from the
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
//! for every withheld count. One search answers both questions: Dijkstra's algorithm over
//! the rows and columns, where withheld entries cost nothing and a published count costs
//! what withholding it would. A cycle of cost 0 means the count already varies; otherwise
//! we withhold the published counts of the cheapest path that closes one (least total count withheld, a total weighing ten
//! times a cell and the grand total a hundred: the shortest-path heuristic of the
//! cell-suppression literature);
//! zeros are never chosen, as a complementary count is declared to be at least 5. The
//! complements found for the small counts lie on those counts' cycles, so in practice they
//! need no further ones.
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

    /// The cheapest cycle through withheld entry `(r, c)`, in either direction it may move:
    /// cost 0 means it can already take another value in a table consistent with
    /// everything published; `None` means no cycle can free it.
    fn cheapest_either_way(&self, r: usize, c: usize) -> Option<(u64, Vec<usize>)> {
        let i = r * self.width() + c;
        [true, false]
            .into_iter()
            .filter(|&up| self.may_move(i, up))
            .filter_map(|up| self.cheapest_cycle(r, c, up))
            .min_by_key(|(cost, _)| *cost)
    }

    /// Whether entry `i` could move `up` (or down) once withheld as a complement, and
    /// what withholding it costs (its count). `None` for a zero, which is never withheld.
    fn as_complement(&self, i: usize, up: bool) -> Option<u64> {
        let v = self.values[i];
        let count = v.unsigned_abs();
        let count_grows = up == (v >= 0);
        (count > 0 && (count_grows || count > THRESHOLD)).then_some(count)
    }

    /// How dear withholding an entry is per unit of its count: totals are what most readers
    /// read, so a cell is withheld before a row or column total, and those before the grand
    /// total.
    fn weight(&self, i: usize) -> u64 {
        let (r, c) = (i / self.width(), i % self.width());
        match (r == self.rows, c == self.columns) {
            (false, false) => 1,
            (true, true) => 100,
            _ => 10,
        }
    }

    /// The cheapest set of published counts whose withholding lets withheld entry `(r, c)`
    /// move `up` (or down): the least total count on a path closing a cycle through it, over
    /// withheld entries (free) and published non-zero ones (their count), each able to move
    /// the way the cycle needs. Dijkstra over the rows and columns; `None` if no such cycle.
    fn cheapest_cycle(&self, r: usize, c: usize, up: bool) -> Option<(u64, Vec<usize>)> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;

        let (rows, width) = (self.rows + 1, self.width());
        let skip = r * width + c;
        // Nodes: rows 0..rows, then columns. Growing (r, c) needs a path column c → row r;
        // shrinking it, row r → column c.
        let (from, to) = if up { (rows + c, r) } else { (r, rows + c) };
        let mut cost = vec![u64::MAX; rows + width];
        let mut via: Vec<Option<(usize, usize)>> = vec![None; rows + width];
        let mut heap = BinaryHeap::from([Reverse((0u64, from))]);
        cost[from] = 0;
        while let Some(Reverse((d, node))) = heap.pop() {
            if node == to {
                let mut withheld = Vec::new();
                let mut at = to;
                while let Some((previous, entry)) = via[at] {
                    if self.marks[entry] == Mark::Published {
                        withheld.push(entry);
                    }
                    at = previous;
                }
                return Some((d, withheld));
            }
            if d > cost[node] {
                continue;
            }
            // From a row the path grows an entry of it; from a column it shrinks one.
            let arcs: Vec<(usize, usize, bool)> = if node < rows {
                (0..width)
                    .map(|c2| (node * width + c2, rows + c2, true))
                    .collect()
            } else {
                let c2 = node - rows;
                (0..rows).map(|r2| (r2 * width + c2, r2, false)).collect()
            };
            for (entry, next, grows) in arcs {
                if entry == skip {
                    continue;
                }
                let step = match self.marks[entry] {
                    Mark::Published => match self.as_complement(entry, grows) {
                        Some(count) => count * self.weight(entry),
                        None => continue,
                    },
                    _ if self.may_move(entry, grows) => 0,
                    _ => continue,
                };
                let through = d + step;
                if through < cost[next] {
                    cost[next] = through;
                    via[next] = Some((node, entry));
                    heap.push(Reverse((through, next)));
                }
            }
        }
        None
    }
}

/// Decides which counts of `cells` (rows of `columns` counts each) and of its margins are
/// published.
pub fn suppress(cells: &[Vec<u64>], columns: usize) -> Marks {
    let mut table = Extended::new(cells, columns);
    let width = table.width();
    // Protect each withheld count in turn: if the published counts pin it, withhold the
    // cheapest set of counts that closes a cycle through it. Withholding more never pins
    // anything, so a pass that adds nothing ends it (as does a count that no cycle can
    // free, which is left as it is: no generated table has one).
    loop {
        let mut added = false;
        for i in 0..table.values.len() {
            if table.marks[i] == Mark::Published {
                continue;
            }
            if let Some((cost, withheld)) = table.cheapest_either_way(i / width, i % width)
                && cost > 0
            {
                for j in withheld {
                    table.marks[j] = Mark::Complementary;
                    added = true;
                }
            }
        }
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
