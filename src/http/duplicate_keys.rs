//! Finds a key repeated within one JSON object. serde_json keeps the last of two equal keys
//! without a word, so `{"program": "SEMBAKO", "program": "PKH"}` would publish to PKH; a
//! body that says two things at once is refused instead, naming the key.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// The first key repeated within one object. Malformed JSON reports none: the parse that
/// follows says what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The JSON pointer of the repeated key; of the object holding it when `named` is false.
    pub pointer: String,
    /// Whether the pointer names the key itself. A key (or a key on the way to it) that
    /// could be personal data is not repeated (`domain::field_error::may_repeat_name`).
    pub named: bool,
}

impl Duplicate {
    /// What an answer says about the key at [`pointer`](Self::pointer).
    pub fn detail(&self) -> &'static str {
        if self.named {
            "appears twice in one object; send each key once"
        } else {
            "holds a key twice (the key is not repeated here); send each key once"
        }
    }
}

pub fn first_duplicate(bytes: &[u8]) -> Option<Duplicate> {
    let mut path = Vec::new();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = Walk {
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

struct Walk<'a> {
    /// The path so far; `None` for a member name that may not be repeated.
    path: &'a mut Vec<Option<String>>,
    found: &'a mut Option<Duplicate>,
}

fn duplicate_at(path: &[Option<String>]) -> Duplicate {
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Some(segment) => {
                pointer.push('/');
                pointer.push_str(segment);
            }
            None => {
                return Duplicate {
                    pointer,
                    named: false,
                };
            }
        }
    }
    Duplicate {
        pointer,
        named: true,
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            self.path.push(Some(index.to_string()));
            let more = seq.next_element_seed(Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            self.path
                .push(crate::domain::field_error::may_repeat_name(&key).then(|| key.clone()));
            if !seen.insert(key) {
                *self.found = Some(duplicate_at(self.path));
                return Err(de::Error::custom("duplicate key"));
            }
            map.next_value_seed(Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Duplicate, first_duplicate};

    fn named(pointer: &str) -> Option<Duplicate> {
        Some(Duplicate {
            pointer: pointer.into(),
            named: true,
        })
    }

    #[test]
    fn finds_the_first_repeated_key_anywhere() {
        crate::api::openapi::names::learn();
        assert_eq!(first_duplicate(br#"{"program":1,"kind":2}"#), None);
        assert_eq!(
            first_duplicate(br#"{"program":1,"program":2}"#),
            named("/program")
        );
        assert_eq!(
            first_duplicate(br#"{"items":[{"kk":1},{"kk":1,"household":[{"kk":1,"kk":2}]}]}"#),
            named("/items/1/household/0/kk")
        );
        // Equal keys in different objects are fine; so is malformed JSON (reported elsewhere).
        assert_eq!(first_duplicate(br#"[{"kk":1},{"kk":1}]"#), None);
        assert_eq!(first_duplicate(br#"{"kk":1,"#), None);
        // An escaped key equal to a plain one is the same key.
        assert_eq!(first_duplicate(br#"{"kk":1,"\u006bk":2}"#), named("/kk"));
    }

    #[test]
    fn a_key_the_schema_does_not_know_is_not_repeated() {
        crate::api::openapi::names::learn();
        let unnamed = |pointer: &str| {
            Some(Duplicate {
                pointer: pointer.into(),
                named: false,
            })
        };
        assert_eq!(
            first_duplicate(br#"{"attributes":{"3201011507850003":1,"3201011507850003":2}}"#),
            unnamed("/attributes")
        );
        assert_eq!(
            first_duplicate(br#"{"attributes":{"Siti_Rahayu":1,"Siti_Rahayu":2}}"#),
            unnamed("/attributes")
        );
        assert_eq!(first_duplicate(br#"{"a/b":{"~":1,"~":1}}"#), unnamed(""));
    }
}
