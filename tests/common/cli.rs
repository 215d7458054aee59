//! Runs of the `sinergi` binary: what each is checked for (a success prints one JSON
//! document; a failure says why on stderr, and never by panicking), and the auditor's
//! offline check as the tests run it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// The JSON document a command that must succeed printed.
pub fn json_of(out: &Output, args: &[&str]) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{args:?} failed with {}\nstdout: {stdout}\nstderr: {stderr}",
        out.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {stdout}"))
}

/// The stderr of a command that must fail.
pub fn fails(out: &Output, args: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "{args:?} should have failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "{args:?} panicked instead of failing: {stderr}"
    );
    stderr
}

/// `sinergi audit verify` of the files `entries.ndjson`, `checkpoint` and `public-key` in
/// `dir`, with each of `previous` (files in `dir`) as an earlier checkpoint.
pub fn audit_verify(dir: &Path, previous: &[&str]) -> Command {
    let mut args = vec![
        "audit",
        "verify",
        "--entries",
        "entries.ndjson",
        "--checkpoint",
        "checkpoint",
        "--public-key",
        "public-key",
    ];
    for name in previous {
        args.extend(["--previous-checkpoint", name]);
    }
    super::sinergi_command(dir, None, &args)
}
