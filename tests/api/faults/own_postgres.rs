//! A PostgreSQL server of the outage test's own, which it crashes and starts again.

use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A PostgreSQL server of the test's own, on a free port, which the test crashes and starts
/// again: the shared server on 5432 serves every other test. PostgreSQL refuses to run as
/// root, so when the tests do, its commands run as the `postgres` user.
pub(super) struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl OwnPostgres {
    /// A new cluster with one empty database, `sinergi`, running.
    pub(super) fn create() -> Self {
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

    pub(super) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/sinergi", self.port)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    pub(super) fn start(&self) {
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
    pub(super) fn crash(&self) {
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
