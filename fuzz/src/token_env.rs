//! The access-token verification path as a request meets it, set up once per fuzzer
//! process: a SQLite database with a freshly generated Ed25519 signing key (sealed by a
//! freshly generated key-encryption key), the `KeyStore` that loads it, two tokens issued
//! through `tokens::issue`, and a `VerifiedTokens` cache that already holds both.
//!
//! The database lives in `$TMPDIR/sinergi-fuzz-<pid>/` (`fuzz/run.sh` points `TMPDIR` at
//! its scratch directory and removes it afterwards).

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use sinergi::auth::Caller;
use sinergi::auth::keys::{self, KeyStore};
use sinergi::auth::scope::ScopeSet;
use sinergi::auth::secrets::KeyEncryptionKey;
use sinergi::auth::tokens::{self, AccessClaims, TokenError, TokenSettings};
use sinergi::auth::verified::VerifiedTokens;
use sinergi::db::clients::ClientRecord;
use sinergi::db::{self, DatabaseUrl, Db};
use sinergi::domain::code::AgencyCode;

pub struct TokenEnv {
    runtime: tokio::runtime::Runtime,
    pub keys: KeyStore,
    pub settings: TokenSettings,
    pub verified: VerifiedTokens,
    /// Two genuine tokens, for different clients, signed by the same key.
    pub genuine: [String; 2],
    /// The time the cache entries were checked against (the tokens live for a day).
    pub now: i64,
}

impl TokenEnv {
    /// Runs `tokens::verify` as the `Caller` extractor does.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        self.runtime
            .block_on(tokens::verify(&self.keys, &self.settings, token))
    }

    /// Whether `token` is one of the two genuine tokens.
    pub fn is_genuine(&self, token: &[u8]) -> bool {
        self.genuine.iter().any(|g| g.as_bytes() == token)
    }

    /// The whole check for a token that is not genuine: the cache must miss and the
    /// verification must fail, and not because of the key store (a database error would
    /// be a 500, not the 401 an invalid token gets).
    pub fn assert_refused(&self, token: &str) {
        assert!(
            self.verified.get(token, self.now).is_none(),
            "the verified-token cache returned a caller for a token it never verified: {token:?}"
        );
        match self.verify(token) {
            Ok(claims) => panic!("accepted a token that was not issued: {token:?} -> {claims:?}"),
            Err(TokenError::Keys(e)) => panic!("key store failure on {token:?}: {e}"),
            Err(_) => {}
        }
    }
}

fn client(id: &str, agency: &str, scopes: &str) -> ClientRecord {
    ClientRecord {
        id: id.into(),
        agency: AgencyCode::parse(agency).expect("a valid agency"),
        name: id.into(),
        scopes: ScopeSet::parse(scopes).expect("valid scopes"),
        secret_hash: None,
        jwks: None,
        disabled: false,
        created_at: 0,
        tokens_revoked_before: None,
    }
}

pub static ENV: LazyLock<TokenEnv> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("sinergi-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the fuzz database directory");
    let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.join("tokens.db").display()))
        .expect("a sqlite url");
    let kek = Arc::new(KeyEncryptionKey::generate());
    let now = chrono_now();
    {
        let mut conn = url.connect().expect("open the fuzz database");
        db::migrate(&mut conn).expect("migrate the fuzz database");
        keys::rotate(&mut conn, &kek, now).expect("generate a signing key");
    }
    let pool = Db::open(&url, 2, Duration::from_secs(10)).expect("a pool");
    let keys = KeyStore::new(pool, kek, keys::VERIFY_WINDOW_SECS);
    let settings = TokenSettings {
        issuer: "https://sinergi.example".into(),
        audience: "sinergi-api".into(),
        // Longer than any fuzzing session, so that the genuine tokens stay valid and a
        // refusal is never merely expiry.
        lifetime_secs: 7 * 24 * 3600,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let clients = [
        client(
            "demo-kemensos",
            "KEMENSOS",
            "graduations:read graduations:write",
        ),
        client("demo-admin", "KEMENKOPM", "admin audit:read"),
    ];
    let genuine = clients.each_ref().map(|c| {
        let scopes = c.scopes.clone();
        runtime
            .block_on(tokens::issue(&keys, &settings, c, &scopes, now))
            .expect("issue a token")
    });
    let verified = VerifiedTokens::default();
    for (token, c) in genuine.iter().zip(&clients) {
        let claims = runtime
            .block_on(tokens::verify(&keys, &settings, token))
            .expect("a genuine token verifies");
        assert_eq!(claims.sub, c.id);
        assert_eq!(claims.scope, c.scopes.to_string());
        let caller = Caller {
            client_id: claims.sub.clone(),
            agency: c.agency.clone(),
            scopes: c.scopes.clone(),
            issued_at: claims.iat,
        };
        verified.insert(token, caller, claims.nbf, claims.exp, now);
        assert!(verified.get(token, now).is_some());
    }
    TokenEnv {
        runtime,
        keys,
        settings,
        verified,
        genuine,
        now,
    }
});

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}
