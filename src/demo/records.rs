//! Synthetic but valid demo records: Kementerian Sosial graduations (PKH, SEMBAKO) of
//! families in real villages of six provinces, and the enrollments of some of those families
//! in the other ministries' empowerment programs.
//!
//! Everything is drawn from a small seeded PRNG (SplitMix64, written out here so the stream
//! can never change under a dependency upgrade), so the same seed gives the same records on
//! every run and every machine, for a given region table. Every identifier is built with the
//! domain types' own parsers, so nothing invalid is ever produced. The records are written
//! through [`crate::records::publish::write`], the code the API uses, so history and the NIK
//! index are exactly what publishing over HTTP would leave; writing them again finds them
//! unchanged.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use super::DemoError;
use crate::audit::report::Touched;
use crate::db::{AnyConnection, meta};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::enrollment::{EnrollmentInput, EnrollmentStatus, Subject};
use crate::domain::graduation::{GraduationInput, GraduationType, Household, WelfareDecile};
use crate::domain::kk::Kk;
use crate::domain::nik::Nik;
use crate::domain::record::{Attributes, CalendarDate, Content, Reason, SourceRecordId};
use crate::domain::region::{RegionCode, RegionLevel};
use crate::records::error::RecordsError;
use crate::records::publish::{self, Prepared, WriteResult, Written};

/// How many graduations `serve --demo` loads.
pub const DEMO_GRADUATIONS: usize = 3_000;
/// The seed of the demo data set. Changing it changes every demo record.
pub const DEMO_SEED: u64 = 2026;
/// Records per publishing transaction, the API's batch limit.
const CHUNK: usize = 1_000;

/// The provinces the demo families live in, with a weight for how many live there:
/// Jawa Barat, Jawa Tengah, Jawa Timur, Nusa Tenggara Barat, Nusa Tenggara Timur and
/// Sulawesi Selatan.
const PROVINCES: &[(&str, u64)] = &[
    ("32", 24),
    ("33", 22),
    ("35", 24),
    ("52", 10),
    ("53", 10),
    ("73", 10),
];
/// Regencies drawn per province; families live in these regencies' villages only, so a
/// region search finds clusters rather than one family per village.
const REGENCIES_PER_PROVINCE: usize = 4;
/// Seed of the draw of regencies: fixed, so the region pool does not depend on the seed
/// of the records.
const REGION_SEED: u64 = 0x05EE_D0F2_E610;

/// The last day any demo date may fall on.
fn latest_day() -> NaiveDate {
    date(2026, 11, 27)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a fixed, real date")
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0), by multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut n = self.below(total);
        for (item, weight) in items {
            if n < *weight {
                return *item;
            }
            n -= weight;
        }
        unreachable!("n is below the total weight")
    }

    /// A day in `from..=to`.
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days() as u64;
        from + Days::new(self.below(span + 1))
    }
}

/// A village of the pool: its code and name.
#[derive(Debug, Clone)]
struct Village {
    code: RegionCode,
    name: String,
}

/// The villages demo families live in, per province (in [`PROVINCES`] order).
struct RegionPool {
    provinces: Vec<Vec<Vec<Village>>>,
    /// Every village of the pool, sorted by code, for name look-ups.
    by_code: Vec<Village>,
}

static POOL: LazyLock<RegionPool> = LazyLock::new(RegionPool::load);

impl RegionPool {
    fn load() -> Self {
        // regency (dotted, "32.01") -> its villages, for the demo provinces only.
        let mut regencies: BTreeMap<String, Vec<Village>> = BTreeMap::new();
        for row in crate::domain::region::rows() {
            if row.level != RegionLevel::Village
                || !PROVINCES.iter().any(|(p, _)| row.code.starts_with(p))
            {
                continue;
            }
            // Only codes the exchange accepts as a region_code.
            let Ok(code) = RegionCode::parse(&row.code) else {
                continue;
            };
            regencies
                .entry(code.regency().to_owned())
                .or_default()
                .push(Village {
                    code,
                    name: row.name,
                });
        }
        let mut rng = SplitMix64::new(REGION_SEED);
        let mut provinces = Vec::new();
        let mut by_code = Vec::new();
        for (province, _) in PROVINCES {
            let mut candidates: Vec<&String> = regencies
                .keys()
                .filter(|r| r.starts_with(&format!("{province}.")))
                .collect();
            assert!(
                !candidates.is_empty(),
                "the region table has villages in province {province}"
            );
            let mut chosen = Vec::new();
            while chosen.len() < REGENCIES_PER_PROVINCE && !candidates.is_empty() {
                let i = rng.below(candidates.len() as u64) as usize;
                let villages = regencies[candidates.remove(i)].clone();
                by_code.extend(villages.iter().cloned());
                chosen.push(villages);
            }
            provinces.push(chosen);
        }
        by_code.sort_by(|a, b| a.code.cmp(&b.code));
        Self { provinces, by_code }
    }

    fn village(&self, rng: &mut SplitMix64) -> &Village {
        let weights: Vec<(usize, u64)> = PROVINCES
            .iter()
            .enumerate()
            .map(|(i, (_, w))| (i, *w))
            .collect();
        let province = &self.provinces[rng.weighted(&weights)];
        let regency = rng.pick(province);
        rng.pick(regency)
    }

    fn name_of(&self, code: &RegionCode) -> &str {
        self.by_code
            .binary_search_by(|v| v.code.cmp(code))
            .map_or("", |i| self.by_code[i].name.as_str())
    }
}

/// NIKs and KKs already handed out, so that no two people share a NIK and no two families
/// a KK.
#[derive(Default)]
struct Issued {
    niks: HashSet<String>,
    kks: HashSet<String>,
}

/// `PPKKCC` of a village code: the six digits of its district.
fn district_digits(code: &RegionCode) -> String {
    code.district().replace('.', "")
}

impl Issued {
    /// A NIK registered in `district` (six digits) for someone born on `birth`.
    fn nik(&mut self, rng: &mut SplitMix64, district: &str, birth: NaiveDate, female: bool) -> Nik {
        let day = birth.day() + if female { 40 } else { 0 };
        let (month, yy) = (birth.month(), birth.year() % 100);
        for _ in 0..1_000 {
            let serial = rng.between(1, 9_999);
            let text = format!("{district}{day:02}{month:02}{yy:02}{serial:04}");
            if self.niks.contains(&text) {
                continue;
            }
            if let Ok(nik) = Nik::parse(&text) {
                self.niks.insert(text);
                return nik;
            }
        }
        panic!("cannot build a valid, unused NIK in district {district}: a generator defect")
    }

    /// A family card issued in `district` on `issued`.
    fn kk(&mut self, rng: &mut SplitMix64, district: &str, issued: NaiveDate) -> Kk {
        let stamp = issued.format("%d%m%y");
        for _ in 0..1_000 {
            let serial = rng.between(1, 9_999);
            let text = format!("{district}{stamp}{serial:04}");
            if self.kks.contains(&text) {
                continue;
            }
            if let Ok(kk) = Kk::parse(&text) {
                self.kks.insert(text);
                return kk;
            }
        }
        panic!("cannot build a valid, unused KK in district {district}: a generator defect")
    }
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

fn text<T: std::str::FromStr>(s: &str) -> T
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
const EMPOWERMENT: &[(&str, &str, u64)] = &[
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

/// What loading the demo records did, per kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub graduations: Counts,
    pub enrollments: Counts,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn add(&mut self, result: WriteResult) {
        match result {
            WriteResult::Created => self.created += 1,
            WriteResult::Updated => self.updated += 1,
            WriteResult::Unchanged => self.unchanged += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.created + self.updated + self.unchanged
    }
}

/// Writes one chunk in one transaction, as the API does (run again after a lost race).
fn write_chunk<C: Content>(
    conn: &mut AnyConnection,
    publisher: &AgencyCode,
    chunk: &[Prepared<C>],
) -> Result<Vec<Written>, DemoError> {
    crate::db::write_transaction_retrying(conn, |conn| {
        publish::write(conn, publisher, chunk, None, &mut Touched::default())
    })
    .map_err(|e| match e {
        RecordsError::Db(crate::db::DbError::Query(e)) => DemoError::Db(e),
        other => unreachable!("the demo writes without a precondition or an entry: {other}"),
    })
}

/// Publishes the demo records into a database that [`super::seed`] prepared, through the
/// publishing code the API uses, in transactions of up to 1,000 records. Running it again
/// leaves everything unchanged.
pub fn load(conn: &mut AnyConnection) -> Result<Loaded, DemoError> {
    if meta::get(conn, meta::DEMO)?.is_none() {
        return Err(DemoError::NotDemo);
    }
    let mut loaded = Loaded::default();
    let kemensos = text::<AgencyCode>("KEMENSOS");
    let mut graduations = Vec::with_capacity(DEMO_GRADUATIONS);
    let mut ids = Vec::with_capacity(DEMO_GRADUATIONS);
    let all = graduations_prepared(DEMO_GRADUATIONS, DEMO_SEED);
    for chunk in all.chunks(CHUNK) {
        let written = write_chunk(conn, &kemensos, chunk)?;
        for (item, w) in chunk.iter().zip(written) {
            loaded.graduations.add(w.result);
            ids.push(w.meta.id);
            graduations.push(item.content.clone());
        }
    }
    let mut by_agency: BTreeMap<AgencyCode, Vec<Prepared<EnrollmentInput>>> = BTreeMap::new();
    for (agency, enrollment) in enrollments(&graduations, &ids, DEMO_SEED) {
        by_agency
            .entry(agency)
            .or_default()
            .push(Prepared::new(enrollment));
    }
    for (agency, items) in &by_agency {
        for chunk in items.chunks(CHUNK) {
            let written = write_chunk(conn, agency, chunk)?;
            for w in written {
                loaded.enrollments.add(w.result);
            }
        }
    }
    Ok(loaded)
}

fn graduations_prepared(count: usize, seed: u64) -> Vec<Prepared<GraduationInput>> {
    graduations(count, seed)
        .into_iter()
        .map(Prepared::new)
        .collect()
}

/// A NIK of the demo data that both a graduation and an enrollment are found by, and the
/// number of demo enrollments.
pub fn sample() -> (Nik, usize) {
    let graduations = graduations(DEMO_GRADUATIONS, DEMO_SEED);
    let ids = vec![uuid::Uuid::nil(); graduations.len()];
    let enrollments = enrollments(&graduations, &ids, DEMO_SEED);
    let nik = enrollments
        .first()
        .and_then(|(_, e)| e.subject.nik.clone())
        .unwrap_or_else(|| graduations[0].household.head_nik.clone());
    (nik, enrollments.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::Content;

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let a = graduations(500, 7);
        assert_eq!(a, graduations(500, 7));
        assert_ne!(a, graduations(500, 8));
        // A prefix does not depend on how many are asked for.
        assert_eq!(graduations(50, 7), a[..50]);
        let ids: Vec<uuid::Uuid> = (0..a.len()).map(|_| uuid::Uuid::now_v7()).collect();
        assert_eq!(enrollments(&a, &ids, 7), enrollments(&a, &ids, 7));
    }

    #[test]
    fn the_demo_records_are_pinned() {
        // The welcome message and integrators' notes rely on these exact records.
        let first = &graduations(1, DEMO_SEED)[0];
        let again = &graduations(DEMO_GRADUATIONS, DEMO_SEED)[0];
        assert_eq!(first, again);
        let (nik, count) = sample();
        assert_eq!((nik.clone(), count), sample());
        // 30 to 40 % of the families enroll somewhere, some of them twice.
        let all = graduations(DEMO_GRADUATIONS, DEMO_SEED);
        let ids = vec![uuid::Uuid::nil(); all.len()];
        let enrolled = enrollments(&all, &ids, DEMO_SEED);
        assert_eq!(enrolled.len(), count);
        let families: HashSet<&Nik> = enrolled
            .iter()
            .filter_map(|(_, e)| e.subject.nik.as_ref())
            .collect();
        let share = families.len() * 100 / DEMO_GRADUATIONS;
        assert!(
            (30..=40).contains(&share),
            "{share} % of the families enroll"
        );
        assert!(families.contains(&nik));
        assert!(all.iter().any(|g| g.household.head_nik == nik));
    }

    #[test]
    fn every_identifier_is_valid_and_unique() {
        let all = graduations(DEMO_GRADUATIONS, DEMO_SEED);
        let mut niks = HashSet::new();
        let mut kks = HashSet::new();
        let mut sources = HashSet::new();
        let mut provinces = HashSet::new();
        let mut types = HashSet::new();
        for g in &all {
            // Round trip through JSON: exactly what the API would accept.
            let json = serde_json::to_value(g).unwrap();
            let back: GraduationInput = serde_json::from_value(json).unwrap();
            assert_eq!(&back, g);
            assert!(g.problems().is_empty(), "{:?}", g.problems());
            for nik in std::iter::once(&g.household.head_nik).chain(&g.member_niks) {
                assert!(Nik::parse(nik.as_str()).is_ok());
                assert!(niks.insert(nik.as_str().to_owned()), "a NIK repeats");
                let (day, month, _) = nik.birth_date();
                assert!((1..=31).contains(&day) && (1..=12).contains(&month));
            }
            let kk = g.household.kk.as_str();
            assert!(Kk::parse(kk).is_ok());
            assert_ne!(&kk[12..], "0000");
            assert!(kks.insert(kk.to_owned()), "a KK repeats");
            // The KK was issued in the family's district.
            assert_eq!(&kk[..6], district_digits(&g.region_code));
            assert!(RegionCode::parse(g.region_code.as_str()).is_ok());
            assert!(sources.insert(g.source_record_id.clone()));
            assert!(["PKH", "SEMBAKO"].contains(&g.program.as_str()));
            let day = g.graduated_on.to_string();
            assert!(
                ("2025-01-01".."2026-12-31").contains(&day.as_str()),
                "{day}"
            );
            provinces.insert(g.region_code.province().to_owned());
            types.insert(format!("{:?}", g.graduation_type));
        }
        assert_eq!(provinces.len(), PROVINCES.len());
        assert_eq!(types.len(), 4, "every graduation type occurs");
    }

    #[test]
    fn enrollments_follow_their_graduations() {
        let all = graduations(DEMO_GRADUATIONS, DEMO_SEED);
        let ids: Vec<uuid::Uuid> = (0..all.len()).map(|_| uuid::Uuid::now_v7()).collect();
        let enrollments = enrollments(&all, &ids, DEMO_SEED);
        let mut sources = HashSet::new();
        let mut statuses = HashSet::new();
        let mut programs = HashSet::new();
        for (agency, e) in &enrollments {
            let i = ids
                .iter()
                .position(|id| Some(*id) == e.graduation_id)
                .expect("linked to a graduation");
            let g = &all[i];
            assert_eq!(e.subject.nik.as_ref(), Some(&g.household.head_nik));
            assert_eq!(e.subject.kk.as_ref(), Some(&g.household.kk));
            assert_eq!(e.region_code, g.region_code);
            assert!(e.enrolled_on > g.graduated_on);
            assert!(e.problems().is_empty(), "{:?}", e.problems());
            let owner = EMPOWERMENT
                .iter()
                .find(|(p, _, _)| *p == e.program.as_str())
                .expect("an empowerment program");
            assert_eq!(agency.as_str(), owner.1);
            assert!(sources.insert((agency.clone(), e.source_record_id.clone())));
            statuses.insert(e.status.as_str());
            programs.insert(e.program.as_str().to_owned());
        }
        assert_eq!(statuses.len(), 4);
        assert_eq!(programs.len(), EMPOWERMENT.len());
    }

    #[test]
    fn loading_twice_publishes_once_and_the_sample_is_found() {
        use crate::db::records::{Filter, search};
        use crate::domain::record::RecordKind;

        let dir = tempfile::tempdir().unwrap();
        let url = crate::db::DatabaseUrl::Sqlite(dir.path().join("demo.db").display().to_string());
        let mut conn = crate::startup::prepare_database(&url).unwrap();
        // Records only go into a database the demo seeded.
        assert!(matches!(load(&mut conn), Err(DemoError::NotDemo)));

        let started = std::time::Instant::now();
        let first = super::super::seed_with_records(&mut conn).unwrap();
        eprintln!("demo records loaded in {:?}: {first:?}", started.elapsed());
        let (nik, enrollments) = sample();
        assert_eq!(first.graduations.created, DEMO_GRADUATIONS);
        assert_eq!(first.enrollments.created, enrollments);

        let started = std::time::Instant::now();
        let second = super::super::seed_with_records(&mut conn).unwrap();
        eprintln!("loaded again in {:?}: {second:?}", started.elapsed());
        assert_eq!(second.graduations.unchanged, DEMO_GRADUATIONS);
        assert_eq!(second.enrollments.unchanged, enrollments);
        assert_eq!(
            second.graduations.total() + second.enrollments.total(),
            DEMO_GRADUATIONS + enrollments
        );

        let filter = Filter {
            nik: Some(nik.as_str().to_owned()),
            ..Filter::default()
        };
        let found = search(&mut conn, RecordKind::Graduation, &filter, None, 10).unwrap();
        assert_eq!(found.len(), 1);
        let found = search(&mut conn, RecordKind::Enrollment, &filter, None, 10).unwrap();
        assert!(!found.is_empty());
        // One version each: nothing was written twice.
        let history = crate::db::records::history(&mut conn, &found[0].id).unwrap();
        assert_eq!(history.len(), 1);
    }

    #[test]
    fn a_large_set_stays_valid() {
        let all = graduations(20_000, 99);
        let niks: HashSet<&str> = all
            .iter()
            .flat_map(|g| std::iter::once(&g.household.head_nik).chain(&g.member_niks))
            .map(Nik::as_str)
            .collect();
        let people: usize = all.iter().map(|g| 1 + g.member_niks.len()).sum();
        assert_eq!(niks.len(), people, "NIKs stay unique");
    }
}
