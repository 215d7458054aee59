//! The committed OpenAPI document is what the code produces, and every route is documented.

use sinergi::api::openapi;

#[test]
fn the_committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = openapi::to_json(&openapi::document());
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_has_a_summary_an_id_a_tag_and_described_responses() {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            assert!(op["summary"].is_string(), "{at} has no summary");
            assert!(op["operationId"].is_string(), "{at} has no operationId");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{at} has no tag"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{at} has no success"
            );
            for (status, response) in responses {
                let described = response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty())
                    || response["$ref"].is_string();
                assert!(described, "{at} {status} has no description");
            }
        }
    }
}

#[test]
fn every_operation_that_reads_the_database_documents_503_and_500() {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/v1/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            for status in ["500", "503"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{method} {path} does not document {status}"
                );
            }
        }
    }
}

/// Filters and bodies are validated with a 400 naming the field. Record ids in paths are
/// not: an id that is not a UUID names no record, which is a 404.
#[test]
fn every_filter_and_body_documents_400() {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let validated = op["parameters"].as_array().is_some_and(|params| {
                params.iter().any(|p| {
                    p["in"] == "query"
                        || (p["in"] == "path" && p["schema"]["format"] != "uuid")
                        || (p["in"] == "header" && p["name"] == "If-Match")
                })
            }) || op.get("requestBody").is_some();
            if validated {
                assert!(
                    op["responses"].get("400").is_some(),
                    "{method} {path} validates its input but does not document 400"
                );
            }
        }
    }
}

/// The audit recorder wraps every route but the liveness probe: each operation says that it
/// takes the purpose header, refuses a malformed one and may fail to be recorded.
#[test]
fn every_recorded_operation_takes_the_purpose_header_and_documents_400_and_503() {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let takes_purpose = op["parameters"].as_array().is_some_and(|params| {
                params
                    .iter()
                    .any(|p| p["$ref"] == "#/components/parameters/SinergiPurpose")
            });
            if path == "/healthz" {
                assert!(!takes_purpose, "the liveness probe is not recorded");
                continue;
            }
            assert!(
                takes_purpose,
                "{method} {path} does not take Sinergi-Purpose"
            );
            for status in ["400", "503"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{method} {path} does not document {status}"
                );
            }
        }
    }
}
