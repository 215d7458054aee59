use super::*;

const SERVER: &str = "https://sinergi.example.go.id";

struct Files {
    _dir: tempfile::TempDir,
    input: PathBuf,
    journal: PathBuf,
}

fn files() -> Files {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.csv");
    std::fs::write(&input, "source_record_id\nG-1\nG-2\nG-3\n").unwrap();
    let journal = dir.path().join("g.csv.sinergi-journal");
    Files {
        _dir: dir,
        input,
        journal,
    }
}

fn header(f: &Files) -> Header {
    Header::new(&f.input, RecordKind::Graduation, SERVER).unwrap()
}

fn entry(from: usize, to: usize) -> Entry {
    Entry {
        from,
        to,
        created: to - from - 1,
        rejected: vec![Rejected {
            row: from,
            line: from + 2,
            errors: vec!["column 3 (kk): must be 16 digits, got 15".into()],
        }],
        ..Entry::default()
    }
}

#[test]
fn a_resumed_push_starts_after_the_last_batch_recorded() {
    let f = files();
    let mut journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    assert_eq!(journal.done(), 0);
    journal.record(entry(0, 2)).unwrap();
    journal.record(entry(2, 3)).unwrap();
    drop(journal);

    let journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    assert_eq!(journal.done(), 3);
    assert_eq!(journal.entries(), [entry(0, 2), entry(2, 3)]);
    let text = std::fs::read_to_string(&f.journal).unwrap();
    assert_eq!(text.lines().count(), 3, "a header and two batches: {text}");
    assert!(
        !text.contains("G-1"),
        "nothing from the file itself: {text}"
    );
}

#[test]
fn a_changed_file_is_not_resumed() {
    let f = files();
    Journal::open(&f.journal, &f.input, &header(&f))
        .unwrap()
        .record(entry(0, 2))
        .unwrap();
    // Same size, one byte else.
    std::fs::write(&f.input, "source_record_id\nG-1\nG-9\nG-3\n").unwrap();
    let changed = Journal::open(&f.journal, &f.input, &header(&f))
        .err()
        .unwrap();
    assert!(
        matches!(changed, JournalError::FileChanged { .. }),
        "{changed}"
    );
    assert!(
        changed.to_string().contains("delete the journal"),
        "{changed}"
    );
    // The journal is left as it was, for the file it was written for.
    assert_eq!(
        std::fs::read_to_string(&f.journal).unwrap().lines().count(),
        2
    );
}

#[test]
fn a_journal_of_another_kind_or_server_is_not_resumed() {
    let f = files();
    Journal::open(&f.journal, &f.input, &header(&f))
        .unwrap()
        .record(entry(0, 2))
        .unwrap();
    let mut other = header(&f);
    other.server = "https://other.example.go.id".into();
    let refused = Journal::open(&f.journal, &f.input, &other).err().unwrap();
    assert!(
        matches!(refused, JournalError::OtherPush { .. }),
        "{refused}"
    );
    let mut other = header(&f);
    other.kind = RecordKind::Enrollment;
    assert!(Journal::open(&f.journal, &f.input, &other).is_err());
}

#[test]
fn a_journal_without_a_batch_is_started_again_for_whatever_push() {
    // A first push to a mistyped server stopped before sending anything.
    let f = files();
    let mut typo = header(&f);
    typo.server = "https://sinergi.example.go.od".into();
    Journal::open(&f.journal, &f.input, &typo).unwrap();
    std::fs::write(&f.input, "source_record_id\nG-1\n").unwrap();

    let mut journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    assert_eq!(journal.done(), 0);
    journal.record(entry(0, 1)).unwrap();
    drop(journal);
    let text = std::fs::read_to_string(&f.journal).unwrap();
    let written: Header = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(written, header(&f));
    assert_eq!(
        Journal::open(&f.journal, &f.input, &header(&f))
            .unwrap()
            .done(),
        1
    );
}

#[test]
fn a_line_cut_short_by_a_crash_is_dropped_and_written_over() {
    let f = files();
    let mut journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    journal.record(entry(0, 2)).unwrap();
    drop(journal);
    let mut text = std::fs::read(&f.journal).unwrap();
    text.extend_from_slice(b"{\"from\":2,\"to\":3,\"crea");
    std::fs::write(&f.journal, &text).unwrap();

    let mut journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    assert_eq!(journal.done(), 2, "the cut batch counts as not answered");
    journal.record(entry(2, 3)).unwrap();
    drop(journal);
    let journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    assert_eq!(journal.entries(), [entry(0, 2), entry(2, 3)]);

    // A header cut short is a journal never started.
    std::fs::write(&f.journal, b"{\"sinergi_push_jour").unwrap();
    assert_eq!(
        Journal::open(&f.journal, &f.input, &header(&f))
            .unwrap()
            .done(),
        0
    );
}

#[test]
fn a_journal_with_a_gap_or_of_another_program_is_refused() {
    let f = files();
    let mut journal = Journal::open(&f.journal, &f.input, &header(&f)).unwrap();
    journal.record(entry(0, 2)).unwrap();
    journal.record(entry(3, 4)).unwrap();
    drop(journal);
    let refused = Journal::open(&f.journal, &f.input, &header(&f))
        .err()
        .unwrap();
    assert!(
        matches!(refused, JournalError::Unreadable { line: 3, .. }),
        "{refused}"
    );

    std::fs::write(&f.journal, "source_record_id,program\n").unwrap();
    let refused = Journal::open(&f.journal, &f.input, &header(&f))
        .err()
        .unwrap();
    assert!(
        matches!(refused, JournalError::Unreadable { line: 1, .. }),
        "{refused}"
    );
}
