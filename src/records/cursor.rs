//! Opaque keyset cursors for searches.
//!
//! A cursor holds the id of the last record of a page and a MAC over that id and the
//! search's filters, so that a client cannot forge a position or reuse a cursor with other
//! filters: either is refused with 400 instead of returning a page of something else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::RecordsError;
use crate::auth::secrets::KeyEncryptionKey;
use crate::domain::field_error::FieldError;

const ID_BYTES: usize = 16;
const TAG_BYTES: usize = 16;

/// The key cursors are authenticated with; every instance derives the same one.
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    pub fn new(kek: &KeyEncryptionKey) -> Self {
        Self(kek.derive("sinergi search cursor v1"))
    }

    fn mac(&self, search: &str, id: &[u8; ID_BYTES]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(&(search.len() as u64).to_be_bytes());
        mac.update(search.as_bytes());
        mac.update(id);
        mac
    }

    /// The cursor for the page after the record `last`, within the search `search` (a
    /// stable description of the kind and filters).
    pub fn seal(&self, search: &str, last: uuid::Uuid) -> String {
        let id = last.into_bytes();
        let mut bytes = Vec::with_capacity(ID_BYTES + TAG_BYTES);
        bytes.extend_from_slice(&id);
        bytes.extend_from_slice(&self.mac(search, &id).finalize().into_bytes()[..TAG_BYTES]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The record id a cursor continues after, if the cursor was made by this exchange
    /// for this same search.
    pub fn open(&self, search: &str, cursor: &str) -> Result<uuid::Uuid, RecordsError> {
        let refused = || {
            RecordsError::Invalid(vec![FieldError::query(
                "cursor",
                "is not a cursor this search returned; start again without it",
            )])
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| refused())?;
        if bytes.len() != ID_BYTES + TAG_BYTES {
            return Err(refused());
        }
        let (id, tag) = bytes.split_at(ID_BYTES);
        let id: [u8; ID_BYTES] = id.try_into().expect("split at 16");
        // Constant-time comparison of the truncated tag.
        self.mac(search, &id)
            .verify_truncated_left(tag)
            .map_err(|_| refused())?;
        Ok(uuid::Uuid::from_bytes(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CursorKey {
        CursorKey([7; 32])
    }

    #[test]
    fn a_cursor_opens_only_for_its_own_search() {
        let id = uuid::Uuid::now_v7();
        let cursor = key().seal("graduation nik=1", id);
        assert_eq!(key().open("graduation nik=1", &cursor).unwrap(), id);
        assert!(key().open("graduation nik=2", &cursor).is_err());
        assert!(
            CursorKey([8; 32])
                .open("graduation nik=1", &cursor)
                .is_err()
        );
    }

    #[test]
    fn a_tampered_cursor_is_refused() {
        let cursor = key().seal("s", uuid::Uuid::now_v7());
        let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap();
        bytes[15] ^= 1;
        assert!(key().open("s", &URL_SAFE_NO_PAD.encode(&bytes)).is_err());
        assert!(key().open("s", "not base64 !").is_err());
        assert!(key().open("s", "").is_err());
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            /// Whatever a client sends as a cursor is refused or is one we sealed: never a
            /// panic, never an id we did not give.
            #[test]
            fn any_text_is_refused_or_was_sealed(text in ".{0,200}") {
                if let Ok(id) = key().open("s", &text) {
                    prop_assert_eq!(key().seal("s", id), text);
                }
            }

            #[test]
            fn any_bytes_are_refused_unless_sealed(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
                let text = URL_SAFE_NO_PAD.encode(&bytes);
                if let Ok(id) = key().open("s", &text) {
                    prop_assert_eq!(key().seal("s", id), text);
                }
            }

            #[test]
            fn every_flipped_bit_is_noticed(seed in any::<u128>(), bit in 0usize..256) {
                let cursor = key().seal("s", uuid::Uuid::from_u128(seed));
                let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap();
                let bit = bit % (bytes.len() * 8);
                bytes[bit / 8] ^= 1 << (bit % 8);
                prop_assert!(key().open("s", &URL_SAFE_NO_PAD.encode(&bytes)).is_err());
            }
        }
    }
}
