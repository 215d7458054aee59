//! The exchange's token signing keys: Ed25519, stored in the database with the private half
//! sealed by the key-encryption key, so every instance signs and verifies alike.
//!
//! Each instance keeps a snapshot and reloads it every few seconds, so `sinergi keys rotate`
//! takes effect everywhere without a restart. A token whose `kid` is not in the snapshot
//! triggers an early reload, because another instance may already sign with a newer key.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::secrets::KeyEncryptionKey;
use crate::db::signing_keys::{self, StoredKey};
use crate::db::{AnyConnection, Db, DbError};

/// How old a snapshot may get before a request reloads it.
const REFRESH: Duration = Duration::from_secs(5);
/// The shortest interval between reloads forced by an unknown `kid`, so that tokens with
/// made-up key ids cannot turn every request into a database query.
const FORCED_REFRESH: Duration = Duration::from_secs(1);

pub const ALGORITHM: &str = "EdDSA";

/// How long a retired key keeps verifying: an instance may still sign with it for one
/// refresh interval after the rotation, and its tokens live this long plus the leeway.
pub const VERIFY_WINDOW_SECS: i64 = super::lifetime::MAX_LIFETIME_SECS
    + REFRESH.as_secs() as i64
    + super::lifetime::LEEWAY_SECS as i64;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the signing key {kid} cannot be used: {reason}")]
    Unusable { kid: String, reason: String },
    #[error("there is no signing key; run `sinergi keys rotate` or restart the service")]
    NoKey,
}

impl From<crate::db::QueryError> for KeyError {
    fn from(e: crate::db::QueryError) -> Self {
        KeyError::Db(e.into())
    }
}

/// A new Ed25519 key, its private half sealed for storage.
pub fn generate(kek: &KeyEncryptionKey, now: i64) -> StoredKey {
    let signing = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let public = signing.verifying_key().to_bytes();
    let kid = crate::hex::encode(&Sha256::digest(public)[..8]);
    let der = signing
        .to_pkcs8_der()
        .expect("an Ed25519 key encodes as PKCS#8");
    StoredKey {
        private_key: kek.seal(der.as_bytes(), kid.as_bytes()),
        public_key: URL_SAFE_NO_PAD.encode(public),
        kid,
        algorithm: ALGORITHM.into(),
        created_at: now,
        retired_at: None,
    }
}

/// Makes a new key current; the previous ones keep verifying until their tokens expire.
pub fn rotate(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    now: i64,
) -> Result<String, KeyError> {
    let key = generate(kek, now);
    signing_keys::rotate_in(conn, &key)?;
    Ok(key.kid)
}

/// Creates the first key when there is none that signs (a fresh database).
pub fn ensure_current(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    now: i64,
    lifetime_secs: i64,
) -> Result<(), KeyError> {
    let keys = signing_keys::verifying(conn, now, lifetime_secs)?;
    if !keys.iter().any(|k| k.retired_at.is_none()) {
        rotate(conn, kek, now)?;
    }
    Ok(())
}

/// Loads the keys once as requests will, so that a wrong key-encryption key stops the
/// service at start instead of failing every token request later.
pub fn check_usable(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    lifetime_secs: i64,
) -> Result<(), KeyError> {
    load(conn, kek, lifetime_secs).map(drop)
}

pub struct Signer {
    pub kid: String,
    pub key: EncodingKey,
}

struct Snapshot {
    loaded: Instant,
    signer: Option<Arc<Signer>>,
    verifiers: HashMap<String, DecodingKey>,
    jwks: Value,
}

impl Snapshot {
    fn empty() -> Self {
        Self {
            // Old enough that the first use loads.
            loaded: Instant::now() - REFRESH * 2,
            signer: None,
            verifiers: HashMap::new(),
            jwks: json!({"keys": []}),
        }
    }
}

pub struct KeyStore {
    db: Db,
    kek: Arc<KeyEncryptionKey>,
    lifetime_secs: i64,
    snapshot: RwLock<Arc<Snapshot>>,
}

impl KeyStore {
    pub fn new(db: Db, kek: Arc<KeyEncryptionKey>, lifetime_secs: i64) -> Self {
        Self {
            db,
            kek,
            lifetime_secs,
            snapshot: RwLock::new(Arc::new(Snapshot::empty())),
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        crate::sync::read(&self.snapshot).clone()
    }

    async fn fresh(&self, max_age: Duration) -> Result<Arc<Snapshot>, KeyError> {
        let snapshot = self.current();
        if snapshot.loaded.elapsed() < max_age {
            return Ok(snapshot);
        }
        let (kek, lifetime) = (self.kek.clone(), self.lifetime_secs);
        let loaded = self.db.run(move |conn| load(conn, &kek, lifetime)).await?;
        let loaded = Arc::new(loaded);
        *crate::sync::write(&self.snapshot) = loaded.clone();
        Ok(loaded)
    }

    /// The key that signs new tokens now.
    pub async fn signer(&self) -> Result<Arc<Signer>, KeyError> {
        self.fresh(REFRESH)
            .await?
            .signer
            .clone()
            .ok_or(KeyError::NoKey)
    }

    /// The key that verifies tokens with this `kid`, if it may still verify any.
    pub async fn verifier(&self, kid: &str) -> Result<Option<DecodingKey>, KeyError> {
        let snapshot = self.fresh(REFRESH).await?;
        if let Some(key) = snapshot.verifiers.get(kid) {
            return Ok(Some(key.clone()));
        }
        Ok(self
            .fresh(FORCED_REFRESH)
            .await?
            .verifiers
            .get(kid)
            .cloned())
    }

    /// The JWK Set of every key that may still verify a live token.
    pub async fn jwks(&self) -> Result<Value, KeyError> {
        Ok(self.fresh(REFRESH).await?.jwks.clone())
    }
}

fn load(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    lifetime: i64,
) -> Result<Snapshot, KeyError> {
    let now = chrono::Utc::now().timestamp();
    let keys = signing_keys::verifying(conn, now, lifetime)?;
    let mut verifiers = HashMap::new();
    let mut jwks = Vec::new();
    for key in &keys {
        let unusable = |reason: String| KeyError::Unusable {
            kid: key.kid.clone(),
            reason,
        };
        let decoding = DecodingKey::from_ed_components(&key.public_key)
            .map_err(|e| unusable(e.to_string()))?;
        verifiers.insert(key.kid.clone(), decoding);
        jwks.push(json!({
            "kty": "OKP", "crv": "Ed25519", "x": key.public_key,
            "kid": key.kid, "alg": ALGORITHM, "use": "sig",
        }));
    }
    let signer = match keys.iter().find(|k| k.retired_at.is_none()) {
        Some(key) => {
            let der = kek
                .open(&key.private_key, key.kid.as_bytes())
                .map_err(|e| KeyError::Unusable {
                    kid: key.kid.clone(),
                    reason: e.to_string(),
                })?;
            Some(Arc::new(Signer {
                kid: key.kid.clone(),
                key: EncodingKey::from_ed_der(&der),
            }))
        }
        None => None,
    };
    Ok(Snapshot {
        loaded: Instant::now(),
        signer,
        verifiers,
        jwks: json!({ "keys": jwks }),
    })
}
