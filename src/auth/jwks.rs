//! Clients' public JWK Sets for `private_key_jwt`: what the API accepts, and the check.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use utoipa::ToSchema;

/// base64url as clients write it: with or without padding, trailing bits not required to be
/// zero (some encoders leave them set).
const LENIENT_B64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Most keys a client may register, enough for a rotation with some overlap.
pub const MAX_KEYS: usize = 10;

/// A JWK Set of public keys (RFC 7517), for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "2026-11",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}))]
pub struct JwkSetSchema {
    #[schema(min_items = 1, max_items = 10)]
    keys: Vec<PublicJwk>,
}

/// One public key: Ed25519 (for EdDSA), P-256 (ES256) or RSA of 2048 to 8192 bits (RS256).
/// No other members are accepted, so a private key (`d`) is never stored by mistake.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum PublicJwk {
    Okp(OkpJwk),
    Ec(EcJwk),
    Rsa(RsaJwk),
}

#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct OkpJwk {
    #[schema(inline)]
    kty: OkpKty,
    #[schema(inline)]
    crv: OkpCurve,
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    x: String,
    kid: Option<String>,
    #[schema(inline)]
    alg: Option<EdDsaAlg>,
    #[serde(rename = "use")]
    use_: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct EcJwk {
    #[schema(inline)]
    kty: EcKty,
    #[schema(inline)]
    crv: EcCurve,
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    x: String,
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    y: String,
    kid: Option<String>,
    #[schema(inline)]
    alg: Option<Es256Alg>,
    #[serde(rename = "use")]
    use_: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct RsaJwk {
    #[schema(inline)]
    kty: RsaKty,
    /// 256 to 1024 bytes, base64url (a length of 4k+1 characters encodes no whole byte).
    #[schema(
        min_length = 342,
        max_length = 1366,
        pattern = "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$"
    )]
    n: String,
    /// 1 to 8 bytes, base64url.
    #[schema(
        min_length = 2,
        max_length = 11,
        pattern = "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$"
    )]
    e: String,
    kid: Option<String>,
    #[schema(inline)]
    alg: Option<Rs256Alg>,
    #[serde(rename = "use")]
    use_: Option<String>,
}

#[derive(ToSchema)]
pub enum OkpKty {
    #[serde(rename = "OKP")]
    Okp,
}

#[derive(ToSchema)]
pub enum EcKty {
    #[serde(rename = "EC")]
    Ec,
}

#[derive(ToSchema)]
pub enum RsaKty {
    #[serde(rename = "RSA")]
    Rsa,
}

#[derive(ToSchema)]
pub enum OkpCurve {
    Ed25519,
}

#[derive(ToSchema)]
pub enum EcCurve {
    #[serde(rename = "P-256")]
    P256,
}

#[derive(ToSchema)]
pub enum EdDsaAlg {
    EdDSA,
}

#[derive(ToSchema)]
pub enum Es256Alg {
    ES256,
}

#[derive(ToSchema)]
pub enum Rs256Alg {
    RS256,
}

fn decodes_to(text: &str, len: impl Fn(usize) -> bool) -> bool {
    LENIENT_B64URL
        .decode(text)
        .is_ok_and(|bytes| len(bytes.len()))
}

/// Checks a client's JWK Set: public keys only, of a kind the token endpoint verifies.
pub fn validate(text: &str) -> Result<JwkSet, String> {
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("is not JSON: {e}"))?;
    let keys = raw["keys"]
        .as_array()
        .ok_or("must be an object with a `keys` array")?;
    if keys.is_empty() || keys.len() > MAX_KEYS {
        return Err(format!("must hold between 1 and {MAX_KEYS} keys"));
    }
    // A private key here would mean the client shared what it must keep to itself.
    if keys.iter().any(|k| k.get("d").is_some()) {
        return Err("must hold public keys only (a key has a private `d` member)".into());
    }
    // The members the document lists for each key type, and no others.
    for (i, key) in keys.iter().enumerate() {
        let (allowed, alg): (&[&str], &str) = match key["kty"].as_str() {
            Some("OKP") => (&["kty", "crv", "x", "kid", "alg", "use"], "EdDSA"),
            Some("EC") => (&["kty", "crv", "x", "y", "kid", "alg", "use"], "ES256"),
            Some("RSA") => (&["kty", "n", "e", "kid", "alg", "use"], "RS256"),
            _ => return Err(format!("key {i} must have kty OKP, EC or RSA")),
        };
        if !(key["alg"].is_null() || key["alg"] == alg) {
            return Err(format!(
                "key {i}: alg must be {alg} for its key type, or absent"
            ));
        }
        let object = key
            .as_object()
            .ok_or(format!("key {i} must be an object"))?;
        if let Some(member) = object.keys().find(|m| !allowed.contains(&m.as_str())) {
            return Err(format!("key {i} has an unsupported member {member:?}"));
        }
    }
    let set: JwkSet =
        serde_json::from_value(raw.clone()).map_err(|e| format!("is not a JWK Set: {e}"))?;
    for (i, jwk) in set.keys.iter().enumerate() {
        let ok = match &jwk.algorithm {
            AlgorithmParameters::OctetKeyPair(p) => {
                p.curve == EllipticCurve::Ed25519 && decodes_to(&p.x, |n| n == 32)
            }
            AlgorithmParameters::EllipticCurve(p) => {
                p.curve == EllipticCurve::P256
                    && decodes_to(&p.x, |n| n == 32)
                    && decodes_to(&p.y, |n| n == 32)
            }
            AlgorithmParameters::RSA(p) => {
                decodes_to(&p.n, |n| (256..=1024).contains(&n))
                    && decodes_to(&p.e, |n| (1..=8).contains(&n))
            }
            // Shared secrets (`oct`) and anything newer are not public keys we can check.
            _ => false,
        };
        if !ok {
            return Err(format!(
                "key {i} must be Ed25519 (32-byte x), P-256 or RSA of 2048 to 8192 bits"
            ));
        }
    }
    Ok(set)
}
