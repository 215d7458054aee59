//! *Rujukan*: the referrals each receiving agency holds open, how old they are, which are
//! past their deadline, and how many it let lapse. A coordinator sees every agency; an
//! agency's operator sees its own, with its oldest open referrals one by one (their ids and
//! deadlines, never the family).

use std::collections::BTreeMap;
use std::fmt::Write;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};

use super::{page, require};
use crate::console::accounts::Role;
use crate::console::error::ConsoleError;
use crate::console::html::{Frame, Lang, esc, number};
use crate::console::session::Session;
use crate::db::referrals::OpenOffer;
use crate::db::{self, DbError};
use crate::http::state::AppState;

/// A day in the unit referrals keep their times in: microseconds.
const DAY: i64 = 24 * 60 * 60 * 1_000_000;
/// Age bands of open referrals, in days: up to each bound.
const BANDS: [(i64, &str, &str); 4] = [
    (7, "≤ 7 hari", "≤ 7 days"),
    (30, "8–30 hari", "8–30 days"),
    (90, "31–90 hari", "31–90 days"),
    (i64::MAX, "> 90 hari", "> 90 days"),
];
/// Open referrals an operator sees one by one, oldest first.
const LISTED: usize = 50;

#[derive(Default)]
struct AgencyLine {
    waiting: u64,
    accepted: u64,
    overdue: u64,
    lapsed: u64,
    bands: [u64; BANDS.len()],
    oldest_days: Option<i64>,
}

fn overdue(offer: &OpenOffer, now: i64) -> bool {
    match offer.offer_state.as_str() {
        "offered" => offer.respond_by < now,
        _ => offer.complete_by < now,
    }
}

fn age_days(offer: &OpenOffer, now: i64) -> i64 {
    (now - offer.offered_at.unwrap_or(offer.created_at)).max(0) / DAY
}

fn tally(open: &[OpenOffer], lapsed: &[(String, i64)], now: i64) -> BTreeMap<String, AgencyLine> {
    let mut lines: BTreeMap<String, AgencyLine> = BTreeMap::new();
    for (agency, n) in lapsed {
        lines.entry(agency.clone()).or_default().lapsed = u64::try_from(*n).unwrap_or(0);
    }
    for offer in open {
        let line = lines.entry(offer.agency.clone()).or_default();
        if offer.offer_state == "offered" {
            line.waiting += 1;
        } else {
            line.accepted += 1;
        }
        if overdue(offer, now) {
            line.overdue += 1;
        }
        let age = age_days(offer, now);
        let band = BANDS
            .iter()
            .position(|(max, ..)| age <= *max)
            .expect("the last band is open");
        line.bands[band] += 1;
        line.oldest_days = line.oldest_days.max(Some(age));
    }
    lines
}

/// `GET /console/rujukan`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &[Role::Coordinator, Role::Operator])?;
    let lang = Lang::of(&req);
    let own = (session.person.role == Role::Operator).then(|| session.person.agency.to_string());
    let (offers, lapsed, names) = state
        .db
        .run(move |conn| {
            let offers = db::referrals::open_offers(conn, own.as_deref())?;
            let lapsed = db::referrals::lapsed_offers(conn, own.as_deref())?;
            let names: BTreeMap<String, String> = db::agencies::list(conn)?
                .into_iter()
                .map(|a| (a.code.to_string(), a.name))
                .collect();
            Ok::<_, DbError>((offers, lapsed, names))
        })
        .await?;
    let now = Utc::now().timestamp_micros();
    let lines = tally(&offers, &lapsed, now);
    let mut body = format!(
        r#"<p>{}</p><div class="scroll"><table class="numbers" id="rujukan-per-instansi"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>"#,
        lang.t(
            "Rujukan yang ditawarkan kepada setiap instansi penerima: yang masih menunggu jawaban, yang sudah diterima tetapi keluarganya belum terdaftar, yang melewati tenggat, dan yang dibiarkan kedaluwarsa.",
            "Referrals offered to each receiving agency: waiting for an answer, accepted but the family not yet enrolled, past their deadline, and let lapse.",
        ),
        lang.t("Rujukan terbuka per instansi penerima", "Open referrals by receiving agency"),
        lang.t("Instansi", "Agency"),
        lang.t("Menunggu jawaban", "Waiting for an answer"),
        lang.t("Diterima, belum terdaftar", "Accepted, not enrolled"),
        lang.t("Melewati tenggat", "Overdue"),
        lang.t("Kedaluwarsa", "Lapsed"),
    );
    for (_, id, en) in BANDS {
        let _ = write!(body, r#"<th scope="col">{}</th>"#, lang.t(id, en));
    }
    let _ = write!(
        body,
        r#"<th scope="col">{}</th></tr></thead><tbody>"#,
        lang.t("Tertua (hari)", "Oldest (days)")
    );
    if lines.is_empty() {
        let _ = write!(
            body,
            r#"<tr><td colspan="{}">{}</td></tr>"#,
            6 + BANDS.len(),
            lang.t("Belum ada rujukan.", "No referrals yet."),
        );
    }
    for (agency, line) in &lines {
        let _ = write!(
            body,
            r#"<tr data-agency="{code}"><th scope="row">{name} <span class="code">{code}</span></th><td data-column="waiting">{}</td><td data-column="accepted">{}</td><td data-column="overdue">{}</td><td data-column="lapsed">{}</td>"#,
            number(lang, line.waiting),
            number(lang, line.accepted),
            number(lang, line.overdue),
            number(lang, line.lapsed),
            code = esc(agency),
            name = esc(names.get(agency).map_or(agency.as_str(), String::as_str)),
        );
        for (band, n) in line.bands.iter().enumerate() {
            let _ = write!(
                body,
                r#"<td data-column="age-{band}">{}</td>"#,
                number(lang, *n)
            );
        }
        let _ = write!(
            body,
            r#"<td data-column="oldest">{}</td></tr>"#,
            line.oldest_days
                .map_or("–".to_owned(), |d| number(lang, d as u64))
        );
    }
    body.push_str("</tbody></table></div>");
    if session.person.role == Role::Operator {
        body.push_str(&oldest(lang, &offers, now));
    }
    let query = req.query_string().to_owned();
    Ok(page(
        Frame {
            lang,
            session: Some(&session),
            path: "/console/rujukan",
            query: &query,
            title: lang.t("Rujukan", "Referrals"),
            scripts: &[],
        }
        .render(&body),
    ))
}

/// The agency's oldest open referrals, with what the operator needs to find them in its
/// own system (the referral id) and their deadline.
fn oldest(lang: Lang, offers: &[OpenOffer], now: i64) -> String {
    let mut open: Vec<&OpenOffer> = offers.iter().collect();
    open.sort_by_key(|o| o.offered_at.unwrap_or(o.created_at));
    let mut out = format!(
        r#"<h2>{}</h2><div class="scroll"><table class="numbers" id="rujukan-tertua"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        lang.t("Rujukan terbuka tertua", "Oldest open referrals"),
        lang.t("ID rujukan", "Referral id"),
        lang.t("Program", "Program"),
        lang.t("Tahap", "Stage"),
        lang.t("Umur (hari)", "Age (days)"),
        lang.t("Tenggat", "Deadline"),
    );
    for offer in open.iter().take(LISTED) {
        let deadline = if offer.offer_state == "offered" {
            offer.respond_by
        } else {
            offer.complete_by
        };
        let late = if overdue(offer, now) {
            format!(
                r#" <strong class="late">{}</strong>"#,
                lang.t("terlambat", "overdue")
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<tr><td class="code">{id}</td><td>{program}</td><td>{stage}</td><td>{age}</td><td>{deadline}{late}</td></tr>"#,
            id = esc(&offer.referral_id),
            program = esc(&offer.program),
            stage = if offer.offer_state == "offered" {
                lang.t("Menunggu jawaban", "Waiting for an answer")
            } else {
                lang.t("Diterima", "Accepted")
            },
            age = number(lang, age_days(offer, now) as u64),
            deadline = DateTime::from_timestamp_micros(deadline)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        );
    }
    if open.is_empty() {
        let _ = write!(
            out,
            r#"<tr><td colspan="5">{}</td></tr>"#,
            lang.t("Tidak ada rujukan terbuka.", "No open referrals."),
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(agency: &str, state: &str, offered_days_ago: i64, deadline_in_days: i64) -> OpenOffer {
        let now = 1_000 * DAY;
        OpenOffer {
            referral_id: format!("{agency}-{offered_days_ago}"),
            agency: agency.into(),
            program: "PKTD".into(),
            offer_state: state.into(),
            offered_at: Some(now - offered_days_ago * DAY),
            created_at: now - offered_days_ago * DAY,
            respond_by: now + deadline_in_days * DAY,
            complete_by: now + (deadline_in_days + 30) * DAY,
        }
    }

    #[test]
    fn open_offers_are_counted_by_stage_age_and_deadline_beside_the_lapsed() {
        let open = [
            offer("KEMENDES", "offered", 3, 4),
            offer("KEMENDES", "offered", 20, -6),
            offer("KEMENDES", "accepted", 95, -31),
            offer("KEMENKOP", "accepted", 40, 10),
        ];
        let lapsed = [("KEMENDES".to_owned(), 7), ("KEMENEKRAF".to_owned(), 2)];
        let lines = tally(&open, &lapsed, 1_000 * DAY);
        let kemendes = &lines["KEMENDES"];
        assert_eq!((kemendes.waiting, kemendes.accepted), (2, 1));
        assert_eq!(
            kemendes.overdue, 2,
            "one past respond_by, one past complete_by"
        );
        assert_eq!(kemendes.lapsed, 7);
        assert_eq!(kemendes.bands, [1, 1, 0, 1]);
        assert_eq!(kemendes.oldest_days, Some(95));
        let kemenkop = &lines["KEMENKOP"];
        assert_eq!(
            (kemenkop.accepted, kemenkop.overdue, kemenkop.bands),
            (1, 0, [0, 0, 1, 0])
        );
        let kemenekraf = &lines["KEMENEKRAF"];
        assert_eq!((kemenekraf.lapsed, kemenekraf.oldest_days), (2, None));
    }
}
