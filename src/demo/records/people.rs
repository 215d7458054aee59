//! Who the demo families are and where they live: the seeded PRNG every draw comes from, the
//! pool of real villages in six provinces, and NIKs and KKs issued in those villages' districts
//! without collisions. It owns no record shapes (those are [`super::generate`]'s) and writes
//! nothing.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};

use crate::domain::kk::Kk;
use crate::domain::nik::Nik;
use crate::domain::region::{RegionCode, RegionLevel};

/// The provinces the demo families live in, with a weight for how many live there:
/// Jawa Barat, Jawa Tengah, Jawa Timur, Nusa Tenggara Barat, Nusa Tenggara Timur and
/// Sulawesi Selatan.
pub(super) const PROVINCES: &[(&str, u64)] = &[
    ("32", 24),
    ("33", 22),
    ("35", 24),
    ("52", 10),
    ("53", 10),
    ("73", 10),
];
/// Regencies drawn per province; families live in these regencies' villages only, so a
/// region search finds clusters rather than one family per village.
pub(super) const REGENCIES_PER_PROVINCE: usize = 4;
/// Seed of the draw of regencies: fixed, so the region pool does not depend on the seed
/// of the records.
pub(super) const REGION_SEED: u64 = 0x05EE_D0F2_E610;

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and good enough for synthetic data.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0), by multiply-shift.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub(super) fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
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
    pub(super) fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days() as u64;
        from + Days::new(self.below(span + 1))
    }
}

/// A village of the pool: its code and name.
#[derive(Debug, Clone)]
pub(super) struct Village {
    pub(super) code: RegionCode,
    pub(super) name: String,
}

/// The villages demo families live in, per province (in [`PROVINCES`] order).
pub(super) struct RegionPool {
    provinces: Vec<Vec<Vec<Village>>>,
    /// Every village of the pool, sorted by code, for name look-ups.
    by_code: Vec<Village>,
}

pub(super) static POOL: LazyLock<RegionPool> = LazyLock::new(RegionPool::load);

impl RegionPool {
    pub(super) fn load() -> Self {
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

    pub(super) fn village(&self, rng: &mut SplitMix64) -> &Village {
        let weights: Vec<(usize, u64)> = PROVINCES
            .iter()
            .enumerate()
            .map(|(i, (_, w))| (i, *w))
            .collect();
        let province = &self.provinces[rng.weighted(&weights)];
        let regency = rng.pick(province);
        rng.pick(regency)
    }

    pub(super) fn name_of(&self, code: &RegionCode) -> &str {
        self.by_code
            .binary_search_by(|v| v.code.cmp(code))
            .map_or("", |i| self.by_code[i].name.as_str())
    }
}

/// NIKs and KKs already handed out, so that no two people share a NIK and no two families
/// a KK.
#[derive(Default)]
pub(super) struct Issued {
    niks: HashSet<String>,
    kks: HashSet<String>,
}

/// `PPKKCC` of a village code: the six digits of its district.
pub(super) fn district_digits(code: &RegionCode) -> String {
    code.district().replace('.', "")
}

impl Issued {
    /// A NIK registered in `district` (six digits) for someone born on `birth`.
    pub(super) fn nik(
        &mut self,
        rng: &mut SplitMix64,
        district: &str,
        birth: NaiveDate,
        female: bool,
    ) -> Nik {
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
    pub(super) fn kk(&mut self, rng: &mut SplitMix64, district: &str, issued: NaiveDate) -> Kk {
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
