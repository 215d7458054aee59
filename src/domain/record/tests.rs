use super::*;

#[test]
fn dates_must_be_strict_and_real() {
    assert!(CalendarDate::parse("2026-02-28").is_ok());
    assert_eq!(
        CalendarDate::parse("2026-02-29"),
        Err(DateError::Nonexistent)
    );
    assert_eq!(CalendarDate::parse("2026-2-28"), Err(DateError::Format));
    assert_eq!(CalendarDate::parse(" 2026-02-28"), Err(DateError::Format));
    assert_eq!(
        CalendarDate::parse("2026-02-28T00:00:00"),
        Err(DateError::Format)
    );
    assert!(
        !CalendarDate::parse("1899-12-31")
            .unwrap()
            .plausible_for_record()
    );
    assert!(
        CalendarDate::parse("2199-12-31")
            .unwrap()
            .plausible_for_record()
    );
    assert_eq!(
        CalendarDate::parse("２０２６-02-28"),
        Err(DateError::Format)
    );
}

#[test]
fn text_refuses_control_characters_and_counts_characters() {
    assert!(SourceRecordId::parse(&"é".repeat(128)).is_ok());
    assert!(SourceRecordId::parse(&"é".repeat(129)).is_err());
    assert_eq!(SourceRecordId::parse("a\nb"), Err(TextError::Control(2)));
    assert_eq!(SourceRecordId::parse(""), Err(TextError::Empty));
    assert!(Reason::parse("x\u{85}").is_err());
}

#[test]
fn attributes_depth_is_limited() {
    let ok = serde_json::json!({"a": {"b": {"c": {"d": {"e": [1]}}}}});
    assert!(serde_json::from_value::<Attributes>(ok).is_ok());
    let deep = serde_json::json!({"a": {"b": {"c": {"d": {"e": [[1]]}}}}});
    let err = serde_json::from_value::<Attributes>(deep).unwrap_err();
    assert!(err.to_string().contains("deeper than 6"), "{err}");
    let big = serde_json::json!({"nomor": 9_007_199_254_740_993u64});
    let err = serde_json::from_value::<Attributes>(big).unwrap_err();
    assert!(err.to_string().contains("as strings"), "{err}");
    assert!(
        serde_json::from_value::<Attributes>(serde_json::json!({"n": -999_999_999_999_999i64}))
            .is_ok()
    );
}

#[test]
fn a_nik_or_kk_in_free_text_is_found_wherever_it_sits() {
    let nik = "3201011507850003";
    let glued_key = format!("abc{nik}");
    for attributes in [
        serde_json::json!({ "pendamping": nik }),
        serde_json::json!({ nik: "x" }),
        serde_json::json!({"a": [{"b": 3_201_011_507_850_003u64}]}),
        serde_json::json!({"f": 3.201_011_507_850_003e15}),
        serde_json::json!({"a": {"no": "3201 0115 0785 0003"}}),
        serde_json::json!({"pendamping": format!("NIK{nik}")}),
        serde_json::json!({ glued_key: 1 }),
        // The largest safe integer has sixteen digits too.
        serde_json::json!({"n": -9_007_199_254_740_991i64}),
    ] {
        let attributes: Attributes = serde_json::from_value(attributes.clone()).unwrap();
        assert!(attributes.holds_personal_number(), "{attributes:?}");
        let problems = personal_numbers_in(None, Some(&attributes));
        assert_eq!(problems[0].0, "/attributes");
        assert!(!problems[0].1.contains(nik));
    }
    let plain: Attributes =
        serde_json::from_value(serde_json::json!({"pendamping": "PD-3201-17", "n": 12})).unwrap();
    assert!(!plain.holds_personal_number());
    let reason = Reason::parse(&format!("Data ganda dengan NIK {nik}")).unwrap();
    assert_eq!(personal_numbers_in(Some(&reason), None)[0].0, "/reason");
    let glued = Reason::parse(&format!("Data ganda dengan NIK{nik}")).unwrap();
    assert_eq!(personal_numbers_in(Some(&glued), None)[0].0, "/reason");
    assert!(
        !Reason::parse("Data ganda, PKS 12/2026")
            .unwrap()
            .holds_personal_number()
    );
}

#[test]
fn the_canonical_form_ignores_key_order() {
    let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":{"y":2,"x":1.0}}"#).unwrap();
    let b: serde_json::Value = serde_json::from_str(r#"{"a":{"x":1,"y":2},"b":1}"#).unwrap();
    assert_eq!(canonical(&a), canonical(&b));
    assert_eq!(canonical(&a).0, r#"{"a":{"x":1,"y":2},"b":1}"#);
}
