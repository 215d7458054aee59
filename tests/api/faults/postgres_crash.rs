//! PostgreSQL crashed under the nightly load and brought back: the service fails fast while
//! it is away and serves again by itself once it is back, having lost nothing it
//! acknowledged.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::own_postgres::OwnPostgres;
use super::{ADMIN, client, count, get_json, token, verified_audit_log, whole_feed};
use crate::common::records::{HEAD, KEMENSOS, graduation};
use crate::common::service::Service;
use reqwest::blocking::Client;
use serde_json::{Value, json};

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
    stop: Arc<AtomicBool>,
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
                    .query(&[("nik", HEAD), ("limit", "20")]);
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

/// The load clients, sending until told to stop.
struct Load {
    stop: Arc<AtomicBool>,
    clients: Vec<JoinHandle<Vec<Sample>>>,
}

impl Load {
    /// Stops every client; what each sent, in order.
    fn stop(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::SeqCst);
        self.clients
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    }
}

/// When PostgreSQL went away and came back, and what readiness said meanwhile.
struct Outage {
    /// Just before the crash.
    crashing: Instant,
    /// PostgreSQL is down from here.
    down: Instant,
    /// PostgreSQL is being started again from here.
    up: Instant,
    /// PostgreSQL is running again from here.
    restarted: Instant,
    /// The service is ready again from here.
    ready: Instant,
    /// Each readiness probe while PostgreSQL was down: its status and how long it took.
    readiness: Vec<(u16, Duration)>,
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

    let load = start_the_nightly_mix(&http, &service, &kemensos);
    std::thread::sleep(Duration::from_secs(3));
    let outage = crash_postgres_and_bring_it_back(&postgres, &service);
    std::thread::sleep(Duration::from_secs(3));
    let samples = load.stop();

    check_readiness_during_the_outage(&outage);
    check_every_request_was_answered_in_time(&samples, &outage);
    let (acknowledged, published) = check_nothing_acknowledged_was_lost(&postgres, &samples);
    check_the_feed_has_each_version_once(&http, &service, &kemensos, published);
    // Every acknowledged request is in the audit log, which verifies.
    verified_audit_log(&http, &service, &admin, &acknowledged);
    drop(service);
}

/// The nightly mix: batches and single publishes by Kemensos, searches and reads of a demo
/// record, two clients of each.
fn start_the_nightly_mix(http: &Client, service: &Service, kemensos: &str) -> Load {
    let demo_record = get_json(
        http,
        &service.url("/v1/graduations"),
        kemensos,
        &[("limit", "1")],
    )["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let clients = [
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
        // Readers read their own agency's records: no data-sharing agreement is needed.
        let token = kemensos.to_owned();
        let (base, read_id, stop) = (service.base.clone(), demo_record.clone(), stop.clone());
        std::thread::spawn(move || outage_load(kind, worker, base, token, read_id, stop))
    })
    .collect();
    Load { stop, clients }
}

/// Crashes PostgreSQL, probes readiness and liveness for 5 s, starts it again and waits for
/// the service to be ready by itself.
fn crash_postgres_and_bring_it_back(postgres: &OwnPostgres, service: &Service) -> Outage {
    let crashing = Instant::now();
    postgres.crash();
    let down = Instant::now();
    // Readiness turns false at once (the first probe may still ride a connection that was
    // checked out before the crash), and liveness stays true.
    let probes = client(true);
    let mut readiness = Vec::new();
    while down.elapsed() < Duration::from_secs(5) {
        readiness.push(probe(&probes, service, "/readyz"));
        assert_eq!(probe(&probes, service, "/healthz").0, 200, "liveness");
    }
    let up = Instant::now();
    postgres.start();
    let restarted = Instant::now();
    let ready = loop {
        let (status, _) = probe(&probes, service, "/readyz");
        if status == 200 {
            break Instant::now();
        }
        assert!(
            restarted.elapsed() < Duration::from_secs(30),
            "not ready 30 s after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    Outage {
        crashing,
        down,
        up,
        restarted,
        ready,
        readiness,
    }
}

/// Readiness said 503 throughout the outage (but for the first probe), each probe within the
/// pool timeout.
fn check_readiness_during_the_outage(outage: &Outage) {
    let readiness = &outage.readiness;
    eprintln!(
        "readiness during the outage: {readiness:?}; ready {:?} after PostgreSQL was back",
        outage.ready - outage.restarted
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
}

/// Every request got an answer; those sent and answered while PostgreSQL was away were
/// refused 503 problem+json within the pool timeout; after readiness returned, every one
/// succeeded.
fn check_every_request_was_answered_in_time(samples: &[Sample], outage: &Outage) {
    let mut during = BTreeMap::<&str, usize>::new();
    let mut after = 0;
    let mut slowest = Duration::ZERO;
    for sample in samples {
        let (status, content_type, body) = match &sample.answer {
            Ok(answer) => answer,
            Err(e) => panic!("{} got no answer: {e}", sample.request_id),
        };
        if sample.sent >= outage.down && sample.done <= outage.up {
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
        } else if sample.sent >= outage.ready {
            assert!(
                (200..300).contains(status),
                "{} sent after readiness returned: {status} {body}",
                sample.request_id
            );
            after += 1;
        } else if sample.done <= outage.crashing {
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
}

/// What was acknowledged is stored, every batch is all or nothing, and nothing is stored
/// that no request published. Returns the acknowledged requests and the records stored.
fn check_nothing_acknowledged_was_lost(
    postgres: &OwnPostgres,
    samples: &[Sample],
) -> (BTreeSet<String>, usize) {
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
    (acknowledged, published)
}

/// The feed has each stored record's version once, in increasing positions, once the
/// sequencer has numbered the `published` records.
fn check_the_feed_has_each_version_once(
    http: &Client,
    service: &Service,
    publisher: &str,
    published: usize,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let feed = loop {
        let feed = whole_feed(http, service, publisher);
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
        // A record version is one change; an agreement version has one per step.
        let key = (
            change["record_id"].clone(),
            change["version"].clone(),
            change["action"].clone(),
        );
        assert!(seen.insert(key), "{change} is in the feed twice");
    }
}
