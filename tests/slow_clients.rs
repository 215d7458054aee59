//! Clients that hold connections without finishing a request: a slow sender (slowloris) is
//! cut off after the request-head timeout, and thousands of idle connections neither stop
//! others from being served nor stay open. The HTTP layer does not touch the database, so
//! one backend is enough.
//!
//! A test binary of its own, not a module of `tests/api`: it holds 3,000 connections, both
//! ends of each in this process, so 6,000 descriptors, sized from the process's open-file
//! limit on the assumption that nothing else uses it. Beside the other tests' servers,
//! clients and databases in one process, it or they would run out of descriptors.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Backend, spawn_app};

/// actix-web's limit for receiving a request head, documented in the README.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads until the server closes the connection or `limit` passes; answers what arrived and
/// whether the server closed it.
fn drain(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&seen).into_owned(), true),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), false),
        }
    }
}

/// Idle connections opened at once: 3,000, or fewer where the open-file limit is too low
/// for both ends of each (this process is client and server).
fn idle_connections() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft: usize = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1024);
    let n = 3_000.min(soft.saturating_sub(200) / 2);
    if n < 3_000 {
        eprintln!("only {n} idle connections: raise `ulimit -n` to 6200 for the full test");
    }
    n
}

#[actix_web::test]
async fn a_slow_sender_is_cut_off_and_idle_connections_do_not_block_others() {
    let app = spawn_app(Backend::Sqlite).await;
    let port = app.port;
    let started = Instant::now();
    // Blocking sockets on their own threads, so the test's runtime keeps serving requests.
    let slow = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .unwrap();
        // Never finish the head; one more header line now and then.
        for _ in 0..3 {
            std::thread::sleep(Duration::from_secs(1));
            if stream.write_all(b"X-Slow: 1\r\n").is_err() {
                break;
            }
        }
        drain(&mut stream, HEAD_TIMEOUT * 3)
    });
    let idle_count = idle_connections();
    let idle = std::thread::spawn(move || {
        let mut streams: Vec<TcpStream> = (0..idle_count)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        streams
            .iter_mut()
            .map(|s| drain(s, HEAD_TIMEOUT * 3).1)
            .filter(|closed| *closed)
            .count()
    });
    // Meanwhile others are served as usual.
    for _ in 0..20 {
        let res = app.get_anonymous("/healthz").await;
        assert_eq!(res.status(), 200);
    }

    let (answer, closed) = slow.join().unwrap();
    assert!(
        closed,
        "the slow sender's connection stayed open: {answer:?}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "the slow sender got {answer:?}"
    );
    let closed_idle = idle.join().unwrap();
    assert_eq!(
        closed_idle, idle_count,
        "every idle connection is closed by the server"
    );
    // How long closing them all took is for a benchmark to judge, not this test.
    eprintln!(
        "{idle_count} idle connections opened and closed by the server in {:?}",
        started.elapsed()
    );
}
