//! Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1,
//! six digits, 30-second steps; the secret shown as base32 in an `otpauth://` URI.

use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha1::Sha1;

use super::constant_time_eq;

const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;
/// 160 bits, the length RFC 4226 recommends for HMAC-SHA1.
const SECRET_BYTES: usize = 20;
/// Steps either side of now that are accepted, for a phone's clock a little off.
const DRIFT_STEPS: i64 = 1;

pub fn generate_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

/// The code of one time step.
pub fn code_at(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // RFC 4226 §5.3, dynamic truncation.
    let offset = usize::from(digest[19] & 0x0f);
    let bits = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", bits % 10u32.pow(DIGITS))
}

/// The step a presented code belongs to, if it is the code of a step near `now` (Unix
/// seconds) and later than `after` (the last one used: a code works once).
pub fn accepted_step(secret: &[u8], presented: &str, now: i64, after: Option<i64>) -> Option<i64> {
    if presented.len() != DIGITS as usize || !presented.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = now.div_euclid(STEP_SECS);
    (current - DRIFT_STEPS..=current + DRIFT_STEPS)
        .filter(|step| after.is_none_or(|used| *step > used))
        .find(|step| constant_time_eq(code_at(secret, *step).as_bytes(), presented.as_bytes()))
}

/// RFC 4648 base32 without padding, as `otpauth://` URIs carry secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The URI an authenticator app reads (from a QR code or pasted).
pub fn otpauth_uri(username: &str, secret: &[u8]) -> String {
    let label: String =
        form_urlencoded::byte_serialize(format!("Sinergi:{username}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={}&issuer=Sinergi&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        base32(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B's SHA-1 vectors (eight digits there; the last six here).
    #[test]
    fn codes_match_the_rfc_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(secret, time / STEP_SECS), code, "time {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_only_near_now() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_109;
        let step = now / STEP_SECS;
        let code = code_at(secret, step);
        assert_eq!(accepted_step(secret, &code, now, None), Some(step));
        assert_eq!(accepted_step(secret, &code, now + 30, None), Some(step));
        assert_eq!(accepted_step(secret, &code, now, Some(step)), None);
        assert_eq!(accepted_step(secret, &code, now + 120, None), None);
        assert_eq!(accepted_step(secret, "12345", now, None), None);
        assert_eq!(accepted_step(secret, "12345a", now, None), None);
    }

    #[test]
    fn base32_is_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }
}
