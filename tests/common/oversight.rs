//! The harness's operator (the demo admin, of KEMENKOPM) checks what tests stored by reading
//! every agency's records. Outside its own agency that needs a data-sharing agreement like
//! any read, so [`spawn_app`](super::spawn_app) gives it one per agency, for the purpose
//! `AUDIT`, with every field; its record reads declare that purpose ([`PURPOSE`]).

use sinergi::agreements::model::NewAgreement;
use sinergi::agreements::ops::{self, Actor, Decision};
use sinergi::audit::write::operator_write;
use sinergi::db::AnyConnection;
use sinergi::domain::agreement::{LawfulBasis, SearchKey, Terms, selectable_fields};
use sinergi::domain::code::{AgencyCode, PurposeCode};
use sinergi::domain::record::RecordKind;

/// The header the operator's reads carry.
pub const PURPOSE: (&str, &str) = ("Sinergi-Purpose", "AUDIT: test harness");

/// The route of the harness's audit entries.
const ROUTE: &str = "test harness: oversight agreements";

/// The agencies whose records tests publish.
const PROVIDERS: [&str; 5] = [
    "KEMENSOS",
    "KEMENDES",
    "KEMENKOP",
    "KEMENUMKM",
    "KEMENEKRAF",
];

pub fn grant(conn: &mut AnyConnection) {
    let kinds = [RecordKind::Graduation, RecordKind::Enrollment];
    let mut fields: Vec<String> = kinds
        .iter()
        .flat_map(|k| selectable_fields(*k).iter().map(|f| f.to_string()))
        .collect();
    fields.sort();
    fields.dedup();
    let now = chrono::Utc::now();
    let consumer = AgencyCode::parse("KEMENKOPM").unwrap();
    for provider in PROVIDERS {
        let terms = Terms {
            record_kinds: kinds.to_vec(),
            programs: None,
            region_prefixes: None,
            purposes: vec![PurposeCode::parse("AUDIT").unwrap()],
            fields: fields.clone(),
            search_keys: vec![SearchKey::Kk, SearchKey::Nik],
            lawful_basis: LawfulBasis::LegalObligation,
            legal_reference: "Test harness oversight".into(),
            document_sha256: None,
            valid_from: "2020-01-01T00:00:00Z".parse().unwrap(),
            valid_until: "2100-01-01T00:00:00Z".parse().unwrap(),
            retention_days: 3_650,
        };
        let new = NewAgreement {
            provider_agency: AgencyCode::parse(provider).unwrap(),
            terms,
        };
        // Each step an audit entry, so that `sinergi audit verify` finds the agreements the
        // operator's reads rely on.
        let proposed = operator_write(conn, ROUTE, |conn, touched| {
            ops::propose(conn, &consumer, new.clone(), now, touched)
        })
        .expect("propose the oversight agreement")
        .value;
        let id = proposed.id.to_string();
        operator_write(conn, ROUTE, |conn, touched| {
            ops::decide(conn, &Actor::Operator, &id, Decision::Approve, now, touched)
        })
        .expect("approve the oversight agreement");
    }
}
