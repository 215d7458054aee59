use super::*;

use Mark::{Complementary as C, Published as P, Small as S};

#[test]
fn a_table_without_small_counts_is_published_whole() {
    let marks = suppress(&[vec![10, 0, 7], vec![5, 12, 0]], 3);
    assert!(marks.cells.iter().flatten().all(|&m| m == P));
    assert!(marks.row_totals.iter().all(|&m| m == P));
    assert!(marks.column_totals.iter().all(|&m| m == P));
    assert_eq!(marks.total, P);
}

#[test]
fn a_small_cell_is_hidden_with_a_rectangle_of_complements() {
    // 3 is small; alone it follows from its row total (20 - 17), so a second cell of its
    // row and one of its column go too, and the fourth corner closes the rectangle.
    let marks = suppress(&[vec![3, 17, 40], vec![25, 30, 50]], 3);
    assert_eq!(marks.cells, vec![vec![S, C, P], vec![C, C, P]]);
    assert!(marks.row_totals.iter().all(|&m| m == P));
    assert_eq!(marks.total, P);
}

#[test]
fn a_small_row_total_hides_its_row_and_a_complementary_row() {
    // Row 0 adds up to 4: its total and its one non-zero cell are small. The column total
    // would give the cell away, so another row's count in that column, and that row's
    // total or another of its cells, are withheld too.
    let marks = suppress(&[vec![4, 0], vec![9, 30], vec![12, 8]], 2);
    assert_eq!(marks.cells[0], vec![S, P]);
    assert_eq!(marks.row_totals[0], S);
    let withheld = marks
        .cells
        .iter()
        .flatten()
        .chain(&marks.row_totals)
        .filter(|&&m| m == C)
        .count();
    assert!(withheld >= 2, "{marks:?}");
}

#[test]
fn a_lone_count_cannot_be_recovered_when_every_entry_holds_it() {
    // One family in the whole table: cell, row, column and grand total all say 1, and each
    // may as well be 2, 3 or 4.
    let marks = suppress(&[vec![0, 1]], 2);
    assert_eq!(marks.cells, vec![vec![P, S]]);
    assert_eq!(marks.row_totals, vec![S]);
    assert_eq!(marks.column_totals, vec![P, S]);
    assert_eq!(marks.total, S);
}

#[test]
fn two_small_cells_that_would_pin_each_other_get_more_complements() {
    // 4 and 1 on a rectangle's diagonal: moving the rectangle up is blocked by 4 (at most
    // 4), down by 1 (at least 1), so a rectangle alone pins both; more goes.
    let marks = suppress(&[vec![4, 20, 30], vec![20, 1, 30], vec![30, 30, 30]], 3);
    let table = Extended::new(&[vec![4, 20, 30], vec![20, 1, 30], vec![30, 30, 30]], 3);
    let mut checked = table;
    let width = checked.width();
    for (r, row) in marks.cells.iter().enumerate() {
        for (c, &m) in row.iter().enumerate() {
            checked.marks[r * width + c] = m;
        }
    }
    for (r, &m) in marks.row_totals.iter().enumerate() {
        checked.marks[r * width + 3] = m;
    }
    for (c, &m) in marks.column_totals.iter().enumerate() {
        checked.marks[3 * width + c] = m;
    }
    checked.marks[3 * width + 3] = marks.total;
    for r in 0..4 {
        for c in 0..4 {
            if checked.marks[r * width + c] != P {
                assert!(
                    checked
                        .cheapest_either_way(r, c)
                        .is_some_and(|(cost, _)| cost == 0),
                    "({r}, {c}) is pinned: {marks:?}"
                );
            }
        }
    }
}

#[test]
fn an_empty_table_has_nothing_to_hide() {
    let marks = suppress(&[], 4);
    assert!(marks.cells.is_empty());
    assert_eq!(marks.column_totals, vec![P; 4]);
    assert_eq!(marks.total, P);
}
