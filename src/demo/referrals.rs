//! The demo's referrals, one or more in every state, so that the README's walk-through and
//! an integrator's first look find each: Kemensos refers demo families to the empowerment
//! ministries, which accept, decline, release or enrol them; two referrals were made weeks
//! ago and are overdue when the demo starts, so that the deadline sweep moves one to its
//! fallback and lapses the other within seconds.
//!
//! Written through the referral operations the API uses, like the demo records (and, like
//! them, without request audit entries: nobody requested them).

use chrono::{DateTime, Duration, Utc};

use crate::agreements::policy::{Policy, Snapshot};
use crate::audit::report::Touched;
use crate::db::{self, AnyConnection};
use crate::domain::code::{AgencyCode, ProgramCode, PurposeCode, ReasonCode};
use crate::domain::record::{Reason, SourceRecordId};
use crate::domain::referral::{NewReferral, OfferTo, Priority, Target, TransitionRequest};
use crate::referrals::error::ReferralsError;
use crate::referrals::model::Viewer;
use crate::referrals::ops;

/// The source ids of the two referrals that are overdue when the demo starts.
pub const OVERDUE_WITH_FALLBACK: &str = "DEMO-RUJUK-TERLAMBAT";
pub const OVERDUE_WITHOUT_FALLBACK: &str = "DEMO-RUJUK-KEDALUWARSA";

fn code<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().expect("demo codes are valid")
}

fn offer(agency: &str, program: Option<&str>) -> OfferTo {
    OfferTo {
        agency: code::<AgencyCode>(agency),
        target_program: program.map(code::<ProgramCode>),
    }
}

/// A referral of `graduation` by Kemensos, made at `made`.
fn referral(
    srid: &str,
    graduation: &str,
    offered: Vec<OfferTo>,
    fallback: Vec<OfferTo>,
    reason: &str,
    respond_by: Option<DateTime<Utc>>,
) -> NewReferral {
    NewReferral {
        source_record_id: SourceRecordId::parse(srid).expect("demo ids are valid"),
        graduation_id: graduation.parse().expect("stored ids are UUIDs"),
        purpose: code::<PurposeCode>("PEMBERDAYAAN_EKONOMI"),
        offered_to: offered,
        fallback_to: fallback,
        reason_code: code::<ReasonCode>(reason),
        priority: Priority::Routine,
        respond_by,
        complete_by: None,
        note: Some(Reason::parse("Rujukan contoh (data demo)").expect("a valid note")),
    }
}

fn step(to: Target, reason: Option<&str>, enrollment: Option<&str>) -> TransitionRequest {
    TransitionRequest {
        to,
        reason_code: reason.map(code::<ReasonCode>),
        note: None,
        enrollment_id: enrollment.map(|e| e.parse().expect("stored ids are UUIDs")),
    }
}

/// Seeds the demo referrals, unless the database has referrals already.
pub fn seed(conn: &mut AnyConnection, policy: &Policy) -> Result<(), ReferralsError> {
    if !db::referrals::list(conn, &db::referrals::Filter::default(), 1)?.is_empty() {
        return Ok(());
    }
    let snapshot = Snapshot::load(conn)?;
    let followed = db::records::followed(conn, 200)?;
    let graduations: Vec<String> = db::records::graduation_ids(conn, "KEMENSOS", 400)?
        .into_iter()
        .filter(|g| !followed.iter().any(|(f, _, _)| f == g))
        .collect();
    // An enrollment by an empowerment ministry (not Kemensos's own PENA), for the referral
    // that ends enrolled.
    let enrolled = followed.iter().find_map(|(g, e, publisher)| {
        let agency: &'static str = match publisher.as_str() {
            "KEMENDES" => "KEMENDES",
            "KEMENKOP" => "KEMENKOP",
            "KEMENUMKM" => "KEMENUMKM",
            "KEMENEKRAF" => "KEMENEKRAF",
            _ => return None,
        };
        Some((g.as_str(), e.as_str(), agency))
    });
    let (Some((graduation, enrollment, publisher)), true) = (enrolled, graduations.len() >= 7)
    else {
        return Ok(());
    };
    let now = Utc::now();
    let viewer = |agency: &'static str, at: DateTime<Utc>| Viewer {
        agency,
        policy,
        snapshot: &snapshot,
        now: at,
    };
    let make = |conn: &mut AnyConnection, new: NewReferral, at: DateTime<Utc>| {
        db::write_transaction(conn, |conn| {
            ops::create(
                conn,
                &viewer("KEMENSOS", at),
                &code("KEMENSOS"),
                new.clone(),
                &mut Touched::default(),
            )
        })
        .map(|a| a.value.id.to_string())
    };
    let act = |conn: &mut AnyConnection, agency: &'static str, id: &str, s: TransitionRequest| {
        db::write_transaction(conn, |conn| {
            ops::transition(
                conn,
                &viewer(agency, now),
                id,
                &s,
                None,
                &mut Touched::default(),
            )
        })
        .map(drop)
    };
    let g = |i: usize| graduations[i].as_str();

    // Offered to two ministries at once, not yet answered.
    make(
        conn,
        referral(
            "DEMO-RUJUK-0001",
            g(0),
            vec![offer("KEMENDES", Some("PKTD")), offer("KEMENKOP", None)],
            vec![],
            "USAHA_MIKRO",
            None,
        ),
        now,
    )?;
    // Accepted by Kemendes, enrolment pending.
    let id = make(
        conn,
        referral(
            "DEMO-RUJUK-0002",
            g(1),
            vec![offer("KEMENDES", Some("PKTD"))],
            vec![],
            "USIA_PRODUKTIF",
            None,
        ),
        now,
    )?;
    act(conn, "KEMENDES", &id, step(Target::Accepted, None, None))?;
    // Enrolled: the ministry that enrolled a demo family accepts and names its enrollment.
    let id = make(
        conn,
        referral(
            "DEMO-RUJUK-0003",
            graduation,
            vec![offer(publisher, None)],
            vec![],
            "KOPERASI",
            None,
        ),
        now - Duration::days(20),
    )?;
    act(conn, publisher, &id, step(Target::Accepted, None, None))?;
    act(
        conn,
        publisher,
        &id,
        step(Target::Enrolled, None, Some(enrollment)),
    )?;
    // Declined by the only ministry it was offered to.
    let id = make(
        conn,
        referral(
            "DEMO-RUJUK-0004",
            g(2),
            vec![offer("KEMENUMKM", None)],
            vec![],
            "USAHA_MIKRO",
            None,
        ),
        now,
    )?;
    act(
        conn,
        "KEMENUMKM",
        &id,
        step(Target::Declined, Some("KUOTA_PENUH"), None),
    )?;
    // Withdrawn by Kemensos.
    let id = make(
        conn,
        referral(
            "DEMO-RUJUK-0005",
            g(3),
            vec![offer("KEMENEKRAF", None)],
            vec![],
            "USAHA_MIKRO",
            None,
        ),
        now,
    )?;
    act(
        conn,
        "KEMENSOS",
        &id,
        step(Target::Withdrawn, Some("DATA_KELIRU"), None),
    )?;
    // Accepted, then released: nobody else was left.
    let id = make(
        conn,
        referral(
            "DEMO-RUJUK-0006",
            g(4),
            vec![offer("KEMENKOP", Some("KOPDES_MP"))],
            vec![],
            "KOPERASI",
            None,
        ),
        now,
    )?;
    act(conn, "KEMENKOP", &id, step(Target::Accepted, None, None))?;
    act(
        conn,
        "KEMENKOP",
        &id,
        step(Target::Released, Some("TIDAK_DAPAT_DIHUBUNGI"), None),
    )?;
    // Made three weeks ago and never answered: overdue at start, one with a fallback.
    let weeks_ago = now - Duration::days(21);
    make(
        conn,
        referral(
            OVERDUE_WITH_FALLBACK,
            g(5),
            vec![offer("KEMENDES", Some("PKTD"))],
            vec![offer("KEMENKOP", Some("KOPDES_MP"))],
            "DESA_SASARAN",
            Some(weeks_ago + Duration::days(14)),
        ),
        weeks_ago,
    )?;
    make(
        conn,
        referral(
            OVERDUE_WITHOUT_FALLBACK,
            g(6),
            vec![offer("KEMENEKRAF", None)],
            vec![],
            "USAHA_MIKRO",
            Some(weeks_ago + Duration::days(7)),
        ),
        weeks_ago,
    )?;
    Ok(())
}

/// The source ids of the year of referrals begin so.
const HISTORY_PREFIX: &str = "DEMO-RIWAYAT-";
/// The empowerment ministries, and the reason Kemensos gives when it refers to each.
const RECEIVERS: [(&str, &str); 4] = [
    ("KEMENDES", "DESA_SASARAN"),
    ("KEMENKOP", "KOPERASI"),
    ("KEMENUMKM", "USAHA_MIKRO"),
    ("KEMENEKRAF", "USAHA_MIKRO"),
];

fn day(text: &str) -> Option<DateTime<Utc>> {
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(9, 0, 0)?.and_utc())
}

/// A year and more of referrals behind the demo's graduations, so that the console's charts
/// and referral ages mean something: Kemensos refers about a third of its graduated families
/// some days after they graduate. Those an empowerment ministry enrolled are accepted and
/// enrolled by it; of the rest some are declined, some accepted and left, most never
/// answered (the deadline sweep lapses them when the server starts). A few families
/// graduated last are referred in the last two months, and are still open. Deterministic:
/// the same history on every start.
pub fn seed_history(conn: &mut AnyConnection, policy: &Policy) -> Result<(), ReferralsError> {
    let filter = db::referrals::Filter::default();
    let seeded = db::referrals::list(conn, &filter, 1_000)?
        .iter()
        .any(|r| r.source_record_id.starts_with(HISTORY_PREFIX));
    if seeded {
        return Ok(());
    }
    let snapshot = Snapshot::load(conn)?;
    let graduations = db::records::dated_graduations(conn, "KEMENSOS")?;
    let mut followers = std::collections::HashMap::new();
    for (graduation, enrollment, publisher, on) in db::records::dated_followers(conn)? {
        if RECEIVERS.iter().any(|(agency, _)| *agency == publisher) {
            followers
                .entry(graduation)
                .or_insert((enrollment, publisher, on));
        }
    }
    let already: std::collections::HashSet<String> = db::referrals::list(conn, &filter, 1_000)?
        .into_iter()
        .map(|r| r.graduation_id)
        .collect();
    let now = Utc::now();
    let viewer = |agency: &'static str, at: DateTime<Utc>| Viewer {
        agency,
        policy,
        snapshot: &snapshot,
        now: at,
    };
    db::write_transaction(conn, |conn| {
        for (i, (graduation, on)) in graduations.iter().enumerate() {
            // One family in three; the first hundred are left to the start-up referrals.
            if i < 100 || i % 3 != 0 || already.contains(graduation) {
                continue;
            }
            let Some(graduated) = day(on) else { continue };
            let follower = followers.get(graduation);
            let (agency, reason) = match follower {
                Some((_, publisher, _)) => *RECEIVERS
                    .iter()
                    .find(|(a, _)| a == publisher)
                    .expect("followers are the receivers'"),
                None => RECEIVERS[i % RECEIVERS.len()],
            };
            let mut made = graduated + Duration::days(3 + (i % 15) as i64);
            if let Some(enrolled) = follower.and_then(|(_, _, on)| day(on)) {
                made = made.min(enrolled - Duration::days(2)).max(graduated);
            } else if graduated > now - Duration::days(240) && i % 2 == 0 {
                // Graduated last, referred late: still open, of every age up to two months.
                made = now - Duration::days((i % 60) as i64 + 1);
            }
            if made >= now {
                continue;
            }
            let new = NewReferral {
                note: None,
                priority: if i % 7 == 0 {
                    Priority::Urgent
                } else {
                    Priority::Routine
                },
                ..referral(
                    &format!("{HISTORY_PREFIX}{i:05}"),
                    graduation,
                    vec![offer(agency, None)],
                    vec![],
                    reason,
                    None,
                )
            };
            let id = ops::create(
                conn,
                &viewer("KEMENSOS", made),
                &code("KEMENSOS"),
                new,
                &mut Touched::default(),
            )?
            .value
            .id
            .to_string();
            let mut act = |at: DateTime<Utc>, s: TransitionRequest| {
                if at < now {
                    ops::transition(
                        conn,
                        &viewer(agency, at),
                        &id,
                        &s,
                        None,
                        &mut Touched::default(),
                    )
                    .map(drop)
                } else {
                    Ok(())
                }
            };
            match follower {
                Some((enrollment, _, on)) => {
                    let accepted = made + Duration::days(1);
                    act(accepted, step(Target::Accepted, None, None))?;
                    let enrolled =
                        day(on).map_or(accepted, |d| d.max(accepted)) + Duration::hours(1);
                    act(enrolled, step(Target::Enrolled, None, Some(enrollment)))?;
                }
                None => match i % 10 {
                    0..=2 => act(
                        made + Duration::days(5),
                        step(Target::Declined, Some("KUOTA_PENUH"), None),
                    )?,
                    3 | 4 => act(made + Duration::days(4), step(Target::Accepted, None, None))?,
                    _ => {}
                },
            }
        }
        Ok(())
    })
}
