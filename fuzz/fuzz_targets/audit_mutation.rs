//! Structured signed-checkpoint target: a checkpoint built from arbitrary fields is signed
//! with `checkpoint::sign` (optionally co-signed by a witness key), then spoiled by
//! arbitrary byte edits.
//!
//! Checks: signing fails only for checkpoints the text format cannot hold (an origin that
//! is no key name, an empty extension or a line break or control character inside a
//! line); a signed checkpoint opens to itself, with or without the co-signature; after any
//! edits, `note::verify` and `checkpoint::open` either refuse or return exactly the signed
//! text and checkpoint (an edit may only remove or spoil a co-signature).

#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use sinergi::audit::checkpoint::{self, Checkpoint, CheckpointError};
use sinergi::audit::note::{self, NoteError, VerifierKey};
use sinergi_fuzz::Edit;

static KEY: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_bytes(&[5; 32]));
static WITNESS: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_bytes(&[9; 32]));

#[derive(Arbitrary, Debug)]
struct Input {
    origin: String,
    size: u64,
    root: [u8; 32],
    extensions: Vec<String>,
    cosign: bool,
    edits: Vec<Edit>,
}

fuzz_target!(|input: Input| {
    let checkpoint = Checkpoint {
        origin: input.origin,
        size: input.size,
        root: input.root,
        extensions: input.extensions,
    };
    let representable = !checkpoint.origin.is_empty()
        && std::iter::once(&checkpoint.origin)
            .chain(&checkpoint.extensions)
            .all(|line| !line.bytes().any(|b| b < 0x20))
        && checkpoint.extensions.iter().all(|e| !e.is_empty());
    let signed = match checkpoint::sign(&checkpoint, &KEY) {
        Ok(signed) => {
            assert!(representable && note::is_valid_name(&checkpoint.origin));
            signed
        }
        Err(CheckpointError::Note(NoteError::InvalidName(_))) => {
            assert!(!note::is_valid_name(&checkpoint.origin));
            return;
        }
        Err(CheckpointError::Unrepresentable(_)) => {
            assert!(
                !representable,
                "refused a representable checkpoint: {checkpoint:?}"
            );
            return;
        }
        Err(e) => panic!("signing failed with {e}"),
    };
    let text = checkpoint.to_text();
    assert!(signed.starts_with(&text));
    let verifier = VerifierKey::new(&checkpoint.origin, KEY.verifying_key()).expect("a key");
    assert_eq!(
        checkpoint::open(&signed, &verifier).as_ref(),
        Ok(&checkpoint)
    );

    let signed = if input.cosign {
        let witness = note::sign(&text, "witness", &WITNESS).expect("witness signs");
        let cosigned = format!("{signed}{}", &witness[text.len() + 1..]);
        assert_eq!(
            checkpoint::open(&cosigned, &verifier).as_ref(),
            Ok(&checkpoint)
        );
        cosigned
    } else {
        signed
    };

    let mut spoiled = signed.clone().into_bytes();
    for edit in input.edits.iter().take(16) {
        edit.apply(&mut spoiled);
    }
    let Ok(spoiled) = String::from_utf8(spoiled) else {
        return;
    };
    if let Ok(verified) = note::verify(&spoiled, &verifier) {
        assert_eq!(
            verified, text,
            "an edited note verified with other text: {spoiled:?}"
        );
    }
    if let Ok(opened) = checkpoint::open(&spoiled, &verifier) {
        assert_eq!(
            opened, checkpoint,
            "an edited note opened to another checkpoint"
        );
    }
});
