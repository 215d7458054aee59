use serde_json::json;

use super::*;
use crate::domain::graduation::{GraduationInput, graduation_input_example};

fn pointers(checked: &Checked<GraduationInput>) -> Vec<&str> {
    checked.errors.iter().map(|e| e.pointer.as_str()).collect()
}

fn check(value: Value, limit: usize) -> Checked<GraduationInput> {
    // Field names are repeated only once the schema's names are known.
    crate::api::openapi::names::learn();
    deserialize_all(value, "/items/3", Some(graduation_input_example), limit)
}

#[test]
fn every_refused_field_of_a_messy_record_is_reported() {
    let mut value = graduation_input_example();
    value["household"] = json!({"kk": "123", "head_nik": "3578111508850000"});
    value["region_code"] = json!("99.99.99.9999");
    value["welfare_decile"] = json!(0);
    value["member_niks"] = json!(["3201015508870002", "12", "3201015508870002x"]);
    let checked = check(value, MAX_ERRORS);
    assert_eq!(
        pointers(&checked),
        [
            "/items/3/household/head_nik",
            "/items/3/household/kk",
            "/items/3/member_niks/1",
            "/items/3/member_niks/2",
            "/items/3/region_code",
            "/items/3/welfare_decile",
        ]
    );
    assert!(!checked.cut);
    assert!(checked.value.is_some(), "every part had a stand-in");
}

#[test]
fn every_missing_and_unknown_field_is_reported() {
    let value = json!({
        "program": "PKH",
        "graduated_on": 7,
        "colour": "blue",
        "household": {"kk": "3201012308150007", "size": 4},
        "hobby": 1,
    });
    let checked = check(value, MAX_ERRORS);
    let mut got = pointers(&checked);
    got.sort();
    assert_eq!(
        got,
        [
            // Unknown names are never repeated: the pointer is the object holding them.
            "/items/3",
            "/items/3",
            "/items/3/graduated_on",
            "/items/3/graduation_type",
            "/items/3/household/head_nik",
            "/items/3/household/size",
            "/items/3/region_code",
            "/items/3/source_record_id",
        ]
    );
    assert!(!checked.cut);
}

#[test]
fn a_list_longer_than_the_limit_is_cut_and_says_so() {
    let value = json!({"household": {}, "member_niks": ["1", "2", "3"]});
    let checked = check(value, 2);
    assert_eq!(checked.errors.len(), 2);
    assert!(checked.cut);
    assert!(checked.value.is_none());
}

#[test]
fn without_an_example_optional_members_are_dropped_and_a_missing_one_ends_the_passes() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Filter {
        limit: Option<u16>,
        include_retracted: Option<bool>,
        program: String,
    }
    crate::api::openapi::names::learn();
    let checked: Checked<Filter> = deserialize_all(
        json!({"limit": -1, "include_retracted": "yes", "extra": 1}),
        "",
        None,
        MAX_ERRORS,
    );
    let got: Vec<&str> = checked.errors.iter().map(|e| e.pointer.as_str()).collect();
    // serde_json keeps members in name order, so the errors come in that order.
    assert_eq!(got, ["", "/include_retracted", "/limit", "/program"]);
    assert!(checked.value.is_none());
    // A required member refused for its value is not reported missing as well.
    let checked: Checked<Filter> =
        deserialize_all(json!({"program": 5, "limit": -1}), "", None, MAX_ERRORS);
    let got: Vec<&str> = checked.errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(got, ["/limit", "/program"]);
}

#[test]
fn a_rule_about_a_replaced_part_is_not_reported() {
    let replaced = vec!["/member_niks/1".to_owned(), "/enrolled_on".to_owned()];
    assert!(!concerns_none_of(&replaced, "/member_niks/1", "x"));
    assert!(!concerns_none_of(
        &replaced,
        "/member_niks/2",
        "repeats /member_niks/1"
    ));
    assert!(!concerns_none_of(
        &replaced,
        "/ended_on",
        "must not be before enrolled_on"
    ));
    assert!(concerns_none_of(&replaced, "/member_niks/10", "x"));
    assert!(concerns_none_of(
        &replaced,
        "/graduated_on",
        "is implausible"
    ));
}
