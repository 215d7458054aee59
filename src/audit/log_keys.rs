//! The audit log's secrets, derived from the key-encryption key so that every instance of
//! the exchange holds the same ones without storing them anywhere else.

use ed25519_dalek::SigningKey;
use hmac::{Hmac, Mac};

use super::note::{SignerKey, VerifierKey};
use crate::auth::secrets::KeyEncryptionKey;

pub struct AuditKeys {
    signer: SignerKey,
    nik_key: [u8; 32],
    kk_key: [u8; 32],
}

impl AuditKeys {
    /// `origin` names the checkpoints and the signing key (checked by the settings).
    pub fn new(kek: &KeyEncryptionKey, origin: &str) -> Result<Self, super::note::NoteKeyError> {
        let signing_key = SigningKey::from_bytes(&kek.derive("sinergi audit checkpoint key v1"));
        Ok(Self {
            signer: SignerKey::new(origin, signing_key)?,
            nik_key: kek.derive("sinergi audit nik hash v1"),
            // A key of its own, so that a KK's hash never equals the hash of the NIK with
            // the same sixteen digits.
            kk_key: kek.derive("sinergi audit kk hash v1"),
        })
    }

    pub fn signer(&self) -> &SignerKey {
        &self.signer
    }

    pub fn verifier(&self) -> VerifierKey {
        self.signer.verifier()
    }

    pub fn origin(&self) -> &str {
        self.signer.name()
    }

    /// The keyed hash under which the log records a NIK: HMAC-SHA256, lowercase hex. Without
    /// the exchange's secret a hash cannot be matched against the 10^16 possible NIKs.
    pub fn nik_hash(&self, nik: &str) -> String {
        hmac_hex(&self.nik_key, nik)
    }

    /// The keyed hash under which the log records a KK (family card number).
    pub fn kk_hash(&self, kk: &str) -> String {
        hmac_hex(&self.kk_key, kk)
    }
}

fn hmac_hex(key: &[u8; 32], text: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(text.as_bytes());
    crate::hex::encode(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_for_one_kek_and_differ_across_keks() {
        let kek = KeyEncryptionKey::generate();
        let (a, b) = (
            AuditKeys::new(&kek, "sinergi/audit").unwrap(),
            AuditKeys::new(&kek, "sinergi/audit").unwrap(),
        );
        assert_eq!(a.verifier().to_string(), b.verifier().to_string());
        assert_eq!(
            a.nik_hash("3201011501800001"),
            b.nik_hash("3201011501800001")
        );
        assert_eq!(a.nik_hash("3201011501800001").len(), 64);
        assert_ne!(
            a.nik_hash("3201011501800001"),
            a.nik_hash("3201011501800002")
        );
        let other = AuditKeys::new(&KeyEncryptionKey::generate(), "sinergi/audit").unwrap();
        assert_ne!(
            a.nik_hash("3201011501800001"),
            other.nik_hash("3201011501800001")
        );
        assert_ne!(a.verifier().to_string(), other.verifier().to_string());
        assert_ne!(
            a.kk_hash("3201011501800001"),
            a.nik_hash("3201011501800001")
        );
        assert_eq!(a.kk_hash("3201011501800001"), b.kk_hash("3201011501800001"));
    }
}
