//! C2SP `tlog-checkpoint` (<https://c2sp.org/tlog-checkpoint>): the signed tree head.
//!
//! The note text is the origin line, the tree size in decimal (no leading zeros), the
//! root hash in standard padded base64, then optional non-empty extension lines, each
//! line ending in `\n`:
//!
//! ```text
//! sinergi/audit
//! 20852163
//! CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//! ```
//!
//! The checkpoint is signed as a [`note`] whose key name is the origin
//! (the spec's recommendation, and what [`open`] relies on to tie a key to a log).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::SigningKey;

use super::Hash;
use super::note::{self, NoteError, VerifierKey};

/// A tree head: the log's origin, its size and its root hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, e.g. `sinergi/audit`.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The RFC 9162 tree head over those leaves.
    pub root: Hash,
    /// Extension lines, without their newlines. Usually none.
    pub extensions: Vec<String>,
}

/// Why a checkpoint text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The text does not end with a newline.
    #[error("the checkpoint does not end with a newline")]
    Unterminated,
    /// Fewer than three lines.
    #[error("the checkpoint has fewer than three lines")]
    TooFewLines,
    /// The origin line is empty.
    #[error("the checkpoint origin is empty")]
    EmptyOrigin,
    /// The size line is not a decimal number without leading zeros that fits in 64 bits.
    #[error("the checkpoint tree size {0:?} is not a decimal number without leading zeros")]
    Size(String),
    /// The root line is not the padded standard base64 of 32 bytes.
    #[error("the checkpoint root hash {0:?} is not the base64 of 32 bytes")]
    Root(String),
    /// An extension line is empty.
    #[error("checkpoint extension line {0} is empty")]
    EmptyExtension(usize),
    /// A line holds a control character.
    #[error("the checkpoint contains a control character")]
    ControlCharacter,
}

/// Why a checkpoint could not be signed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The signed note is malformed or its signature does not verify.
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The signed text is not a valid checkpoint.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The checkpoint to sign has a field that its text cannot hold (an empty
    /// extension line, or a newline inside a line), so it would not parse back.
    #[error("the checkpoint cannot be written as a checkpoint text: {0}")]
    Unrepresentable(String),
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text: origin, size, root and extension lines, each ending in `\n`.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parses a checkpoint text, strictly: every line newline-terminated, a non-empty
    /// origin, a canonical decimal size, a canonical base64 root of 32 bytes, no
    /// empty extension lines and no control characters.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let body = text.strip_suffix('\n').ok_or(ParseError::Unterminated)?;
        if body.bytes().any(|b| b < 0x20 && b != b'\n') {
            return Err(ParseError::ControlCharacter);
        }
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(ParseError::TooFewLines);
        };
        if origin.is_empty() {
            return Err(ParseError::EmptyOrigin);
        }
        let size_error = || ParseError::Size(size.to_owned());
        let canonical = size == "0"
            || (!size.starts_with('0')
                && !size.is_empty()
                && size.bytes().all(|b| b.is_ascii_digit()));
        if !canonical {
            return Err(size_error());
        }
        let size = size.parse::<u64>().map_err(|_| size_error())?;
        let root = STANDARD
            .decode(root)
            .ok()
            .and_then(|bytes| Hash::try_from(bytes).ok())
            .ok_or_else(|| ParseError::Root(root.to_owned()))?;
        let mut extensions = Vec::new();
        for (number, line) in lines.enumerate() {
            if line.is_empty() {
                return Err(ParseError::EmptyExtension(number + 1));
            }
            extensions.push(line.to_owned());
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }
}

/// Signs `checkpoint` as a note under the key name `checkpoint.origin`.
///
/// Fails when the origin is not a valid key name or the checkpoint would not parse
/// back to itself (an extension line that is empty or holds a newline).
pub fn sign(checkpoint: &Checkpoint, signing_key: &SigningKey) -> Result<String, CheckpointError> {
    let text = checkpoint.to_text();
    match Checkpoint::parse(&text) {
        Ok(parsed) if parsed == *checkpoint => {}
        Ok(_) => {
            return Err(CheckpointError::Unrepresentable(
                "a line contains a newline".into(),
            ));
        }
        Err(error) => return Err(CheckpointError::Unrepresentable(error.to_string())),
    }
    Ok(note::sign(&text, &checkpoint.origin, signing_key)?)
}

/// Verifies a signed checkpoint against `key` and parses it. The origin is returned
/// as signed; comparing it with the expected origin is the caller's business.
pub fn open(signed: &str, key: &VerifierKey) -> Result<Checkpoint, CheckpointError> {
    Ok(Checkpoint::parse(&note::verify(signed, key)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::merkle;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[5; 32])
    }

    fn verifier(name: &str) -> VerifierKey {
        VerifierKey::new(name, key().verifying_key()).unwrap()
    }

    #[test]
    fn text_format() {
        let checkpoint = Checkpoint::new("sinergi/audit", 0, merkle::EMPTY_ROOT);
        assert_eq!(
            checkpoint.to_text(),
            "sinergi/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
        );
        assert_eq!(
            Checkpoint::parse(&checkpoint.to_text()).unwrap(),
            checkpoint
        );
        let mut with_extension = Checkpoint::new("example.com/log", 20852163, [7; 32]);
        with_extension.extensions = vec!["time 1700000000".into(), "x".into()];
        assert_eq!(
            Checkpoint::parse(&with_extension.to_text()).unwrap(),
            with_extension
        );
    }

    #[test]
    fn spec_example_parses() {
        let parsed = Checkpoint::parse(
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        )
        .unwrap();
        assert_eq!(parsed.origin, "example.com/behind-the-sofa");
        assert_eq!(parsed.size, 20852163);
        assert!(parsed.extensions.is_empty());
    }

    #[test]
    fn strict_parsing() {
        let root = STANDARD.encode([7u8; 32]);
        let cases = [
            (format!("o\n1\n{root}"), ParseError::Unterminated),
            ("o\n1\n".to_owned(), ParseError::TooFewLines),
            (format!("\n1\n{root}\n"), ParseError::EmptyOrigin),
            (format!("o\n01\n{root}\n"), ParseError::Size("01".into())),
            (format!("o\n+1\n{root}\n"), ParseError::Size("+1".into())),
            (format!("o\n1 \n{root}\n"), ParseError::Size("1 ".into())),
            (format!("o\n\n{root}\n"), ParseError::Size(String::new())),
            (
                format!("o\n18446744073709551616\n{root}\n"),
                ParseError::Size("18446744073709551616".into()),
            ),
            (
                format!("o\n1\n{}\n", root.trim_end_matches('=')),
                ParseError::Root(root.trim_end_matches('=').into()),
            ),
            (
                format!("o\n1\n{}\n", STANDARD.encode([7u8; 31])),
                ParseError::Root(STANDARD.encode([7u8; 31])),
            ),
            (format!("o\n1\n{root}\n\n"), ParseError::EmptyExtension(1)),
            (format!("o\n1\n{root}\r\n"), ParseError::ControlCharacter),
        ];
        for (text, expected) in cases {
            assert_eq!(Checkpoint::parse(&text), Err(expected), "{text:?}");
        }
        assert_eq!(
            Checkpoint::parse(&format!("o\n18446744073709551615\n{root}\n"))
                .unwrap()
                .size,
            u64::MAX
        );
    }

    #[test]
    fn sign_and_open() {
        let checkpoint = Checkpoint::new("sinergi/audit", 42, [9; 32]);
        let signed = sign(&checkpoint, &key()).unwrap();
        assert!(signed.starts_with(&checkpoint.to_text()));
        assert!(signed.contains("\n\n\u{2014} sinergi/audit "));
        assert_eq!(
            open(&signed, &verifier("sinergi/audit")).unwrap(),
            checkpoint
        );
        assert!(matches!(
            open(&signed, &verifier("sinergi/other")),
            Err(CheckpointError::Note(NoteError::NotSigned { .. }))
        ));
        let other = VerifierKey::new(
            "sinergi/audit",
            SigningKey::from_bytes(&[6; 32]).verifying_key(),
        )
        .unwrap();
        assert!(matches!(
            open(&signed, &other),
            Err(CheckpointError::Note(NoteError::NotSigned { .. }))
        ));
        let altered = signed.replacen("\n42\n", "\n43\n", 1);
        assert!(matches!(
            open(&altered, &verifier("sinergi/audit")),
            Err(CheckpointError::Note(NoteError::InvalidSignature { .. }))
        ));
        // A signed text that is not a checkpoint.
        let junk = note::sign("hello\n", "sinergi/audit", &key()).unwrap();
        assert_eq!(
            open(&junk, &verifier("sinergi/audit")),
            Err(CheckpointError::Parse(ParseError::TooFewLines))
        );
    }

    #[test]
    fn sign_rejects_what_would_not_parse_back() {
        let mut checkpoint = Checkpoint::new("sinergi audit", 1, [0; 32]);
        assert!(matches!(
            sign(&checkpoint, &key()),
            Err(CheckpointError::Note(NoteError::InvalidName(_)))
        ));
        checkpoint.origin = "sinergi/audit".into();
        checkpoint.extensions = vec![String::new()];
        assert!(sign(&checkpoint, &key()).is_err());
        checkpoint.extensions = vec!["a\nb".into()];
        assert!(sign(&checkpoint, &key()).is_err());
    }
}
