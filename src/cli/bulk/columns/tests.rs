use serde_json::json;

use super::*;

const NIK: &str = "3201011507850003";

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn graduation_layout(extra: &[&str]) -> Layout {
    let mut names: Vec<&str> = super::headers(RecordKind::Graduation).collect();
    names.extend(extra);
    Layout::parse(&headers(&names), None).expect("a graduation header")
}

#[test]
fn the_header_tells_the_kind_unless_it_holds_only_shared_columns() {
    assert_eq!(graduation_layout(&[]).kind, RecordKind::Graduation);
    let enrollment: Vec<&str> = super::headers(RecordKind::Enrollment).collect();
    let layout = Layout::parse(&headers(&enrollment), None).unwrap();
    assert_eq!(layout.kind, RecordKind::Enrollment);

    let shared = headers(&["source_record_id", "program", "region_code"]);
    let problems = Layout::parse(&shared, None).unwrap_err();
    assert!(problems[0].contains("give --kind"), "{problems:?}");
    // Told, the header must then have what the kind needs.
    let problems = Layout::parse(&shared, Some(RecordKind::Enrollment)).unwrap_err();
    assert_eq!(
        problems,
        [
            "no column status; every enrollment needs one",
            "no column enrolled_on; every enrollment needs one"
        ]
    );
}

#[test]
fn headers_are_matched_without_case_or_surrounding_spaces() {
    let names: Vec<String> = super::headers(RecordKind::Graduation)
        .map(|h| format!(" {} ", h.to_uppercase()))
        .chain([" Attr.Pendamping ".to_owned(), "ERRORS".to_owned()])
        .collect();
    let layout = Layout::parse(&names, None).unwrap();
    assert_eq!(layout.width(), 12);
    assert_eq!(layout.errors_column(), Some(11));
    let mut cells = vec![""; 12];
    cells[10] = "PD-17";
    cells[11] = "column 3 (kk): must be 16 digits";
    assert_eq!(
        layout.item(&cells),
        json!({"attributes": {"Pendamping": "PD-17"}}),
        "the attribute keeps its name as written; the errors column is ignored"
    );
}

#[test]
fn every_header_problem_is_named_by_column_number_never_by_an_unknown_header() {
    let names = headers(&[
        "source_record_id",
        "program",
        NIK,
        "kk",
        "head_nik",
        "kk",
        "",
        "attr.",
        "attr.x",
        "attr.x",
        "region_code",
        "graduated_on",
        "status",
    ]);
    let problems = Layout::parse(&names, Some(RecordKind::Graduation)).unwrap_err();
    let expected_columns = "the columns are source_record_id, program, kk, head_nik, \
        member_niks, region_code, graduation_type, graduated_on, welfare_decile, reason, \
        attr.NAME for an attribute, and errors (ignored)";
    assert_eq!(
        problems,
        [
            format!("column 3 is not a column of graduations; {expected_columns}"),
            "columns 4 and 6 are both kk".to_owned(),
            "column 7 has no name in the header".to_owned(),
            "column 8 names no attribute after `attr.`".to_owned(),
            "columns 9 and 10 name the same attribute".to_owned(),
            format!("column 13 (status) is not a column of graduations; {expected_columns}"),
            "no column graduation_type; every graduation needs one".to_owned(),
        ]
    );
    assert!(problems.iter().all(|p| !p.contains(NIK)));
}

#[test]
fn a_row_becomes_the_item_the_api_takes() {
    let layout = graduation_layout(&["attr.pendamping", "attr.skor", "attr.kode"]);
    let row = [
        "PKH-1",
        "PKH",
        " 3201012308150007 ",
        NIK,
        "3201015508870002; 3201011507850004  3201011507850005;",
        "32.01.01.1002",
        "natural",
        "2026-06-30",
        "6",
        "Pendapatan naik",
        "PD-17",
        "{\"a\": 1}",
        "\"12\"",
    ];
    assert_eq!(
        layout.item(&row),
        json!({
            "source_record_id": "PKH-1",
            "program": "PKH",
            "household": {"kk": "3201012308150007", "head_nik": NIK},
            "member_niks": ["3201015508870002", "3201011507850004", "3201011507850005"],
            "region_code": "32.01.01.1002",
            "graduation_type": "natural",
            "graduated_on": "2026-06-30",
            "welfare_decile": 6,
            "reason": "Pendapatan naik",
            "attributes": {"pendamping": "PD-17", "skor": {"a": 1}, "kode": "12"}
        })
    );
}

#[test]
fn empty_cells_leave_fields_out_and_odd_cells_reach_the_servers_rules_as_they_are() {
    let layout = graduation_layout(&["attr.n"]);
    let mut row = vec![""; 11];
    row[0] = "PKH-1";
    row[8] = "enam";
    row[10] = "null";
    assert_eq!(
        layout.item(&row),
        json!({"source_record_id": "PKH-1", "welfare_decile": "enam", "attributes": {"n": "null"}})
    );
    row[8] = "6.5";
    row[10] = "7";
    assert_eq!(
        layout.item(&row),
        json!({"source_record_id": "PKH-1", "welfare_decile": 6.5, "attributes": {"n": 7}})
    );
}

#[test]
fn a_pointer_lands_in_the_columns_that_hold_its_part() {
    let layout = graduation_layout(&["attr.a", "attr.b", "errors", "attr.program"]);
    let at = |pointer: &str| layout.locate(pointer);
    assert_eq!(at("/household/kk").as_deref(), Some("column 3 (kk)"));
    assert_eq!(
        at("/member_niks/1").as_deref(),
        Some("column 5 (member_niks), entry 2")
    );
    assert_eq!(
        at("/member_niks").as_deref(),
        Some("column 5 (member_niks)")
    );
    assert_eq!(
        at("/household").as_deref(),
        Some("columns 3 (kk) and 4 (head_nik)")
    );
    assert_eq!(
        at("/attributes").as_deref(),
        Some("columns 11 (an attribute), 12 (an attribute) and 14 (an attribute)")
    );
    // An attribute named like a schema field is the one pointer that can name its key.
    assert_eq!(
        at("/attributes/program").as_deref(),
        Some("column 14 (an attribute)")
    );
    assert_eq!(at("/program").as_deref(), Some("column 2 (program)"));
    assert_eq!(at("").as_deref(), None, "the whole row");
    // Not a part any column fills (a server-set field, say): the pointer itself.
    assert_eq!(at("/version").as_deref(), Some("field /version"));

    let names: Vec<&str> = super::headers(RecordKind::Enrollment).collect();
    let layout = Layout::parse(&headers(&names), None).unwrap();
    assert_eq!(
        layout.locate("/subject").as_deref(),
        Some("columns 3 (subject_nik) and 4 (subject_kk)")
    );
    assert_eq!(
        layout.locate("/graduation_id").as_deref(),
        Some("column 9 (graduation_id)")
    );
}
