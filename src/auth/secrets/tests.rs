use super::*;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};

fn key_bytes(n: usize) -> Vec<u8> {
    // Bytes chosen so that standard and url-safe encodings differ ('+'/'/' vs '-'/'_').
    (0..n).map(|i| (i as u8).wrapping_mul(37) | 0xf8).collect()
}

#[test]
fn client_secrets_are_unique_prefixed_and_256_bits() {
    let a = generate_client_secret();
    let b = generate_client_secret();
    assert_ne!(a, b);
    for s in [&a, &b] {
        let body = s.strip_prefix("sns_").expect("prefix");
        assert!(body.len() >= 43, "{} chars", body.len());
        let decoded = URL_SAFE_NO_PAD
            .decode(body)
            .expect("base64url without padding");
        assert_eq!(decoded.len(), 32);
    }
}

#[test]
fn hash_and_verify() {
    let secret = generate_client_secret();
    let phc = hash_secret(&secret);
    assert!(phc.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{phc}");
    assert!(!phc.contains(&secret));
    assert!(verify_secret(&secret, &phc));
    assert!(!verify_secret(&generate_client_secret(), &phc));
    assert!(!verify_secret(&secret, "not a phc string"));
    assert!(!verify_secret(&secret, ""));
    assert!(!verify_secret(
        &secret,
        "$argon2id$v=19$m=19456,t=2,p=1$garbage"
    ));
}

#[test]
fn hashes_made_with_the_old_default_cost_still_verify() {
    let secret = generate_client_secret();
    let salt = SaltString::generate(&mut OsRng);
    let old = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .unwrap()
        .to_string();
    assert!(old.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{old}");
    assert!(verify_secret(&secret, &old));
    assert!(!verify_secret(&generate_client_secret(), &old));
}

#[test]
fn dummy_verification_runs() {
    // First call creates the dummy hash, second verifies against it.
    verify_against_dummy("sns_whatever");
    verify_against_dummy("sns_whatever");
}

#[test]
fn kek_from_base64_accepts_common_encodings() {
    let raw = key_bytes(32);
    let standard = STANDARD.encode(&raw);
    let url_safe = URL_SAFE.encode(&raw);
    assert_ne!(
        standard, url_safe,
        "test key should exercise both alphabets"
    );
    for text in [
        standard.clone(),
        STANDARD_NO_PAD.encode(&raw),
        url_safe,
        URL_SAFE_NO_PAD.encode(&raw),
        format!("{standard}\n"),
    ] {
        let kek = KeyEncryptionKey::from_base64(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(kek.0.as_slice(), raw.as_slice());
        assert_eq!(kek.to_base64(), standard);
    }
}

#[test]
fn kek_from_base64_rejects_wrong_lengths_and_garbage() {
    for n in [31, 33, 0] {
        let err = KeyEncryptionKey::from_base64(&STANDARD.encode(key_bytes(n))).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&format!("got {n} bytes")), "{msg}");
        assert!(msg.contains("SINERGI_KEY_ENCRYPTION_KEY"), "{msg}");
    }
    let err = KeyEncryptionKey::from_base64("this is *not* base64!").unwrap_err();
    assert!(matches!(err, SecretsError::KeyNotBase64), "{err}");
    assert!(err.to_string().contains("32 bytes"), "{err}");
    assert!(!err.to_string().contains("*not*"), "{err}");
}

#[test]
fn debug_does_not_print_key() {
    let kek = KeyEncryptionKey::from_base64(&STANDARD.encode(key_bytes(32))).unwrap();
    assert_eq!(format!("{kek:?}"), "KeyEncryptionKey(..)");
}

#[test]
fn seal_open_round_trip_and_tamper_detection() {
    let kek = KeyEncryptionKey::generate();
    let plaintext = b"-----BEGIN PRIVATE KEY----- not really";
    let sealed = kek.seal(plaintext, b"key-1");
    assert_eq!(kek.open(&sealed, b"key-1").unwrap(), plaintext);

    // Random nonce: same input, different output.
    assert_ne!(sealed, kek.seal(plaintext, b"key-1"));

    // Copied to another row (different key id).
    assert!(matches!(
        kek.open(&sealed, b"key-2"),
        Err(SecretsError::Decrypt)
    ));
    // Wrong KEK.
    let other = KeyEncryptionKey::generate();
    let err = other.open(&sealed, b"key-1").unwrap_err();
    assert!(matches!(err, SecretsError::Decrypt));
    assert!(
        err.to_string().contains("wrong SINERGI_KEY_ENCRYPTION_KEY"),
        "{err}"
    );

    let raw = STANDARD.decode(&sealed).unwrap();
    // Truncated: missing the last byte of the tag, and too short to hold nonce + tag.
    let truncated = STANDARD.encode(&raw[..raw.len() - 1]);
    assert!(kek.open(&truncated, b"key-1").is_err());
    let too_short = STANDARD.encode(&raw[..NONCE_BYTES + TAG_BYTES - 1]);
    assert!(matches!(
        kek.open(&too_short, b"key-1"),
        Err(SecretsError::MalformedSealed)
    ));
    // Any single flipped bit, in nonce, ciphertext or tag.
    for i in [0, NONCE_BYTES, raw.len() - 1] {
        let mut flipped = raw.clone();
        flipped[i] ^= 0x01;
        assert!(matches!(
            kek.open(&STANDARD.encode(&flipped), b"key-1"),
            Err(SecretsError::Decrypt)
        ));
    }
    assert!(matches!(
        kek.open("not base64 at all!", b"key-1"),
        Err(SecretsError::MalformedSealed)
    ));
}

#[test]
fn empty_plaintext_round_trips() {
    let kek = KeyEncryptionKey::generate();
    assert_eq!(kek.open(&kek.seal(b"", b""), b"").unwrap(), b"");
}

#[test]
fn load_or_create_creates_0600_file_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kek");
    let first = KeyEncryptionKey::load_or_create(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let contents = std::fs::read_to_string(&path).unwrap();
    assert_eq!(contents, format!("{}\n", first.to_base64()));

    let second = KeyEncryptionKey::load_or_create(&path).unwrap();
    assert_eq!(first.0, second.0);
}

#[test]
fn load_or_create_refuses_group_or_world_accessible_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kek");
    let key = KeyEncryptionKey::generate();
    std::fs::write(&path, format!("{}\n", key.to_base64())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let err = KeyEncryptionKey::load_or_create(&path).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("chmod 600"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(!msg.contains(&key.to_base64()), "{msg}");

    // Group-writable only is refused too.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o620)).unwrap();
    assert!(matches!(
        KeyEncryptionKey::load_or_create(&path),
        Err(SecretsError::KeyFilePermissions { .. })
    ));

    // After the suggested fix it loads.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let loaded = KeyEncryptionKey::load_or_create(&path).unwrap();
    assert_eq!(loaded.0, key.0);
}

#[test]
fn load_or_create_reports_bad_contents_with_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kek");
    std::fs::write(&path, STANDARD.encode(key_bytes(16))).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let msg = KeyEncryptionKey::load_or_create(&path)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("got 16 bytes"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
}

#[test]
fn load_or_create_reports_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("kek");
    let err = KeyEncryptionKey::load_or_create(&path).unwrap_err();
    assert!(matches!(err, SecretsError::KeyFileCreate { .. }), "{err}");
    assert!(err.to_string().contains("cannot create key file"), "{err}");
}
