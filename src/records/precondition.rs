//! Conditional requests (RFC 9110 §13): `If-Match` on writes, `If-None-Match` on reads.
//! A record's entity tag is its version in quotes, e.g. `"3"`.

/// A parsed `If-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `*`: the record must exist.
    Any,
    /// The record's current tag must be one of these strong tags.
    Tags(Vec<String>),
    /// Not `*` nor a list of entity tags: a condition that cannot hold, so the write is
    /// refused with 412 rather than done unconditionally.
    Unreadable,
}

impl Precondition {
    /// `header` is `None` when the value is not even visible ASCII.
    pub fn parse(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::Unreadable;
        };
        if header.trim() == "*" {
            return Self::Any;
        }
        match entity_tags(header) {
            // A weak tag never matches under the strong comparison If-Match requires.
            Some(tags) => Self::Tags(
                tags.into_iter()
                    .filter(|t| !t.weak)
                    .map(|t| t.opaque.to_owned())
                    .collect(),
            ),
            None => Self::Unreadable,
        }
    }

    /// Whether a write may go ahead given the record's current version (`None`: absent).
    pub fn check(&self, current: Option<i64>) -> Result<(), String> {
        if *self == Self::Unreadable {
            return Err("If-Match must be * or a list of entity tags such as \"3\"".into());
        }
        let Some(version) = current else {
            return Err("If-Match was sent but the record does not exist".into());
        };
        match self {
            Self::Any => Ok(()),
            Self::Tags(tags) if tags.iter().any(|t| *t == etag(version)) => Ok(()),
            Self::Tags(_) | Self::Unreadable => Err(format!(
                "the record has changed: its current ETag is {}",
                etag(version)
            )),
        }
    }
}

/// The entity tag of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Whether an `If-None-Match` header matches `current` (weak comparison), in which case a
/// GET answers 304. An unparsable header matches nothing, so the full answer is sent.
pub fn none_match(header: &str, current: &str) -> bool {
    header.trim() == "*"
        || entity_tags(header).is_some_and(|tags| tags.iter().any(|t| t.opaque == current))
}

struct EntityTag<'a> {
    weak: bool,
    /// With its quotes.
    opaque: &'a str,
}

fn entity_tags(header: &str) -> Option<Vec<EntityTag<'_>>> {
    header
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let (weak, opaque) = match t.strip_prefix("W/") {
                Some(rest) => (true, rest),
                None => (false, t),
            };
            let inner = opaque.strip_prefix('"')?.strip_suffix('"')?;
            let ok = inner
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b));
            ok.then_some(EntityTag { weak, opaque })
        })
        .collect::<Option<Vec<_>>>()
        .filter(|tags| !tags.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_compares_strongly() {
        let p = Precondition::parse(Some("\"2\", W/\"3\""));
        assert!(p.check(Some(2)).is_ok());
        assert!(p.check(Some(3)).is_err());
        assert!(p.check(None).is_err());
        assert!(Precondition::parse(Some("*")).check(Some(9)).is_ok());
        for unreadable in [Some("2"), Some(""), None] {
            assert_eq!(Precondition::parse(unreadable), Precondition::Unreadable);
            assert!(Precondition::parse(unreadable).check(Some(2)).is_err());
        }
    }

    #[test]
    fn if_none_match_compares_weakly() {
        assert!(none_match("W/\"4\"", "\"4\""));
        assert!(none_match("\"1\", \"4\"", "\"4\""));
        assert!(!none_match("\"5\"", "\"4\""));
        assert!(!none_match("garbage", "\"4\""));
        assert!(none_match("*", "\"4\""));
    }
}
