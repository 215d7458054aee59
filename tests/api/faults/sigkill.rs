//! The service killed (SIGKILL) while batches are being written, restarted, and synced again
//! from the first batch, as a publisher's nightly sync does after an error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use super::{
    ADMIN, PER_BATCH, client, graduations_with_prefix, post_batch, results_of, token,
    verified_audit_log, whole_feed,
};
use crate::common::records::{KEMENSOS, graduation};
use crate::common::service::Service;
use crate::common::{Backend, TestDb};
use reqwest::blocking::Client;
use serde_json::Value;

const BATCHES: usize = 30;
/// Batches acknowledged before the kill.
const BEFORE_KILL: usize = 10;
/// Batches in flight, sent at once, when the service is killed.
const IN_FLIGHT: usize = 4;

fn kill_batch(batch: usize) -> Vec<Value> {
    (0..PER_BATCH)
        .map(|i| graduation(&format!("KILL-{batch:02}-{i:02}")))
        .collect()
}

fn batch_of(source_record_id: &str) -> usize {
    source_record_id[5..7].parse().unwrap()
}

/// How many records of each batch are stored.
fn stored_per_batch(records: &[Value]) -> BTreeMap<usize, usize> {
    let mut per_batch = BTreeMap::new();
    for record in records {
        *per_batch
            .entry(batch_of(record["source_record_id"].as_str().unwrap()))
            .or_default() += 1;
    }
    per_batch
}

/// What the test knows of the batches as it goes.
#[derive(Default)]
struct Ledger {
    /// Batches answered 200.
    acknowledged: BTreeSet<usize>,
    /// Requests that must have exactly one audit entry, with status 200.
    expected_requests: BTreeSet<String>,
    /// How long a batch took before the kill.
    latency: Duration,
    /// How long after sending the batches in flight the service was killed.
    killed_after: Duration,
    /// Batches in flight at the kill that are stored (whole).
    stored_in_flight: BTreeSet<usize>,
}

both_backends! {
    fn the_service_killed_mid_batch_loses_nothing_and_retries_make_no_duplicates(
        backend: Backend
    ) {
        let db = TestDb::new(backend);
        let dir = tempfile::tempdir().unwrap();
        let mut service = Service::start(dir.path(), &db.url, &["serve", "--demo"], &[]);
        let http = client(false);
        let kemensos = token(&http, &service, KEMENSOS);
        let batches: Vec<Vec<Value>> = (0..BATCHES).map(kill_batch).collect();
        let mut ledger = Ledger::default();

        publish_the_first_batches(&http, &service, &kemensos, &batches, &mut ledger);
        kill_with_batches_in_flight(backend, &mut service, &kemensos, &batches, &mut ledger);

        // Restarted on the same database with the same key-encryption key.
        let service = Service::start(dir.path(), &db.url, &["serve", "--demo"], &[]);
        let admin = token(&http, &service, ADMIN);
        // Records are read back by their publisher, which needs no data-sharing agreement.
        check_what_the_kill_left(backend, &http, &service, &kemensos, &mut ledger);
        let ids = sync_every_batch_again(&http, &service, &kemensos, &batches, &mut ledger);
        check_every_record_is_stored_once(&http, &service, &kemensos, &ids);
        check_the_feed_has_one_created_per_record(&http, &service, &kemensos, &ids);
        check_the_audit_log(&http, &service, &admin, &ledger);
        drop(service);
    }
}

/// The first batches, one after another, each acknowledged.
fn publish_the_first_batches(
    http: &Client,
    service: &Service,
    kemensos: &str,
    batches: &[Vec<Value>],
    ledger: &mut Ledger,
) {
    let started = Instant::now();
    for (b, items) in batches.iter().enumerate().take(BEFORE_KILL) {
        let request_id = format!("kill-first-{b:02}");
        let (status, body) = post_batch(http, &service.base, kemensos, items, &request_id)
            .unwrap_or_else(|e| panic!("batch {b}: {e}"));
        assert_eq!(status, 200, "batch {b}: {body}");
        assert!(
            results_of(&body, items).iter().all(|r| r == "created"),
            "{body}"
        );
        ledger.acknowledged.insert(b);
        ledger.expected_requests.insert(request_id);
    }
    ledger.latency = started.elapsed() / BEFORE_KILL as u32;
}

/// The next batches go out at once, each from a thread of its own, and the service is killed
/// while they are (most likely) being written: after about one batch's usual time, varied
/// from run to run so that runs hit different moments.
fn kill_with_batches_in_flight(
    backend: Backend,
    service: &mut Service,
    kemensos: &str,
    batches: &[Vec<Value>],
    ledger: &mut Ledger,
) {
    let senders: Vec<_> = (BEFORE_KILL..BEFORE_KILL + IN_FLIGHT)
        .map(|b| {
            let (base, token, items) = (
                service.base.clone(),
                kemensos.to_owned(),
                batches[b].clone(),
            );
            std::thread::spawn(move || {
                let request_id = format!("kill-in-flight-{b:02}");
                post_batch(&client(true), &base, &token, &items, &request_id)
            })
        })
        .collect();
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
        % 4000;
    ledger.killed_after = ledger.latency / 4 + ledger.latency * jitter / 1000;
    std::thread::sleep(ledger.killed_after);
    service.kill();
    for (b, sender) in (BEFORE_KILL..).zip(senders) {
        match sender.join().unwrap() {
            Ok((status, body)) => {
                // Answered before the kill landed: acknowledged like the others.
                assert_eq!(status, 200, "{body}");
                assert!(
                    results_of(&body, &batches[b])
                        .iter()
                        .all(|r| r == "created")
                );
                ledger.acknowledged.insert(b);
                ledger
                    .expected_requests
                    .insert(format!("kill-in-flight-{b:02}"));
            }
            Err(e) => eprintln!("{backend:?}: batch {b} in flight got no answer: {e}"),
        }
    }
}

/// Before anything is sent again: every acknowledged batch is complete, each batch in flight
/// is all or nothing, and nothing later exists.
fn check_what_the_kill_left(
    backend: Backend,
    http: &Client,
    service: &Service,
    publisher: &str,
    ledger: &mut Ledger,
) {
    let in_flight: Vec<usize> = (BEFORE_KILL..BEFORE_KILL + IN_FLIGHT).collect();
    let stored = stored_per_batch(&graduations_with_prefix(http, service, publisher, "KILL-"));
    for &b in &ledger.acknowledged {
        assert_eq!(
            stored.get(&b),
            Some(&PER_BATCH),
            "acknowledged batch {b}: {stored:?}"
        );
    }
    for &b in &in_flight {
        let n = stored.get(&b).copied().unwrap_or(0);
        assert!(
            n == 0 || n == PER_BATCH,
            "batch {b}, in flight at the kill, is partly stored: {n} of {PER_BATCH}"
        );
        if n == PER_BATCH {
            ledger.stored_in_flight.insert(b);
            ledger
                .expected_requests
                .insert(format!("kill-in-flight-{b:02}"));
        }
    }
    eprintln!(
        "{backend:?}: batches {in_flight:?} in flight, killed after {:?} (a batch took \
         {:?}); answered before the kill: {:?}; stored: {:?}",
        ledger.killed_after,
        ledger.latency,
        ledger.acknowledged.range(BEFORE_KILL..).collect::<Vec<_>>(),
        ledger.stored_in_flight
    );
    let unexpected: Vec<_> = stored
        .keys()
        .filter(|b| **b >= BEFORE_KILL + IN_FLIGHT)
        .collect();
    assert!(
        unexpected.is_empty(),
        "batches never sent are stored: {unexpected:?}"
    );
}

/// The nightly sync after an error: every batch again, from the first, with the token
/// obtained before the restart (the signing keys are in the database). What was stored is
/// `unchanged`, the rest `created`. Returns the id answered for each source record id.
fn sync_every_batch_again(
    http: &Client,
    service: &Service,
    kemensos: &str,
    batches: &[Vec<Value>],
    ledger: &mut Ledger,
) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    for (b, items) in batches.iter().enumerate() {
        let request_id = format!("kill-again-{b:02}");
        let (status, body) = post_batch(http, &service.base, kemensos, items, &request_id)
            .unwrap_or_else(|e| panic!("batch {b} again: {e}"));
        assert_eq!(status, 200, "batch {b} again: {body}");
        let expected = if b < BEFORE_KILL || ledger.stored_in_flight.contains(&b) {
            "unchanged"
        } else {
            "created"
        };
        let results = results_of(&body, items);
        assert!(
            results.iter().all(|r| r == expected),
            "batch {b} again: expected every item {expected}: {results:?}"
        );
        for r in body["results"].as_array().unwrap() {
            ids.insert(
                r["id"].as_str().unwrap().to_owned(),
                r["source_record_id"].as_str().unwrap().to_owned(),
            );
        }
        ledger.expected_requests.insert(request_id);
    }
    assert_eq!(
        ids.len(),
        BATCHES * PER_BATCH,
        "one id per source record id"
    );
    ids
}

/// Every record exactly once, at version 1, under the id the retry answered.
fn check_every_record_is_stored_once(
    http: &Client,
    service: &Service,
    publisher: &str,
    ids: &HashMap<String, String>,
) {
    let records = graduations_with_prefix(http, service, publisher, "KILL-");
    assert_eq!(records.len(), BATCHES * PER_BATCH);
    let mut seen = HashSet::new();
    for record in &records {
        let id = record["id"].as_str().unwrap();
        let srid = record["source_record_id"].as_str().unwrap();
        assert!(seen.insert(srid.to_owned()), "{srid} found twice");
        assert_eq!(ids.get(id).map(String::as_str), Some(srid), "{record}");
        assert_eq!(record["version"], 1, "{record}");
    }
}

/// The change feed: strictly increasing positions, no version twice, and exactly one
/// `created` per record, once the sequencer has numbered them all.
fn check_the_feed_has_one_created_per_record(
    http: &Client,
    service: &Service,
    publisher: &str,
    ids: &HashMap<String, String>,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let feed = loop {
        let feed = whole_feed(http, service, publisher);
        let numbered = feed
            .iter()
            .filter(|c| ids.contains_key(c["record_id"].as_str().unwrap()))
            .count();
        if numbered >= ids.len() {
            break feed;
        }
        assert!(
            Instant::now() < deadline,
            "only {numbered} of {} changes were numbered within 30 s",
            ids.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut last = 0;
    let mut versions = HashSet::new();
    let mut created = HashMap::<&str, usize>::new();
    for change in &feed {
        let position = change["position"].as_u64().unwrap();
        assert!(position > last, "position {position} after {last}");
        last = position;
        let record_id = change["record_id"].as_str().unwrap();
        let version = change["version"].as_u64().unwrap();
        // A record version is one change; an agreement version has one per step.
        let action = change["action"].as_str().unwrap();
        assert!(
            versions.insert((record_id, version, action)),
            "({record_id}, {version}, {action}) is in the feed twice"
        );
        if ids.contains_key(record_id) {
            assert_eq!(change["action"], "created", "{change}");
            assert_eq!(change["type"], "graduation", "{change}");
            assert_eq!(
                change["record"]["source_record_id"],
                ids[record_id].as_str()
            );
            *created.entry(record_id).or_default() += 1;
        }
    }
    assert_eq!(created.len(), ids.len(), "a record has no `created` change");
    assert!(created.values().all(|n| *n == 1));
}

/// The audit log: one entry for each answered batch (and for a batch in flight exactly when
/// it was stored, as its entry shares its transaction), all verifying against a signed
/// checkpoint.
fn check_the_audit_log(http: &Client, service: &Service, admin: &str, ledger: &Ledger) {
    let entries = verified_audit_log(http, service, admin, &ledger.expected_requests);
    let mut by_request = HashMap::<&str, Vec<&Value>>::new();
    for entry in &entries {
        if let Some(id) = entry["request_id"].as_str() {
            by_request.entry(id).or_default().push(entry);
        }
    }
    for request_id in &ledger.expected_requests {
        let found = &by_request[request_id.as_str()];
        assert_eq!(found.len(), 1, "{request_id}: {found:?}");
        assert_eq!(found[0]["status"], 200, "{request_id}: {}", found[0]);
    }
    for b in BEFORE_KILL..BEFORE_KILL + IN_FLIGHT {
        let request_id = format!("kill-in-flight-{b:02}");
        assert_eq!(
            by_request.get(request_id.as_str()).map_or(0, Vec::len),
            usize::from(ledger.stored_in_flight.contains(&b)),
            "the audit entry of batch {b}, in flight at the kill, does not match its records"
        );
    }
}
