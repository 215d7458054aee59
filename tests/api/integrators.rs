//! What integrators run: the Python SDK's tests and the PHP and Java examples, each against
//! the demo server as the README starts it. These are the project's own clients, so a change
//! to the API that breaks them fails here, not at a ministry.
//!
//! Needs `python3` with the SDK's requirements (`pip install -r sdk/python/requirements-dev.txt
//! ./sdk/python`), `php` with curl and a JDK 17 (`javac`); `.ci/run` installs them.

use std::path::Path;
use std::process::Command;

use crate::common::demo_server::start_demo;
use crate::common::{Backend, TestDb};

fn run(what: &str, command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

// The clients test the API, not the storage: one backend is enough.
#[test]
fn the_python_sdk_and_the_php_and_java_examples_work_against_the_demo() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = start_demo(&db, dir.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(
        "the Python SDK's tests",
        Command::new("python3")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(root.join("sdk/python/tests"))
            .env("SINERGI_URL", &base),
    );
    run(
        "the PHP and Java examples",
        Command::new(root.join("examples/clients.sh")).arg(&base),
    );
}
