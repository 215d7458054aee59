//! OAuth client secrets and encryption of private signing keys at rest.
//!
//! Client secrets are only ever stored as argon2id hashes, so a database leak
//! does not hand out working credentials. Private signing keys must be stored
//! recoverably, so they are sealed with a key-encryption key (KEK) that lives
//! outside the database (environment variable or a 0600 key file): a database
//! dump alone then yields no usable signing key.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{
    GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE_NO_PAD,
};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rand::rngs::OsRng;
use zeroize::Zeroize;

use crate::sync::Permits;

/// Recognisable prefix so secret scanners (and humans) can spot leaked secrets.
const CLIENT_SECRET_PREFIX: &str = "sns_";
/// 256 bits: far beyond brute force even if the hash leaks.
const CLIENT_SECRET_BYTES: usize = 32;
const KEY_BYTES: usize = 32;
/// XChaCha20's extended nonce is large enough that random nonces never collide
/// in practice, so no nonce counter has to be kept in the database.
const NONCE_BYTES: usize = 24;
/// Poly1305 tag length; anything shorter than nonce + tag cannot be a sealed value.
const TAG_BYTES: usize = 16;

/// Decoders that accept what operators typically paste: `openssl rand -base64 32`
/// (standard, padded) or url-safe text, with or without padding.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Errors from key handling. Messages name paths and lengths but never contain
/// key material or secrets, because they end up in logs.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("SINERGI_KEY_ENCRYPTION_KEY must be 32 bytes of base64, got {got} bytes")]
    KeyLength { got: usize },
    #[error(
        "SINERGI_KEY_ENCRYPTION_KEY is not valid base64 (expected 32 bytes, e.g. from `openssl rand -base64 32`)"
    )]
    KeyNotBase64,
    #[error("cannot read key file {}: {source}", path.display())]
    KeyFileRead { path: PathBuf, source: io::Error },
    #[error("cannot create key file {}: {source}", path.display())]
    KeyFileCreate { path: PathBuf, source: io::Error },
    #[error(
        "key file {} is accessible by other users (mode {mode:03o}); run chmod 600 {}",
        path.display(),
        path.display()
    )]
    KeyFilePermissions { path: PathBuf, mode: u32 },
    #[error("key file {} must contain 32 bytes of base64, got {got} bytes", path.display())]
    KeyFileLength { path: PathBuf, got: usize },
    #[error("key file {} does not contain valid base64", path.display())]
    KeyFileNotBase64 { path: PathBuf },
    #[error("a stored private key is malformed: not base64 of nonce || ciphertext")]
    MalformedSealed,
    #[error(
        "a stored private key could not be decrypted: wrong SINERGI_KEY_ENCRYPTION_KEY or tampered data"
    )]
    Decrypt,
}

/// A freshly generated client secret: 32 random bytes from the OS RNG (256 bits),
/// base64url without padding, prefixed "sns_" so leaked secrets are recognisable
/// by scanners.
pub fn generate_client_secret() -> String {
    let mut bytes = [0u8; CLIENT_SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    // url-safe without padding: the secret goes into HTTP Basic auth and form
    // bodies, where '+', '/' and '=' would need escaping.
    let secret = format!("{CLIENT_SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    bytes.zeroize();
    secret
}

/// The cost of a new hash: argon2id with 7 MiB and five passes, one of the settings OWASP's
/// Password Storage Cheat Sheet lists as equal in strength to the crate's default (19 MiB,
/// two passes), for about the same CPU time. The memory is held for the whole of each
/// hash or verification, and every token request with a secret causes one, so it is the
/// service's largest single allocation: with 19 MiB, one verification raised the peak RSS
/// of `bench/records.sh` by about as much (see docs/PERFORMANCE.md).
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;

fn argon2() -> Argon2<'static> {
    let params = argon2::Params::new(MEMORY_KIB, PASSES, 1, None)
        .expect("the cost parameters are within argon2's ranges");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// argon2id PHC string for a secret (the cost above, random salt from OsRng).
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2_work(|| {
        argon2()
            .hash_password(secret.as_bytes(), &salt)
            // Only fails for out-of-range parameters or salts; ours and a generated salt
            // are always valid, so this is a programming error.
            .expect("argon2 hashing with valid parameters cannot fail")
            .to_string()
    })
}

/// Runs one argon2 hash or verification, at most as many at once as there are cores.
/// Each holds its memory cost and a core for its whole time, and the token endpoint lets
/// anyone cause them (a wrong secret costs a verification too): unbounded, every
/// connection of the pool checking a secret at once held 16 × 19 MiB (the old default)
/// and finished no sooner than one after another on the cores there are.
fn argon2_work<T>(f: impl FnOnce() -> T) -> T {
    static PERMITS: OnceLock<Permits> = OnceLock::new();
    PERMITS
        .get_or_init(|| {
            Permits::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
        })
        .run(f)
}

/// Verifies a presented secret against a stored PHC hash. Constant-time (argon2's
/// verify compares the outputs in constant time). A malformed stored hash returns
/// false (never panics).
pub fn verify_secret(presented: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    // The verifier takes algorithm, version and cost parameters from the stored
    // hash, so hashes made with older costs (19 MiB until 2026-12) keep verifying, at
    // their own cost, until the secret is rotated.
    argon2_work(|| {
        argon2()
            .verify_password(presented.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A dummy verification with the same cost as a real one, run when the client id
/// is unknown so that response time does not reveal which client ids exist.
pub fn verify_against_dummy(presented: &str) {
    // The dummy hash is made at runtime with the same cost as `hash_secret`, so its
    // cost tracks real hashes if that cost changes.
    static DUMMY_PHC: OnceLock<String> = OnceLock::new();
    let mut hashed_now = false;
    let phc = DUMMY_PHC.get_or_init(|| {
        hashed_now = true;
        hash_secret(&generate_client_secret())
    });
    // Creating the hash already cost exactly one argon2 run; verifying on top of
    // it would make the very first unknown-client request twice as slow.
    if !hashed_now {
        // The result is meaningless (nobody knows the random dummy secret);
        // black_box keeps the optimiser from discarding the work.
        std::hint::black_box(verify_secret(presented, phc));
    }
}

/// The key-encryption key (32 bytes) that protects private keys stored in the database.
///
/// Deliberately not `Clone`/`Copy`, to limit how many copies of the key exist in memory.
pub struct KeyEncryptionKey([u8; KEY_BYTES]);

impl KeyEncryptionKey {
    /// A 32-byte key for one named purpose (HMAC-SHA256 of the purpose under this key), so
    /// that the key-encryption key itself only ever seals and opens.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC accepts any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// From the base64 (standard or url-safe, with or without padding) text of
    /// SINERGI_KEY_ENCRYPTION_KEY; must decode to exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SecretsError> {
        match decode_key(text) {
            Ok(key) => Ok(key),
            Err(KeyDecodeError::Length(got)) => Err(SecretsError::KeyLength { got }),
            Err(KeyDecodeError::NotBase64) => Err(SecretsError::KeyNotBase64),
        }
    }

    /// Reads the key file at `path` (base64 text, trailing newline allowed), or
    /// when it does not exist creates it with 32 random bytes, written with mode
    /// 0600 created atomically, and returns it. Refuses to use an existing file
    /// whose mode grants any group/other permission.
    pub fn load_or_create(path: &Path) -> Result<Self, SecretsError> {
        match File::open(path) {
            Ok(file) => Self::read_key_file(path, file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match Self::create_key_file(path) {
                // Another process created the file between our open and our
                // create_new: use its key rather than failing or overwriting it.
                Err(SecretsError::KeyFileCreate { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists =>
                {
                    let file = File::open(path).map_err(|source| SecretsError::KeyFileRead {
                        path: path.to_owned(),
                        source,
                    })?;
                    Self::read_key_file(path, file)
                }
                other => other,
            },
            Err(source) => Err(SecretsError::KeyFileRead {
                path: path.to_owned(),
                source,
            }),
        }
    }

    fn read_key_file(path: &Path, mut file: File) -> Result<Self, SecretsError> {
        let read_err = |source| SecretsError::KeyFileRead {
            path: path.to_owned(),
            source,
        };
        // Check the mode of the file we actually opened (fstat), not of the path,
        // so a swap between check and read cannot slip past the check.
        let mode = file.metadata().map_err(read_err)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(SecretsError::KeyFilePermissions {
                path: path.to_owned(),
                mode,
            });
        }
        let mut text = String::new();
        let read = file.read_to_string(&mut text);
        let decoded = read.map_err(read_err).and_then(|_| {
            decode_key(&text).map_err(|e| match e {
                KeyDecodeError::Length(got) => SecretsError::KeyFileLength {
                    path: path.to_owned(),
                    got,
                },
                KeyDecodeError::NotBase64 => SecretsError::KeyFileNotBase64 {
                    path: path.to_owned(),
                },
            })
        });
        // The text buffer held the key in base64; do not leave it in freed memory.
        text.zeroize();
        decoded
    }

    fn create_key_file(path: &Path) -> Result<Self, SecretsError> {
        let create_err = |source| SecretsError::KeyFileCreate {
            path: path.to_owned(),
            source,
        };
        // create_new + mode(0o600): the file never exists with wider permissions
        // (no create-then-chmod window) and an existing key is never overwritten.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(create_err)?;
        let key = Self::generate();
        let mut text = key.to_base64();
        text.push('\n');
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        text.zeroize();
        if let Err(source) = written {
            // A half-written key file would fail every later start with a
            // confusing length error; nothing was sealed with it yet, so remove it.
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(create_err(source));
        }
        // Make the new directory entry durable too: losing the key file after a
        // crash would make every key sealed with it unrecoverable. Best effort,
        // since some filesystems do not support fsync on directories.
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(dir) = File::open(parent) {
            let _ = dir.sync_all();
        }
        Ok(key)
    }

    /// Generates a fresh random key (for tests and `keys` tooling).
    pub fn generate() -> Self {
        let mut key = [0u8; KEY_BYTES];
        OsRng.fill_bytes(&mut key);
        Self(key)
    }

    /// The base64 (standard, padded) text, to print once for an operator.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// XChaCha20-Poly1305 with a random 24-byte nonce; output = base64(standard)
    /// of nonce || ciphertext. `aad` binds the ciphertext to its context (the key
    /// id), so a ciphertext copied to another row does not decrypt.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            // Only fails for plaintexts beyond ChaCha20's 256 GiB limit.
            .expect("XChaCha20-Poly1305 encryption of a private key cannot fail");
        let mut out = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        STANDARD.encode(out)
    }

    /// Reverses [`seal`](Self::seal). Fails on a wrong key, a different `aad`,
    /// or any modification of the sealed text.
    pub fn open(&self, sealed: &str, aad: &[u8]) -> Result<Vec<u8>, SecretsError> {
        let bytes = STANDARD
            .decode(sealed.trim())
            .map_err(|_| SecretsError::MalformedSealed)?;
        if bytes.len() < NONCE_BYTES + TAG_BYTES {
            return Err(SecretsError::MalformedSealed);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        self.cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| SecretsError::Decrypt)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        // Built per call rather than stored: key setup is trivial next to the
        // AEAD work, and it avoids keeping a second long-lived copy of the key
        // that our Drop could not wipe.
        XChaCha20Poly1305::new((&self.0).into())
    }
}

impl std::fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key bytes, even in debug logs or panic messages.
        f.write_str("KeyEncryptionKey(..)")
    }
}

impl Drop for KeyEncryptionKey {
    fn drop(&mut self) {
        // Limits how long the key lingers in freed memory. Best effort only:
        // moves of the value and the per-call cipher may leave copies behind.
        self.0.zeroize();
    }
}

enum KeyDecodeError {
    Length(usize),
    NotBase64,
}

fn decode_key(text: &str) -> Result<KeyEncryptionKey, KeyDecodeError> {
    // Trailing newlines come from key files and `echo`; surrounding spaces from
    // copy-paste into environment files.
    let text = text.trim();
    // The two alphabets differ only in '+/' vs '-_', so at most one of them can
    // accept a given text (except text using neither, where both agree).
    let mut bytes = LENIENT_STANDARD
        .decode(text)
        .or_else(|_| LENIENT_URL_SAFE.decode(text))
        // The decoder's error names the offending character, which is part of
        // the key, so it is deliberately dropped.
        .map_err(|_| KeyDecodeError::NotBase64)?;
    let result = match <[u8; KEY_BYTES]>::try_from(bytes.as_slice()) {
        Ok(key) => Ok(KeyEncryptionKey(key)),
        Err(_) => Err(KeyDecodeError::Length(bytes.len())),
    };
    bytes.zeroize();
    result
}

#[cfg(test)]
mod tests;
