use super::*;
use crate::domain::record::RecordKind;

fn rows_of(name: &str, content: &str, kind: Option<RecordKind>) -> (tempfile::TempDir, Source) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let source = Source::open(&path, None, kind).unwrap();
    (dir, source)
}

fn rejected_rows(source: &Source, errors: &[&[&str]]) -> String {
    let path = source.path.with_file_name("out");
    let mut file = RejectedFile::new(path.clone()).unwrap();
    for (row, errors) in source.rows().unwrap().zip(errors) {
        let errors: Vec<String> = errors.iter().map(|e| (*e).to_owned()).collect();
        file.write(source, &row.unwrap().raw, &errors).unwrap();
    }
    assert_eq!(file.finish().unwrap(), Some(path.clone()));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_default_path_sits_beside_the_input_in_its_format() {
    assert_eq!(
        default_path(Path::new("data/lulus.csv"), Format::Csv),
        Path::new("data/lulus.rejected.csv")
    );
    assert_eq!(
        default_path(Path::new("x.jsonl"), Format::Ndjson),
        Path::new("x.rejected.jsonl")
    );
    assert_eq!(
        default_path(Path::new("export"), Format::Ndjson),
        Path::new("export.rejected.ndjson")
    );
}

#[test]
fn csv_rows_are_written_as_they_were_with_an_errors_column() {
    let (_dir, source) = rows_of(
        "g.csv",
        "source_record_id;program;kk;head_nik;region_code;graduation_type;graduated_on\n\
         G-1;PKH; 320101 ;x;32.01.01.1002;natural;2026-06-30\n\
         G-2;PKH\n\
         G-3;PKH;1;2;3;4;5;6;7\n",
        None,
    );
    let written = rejected_rows(
        &source,
        &[
            &[
                "column 3 (kk): must be 16 digits, got 6",
                "column 4 (head_nik): x",
            ],
            &["has 2 cells; the header has 7"],
            &["has 9 cells; the header has 7"],
        ],
    );
    assert_eq!(
        written,
        "source_record_id;program;kk;head_nik;region_code;graduation_type;graduated_on;errors\n\
         G-1;PKH; 320101 ;x;32.01.01.1002;natural;2026-06-30;\"column 3 (kk): must be 16 digits, got 6; column 4 (head_nik): x\"\n\
         G-2;PKH;;;;;;\"has 2 cells; the header has 7\"\n\
         G-3;PKH;1;2;3;4;5;6;7;\"has 9 cells; the header has 7\"\n"
    );
}

#[test]
fn a_rejected_rows_file_sent_again_gets_its_errors_column_rewritten() {
    let (_dir, source) = rows_of(
        "g.rejected.csv",
        "source_record_id,errors,program,kk,head_nik,region_code,graduation_type,graduated_on\n\
         G-1,old error,PKH,1,2,3,4,5\n",
        None,
    );
    let written = rejected_rows(&source, &[&["new error"]]);
    assert_eq!(
        written,
        "source_record_id,errors,program,kk,head_nik,region_code,graduation_type,graduated_on\n\
         G-1,new error,PKH,1,2,3,4,5\n"
    );
}

#[test]
fn ndjson_lines_keep_their_text_and_gain_an_errors_member() {
    let (_dir, source) = rows_of(
        "e.ndjson",
        "{\"source_record_id\": \"E-1\", \"program\": \"X\"}  \n\
         {}\n\
         {\"errors\": \"old\", \"b\": 1, \"a\": 2}\n\
         [1, 2]\n\
         {\"a\": \n",
        Some(RecordKind::Enrollment),
    );
    let written = rejected_rows(
        &source,
        &[
            &["/program: no program has this code"],
            &["e"],
            &["e"],
            &["e"],
            &["e"],
        ],
    );
    assert_eq!(
        written,
        "{\"source_record_id\": \"E-1\", \"program\": \"X\",\"errors\":\"/program: no program has this code\"}\n\
         {\"errors\":\"e\"}\n\
         {\"a\":2,\"b\":1,\"errors\":\"e\"}\n\
         {\"errors\":\"e\",\"original\":\"[1, 2]\"}\n\
         {\"errors\":\"e\",\"original\":\"{\\\"a\\\": \"}\n"
    );
}

#[test]
fn no_rejected_row_leaves_no_file_and_an_old_one_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.rejected.csv");
    std::fs::write(&path, "from an earlier push").unwrap();
    let file = RejectedFile::new(path.clone()).unwrap();
    assert!(!path.exists());
    assert_eq!(file.finish().unwrap(), None);
    assert!(!path.exists());
}
