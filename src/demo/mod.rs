//! The demo sandbox: the six agencies of Kemenko PM, realistic programs, demo clients with
//! fixed credentials and a deterministic set of synthetic records ([`records`]).
//!
//! It writes through the same code the API uses (`auth::clients`, `records::publish`), never
//! around it, and refuses any database not created for the demo.

pub mod agreements;
pub mod households;
pub mod people;
pub mod records;
pub mod referrals;

use crate::auth::clients;
use crate::auth::scope::{Scope, ScopeSet};
use crate::db::{self, AnyConnection, meta};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::reference::{Agency, Program, ProgramKind};

const AGENCIES: &[(&str, &str)] = &[
    ("KEMENSOS", "Kementerian Sosial"),
    (
        "KEMENDES",
        "Kementerian Desa dan Pembangunan Daerah Tertinggal",
    ),
    ("KEMENKOP", "Kementerian Koperasi"),
    ("KEMENUMKM", "Kementerian Usaha Mikro, Kecil, dan Menengah"),
    ("KEMENEKRAF", "Kementerian Ekonomi Kreatif"),
    (
        "KEMENKOPM",
        "Kementerian Koordinator Bidang Pemberdayaan Masyarakat",
    ),
];

const PROGRAMS: &[(&str, &str, &str, ProgramKind)] = &[
    (
        "PKH",
        "Program Keluarga Harapan",
        "KEMENSOS",
        ProgramKind::SocialAssistance,
    ),
    (
        "SEMBAKO",
        "Program Sembako",
        "KEMENSOS",
        ProgramKind::SocialAssistance,
    ),
    (
        "PENA",
        "Pahlawan Ekonomi Nusantara",
        "KEMENSOS",
        ProgramKind::Empowerment,
    ),
    (
        "PKTD",
        "Padat Karya Tunai Desa",
        "KEMENDES",
        ProgramKind::Empowerment,
    ),
    (
        "KOPDES_MP",
        "Koperasi Desa Merah Putih",
        "KEMENKOP",
        ProgramKind::Empowerment,
    ),
    (
        "UMKM_NAIK_KELAS",
        "Pendampingan UMKM Naik Kelas",
        "KEMENUMKM",
        ProgramKind::Empowerment,
    ),
    (
        "EKRAF_INKUBASI",
        "Inkubasi Usaha Ekonomi Kreatif",
        "KEMENEKRAF",
        ProgramKind::Empowerment,
    ),
];

/// The programs the demo seeds, all active: the reference data a file is checked against
/// offline (`sinergi validate` without `--server`).
pub fn programs() -> Vec<Program> {
    PROGRAMS
        .iter()
        .map(|(code, name, agency, kind)| Program {
            code: ProgramCode::parse(code).expect("demo codes are valid"),
            name: (*name).to_owned(),
            agency: AgencyCode::parse(agency).expect("demo codes are valid"),
            kind: *kind,
            active: true,
        })
        .collect()
}

/// Scopes of the demo's publishing clients: everything a ministry system does.
const PUBLISHER_SCOPES: &str = "graduations:read graduations:write enrollments:read \
    enrollments:write changes:read subscriptions:write agreements:read agreements:write \
    referrals:read referrals:write households:read households:write";

/// The demo's clients: (client id, agency, name, scopes). Secrets follow `demo_secret`.
pub const CLIENTS: &[(&str, &str, &str, &str)] = &[
    (
        "demo-kemensos",
        "KEMENSOS",
        "Demo publisher of Kementerian Sosial",
        PUBLISHER_SCOPES,
    ),
    (
        "demo-kemendes",
        "KEMENDES",
        "Demo publisher of Kementerian Desa PDT",
        PUBLISHER_SCOPES,
    ),
    (
        "demo-kemenkop",
        "KEMENKOP",
        "Demo publisher of Kementerian Koperasi",
        PUBLISHER_SCOPES,
    ),
    (
        "demo-kemenumkm",
        "KEMENUMKM",
        "Demo publisher of Kementerian UMKM",
        PUBLISHER_SCOPES,
    ),
    (
        "demo-kemenekraf",
        "KEMENEKRAF",
        "Demo publisher of Kementerian Ekonomi Kreatif",
        PUBLISHER_SCOPES,
    ),
    (
        "demo-auditor",
        "KEMENKOPM",
        "Demo auditor (Inspektorat)",
        "audit:read",
    ),
    (
        "demo-coordinator",
        "KEMENKOPM",
        "Demo coordinator (Kemenko PM)",
        "stats:read referrals:read agreements:read",
    ),
    // Every scope, so the sandbox (and schemathesis) can reach every operation with one token.
    (
        "demo-admin",
        "KEMENKOPM",
        "Demo operator of the exchange",
        "*",
    ),
];

/// Hosts the demo lets webhooks reach over plain http, so that an integrator can receive
/// them on a local port.
pub const WEBHOOK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "::1"];

/// The fixed, public secret of a demo client. Marked so nobody mistakes it for a real one.
pub fn demo_secret(client_id: &str) -> String {
    format!("{client_id}-DEMO-SECRET-not-for-production")
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this database already holds data that the demo did not create; \
         run --demo against an empty database (for example another SINERGI_DATABASE_URL)"
    )]
    NotDemo,
    #[error(transparent)]
    Db(#[from] crate::db::QueryError),
    #[error(transparent)]
    Client(#[from] clients::ClientError),
    #[error(transparent)]
    Agreement(#[from] crate::agreements::error::AgreementsError),
    #[error(transparent)]
    Household(#[from] crate::households::error::HouseholdsError),
}

/// Seeds the demo data into an empty or demo database; running it again changes nothing.
/// It reads before it writes, so it takes the write lock first: a running service may be
/// writing to the same SQLite file (see [`db::write_transaction`]).
pub fn seed(conn: &mut AnyConnection) -> Result<(), DemoError> {
    db::write_transaction(conn, |conn| {
        let is_demo = meta::get(conn, meta::DEMO)?.is_some();
        if !is_demo && !db::agencies::list(conn)?.is_empty() {
            return Err(DemoError::NotDemo);
        }
        for (code, name) in AGENCIES {
            let code = AgencyCode::parse(code).expect("demo codes are valid");
            if !db::agencies::exists(conn, &code)? {
                let name = (*name).to_owned();
                db::agencies::insert(conn, &Agency { code, name })?;
            }
        }
        for program in programs() {
            if db::programs::get(conn, &program.code)?.is_none() {
                db::programs::insert(conn, &program)?;
            }
        }
        for (id, agency, name, scopes) in CLIENTS {
            if db::clients::get(conn, id)?.is_none() {
                let scopes = match *scopes {
                    "*" => ScopeSet::from_scopes(Scope::ALL),
                    some => ScopeSet::parse(some),
                }
                .expect("demo scopes are valid");
                let agency = AgencyCode::parse(agency).expect("demo codes are valid");
                clients::create_fixed(conn, id, agency, name, scopes, &demo_secret(id))?;
            }
        }
        agreements::seed(conn)?;
        meta::set(conn, meta::DEMO, "true")?;
        Ok(())
    })
}

/// Seeds everything `serve --demo` offers: the reference data and clients of [`seed`], then
/// the synthetic records of [`records::load`] (a few thousand graduations and the
/// enrollments that follow them). Refuses a non-demo database; running it again changes
/// nothing.
pub fn seed_with_records(conn: &mut AnyConnection) -> Result<records::Loaded, DemoError> {
    seed(conn)?;
    let loaded = records::load(conn)?;
    // Thousands of rows arrived in empty tables a moment ago: without fresh statistics the
    // planner takes them for a handful and answers each NIK search with a scan of every
    // graduation, until autovacuum analyses them a minute or more later.
    db::analyze(conn)?;
    Ok(loaded)
}

/// What a newcomer should open first, printed once the demo server listens.
pub fn welcome(base: &str) -> String {
    let mut clients = String::new();
    for (id, agency, _, scopes) in CLIENTS {
        let scopes = if *scopes == "*" {
            "every scope"
        } else {
            scopes
        };
        let secret = demo_secret(id);
        clients.push_str(&format!("  {id:<16} {secret:<48} {agency:<10} {scopes}\n"));
    }
    let mut people = String::new();
    for (username, agency, role) in people::ACCOUNTS {
        let password = people::demo_password(username);
        people.push_str(&format!(
            "  {username:<18} {password:<36} {agency:<10} {}\n",
            role.as_str()
        ));
    }
    let (nik, enrollments) = records::sample();
    format!(
        "\nSinergi demo is running at {base}\n\n\
         Interactive API docs:   {base}/docs/\n\
         OpenAPI document:       {base}/openapi.json\n\
         Console for people:     {base}/console/\n\n\
         Demo console accounts (username, password, agency, role) - DEMO PASSWORDS, NOT FOR PRODUCTION:\n\
         {people}\n\
         Demo clients (client id, secret, agency, scopes) - DEMO CREDENTIALS, NOT FOR PRODUCTION:\n\
         {clients}\n\
         Demo records (synthetic, the same on every start): {graduations} graduations published by\n\
         KEMENSOS (PKH, SEMBAKO) in villages of Jawa Barat, Jawa Tengah, Jawa Timur, NTB, NTT and\n\
         Sulawesi Selatan, and {enrollments} enrollments of those families in PKTD, KOPDES_MP,\n\
         UMKM_NAIK_KELAS, EKRAF_INKUBASI and PENA, linked to their graduations.\n\n\
         Get a token and call the API:\n\
         \x20 TOKEN=$(curl -s -u demo-kemensos:{secret} -d grant_type=client_credentials \\\n\
         \x20   {base}/oauth/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n\
         \x20 curl -s -H \"Authorization: Bearer $TOKEN\" {base}/v1/programs\n\
         \x20 curl -s -H \"Authorization: Bearer $TOKEN\" \"{base}/v1/graduations?nik={nik}\"\n\
         \x20 curl -s -H \"Authorization: Bearer $TOKEN\" \"{base}/v1/enrollments?nik={nik}\"\n\
         \x20 curl -s -H \"Authorization: Bearer $TOKEN\" {base}/v1/regions/33.01.01.2001\n\n\
         This is demo data: do not load real personal data into this database.\n",
        secret = demo_secret("demo-kemensos"),
        graduations = records::DEMO_GRADUATIONS,
    )
}
