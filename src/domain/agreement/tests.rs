use super::*;

fn terms() -> Terms {
    let mut t: Terms = serde_json::from_value(terms_example()).unwrap();
    t.normalise();
    t
}

#[test]
fn the_example_is_valid() {
    assert!(terms().problems("").is_empty());
}

#[test]
fn each_broken_rule_is_named_by_its_pointer() {
    let mut t = terms();
    t.record_kinds.clear();
    t.purposes.clear();
    t.programs = Some(vec![]);
    t.fields = vec!["/household/kk".into(), "/id".into()];
    t.legal_reference = "PKS 3201011507850003".into();
    t.document_sha256 = Some("ABC".into());
    t.valid_until = t.valid_from;
    t.retention_days = 0;
    let pointers: Vec<String> = t.problems("").into_iter().map(|e| e.pointer).collect();
    assert_eq!(
        pointers,
        [
            "/record_kinds",
            "/programs",
            "/purposes",
            "/fields/0",
            "/fields/1",
            "/legal_reference",
            "/document_sha256",
            "/valid_until",
            "/retention_days"
        ]
    );
}

#[test]
fn a_field_must_belong_to_a_listed_kind() {
    let mut t = terms();
    t.fields = vec!["/subject/nik".into()];
    assert_eq!(t.problems("/terms")[0].pointer, "/terms/fields/0");
    t.record_kinds.push(RecordKind::Enrollment);
    assert!(t.problems("").is_empty());
}

#[test]
fn narrowing_widens_nothing_and_each_widening_is_named() {
    let old = terms();
    let mut narrower = old.clone();
    narrower.fields.retain(|f| f != "/household/head_nik");
    narrower.programs = Some(vec![ProgramCode::parse("PKH").unwrap()]);
    narrower.region_prefixes = Some(vec![AnyRegionCode::parse("32.01").unwrap()]);
    narrower.retention_days = 30;
    narrower.valid_until = old.valid_until - chrono::Duration::days(1);
    assert!(narrower.widens(&old).is_empty());

    let mut wider = old.clone();
    wider.fields.push("/member_niks".into());
    wider.search_keys.push(SearchKey::Nik);
    wider.purposes.push(PurposeCode::parse("AUDIT").unwrap());
    wider.programs = None;
    wider.valid_until = old.valid_until + chrono::Duration::days(1);
    wider.normalise();
    assert_eq!(
        wider.widens(&old),
        [
            "programs",
            "purposes",
            "fields",
            "search_keys",
            "valid_until"
        ]
    );
    // A sub-region of an allowed region is narrower; a sibling is wider.
    let mut regional = old.clone();
    regional.region_prefixes = Some(vec![AnyRegionCode::parse("32").unwrap()]);
    let mut sub = regional.clone();
    sub.region_prefixes = Some(vec![AnyRegionCode::parse("32.01.01").unwrap()]);
    assert!(sub.widens(&regional).is_empty());
    sub.region_prefixes = Some(vec![AnyRegionCode::parse("33").unwrap()]);
    assert_eq!(sub.widens(&regional), ["region_prefixes"]);
}

#[test]
fn an_enclosing_object_covers_its_members() {
    let fields = vec!["/household".to_owned()];
    assert!(covers(&fields, "/household/kk"));
    assert!(covers(&fields, "/household"));
    assert!(!covers(&fields, "/householder"));
    assert!(!covers(&["/household/kk".to_owned()], "/household"));
}

#[test]
fn records_are_covered_by_kind_program_and_region() {
    let mut t = terms();
    assert!(t.covers_record(RecordKind::Graduation, "PKH", "3201011002"));
    assert!(!t.covers_record(RecordKind::Enrollment, "PKH", "3201011002"));
    assert!(!t.covers_record(RecordKind::Graduation, "PENA", "3201011002"));
    t.region_prefixes = Some(vec![AnyRegionCode::parse("32.01").unwrap()]);
    assert!(t.covers_record(RecordKind::Graduation, "PKH", "3201011002"));
    assert!(!t.covers_record(RecordKind::Graduation, "PKH", "3202011001"));
}
