use serde_json::json;

use super::*;

const NIK: &str = "3201011507850003";
const HEADER: &str = "source_record_id,program,kk,head_nik,member_niks,region_code,\
    graduation_type,graduated_on,welfare_decile,reason";

fn file(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

fn rows(source: &Source) -> Vec<Row> {
    source.rows().unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_format_comes_from_the_extension_unless_given() {
    assert_eq!(Format::of_path(Path::new("a/b.CSV")), Some(Format::Csv));
    assert_eq!(Format::of_path(Path::new("b.ndjson")), Some(Format::Ndjson));
    assert_eq!(Format::of_path(Path::new("b.jsonl")), Some(Format::Ndjson));
    assert_eq!(Format::of_path(Path::new("b.xlsx")), None);
    let (_dir, path) = file("export.txt", b"{}\n");
    let problem = Source::open(&path, None, None).unwrap_err().to_string();
    assert!(problem.contains("give --format"), "{problem}");
    let problem = Source::open(&path, Some(Format::Ndjson), None)
        .unwrap_err()
        .to_string();
    assert!(problem.contains("give --kind"), "{problem}");
    let source = Source::open(&path, Some(Format::Ndjson), Some(RecordKind::Enrollment)).unwrap();
    assert_eq!(source.kind, RecordKind::Enrollment);
}

#[test]
fn csv_rows_know_their_line_even_after_a_cell_over_several_lines() {
    let content = format!(
        "\u{feff}{HEADER}\n\
         G-1,PKH,3201012308150007,{NIK},,32.01.01.1002,natural,2026-06-30,,\"Dua\nbaris\"\n\
         \n\
         G-2,PKH,3201012308150007,{NIK},,32.01.01.1002,natural,2026-06-30,6,\n"
    );
    let (_dir, path) = file("g.csv", content.as_bytes());
    let source = Source::open(&path, None, None).unwrap();
    assert_eq!(source.kind, RecordKind::Graduation);
    let rows = rows(&source);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].index, rows[0].line), (0, 2));
    assert_eq!((rows[1].index, rows[1].line), (1, 5));
    let item = rows[0].item.as_ref().unwrap();
    assert_eq!(item["reason"], "Dua\nbaris");
    assert_eq!(
        item["source_record_id"], "G-1",
        "the byte-order mark is not in the header"
    );
    assert_eq!(rows[1].item.as_ref().unwrap()["welfare_decile"], 6);
}

#[test]
fn a_semicolon_separated_file_is_read_as_such() {
    let content = format!(
        "{}\nG-1;PKH;3201012308150007;{NIK};\"3201015508870002;3201011507850004\";\
         32.01.01.1002;natural;2026-06-30;6;Pendapatan 1,5 juta\n",
        HEADER.replace(',', ";")
    );
    let (_dir, path) = file("g.csv", content.as_bytes());
    let source = Source::open(&path, None, None).unwrap();
    let item = rows(&source).remove(0).item.unwrap();
    assert_eq!(
        item["member_niks"],
        json!(["3201015508870002", "3201011507850004"])
    );
    assert_eq!(item["reason"], "Pendapatan 1,5 juta");
    assert_eq!(source.csv_header().unwrap().0, b';');
}

#[test]
fn a_csv_row_of_another_width_or_not_utf8_is_refused_without_its_content() {
    let mut content = format!("{HEADER}\nG-1,PKH\n").into_bytes();
    content.extend_from_slice(b"G-2,PKH,3201012308150007,");
    content.extend_from_slice(b"\xff3201011507850003,,32.01.01.1002,natural,2026-06-30,,\n");
    let (_dir, path) = file("g.csv", &content);
    let source = Source::open(&path, None, None).unwrap();
    let rows = rows(&source);
    assert_eq!(
        rows[0].item.as_ref().unwrap_err(),
        &[RowError::row("has 2 cells; the header has 10")]
    );
    let errors = rows[1].item.as_ref().unwrap_err();
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["column 4: is not UTF-8 text; save the file as CSV UTF-8"]
    );
    assert!(matches!(&rows[1].raw, Raw::Csv(r) if r.len() == 10));
}

#[test]
fn a_bad_header_makes_the_file_unusable_naming_the_line() {
    let (_dir, path) = file("g.csv", format!("{HEADER},nama_kepala\n").as_bytes());
    let problem = Source::open(&path, None, None).unwrap_err().to_string();
    assert!(
        problem.contains("g.csv, line 1: column 11 is not a column"),
        "{problem}"
    );
    assert!(!problem.contains("nama_kepala"), "{problem}");
}

#[test]
fn ndjson_rows_skip_blank_lines_and_keep_their_line_numbers() {
    let content = format!(
        "\u{feff}{{\"source_record_id\": \"E-1\", \"errors\": \"old\"}}\r\n\
         \n   \n\
         {{\"source_record_id\": \"E-2\", \"subject\": {{\"nik\": \"{NIK}\"}}}}\n\
         {{\"source_record_id\": \"E-3\",, \"x\": \"{NIK}\"}}\n\
         {{\"program\": \"PKTD\", \"program\": \"PENA\"}}\n\
         {{\"attributes\": {{\"{NIK}\": 1, \"{NIK}\": 2}}}}"
    );
    let (_dir, path) = file("e.ndjson", content.as_bytes());
    let source = Source::open(&path, None, Some(RecordKind::Enrollment)).unwrap();
    crate::api::openapi::names::learn();
    let rows = rows(&source);
    let lines: Vec<(usize, usize)> = rows.iter().map(|r| (r.index, r.line)).collect();
    assert_eq!(lines, [(0, 1), (1, 4), (2, 5), (3, 6), (4, 7)]);
    assert_eq!(
        rows[0].item.as_ref().unwrap(),
        &json!({"source_record_id": "E-1"}),
        "a rejected-rows file's errors are not sent"
    );
    assert!(
        matches!(&rows[0].raw, Raw::Line(l) if l.ends_with(b"}")),
        "no \\r kept"
    );
    assert_eq!(rows[1].item.as_ref().unwrap()["subject"]["nik"], NIK);
    let error = |i: usize| rows[i].item.as_ref().unwrap_err()[0].to_string();
    assert_eq!(
        error(2),
        "is not JSON: key must be a string at character 28"
    );
    assert_eq!(
        error(3),
        "/program: appears twice in one object; send each key once"
    );
    assert_eq!(
        error(4),
        "/attributes: holds a key twice (the key is not repeated here); send each key once"
    );
    assert!((2..5).all(|i| !error(i).contains(NIK)));
}
