//! RFC 9457 problem details, checked the same way wherever a test expects one.

use serde_json::Value;

use super::answer::{Answer, answer};

/// Checks an RFC 9457 problem with `status`: its media type, a `type` of the service's own,
/// a `title` and a `detail`, its `status`, and an `instance` that is the answer's request
/// id. `what` names the request in failures.
pub fn assert_problem(a: &Answer, status: u16, what: &str) {
    assert_eq!(a.status, status, "{what}: {}", a.body);
    assert_eq!(
        a.header("content-type"),
        Some("application/problem+json"),
        "{what}: {}",
        a.body
    );
    assert!(
        a.body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("urn:sinergi:problem:")),
        "{what}: {}",
        a.body
    );
    assert!(
        a.body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: {}",
        a.body
    );
    assert_eq!(a.body["status"], status, "{what}: {}", a.body);
    assert!(
        a.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{what}: {}",
        a.body
    );
    let request_id = a
        .header("x-request-id")
        .unwrap_or_else(|| panic!("{what}: every answer carries X-Request-Id"));
    assert_eq!(a.body["instance"], request_id, "{what}: {}", a.body);
}

/// Reads `res` whole and checks it is a problem with `status` ([`assert_problem`]).
pub async fn problem(res: reqwest::Response, status: u16) -> Answer {
    let what = res.url().to_string();
    let a = answer(res).await;
    assert_problem(&a, status, &what);
    a
}

/// The pointers of a list of field errors, sorted; each error must explain itself.
pub fn pointers_of(errors: &Value) -> Vec<String> {
    sorted(
        errors
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {errors}"))
            .iter()
            .map(|e| {
                assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()), "{e}");
                e["pointer"].as_str().unwrap().to_owned()
            }),
    )
}

pub fn sorted(pointers: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = pointers.into_iter().collect();
    v.sort();
    v
}

/// A 400 validation problem naming exactly these pointers.
pub fn assert_invalid(a: &Answer, expected: &[&str], what: &str) {
    assert_problem(a, 400, what);
    assert_eq!(
        a.body["type"], "urn:sinergi:problem:validation",
        "{what}: {}",
        a.body
    );
    assert_eq!(
        pointers_of(&a.body["errors"]),
        sorted(expected.iter().map(|p| p.to_string())),
        "{what}: {}",
        a.body
    );
}
