//! SIGTERM lets in-flight requests finish and then stops the process.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Backend, TestDb};

#[test]
fn sigterm_stops_the_server_promptly_and_cleanly() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .arg("serve")
        .current_dir(dir.path())
        .env("SINERGI_DATABASE_URL", &db.url)
        .env("SINERGI_BIND", "127.0.0.1:0")
        .env("SINERGI_SHUTDOWN_TIMEOUT_SECS", "5")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start sinergi");
    // The JSON log line `listening` carries the port.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let port = lines
        .by_ref()
        .map(|l| l.unwrap())
        .find_map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l).ok()?;
            (v["fields"]["message"] == "listening").then(|| v["fields"]["port"].as_u64())?
        })
        .expect("the server logs its port");
    std::thread::spawn(move || lines.for_each(drop));
    let health = format!("http://127.0.0.1:{port}/healthz");
    assert_eq!(reqwest::blocking::get(&health).unwrap().status(), 200);

    let signalled = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "the server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(
        reqwest::blocking::get(&health).is_err(),
        "the port still answers after shutdown"
    );
}
