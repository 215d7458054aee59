//! *Ringkasan* (coordinators): are graduated families picked up? The conversion funnel
//! graduated → referred or enrolled → enrolled, over time and by province, and the families
//! that fell back into social assistance. Every figure is a statistics table the API
//! publishes (`GET /v1/stats/...`), built by the same code with the same suppression.

use std::fmt::Write;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{page, require};
use crate::console::accounts::Role;
use crate::console::charts::{self, cell_text};
use crate::console::error::ConsoleError;
use crate::console::html::{Frame, Lang, esc, number};
use crate::console::session::Session;
use crate::db::programs::ProgramFilter;
use crate::db::{self, AnyConnection, DbError};
use crate::http::state::AppState;
use crate::stats::table::{Cell, StatsTable};
use crate::stats::{self, GroupBy, Measure, Request};

#[derive(Debug, Default, Deserialize)]
struct Filters {
    #[serde(default)]
    program: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// A filter's value, if one was chosen.
fn chosen(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

const BAD_MONTH: ConsoleError = ConsoleError::Invalid {
    id: "Periode harus berupa bulan (TTTT-BB), dan akhirnya tidak sebelum awalnya.",
    en: "The period must be months (YYYY-MM), its end not before its start.",
};

impl Filters {
    fn request(&self, measure: Measure, by: GroupBy) -> Result<Request, ConsoleError> {
        let month = |text: &str| -> Result<Option<NaiveDate>, ConsoleError> {
            chosen(text)
                .map(|t| stats::parse_month(&t).ok_or(BAD_MONTH))
                .transpose()
        };
        let (from, to) = (month(&self.from)?, month(&self.to)?);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(BAD_MONTH);
        }
        Ok(Request {
            measure,
            by,
            program: chosen(&self.program),
            agency: chosen(&self.agency),
            region: chosen(&self.region),
            from,
            to,
        })
    }
}

/// What the filter form offers.
struct Choices {
    programs: Vec<(String, String)>,
    agencies: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
}

fn choices(conn: &mut AnyConnection) -> Result<Choices, DbError> {
    Ok(Choices {
        programs: db::programs::list(conn, &ProgramFilter::default())?
            .into_iter()
            .map(|p| (p.code.to_string(), p.name))
            .collect(),
        agencies: db::agencies::list(conn)?
            .into_iter()
            .map(|a| (a.code.to_string(), a.name))
            .collect(),
        provinces: db::regions::provinces(conn)?,
    })
}

/// `GET /console/ringkasan`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &[Role::Coordinator])?;
    let lang = Lang::of(&req);
    let filters: Filters =
        serde_urlencoded::from_str(req.query_string()).map_err(|_| ConsoleError::Invalid {
            id: "Filter tidak dapat dibaca.",
            en: "The filters cannot be read.",
        })?;
    let requests = [
        filters.request(Measure::Conversion, GroupBy::Month)?,
        filters.request(Measure::Conversion, GroupBy::Province)?,
        filters.request(Measure::FollowUp, GroupBy::Month)?,
    ];
    let today = chrono::Utc::now().date_naive();
    let (choices, tables) = state
        .db
        .run(move |conn| {
            if let Some(unknown) = stats::unknown_filter(conn, &requests[0])? {
                return Ok(Err(unknown));
            }
            let tables = requests
                .iter()
                .map(|r| stats::build(conn, r, today))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, DbError>(Ok((choices(conn)?, tables)))
        })
        .await?
        .map_err(|_| ConsoleError::Invalid {
            id: "Filter menyebut program, instansi, atau wilayah yang tidak ada.",
            en: "A filter names a program, agency or region that does not exist.",
        })?;
    let [by_month, by_province, follow_up] =
        <[StatsTable; 3]>::try_from(tables).expect("three tables asked for");
    let mut body = filter_form(lang, &filters, &choices);
    body.push_str(&funnel(lang, &by_month));
    body.push_str(&charts::stacked(
        lang,
        "per-bulan",
        lang.t(
            "Apa yang terjadi pada keluarga yang lulus, menurut bulan graduasi",
            "What followed graduation, by month of graduating",
        ),
        &by_month,
    ));
    body.push_str(&charts::stacked(
        lang,
        "per-provinsi",
        lang.t(
            "Apa yang terjadi pada keluarga yang lulus, menurut provinsi",
            "What followed graduation, by province",
        ),
        &by_province,
    ));
    body.push_str(&charts::stacked(
        lang,
        "tindak-lanjut",
        lang.t(
            "Sinyal tindak lanjut: belum dirujuk, kembali ke bansos, rujukan terlambat",
            "Follow-up signals: not referred, back in social assistance, referral overdue",
        ),
        &follow_up,
    ));
    let _ = write!(
        body,
        r#"<p class="help">{}</p>"#,
        lang.t(
            "Angka diambil dari API statistik (/v1/stats) dengan filter yang sama. Sel di bawah 5 keluarga disembunyikan, beserta sel pelengkap agar tidak dapat dihitung kembali (metode di README).",
            "Figures come from the statistics API (/v1/stats) with the same filters. Cells below 5 families are withheld, with complementary cells so that they cannot be computed back (method in README).",
        )
    );
    let query = req.query_string().to_owned();
    Ok(page(
        Frame {
            lang,
            session: Some(&session),
            path: "/console/ringkasan",
            query: &query,
            title: lang.t(
                "Ringkasan konversi graduasi",
                "Graduation conversion summary",
            ),
            scripts: &[],
        }
        .render(&body),
    ))
}

fn select(
    lang: Lang,
    name: &str,
    label: &str,
    options: &[(String, String)],
    chosen: &str,
) -> String {
    let mut out = format!(
        r#"<div><label for="f-{name}">{label}</label><select id="f-{name}" name="{name}"><option value="">{all}</option>"#,
        all = lang.t("Semua", "All"),
    );
    for (code, text) in options {
        let selected = if code == chosen { " selected" } else { "" };
        let _ = write!(
            out,
            r#"<option value="{code}"{selected}>{text}</option>"#,
            code = esc(code),
            text = esc(text),
        );
    }
    out.push_str("</select></div>");
    out
}

fn filter_form(lang: Lang, filters: &Filters, choices: &Choices) -> String {
    let mut out = format!(
        r#"<form method="get" action="/console/ringkasan" class="filters" aria-label="{}">{}"#,
        lang.t("Filter", "Filters"),
        lang.field()
    );
    out.push_str(&select(
        lang,
        "program",
        lang.t("Program", "Program"),
        &choices.programs,
        &filters.program,
    ));
    out.push_str(&select(
        lang,
        "agency",
        lang.t("Instansi", "Agency"),
        &choices.agencies,
        &filters.agency,
    ));
    out.push_str(&select(
        lang,
        "region",
        lang.t("Provinsi", "Province"),
        &choices.provinces,
        &filters.region,
    ));
    let _ = write!(
        out,
        r#"<div><label for="f-from">{from}</label><input id="f-from" name="from" type="month" value="{from_v}"></div>
<div><label for="f-to">{to}</label><input id="f-to" name="to" type="month" value="{to_v}"></div>
<div><button type="submit">{apply}</button> <a href="{reset}">{reset_label}</a></div></form>"#,
        from = lang.t("Dari bulan", "From month"),
        to = lang.t("Sampai bulan", "To month"),
        from_v = esc(&filters.from),
        to_v = esc(&filters.to),
        apply = lang.t("Terapkan", "Apply"),
        reset = esc(&lang.link("/console/ringkasan")),
        reset_label = lang.t("Hapus filter", "Clear filters"),
    );
    out
}

/// The funnel over the whole filtered period: graduated, then picked up (referred or
/// enrolled), then enrolled, from the conversion table's column totals.
fn funnel(lang: Lang, table: &StatsTable) -> String {
    let column = |code: &str| -> Option<Cell> {
        table
            .columns
            .iter()
            .position(|c| c.code == code)
            .map(|i| table.totals.cells[i])
    };
    let sum = |codes: &[&str]| -> Option<u64> {
        codes
            .iter()
            .map(|c| column(c).and_then(|cell| cell.count))
            .sum()
    };
    let graduated = table.totals.total.count;
    let enrolled = sum(&[
        "enrolled_0_30",
        "enrolled_31_90",
        "enrolled_91_180",
        "enrolled_after_180",
    ]);
    let picked_up = graduated
        .zip(column("not_picked_up").and_then(|c| c.count))
        .map(|(g, n)| g - n);
    let steps = [
        (
            "graduated",
            lang.t("Lulus dari bansos", "Graduated from assistance"),
            graduated,
        ),
        (
            "picked-up",
            lang.t("Dirujuk atau terdaftar", "Referred or enrolled"),
            picked_up,
        ),
        (
            "enrolled",
            lang.t(
                "Terdaftar di program pemberdayaan",
                "Enrolled in an empowerment program",
            ),
            enrolled,
        ),
    ];
    let widest = graduated.unwrap_or(0).max(1);
    // Labels right-aligned left of the bars, with room for the longest ("Enrolled in an
    // empowerment program"); bars scaled to the graduations.
    let mut svg = String::from(
        r#"<svg viewBox="0 0 720 114" width="100%" role="img" aria-labelledby="corong-caption" focusable="false">"#,
    );
    for (i, (_, label, count)) in steps.iter().enumerate() {
        let y = 6 + i as u32 * 36;
        let w = count.map_or(0.0, |n| 400.0 * n as f64 / widest as f64);
        let _ = write!(
            svg,
            r##"<text x="292" y="{ty}" text-anchor="end" font-size="13" fill="#1a1a1a">{label}</text><rect x="300" y="{y}" width="{w:.1}" height="28" fill="#0072B2"/>"##,
            ty = y + 19,
            label = esc(label),
        );
    }
    svg.push_str("</svg>");
    let mut figures = String::from(r#"<dl class="figures">"#);
    for (key, label, count) in steps {
        let _ = write!(
            figures,
            r#"<div><dt>{label}</dt><dd data-figure="{key}">{value}</dd></div>"#,
            label = esc(label),
            value = count.map_or_else(
                || lang.t("disembunyikan", "withheld").to_owned(),
                |n| number(lang, n)
            ),
        );
    }
    if let Some(c) = &table.totals.conversion {
        for (key, label, share) in [
            (
                "within-30",
                lang.t("Terdaftar ≤ 30 hari", "Enrolled ≤ 30 days"),
                c.within_30_days,
            ),
            (
                "within-90",
                lang.t("Terdaftar ≤ 90 hari", "Enrolled ≤ 90 days"),
                c.within_90_days,
            ),
        ] {
            let _ = write!(
                figures,
                r#"<div><dt>{label}</dt><dd data-figure="{key}">{value}</dd></div>"#,
                label = esc(label),
                value = charts::share(lang, share),
            );
        }
    }
    figures.push_str("</dl>");
    let totals: String = table
        .columns
        .iter()
        .zip(&table.totals.cells)
        .map(|(c, cell)| {
            format!(
                "<li>{}: {}</li>",
                esc(lang.t(c.name_id, c.name_en)),
                esc(&cell_text(lang, cell))
            )
        })
        .collect();
    format!(
        r#"<section class="funnel" aria-labelledby="corong-caption">
<h2 id="corong-caption">{title}</h2>
{figures}
{svg}
<details><summary>{show}</summary><ul>{totals}</ul></details>
</section>"#,
        title = lang.t("Corong konversi", "Conversion funnel"),
        show = lang.t(
            "Lihat angka di balik corong ini",
            "Show the numbers behind this funnel"
        ),
    )
}
