//! The demo records themselves: graduations of KEMENSOS families (type, reason, PKH
//! components, welfare decile) and the enrollments some of those families make in the other
//! ministries' empowerment programs. Pure functions of a seed: they write nothing and read
//! only the region table (through [`super::people`]).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use super::people::{Issued, POOL, SplitMix64, district_digits};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::enrollment::{EnrollmentInput, EnrollmentStatus, Subject};
use crate::domain::graduation::{GraduationInput, GraduationType, Household, WelfareDecile};
use crate::domain::record::{Attributes, CalendarDate, Reason, SourceRecordId};

/// The last day any demo date may fall on.
fn latest_day() -> NaiveDate {
    date(2026, 11, 27)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a fixed, real date")
}

fn calendar(day: NaiveDate) -> CalendarDate {
    CalendarDate::parse(&day.format("%Y-%m-%d").to_string()).expect("a chrono date is a date")
}

fn attributes(value: Value) -> Option<Attributes> {
    match value {
        Value::Object(map) => Some(Attributes::try_from(map).expect("shallow demo attributes")),
        _ => None,
    }
}

pub(super) fn text<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().expect("demo text is valid")
}

const TYPES: &[(GraduationType, u64)] = &[
    (GraduationType::Natural, 45),
    (GraduationType::SelfReliant, 30),
    (GraduationType::ExitNoncompliance, 15),
    (GraduationType::ExitDataCorrection, 10),
];

fn reason(rng: &mut SplitMix64, kind: GraduationType) -> &'static str {
    let choices: &[&str] = match kind {
        GraduationType::Natural => &[
            "Kondisi sosial ekonomi keluarga meningkat; tidak lagi memenuhi kriteria penerima",
            "Tidak ada lagi komponen kepesertaan (anak sekolah, ibu hamil, lansia) dalam keluarga",
            "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan",
        ],
        GraduationType::SelfReliant => &[
            "Keluarga menyatakan diri mampu dan mengundurkan diri secara sukarela",
            "Usaha keluarga berkembang; keluarga memilih graduasi sejahtera mandiri",
        ],
        GraduationType::ExitNoncompliance => &[
            "Tidak memenuhi kewajiban pemeriksaan kesehatan dan kehadiran sekolah selama 3 bulan",
            "Bantuan tidak dicairkan selama 3 periode berturut-turut",
        ],
        GraduationType::ExitDataCorrection => &[
            "Perbaikan data: keluarga tercatat ganda di DTSEN",
            "Perbaikan data: keluarga pindah domisili ke luar wilayah",
            "Perbaikan data: kepala keluarga meninggal dunia dan KK diperbarui",
        ],
    };
    choices[rng.below(choices.len() as u64) as usize]
}

const PKH_COMPONENTS: &[&str] = &[
    "ibu_hamil",
    "anak_usia_dini",
    "anak_sd",
    "anak_smp",
    "anak_sma",
    "lansia",
    "disabilitas_berat",
];

/// `count` graduations published by KEMENSOS, the same for the same `seed` (and region
/// table). The first `n` of `graduations(m, seed)` are `graduations(n, seed)` for `n <= m`.
/// Source record ids are `PKH-2025-3201-000001`-like and unique within one call.
pub fn graduations(count: usize, seed: u64) -> Vec<GraduationInput> {
    let pool = &*POOL;
    let mut rng = SplitMix64::new(seed);
    let mut issued = Issued::default();
    let (first_graduation, last_graduation) = (date(2025, 1, 2), date(2026, 6, 30));
    (0..count)
        .map(|i| {
            let village = pool.village(&mut rng);
            let district = district_digits(&village.code);
            // Where a NIK was first issued is not always where the family lives now.
            let registered = if rng.chance(10) {
                district_digits(&pool.village(&mut rng).code)
            } else {
                district.clone()
            };
            let head_female = rng.chance(20);
            let head_born = rng.day(date(1952, 1, 1), date(2000, 12, 31));
            let head_nik = issued.nik(&mut rng, &registered, head_born, head_female);
            let mut members = Vec::new();
            if !head_female || rng.chance(30) {
                let spouse_born = rng.day(
                    head_born - Days::new(365 * 3),
                    (head_born + Days::new(365 * 8)).min(date(2002, 12, 31)),
                );
                members.push(issued.nik(&mut rng, &registered, spouse_born, !head_female));
            }
            let children = rng.weighted(&[(0, 10), (1, 20), (2, 30), (3, 25), (4, 10), (5, 5)]);
            let (first_child, last_child) = (
                (head_born + Days::new(365 * 19)).max(date(1975, 1, 1)),
                date(2024, 12, 31),
            );
            for _ in 0..children {
                if first_child > last_child {
                    break;
                }
                let born = rng.day(first_child, last_child);
                let female = rng.chance(50);
                members.push(issued.nik(&mut rng, &district, born, female));
            }
            let kk_issued = rng.day(date(2008, 1, 1), date(2024, 12, 31));
            let kk = issued.kk(&mut rng, &district, kk_issued);

            let program = if rng.chance(60) { "PKH" } else { "SEMBAKO" };
            let graduation_type = rng.weighted(TYPES);
            let graduated_on = rng.day(first_graduation, last_graduation);
            let decile = match graduation_type {
                GraduationType::Natural => Some(rng.between(5, 8)),
                GraduationType::SelfReliant => Some(rng.between(4, 7)),
                GraduationType::ExitNoncompliance => Some(rng.between(1, 5)),
                GraduationType::ExitDataCorrection => rng.chance(40).then(|| rng.between(1, 10)),
            }
            .map(|d| WelfareDecile::try_from(d as u8).expect("deciles are drawn in 1..=10"));
            let regency = &district[..4];
            let since = rng.between(2014, 2023);
            let attrs = match (program, rng.chance(90)) {
                (_, false) => Value::Null,
                ("PKH", true) => {
                    let components: Vec<&str> = PKH_COMPONENTS
                        .iter()
                        .copied()
                        .filter(|_| rng.chance(30))
                        .collect();
                    json!({
                        "pendamping": format!("PD-{regency}-{:02}", rng.between(1, 40)),
                        "tahun_kepesertaan": since,
                        "komponen": components,
                    })
                }
                _ => json!({
                    "e_warong": format!("EW-{district}-{:03}", rng.between(1, 60)),
                    "tahun_kepesertaan": since,
                }),
            };
            let source = format!("{program}-{}-{regency}-{:06}", graduated_on.year(), i + 1);
            GraduationInput {
                source_record_id: text::<SourceRecordId>(&source),
                program: text::<ProgramCode>(program),
                household: Household { kk, head_nik },
                member_niks: members,
                region_code: village.code.clone(),
                graduation_type,
                graduated_on: calendar(graduated_on),
                welfare_decile: decile,
                reason: Some(text::<Reason>(reason(&mut rng, graduation_type))),
                attributes: attributes(attrs),
            }
        })
        .collect()
}

/// The empowerment programs graduated families join: (program, owning agency, weight).
pub(super) const EMPOWERMENT: &[(&str, &str, u64)] = &[
    ("PKTD", "KEMENDES", 25),
    ("KOPDES_MP", "KEMENKOP", 25),
    ("UMKM_NAIK_KELAS", "KEMENUMKM", 20),
    ("EKRAF_INKUBASI", "KEMENEKRAF", 10),
    ("PENA", "KEMENSOS", 20),
];

const STATUSES: &[(EnrollmentStatus, u64)] = &[
    (EnrollmentStatus::Active, 55),
    (EnrollmentStatus::Completed, 20),
    (EnrollmentStatus::Suspended, 10),
    (EnrollmentStatus::Exited, 15),
];

/// Enrollments of some of the `graduations` (about a third of the families, a few in two
/// programs) in the empowerment programs, each linked to its graduation by `ids[i]` (the
/// exchange's id of `graduations[i]`), with the household head's NIK and the KK as subject.
/// Answers each enrollment with the agency that publishes it. Which families enroll and
/// how depends only on the graduations and `seed`, never on the ids.
pub fn enrollments(
    graduations: &[GraduationInput],
    ids: &[uuid::Uuid],
    seed: u64,
) -> Vec<(AgencyCode, EnrollmentInput)> {
    assert_eq!(graduations.len(), ids.len(), "one id per graduation");
    let pool = &*POOL;
    let mut rng = SplitMix64::new(seed ^ 0x00E0_0011_0E17_5EED);
    let mut serials: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (graduation, id) in graduations.iter().zip(ids) {
        let percent = match graduation.graduation_type {
            GraduationType::Natural | GraduationType::SelfReliant => 45,
            GraduationType::ExitNoncompliance => 15,
            GraduationType::ExitDataCorrection => 5,
        };
        if !rng.chance(percent) {
            continue;
        }
        let programs = if rng.chance(12) { 2 } else { 1 };
        let mut taken: Vec<&str> = Vec::new();
        while taken.len() < programs {
            let weights: Vec<(usize, u64)> = EMPOWERMENT
                .iter()
                .enumerate()
                .filter(|(_, (p, _, _))| !taken.contains(p))
                .map(|(i, (_, _, w))| (i, *w))
                .collect();
            let (program, agency, _) = EMPOWERMENT[rng.weighted(&weights)];
            taken.push(program);

            let graduated: NaiveDate =
                NaiveDate::parse_from_str(&graduation.graduated_on.to_string(), "%Y-%m-%d")
                    .expect("a calendar date");
            let enrolled_on = rng.day(graduated + Days::new(7), graduated + Days::new(150));
            let status = rng.weighted(STATUSES);
            let ended_on = match status {
                EnrollmentStatus::Completed | EnrollmentStatus::Exited => {
                    let end = enrolled_on + Days::new(rng.between(30, 240));
                    Some(end.min(latest_day()).max(enrolled_on))
                }
                _ => None,
            };
            let village = pool.name_of(&graduation.region_code);
            let attrs = match program {
                "PKTD" => json!({
                    "kelompok_kerja": format!("Padat Karya Desa {village}"),
                    "hari_orang_kerja": rng.between(20, 60),
                }),
                "KOPDES_MP" => json!({
                    "koperasi": format!("Koperasi Desa Merah Putih {village}"),
                    "peran": if rng.chance(15) { "pengurus" } else { "anggota" },
                }),
                "UMKM_NAIK_KELAS" => json!({
                    "sektor": rng.pick(&["kuliner", "fesyen", "kriya", "perdagangan", "jasa"]),
                    "skala_usaha": if rng.chance(80) { "mikro" } else { "kecil" },
                }),
                "EKRAF_INKUBASI" => json!({
                    "subsektor": rng.pick(&["kuliner", "kriya", "fesyen", "aplikasi", "musik"]),
                    "angkatan": enrolled_on.year(),
                }),
                _ => json!({
                    "jenis_usaha": rng.pick(&["warung kelontong", "kue basah", "jahit", "ternak ayam"]),
                    "modal_usaha_rupiah": rng.between(3, 10) * 500_000,
                }),
            };
            let serial = serials.entry(program).or_default();
            *serial += 1;
            let source = format!("{program}-{}-{:06}", enrolled_on.year(), serial);
            out.push((
                text::<AgencyCode>(agency),
                EnrollmentInput {
                    source_record_id: text::<SourceRecordId>(&source),
                    program: text::<ProgramCode>(program),
                    subject: Subject {
                        nik: Some(graduation.household.head_nik.clone()),
                        kk: Some(graduation.household.kk.clone()),
                    },
                    region_code: graduation.region_code.clone(),
                    status,
                    enrolled_on: calendar(enrolled_on),
                    ended_on: ended_on.map(calendar),
                    graduation_id: Some(*id),
                    attributes: attributes(attrs),
                },
            ));
        }
    }
    out
}
