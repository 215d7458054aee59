//! The demo's household events: a graduated family's card split (pecah KK) a month after it
//! graduated, a member leaving for a new card, as Dukcapil recorded it for Kemensos; Kemendes's
//! field officer tells the same split differently (the member went to another card), so the
//! lineage shows two accounts flagged as conflicting; and the member's new family is enrolled
//! in Sembako under the new card, which the follow-up watch sees, through the lineage, as the
//! graduated family back in social assistance.
//!
//! Written through the operations the API uses, like the demo records and referrals.

use chrono::{Duration, Utc};

use super::DemoError;
use super::records::write_chunk;
use crate::agreements::policy::Policy;
use crate::audit::report::Touched;
use crate::db::{self, AnyConnection, corrupt};
use crate::domain::code::AgencyCode;
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::graduation::GraduationInput;
use crate::domain::household::NewHouseholdEvent;
use crate::domain::record::RecordKind;
use crate::households::ops::{self, Reader};
use crate::records::publish::Prepared;

/// Kemensos's source id of the demo split.
pub const SPLIT: &str = "DEMO-PECAH-KK-0001";

/// A card or citizen number with its last four digits (a card's serial, a NIK's birth
/// serial) replaced: valid whenever the original is.
fn with_serial(number: &str, serial: u16) -> String {
    format!("{}{serial:04}", &number[..12])
}

/// Seeds the demo household events, unless they are there already. Needs a graduation of the
/// last 300 days with a member, which the demo records hold.
pub fn seed(conn: &mut AnyConnection, policy: &Policy) -> Result<(), DemoError> {
    if db::households::by_source(conn, "KEMENSOS", SPLIT)?.is_some() {
        return Ok(());
    }
    let today = Utc::now().date_naive();
    let mut family = None;
    for id in db::records::graduation_ids(conn, "KEMENSOS", 400)? {
        let Some(row) = db::records::get(conn, RecordKind::Graduation, &id)? else {
            continue;
        };
        let g: GraduationInput = serde_json::from_str(&row.content).map_err(corrupt)?;
        let recent = (today - g.graduated_on.date()).num_days() <= 300;
        if recent && !g.member_niks.is_empty() {
            family = Some(g);
            break;
        }
    }
    let Some(g) = family else {
        return Ok(());
    };
    let kk = g.household.kk.to_string();
    let member = g.member_niks[0].to_string();
    let (new_kk, other_kk) = (with_serial(&kk, 9001), with_serial(&kk, 9002));
    let split_on = (g.graduated_on.date() + Duration::days(30)).min(today);
    let event = |srid: &str, to: &str, source: &str| -> Result<NewHouseholdEvent, DemoError> {
        serde_json::from_value(serde_json::json!({
            "source_record_id": srid, "kind": "split", "effective_on": split_on.to_string(),
            "predecessor_kks": [kk], "successor_kks": [kk, to],
            "member_moves": [{"nik": member, "from_kk": kk, "to_kk": to}],
            "source": source,
            "note": "Contoh pecah KK (data demo)"
        }))
        .map_err(|e| DemoError::Db(corrupt(e)))
    };
    let record = |conn: &mut AnyConnection, agency: &str, new: NewHouseholdEvent| {
        db::write_transaction(conn, |conn| {
            let reader = Reader {
                agency,
                policy,
                now: Utc::now(),
            };
            ops::record(conn, &reader, new, &mut Touched::default())
        })
    };
    record(conn, "KEMENSOS", event(SPLIT, &new_kk, "dukcapil")?)?;
    record(
        conn,
        "KEMENDES",
        event("DEMO-VERIFIKASI-KK-0001", &other_kk, "field_verification")?,
    )?;
    // The member's new family, headed by a spouse the graduation never named, in Sembako.
    let enrollment: EnrollmentInput = serde_json::from_value(serde_json::json!({
        "source_record_id": "DEMO-SEMBAKO-PECAH-KK-0001", "program": "SEMBAKO",
        "subject": {"kk": new_kk, "nik": with_serial(&member, 9001)},
        "region_code": g.region_code.to_string(), "status": "active",
        "enrolled_on": today.to_string()
    }))
    .map_err(|e| DemoError::Db(corrupt(e)))?;
    let kemensos: AgencyCode = "KEMENSOS".parse().expect("a demo agency code");
    write_chunk(conn, &kemensos, &[Prepared::new(enrollment)])?;
    Ok(())
}
