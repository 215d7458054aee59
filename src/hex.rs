//! Lowercase hexadecimal, as the exchange writes digests and keyed hashes (key ids, content
//! hashes, NIK and KK hashes, subject references).

/// `bytes` as lowercase hex, two digits a byte.
pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
