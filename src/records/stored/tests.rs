use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::code::AgencyCode;
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::graduation::GraduationInput;
use crate::domain::record::{Content, canonical};

fn meta(retracted: bool) -> Meta {
    Meta {
        id: uuid::Uuid::now_v7(),
        publisher: AgencyCode::parse("KEMENSOS").unwrap(),
        version: 3,
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        updated_at: Utc::now(),
        retracted,
        retraction_reason: retracted.then(|| Reason::parse("Data ganda").unwrap()),
    }
}

/// The stored path answers what the typed path answers, and reports the same record and
/// people for the audit entry.
fn same_as_typed<C: Content>(example: serde_json::Value) {
    let content: C = serde_json::from_value(example).unwrap();
    let (stored, _) = canonical(&content);
    for retracted in [false, true] {
        let meta = meta(retracted);
        let mut fast = Touched::default();
        let record = own(&stored, &meta, &mut fast).unwrap();
        let mut typed = Touched::default();
        typed.add(&meta.id.to_string(), &content);
        let expected = serde_json::to_value(content.clone().into_record(meta)).unwrap();
        let got: serde_json::Value = serde_json::from_str(record.get()).unwrap();
        assert_eq!(got, expected);
        assert_eq!(fast.record_ids, typed.record_ids);
        for touched in [&mut fast, &mut typed] {
            touched.niks.sort();
            touched.niks.dedup();
        }
        assert!(!typed.niks.is_empty() || !typed.kks.is_empty());
        assert_eq!(fast.niks, typed.niks);
        assert_eq!(fast.kks, typed.kks);
    }
}

#[test]
fn a_graduation_reads_back_as_the_typed_path_writes_it() {
    same_as_typed::<GraduationInput>(GraduationInput::example());
}

#[test]
fn a_graduation_with_members_names_each_of_them() {
    let mut example = GraduationInput::example();
    example["member_niks"] = serde_json::json!(["3201014101100002", "3201015203120001"]);
    same_as_typed::<GraduationInput>(example);
}

#[test]
fn an_enrollment_reads_back_as_the_typed_path_writes_it() {
    same_as_typed::<EnrollmentInput>(EnrollmentInput::example());
}

#[test]
fn content_that_is_no_record_is_corrupt_not_a_record() {
    for content in [
        "",
        "[]",
        "{}",
        "{\"source_record_id\":\"A\"",
        "{\"household\":{\"kk\":3201012308150007,\"head_nik\":\"3201011507850003\"}}",
        "{\"subject\":{\"nik\":[]}}",
    ] {
        let mut touched = Touched::default();
        assert!(
            own(content, &meta(false), &mut touched).is_err(),
            "{content} was taken for a record"
        );
        assert!(touched.record_ids.is_empty() && touched.niks.is_empty());
    }
}
