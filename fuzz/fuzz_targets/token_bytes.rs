//! Arbitrary bytes as a bearer token, through the path the `Caller` extractor takes: the
//! verified-token cache (which holds two genuine tokens), then `tokens::verify` against a
//! real `KeyStore` on SQLite with a freshly generated Ed25519 key.
//!
//! The bytes are tried as the whole token, and also spliced into a genuine token (as its
//! signature, as its claims, and as everything after its header), so that they reach the
//! key lookup, the signature check and the claim validation, not only the header parser:
//! the key id of the genuine header is unknown to the fuzzer.
//!
//! Checks: never panics; nothing is accepted (neither a cache hit nor a verified token)
//! unless it is byte for byte one of the two tokens the exchange issued; a refusal is never
//! a key-store error (which would be a 500 instead of a 401).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi_fuzz::token_env::ENV;

fuzz_target!(|data: &[u8]| {
    let env = &*ENV;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let genuine = &env.genuine[0];
    let (signed, _) = genuine.rsplit_once('.').expect("three parts");
    let (header, _) = signed.split_once('.').expect("three parts");
    let (_, signature) = genuine.rsplit_once('.').expect("three parts");
    for token in [
        text.to_owned(),
        format!("{signed}.{text}"),
        format!("{header}.{text}.{signature}"),
        format!("{header}.{text}"),
    ] {
        if env.is_genuine(token.as_bytes()) {
            assert!(
                env.verify(&token).is_ok(),
                "a genuine token no longer verifies"
            );
        } else {
            env.assert_refused(&token);
        }
    }
});
