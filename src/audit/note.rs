//! C2SP `signed-note` (<https://c2sp.org/signed-note>) with Ed25519 keys, following
//! the behaviour of Go's `golang.org/x/mod/sumdb/note`.
//!
//! A signed note is the text (ending in `\n`), a blank line, then one or more
//! signature lines `— <key name> <base64(key hash ‖ signature)>\n`, the dash being
//! U+2014 followed by a space. The signature covers the text including its final
//! newline. The whole note is UTF-8 without ASCII control characters other than
//! newline.
//!
//! Keys are written in the note key formats:
//!
//! * verifier key `<name>+<key hash, 8 hex digits>+<base64(0x01 ‖ 32-byte public key)>`
//! * signer key `PRIVATE+KEY+<name>+<key hash>+<base64(0x01 ‖ 32-byte seed)>`
//!
//! where the key hash is the first four bytes, big-endian, of
//! `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)`.
//!
//! Stricter than Go, on purpose: the hex key hash must be lowercase, public keys must
//! be valid, non-weak curve points, signatures are checked with
//! `VerifyingKey::verify_strict`, and every signature line of the expected key must
//! verify (Go checks only the first of repeated lines).

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature type byte of Ed25519 in key IDs and encoded keys.
pub const ALG_ED25519: u8 = 0x01;

/// The most signature lines [`verify`] reads (the spec asks for at least 16).
pub const MAX_SIGNATURES: usize = 100;

const SIGNATURE_PREFIX: &str = "\u{2014} ";
const SIGNER_PREFIX: &str = "PRIVATE+KEY+";

/// Why an encoded key was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteKeyError {
    /// Not `<name>+<hash>+<key>` (or `PRIVATE+KEY+…` for a signer key).
    #[error("a key must have the form {0}")]
    Format(&'static str),
    /// The name is empty or holds a space or `+`.
    #[error("invalid key name {0:?}: it must be non-empty, without spaces or '+'")]
    Name(String),
    /// The key hash is not exactly 8 lowercase hexadecimal digits.
    #[error("the key hash {0:?} is not 8 lowercase hexadecimal digits")]
    Hash(String),
    /// The key data is not canonical padded standard base64.
    #[error("the key data is not valid base64")]
    Base64,
    /// The key data names an algorithm other than Ed25519.
    #[error("unsupported key algorithm {0:#04x}; only Ed25519 (0x01) is supported")]
    Algorithm(u8),
    /// Ed25519 key material is not 32 bytes.
    #[error("an Ed25519 key is 32 bytes, this one is {0}")]
    Length(usize),
    /// The public key is not a valid, non-weak Ed25519 point.
    #[error("not a valid Ed25519 public key")]
    InvalidPublicKey,
    /// The key hash does not belong to this name and key.
    #[error("key hash {found:08x} does not match the name and key (expected {expected:08x})")]
    HashMismatch { expected: u32, found: u32 },
}

/// Why a note could not be signed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The signing key name is empty or holds a space or `+`.
    #[error("invalid key name {0:?}: it must be non-empty, without spaces or '+'")]
    InvalidName(String),
    /// The text to sign does not end in a newline.
    #[error("the note text must end with a newline")]
    UnterminatedText,
    /// The note holds an ASCII control character other than newline.
    #[error("the note contains a control character other than newline")]
    ControlCharacter,
    /// The note is not text, blank line, signature lines.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A signature line of the expected key does not verify.
    #[error("invalid signature by key {name}+{key_hash:08x}")]
    InvalidSignature { name: String, key_hash: u32 },
    /// No signature line of the expected key (signatures by other keys are ignored).
    #[error("the note is not signed by key {name}+{key_hash:08x}")]
    NotSigned { name: String, key_hash: u32 },
}

/// Whether `name` is a valid key name: non-empty, without Unicode white space or `+`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c == '+')
}

/// The key hash (key ID) of an Ed25519 key under `name`:
/// the first four bytes, big-endian, of `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)`.
pub fn key_hash(name: &str, public_key: &VerifyingKey) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', ALG_ED25519]);
    hasher.update(public_key.as_bytes());
    let digest = hasher.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// A named Ed25519 public key that verifies notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_hash: u32,
    public_key: VerifyingKey,
}

impl VerifierKey {
    /// The verifier for `public_key` under `name`.
    pub fn new(name: &str, public_key: VerifyingKey) -> Result<Self, NoteKeyError> {
        if !is_valid_name(name) {
            return Err(NoteKeyError::Name(name.to_owned()));
        }
        if public_key.is_weak() {
            return Err(NoteKeyError::InvalidPublicKey);
        }
        Ok(Self {
            name: name.to_owned(),
            key_hash: key_hash(name, &public_key),
            public_key,
        })
    }

    /// Parses `<name>+<hash>+<base64(0x01 ‖ public key)>`, exactly: no surrounding
    /// white space.
    pub fn parse(encoded: &str) -> Result<Self, NoteKeyError> {
        const FORM: &str = "<name>+<8 hex digits>+<base64 key>";
        let (name, rest) = encoded.split_once('+').ok_or(NoteKeyError::Format(FORM))?;
        let (hash, data) = rest.split_once('+').ok_or(NoteKeyError::Format(FORM))?;
        let (name, found, key) = parse_parts(name, hash, data)?;
        let public_key =
            VerifyingKey::from_bytes(&key).map_err(|_| NoteKeyError::InvalidPublicKey)?;
        let verifier = Self::new(name, public_key)?;
        if verifier.key_hash != found {
            return Err(NoteKeyError::HashMismatch {
                expected: verifier.key_hash,
                found,
            });
        }
        Ok(verifier)
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key hash (key ID).
    pub fn key_hash(&self) -> u32 {
        self.key_hash
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.public_key
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.key_hash,
            encode_key(self.public_key.as_bytes())
        )
    }
}

impl FromStr for VerifierKey {
    type Err = NoteKeyError;

    fn from_str(encoded: &str) -> Result<Self, NoteKeyError> {
        Self::parse(encoded)
    }
}

/// A named Ed25519 private key that signs notes. Its `Debug` output hides the key;
/// [`SignerKey::to_secret_string`] writes the encoded form.
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    key_hash: u32,
    signing_key: SigningKey,
}

impl SignerKey {
    /// The signer for `signing_key` under `name`.
    pub fn new(name: &str, signing_key: SigningKey) -> Result<Self, NoteKeyError> {
        if !is_valid_name(name) {
            return Err(NoteKeyError::Name(name.to_owned()));
        }
        Ok(Self {
            name: name.to_owned(),
            key_hash: key_hash(name, &signing_key.verifying_key()),
            signing_key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>`, as written by Go's
    /// `note.GenerateKey`.
    pub fn parse(encoded: &str) -> Result<Self, NoteKeyError> {
        const FORM: &str = "PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>";
        let rest = encoded
            .strip_prefix(SIGNER_PREFIX)
            .ok_or(NoteKeyError::Format(FORM))?;
        let (name, rest) = rest.split_once('+').ok_or(NoteKeyError::Format(FORM))?;
        let (hash, data) = rest.split_once('+').ok_or(NoteKeyError::Format(FORM))?;
        let (name, found, seed) = parse_parts(name, hash, data)?;
        let signer = Self::new(name, SigningKey::from_bytes(&seed))?;
        if signer.key_hash != found {
            return Err(NoteKeyError::HashMismatch {
                expected: signer.key_hash,
                found,
            });
        }
        Ok(signer)
    }

    /// The encoded private key. Keep it secret.
    pub fn to_secret_string(&self) -> String {
        format!(
            "{SIGNER_PREFIX}{}+{:08x}+{}",
            self.name,
            self.key_hash,
            encode_key(self.signing_key.as_bytes())
        )
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key hash (key ID).
    pub fn key_hash(&self) -> u32 {
        self.key_hash
    }

    /// The Ed25519 private key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }

    /// The matching verifier key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_hash: self.key_hash,
            public_key: self.signing_key.verifying_key(),
        }
    }

    /// Signs `text` as a note; see [`sign`].
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        sign(text, &self.name, &self.signing_key)
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerKey")
            .field("name", &self.name)
            .field("key_hash", &format_args!("{:08x}", self.key_hash))
            .finish_non_exhaustive()
    }
}

fn encode_key(key: &[u8; 32]) -> String {
    let mut data = Vec::with_capacity(33);
    data.push(ALG_ED25519);
    data.extend_from_slice(key);
    STANDARD.encode(data)
}

/// Validates the name, hash and Ed25519 key data of an encoded key.
fn parse_parts<'a>(
    name: &'a str,
    hash: &str,
    data: &str,
) -> Result<(&'a str, u32, [u8; 32]), NoteKeyError> {
    if !is_valid_name(name) {
        return Err(NoteKeyError::Name(name.to_owned()));
    }
    if hash.len() != 8 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(NoteKeyError::Hash(hash.to_owned()));
    }
    let found = u32::from_str_radix(hash, 16).map_err(|_| NoteKeyError::Hash(hash.to_owned()))?;
    let data = STANDARD.decode(data).map_err(|_| NoteKeyError::Base64)?;
    let (&algorithm, key) = data.split_first().ok_or(NoteKeyError::Length(0))?;
    if algorithm != ALG_ED25519 {
        return Err(NoteKeyError::Algorithm(algorithm));
    }
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| NoteKeyError::Length(key.len()))?;
    Ok((name, found, key))
}

fn check_characters(text: &str) -> Result<(), NoteError> {
    if text.bytes().any(|b| b < 0x20 && b != b'\n') {
        return Err(NoteError::ControlCharacter);
    }
    Ok(())
}

/// Signs `text` with `signing_key` under the key name `name`, giving
/// `text ‖ "\n" ‖ "— " name " " base64(key hash ‖ signature) "\n"`.
///
/// `text` must end with a newline and hold no control character other than newline.
pub fn sign(text: &str, name: &str, signing_key: &SigningKey) -> Result<String, NoteError> {
    if !is_valid_name(name) {
        return Err(NoteError::InvalidName(name.to_owned()));
    }
    if !text.ends_with('\n') {
        return Err(NoteError::UnterminatedText);
    }
    check_characters(text)?;
    let hash = key_hash(name, &signing_key.verifying_key());
    let signature = signing_key.sign(text.as_bytes());
    let mut blob = Vec::with_capacity(4 + 64);
    blob.extend_from_slice(&hash.to_be_bytes());
    blob.extend_from_slice(&signature.to_bytes());
    Ok(format!(
        "{text}\n{SIGNATURE_PREFIX}{name} {}\n",
        STANDARD.encode(blob)
    ))
}

/// Verifies `note` against `key` and returns its text (with the final newline).
///
/// Signature lines of other keys (another name or another key hash) are ignored, as
/// the spec requires; every line of `key` must verify, and at least one must exist.
pub fn verify(note: &str, key: &VerifierKey) -> Result<String, NoteError> {
    check_characters(note)?;
    let split = note
        .rfind("\n\n")
        .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let Some(signatures) = signatures.strip_suffix('\n') else {
        return Err(NoteError::Malformed(
            "the signature block is empty or not newline-terminated",
        ));
    };
    let mut verified = false;
    for (count, line) in signatures.split('\n').enumerate() {
        if count >= MAX_SIGNATURES {
            return Err(NoteError::Malformed("too many signatures"));
        }
        let (name, encoded) = line
            .strip_prefix(SIGNATURE_PREFIX)
            .and_then(|rest| rest.split_once(' '))
            .ok_or(NoteError::Malformed(
                "a signature line is not \"\u{2014} <name> <signature>\"",
            ))?;
        let blob = STANDARD
            .decode(encoded)
            .map_err(|_| NoteError::Malformed("a signature is not valid base64"))?;
        if !is_valid_name(name) || blob.len() < 5 {
            return Err(NoteError::Malformed("invalid signature line"));
        }
        let hash = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]);
        if name != key.name || hash != key.key_hash {
            continue;
        }
        let valid = Signature::from_slice(&blob[4..])
            .is_ok_and(|sig| key.public_key.verify_strict(text.as_bytes(), &sig).is_ok());
        if !valid {
            return Err(NoteError::InvalidSignature {
                name: key.name.clone(),
                key_hash: key.key_hash,
            });
        }
        verified = true;
    }
    if !verified {
        return Err(NoteError::NotSigned {
            name: key.name.clone(),
            key_hash: key.key_hash,
        });
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
