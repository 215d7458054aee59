//! The guard a future endpoint cannot forget: every operation in the OpenAPI document is
//! called without a token, with a bad token, with a token lacking its scopes and, where it
//! needs several scopes together, with a token lacking any one of them, and must refuse
//! exactly as its `security` requirement says. Nothing under `/v1` may be public.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::common::answer::answer;
use crate::common::problem::assert_problem;
use crate::common::{Backend, TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use sinergi::auth::clients::{self, Credential};
use sinergi::auth::scope::{Scope, ScopeSet};
use sinergi::domain::code::AgencyCode;

/// The operations that answer without a token. A new public operation must be added here
/// on purpose; everything else needs a token.
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/openapi.json"),
    ("POST", "/oauth/token"),
    ("GET", "/.well-known/jwks.json"),
];

/// The token endpoint is public, but authenticates clients itself (OAuth's error format).
const TOKEN_ENDPOINT: &str = "/oauth/token";

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What an operation is sent as its request body.
#[derive(Debug, Clone)]
enum Body {
    None,
    /// `{}` as `application/json`.
    EmptyJson,
    /// An empty `application/x-www-form-urlencoded` form.
    EmptyForm,
    /// An empty body with the documented content type.
    Empty(String),
}

/// One documented operation, ready to be called.
#[derive(Debug, Clone)]
struct Operation {
    method: Method,
    template: String,
    /// The path with every path parameter (and required query parameter) filled in.
    target: String,
    body: Body,
    /// `None` when the operation is public; otherwise its requirements, of which any one
    /// suffices, each the scopes needed together (an empty one: any valid token will do).
    requirements: Option<Vec<BTreeSet<String>>>,
}

impl Operation {
    fn label(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    /// Every scope any of its requirements names; `None` when it is public.
    fn scopes(&self) -> Option<BTreeSet<String>> {
        self.requirements
            .as_ref()
            .map(|requirements| requirements.iter().flatten().cloned().collect())
    }
}

fn document() -> Value {
    serde_json::to_value(sinergi::api::openapi::document()).expect("the document serialises")
}

/// Follows a local `$ref` (`#/components/parameters/x`) once, if there is one.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {reference}")),
        None => value,
    }
}

/// A plausible value for a parameter: its example, its schema's example, else "X".
fn plausible_value(param: &Value) -> String {
    let example = param
        .get("example")
        .or_else(|| param.pointer("/schema/example"))
        .or_else(|| {
            param
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|examples| examples.values().next())
                .and_then(|example| example.get("value"))
        });
    match example {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "X".into(),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The requirements of a `security` list, each the set of scopes it needs together, or
/// `None` when it allows anonymous callers (no requirement at all, or an empty requirement
/// object among the alternatives).
fn required_scopes(security: Option<&Value>) -> Option<Vec<BTreeSet<String>>> {
    let requirements = security?.as_array().expect("security is a list");
    if requirements.is_empty() {
        return None;
    }
    let mut alternatives = Vec::new();
    for requirement in requirements {
        let requirement = requirement.as_object().expect("a security requirement");
        if requirement.is_empty() {
            return None;
        }
        let mut scopes = BTreeSet::new();
        for names in requirement.values() {
            for name in names.as_array().expect("a list of scopes") {
                scopes.insert(name.as_str().expect("a scope name").to_owned());
            }
        }
        alternatives.push(scopes);
    }
    Some(alternatives)
}

/// Every operation of the document (paths × methods), with its parameters filled in.
fn operations(doc: &Value) -> Vec<Operation> {
    let global_security = doc.get("security");
    let mut found = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let shared_params = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in HTTP_METHODS {
            let Some(op) = item.get(method) else { continue };
            let params = shared_params
                .iter()
                .chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .map(|p| resolve(doc, p));
            let mut target = template.clone();
            let mut query = Vec::new();
            for param in params {
                let name = param["name"].as_str().expect("a parameter name");
                let value = encode(&plausible_value(param));
                match param["in"].as_str() {
                    Some("path") => target = target.replace(&format!("{{{name}}}"), &value),
                    Some("query") if param["required"] == true => {
                        query.push(format!("{}={value}", encode(name)));
                    }
                    _ => {}
                }
            }
            assert!(
                !target.contains('{'),
                "{} {template} has a path parameter it does not document: {target}",
                method.to_uppercase()
            );
            if !query.is_empty() {
                target = format!("{target}?{}", query.join("&"));
            }
            let body = match op.get("requestBody").map(|b| resolve(doc, b)) {
                None => Body::None,
                Some(body) => {
                    let types: Vec<&String> = body
                        .get("content")
                        .and_then(Value::as_object)
                        .map(|c| c.keys().collect())
                        .unwrap_or_default();
                    if types.iter().any(|t| t.contains("json")) {
                        Body::EmptyJson
                    } else if types
                        .iter()
                        .any(|t| t.as_str() == "application/x-www-form-urlencoded")
                    {
                        Body::EmptyForm
                    } else if let Some(first) = types.first() {
                        Body::Empty((*first).clone())
                    } else {
                        Body::None
                    }
                }
            };
            found.push(Operation {
                method: Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                template: template.clone(),
                target,
                body,
                requirements: required_scopes(op.get("security").or(global_security)),
            });
        }
    }
    found
}

async fn call(app: &TestApp, op: &Operation, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.request(op.method.clone(), app.url(&op.target));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match &op.body {
        Body::None => request,
        Body::EmptyJson => request
            .header("content-type", "application/json")
            .body("{}"),
        Body::EmptyForm => request.form::<[(&str, &str)]>(&[]),
        Body::Empty(content_type) => request.header("content-type", content_type.as_str()),
    };
    request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", op.label()))
}

fn www_authenticate(res: &reqwest::Response) -> String {
    res.headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Checks a 401 or 403 problem and returns its `WWW-Authenticate` header.
async fn refused(res: reqwest::Response, status: u16, label: &str, why: &str) -> String {
    let challenge = www_authenticate(&res);
    assert_problem(&answer(res).await, status, &format!("{label} {why}"));
    assert!(challenge.contains("Bearer"), "{label} {why}: {challenge:?}");
    challenge
}

/// A token that looks like the exchange's own (EdDSA, a `kid`, every claim) but is signed
/// by no key the exchange knows.
fn forged_token() -> String {
    let now = chrono::Utc::now().timestamp();
    let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.{}",
        part(json!({"alg": "EdDSA", "typ": "JWT", "kid": "00000000deadbeef"})),
        part(json!({
            "iss": "sinergi", "aud": "sinergi-api", "sub": "demo-admin", "agency": "KEMENKOPM",
            "scope": "admin", "iat": now, "nbf": now, "exp": now + 600, "jti": "forged",
        })),
        URL_SAFE_NO_PAD.encode([7u8; 64]),
    )
}

/// A scope that none of `required` is: audit:read, or changes:read when audit:read is
/// required, or else the first that is not.
fn scope_outside(required: &BTreeSet<String>) -> Scope {
    [Scope::AuditRead, Scope::ChangesRead]
        .into_iter()
        .chain(Scope::ALL)
        .find(|s| !required.contains(s.as_str()))
        .unwrap_or_else(|| panic!("{required:?} names every scope; no token can lack them"))
}

/// A token of a fresh client that holds exactly `scopes`, made once per set.
async fn token_holding(
    app: &TestApp,
    tokens: &mut HashMap<BTreeSet<Scope>, String>,
    scopes: BTreeSet<Scope>,
) -> String {
    if let Some(token) = tokens.get(&scopes) {
        return token.clone();
    }
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    let names = names.join(" ");
    let created = clients::create(
        &mut app.db.connect(),
        AgencyCode::parse("KEMENKOPM").unwrap(),
        format!("Authorization walk client holding only {names}"),
        ScopeSet::from_scopes(scopes.iter().copied()).unwrap(),
        Credential::Secret,
    )
    .expect("create a client");
    let secret = created.client_secret.expect("a secret-based client");
    let res = app
        .request_token(&created.client.client_id, &secret, None)
        .await;
    assert_eq!(res.status(), 200, "token for a client holding {names}");
    let body: Value = res.json().await.unwrap();
    let granted: BTreeSet<&str> = body["scope"].as_str().unwrap().split(' ').collect();
    assert_eq!(granted, names.split(' ').collect());
    let token = body["access_token"].as_str().unwrap().to_owned();
    tokens.insert(scopes, token.clone());
    token
}

/// Checks that a token lacking `missing` was refused with 403 `insufficient_scope` naming
/// it; answers what went wrong otherwise.
async fn refused_for_lacking(
    res: reqwest::Response,
    label: &str,
    missing: &str,
    held: &str,
) -> Option<String> {
    let status = res.status().as_u16();
    let challenge = www_authenticate(&res);
    let body = res.text().await.unwrap_or_default();
    let names_it = challenge.contains(&format!("scope=\"{missing}\""));
    (status != 403 || !challenge.contains("insufficient_scope") || !names_it).then(|| {
        format!(
            "{label} needs {missing} too; a token with only {held} got {status} \
             (WWW-Authenticate {challenge:?}): {body}"
        )
    })
}

#[test]
fn no_operation_under_v1_is_public_and_only_the_known_ones_are() {
    let doc = document();
    let ops = operations(&doc);
    assert!(ops.len() > 10, "only {} operations documented", ops.len());
    for op in &ops {
        let public = PUBLIC
            .iter()
            .any(|(m, p)| op.method.as_str() == *m && op.template == *p);
        if op.template.starts_with("/v1/") {
            assert!(op.requirements.is_some(), "{} is public", op.label());
        }
        assert_eq!(
            op.requirements.is_none(),
            public,
            "{}: documented {} but listed {}",
            op.label(),
            if op.requirements.is_none() {
                "public"
            } else {
                "protected"
            },
            if public { "public" } else { "protected" },
        );
    }
    for (method, path) in PUBLIC {
        assert!(
            ops.iter()
                .any(|op| op.method.as_str() == *method && op.template == *path),
            "{method} {path} is no longer documented; update PUBLIC"
        );
    }
}

#[test]
fn every_required_scope_is_a_known_scope_declared_by_the_oauth2_scheme() {
    let doc = document();
    let flow = &doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"];
    assert_eq!(flow["tokenUrl"], TOKEN_ENDPOINT, "{flow}");
    let declared = flow["scopes"].as_object().expect("declared scopes");
    for scope in Scope::ALL {
        assert!(declared.contains_key(scope.as_str()), "{scope} undeclared");
    }
    for op in operations(&doc) {
        for scope in op.scopes().iter().flatten() {
            assert!(Scope::parse(scope).is_some(), "{}: {scope}", op.label());
            assert!(declared.contains_key(scope), "{}: {scope}", op.label());
        }
    }
    // Only the oauth2 scheme is used.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for requirement in op["security"].as_array().into_iter().flatten() {
                for scheme in requirement.as_object().unwrap().keys() {
                    assert_eq!(scheme, "oauth2", "{method} {path}");
                }
            }
        }
    }
}

both_backends! {
    async fn every_operation_refuses_callers_without_a_token_or_without_its_scopes(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let ops = operations(&document());
        let mut tokens: HashMap<BTreeSet<Scope>, String> = HashMap::new();
        let mut checked = Vec::new();
        let mut failures = Vec::new();

        for op in &ops {
            let label = op.label();
            let Some(required) = op.scopes() else {
                let res = call(&app, op, None).await;
                let status = res.status().as_u16();
                if op.template == TOKEN_ENDPOINT {
                    // Public, but the client must authenticate itself: an empty form is
                    // an OAuth error, never a Bearer challenge.
                    assert!(matches!(status, 400 | 401), "{label}: {status}");
                    assert!(!www_authenticate(&res).contains("Bearer"), "{label}");
                    let body: Value = res.json().await.expect("an OAuth error body");
                    assert!(body["error"].is_string(), "{label}: {body}");
                } else {
                    assert!(!matches!(status, 401 | 403), "{label} is public but: {status}");
                }
                checked.push(format!("{label} (public) -> {status}"));
                continue;
            };

            // (a) No token at all.
            refused(call(&app, op, None).await, 401, &label, "without a token").await;
            // …and a token that is not one.
            let challenge = refused(
                call(&app, op, Some("not.a.token")).await,
                401,
                &label,
                "with a malformed token",
            )
            .await;
            assert!(challenge.contains("invalid_token"), "{label}: {challenge}");
            // …and a well-formed token signed by a key the exchange never had. Its check
            // waits for a reload of the keys, which may happen at most once a second: wait,
            // so that an operation that reads its body first would show it.
            if !matches!(op.body, Body::None) {
                actix_web::rt::time::sleep(Duration::from_millis(1_100)).await;
            }
            let res = call(&app, op, Some(&forged_token())).await;
            let status = res.status().as_u16();
            let challenge = www_authenticate(&res);
            let body = res.text().await.unwrap_or_default();
            if status != 401 || !challenge.contains("invalid_token") {
                failures.push(format!(
                    "{label} with a token of an unknown key got {status} \
                     (WWW-Authenticate {challenge:?}): {body}"
                ));
            }

            // (b) A valid token of a client holding none of the required scopes.
            let outside = scope_outside(&required);
            let token = token_holding(&app, &mut tokens, BTreeSet::from([outside])).await;
            let res = call(&app, op, Some(&token)).await;
            let status = res.status().as_u16();
            if required.is_empty() {
                // Any valid token will do.
                let body = res.text().await.unwrap_or_default();
                if matches!(status, 401 | 403) {
                    failures.push(format!(
                        "{label} needs no scope, yet a token with {outside} got {status}: {body}"
                    ));
                }
                checked.push(format!("{label} (any token) -> 401 / {status} with {outside}"));
            } else {
                let challenge = www_authenticate(&res);
                let body = res.text().await.unwrap_or_default();
                let names_one = required.iter().any(|s| challenge.contains(&format!("\"{s}\"")));
                if status != 403 || !challenge.contains("insufficient_scope") || !names_one {
                    failures.push(format!(
                        "{label} needs {required:?}; a token with only {outside} got {status} \
                         (WWW-Authenticate {challenge:?}): {body}"
                    ));
                }
                checked.push(format!("{label} (needs {required:?}) -> 401 / {status} with {outside}"));
            }

            // (c) Scopes a requirement names together are each needed: a token holding all
            // of them but one is refused, naming the one it lacks (unless what it holds
            // meets another requirement of the operation).
            let requirements = op.requirements.as_ref().expect("a protected operation");
            for requirement in requirements.iter().filter(|r| r.len() > 1) {
                for missing in requirement {
                    let held: BTreeSet<String> =
                        requirement.iter().filter(|s| *s != missing).cloned().collect();
                    if requirements.iter().any(|other| other.is_subset(&held)) {
                        continue;
                    }
                    let scopes = held.iter().map(|s| Scope::parse(s).expect("a scope")).collect();
                    let token = token_holding(&app, &mut tokens, scopes).await;
                    let res = call(&app, op, Some(&token)).await;
                    let named = held.iter().cloned().collect::<Vec<_>>().join(" ");
                    if let Some(failure) = refused_for_lacking(res, &label, missing, &named).await {
                        failures.push(failure);
                    }
                    checked.push(format!("{label} (needs {missing} too) -> 403 with {named}"));
                }
            }
        }

        // Last, as it may change data: the admin token holds every scope and is let through.
        for op in ops.iter().filter(|op| op.requirements.is_some()) {
            let status = call(&app, op, Some(&app.admin_token)).await.status().as_u16();
            if matches!(status, 401 | 403) {
                failures.push(format!("{} refused a token with every scope: {status}", op.label()));
            }
        }

        println!("{backend:?}: checked {} operations:", checked.len());
        for line in &checked {
            println!("  {line}");
        }
        assert!(checked.len() > 10, "only {} operations checked", checked.len());
        assert!(failures.is_empty(), "{backend:?}:\n{}", failures.join("\n"));
    }
}
