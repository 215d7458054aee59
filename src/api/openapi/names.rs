//! The names the document defines: every property of a schema and every query or path
//! parameter. They are the server's own words, so an error may repeat them where it must
//! not repeat anything else a client chose (`domain::field_error::may_repeat_name`).

use serde_json::Value;
use utoipa::openapi::OpenApi;

pub fn of(doc: &OpenApi) -> Vec<String> {
    let value = serde_json::to_value(doc).expect("the document serialises");
    let mut names = Vec::new();
    collect(&value, &mut names);
    names.sort();
    names.dedup();
    names
}

fn collect(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                names.extend(properties.keys().cloned());
            }
            if let (Some(Value::String(name)), Some(Value::String(place))) =
                (map.get("name"), map.get("in"))
                && matches!(place.as_str(), "query" | "path")
            {
                names.push(name.clone());
            }
            map.values().for_each(|v| collect(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
        _ => {}
    }
}

/// Teaches `domain::field_error` the document's names, once per test process, for the unit
/// tests of what errors repeat.
#[cfg(test)]
pub(crate) fn learn() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        crate::domain::field_error::learn_schema_names(of(&super::document()));
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_documents_field_and_parameter_names_are_found() {
        let names = super::of(&super::super::document());
        for name in [
            "head_nik",
            "member_niks",
            "program",
            "include_retracted",
            "id",
        ] {
            assert!(names.iter().any(|n| n == name), "{name}: {names:?}");
        }
        // Header parameters are not names a body or query could hold.
        assert!(!names.iter().any(|n| n == "Sinergi-Purpose"));
    }
}
