use super::*;
use crate::audit::merkle;
use crate::canonical_json;
use ed25519_dalek::SigningKey;
use serde_json::json;

const ORIGIN: &str = "sinergi/audit";

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[11; 32])
}

fn key_text() -> String {
    VerifierKey::new(ORIGIN, signing_key().verifying_key())
        .unwrap()
        .to_string()
}

fn export(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for index in 0..n {
        out.extend(
            canonical_json::to_vec(
                &json!({"index": index, "status": 200, "route": "/v1/graduations"}),
            )
            .unwrap(),
        );
        out.push(b'\n');
    }
    out
}

fn signed_checkpoint(entries: &[u8], size: u64) -> String {
    let leaves: Vec<Hash> = entries
        .split_inclusive(|&b| b == b'\n')
        .take(size as usize)
        .map(|line| merkle::leaf_hash(&line[..line.len() - 1]))
        .collect();
    assert_eq!(leaves.len() as u64, size);
    let checkpoint = Checkpoint::new(ORIGIN, size, merkle::root(&leaves));
    checkpoint::sign(&checkpoint, &signing_key()).unwrap()
}

#[test]
fn empty_log() {
    let note = signed_checkpoint(b"", 0);
    let verified = verify_export(&b""[..], &note, &key_text(), &[]).unwrap();
    assert_eq!(verified.size, 0);
    assert_eq!(verified.root, merkle::EMPTY_ROOT);
}

#[test]
fn messages_read_well() {
    let entries = export(5);
    let note = signed_checkpoint(&entries, 5);
    let ok = verify_export(entries.as_slice(), &note, &format!("{}\n", key_text()), &[]).unwrap();
    assert!(ok.to_string().starts_with("OK: 5 entries of sinergi/audit"));
    assert_eq!(
        VerifyError::Tampered { first: 3, end: 4 }.to_string(),
        "entry 3 (line 4) differs from what the log signed: the checkpoint of size 4 does not match while entries 0 to 2 match the checkpoint of size 3"
    );
    assert_eq!(
        VerifyError::BadIndex {
            index: 2,
            found: Some(3)
        }
        .to_string(),
        "line 3 (entry 2): its index is 3, expected 2: entries are missing, added or out of order"
    );
    assert_eq!(
        VerifyError::Inconsistent {
            role: Role::Previous(0),
            size: 2,
            vouched_by: 5
        }
        .to_string(),
        "previous checkpoint #1 (size 2) does not match entries 0 to 1 although the checkpoint of size 5 authenticates them: the log signed inconsistent checkpoints"
    );
}

#[test]
fn unterminated_and_carriage_returns() {
    let entries = export(3);
    let note = signed_checkpoint(&entries, 3);
    assert_eq!(
        verify_export(&entries[..entries.len() - 1], &note, &key_text(), &[]),
        Err(VerifyError::Unterminated { index: 2 })
    );
    let crlf = String::from_utf8(entries).unwrap().replace('\n', "\r\n");
    assert_eq!(
        verify_export(crlf.as_bytes(), &note, &key_text(), &[]),
        Err(VerifyError::NotCanonical { index: 0 })
    );
}

#[test]
fn a_read_error_names_the_line_it_stopped_at() {
    use std::io::Read;
    /// The export's first two lines, then a failing disk.
    struct Failing(std::io::Cursor<Vec<u8>>);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.read(buf)? {
                0 => Err(std::io::Error::other("disk gone")),
                n => Ok(n),
            }
        }
    }
    let entries = export(3);
    let note = signed_checkpoint(&entries, 3);
    let two_lines = entries.split_inclusive(|&b| b == b'\n').take(2).flatten();
    let reader =
        std::io::BufReader::new(Failing(std::io::Cursor::new(two_lines.copied().collect())));
    let err = verify_export(reader, &note, &key_text(), &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3 (entry 2): cannot read the export: disk gone"
    );
}

#[test]
fn same_size_checkpoints_that_disagree() {
    let entries = export(6);
    let good = signed_checkpoint(&entries, 4);
    let mut other = export(6);
    other[20] ^= 1; // inside entry 0's "route" string
    let fork = signed_checkpoint(&other, 4);
    let latest = signed_checkpoint(&entries, 6);
    assert_eq!(
        verify_export(entries.as_slice(), &latest, &key_text(), &[&good, &fork]),
        Err(VerifyError::Inconsistent {
            role: Role::Previous(1),
            size: 4,
            vouched_by: 6
        })
    );
}
