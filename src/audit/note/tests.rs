use super::*;

// The example of golang.org/x/mod/sumdb/note's package documentation.
const GO_SIGNER: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                           then you don't know what your problem is.\n";
const GO_SIGNATURE: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const GO_SECOND_SIGNATURE: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn test_signer(seed: u8, name: &str) -> SignerKey {
    SignerKey::new(name, SigningKey::from_bytes(&[seed; 32])).unwrap()
}

#[test]
fn go_known_answer() {
    let signer = SignerKey::parse(GO_SIGNER).unwrap();
    assert_eq!(signer.key_hash(), 0xc74f20a3);
    assert_eq!(signer.to_secret_string(), GO_SIGNER);
    assert_eq!(signer.verifier().to_string(), GO_VERIFIER);
    let note = signer.sign(GO_TEXT).unwrap();
    assert_eq!(note, format!("{GO_TEXT}\n{GO_SIGNATURE}"));

    let verifier = VerifierKey::parse(GO_VERIFIER).unwrap();
    assert_eq!(verifier, signer.verifier());
    assert_eq!(verify(&note, &verifier).unwrap(), GO_TEXT);
    // The doubly signed example: EnochRoot's signature is from an unknown key.
    let doubly = format!("{GO_TEXT}\n{GO_SIGNATURE}{GO_SECOND_SIGNATURE}");
    assert_eq!(verify(&doubly, &verifier).unwrap(), GO_TEXT);
    let tampered = note.replacen("cryptography", "cryptographY", 1);
    assert!(matches!(
        verify(&tampered, &verifier),
        Err(NoteError::InvalidSignature { .. })
    ));
}

#[test]
fn round_trip_and_failures() {
    let signer = test_signer(7, "sinergi/audit");
    let verifier = signer.verifier();
    let text = "line one\n\nline three after an empty line\n";
    let note = signer.sign(text).unwrap();
    assert_eq!(verify(&note, &verifier).unwrap(), text);

    // A different key of the same name: its key hash differs, so the signature
    // line is from an unknown key.
    let other = test_signer(8, "sinergi/audit").verifier();
    assert_eq!(
        verify(&note, &other),
        Err(NoteError::NotSigned {
            name: "sinergi/audit".into(),
            key_hash: other.key_hash()
        })
    );
    // Same key, another name.
    let renamed = VerifierKey::new("sinergi/other", *verifier.public_key()).unwrap();
    assert!(matches!(
        verify(&note, &renamed),
        Err(NoteError::NotSigned { .. })
    ));
    // Altered text.
    let altered = note.replacen("one", "One", 1);
    assert!(matches!(
        verify(&altered, &verifier),
        Err(NoteError::InvalidSignature { .. })
    ));
    // Altered signature: flip one bit of the signature bytes (not the key hash).
    let line_start = note.rfind(SIGNATURE_PREFIX).unwrap();
    let (head, line) = note.split_at(line_start);
    let encoded = line.trim_end().rsplit(' ').next().unwrap();
    let mut blob = STANDARD.decode(encoded).unwrap();
    blob[40] ^= 0x01;
    let forged = format!(
        "{head}{SIGNATURE_PREFIX}sinergi/audit {}\n",
        STANDARD.encode(&blob)
    );
    assert!(matches!(
        verify(&forged, &verifier),
        Err(NoteError::InvalidSignature { .. })
    ));
    // A truncated signature of the right key is invalid, not ignored.
    blob.truncate(40);
    let short = format!(
        "{head}{SIGNATURE_PREFIX}sinergi/audit {}\n",
        STANDARD.encode(&blob)
    );
    assert!(matches!(
        verify(&short, &verifier),
        Err(NoteError::InvalidSignature { .. })
    ));
    // A second, bad line of the right key makes the note invalid.
    let twice = format!("{note}{}", &forged[line_start..]);
    assert!(matches!(
        verify(&twice, &verifier),
        Err(NoteError::InvalidSignature { .. })
    ));
    // A co-signature by another key is ignored.
    let cosigned = format!(
        "{note}{}",
        &test_signer(9, "witness").sign(text).unwrap()[text.len() + 1..]
    );
    assert_eq!(verify(&cosigned, &verifier).unwrap(), text);
}

#[test]
fn malformed_notes() {
    let signer = test_signer(7, "sinergi/audit");
    let verifier = signer.verifier();
    let note = signer.sign("hello\n").unwrap();
    for bad in [
        note.trim_end().to_owned(),                   // no final newline
        note.replace("\n\n", "\n"),                   // no blank line
        note.replace('\u{2014}', "-"),                // ASCII dash
        note.replace("\u{2014} ", "\u{2014}"),        // no space after the dash
        note.replace("audit ", "audit  "),            // double space
        format!("{note}\n"),                          // trailing empty line
        format!("{note}not a signature\n"),           // junk line
        note.replace("hello", "hel\rlo"),             // control character
        note.replace("hello", "hel\tlo"),             // tab
        format!("{note}\u{2014} other AAAA\n"),       // signature too short
        format!("{note}\u{2014} other !!!!!!!!\n"),   // not base64
        format!("{note}\u{2014} a+b AAAAAAAAAAA=\n"), // invalid name
    ] {
        assert!(verify(&bad, &verifier).is_err(), "accepted {bad:?}");
    }
    let line = &note["hello\n\n".len()..];
    let many = format!("hello\n\n{}", line.repeat(MAX_SIGNATURES + 1));
    assert_eq!(
        verify(&many, &verifier),
        Err(NoteError::Malformed("too many signatures"))
    );
    let enough = format!("hello\n\n{}", line.repeat(16));
    assert!(verify(&enough, &verifier).is_ok());
}

#[test]
fn signing_rejects_bad_input() {
    let key = SigningKey::from_bytes(&[1; 32]);
    assert_eq!(
        sign("no newline", "n", &key),
        Err(NoteError::UnterminatedText)
    );
    assert_eq!(sign("", "n", &key), Err(NoteError::UnterminatedText));
    assert_eq!(
        sign("bell\u{7}\n", "n", &key),
        Err(NoteError::ControlCharacter)
    );
    for name in ["", "a b", "a+b", "a\u{a0}b", "tab\t"] {
        assert_eq!(
            sign("x\n", name, &key),
            Err(NoteError::InvalidName(name.into()))
        );
    }
}

#[test]
fn verifier_key_parsing() {
    let good = VerifierKey::parse(GO_VERIFIER).unwrap();
    assert_eq!(good.name(), "PeterNeumann");
    assert_eq!(good.key_hash(), 0xc74f20a3);
    assert_eq!(GO_VERIFIER.parse::<VerifierKey>().unwrap(), good);

    let (name, rest) = GO_VERIFIER.split_once('+').unwrap();
    let (_, data) = rest.split_once('+').unwrap();
    let cases: Vec<(String, NoteKeyError)> = vec![
        (
            "".into(),
            NoteKeyError::Format("<name>+<8 hex digits>+<base64 key>"),
        ),
        (
            "PeterNeumann".into(),
            NoteKeyError::Format("<name>+<8 hex digits>+<base64 key>"),
        ),
        (
            format!("+c74f20a3+{data}"),
            NoteKeyError::Name(String::new()),
        ),
        (
            format!("Peter Neumann+c74f20a3+{data}"),
            NoteKeyError::Name("Peter Neumann".into()),
        ),
        (
            format!("{name}+C74F20A3+{data}"),
            NoteKeyError::Hash("C74F20A3".into()),
        ),
        (
            format!("{name}+c74f20a+{data}"),
            NoteKeyError::Hash("c74f20a".into()),
        ),
        (
            format!("{name}+0xc74f20a+{data}"),
            NoteKeyError::Hash("0xc74f20a".into()),
        ),
        (
            format!("{name}+c74f20a4+{data}"),
            NoteKeyError::HashMismatch {
                expected: 0xc74f20a3,
                found: 0xc74f20a4,
            },
        ),
        (format!("{name}+c74f20a3+{data}="), NoteKeyError::Base64),
        (
            format!("{name}+c74f20a3+{}", &data[..data.len() - 1]),
            NoteKeyError::Base64,
        ),
        (format!("{GO_VERIFIER}\n"), NoteKeyError::Base64),
        (
            format!(" {GO_VERIFIER}"),
            NoteKeyError::Name(" PeterNeumann".into()),
        ),
        (format!("{name}+c74f20a3+"), NoteKeyError::Length(0)),
        (
            format!("{name}+c74f20a3+{}", STANDARD.encode([2u8; 33])),
            NoteKeyError::Algorithm(2),
        ),
        (
            format!("{name}+c74f20a3+{}", STANDARD.encode([1u8; 32])),
            NoteKeyError::Length(31),
        ),
    ];
    for (encoded, expected) in cases {
        assert_eq!(VerifierKey::parse(&encoded), Err(expected), "{encoded:?}");
    }
    // The identity point is a weak key.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = VerifyingKey::from_bytes(&identity).unwrap();
    assert_eq!(
        VerifierKey::new("n", weak),
        Err(NoteKeyError::InvalidPublicKey)
    );
    let mut data = vec![ALG_ED25519];
    data.extend_from_slice(&identity);
    let encoded = format!("n+00000000+{}", STANDARD.encode(&data));
    assert_eq!(
        VerifierKey::parse(&encoded),
        Err(NoteKeyError::InvalidPublicKey)
    );
}

#[test]
fn signer_key_parsing_and_debug() {
    assert!(SignerKey::parse(GO_VERIFIER).is_err());
    assert!(matches!(
        SignerKey::parse(&GO_SIGNER.replace("c74f20a3", "c74f20a4")),
        Err(NoteKeyError::HashMismatch { .. })
    ));
    let signer = SignerKey::parse(GO_SIGNER).unwrap();
    let debug = format!("{signer:?}");
    assert!(debug.contains("PeterNeumann") && !debug.contains("AYEK"));
    let fresh = test_signer(3, "example.com/log");
    assert_eq!(
        SignerKey::parse(&fresh.to_secret_string())
            .unwrap()
            .verifier(),
        fresh.verifier()
    );
    assert_eq!(
        VerifierKey::parse(&fresh.verifier().to_string()).unwrap(),
        fresh.verifier()
    );
}
