//! Charts of statistics tables, drawn on the server as SVG (no script, nothing loaded), with
//! the table behind each one a click away. Withheld counts are never drawn as numbers: a
//! row's withheld share is one grey segment, and a row whose total is withheld has no bar.

use std::fmt::Write;

use super::html::{Lang, esc, number, percent};
use crate::stats::table::{Cell, Row, StatsTable, Suppressed};

/// Colours of the columns, in order: a palette that stays apart for the common colour
/// vision deficiencies (Okabe and Ito), each with contrast against white for its label.
const COLOURS: [&str; 6] = [
    "#0072B2", "#009E73", "#56B4E9", "#CC79A7", "#E69F00", "#D55E00",
];
const WITHHELD: &str = "#9a9a9a";

const WIDTH: u32 = 720;
const LABEL: u32 = 170;
const TOTAL: u32 = 70;
const BAR_HEIGHT: u32 = 18;
const GAP: u32 = 6;

/// A cell as the tables write it: the count, or why there is none.
pub fn cell_text(lang: Lang, cell: &Cell) -> String {
    match (cell.count, cell.suppressed) {
        (Some(n), _) => number(lang, n),
        (None, Some(Suppressed::Small)) => "<5".to_owned(),
        (None, _) => "×".to_owned(),
    }
}

/// One chart: a bar per row, each split into its columns' shares of the row total.
pub fn stacked(lang: Lang, id: &str, caption: &str, table: &StatsTable) -> String {
    let bars = WIDTH - LABEL - TOTAL;
    let height = (BAR_HEIGHT + GAP) * table.rows.len() as u32 + GAP;
    let mut svg = format!(
        r#"<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-caption" focusable="false">"#
    );
    for (i, row) in table.rows.iter().enumerate() {
        let y = GAP + i as u32 * (BAR_HEIGHT + GAP);
        let text_y = y + BAR_HEIGHT - 4;
        let _ = write!(
            svg,
            r##"<text x="{x}" y="{text_y}" text-anchor="end" font-size="12" fill="#1a1a1a">{name}</text>"##,
            x = LABEL - 8,
            name = esc(&short(&row.name)),
        );
        let _ = write!(
            svg,
            r##"<text x="{WIDTH}" y="{text_y}" text-anchor="end" font-size="12" fill="#1a1a1a">{total}</text>"##,
            total = esc(&cell_text(lang, &row.total)),
        );
        let Some(total) = row.total.count.filter(|n| *n > 0) else {
            continue;
        };
        let mut x = f64::from(LABEL);
        let mut drawn = 0;
        for (column, cell) in row.cells.iter().enumerate() {
            let Some(n) = cell.count.filter(|n| *n > 0) else {
                continue;
            };
            let w = f64::from(bars) * n as f64 / total as f64;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{BAR_HEIGHT}" fill="{}"><title>{}</title></rect>"#,
                COLOURS[column % COLOURS.len()],
                esc(&format!(
                    "{}: {}",
                    lang.t(table.columns[column].name_id, table.columns[column].name_en),
                    number(lang, n)
                )),
            );
            x += w;
            drawn += n;
        }
        if drawn < total {
            let w = f64::from(bars) * (total - drawn) as f64 / total as f64;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{BAR_HEIGHT}" fill="{WITHHELD}"><title>{}</title></rect>"#,
                esc(lang.t("Disembunyikan (sel kecil)", "Withheld (small cells)")),
            );
        }
    }
    svg.push_str("</svg>");
    let mut legend = String::from(r#"<ul class="legend">"#);
    for (i, column) in table.columns.iter().enumerate() {
        let _ = write!(
            legend,
            r#"<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{}"/></svg>{}</li>"#,
            COLOURS[i % COLOURS.len()],
            esc(lang.t(column.name_id, column.name_en)),
        );
    }
    let _ = write!(
        legend,
        r#"<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{WITHHELD}"/></svg>{}</li></ul>"#,
        lang.t("Disembunyikan", "Withheld"),
    );
    format!(
        r#"<figure class="chart" id="{id}">
<figcaption id="{id}-caption">{caption}</figcaption>
{svg}
{legend}
<details>
<summary>{show}</summary>
{numbers}
</details>
</figure>"#,
        caption = esc(caption),
        show = lang.t(
            "Lihat angka di balik grafik ini",
            "Show the numbers behind this chart"
        ),
        numbers = numbers(lang, id, table),
    )
}

/// The table behind a chart: every cell as the API publishes it. Each cell names its row
/// and column (`data-row`, `data-column`), so that the browser tests compare it with the
/// API's answer.
pub fn numbers(lang: Lang, id: &str, table: &StatsTable) -> String {
    let mut out = format!(
        r#"<div class="scroll"><table class="numbers" data-table="{}" data-by="{}" id="{id}-numbers"><thead><tr><th scope="col">{}</th>"#,
        table_name(table),
        by_name(table),
        lang.t("Baris", "Row"),
    );
    for column in &table.columns {
        let _ = write!(
            out,
            r#"<th scope="col">{}</th>"#,
            esc(lang.t(column.name_id, column.name_en))
        );
    }
    let _ = write!(out, r#"<th scope="col">{}</th>"#, lang.t("Jumlah", "Total"));
    let conversion = table.totals.conversion.is_some();
    if conversion {
        let _ = write!(
            out,
            r#"<th scope="col">{}</th><th scope="col">{}</th>"#,
            lang.t("≤ 90 hari", "≤ 90 days"),
            lang.t("Median hari", "Median days"),
        );
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str(&line(lang, table, &row.key, &row.name, row));
    }
    out.push_str("</tbody><tfoot>");
    let totals = Row {
        key: "total".into(),
        name: lang.t("Jumlah", "Total").into(),
        cells: table.totals.cells.clone(),
        total: table.totals.total,
        conversion: None,
    };
    let mut total_line = line(lang, table, "total", &totals.name, &totals);
    if let Some(c) = &table.totals.conversion {
        total_line = total_line.replace(
            "</tr>",
            &format!(
                r#"<td data-column="within-90">{}</td><td data-column="median">{}</td></tr>"#,
                share(lang, c.within_90_days),
                median(lang, c.median_days_to_enroll)
            ),
        );
    }
    out.push_str(&total_line);
    let _ = write!(
        out,
        r#"</tfoot></table></div><p class="help">{}</p>"#,
        lang.t(
            "<5: kurang dari 5 keluarga, disembunyikan. ×: disembunyikan agar sel kecil tidak dapat dihitung dari jumlahnya.",
            "<5: fewer than 5 families, withheld. ×: withheld so that a small cell cannot be computed from the totals.",
        ),
    );
    out
}

fn line(lang: Lang, table: &StatsTable, key: &str, name: &str, row: &Row) -> String {
    let mut out = format!(r#"<tr><th scope="row">{}</th>"#, esc(name));
    for (column, cell) in table.columns.iter().zip(&row.cells) {
        let _ = write!(
            out,
            r#"<td data-row="{}" data-column="{}">{}</td>"#,
            esc(key),
            column.code,
            esc(&cell_text(lang, cell)),
        );
    }
    let _ = write!(
        out,
        r#"<td data-row="{}" data-column="total">{}</td>"#,
        esc(key),
        esc(&cell_text(lang, &row.total)),
    );
    if let Some(c) = &row.conversion {
        let _ = write!(
            out,
            r#"<td data-column="within-90">{}</td><td data-column="median">{}</td>"#,
            share(lang, c.within_90_days),
            median(lang, c.median_days_to_enroll)
        );
    }
    out.push_str("</tr>");
    out
}

pub fn share(lang: Lang, share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| percent(lang, s))
}

fn median(lang: Lang, days: Option<f64>) -> String {
    days.map_or_else(
        || "–".to_owned(),
        |d| match lang {
            Lang::Id => format!("{d:.1}").replace('.', ","),
            Lang::En => format!("{d:.1}"),
        },
    )
}

fn table_name(table: &StatsTable) -> String {
    serde_json::to_value(table.table)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn by_name(table: &StatsTable) -> String {
    serde_json::to_value(table.by)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A row label that fits beside the bars.
fn short(name: &str) -> String {
    const MAX: usize = 24;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}
