//! The Indonesian integration guide (`docs/id/PANDUAN-INTEGRASI.md`) keeps up with the API:
//! it names every endpoint and every problem type that README.md names, and every operation
//! of the committed OpenAPI document. It reads only files, so it needs no server or database.
//!
//! README writes endpoints as `METHOD /path`, sometimes with a query (`GET /v1/changes?after=`),
//! an optional part (`GET /v1/audit/checkpoint[?size=N]`) or an alternation of two resources
//! (`GET /v1/{graduations,enrollments}/{id}`); each is read as the plain paths it stands for.
//! Path parameters are compared exactly (`{id}` is not `{record_id}`). Problem types are
//! written in full (`urn:sinergi:problem:validation`) or, after a full one, as `` `…:slug` ``;
//! the guide must write each in full.

use std::collections::BTreeSet;

use regex::Regex;

const README: &str = "README.md";
const GUIDE: &str = "docs/id/PANDUAN-INTEGRASI.md";
const OPENAPI: &str = "openapi/openapi.json";
const PROBLEM_PREFIX: &str = "urn:sinergi:problem:";

fn read(relative: &str) -> String {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Every `METHOD /path` in `text`, as `METHOD /path` without query or optional parts, with
/// `{a,b}` alternations expanded.
fn endpoints(text: &str) -> BTreeSet<String> {
    let endpoint =
        Regex::new(r"\b(GET|POST|PUT|PATCH|DELETE) (/(?:[A-Za-z0-9_.~/-]|\{[A-Za-z0-9_,]+\})+)")
            .unwrap();
    let mut found = BTreeSet::new();
    for captures in endpoint.captures_iter(text) {
        // A path that ends a sentence: "… at `GET /v1/whoami`." has no dot, "GET /v1/whoami." has.
        let path = captures[2].trim_end_matches('.');
        for path in expand(path) {
            found.insert(format!("{} {path}", &captures[1]));
        }
    }
    found
}

/// `/v1/{graduations,enrollments}/{id}` as `/v1/graduations/{id}` and `/v1/enrollments/{id}`;
/// a brace without a comma is a path parameter and stays.
fn expand(path: &str) -> Vec<String> {
    let alternation = Regex::new(r"\{([A-Za-z0-9_]+(?:,[A-Za-z0-9_]+)+)\}").unwrap();
    let Some(captures) = alternation.captures(path) else {
        return vec![path.to_owned()];
    };
    let whole = captures.get(0).unwrap();
    let (before, after) = (&path[..whole.start()], &path[whole.end()..]);
    captures[1]
        .split(',')
        .flat_map(|choice| expand(&format!("{before}{choice}{after}")))
        .collect()
}

/// Every problem type in `text`, as its full URN. With `shorthand`, `` `…:slug` `` counts too
/// (README abbreviates a list of problem types that way after naming the first in full).
fn problem_types(text: &str, shorthand: bool) -> BTreeSet<String> {
    let slug = r"([a-z0-9]+(?:-[a-z0-9]+)*)";
    let full = Regex::new(&format!("{}{slug}", regex::escape(PROBLEM_PREFIX))).unwrap();
    let mut found: BTreeSet<String> = full
        .captures_iter(text)
        .map(|c| format!("{PROBLEM_PREFIX}{}", &c[1]))
        .collect();
    if shorthand {
        let short = Regex::new(&format!("`…:{slug}`")).unwrap();
        found.extend(
            short
                .captures_iter(text)
                .map(|c| format!("{PROBLEM_PREFIX}{}", &c[1])),
        );
    }
    found
}

/// What `wanted` holds that `have` does not, one per line.
fn missing(wanted: &BTreeSet<String>, have: &BTreeSet<String>) -> Vec<String> {
    wanted.difference(have).cloned().collect()
}

#[test]
fn the_extraction_reads_the_forms_the_readme_uses() {
    let text = "| `GET /v1/{graduations,enrollments}/{id}/history` | x |\n\
        `DELETE /v1/graduations/{id}?reason=…` and `GET /v1/audit/checkpoint[?size=N]`,\n\
        then GET /v1/whoami. Also `POST /oauth/token`, `GET /.well-known/jwks.json`, \
        `GET /docs/` and `GET /v1/households/{kk}/lineage?as_of=&known_at=`; \
        `POST …/batch` is no path.";
    let expected: BTreeSet<String> = [
        "GET /v1/graduations/{id}/history",
        "GET /v1/enrollments/{id}/history",
        "DELETE /v1/graduations/{id}",
        "GET /v1/audit/checkpoint",
        "GET /v1/whoami",
        "POST /oauth/token",
        "GET /.well-known/jwks.json",
        "GET /docs/",
        "GET /v1/households/{kk}/lineage",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(endpoints(text), expected);

    let text = "`urn:sinergi:problem:no-agreement`, `…:purpose-not-covered`, \
        `urn:sinergi:problem:validation` | 400 |";
    let expected: BTreeSet<String> = [
        "urn:sinergi:problem:no-agreement",
        "urn:sinergi:problem:purpose-not-covered",
        "urn:sinergi:problem:validation",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(problem_types(text, true), expected);
    assert_eq!(
        problem_types(text, false).len(),
        2,
        "the guide writes types in full"
    );
}

#[test]
fn the_guide_names_every_endpoint_the_readme_names() {
    let wanted = endpoints(&read(README));
    // A guard against an extraction that silently finds nothing.
    assert!(
        wanted.len() >= 40 && wanted.contains("POST /v1/graduations"),
        "README's endpoints were not found ({} of them): {wanted:?}",
        wanted.len()
    );
    let missing = missing(&wanted, &endpoints(&read(GUIDE)));
    assert!(
        missing.is_empty(),
        "{GUIDE} does not name {} of the {} endpoints README.md names (write each as \
         `METHOD /path`, exactly as README does):\n{}",
        missing.len(),
        wanted.len(),
        missing.join("\n")
    );
}

#[test]
fn the_guide_names_every_problem_type_the_readme_names() {
    let wanted = problem_types(&read(README), true);
    assert!(
        wanted.len() >= 15 && wanted.contains("urn:sinergi:problem:validation"),
        "README's problem types were not found ({} of them): {wanted:?}",
        wanted.len()
    );
    let missing = missing(&wanted, &problem_types(&read(GUIDE), false));
    assert!(
        missing.is_empty(),
        "{GUIDE} does not name {} of the {} problem types README.md names (write each \
         in full, `urn:sinergi:problem:…`):\n{}",
        missing.len(),
        wanted.len(),
        missing.join("\n")
    );
}

/// README abbreviates some endpoints (`…/suspend`, `/v1/admin/clients…`); the OpenAPI
/// document names each operation in full, so the guide is held to it as well.
#[test]
fn the_guide_names_every_operation_of_the_openapi_document() {
    let doc: serde_json::Value = serde_json::from_str(&read(OPENAPI)).unwrap();
    let mut wanted = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for method in item.as_object().expect("a path item is an object").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                wanted.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(
        wanted.len() >= 40,
        "the document's operations were not found: {wanted:?}"
    );
    let missing = missing(&wanted, &endpoints(&read(GUIDE)));
    assert!(
        missing.is_empty(),
        "{GUIDE} does not name {} of the {} operations of {OPENAPI}:\n{}",
        missing.len(),
        wanted.len(),
        missing.join("\n")
    );
}
