//! The demo's data-sharing agreements, so that the README's walk-through reads across
//! agencies: the empowerment ministries read Kemensos graduations to reach graduated
//! families (without members' NIKs), and Kemensos reads their enrollments to follow those
//! families up. No agreement links the empowerment ministries with each other, so a
//! refusal can be tried too.

use chrono::{DateTime, Utc};

use crate::agreements::error::AgreementsError;
use crate::agreements::model::NewAgreement;
use crate::agreements::ops::{self, Actor, Decision};
use crate::audit::write::operator_write_within;
use crate::db::{self, AnyConnection};
use crate::domain::agreement::{LawfulBasis, SearchKey, Terms};
use crate::domain::code::{AgencyCode, PurposeCode};
use crate::domain::record::RecordKind;

/// The agencies that run empowerment programs for graduated families.
const EMPOWERMENT: [&str; 4] = ["KEMENDES", "KEMENKOP", "KEMENUMKM", "KEMENEKRAF"];

fn code(s: &str) -> AgencyCode {
    AgencyCode::parse(s).expect("demo codes are valid")
}

fn instant(s: &str) -> DateTime<Utc> {
    s.parse().expect("demo instants are valid")
}

fn terms(kind: RecordKind, purpose: &str, fields: &[&str], search_keys: Vec<SearchKey>) -> Terms {
    Terms {
        record_kinds: vec![kind],
        programs: None,
        region_prefixes: None,
        purposes: vec![PurposeCode::parse(purpose).expect("demo codes are valid")],
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        search_keys,
        lawful_basis: LawfulBasis::PublicTask,
        legal_reference: "Demo: Inpres 4/2025 tentang Data Tunggal Sosial dan Ekonomi Nasional"
            .into(),
        document_sha256: None,
        valid_from: instant("2025-01-01T00:00:00Z"),
        valid_until: instant("2030-12-31T16:59:59Z"),
        retention_days: 730,
    }
}

/// Proposes and approves each demo agreement, unless the database has agreements already.
/// The route of the seeding's audit entries.
const SEEDING: &str = "sinergi serve --demo";

pub fn seed(conn: &mut AnyConnection) -> Result<(), AgreementsError> {
    if !db::agreements::list(conn, None)?.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let graduations = terms(
        RecordKind::Graduation,
        "PEMBERDAYAAN_EKONOMI",
        &[
            "/household/kk",
            "/household/head_nik",
            "/region_code",
            "/graduation_type",
            "/graduated_on",
            "/welfare_decile",
        ],
        vec![SearchKey::Kk, SearchKey::Nik],
    );
    let enrollments = terms(
        RecordKind::Enrollment,
        "MONITORING_GRADUASI",
        &[
            "/subject",
            "/region_code",
            "/status",
            "/enrolled_on",
            "/ended_on",
            "/graduation_id",
        ],
        vec![SearchKey::Kk, SearchKey::Nik],
    );
    let mut pairs = Vec::new();
    for agency in EMPOWERMENT {
        pairs.push((code(agency), code("KEMENSOS"), graduations.clone()));
        pairs.push((code("KEMENSOS"), code(agency), enrollments.clone()));
    }
    for (consumer, provider, terms) in pairs {
        let new = NewAgreement {
            provider_agency: provider,
            terms,
        };
        // Each step an audit entry, as if the parties had made it, so that `sinergi audit
        // verify` finds the agreements that the demo's reads rely on.
        let proposed = operator_write_within(conn, SEEDING, |conn, touched| {
            ops::propose(conn, &consumer, new.clone(), now, touched)
        })?
        .value;
        let id = proposed.id.to_string();
        operator_write_within(conn, SEEDING, |conn, touched| {
            ops::decide(conn, &Actor::Operator, &id, Decision::Approve, now, touched)
        })?;
    }
    Ok(())
}
