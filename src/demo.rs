//! The demo sandbox: the six agencies of Kemenko PM and realistic programs.

use diesel::prelude::*;

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

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this database already holds data that the demo did not create; \
         run --demo against an empty database (for example another SINERGI_DATABASE_URL)"
    )]
    NotDemo,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Seeds the demo data into an empty or demo database; running it again changes nothing.
pub fn seed(conn: &mut AnyConnection) -> Result<(), DemoError> {
    conn.transaction(|conn| {
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
        for (code, name, agency, kind) in PROGRAMS {
            let code = ProgramCode::parse(code).expect("demo codes are valid");
            if db::programs::get(conn, &code)?.is_none() {
                let program = Program {
                    code,
                    name: (*name).to_owned(),
                    agency: AgencyCode::parse(agency).expect("demo codes are valid"),
                    kind: *kind,
                    active: true,
                };
                db::programs::insert(conn, &program)?;
            }
        }
        meta::set(conn, meta::DEMO, "true")?;
        Ok(())
    })
}

/// What a newcomer should open first, printed once the demo server listens.
pub fn welcome(base: &str) -> String {
    format!(
        "\nSinergi demo is running at {base}\n\n\
         Interactive API docs:   {base}/docs/\n\
         OpenAPI document:       {base}/openapi.json\n\n\
         Try:\n\
         \x20 curl -s {base}/v1/programs\n\
         \x20 curl -s {base}/v1/agencies\n\
         \x20 curl -s {base}/v1/regions/33.01.01.2001\n\n\
         This is demo data: do not load real personal data into this database.\n"
    )
}
