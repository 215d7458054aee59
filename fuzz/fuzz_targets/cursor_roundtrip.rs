//! Structured cursor target: an arbitrary key, position (record id) and search fingerprint
//! are sealed into a cursor; then the cursor is checked and spoiled.
//!
//! Checks: sealing is deterministic and gives 43 url-safe base64 characters; opening with
//! the same key and search gives back the same position; another search or another key is
//! refused; replacing any one character of the cursor text, XOR-ing any one byte of the
//! decoded cursor, and an arbitrary sequence of byte edits are all refused unless the text
//! is unchanged.

#![no_main]

use arbitrary::Arbitrary;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;
use sinergi::auth::secrets::KeyEncryptionKey;
use sinergi::records::cursor::CursorKey;
use sinergi_fuzz::{BASE64_SYMBOLS, Edit};

#[derive(Arbitrary, Debug)]
struct Input {
    key: [u8; 32],
    other_key: [u8; 32],
    position: u128,
    search: String,
    other_search: String,
    /// Which replacement character each position gets, and which mask each byte.
    symbol: u8,
    mask: u8,
    edits: Vec<Edit>,
}

fn cursor_key(bytes: &[u8; 32]) -> CursorKey {
    CursorKey::new(&KeyEncryptionKey::from_base64(&STANDARD.encode(bytes)).expect("32 bytes"))
}

fuzz_target!(|input: Input| {
    let key = cursor_key(&input.key);
    let id = uuid::Uuid::from_u128(input.position);
    let search = input.search.as_str();
    let cursor = key.seal(search, id);

    assert_eq!(cursor.len(), 43);
    assert!(
        cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(key.seal(search, id), cursor, "sealing is deterministic");
    assert_eq!(key.open(search, &cursor).expect("own cursor opens"), id);

    if input.other_search != input.search {
        assert!(
            key.open(&input.other_search, &cursor).is_err(),
            "opened for another search"
        );
    }
    if input.other_key != input.key {
        assert!(
            cursor_key(&input.other_key).open(search, &cursor).is_err(),
            "opened under another key"
        );
    }

    // Every character of the text replaced by another base64 character.
    let text = cursor.as_bytes();
    for i in 0..text.len() {
        let mut spoiled = text.to_vec();
        let mut symbol = BASE64_SYMBOLS[usize::from(input.symbol) % BASE64_SYMBOLS.len()];
        if symbol == spoiled[i] {
            symbol = if symbol == b'A' { b'B' } else { b'A' };
        }
        spoiled[i] = symbol;
        let spoiled = std::str::from_utf8(&spoiled).expect("ASCII");
        assert!(key.open(search, spoiled).is_err(), "{spoiled:?} opened");
    }

    // Every byte of the decoded cursor flipped.
    let bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("own base64");
    let mask = if input.mask == 0 { 1 } else { input.mask };
    for i in 0..bytes.len() {
        let mut spoiled = bytes.clone();
        spoiled[i] ^= mask;
        let spoiled = URL_SAFE_NO_PAD.encode(&spoiled);
        assert!(key.open(search, &spoiled).is_err(), "{spoiled:?} opened");
    }

    // Arbitrary edits.
    let mut spoiled = cursor.clone().into_bytes();
    for edit in &input.edits {
        edit.apply(&mut spoiled);
    }
    if let Ok(spoiled) = std::str::from_utf8(&spoiled)
        && spoiled != cursor
    {
        assert!(key.open(search, spoiled).is_err(), "{spoiled:?} opened");
    }
});
