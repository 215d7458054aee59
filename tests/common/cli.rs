//! What every run of the `sinergi` binary is checked for: a success prints one JSON
//! document; a failure says why on stderr, and never by panicking.

use std::process::Output;

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
