//! `sinergi serve --demo` as a child process, for tools outside the project (schemathesis,
//! the SDK's and the examples' own tests) that talk to it over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::TestDb;

pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sinergi serve --demo` on a free port and returns it with its base URL.
pub fn start_demo(db: &TestDb, dir: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["serve", "--demo"])
        .current_dir(dir)
        .env("SINERGI_DATABASE_URL", &db.url)
        .env(
            "SINERGI_KEY_ENCRYPTION_KEY",
            sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64(),
        )
        .env("SINERGI_BIND", "127.0.0.1:0")
        .env("SINERGI_LOG", "warn")
        // Limits high enough that schemathesis explores the API rather than the 429 path.
        .env("SINERGI_RATE_PER_SECOND", "100000")
        .env("SINERGI_RATE_BURST", "100000")
        .env("SINERGI_ANONYMOUS_RATE_PER_SECOND", "100000")
        .env("SINERGI_ANONYMOUS_RATE_BURST", "100000")
        .env("SINERGI_AUDIT_LOOKUP_RATE_PER_SECOND", "100000")
        .env("SINERGI_AUDIT_LOOKUP_RATE_BURST", "100000")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start sinergi");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("read stdout");
        if let Some(rest) = line.strip_prefix("Sinergi demo is running at ") {
            // Keep draining, or the server's next log line fails on a closed pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return (server, rest.trim().to_owned());
        }
        assert!(Instant::now() < deadline, "the demo server did not start");
    }
    panic!("the demo server exited before it was ready");
}
