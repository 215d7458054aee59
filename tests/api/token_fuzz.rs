//! Fuzzing the token verification path through HTTP: thousands of bearer values made from a
//! real token by flipping, cutting, splicing and re-encoding its parts, and random text.
//! Every one is refused with 401 — never accepted, never a 5xx — and the service stays up.

use crate::common::{Backend, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Cases per backend: enough to cover every mutation kind many times over in CI.
const CASES: usize = 1_500;

/// A way to spoil a token.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(usize, u8),
    Truncate(usize),
    Append(String),
    SwapParts,
    /// Re-encode the payload with one claim's value changed (a forged claim, old signature).
    ForgeClaim(String),
    /// `alg` set to something else, signature kept.
    ForgeAlg(String),
    Random(String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        "[A-Za-z0-9_.=+/-]{1,40}".prop_map(Mutation::Append),
        Just(Mutation::SwapParts),
        prop_oneof![
            Just("sub"),
            Just("agency"),
            Just("scope"),
            Just("exp"),
            Just("aud")
        ]
        .prop_map(|c| Mutation::ForgeClaim(c.to_owned())),
        prop_oneof![
            Just("none"),
            Just("HS256"),
            Just("RS256"),
            Just("ES256"),
            Just("")
        ]
        .prop_map(|a| Mutation::ForgeAlg(a.to_owned())),
        "[ -~]{0,300}".prop_map(Mutation::Random),
    ]
}

fn reencode(part: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut json: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap();
    change(&mut json);
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json).unwrap())
}

fn apply(token: &str, mutation: &Mutation) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    match mutation {
        Mutation::FlipByte(i, b) => {
            let mut bytes = token.as_bytes().to_vec();
            let i = i % bytes.len();
            // Stay within the base64url alphabet so the change reaches the decoder.
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let replacement = ALPHABET[*b as usize % ALPHABET.len()];
            bytes[i] = if bytes[i] == replacement {
                b'A' ^ b'B' ^ replacement
            } else {
                replacement
            };
            String::from_utf8(bytes).unwrap()
        }
        Mutation::Truncate(n) => token[..n % token.len()].to_owned(),
        Mutation::Append(tail) => format!("{token}{tail}"),
        Mutation::SwapParts => format!("{}.{}.{}", parts[1], parts[0], parts[2]),
        Mutation::ForgeClaim(claim) => {
            let payload = reencode(parts[1], |p| {
                p[claim.as_str()] = match claim.as_str() {
                    "exp" => serde_json::json!(4_102_444_800u64),
                    "scope" => serde_json::json!("admin audit:read"),
                    _ => serde_json::json!("KEMENSOS-forged"),
                };
            });
            format!("{}.{payload}.{}", parts[0], parts[2])
        }
        Mutation::ForgeAlg(alg) => {
            let header = reencode(parts[0], |h| h["alg"] = serde_json::json!(alg));
            let signature = if alg == "none" { "" } else { parts[2] };
            format!("{header}.{}.{signature}", parts[1])
        }
        Mutation::Random(text) => text.clone(),
    }
}

both_backends! {
    async fn no_spoiled_token_is_accepted_or_breaks_the_service(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token("demo-kemensos", None).await;
        let mut runner = TestRunner::new(Config::default());
        let strategy = mutation();
        let mut refused = 0;
        for _ in 0..CASES {
            let mutation = strategy.new_tree(&mut runner).unwrap().current();
            let spoiled = apply(&token, &mutation);
            if spoiled == token {
                continue;
            }
            let Ok(value) = reqwest::header::HeaderValue::from_str(&format!("Bearer {spoiled}")) else {
                continue;
            };
            let res = app
                .client
                .get(app.url("/v1/whoami"))
                .header("Authorization", value)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401, "{mutation:?} gave {}", res.status());
            refused += 1;
        }
        assert!(refused > CASES / 2, "only {refused} cases reached the service");
        // The real token still works: nothing above disturbed the service.
        let res = app.client.get(app.url("/v1/whoami")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
}
