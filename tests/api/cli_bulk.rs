//! `sinergi validate` and `sinergi push`: a spreadsheet checked with the server's rules,
//! every error named by line and column and never by its value, then published in batches
//! that resume after an interruption without sending a row twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::records::{KEMENDES, KEMENSOS, VILLAGE, get, kk, nik};
use crate::common::{Backend, TestApp, sinergi_command, spawn_app};

const HEADER: &str = "source_record_id,program,kk,head_nik,member_niks,region_code,\
    graduation_type,graduated_on,welfare_decile,reason,attr.pendamping";
/// What every NIK and KK the tests make starts with: no output may hold it.
const NIK_PREFIX: &str = "320101150785";
const KK_PREFIX: &str = "320101230815";

fn templates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates")
}

/// Runs the binary in `dir` (with `secret` as SINERGI_CLIENT_SECRET).
fn sinergi(dir: &Path, args: &[&str], secret: Option<&str>) -> Output {
    let mut command = sinergi_command(dir, None, args);
    if let Some(secret) = secret {
        command.env("SINERGI_CLIENT_SECRET", secret);
    }
    command.output().expect("run sinergi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Checks that nothing the run printed holds a NIK or KK, and returns stdout and stderr.
fn printed(out: &Output) -> (String, String) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    for said in [&stdout, &stderr] {
        assert!(
            !said.contains(NIK_PREFIX) && !said.contains(KK_PREFIX),
            "a NIK or KK was printed:\n{said}"
        );
    }
    (stdout, stderr)
}

/// A graduation row of KEMENSOS for the `i`th family.
fn graduation(i: u32, id: &str, program: &str, family_card: &str, date: &str) -> String {
    let head = nik(i + 1);
    format!("{id},{program},{family_card},{head},,{VILLAGE},natural,{date},6,,PD-{i:04}\n")
}

/// `rows` graduations; the rows `broken` picks are changed so that the check refuses them,
/// and it says which column the error must name.
fn graduations(rows: u32, broken: impl Fn(u32) -> Option<&'static str>) -> String {
    let mut csv = format!("{HEADER}\n");
    for i in 0..rows {
        let id = format!("PUSH-{i:04}");
        let card = kk(i + 1);
        csv.push_str(&match broken(i) {
            Some("kk") => graduation(i, &id, "PKH", &card[..12], "2026-06-30"),
            Some("graduated_on") => graduation(i, &id, "PKH", &card, "2026-02-30"),
            Some("program") => graduation(i, &id, "PKTD", &card, "2026-06-30"),
            Some("source_record_id") => graduation(i, "PUSH-0000", "PKH", &card, "2026-06-30"),
            _ => graduation(i, &id, "PKH", &card, "2026-06-30"),
        });
    }
    csv
}

/// The JSON summary a push printed on stdout.
fn summary(out: &Output) -> Value {
    let (stdout, stderr) = printed(out);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("no JSON summary ({e}): {stdout}\nstderr: {stderr}"))
}

fn push_args<'a>(app: &'a TestApp, file: &'a str, client: &'a str, batch: &'a str) -> Vec<&'a str> {
    vec![
        "push",
        file,
        "--server",
        &app.address,
        "--client-id",
        client,
        "--batch-size",
        batch,
    ]
}

fn secret(client: &str) -> String {
    sinergi::demo::demo_secret(client)
}

/// Every graduation KEMENSOS published, by `source_record_id`.
async fn published(app: &TestApp, token: &str) -> HashMap<String, Value> {
    let mut found = HashMap::new();
    let mut path = "/v1/graduations?publisher=KEMENSOS&limit=1000".to_owned();
    loop {
        let page = get(app, token, &path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for record in page.body["items"].as_array().unwrap() {
            let id = record["source_record_id"].as_str().unwrap().to_owned();
            found.insert(id, record.clone());
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                let cursor: String = form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
                path = format!("/v1/graduations?publisher=KEMENSOS&limit=1000&cursor={cursor}");
            }
            None => return found,
        }
    }
}

/// The rejected-rows file as (source_record_id, the row's cells, its errors).
fn rejected_rows(path: &Path) -> Vec<(String, Vec<String>, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("errors"), "{header:?}");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let cells: Vec<String> = r.iter().map(str::to_owned).collect();
            (cells[0].clone(), cells, r[r.len() - 1].to_owned())
        })
        .collect()
}

/// The journal's batches: (rows done, records created by the batches recorded).
fn journal(path: &Path) -> (u64, u64) {
    let text = std::fs::read_to_string(path).unwrap();
    // Only whole lines were recorded; the header comes first.
    let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    whole.lines().skip(1).fold((0, 0), |(_, created), line| {
        let entry: Value = serde_json::from_str(line).unwrap();
        (
            entry["to"].as_u64().unwrap(),
            created + entry["created"].as_u64().unwrap(),
        )
    })
}

#[test]
fn the_templates_are_valid() {
    let dir = tempfile::tempdir().unwrap();
    for (name, kind) in [
        ("graduations.csv", "graduations"),
        ("enrollments.csv", "enrollments"),
    ] {
        let path = templates().join(name);
        let out = sinergi(dir.path(), &["validate", path.to_str().unwrap()], None);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{name}: {stdout}\n{stderr}");
        assert!(
            stdout.ends_with(&format!("{name}: 2 {kind}, 2 valid, 0 with errors\n")),
            "{stdout}"
        );
    }
}

#[test]
fn a_messy_file_gets_every_error_by_line_and_column_and_never_a_nik() {
    let dir = tempfile::tempdir().unwrap();
    let good = |i: u32| graduation(i, &format!("G-{i}"), "PKH", &kk(i + 1), "2026-06-30");
    let mut csv = format!("{HEADER}\n");
    csv.push_str(&good(1));
    // A card of 15 digits, and a head born on the 99th.
    csv.push_str(&format!(
        "G-2,PKH,{},3201019907850002,,{VILLAGE},natural,2026-06-30,,,\n",
        &kk(2)[..15]
    ));
    // A member NIK repeated.
    csv.push_str(&format!(
        "G-3,PKH,{},{},{};{},{VILLAGE},natural,2026-06-30,,,\n",
        kk(3),
        nik(3),
        nik(30),
        nik(30)
    ));
    csv.push_str(&graduation(4, "G-4", "PKH", &kk(4), "30/06/2026"));
    csv.push_str(&graduation(5, "G-5", "PKTD", &kk(5), "2026-06-30"));
    csv.push_str(&graduation(6, "G-1", "PKH", &kk(6), "2026-06-30"));
    csv.push_str("G-7,PKH\n");
    // A NIK in an attribute, and a decile out of range.
    csv.push_str(&format!(
        "G-8,PKH,{},{},,{VILLAGE},self_reliant,2026-06-30,11,,{}\n",
        kk(8),
        nik(8),
        nik(80)
    ));
    csv.push_str(&good(10));
    let path = dir.path().join("messy.csv");
    std::fs::write(&path, csv).unwrap();
    let out = sinergi(
        dir.path(),
        &["validate", "messy.csv", "--agency", "KEMENSOS"],
        None,
    );
    let (stdout, _) = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = [
        (
            "line 2, column 1 (source_record_id): is also used on line 7",
            "line 2",
        ),
        ("line 3, column 3 (kk): ", "the short card"),
        ("line 3, column 4 (head_nik): ", "the head born on the 99th"),
        (
            "line 4, column 5 (member_niks), entry 2: repeats /member_niks/0",
            "the repeat",
        ),
        (
            "line 5, column 8 (graduated_on): must be a date written YYYY-MM-DD",
            "the date",
        ),
        (
            "line 6, column 2 (program): program PKTD belongs to KEMENDES",
            "another's program",
        ),
        (
            "line 7, column 1 (source_record_id): is also used on line 2",
            "line 7",
        ),
        ("line 8: has 2 cells; the header has 11", "the short row"),
        (
            "line 9, column 9 (welfare_decile): must be a welfare decile from 1 to 10",
            "decile",
        ),
        (
            "line 9, column 11 (an attribute): holds a key or value that must not hold",
            "attr",
        ),
    ];
    for (start, what) in expected {
        assert!(
            lines.iter().any(|l| l.starts_with(start)),
            "{what}: no line starting {start:?} in\n{stdout}"
        );
    }
    assert_eq!(lines.len(), expected.len() + 1, "{stdout}");
    assert!(
        stdout.ends_with("messy.csv: 9 graduations, 1 valid, 8 with errors\n"),
        "{stdout}"
    );

    // The same rows as NDJSON: the pointer says where.
    let ndjson = format!(
        "{{\"source_record_id\":\"N-1\",\"program\":\"PKH\",\"household\":{{\"kk\":\"{}\",\
         \"head_nik\":\"3201019907850002\"}},\"region_code\":\"{VILLAGE}\",\
         \"graduation_type\":\"natural\",\"graduated_on\":\"2026-06-30\"}}\n\n{{\"x\": \"{}\"\n",
        &kk(1)[..15],
        nik(1)
    );
    std::fs::write(dir.path().join("messy.jsonl"), ndjson).unwrap();
    let out = sinergi(
        dir.path(),
        &["validate", "messy.jsonl", "--kind", "graduation"],
        None,
    );
    let (stdout, _) = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("line 1, /household/kk: "), "{stdout}");
    assert!(stdout.contains("line 1, /household/head_nik: "), "{stdout}");
    assert!(stdout.contains("line 3: is not JSON: "), "{stdout}");

    // A header naming an unknown column (here, a NIK) makes the file unusable.
    std::fs::write(
        dir.path().join("odd.csv"),
        format!("{HEADER},{}\n{}", nik(9), good(9).replace('\n', ",x\n")),
    )
    .unwrap();
    let out = sinergi(dir.path(), &["validate", "odd.csv"], None);
    let (stdout, stderr) = printed(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("odd.csv, line 1: column 12 is not a column of graduations"),
        "{stderr}"
    );
}

both_backends! {
    async fn a_spreadsheet_is_pushed_and_its_rejected_rows_come_back_with_their_errors(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let broken = |i: u32| match i {
            0 | 1199 => Some("source_record_id"),
            _ if i % 50 == 7 => Some("kk"),
            _ if i % 50 == 23 => Some("graduated_on"),
            _ if i % 100 == 41 => Some("program"),
            _ => None,
        };
        std::fs::write(dir.path().join("lulus.csv"), graduations(1200, broken)).unwrap();
        let out = sinergi(
            dir.path(),
            &push_args(&app, "lulus.csv", KEMENSOS, "500"),
            Some(&secret(KEMENSOS)),
        );
        let pushed = summary(&out);
        assert_eq!(out.status.code(), Some(1), "rows were rejected: {pushed}");
        let expected = serde_json::json!({
            "kind": "graduation", "rows": 1200, "created": 1138, "updated": 0, "unchanged": 0,
            "rejected": 62, "rows_done_before": 0
        });
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&pushed[key], value, "{key}: {pushed}");
        }

        let rejected = rejected_rows(&dir.path().join("lulus.rejected.csv"));
        assert_eq!(rejected.len(), 62);
        let original = graduations(1200, broken);
        for (id, cells, errors) in &rejected {
            let i: u32 = match cells[10].trim_start_matches("PD-").parse() {
                Ok(i) => i,
                Err(_) => panic!("{cells:?}"),
            };
            let column = broken(i).unwrap_or_else(|| panic!("row {i} was valid: {errors}"));
            assert!(errors.contains(&format!("({column})")), "{id}: {errors}");
            let line = format!("{}\n", cells[..11].join(","));
            assert!(original.contains(&line), "the row as it was: {line}");
        }

        let kemensos = app.token(KEMENSOS, None).await;
        let records = published(&app, &kemensos).await;
        assert_eq!(records.len(), 1138);
        assert!(records.values().all(|r| r["version"] == 1));
        let record = &records["PUSH-0001"];
        assert_eq!(record["household"]["head_nik"], nik(2));
        assert_eq!(record["attributes"], serde_json::json!({"pendamping": "PD-0001"}));
        assert_eq!(record["welfare_decile"], 6);

        // Pushed again: the journal shows every row done, so nothing is sent.
        let again = summary(&sinergi(
            dir.path(),
            &push_args(&app, "lulus.csv", KEMENSOS, "500"),
            Some(&secret(KEMENSOS)),
        ));
        assert_eq!(again["rows_done_before"], 1200, "{again}");
        assert_eq!((again["created"].clone(), again["unchanged"].clone()), (1138.into(), 0.into()));
        assert_eq!(rejected_rows(&dir.path().join("lulus.rejected.csv")).len(), 62);

        // Enrollments whose linked graduation only the server can check.
        let graduation_id = record["id"].as_str().unwrap();
        let unknown = uuid::Uuid::now_v7().to_string();
        let enrollments = format!(
            "source_record_id,program,subject_nik,subject_kk,region_code,status,enrolled_on,\
             ended_on,graduation_id\n\
             E-1,PKTD,{},,{VILLAGE},active,2026-08-01,,{graduation_id}\n\
             E-2,PKTD,{},,{VILLAGE},active,2026-08-01,,{unknown}\n\
             E-3,PKTD,,{},{VILLAGE},completed,2026-08-01,2026-10-01,\n",
            nik(2),
            nik(3),
            kk(4)
        );
        std::fs::write(dir.path().join("ikut.csv"), enrollments).unwrap();
        let out = sinergi(
            dir.path(),
            &push_args(&app, "ikut.csv", KEMENDES, "500"),
            Some(&secret(KEMENDES)),
        );
        let pushed = summary(&out);
        assert_eq!((pushed["created"].clone(), pushed["rejected"].clone()), (2.into(), 1.into()));
        let rejected = rejected_rows(&dir.path().join("ikut.rejected.csv"));
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].0, "E-2");
        assert_eq!(rejected[0].2, "column 9 (graduation_id): no graduation has this id");
    }

    async fn an_interrupted_push_resumes_without_sending_a_row_twice_unless_the_file_changed(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let broken = |i: u32| (i % 100 == 5).then_some("kk");
        let original = graduations(1200, broken);
        let file = dir.path().join("lulus.csv");
        std::fs::write(&file, &original).unwrap();
        let journal_path = dir.path().join("lulus.csv.sinergi-journal");

        // Killed as soon as the journal holds a batch: the next one may be on its way.
        let mut child = sinergi_command(
            dir.path(),
            None,
            &push_args(&app, "lulus.csv", KEMENSOS, "50"),
        )
        .env("SINERGI_CLIENT_SECRET", secret(KEMENSOS))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let lines = std::fs::read_to_string(&journal_path)
                .map_or(0, |t| t.matches('\n').count());
            if lines >= 2 {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "the push ended first");
            assert!(Instant::now() < deadline, "no batch within 60 s");
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let (done, journaled) = journal(&journal_path);
        assert!((50..1200).contains(&done), "killed midway: {done} rows done");

        // The batch on its way may still be written after its sender died: counted once the
        // count holds still.
        let kemensos = app.token(KEMENSOS, None).await;
        let mut stored = published(&app, &kemensos).await.len() as u64;
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = published(&app, &kemensos).await.len() as u64;
            if now == stored {
                break;
            }
            stored = now;
        }
        // Committed but not journaled: the batch on its way when the push was killed.
        let in_flight = stored - journaled;
        assert!(in_flight <= 50, "{stored} stored, {journaled} journaled");

        // The file changed in one cell: the journal would skip the wrong rows.
        let journal_before = std::fs::read(&journal_path).unwrap();
        std::fs::write(&file, original.replace("PD-0003\n", "PD-0004\n")).unwrap();
        let out = sinergi(
            dir.path(),
            &push_args(&app, "lulus.csv", KEMENSOS, "500"),
            Some(&secret(KEMENSOS)),
        );
        let (_, stderr) = printed(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is not the file the journal"), "{stderr}");
        assert!(stderr.contains("delete the journal"), "{stderr}");
        assert_eq!(std::fs::read(&journal_path).unwrap(), journal_before);
        assert_eq!(published(&app, &kemensos).await.len() as u64, stored, "nothing sent");

        // The file as it was: the push resumes after the last batch journaled.
        std::fs::write(&file, &original).unwrap();
        let out = sinergi(
            dir.path(),
            &push_args(&app, "lulus.csv", KEMENSOS, "500"),
            Some(&secret(KEMENSOS)),
        );
        let pushed = summary(&out);
        assert_eq!(out.status.code(), Some(1), "{pushed}");
        assert_eq!(pushed["rows_done_before"], done, "{pushed}");
        assert_eq!(pushed["rejected"], 12, "{pushed}");
        // Only the batch in flight at the kill went twice; the server found it unchanged.
        assert_eq!(pushed["unchanged"], in_flight, "{pushed}");
        assert_eq!(pushed["created"], 1188 - in_flight, "{pushed}");
        let records = published(&app, &kemensos).await;
        assert_eq!(records.len(), 1188);
        assert!(records.values().all(|r| r["version"] == 1), "no row was written twice");
        // Rows refused before the kill are in the rejected-rows file too.
        assert_eq!(rejected_rows(&dir.path().join("lulus.rejected.csv")).len(), 12);
    }
}
