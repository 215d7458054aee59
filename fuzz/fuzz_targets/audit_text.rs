//! The texts an auditor downloads and feeds to `sinergi audit verify`: checkpoints, signed
//! notes and note keys, as arbitrary text.
//!
//! Checks, besides "never panics":
//!
//! * `Checkpoint::parse` is strict: whatever parses is written back (`to_text`) as the very
//!   same text;
//! * `VerifierKey::parse` and `SignerKey::parse` likewise round-trip to the same text, and
//!   a signer's verifier re-parses to itself;
//! * `note::verify` against two known keys (the exchange-style test key and the Go
//!   documentation's key) accepts only what carries that key's own signature: the text it
//!   returns is a prefix of the note followed by the blank line, and the signature line the
//!   key itself makes for that text is in the note; `checkpoint::open` returns exactly the
//!   checkpoint that text parses to;
//! * with the first line read as a verifier key and the rest as the note, nothing panics.

#![no_main]

use std::sync::LazyLock;

use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use sinergi::audit::checkpoint::{self, Checkpoint};
use sinergi::audit::note::{self, SignerKey, VerifierKey};

/// The key of the seed corpus's signed checkpoints (see `fuzz/seeds/generate.py`).
const SEED_KEY: [u8; 32] = [5; 32];
/// From golang.org/x/mod/sumdb/note's documentation (also in `note.rs`'s tests).
const GO_SIGNER: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

static SIGNERS: LazyLock<[SignerKey; 2]> = LazyLock::new(|| {
    [
        SignerKey::new("sinergi/audit", SigningKey::from_bytes(&SEED_KEY)).expect("a key"),
        SignerKey::parse(GO_SIGNER).expect("Go's key parses"),
    ]
});

fn check_note(s: &str, signer: &SignerKey) {
    let verifier = signer.verifier();
    let verified = note::verify(s, &verifier);
    if let Ok(text) = &verified {
        assert!(
            s.starts_with(text.as_str()),
            "the text is not the note's start"
        );
        assert!(text.ends_with('\n'));
        assert_eq!(
            s.as_bytes().get(text.len()),
            Some(&b'\n'),
            "no blank line after the text"
        );
        let own = signer.sign(text).expect("a verified text can be signed");
        let own_line = &own[text.len() + 1..];
        let block = &s[text.len() + 1..];
        assert!(
            block.split_inclusive('\n').any(|line| line == own_line),
            "verified without the key's own signature line: {s:?}"
        );
    }
    match checkpoint::open(s, &verifier) {
        Ok(cp) => {
            let text = verified.expect("open verifies the note");
            assert_eq!(cp.to_text(), text);
            assert_eq!(Checkpoint::parse(&text).as_ref(), Ok(&cp));
        }
        Err(checkpoint::CheckpointError::Parse(e)) => {
            let text = verified.expect("parsed only after verifying");
            assert_eq!(Checkpoint::parse(&text), Err(e));
        }
        Err(checkpoint::CheckpointError::Note(e)) => assert_eq!(verified, Err(e)),
        Err(e) => panic!("open cannot fail with {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(cp) = Checkpoint::parse(s) {
        assert_eq!(cp.to_text(), s, "checkpoint text not canonical");
        assert!(!cp.origin.is_empty());
        assert!(
            cp.extensions
                .iter()
                .all(|e| !e.is_empty() && !e.contains('\n'))
        );
    }

    if let Ok(key) = VerifierKey::parse(s) {
        assert_eq!(key.to_string(), s, "verifier key text not canonical");
        assert!(note::is_valid_name(key.name()));
        assert_eq!(key.key_hash(), note::key_hash(key.name(), key.public_key()));
    }
    if let Ok(key) = SignerKey::parse(s) {
        assert_eq!(key.to_secret_string(), s, "signer key text not canonical");
        let verifier = key.verifier();
        assert_eq!(
            VerifierKey::parse(&verifier.to_string()).as_ref(),
            Ok(&verifier)
        );
    }

    for signer in SIGNERS.iter() {
        check_note(s, signer);
    }

    if let Some((key, rest)) = s.split_once('\n')
        && let Ok(key) = VerifierKey::parse(key)
    {
        if let Ok(text) = note::verify(rest, &key) {
            assert!(rest.starts_with(text.as_str()));
        }
        let _ = checkpoint::open(rest, &key);
    }
});
