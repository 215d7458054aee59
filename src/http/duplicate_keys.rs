//! Finds a key repeated within one JSON object. serde_json keeps the last of two equal keys
//! without a word, so `{"program": "SEMBAKO", "program": "PKH"}` would publish to PKH; a
//! body that says two things at once is refused instead, naming the key.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// The JSON pointer of the first repeated key, if any. Malformed JSON reports none: the
/// parse that follows says what is wrong with it.
pub fn first_duplicate(bytes: &[u8]) -> Option<String> {
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
    path: &'a mut Vec<String>,
    found: &'a mut Option<String>,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
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
            self.path.push(index.to_string());
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
            self.path.push(escape(&key));
            if !seen.insert(key) {
                let pointer: String = self.path.iter().map(|s| format!("/{s}")).collect();
                *self.found = Some(pointer);
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
    use super::first_duplicate;

    #[test]
    fn finds_the_first_repeated_key_anywhere() {
        assert_eq!(first_duplicate(br#"{"a":1,"b":2}"#), None);
        assert_eq!(first_duplicate(br#"{"a":1,"a":2}"#), Some("/a".into()));
        assert_eq!(
            first_duplicate(br#"{"items":[{"x":1},{"x":1,"y":[{"z":1,"z":2}]}]}"#),
            Some("/items/1/y/0/z".into())
        );
        assert_eq!(
            first_duplicate(br#"{"a/b":{"~":1,"~":1}}"#),
            Some("/a~1b/~0".into())
        );
        // Equal keys in different objects are fine; so is malformed JSON (reported elsewhere).
        assert_eq!(first_duplicate(br#"[{"a":1},{"a":1}]"#), None);
        assert_eq!(first_duplicate(br#"{"a":1,"#), None);
        // An escaped key equal to a plain one is the same key.
        assert_eq!(first_duplicate(br#"{"a":1,"\u0061":2}"#), Some("/a".into()));
    }
}
