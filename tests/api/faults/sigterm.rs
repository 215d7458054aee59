//! The service stopped (SIGTERM) with long-polls and batches in flight: it refuses new
//! connections at once, lets what is in flight finish, and exits within its drain timeout.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{ADMIN, PER_BATCH, client, count, post_batch, token};
use crate::common::records::{KEMENSOS, graduation};
use crate::common::service::Service;
use crate::common::{Backend, TestDb};
use serde_json::{Value, json};
use sinergi::db::AnyConnection;

/// What one client request came to.
#[derive(Debug)]
enum Outcome {
    Answered(u16, Value),
    Failed(String),
}

/// A publisher's requests in order: the request id, when it was sent and answered, and what
/// it came to.
type Published = Vec<(String, (Instant, Instant), Outcome)>;

/// The long-polls in flight, and how many of them have not been answered yet.
struct LongPolls {
    threads: Vec<JoinHandle<Outcome>>,
    pending: Arc<AtomicUsize>,
}

/// How new connections fared after the signal.
struct Refusal {
    /// The statuses of the probes served before new connections were refused.
    before_refusal: Vec<u16>,
    /// The long-polls still unanswered when the first new connection was refused.
    polls_pending_at_refusal: usize,
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

        let publishers = start_publishers(&service, &kemensos);
        let polls = start_long_polls(&service, &admin);
        let signalled = send_sigterm(&service);
        let refusal = check_new_connections_are_refused(&mut service, &admin, &polls, signalled);
        wait_for_a_clean_exit(backend, &mut service, signalled, &refusal);
        let mut answered = check_every_long_poll_was_answered(polls);
        let mut conn = db.connect();
        check_every_batch_is_all_or_nothing(backend, &mut conn, publishers, signalled, &mut answered);
        check_the_audit_log_was_integrated(&mut conn, &answered);
    }
}

/// Publishers, each sending one batch after another until the service stops answering;
/// returned once they have had a few batches acknowledged.
fn start_publishers(service: &Service, kemensos: &str) -> Vec<JoinHandle<Published>> {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let publishers = (0..3)
        .map(|p| {
            let (base, token, acknowledged) = (
                service.base.clone(),
                kemensos.to_owned(),
                acknowledged.clone(),
            );
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
    publishers
}

/// Long-polls for enrollments, of which none come: each is held for its 3 s. Returned once
/// they have had time to reach the service.
fn start_long_polls(service: &Service, admin: &str) -> LongPolls {
    let pending = Arc::new(AtomicUsize::new(0));
    let threads = (0..4)
        .map(|n| {
            let (url, token, pending) = (
                service.url("/v1/changes"),
                admin.to_owned(),
                pending.clone(),
            );
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
    std::thread::sleep(Duration::from_millis(300));
    LongPolls { threads, pending }
}

/// Sends SIGTERM; returns when.
fn send_sigterm(service: &Service) -> Instant {
    let signalled = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &service.pid().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    signalled
}

/// New connections: refused (or answered 503) once the signal is handled, while the
/// long-polls are still being served; and refused from then on, while the process drains.
fn check_new_connections_are_refused(
    service: &mut Service,
    admin: &str,
    polls: &LongPolls,
    signalled: Instant,
) -> Refusal {
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
                assert!(
                    !e.is_timeout(),
                    "a new connection hung instead of being refused: {e}"
                );
                // Counted after the refusal: those still pending were pending at it.
                break polls.pending.load(Ordering::SeqCst);
            }
            Ok(res) => before_refusal.push(res.status().as_u16()),
        }
        assert!(
            Instant::now() < probe_deadline,
            "new connections were still served 15 s after SIGTERM: {before_refusal:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    for _ in 0..5 {
        if service.exited() {
            break;
        }
        let res = probe
            .get(service.url("/v1/whoami"))
            .bearer_auth(admin)
            .timeout(Duration::from_secs(2))
            .send();
        match res {
            Err(e) => assert!(!e.is_timeout(), "a new connection hung: {e}"),
            Ok(res) => assert_eq!(res.status(), 503, "a new request was served after refusal"),
        }
    }
    Refusal {
        before_refusal,
        polls_pending_at_refusal,
    }
}

/// The process exits successfully within its drain timeout and a margin, and it stopped
/// taking new connections while long-polls were still in flight.
fn wait_for_a_clean_exit(
    backend: Backend,
    service: &mut Service,
    signalled: Instant,
    refusal: &Refusal,
) {
    let exit = service.wait_until(signalled + Duration::from_secs(5 + 10));
    let exited_after = signalled.elapsed();
    let exit = exit.unwrap_or_else(|| {
        panic!("the service did not exit within 15 s of SIGTERM (drain timeout 5 s)")
    });
    assert!(
        exit.success(),
        "exit status after SIGTERM: {exit}\n{}",
        service.stderr()
    );
    let before_refusal = &refusal.before_refusal;
    eprintln!(
        "{backend:?}: exited {exited_after:?} after SIGTERM; probes answered before \
         refusal: {before_refusal:?}"
    );
    assert!(
        refusal.polls_pending_at_refusal > 0,
        "new connections were accepted until every long-poll had finished"
    );
    // Before the signal was handled a probe may have been served normally.
    assert!(
        before_refusal.iter().all(|s| *s == 200 || *s == 503),
        "{before_refusal:?}"
    );
}

/// Every long-poll in flight got its complete answer; returns their request ids.
fn check_every_long_poll_was_answered(polls: LongPolls) -> BTreeSet<String> {
    let mut answered = BTreeSet::new();
    for (n, poll) in polls.threads.into_iter().enumerate() {
        match poll.join().unwrap() {
            Outcome::Answered(200, page) => {
                assert_eq!(page["changes"], json!([]), "{page}");
                assert!(page["next"].is_u64(), "{page}");
                answered.insert(format!("term-poll-{n}"));
            }
            other => panic!("the long-poll in flight at SIGTERM got {other:?}"),
        }
    }
    answered
}

/// Every batch answered got a complete answer: 200 with all its results (or 503 for one
/// that arrived during the drain). One that got no answer was never accepted, so none of it
/// was written; one answered 200 was written whole. Adds those answered 200 to `answered`.
fn check_every_batch_is_all_or_nothing(
    backend: Backend,
    conn: &mut AnyConnection,
    publishers: Vec<JoinHandle<Published>>,
    signalled: Instant,
    answered: &mut BTreeSet<String>,
) {
    let mut in_flight_at_signal = 0;
    for publisher in publishers {
        let outcomes = publisher.join().unwrap();
        for (request_id, (sent_at, answered_at), outcome) in outcomes {
            let (p, k) = request_id["term-publish-".len()..].split_once('-').unwrap();
            let stored = count(
                conn,
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
}

/// The last requests' audit entries are in the tree: the service integrated its queue before
/// it exited.
fn check_the_audit_log_was_integrated(conn: &mut AnyConnection, answered: &BTreeSet<String>) {
    assert_eq!(
        count(conn, "SELECT COUNT(*) AS n FROM audit_queue"),
        0,
        "audit entries left unintegrated at exit"
    );
    for request_id in answered {
        let n = count(
            conn,
            &format!("SELECT COUNT(*) AS n FROM audit_entries WHERE request_id = '{request_id}'"),
        );
        assert_eq!(n, 1, "the audit entries of {request_id}");
    }
}
