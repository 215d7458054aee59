//! Every problem with a JSON value, not only the first one serde meets.
//!
//! serde stops at the first error, so someone loading a messy export would fix one field
//! per round trip. Rather than a second, hand-kept copy of every type's rules, the value is
//! deserialised again after each error with the refused part set aside: an unknown member
//! is removed, a refused or missing one is replaced by the same part of a known-good
//! example (or, without one, an optional member is dropped). Each pass reports one more
//! field until the value deserialises or nothing more can be set aside. The rules checked
//! are exactly the types' own.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::field_error::{FieldError, field_error};

/// Most errors reported for one request; a longer list helps nobody and costs a pass each.
pub const MAX_ERRORS: usize = 100;

/// The entry that ends a list cut at [`MAX_ERRORS`], pointing at what was being checked.
pub fn cut_notice(pointer: &str) -> FieldError {
    FieldError::new(
        pointer,
        format!(
            "has more errors than are reported: at most {MAX_ERRORS} are listed per request; \
             fix these and send it again"
        ),
    )
}

/// What [`deserialize_all`] found.
pub struct Checked<T> {
    /// The value as sent when `errors` is empty. Otherwise, when every refused part could
    /// be set aside, the value with stand-ins at `replaced`: good only for checking the
    /// rules that span fields, never for storing.
    pub value: Option<T>,
    pub errors: Vec<FieldError>,
    /// Pointers (as sent, never answered) of the parts replaced by a stand-in.
    pub replaced: Vec<String>,
    /// Whether more errors were left unreported because `limit` was reached.
    pub cut: bool,
}

/// Deserialises `value`, reporting at most `limit` (at least one) of its errors with
/// pointers starting with `prefix`. `example` makes a valid value of `T` whose parts stand
/// in for refused or missing ones; it is called only once the value is found wanting.
pub fn deserialize_all<T: DeserializeOwned>(
    mut value: Value,
    prefix: &str,
    example: Option<fn() -> Value>,
    limit: usize,
) -> Checked<T> {
    let mut checked = Checked {
        value: None,
        errors: Vec::new(),
        replaced: Vec::new(),
        cut: false,
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut stand_ins: Option<Value> = None;
    loop {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => {
                checked.value = Some(t);
                return checked;
            }
            Err(e) => e,
        };
        if checked.errors.len() >= limit.max(1) {
            checked.cut = true;
            return checked;
        }
        let message = error.inner().to_string();
        let Some(steps) = steps(error.path()) else {
            checked
                .errors
                .push(field_error(prefix, error.path(), error.inner()));
            return checked;
        };
        // The same complaint twice means setting aside did not help, and a member dropped
        // for its value comes back as missing: either way, nothing more is learnt.
        let key = (raw_pointer(&steps), message.clone());
        let dropped_before = backticked(&message, "missing field `")
            .is_some_and(|field| removed.contains(&format!("{}/{field}", key.0)));
        if seen.contains(&key) || dropped_before {
            return checked;
        }
        seen.push(key);
        checked
            .errors
            .push(field_error(prefix, error.path(), error.inner()));
        if stand_ins.is_none() {
            stand_ins = example.map(|make| make());
        }
        match set_aside(&mut value, steps, &message, stand_ins.as_ref()) {
            Some(SetAside::Replaced(pointer)) => checked.replaced.push(pointer),
            Some(SetAside::Removed(pointer)) => removed.push(pointer),
            Some(SetAside::Unknown) => {}
            None => return checked,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path as steps into a JSON value, or `None` through an enum or an unknown segment.
fn steps(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    path.iter()
        .map(|segment| match segment {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

fn raw_pointer(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{k}"),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

enum SetAside {
    Replaced(String),
    Removed(String),
    Unknown,
}

/// Sets the part that `message` refused aside so that the next pass gets past it.
fn set_aside(
    value: &mut Value,
    mut steps: Vec<Step>,
    message: &str,
    example: Option<&Value>,
) -> Option<SetAside> {
    if let Some(field) = backticked(message, "missing field `") {
        steps.push(Step::Key(field.to_owned()));
        let stand_in = example.and_then(|e| part(e, &steps))?.clone();
        let Some(Value::Object(parent)) = part_mut(value, &steps[..steps.len() - 1]) else {
            return None;
        };
        parent.insert(field.to_owned(), stand_in);
        return Some(SetAside::Replaced(raw_pointer(&steps)));
    }
    let (last, parent_steps) = steps.split_last()?;
    if message.starts_with("unknown field `") {
        let Value::Object(members) = part_mut(value, parent_steps)? else {
            return None;
        };
        let Step::Key(key) = last else { return None };
        members.remove(key);
        return Some(SetAside::Unknown);
    }
    let stand_in = example.and_then(|e| part(e, &steps)).cloned();
    let parent = part_mut(value, parent_steps)?;
    match (parent, last, stand_in) {
        (Value::Object(members), Step::Key(key), Some(stand_in)) => {
            members.insert(key.clone(), stand_in);
            Some(SetAside::Replaced(raw_pointer(&steps)))
        }
        // Without a stand-in a member can still be dropped: an optional one passes, a
        // required one comes back as missing and ends the passes.
        (Value::Object(members), Step::Key(key), None) => {
            members.remove(key);
            Some(SetAside::Removed(raw_pointer(&steps)))
        }
        // Removing an element would shift the pointers of those after it.
        (Value::Array(elements), Step::Index(i), Some(stand_in)) if *i < elements.len() => {
            elements[*i] = stand_in;
            Some(SetAside::Replaced(raw_pointer(&steps)))
        }
        _ => None,
    }
}

/// The name between `prefix` and the next backtick.
fn backticked<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// The example's part at `steps`; any element of an array stands in for its first.
fn part<'a>(example: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(example, |at, step| match (at, step) {
        (Value::Object(members), Step::Key(key)) => members.get(key),
        (Value::Array(elements), Step::Index(i)) => elements.get(*i).or_else(|| elements.first()),
        _ => None,
    })
}

fn part_mut<'a>(value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(value, |at, step| match (at, step) {
        (Value::Object(members), Step::Key(key)) => members.get_mut(key),
        (Value::Array(elements), Step::Index(i)) => elements.get_mut(*i),
        _ => None,
    })
}

/// Whether a rule spanning fields, checked on a value with stand-ins, may be reported:
/// not when it is about a replaced part, whose stand-in the client never sent.
pub fn concerns_none_of(replaced: &[String], pointer: &str, detail: &str) -> bool {
    replaced.iter().all(|r| {
        let name = r.rsplit('/').find(|s| s.parse::<usize>().is_err());
        pointer != r
            && !pointer.starts_with(&format!("{r}/"))
            && !detail.contains(r.as_str())
            && name.is_none_or(|n| !detail.contains(n))
    })
}

#[cfg(test)]
mod tests;
