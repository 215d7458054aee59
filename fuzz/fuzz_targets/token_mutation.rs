//! Structured token target: one of two genuine access tokens (issued by `tokens::issue`
//! with a freshly generated key, see `token_env`) is spoiled by arbitrary edits: byte
//! edits anywhere, splicing in parts of the other token, swapping or dropping parts, and
//! re-encoding the header or claims with changed fields (`alg`, `kid`, `crit`, `b64`,
//! `sub`, `scope`, `exp`, …) or another base64 flavour, signature kept.
//!
//! Checks: whatever the result, unless it is byte for byte a genuine token, the
//! verified-token cache misses and `tokens::verify` refuses it (and not with a key-store
//! error); the genuine tokens themselves verify.

#![no_main]

use arbitrary::Arbitrary;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sinergi_fuzz::Edit;
use sinergi_fuzz::token_env::ENV;

#[derive(Arbitrary, Debug)]
enum Field {
    Alg,
    Kid,
    Typ,
    Crit,
    B64,
    Jwk,
    Sub,
    Scope,
    Agency,
    Aud,
    Iss,
    Exp,
    Nbf,
    Other(String),
}

impl Field {
    fn name(&self) -> &str {
        match self {
            Field::Alg => "alg",
            Field::Kid => "kid",
            Field::Typ => "typ",
            Field::Crit => "crit",
            Field::B64 => "b64",
            Field::Jwk => "jwk",
            Field::Sub => "sub",
            Field::Scope => "scope",
            Field::Agency => "agency",
            Field::Aud => "aud",
            Field::Iss => "iss",
            Field::Exp => "exp",
            Field::Nbf => "nbf",
            Field::Other(name) => name,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum NewValue {
    Remove,
    Text(String),
    Int(i64),
    Bool(bool),
    Null,
    /// One of the values an attacker would try first.
    Known(u8),
}

const KNOWN: &[&str] = &[
    "none",
    "None",
    "HS256",
    "RS256",
    "ES256",
    "EdDSA",
    "admin audit:read",
    "KEMENKOPM",
    "demo-admin",
    "sinergi-api",
    "https://sinergi.example",
];

#[derive(Arbitrary, Debug)]
enum Mutation {
    Bytes(Edit),
    /// Part `part` (0-2) replaced by the same part of the other genuine token.
    Splice {
        part: u8,
    },
    Swap {
        a: u8,
        b: u8,
    },
    Drop {
        part: u8,
    },
    Duplicate {
        part: u8,
    },
    /// Decode part 0 (header) or 1 (claims) as JSON, set or remove a field, re-encode.
    Reencode {
        part: u8,
        field: Field,
        value: NewValue,
        flavour: u8,
    },
    /// Re-encode a part unchanged in another base64 flavour.
    Flavour {
        part: u8,
        flavour: u8,
    },
}

fn engine(flavour: u8) -> &'static base64::engine::GeneralPurpose {
    match flavour % 4 {
        0 => &URL_SAFE_NO_PAD,
        1 => &URL_SAFE,
        2 => &STANDARD,
        _ => &STANDARD_NO_PAD,
    }
}

fn decode_any(part: &[u8]) -> Option<Vec<u8>> {
    [URL_SAFE_NO_PAD, URL_SAFE, STANDARD, STANDARD_NO_PAD]
        .iter()
        .find_map(|e| e.decode(part).ok())
}

fn parts(token: &[u8]) -> Vec<Vec<u8>> {
    token.split(|&b| b == b'.').map(<[u8]>::to_vec).collect()
}

fn join(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.join(&b'.')
}

fn apply(token: &mut Vec<u8>, other: &[u8], mutation: &Mutation) {
    let mut p = parts(token);
    let index = |i: u8, p: &Vec<Vec<u8>>| usize::from(i) % p.len();
    match mutation {
        Mutation::Bytes(edit) => {
            edit.apply(token);
            return;
        }
        Mutation::Splice { part } => {
            let theirs = parts(other);
            let i = usize::from(*part) % 3;
            if i < p.len() {
                p[i] = theirs[i].clone();
            }
        }
        Mutation::Swap { a, b } => {
            let (a, b) = (index(*a, &p), index(*b, &p));
            p.swap(a, b);
        }
        Mutation::Drop { part } => {
            if p.len() > 1 {
                let i = index(*part, &p);
                p.remove(i);
            }
        }
        Mutation::Duplicate { part } => {
            let i = index(*part, &p);
            let copy = p[i].clone();
            p.insert(i, copy);
        }
        Mutation::Reencode {
            part,
            field,
            value,
            flavour,
        } => {
            let i = usize::from(*part) % 2;
            if i >= p.len() {
                return;
            }
            let Some(mut json) = decode_any(&p[i]).and_then(|raw| {
                serde_json::from_slice::<serde_json::Map<String, Value>>(&raw).ok()
            }) else {
                return;
            };
            let name = field.name().to_owned();
            match value {
                NewValue::Remove => {
                    json.remove(&name);
                }
                NewValue::Text(text) => {
                    json.insert(name, Value::from(text.as_str()));
                }
                NewValue::Int(n) => {
                    json.insert(name, Value::from(*n));
                }
                NewValue::Bool(b) => {
                    json.insert(name, Value::from(*b));
                }
                NewValue::Null => {
                    json.insert(name, Value::Null);
                }
                NewValue::Known(k) => {
                    json.insert(name, Value::from(KNOWN[usize::from(*k) % KNOWN.len()]));
                }
            }
            let raw = serde_json::to_vec(&json).expect("a map serialises");
            p[i] = engine(*flavour).encode(raw).into_bytes();
        }
        Mutation::Flavour { part, flavour } => {
            let i = index(*part, &p);
            if let Some(raw) = decode_any(&p[i]) {
                p[i] = engine(*flavour).encode(raw).into_bytes();
            }
        }
    }
    *token = join(&p);
}

#[derive(Arbitrary, Debug)]
struct Input {
    which: bool,
    mutations: Vec<Mutation>,
}

fuzz_target!(|input: Input| {
    let env = &*ENV;
    let (mine, other) = if input.which {
        (&env.genuine[1], &env.genuine[0])
    } else {
        (&env.genuine[0], &env.genuine[1])
    };
    let mut token = mine.clone().into_bytes();
    for mutation in input.mutations.iter().take(16) {
        apply(&mut token, other.as_bytes(), mutation);
    }
    let Ok(token) = String::from_utf8(token) else {
        return;
    };
    if env.is_genuine(token.as_bytes()) {
        assert!(
            env.verify(&token).is_ok(),
            "a genuine token no longer verifies"
        );
        return;
    }
    env.assert_refused(&token);
});
