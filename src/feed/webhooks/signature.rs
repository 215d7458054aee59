//! Subscription secrets and delivery signatures, as the Standard Webhooks convention has
//! them (<https://www.standardwebhooks.com/>), so that its reference libraries verify our
//! deliveries unchanged.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;

use zeroize::Zeroize;

use crate::auth::secrets::{KeyEncryptionKey, SecretsError};

/// The prefix the convention gives secrets, so that scanners and people recognise them.
const PREFIX: &str = "whsec_";
const SECRET_BYTES: usize = 32;

/// The HMAC key a subscription's deliveries are signed with. Shown to the subscriber once,
/// stored only sealed.
pub struct SigningSecret([u8; SECRET_BYTES]);

impl SigningSecret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// `whsec_` and the base64 of the key: what the subscriber configures its verifier with.
    pub fn to_text(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(self.0))
    }

    /// Sealed for storage, bound to the subscription so that a sealed secret copied to
    /// another row does not open.
    pub fn seal(&self, kek: &KeyEncryptionKey, subscription_id: &str) -> String {
        kek.seal(&self.0, &aad(subscription_id))
    }

    pub fn open(
        kek: &KeyEncryptionKey,
        sealed: &str,
        subscription_id: &str,
    ) -> Result<Self, SecretsError> {
        let mut bytes = kek.open(sealed, &aad(subscription_id))?;
        let secret = <[u8; SECRET_BYTES]>::try_from(bytes.as_slice())
            .map(Self)
            .map_err(|_| SecretsError::MalformedSealed);
        bytes.zeroize();
        secret
    }

    /// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of
    /// `{id}.{timestamp}.{body}`.
    pub fn sign(&self, message_id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(message_id.as_bytes());
        mac.update(format!(".{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

fn aad(subscription_id: &str) -> Vec<u8> {
    format!("webhook-secret:{subscription_id}").into_bytes()
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(..)")
    }
}

impl Drop for SigningSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_test_vector() {
        // From the Standard Webhooks reference libraries' tests.
        let key = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let mut bytes = [0u8; SECRET_BYTES];
        bytes[..key.len()].copy_from_slice(&key);
        // The vector's key is 24 bytes; HMAC pads keys with zeros, so the 32-byte form
        // signs alike.
        let secret = SigningSecret(bytes);
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_secret_is_shown_in_the_conventional_form_and_opens_only_for_its_subscription() {
        let secret = SigningSecret::generate();
        let text = secret.to_text();
        assert!(text.starts_with("whsec_"), "{text}");
        assert_eq!(STANDARD.decode(&text[6..]).unwrap().len(), 32);

        let kek = KeyEncryptionKey::generate();
        let sealed = secret.seal(&kek, "a");
        assert!(!sealed.contains(&text[6..]));
        let opened = SigningSecret::open(&kek, &sealed, "a").unwrap();
        assert_eq!(opened.to_text(), text);
        assert!(SigningSecret::open(&kek, &sealed, "b").is_err());
        assert_eq!(format!("{secret:?}"), "SigningSecret(..)");
    }
}
