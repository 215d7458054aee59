//! `CursorKey::open` on arbitrary text. A client controls the cursor, and through its
//! filters part of the search fingerprint, so both are fuzzed: the input is tried as a
//! cursor for a few fixed fingerprints (shaped like the real `"<kind> <filter debug>"`),
//! and, split at its first newline, as `fingerprint\ncursor`.
//!
//! Checks: never panics, and whatever opens is exactly the cursor the exchange would seal
//! for that same search with that same key (so nothing but a sealed cursor is accepted);
//! under a second key, the same.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use sinergi::auth::secrets::KeyEncryptionKey;
use sinergi::records::cursor::CursorKey;

/// The key the seed corpus's cursors were sealed with (see `fuzz/seeds/generate.py`).
const SEED_KEK: &str = "c2luZXJnaS1mdXp6LWN1cnNvci1zZWVkLWtleS0wMDE=";

static KEYS: LazyLock<[CursorKey; 2]> = LazyLock::new(|| {
    [
        CursorKey::new(&KeyEncryptionKey::from_base64(SEED_KEK).expect("32 bytes")),
        CursorKey::new(&KeyEncryptionKey::generate()),
    ]
});

const SEARCHES: [&str; 3] = [
    "",
    "graduation Filter { nik: None, kk: None, program: None, publisher: None, region_digits: None, event_from: None, event_to: None, updated_after: None, status: None, graduation_id: None, include_retracted: false }",
    "enrollment Filter { nik: Some(\"3301014501900002\"), kk: None, program: Some(\"KEMENDES-DESA-MANDIRI\"), publisher: None, region_digits: Some((\"3301000000\", \"3301999999\")), event_from: None, event_to: None, updated_after: None, status: None, graduation_id: None, include_retracted: false }",
];

fn check(search: &str, cursor: &str) {
    for key in KEYS.iter() {
        if let Ok(id) = key.open(search, cursor) {
            assert_eq!(
                key.seal(search, id),
                cursor,
                "a cursor the exchange did not seal was accepted for {search:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for search in SEARCHES {
        check(search, text);
    }
    if let Some((search, cursor)) = text.split_once('\n') {
        check(search, cursor);
    }
});
