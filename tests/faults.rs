//! Faults of the real binary: killed (SIGKILL) in the middle of a publishing batch, and
//! stopped (SIGTERM) with long-polls and batches in flight. Nothing acknowledged may be lost,
//! a retried sync must not duplicate anything, and the audit log must still verify.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::records::{KEMENSOS, graduation};
use common::service::Service;
use common::{Backend, TestDb};
use diesel::prelude::*;
use reqwest::blocking::Client;
use serde_json::{Value, json};

/// The demo client with every scope: it reads records, the change feed and the audit log.
const ADMIN: &str = "demo-admin";

/// A client that opens a connection per request when `fresh`, so that no idle keep-alive
/// connection outlives the request that made it.
fn client(fresh: bool) -> Client {
    let mut builder = Client::builder().timeout(Duration::from_secs(60));
    if fresh {
        builder = builder.pool_max_idle_per_host(0);
    }
    builder.build().unwrap()
}

fn token(http: &Client, service: &Service, client_id: &str) -> String {
    let secret = sinergi::demo::demo_secret(client_id);
    let res = http
        .post(service.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .expect("token request");
    assert_eq!(res.status(), 200, "token for {client_id}");
    res.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// GET that must answer 200 with JSON.
fn get_json(http: &Client, url: &str, token: &str, query: &[(&str, &str)]) -> Value {
    let res = http
        .get(url)
        .query(query)
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("GET {url} {query:?}: {e}"));
    let status = res.status();
    let text = res.text().unwrap();
    assert_eq!(status, 200, "GET {url} {query:?}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// GET that must answer 200; the body as text.
fn get_text(http: &Client, url: &str, token: &str) -> (u16, String) {
    let res = http
        .get(url)
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (res.status().as_u16(), res.text().unwrap())
}

/// POSTs a graduation batch with our own request id; the status and the JSON body, or the
/// transport error when no complete answer came.
fn post_batch(
    http: &Client,
    service_base: &str,
    token: &str,
    items: &[Value],
    request_id: &str,
) -> Result<(u16, Value), reqwest::Error> {
    let res = http
        .post(format!("{service_base}/v1/graduations/batch"))
        .bearer_auth(token)
        .header("x-request-id", request_id)
        .json(&json!({ "items": items }))
        .send()?;
    let status = res.status().as_u16();
    let text = res.text()?;
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{request_id}: {status} is not JSON ({e}): {text}"));
    Ok((status, body))
}

/// The `result` of each item of a batch answer, checked to be at version 1 and in order.
fn results_of(body: &Value, items: &[Value]) -> Vec<String> {
    let results = body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {body}"));
    assert_eq!(results.len(), items.len(), "{body}");
    results
        .iter()
        .zip(items)
        .map(|(r, item)| {
            assert_eq!(r["source_record_id"], item["source_record_id"], "{r}");
            assert_eq!(r["version"], 1, "{r}");
            r["result"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// Every graduation Kemensos published whose source id starts with `prefix`, found by
/// paging the search with its cursor.
fn graduations_with_prefix(
    http: &Client,
    service: &Service,
    token: &str,
    prefix: &str,
) -> Vec<Value> {
    let url = service.url("/v1/graduations");
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("publisher", "KEMENSOS"), ("limit", "1000")];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.as_str()));
        }
        let page = get_json(http, &url, token, &query);
        for item in page["items"].as_array().expect("items") {
            if item["source_record_id"]
                .as_str()
                .unwrap()
                .starts_with(prefix)
            {
                found.push(item.clone());
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return found,
        }
    }
}

/// The whole change feed from its start up to the head.
fn whole_feed(http: &Client, service: &Service, token: &str) -> Vec<Value> {
    let url = service.url("/v1/changes");
    let mut changes = Vec::new();
    let mut after = 0_u64;
    loop {
        let after_text = after.to_string();
        let page = get_json(
            http,
            &url,
            token,
            &[("after", &after_text), ("limit", "1000")],
        );
        let items = page["changes"].as_array().expect("changes");
        changes.extend(items.iter().cloned());
        after = page["next"].as_u64().expect("next");
        if items.len() < 1000 {
            return changes;
        }
    }
}

/// The checkpoint, the public key and the export of exactly the entries it covers, once the
/// checkpoint covers the entries of every request id in `expected`; verified offline.
/// Returns the entries.
fn verified_audit_log(
    http: &Client,
    service: &Service,
    token: &str,
    expected: &BTreeSet<String>,
) -> Vec<Value> {
    let (status, key) = get_text(http, &service.url("/v1/audit/public-key"), token);
    assert_eq!(status, 200, "{key}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, checkpoint) = get_text(http, &service.url("/v1/audit/checkpoint"), token);
        if status == 200 {
            let size: u64 = checkpoint
                .lines()
                .nth(1)
                .and_then(|l| l.parse().ok())
                .unwrap_or_else(|| panic!("no tree size in the checkpoint: {checkpoint}"));
            let res = http
                .get(service.url("/v1/audit/export"))
                .query(&[("to", size.to_string())])
                .bearer_auth(token)
                .send()
                .expect("export");
            assert_eq!(res.status(), 200, "export?to={size}");
            let bytes = res.bytes().unwrap();
            let entries: Vec<Value> = bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice(l).expect("an entry is JSON"))
                .collect();
            let covered: HashSet<&str> = entries
                .iter()
                .filter_map(|e| e["request_id"].as_str())
                .collect();
            let missing: Vec<&String> = expected
                .iter()
                .filter(|id| !covered.contains(id.as_str()))
                .collect();
            if missing.is_empty() {
                let verified =
                    sinergi::audit::verify::verify_export(&bytes[..], &checkpoint, &key, &[])
                        .unwrap_or_else(|e| panic!("the audit export does not verify: {e}"));
                assert_eq!(verified.size, size);
                assert_eq!(entries.len() as u64, size);
                return entries;
            }
            assert!(
                Instant::now() < deadline,
                "no checkpoint covered {} of the expected requests within 30 s, e.g. {:?}",
                missing.len(),
                &missing[..missing.len().min(5)]
            );
        } else {
            assert_eq!(status, 404, "{checkpoint}");
            assert!(Instant::now() < deadline, "no checkpoint within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

const BATCHES: usize = 30;
const PER_BATCH: usize = 50;
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

        // The first batches, one after another, each acknowledged.
        let mut acknowledged = BTreeSet::new();
        let mut expected_requests = BTreeSet::new();
        let started = Instant::now();
        for (b, items) in batches.iter().enumerate().take(BEFORE_KILL) {
            let request_id = format!("kill-first-{b:02}");
            let (status, body) = post_batch(&http, &service.base, &kemensos, items, &request_id)
                .unwrap_or_else(|e| panic!("batch {b}: {e}"));
            assert_eq!(status, 200, "batch {b}: {body}");
            assert!(results_of(&body, items).iter().all(|r| r == "created"), "{body}");
            acknowledged.insert(b);
            expected_requests.insert(request_id);
        }
        let latency = started.elapsed() / BEFORE_KILL as u32;

        // The next batches go out at once, each from a thread of its own, and the service is
        // killed while they are (most likely) being written: after about one batch's usual
        // time, varied from run to run so that runs hit different moments.
        let in_flight: Vec<usize> = (BEFORE_KILL..BEFORE_KILL + IN_FLIGHT).collect();
        let senders: Vec<_> = in_flight
            .iter()
            .map(|&b| {
                let (base, token, items) =
                    (service.base.clone(), kemensos.clone(), batches[b].clone());
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
        std::thread::sleep(latency / 4 + latency * jitter / 1000);
        service.kill();
        for (&b, sender) in in_flight.iter().zip(senders) {
            match sender.join().unwrap() {
                Ok((status, body)) => {
                    // Answered before the kill landed: acknowledged like the others.
                    assert_eq!(status, 200, "{body}");
                    assert!(results_of(&body, &batches[b]).iter().all(|r| r == "created"));
                    acknowledged.insert(b);
                    expected_requests.insert(format!("kill-in-flight-{b:02}"));
                }
                Err(e) => eprintln!("{backend:?}: batch {b} in flight got no answer: {e}"),
            }
        }

        // Restarted on the same database with the same key-encryption key.
        let service = Service::start(dir.path(), &db.url, &["serve", "--demo"], &[]);
        let admin = token(&http, &service, ADMIN);

        // Before anything is sent again: every acknowledged batch is complete, each batch in
        // flight is all or nothing, and nothing later exists.
        let stored = stored_per_batch(&graduations_with_prefix(&http, &service, &admin, "KILL-"));
        for &b in &acknowledged {
            assert_eq!(stored.get(&b), Some(&PER_BATCH), "acknowledged batch {b}: {stored:?}");
        }
        let mut stored_in_flight = BTreeSet::new();
        for &b in &in_flight {
            let n = stored.get(&b).copied().unwrap_or(0);
            assert!(
                n == 0 || n == PER_BATCH,
                "batch {b}, in flight at the kill, is partly stored: {n} of {PER_BATCH}"
            );
            if n == PER_BATCH {
                stored_in_flight.insert(b);
                expected_requests.insert(format!("kill-in-flight-{b:02}"));
            }
        }
        eprintln!(
            "{backend:?}: batches {in_flight:?} in flight, killed after {:?} (a batch took \
             {latency:?}); answered before the kill: {:?}; stored: {stored_in_flight:?}",
            latency / 4 + latency * jitter / 1000,
            acknowledged.range(BEFORE_KILL..).collect::<Vec<_>>()
        );
        let unexpected: Vec<_> = stored
            .keys()
            .filter(|b| **b >= BEFORE_KILL + IN_FLIGHT)
            .collect();
        assert!(unexpected.is_empty(), "batches never sent are stored: {unexpected:?}");

        // The nightly sync after an error: every batch again, from the first, with the token
        // obtained before the restart (the signing keys are in the database).
        let mut ids = HashMap::new();
        for (b, items) in batches.iter().enumerate() {
            let request_id = format!("kill-again-{b:02}");
            let (status, body) = post_batch(&http, &service.base, &kemensos, items, &request_id)
                .unwrap_or_else(|e| panic!("batch {b} again: {e}"));
            assert_eq!(status, 200, "batch {b} again: {body}");
            let expected = if b < BEFORE_KILL || stored_in_flight.contains(&b) {
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
            expected_requests.insert(request_id);
        }
        assert_eq!(ids.len(), BATCHES * PER_BATCH, "one id per source record id");

        // Every record exactly once, at version 1, under the id the retry answered.
        let records = graduations_with_prefix(&http, &service, &admin, "KILL-");
        assert_eq!(records.len(), BATCHES * PER_BATCH);
        let mut seen = HashSet::new();
        for record in &records {
            let id = record["id"].as_str().unwrap();
            let srid = record["source_record_id"].as_str().unwrap();
            assert!(seen.insert(srid.to_owned()), "{srid} found twice");
            assert_eq!(ids.get(id).map(String::as_str), Some(srid), "{record}");
            assert_eq!(record["version"], 1, "{record}");
        }

        // The change feed: strictly increasing positions, no version twice, and exactly one
        // `created` per record, once the sequencer has numbered them all.
        let deadline = Instant::now() + Duration::from_secs(30);
        let feed = loop {
            let feed = whole_feed(&http, &service, &admin);
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
            assert!(
                versions.insert((record_id, version)),
                "({record_id}, {version}) is in the feed twice"
            );
            if ids.contains_key(record_id) {
                assert_eq!(change["action"], "created", "{change}");
                assert_eq!(change["type"], "graduation", "{change}");
                assert_eq!(change["record"]["source_record_id"], ids[record_id].as_str());
                *created.entry(record_id).or_default() += 1;
            }
        }
        assert_eq!(created.len(), ids.len(), "a record has no `created` change");
        assert!(created.values().all(|n| *n == 1));

        // The audit log: one entry for each answered batch (and for a batch in flight
        // exactly when it was stored, as its entry shares its transaction), all verifying
        // against a signed checkpoint.
        let entries = verified_audit_log(&http, &service, &admin, &expected_requests);
        let mut by_request = HashMap::<&str, Vec<&Value>>::new();
        for entry in &entries {
            if let Some(id) = entry["request_id"].as_str() {
                by_request.entry(id).or_default().push(entry);
            }
        }
        for request_id in &expected_requests {
            let found = &by_request[request_id.as_str()];
            assert_eq!(found.len(), 1, "{request_id}: {found:?}");
            assert_eq!(found[0]["status"], 200, "{request_id}: {}", found[0]);
        }
        for &b in &in_flight {
            let request_id = format!("kill-in-flight-{b:02}");
            assert_eq!(
                by_request.get(request_id.as_str()).map_or(0, Vec::len),
                usize::from(stored_in_flight.contains(&b)),
                "the audit entry of batch {b}, in flight at the kill, does not match its records"
            );
        }
        drop(service);
    }
}

/// Counts rows with a query of the form `SELECT COUNT(*) AS n …`.
fn count(conn: &mut sinergi::db::AnyConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// What one client request came to.
#[derive(Debug)]
enum Outcome {
    Answered(u16, Value),
    Failed(String),
}

both_backends! {
    fn sigterm_lets_in_flight_requests_finish_and_the_process_exits_in_time(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
        let dir = tempfile::tempdir().unwrap();
        let mut service = Service::start(
            dir.path(),
            &db.url,
            &["serve"],
            &[("SINERGI_SHUTDOWN_TIMEOUT_SECS", "5")],
        );
        let http = client(true);
        let kemensos = token(&http, &service, KEMENSOS);
        let admin = token(&http, &service, ADMIN);

        // Publishers, each sending one batch after another until the service stops answering.
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let publishers: Vec<_> = (0..3)
            .map(|p| {
                let (base, token, acknowledged) =
                    (service.base.clone(), kemensos.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    let http = client(true);
                    let mut outcomes = Vec::new();
                    for k in 0.. {
                        let items: Vec<Value> = (0..PER_BATCH)
                            .map(|i| graduation(&format!("TERM-{p}-{k:03}-{i:02}")))
                            .collect();
                        let request_id = format!("term-publish-{p}-{k:03}");
                        let sent_at = Instant::now();
                        let answer = post_batch(&http, &base, &token, &items, &request_id);
                        let times = (sent_at, Instant::now());
                        match answer {
                            Ok((status, body)) => {
                                if status == 200 {
                                    acknowledged.fetch_add(1, Ordering::SeqCst);
                                }
                                let go_on = status == 200;
                                outcomes.push((request_id, times, Outcome::Answered(status, body)));
                                if !go_on {
                                    break;
                                }
                            }
                            Err(e) => {
                                outcomes.push((request_id, times, Outcome::Failed(e.to_string())));
                                break;
                            }
                        }
                    }
                    outcomes
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged.load(Ordering::SeqCst) < 6 {
            assert!(Instant::now() < deadline, "the publishers got no answers");
            std::thread::sleep(Duration::from_millis(20));
        }

        // Long-polls for enrollments, of which none come: each is held for its 3 s.
        let pending_polls = Arc::new(AtomicUsize::new(0));
        let polls: Vec<_> = (0..4)
            .map(|n| {
                let (url, token, pending) =
                    (service.url("/v1/changes"), admin.clone(), pending_polls.clone());
                pending.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let res = client(true)
                        .get(url)
                        .query(&[("after", "0"), ("types", "enrollment"), ("wait", "3")])
                        .bearer_auth(token)
                        .header("x-request-id", format!("term-poll-{n}"))
                        .send()
                        .and_then(|res| {
                            let status = res.status().as_u16();
                            res.text().map(|text| (status, text))
                        });
                    pending.fetch_sub(1, Ordering::SeqCst);
                    match res {
                        Ok((status, text)) => Outcome::Answered(
                            status,
                            serde_json::from_str(&text)
                                .unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
                        ),
                        Err(e) => Outcome::Failed(e.to_string()),
                    }
                })
            })
            .collect();
        // Time for the long-polls to reach the service (they wait there for 3 s).
        std::thread::sleep(Duration::from_millis(300));

        let signalled = Instant::now();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &service.pid().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());

        // New connections: refused (or answered 503) once the signal is handled, while the
        // long-polls are still being served.
        let probe = client(true);
        let mut before_refusal = Vec::new();
        let probe_deadline = signalled + Duration::from_secs(15);
        let polls_pending_at_refusal = loop {
            match probe
                .get(service.url("/healthz"))
                .timeout(Duration::from_secs(2))
                .send()
            {
                Err(e) => {
                    assert!(!e.is_timeout(), "a new connection hung instead of being refused: {e}");
                    // Counted after the refusal: those still pending were pending at it.
                    break pending_polls.load(Ordering::SeqCst);
                }
                Ok(res) => before_refusal.push(res.status().as_u16()),
            }
            assert!(
                Instant::now() < probe_deadline,
                "new connections were still served 15 s after SIGTERM: {before_refusal:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        // Refused from then on, while the process drains.
        for _ in 0..5 {
            if service.exited() {
                break;
            }
            let res = probe
                .get(service.url("/v1/whoami"))
                .bearer_auth(&admin)
                .timeout(Duration::from_secs(2))
                .send();
            match res {
                Err(e) => assert!(!e.is_timeout(), "a new connection hung: {e}"),
                Ok(res) => assert_eq!(res.status(), 503, "a new request was served after refusal"),
            }
        }

        let exit = service.wait_until(signalled + Duration::from_secs(5 + 10));
        let exited_after = signalled.elapsed();
        let exit = exit.unwrap_or_else(|| {
            panic!("the service did not exit within 15 s of SIGTERM (drain timeout 5 s)")
        });
        assert!(exit.success(), "exit status after SIGTERM: {exit}\n{}", service.stderr());
        eprintln!(
            "{backend:?}: exited {exited_after:?} after SIGTERM; probes answered before \
             refusal: {before_refusal:?}"
        );
        assert!(
            polls_pending_at_refusal > 0,
            "new connections were accepted until every long-poll had finished"
        );
        // Before the signal was handled a probe may have been served normally.
        assert!(
            before_refusal.iter().all(|s| *s == 200 || *s == 503),
            "{before_refusal:?}"
        );

        // Every long-poll in flight got its complete answer.
        let mut answered = BTreeSet::new();
        for (n, poll) in polls.into_iter().enumerate() {
            match poll.join().unwrap() {
                Outcome::Answered(200, page) => {
                    assert_eq!(page["changes"], json!([]), "{page}");
                    assert!(page["next"].is_u64(), "{page}");
                    answered.insert(format!("term-poll-{n}"));
                }
                other => panic!("the long-poll in flight at SIGTERM got {other:?}"),
            }
        }

        // Every batch answered got a complete answer: 200 with all its results (or 503 for
        // one that arrived during the drain). One that got no answer was never accepted, so
        // none of it was written; one answered 200 was written whole.
        let mut conn = db.connect();
        let mut in_flight_at_signal = 0;
        for publisher in publishers {
            let outcomes = publisher.join().unwrap();
            for (request_id, (sent_at, answered_at), outcome) in outcomes {
                let (p, k) = request_id["term-publish-".len()..].split_once('-').unwrap();
                let stored = count(
                    &mut conn,
                    &format!(
                        "SELECT COUNT(*) AS n FROM records WHERE kind = 'graduation' \
                         AND source_record_id LIKE 'TERM-{p}-{k}-%'"
                    ),
                );
                match outcome {
                    Outcome::Answered(200, body) => {
                        let results = body["results"].as_array().expect("results");
                        assert_eq!(results.len(), PER_BATCH, "{request_id}: {body}");
                        assert!(results.iter().all(|r| r["result"] == "created"), "{body}");
                        assert_eq!(stored, PER_BATCH as i64, "{request_id} was answered 200");
                        if sent_at < signalled && answered_at > signalled {
                            in_flight_at_signal += 1;
                        }
                        answered.insert(request_id);
                    }
                    Outcome::Answered(503, body) => {
                        assert_eq!(stored, 0, "{request_id} answered 503 but written: {body}");
                    }
                    Outcome::Answered(status, body) => {
                        panic!("{request_id} answered {status}: {body}")
                    }
                    Outcome::Failed(e) => {
                        assert_eq!(
                            stored, 0,
                            "{request_id} was written but its answer was lost ({e})"
                        );
                    }
                }
            }
        }
        eprintln!("{backend:?}: {in_flight_at_signal} batches in flight at SIGTERM answered 200");

        // The last requests' audit entries are in the tree: the service integrated its queue
        // before it exited.
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) AS n FROM audit_queue"),
            0,
            "audit entries left unintegrated at exit"
        );
        for request_id in &answered {
            let n = count(
                &mut conn,
                &format!(
                    "SELECT COUNT(*) AS n FROM audit_entries WHERE request_id = '{request_id}'"
                ),
            );
            assert_eq!(n, 1, "the audit entries of {request_id}");
        }
    }
}

/// A PostgreSQL server of this test's own, on a free port, which the test crashes and starts
/// again: the shared server on 5432 serves every other test. PostgreSQL refuses to run as
/// root, so when the tests do, its commands run as the `postgres` user.
struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl OwnPostgres {
    /// A new cluster with one empty database, `sinergi`, running.
    fn create() -> Self {
        let bin = ["/usr/lib/postgresql", "/usr/local/lib/postgresql"]
            .iter()
            .filter_map(|root| std::fs::read_dir(root).ok())
            .flatten()
            .map(|version| version.unwrap().path().join("bin"))
            .filter(|bin| bin.join("initdb").exists())
            .max()
            .expect("PostgreSQL's server programs (initdb, pg_ctl) are not installed");
        let dir = tempfile::tempdir().unwrap();
        if as_root() {
            let id = |flag| {
                let out = std::process::Command::new("id")
                    .args([flag, "postgres"])
                    .output()
                    .expect("id");
                String::from_utf8(out.stdout).unwrap().trim().parse().ok()
            };
            std::os::unix::fs::chown(dir.path(), id("-u"), id("-g")).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Self { dir, bin, port };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        cluster.start();
        cluster.run(
            "createdb",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "postgres",
                "sinergi",
            ],
        );
        cluster
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/sinergi", self.port)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server as a crash or a power cut would: every session cut, no checkpoint,
    /// so the next start recovers from the write-ahead log.
    fn crash(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut cmd = if as_root() {
            let mut cmd = std::process::Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(&program);
            cmd
        } else {
            std::process::Command::new(&program)
        };
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
        assert!(
            out.status.success(),
            "{} {args:?}: {}\n{}",
            program.display(),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
        );
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        if Path::new(&self.data()).join("postmaster.pid").exists() {
            self.crash();
        }
    }
}

fn as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// How long a request may wait for a database connection in the outage test.
const DB_TIMEOUT: Duration = Duration::from_millis(1000);
const OUTAGE_BATCH: usize = 20;

/// One request of the outage test's load: when it was sent and answered, and the answer.
struct Sample {
    kind: &'static str,
    request_id: String,
    /// The source record ids it published, if it was a publish.
    published: Vec<String>,
    sent: Instant,
    done: Instant,
    answer: Result<(u16, Option<String>, Value), String>,
}

/// One load client: sends requests of its `kind` one after another until `stop`.
fn outage_load(
    kind: &'static str,
    worker: usize,
    base: String,
    token: String,
    read_id: String,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Vec<Sample> {
    let http = client(false);
    let mut samples = Vec::new();
    for k in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let request_id = format!("outage-{kind}-{worker}-{k:05}");
        let (request, published) = match kind {
            "batch" => {
                let srids: Vec<String> = (0..OUTAGE_BATCH)
                    .map(|i| format!("DOWN-B{worker}-{k:05}-{i:02}"))
                    .collect();
                let items: Vec<Value> = srids.iter().map(|s| graduation(s)).collect();
                let request = http
                    .post(format!("{base}/v1/graduations/batch"))
                    .json(&json!({ "items": items }));
                (request, srids)
            }
            "single" => {
                let srid = format!("DOWN-S{worker}-{k:05}");
                let request = http
                    .post(format!("{base}/v1/graduations"))
                    .json(&graduation(&srid));
                (request, vec![srid])
            }
            "search" => {
                let request = http
                    .get(format!("{base}/v1/graduations"))
                    .query(&[("nik", common::records::HEAD), ("limit", "20")]);
                (request, Vec::new())
            }
            _ => (
                http.get(format!("{base}/v1/graduations/{read_id}")),
                Vec::new(),
            ),
        };
        let sent = Instant::now();
        let answer = request
            .bearer_auth(&token)
            .header("x-request-id", &request_id)
            .send()
            .and_then(|res| {
                let status = res.status().as_u16();
                let content_type = res
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_owned());
                res.text().map(|text| (status, content_type, text))
            })
            .map(|(status, content_type, text)| {
                let body = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{request_id}: {status} not JSON ({e}): {text}"));
                (status, content_type, body)
            })
            .map_err(|e| e.to_string());
        samples.push(Sample {
            kind,
            request_id,
            published,
            sent,
            done: Instant::now(),
            answer,
        });
    }
    samples
}

/// GET `path` without a token: the status, and how long the answer took.
fn probe(http: &Client, service: &Service, path: &str) -> (u16, Duration) {
    let sent = Instant::now();
    let res = http
        .get(service.url(path))
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap_or_else(|e| panic!("{path} got no answer: {e}"));
    (res.status().as_u16(), sent.elapsed())
}

/// PostgreSQL crashes under a mixed load and comes back: while it is away every request is
/// answered 503 problem+json within the pool timeout and `/readyz` says so; once it is back
/// the service serves again by itself, and nothing it acknowledged is lost, no batch is
/// half-written, the feed has every change once and the audit log verifies.
#[test]
fn a_postgres_crash_under_load_fails_fast_and_loses_nothing_acknowledged() {
    let postgres = OwnPostgres::create();
    let dir = tempfile::tempdir().unwrap();
    let service = Service::start(
        dir.path(),
        &postgres.url(),
        &["serve", "--demo"],
        &[
            ("SINERGI_DB_TIMEOUT_MS", &DB_TIMEOUT.as_millis().to_string()),
            ("SINERGI_DB_POOL_SIZE", "8"),
        ],
    );
    let http = client(false);
    let kemensos = token(&http, &service, KEMENSOS);
    let admin = token(&http, &service, ADMIN);
    let demo_record = get_json(
        &http,
        &service.url("/v1/graduations"),
        &admin,
        &[("limit", "1")],
    )["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The nightly mix: batches and single publishes by Kemensos, searches and reads.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = [
        ("batch", 0),
        ("batch", 1),
        ("single", 0),
        ("single", 1),
        ("search", 0),
        ("search", 1),
        ("read", 0),
        ("read", 1),
    ]
    .into_iter()
    .map(|(kind, worker)| {
        let token = if kind == "batch" || kind == "single" {
            kemensos.clone()
        } else {
            admin.clone()
        };
        let (base, read_id, stop) = (service.base.clone(), demo_record.clone(), stop.clone());
        std::thread::spawn(move || outage_load(kind, worker, base, token, read_id, stop))
    })
    .collect();
    std::thread::sleep(Duration::from_secs(3));

    let crashing = Instant::now();
    postgres.crash();
    let down = Instant::now();
    // Readiness turns false at once (the first probe may still ride a connection that was
    // checked out before the crash), and liveness stays true.
    let probes = client(true);
    let mut readiness = Vec::new();
    while down.elapsed() < Duration::from_secs(5) {
        readiness.push(probe(&probes, &service, "/readyz"));
        assert_eq!(probe(&probes, &service, "/healthz").0, 200, "liveness");
    }
    let up = Instant::now();
    postgres.start();
    let restarted = Instant::now();
    let ready = loop {
        let (status, _) = probe(&probes, &service, "/readyz");
        if status == 200 {
            break Instant::now();
        }
        assert!(
            restarted.elapsed() < Duration::from_secs(30),
            "not ready 30 s after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::SeqCst);
    let samples: Vec<Sample> = load.into_iter().flat_map(|t| t.join().unwrap()).collect();

    eprintln!(
        "readiness during the outage: {readiness:?}; ready {:?} after PostgreSQL was back",
        ready - restarted
    );
    assert!(
        readiness.iter().skip(1).all(|(status, _)| *status == 503),
        "{readiness:?}"
    );
    let slowest_probe = readiness.iter().map(|(_, t)| *t).max().unwrap();
    assert!(
        slowest_probe < DB_TIMEOUT + Duration::from_secs(1),
        "a readiness probe took {slowest_probe:?}"
    );

    // Every request got an answer; those sent and answered while PostgreSQL was away were
    // refused 503 problem+json within the pool timeout; after readiness returned, every one
    // succeeded.
    let mut during = BTreeMap::<&str, usize>::new();
    let mut after = 0;
    let mut slowest = Duration::ZERO;
    for sample in &samples {
        let (status, content_type, body) = match &sample.answer {
            Ok(answer) => answer,
            Err(e) => panic!("{} got no answer: {e}", sample.request_id),
        };
        if sample.sent >= down && sample.done <= up {
            assert_eq!(*status, 503, "{}: {body}", sample.request_id);
            assert_eq!(
                content_type.as_deref(),
                Some("application/problem+json"),
                "{}",
                sample.request_id
            );
            assert!(
                body["type"] == "urn:sinergi:problem:unavailable"
                    || body["type"] == "urn:sinergi:problem:audit-unavailable",
                "{}: {body}",
                sample.request_id
            );
            slowest = slowest.max(sample.done - sample.sent);
            *during.entry(sample.kind).or_default() += 1;
        } else if sample.sent >= ready {
            assert!(
                (200..300).contains(status),
                "{} sent after readiness returned: {status} {body}",
                sample.request_id
            );
            after += 1;
        } else if sample.done <= crashing {
            assert!(
                (200..300).contains(status),
                "{} before the crash: {status} {body}",
                sample.request_id
            );
        }
    }
    eprintln!("during the outage: {during:?} refused, slowest {slowest:?}; after: {after} served");
    assert_eq!(
        during.len(),
        4,
        "every kind of request met the outage: {during:?}"
    );
    assert!(after > 0, "no request was served after the outage");
    // Bounded by the pool timeout: a 503 does not wait for its audit entry as well.
    assert!(
        slowest <= DB_TIMEOUT + Duration::from_secs(1),
        "a request took {slowest:?} to be refused"
    );

    // What was acknowledged is stored, and every batch is all or nothing.
    let mut conn = sinergi::db::DatabaseUrl::parse(&postgres.url())
        .unwrap()
        .connect()
        .unwrap();
    let mut acknowledged = BTreeSet::new();
    let mut published = 0;
    for sample in samples.iter().filter(|s| !s.published.is_empty()) {
        let list = sample
            .published
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",");
        let stored = count(
            &mut conn,
            &format!(
                "SELECT COUNT(*) AS n FROM records WHERE kind = 'graduation' \
                 AND source_record_id IN ({list})"
            ),
        ) as usize;
        let Ok((status, _, body)) = &sample.answer else {
            unreachable!()
        };
        if (200..300).contains(status) {
            assert_eq!(
                stored,
                sample.published.len(),
                "{} was acknowledged",
                sample.request_id
            );
            acknowledged.insert(sample.request_id.clone());
        } else {
            assert!(
                stored == 0 || stored == sample.published.len(),
                "{} ({status} {body}) is half-written: {stored} of {}",
                sample.request_id,
                sample.published.len()
            );
        }
        published += stored;
    }
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM records WHERE source_record_id LIKE 'DOWN-%'"
        ) as usize,
        published,
        "records stored that no request published"
    );

    // The feed has each stored record's version once, in increasing positions.
    let deadline = Instant::now() + Duration::from_secs(30);
    let feed = loop {
        let feed = whole_feed(&http, &service, &admin);
        let numbered = feed
            .iter()
            .filter(|c| {
                c["record"]["source_record_id"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("DOWN-"))
            })
            .count();
        if numbered >= published {
            break feed;
        }
        assert!(
            Instant::now() < deadline,
            "{numbered} of {published} changes numbered within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut last = 0;
    let mut seen = HashSet::new();
    for change in &feed {
        let position = change["position"].as_u64().unwrap();
        assert_eq!(
            position,
            last + 1,
            "the feed skips from {last} to {position}"
        );
        last = position;
        let key = (change["record_id"].clone(), change["version"].clone());
        assert!(seen.insert(key), "{change} is in the feed twice");
    }

    // Every acknowledged request is in the audit log, which verifies.
    verified_audit_log(&http, &service, &admin, &acknowledged);
    drop(service);
}
