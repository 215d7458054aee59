use std::path::PathBuf;

use super::*;

const HEAD: &str = "3201011507850003";
const WIFE: &str = "3201015508870002";
const KK: &str = "3201012308150007";
const HEADER: &str = "source_record_id,program,kk,head_nik,member_niks,region_code,\
    graduation_type,graduated_on,welfare_decile,reason";

fn row(id: &str, program: &str, head: &str, members: &str) -> String {
    format!("{id},{program},{KK},{head},{members},32.01.01.1002,natural,2026-06-30,6,\n")
}

fn source(rows: &[String]) -> (tempfile::TempDir, Source) {
    crate::api::openapi::names::learn();
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("graduations.csv");
    std::fs::write(&path, format!("{HEADER}\n{}", rows.concat())).unwrap();
    let source = Source::open(&path, None, None).unwrap();
    (dir, source)
}

fn offline(publisher: Option<&str>) -> Rules {
    Rules {
        references: References::of_programs(crate::demo::programs()),
        publisher: publisher.map(|p| AgencyCode::parse(p).unwrap()),
    }
}

/// `line: error` for every error found.
fn errors(findings: &Findings) -> Vec<String> {
    findings
        .invalid
        .values()
        .flat_map(|i| i.errors.iter().map(move |e| format!("{}: {e}", i.line)))
        .collect()
}

#[test]
fn valid_rows_pass_and_each_error_names_line_and_column_without_the_value() {
    let bad_head = "3201019907850003"; // born on the 99th
    let (_dir, source) = source(&[
        row("G-1", "PKH", HEAD, WIFE),
        row("G-2", "PKH", bad_head, &format!("{WIFE};{WIFE}")),
        row("G-3", "NOPE", HEAD, ""),
        row("G-4", "PENA", HEAD, ""),
    ]);
    let findings = check(&source, &offline(None)).unwrap();
    assert_eq!(findings.rows, 4);
    let found = errors(&findings);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("3: column 4 (head_nik): "),
        "{found:#?}"
    );
    assert_eq!(
        found[1],
        "3: column 5 (member_niks), entry 2: repeats /member_niks/0"
    );
    assert_eq!(found[2], "4: column 2 (program): no program has this code");
    assert!(
        found[3].starts_with("5: column 2 (program): program PENA is an empowerment program"),
        "{found:#?}"
    );
    for error in &found {
        assert!(
            !error.contains(bad_head) && !error.contains(WIFE),
            "{error}"
        );
    }
}

#[test]
fn the_publisher_when_known_must_run_the_program() {
    let (_dir, source) = source(&[row("G-1", "PKH", HEAD, "")]);
    assert!(
        check(&source, &offline(Some("KEMENSOS")))
            .unwrap()
            .invalid
            .is_empty()
    );
    let found = errors(&check(&source, &offline(Some("KEMENDES"))).unwrap());
    assert_eq!(
        found,
        [
            "2: column 2 (program): program PKH belongs to KEMENSOS; KEMENDES publishes only for its own programs"
        ]
    );
}

#[test]
fn rows_sharing_a_source_record_id_each_name_the_others() {
    let (_dir, source) = source(&[
        row("G-1", "PKH", HEAD, ""),
        row("G-2", "PKH", HEAD, ""),
        row("G-1", "NOPE", HEAD, ""),
        row("G-1", "PKH", HEAD, ""),
    ]);
    let found = errors(&check(&source, &offline(None)).unwrap());
    let repeat = |others: &str| {
        format!(
            "column 1 (source_record_id): is also used on {others}; a file holds each record \
             once (the later row would overwrite the earlier)"
        )
    };
    assert_eq!(
        found,
        [
            format!("2: {}", repeat("lines 4, 5")),
            format!("4: {}", repeat("lines 2, 5")),
            "4: column 2 (program): no program has this code".to_owned(),
            format!("5: {}", repeat("lines 2, 4")),
        ]
    );
}

#[test]
fn enrollments_are_checked_as_enrollments_and_linked_graduations_left_to_the_server() {
    crate::api::openapi::names::learn();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.ndjson");
    let graduation = "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80";
    std::fs::write(
        &path,
        format!(
            "{{\"source_record_id\":\"E-1\",\"program\":\"PKTD\",\"subject\":{{\"nik\":\"{HEAD}\"}},\
             \"region_code\":\"32.01.01.1002\",\"status\":\"active\",\"enrolled_on\":\"2026-08-01\",\
             \"graduation_id\":\"{graduation}\"}}\n\
             {{\"source_record_id\":\"E-2\",\"program\":\"PKTD\",\"subject\":{{}},\
             \"region_code\":\"32.01.01.1002\",\"status\":\"active\",\"enrolled_on\":\"2026-08-01\",\
             \"ended_on\":\"2026-07-01\"}}\n"
        ),
    )
    .unwrap();
    let source = Source::open(&path, None, Some(RecordKind::Enrollment)).unwrap();
    let found = errors(&check(&source, &offline(None)).unwrap());
    assert_eq!(
        found,
        [
            "2: /subject: must name the person (nik), the family (kk) or both",
            "2: /ended_on: must not be before enrolled_on",
        ]
    );
}
