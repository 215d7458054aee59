//! `sinergi audit verify`: an auditor's offline check of an export against signed
//! checkpoints, through the real binary and real files.

use std::path::Path;

use crate::common::cli::audit_verify;
use ed25519_dalek::SigningKey;
use sinergi::audit::checkpoint::{self, Checkpoint};
use sinergi::audit::merkle;
use sinergi::audit::note::VerifierKey;
use sinergi::canonical_json;

const ORIGIN: &str = "sinergi/audit";

fn entry_line(index: u64) -> Vec<u8> {
    canonical_json::to_vec(&serde_json::json!({
        "index": index,
        "request_id": format!("req-{index}"),
        "client": "demo-kemensos",
        "method": "GET",
        "route": "/v1/graduations",
        "status": 200,
    }))
    .unwrap()
}

fn signed_checkpoint(lines: &[Vec<u8>], key: &SigningKey) -> String {
    let leaves: Vec<_> = lines.iter().map(|l| merkle::leaf_hash(l)).collect();
    checkpoint::sign(
        &Checkpoint::new(ORIGIN, lines.len() as u64, merkle::root(&leaves)),
        key,
    )
    .unwrap()
}

fn export(lines: &[Vec<u8>]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| [l.as_slice(), b"\n"].concat())
        .collect()
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    /// Writes an export of `n` entries, the checkpoint over all of them and one over the
    /// first `n / 2`, both signed with `log_key`, and the public key of `published_key`.
    fn new(n: u64, log_key: &SigningKey, published_key: &SigningKey) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<Vec<u8>> = (0..n).map(entry_line).collect();
        let write =
            |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
        write("entries.ndjson", &export(&lines));
        write("checkpoint", signed_checkpoint(&lines, log_key).as_bytes());
        write(
            "previous",
            signed_checkpoint(&lines[..(n / 2) as usize], log_key).as_bytes(),
        );
        let public = VerifierKey::new(ORIGIN, published_key.verifying_key()).unwrap();
        write("public-key", format!("{public}\n").as_bytes());
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn verify(&self, previous: bool) -> std::process::Output {
        let previous: &[&str] = if previous { &["previous"] } else { &[] };
        // No database URL and no settings: the command reads nothing but its arguments.
        audit_verify(self.path(), previous)
            .env(
                "SINERGI_NOT_A_SETTING",
                "would stop any command that loads settings",
            )
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_intact_export_verifies() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let files = Files::new(40, &key, &key);
    let out = files.verify(true);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("OK: 40 entries"), "{stdout}");
}

#[test]
fn an_altered_entry_fails_naming_it() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let files = Files::new(40, &key, &key);
    let path = files.path().join("entries.ndjson");
    let altered = text(&std::fs::read(&path).unwrap()).replace("req-23", "req-99");
    std::fs::write(&path, altered).unwrap();

    let out = files.verify(false);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    // One checkpoint alone can only say that entries 0 to 39 do not match it.
    assert!(stderr.contains("entries 0 to 39"), "{stderr}");

    // An earlier checkpoint over the first 20 entries, which the edit left alone, narrows it.
    let out = files.verify(true);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the first altered entry is between entry 20 and entry 39"),
        "{stderr}"
    );
}

#[test]
fn a_deleted_line_is_named_exactly() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let files = Files::new(10, &key, &key);
    let path = files.path().join("entries.ndjson");
    let kept: Vec<String> = text(&std::fs::read(&path).unwrap())
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 4)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(&path, kept.concat()).unwrap();
    let out = files.verify(false);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("entry 4"), "{stderr}");
}

#[test]
fn a_checkpoint_signed_by_another_key_fails() {
    let log_key = SigningKey::from_bytes(&[7; 32]);
    let other = SigningKey::from_bytes(&[8; 32]);
    let files = Files::new(10, &other, &log_key);
    let out = files.verify(false);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.to_lowercase().contains("signature") || stderr.contains("key"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_named() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let files = Files::new(3, &key, &key);
    std::fs::remove_file(files.path().join("checkpoint")).unwrap();
    let out = files.verify(false);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot read checkpoint"),
        "{}",
        text(&out.stderr)
    );
}
