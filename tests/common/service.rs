//! The real `sinergi` binary as a child process, for tests that need what only a process
//! has: its log on stdout, signals, a crash.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::sinergi_command;

/// The real `sinergi` binary serving one database on a port of its own choosing. Killed when
/// dropped, so that a failing test leaves no process behind.
pub struct Service {
    child: Child,
    pub base: String,
    stderr: PathBuf,
    /// Every line the service wrote on stdout (its log), as read so far.
    log: Arc<Mutex<Vec<String>>>,
}

impl Service {
    /// Starts `sinergi <args>` over the database at `db_url` (with the tests' fixed
    /// key-encryption key) and waits until it logs the port it listens on.
    pub fn start(dir: &Path, db_url: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let stderr = dir.join(format!(
            "stderr-{}.log",
            STARTS.fetch_add(1, Ordering::Relaxed)
        ));
        let mut cmd = sinergi_command(dir, Some(db_url), args);
        cmd.env("SINERGI_BIND", "127.0.0.1:0")
            // The `listening` line, which carries the port, is logged at info.
            .env("SINERGI_LOG", "info")
            .env("SINERGI_WORKERS", "4")
            // Only the faults are under test here, not the rate limits.
            .env("SINERGI_RATE_PER_SECOND", "100000")
            .env("SINERGI_RATE_BURST", "100000")
            .env("SINERGI_TOKEN_RATE_PER_SECOND", "100000")
            .env("SINERGI_TOKEN_RATE_BURST", "100000")
            .env("SINERGI_SEQUENCE_INTERVAL_MS", "20")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("stderr file"));
        let mut child = cmd.spawn().expect("start sinergi");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = log.clone();
        // Reads every line, so the service never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                kept.lock().unwrap().push(line.clone());
                let port = serde_json::from_str::<Value>(&line).ok().and_then(|v| {
                    (v["fields"]["message"] == "listening")
                        .then(|| v["fields"]["port"].as_u64())
                        .flatten()
                });
                if let Some(port) = port
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(port);
                }
            }
        });
        let mut service = Self {
            child,
            base: String::new(),
            stderr,
            log,
        };
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(port) => service.base = format!("http://127.0.0.1:{port}"),
            Err(e) => panic!(
                "sinergi {args:?} did not listen ({e}); exit: {:?}\nstderr: {}",
                service.child.try_wait(),
                service.stderr()
            ),
        }
        service
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// SIGKILL (what `Child::kill` sends on Unix), and reaps the process.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// Waits for the process to exit by itself, at most until `deadline`.
    pub fn wait_until(&mut self, deadline: Instant) -> Option<ExitStatus> {
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Service {
    /// Whether the process has exited (reaping it if so).
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().unwrap().is_some()
    }

    /// The log lines written so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
