use serde_json::{Value, json};

use super::*;

const AGREEMENT: &str = "0193e0c4-0000-7000-8000-000000000001";

fn state(status: &str, version: i64) -> Value {
    json!({"id": AGREEMENT, "status": status, "provider_agency": "KEMENSOS",
        "consumer_agency": "KEMENDES", "version": version, "purposes": ["PEMBERDAYAAN_EKONOMI"],
        "valid_from": "2026-01-01T00:00:00.000000Z", "valid_until": "2027-01-01T00:00:00.000000Z",
        "terms_sha256": "00"})
}

fn change(state: Value) -> Value {
    json!({"time": "2026-03-01T00:00:00.000000Z", "request_id": "change", "agency": "KEMENSOS",
        "method": "POST", "route": "/v1/agreements/{id}/approve", "status": 200,
        "record_ids": [], "agreement": state})
}

fn publish(agency: &str, record: &str) -> Value {
    json!({"time": "2026-03-01T00:00:00.000000Z", "request_id": "publish", "agency": agency,
        "method": "POST", "route": "/v1/graduations", "status": 201, "record_ids": [record]})
}

fn read(request: &str, time: &str, purpose: &str, version: Option<i64>) -> Value {
    let agreements: Vec<Value> = version
        .map(|v| json!({"id": AGREEMENT, "version": v}))
        .into_iter()
        .collect();
    json!({"time": time, "request_id": request, "agency": "KEMENDES", "purpose": purpose,
        "method": "GET", "route": "/v1/graduations/{id}", "status": 200,
        "record_ids": ["g-1", "own-1", "seeded-1"], "agreements": agreements})
}

fn run(entries: &[Value]) -> Disclosures {
    let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
    check(text.as_bytes()).unwrap()
}

#[test]
fn a_read_under_an_agreement_in_force_for_its_purpose_passes() {
    let found = run(&[
        change(state("active", 1)),
        publish("KEMENSOS", "g-1"),
        publish("KEMENDES", "own-1"),
        read(
            "ok",
            "2026-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI: pendampingan",
            Some(1),
        ),
    ]);
    assert_eq!(found.checked, 1, "one publisher besides the reader's own");
    assert_eq!(
        found.unjudged, 1,
        "the record whose publication is not in the log"
    );
    assert!(found.findings.is_empty(), "{:?}", found.findings);
}

#[test]
fn each_way_a_read_can_lack_an_agreement_is_named() {
    let cases = [
        (
            change(state("suspended", 1)),
            "2026-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI",
            Some(1),
            "was suspended at the time",
        ),
        (
            change(state("active", 2)),
            "2026-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI",
            Some(1),
            "the version in force was 2",
        ),
        (
            change(state("active", 1)),
            "2027-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI",
            Some(1),
            "was not valid at the time",
        ),
        (
            change(state("active", 1)),
            "2026-03-02T00:00:00Z",
            "AUDIT",
            Some(1),
            "does not cover the declared purpose",
        ),
        (
            change(state("active", 1)),
            "2026-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI",
            None,
            "names no agreement between these agencies",
        ),
    ];
    for (agreement, time, purpose, version, problem) in cases {
        let found = run(&[
            agreement,
            publish("KEMENSOS", "g-1"),
            read("r", time, purpose, version),
        ]);
        assert_eq!(found.findings.len(), 1, "{problem}");
        let finding = &found.findings[0];
        assert!(
            finding.problem.contains(problem),
            "{problem}: {}",
            finding.problem
        );
        assert_eq!((finding.index, finding.publisher.as_str()), (2, "KEMENSOS"));
    }
}

#[test]
fn an_agreement_not_yet_in_the_log_does_not_cover_a_read() {
    let found = run(&[
        publish("KEMENSOS", "g-1"),
        read(
            "early",
            "2026-03-02T00:00:00Z",
            "PEMBERDAYAAN_EKONOMI",
            Some(1),
        ),
        change(state("active", 1)),
    ]);
    assert_eq!(found.findings.len(), 1);
    assert!(
        found.findings[0]
            .problem
            .contains("is not in the log before this read")
    );
}

#[test]
fn own_records_refusals_and_writes_are_not_disclosures() {
    let mut refused = read("refused", "2026-03-02T00:00:00Z", "AUDIT", None);
    refused["status"] = 403.into();
    let found = run(&[
        publish("KEMENSOS", "g-1"),
        publish("KEMENDES", "own-1"),
        refused,
    ]);
    assert_eq!((found.checked, found.findings.len()), (0, 0));
}
