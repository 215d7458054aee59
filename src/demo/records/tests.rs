use std::collections::HashSet;

use super::generate::EMPOWERMENT;
use super::people::{PROVINCES, district_digits};
use super::*;
use crate::domain::kk::Kk;
use crate::domain::record::Content;
use crate::domain::region::RegionCode;

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
    let found = search(&mut conn, RecordKind::Graduation, &filter, None, None, 10).unwrap();
    assert_eq!(found.len(), 1);
    let found = search(&mut conn, RecordKind::Enrollment, &filter, None, None, 10).unwrap();
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
