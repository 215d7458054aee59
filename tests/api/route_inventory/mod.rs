//! OWASP API9 (improper inventory): every route the server answers is in the OpenAPI
//! document, and every operation of the document is answered — established without taking
//! the server's route list from the document, which is generated from the same registration.
//!
//! Two independent views of what the server routes:
//!
//! * From the source (`source`): a strict scanner parses `src/` with `syn` for every way
//!   actix-web or utoipa-actix-web can register a route, resolves the handlers
//!   `api::configure` registers to their `#[get("…")]`-style attributes, and compares the
//!   result with the document. A registration form it does not know fails the test.
//! * From the outside: a running server is probed over raw HTTP/1.1 (so that paths such as
//!   `/v1/../x` reach it byte for byte) with every method on every documented path, and with
//!   paths an attacker would try. Whether a route answered is read from the answer (the
//!   fallback's 404 `no-route` problem and 405 differ from any handler's answer) and, for
//!   every probe, from the audit log, which records the route template the router matched
//!   (`null` when none did). What is expected is computed from the document and the short
//!   list of non-API routes below, never from the server.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Backend, TestApp, TestDb, spawn_with};
use futures_util::StreamExt;
use serde_json::Value;
use sinergi::http::recorder::UNRECORDED;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod source;

/// Routes the server deliberately answers outside the OpenAPI document. The source scan
/// checks that these are exactly the non-API registrations in `src/startup.rs`.
const OUTSIDE_DOCUMENT: &[NonApiRoute] = &[
    // A redirect to `/docs/`, so that the bare URL printed by the demo works.
    NonApiRoute {
        pattern: "/docs",
        methods: Some(&["GET", "HEAD"]),
    },
    // Swagger UI (`utoipa-swagger-ui`, assets vendored into the binary): a GET-only
    // resource over the whole `/docs/` tree; an asset it does not have is its own 404.
    NonApiRoute {
        pattern: "/docs/{_:.*}",
        methods: Some(&["GET", "HEAD"]),
    },
    // The console's pages for people (`console::configure`), one resource per path.
    console("/console/", GET),
    console("/console/masuk", GET_POST),
    console("/console/keluar", POST),
    console("/console/ringkasan", GET),
    console("/console/rujukan", GET),
    console("/console/operasional", GET),
    console("/console/operasional/klien/{id}/{action}", POST),
    console("/console/audit", GET),
    console("/console/audit/checkpoint", GET),
    console("/console/audit/public-key", GET),
    console("/console/audit/consistency", GET),
    console("/console/audit/jejak", POST),
    console("/console/aset/console.css", GET),
    console("/console/aset/audit.js", GET),
    console("/console/aset/favicon.svg", GET),
];

const GET: &[&str] = &["GET", "HEAD"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "HEAD", "POST"];

const fn console(pattern: &'static str, methods: &'static [&'static str]) -> NonApiRoute {
    NonApiRoute {
        pattern,
        methods: Some(methods),
    }
}

/// A route outside the document: its actix pattern and the methods it answers (`None`: all).
struct NonApiRoute {
    pattern: &'static str,
    methods: Option<&'static [&'static str]>,
}

/// Every method sent to every documented path: the standard ones, CONNECT, and one made up.
const METHODS: [&str; 10] = [
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "FROBNICATE",
];

/// Paths an attacker would try, and paths next to the documented ones. Each is sent as GET
/// and as POST; what it must get is worked out from the document and `OUTSIDE_DOCUMENT`.
const WORDLIST: &[&str] = &[
    // The usual suspects.
    "/",
    "*",
    "/admin",
    "/admin/",
    "/debug",
    "/debug/pprof",
    "/debug/vars",
    "/console",
    "/.env",
    "/.git/config",
    "/.git/HEAD",
    "/actuator",
    "/actuator/health",
    "/actuator/env",
    "/server-status",
    "/server-info",
    "/status",
    "/health",
    "/info",
    "/version",
    "/graphql",
    "/phpinfo.php",
    "/wp-login.php",
    "/robots.txt",
    "/favicon.ico",
    "/index.html",
    // Other API descriptions and UIs.
    "/swagger-ui",
    "/swagger-ui/",
    "/swagger-ui.html",
    "/swagger.json",
    "/swagger.yaml",
    "/api-docs",
    "/v2/api-docs",
    "/v3/api-docs",
    "/openapi",
    "/openapi.yaml",
    "/openapi.json/",
    "/redoc",
    "/rapidoc",
    "/scalar",
    // Versions and prefixes.
    "/api",
    "/api/v1/graduations",
    "/v0/graduations",
    "/v1",
    "/v1/",
    "/v1.1/graduations",
    "/v2",
    "/v2/graduations",
    "/v2/whoami",
    // Next to the operational endpoints.
    "/healthz/",
    "/readyz/",
    "/metrics/",
    "/metrics.json",
    "/v1/metrics",
    "/v1/health",
    "/v1/openapi.json",
    "/v1/debug",
    "/v1/internal",
    // OAuth and well-known neighbours.
    "/oauth",
    "/oauth/",
    "/oauth/authorize",
    "/oauth/introspect",
    "/oauth/revoke",
    "/oauth/token/",
    "/.well-known/",
    "/.well-known/jwks.json/",
    "/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server",
    // Next to the API's own paths.
    "/v1/admin",
    "/v1/admin/",
    "/v1/admin/clients/",
    "/v1/admin/users",
    "/v1/admin/clients/x/secret",
    "/v1/agencies/",
    "/v1/agencies/KEMENSOS",
    "/v1/programs/",
    "/v1/regions",
    "/v1/regions/",
    "/v1/whoami/",
    "/v1/whoami.json",
    "/v1/whoami;jsessionid=x",
    "/v1/graduations/",
    "/v1/graduations/x",
    "/v1/graduations/x/",
    "/v1/graduations/x/y",
    "/v1/graduations/x/history",
    "/v1/graduations/x/history/y",
    "/v1/graduations/batch/",
    "/v1/graduations/batch/x",
    "/v1/graduations/export",
    "/v1/enrollments/",
    "/v1/enrollments/x/y",
    "/v1/changes/",
    "/v1/changes/x",
    "/v1/subscriptions/x/deliveries/y",
    "/v1/subscriptions/x/disable",
    "/v1/audit",
    "/v1/audit/",
    "/v1/audit/proofs",
    "/v1/audit/entries/x",
    "/v1/whoami?x=1",
    // Case variants.
    "/V1/graduations",
    "/v1/Graduations",
    "/V1/WHOAMI",
    "/HEALTHZ",
    "/OPENAPI.JSON",
    "/Docs/",
    "/DOCS",
    // Doubled, encoded and dot segments (sent as raw bytes, never normalised on the way).
    "//v1/whoami",
    "/v1//whoami",
    "/v1/whoami//",
    "//healthz",
    "/v1%2Fwhoami",
    "/v1%2fgraduations",
    "/v1/whoami%2F",
    "/v1/graduations/a%2Fb",
    "/%76%31/whoami",
    "/v1\\whoami",
    "/v1/./whoami",
    "/./healthz",
    "/v1/../v1/whoami",
    "/v1/graduations/..",
    "/v1/graduations/../../admin",
    "/v1/whoami/..;/admin",
    "/v1/%2e%2e/v1/whoami",
    // The docs and their neighbours.
    "/docs",
    "/docs/",
    "/docs/index.html",
    "/docs/swagger-ui.css",
    "/docs/no-such-asset.js",
    "/docs/../openapi.json",
    "/docs/../../etc/passwd",
    "/docsx",
    "/docs.json",
];

// ----------------------------------------------------------------------------------------
// The document and what it promises.

/// Path template → the methods the document lists there (upper case).
type Inventory = BTreeMap<String, BTreeSet<String>>;

const OPERATION_KEYS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn inventory_of(doc: &Value) -> Inventory {
    let mut inventory = Inventory::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let mut methods = BTreeSet::new();
        for (key, _) in item.as_object().expect("a path item") {
            if OPERATION_KEYS.contains(&key.as_str()) {
                methods.insert(key.to_uppercase());
            } else {
                assert!(
                    matches!(
                        key.as_str(),
                        "parameters" | "summary" | "description" | "servers"
                    ),
                    "{template}: unexpected path item field {key}"
                );
            }
        }
        // RFC 9110 §9.3.2: HEAD wherever GET, as the document's description says.
        if methods.contains("GET") {
            methods.insert("HEAD".to_owned());
        }
        inventory.insert(template.clone(), methods);
    }
    inventory
}

fn document() -> Value {
    serde_json::to_value(sinergi::api::openapi::document()).expect("the document serialises")
}

/// Whether an actix-style pattern matches a path: `{name}` is one non-empty segment, and a
/// last segment `{name:.*}` is any rest.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    if let Some((prefix, last)) = pattern.rsplit_once('/')
        && last.starts_with('{')
        && last.ends_with(":.*}")
    {
        return path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'));
    }
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern.iter().zip(&path).all(|(p, s)| {
            if p.starts_with('{') && p.ends_with('}') {
                !s.is_empty()
            } else {
                p == s
            }
        })
}

/// The document's template for a path, if any: per OpenAPI, a concrete segment takes
/// precedence over a templated one (`/v1/graduations/batch` before `/v1/graduations/{id}`).
fn documented_template<'a>(inventory: &'a Inventory, path: &str) -> Option<&'a str> {
    inventory
        .keys()
        .filter(|t| pattern_matches(t, path))
        .min_by_key(|t| {
            t.split('/')
                .map(|s| u8::from(s.starts_with('{')))
                .collect::<Vec<_>>()
        })
        .map(String::as_str)
}

/// The path of a request target, with percent-encoded unreserved characters decoded
/// (RFC 3986 §6.2.2.2: `%76` and `v` are the same URI); `%2F` stays a byte, not a separator.
fn normalised_path(target: &str) -> String {
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    let bytes = path.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = path
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            && (byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
        {
            out.push(char::from(byte));
            i += 3;
        } else {
            out.push(char::from(bytes[i]));
            i += 1;
        }
    }
    out
}

/// What a probe must get, worked out from the document and `OUTSIDE_DOCUMENT` alone.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// A documented operation: its route answers.
    Operation { template: String },
    /// A documented path, an undocumented method: 405 with the documented methods.
    WrongMethod {
        template: String,
        allow: BTreeSet<String>,
    },
    /// A non-API route answers.
    NonApi { pattern: &'static str },
    /// A non-API path, a method it does not answer: the no-route answer (404 or 405).
    NonApiRefused { pattern: &'static str },
    /// Nothing is there: the no-route 404.
    Nothing,
}

impl Expect {
    /// The route template the audit log must record.
    fn audited_route(&self) -> Option<&str> {
        match self {
            Self::Operation { template } | Self::WrongMethod { template, .. } => Some(template),
            Self::NonApi { pattern } | Self::NonApiRefused { pattern } => Some(pattern),
            Self::Nothing => None,
        }
    }
}

fn expect(inventory: &Inventory, method: &str, target: &str) -> Expect {
    let path = normalised_path(target);
    if let Some(template) = documented_template(inventory, &path) {
        let allow = &inventory[template];
        return if allow.contains(method) {
            Expect::Operation {
                template: template.to_owned(),
            }
        } else {
            Expect::WrongMethod {
                template: template.to_owned(),
                allow: allow.clone(),
            }
        };
    }
    if let Some(route) = OUTSIDE_DOCUMENT
        .iter()
        .find(|r| pattern_matches(r.pattern, &path))
    {
        return if route.methods.is_none_or(|m| m.contains(&method)) {
            Expect::NonApi {
                pattern: route.pattern,
            }
        } else {
            Expect::NonApiRefused {
                pattern: route.pattern,
            }
        };
    }
    Expect::Nothing
}

/// A plausible value for a path parameter: its example, a UUID for a UUID, else a word.
fn plausible_value(doc: &Value, param: &Value) -> String {
    let param = match param.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .expect("a resolvable $ref"),
        None => param,
    };
    if let Some(example) = param
        .get("example")
        .or_else(|| param.pointer("/schema/example"))
    {
        return example.as_str().map_or(example.to_string(), str::to_owned);
    }
    if param.pointer("/schema/format") == Some(&Value::from("uuid")) {
        return "0190b7a4-6e2c-7d1f-8a3b-5c4d3e2f1a0b".into();
    }
    "no-such-thing".into()
}

/// Each documented path with its path parameters filled in.
fn filled_paths(doc: &Value) -> Vec<(String, String)> {
    let mut filled = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let mut target = template.clone();
        let params = item
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| OPERATION_KEYS.contains(&k.as_str()) || *k == "parameters")
            .flat_map(|(k, v)| {
                if k == "parameters" {
                    v.as_array().cloned().unwrap_or_default()
                } else {
                    v["parameters"].as_array().cloned().unwrap_or_default()
                }
            });
        for param in params {
            if param["in"] == "path" {
                let name = param["name"].as_str().expect("a parameter name");
                target = target.replace(&format!("{{{name}}}"), &plausible_value(doc, &param));
            }
        }
        assert!(
            !target.contains('{'),
            "{template}: a path parameter is not documented"
        );
        filled.push((template.clone(), target));
    }
    filled
}

// ----------------------------------------------------------------------------------------
// Raw HTTP/1.1, so that the bytes of the request target are exactly what is tested.

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn problem(&self) -> Option<Value> {
        if self.header("content-type") != Some("application/problem+json") {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }

    fn allow(&self) -> BTreeSet<String> {
        self.header("allow")
            .unwrap_or_default()
            .split(',')
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .collect()
    }

    fn summary(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        let body: String = body.chars().take(200).collect();
        match self.header("allow") {
            Some(allow) => format!("{} (Allow: {allow}) {body}", self.status),
            None => format!("{} {body}", self.status),
        }
    }
}

/// Sends one request on a fresh connection and reads the whole answer.
async fn send(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    send_from(Ipv4Addr::LOCALHOST, port, method, target, headers, body).await
}

/// [`send`] from a loopback address of the caller's choosing (any of 127/8 is this host's).
async fn send_from(
    source: Ipv4Addr,
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let exchange = async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind((source, 0).into())?;
        let mut stream = socket.connect((Ipv4Addr::LOCALHOST, port).into()).await?;
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
             Content-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        // Read until the answer is complete rather than until the server closes: after
        // CONNECT, actix keeps the connection open as a tunnel.
        let mut raw = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            if answer_complete(&raw, method == "HEAD") {
                break;
            }
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(raw)
    };
    let raw = tokio::time::timeout(Duration::from_secs(30), exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {target}: no answer within 30 s"))
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"));
    parse_answer(&raw, method == "HEAD").unwrap_or_else(|| {
        panic!(
            "{method} {target}: not an HTTP answer: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// Whether `raw` holds a whole answer whose length is known from its head.
fn answer_complete(raw: &[u8], head: bool) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    if head {
        return true;
    }
    let length = String::from_utf8_lossy(&raw[..end])
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    length.is_some_and(|length| raw.len() >= end + 4 + length)
}

fn parse_answer(raw: &[u8], head: bool) -> Option<Answer> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let text = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            l.split_once(':')
                .map(|(n, v)| (n.to_owned(), v.trim().to_owned()))
        })
        .collect::<Option<_>>()?;
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    if head {
        return Some(answer);
    }
    let rest = &raw[end + 4..];
    answer.body = if answer.header("transfer-encoding") == Some("chunked") {
        dechunk(rest)?
    } else if let Some(length) = answer.header("content-length") {
        rest.get(..length.parse().ok()?)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some(answer)
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

// ----------------------------------------------------------------------------------------
// Telling the no-route answer from a route's.

/// How the server answered, as far as routing goes.
#[derive(Debug, Clone, PartialEq)]
enum Routing {
    /// The fallback's 404: no route has this path (type `no-route`). A HEAD answer has no
    /// body to tell; its 404 is this unless the audit log recorded a route for it.
    NoRoute,
    /// 405: the path is known, the method is not; with the `Allow` header.
    WrongMethod(BTreeSet<String>),
    /// A route answered (whatever its status, including a 404 for a missing object).
    Route,
}

/// `head_routed`: for a HEAD probe, whether the audit log recorded a route for it.
fn routing(answer: &Answer, head_routed: Option<bool>) -> Routing {
    match answer.status {
        405 => Routing::WrongMethod(answer.allow()),
        404 if head_routed == Some(true) => Routing::Route,
        404 if head_routed.is_some() => Routing::NoRoute,
        404 => {
            let fallback = answer
                .problem()
                .is_some_and(|p| p["type"] == "urn:sinergi:problem:no-route");
            if fallback {
                Routing::NoRoute
            } else {
                Routing::Route
            }
        }
        _ => Routing::Route,
    }
}

/// The difference the other tests rely on: the fallback's 404 (no route has the path) and
/// 405 (no route has the method) against a route's own 404 for an object that is missing,
/// both in the answer and in the route template the audit log records.
async fn assert_no_route_answer_is_distinct(app: &TestApp) {
    let missing = "0190b7a4-6e2c-7d1f-8a3b-5c4d3e2f1a0b";
    let cases: Vec<(&str, String, Routing, Option<&str>)> = vec![
        (
            "GET",
            "/v1/no-such-collection".into(),
            Routing::NoRoute,
            None,
        ),
        ("GET", "/no/such/path".into(), Routing::NoRoute, None),
        (
            "GET",
            format!("/v1/graduations/{missing}"),
            Routing::Route,
            Some("/v1/graduations/{id}"),
        ),
        (
            "GET",
            format!("/v1/enrollments/{missing}/history"),
            Routing::Route,
            Some("/v1/enrollments/{id}/history"),
        ),
        (
            "GET",
            "/v1/programs/NO_SUCH".into(),
            Routing::Route,
            Some("/v1/programs/{code}"),
        ),
        (
            "GET",
            "/v1/admin/clients/no-such-client".into(),
            Routing::Route,
            Some("/v1/admin/clients/{id}"),
        ),
        (
            "PUT",
            "/v1/whoami".into(),
            Routing::WrongMethod(["GET".to_owned(), "HEAD".to_owned()].into()),
            Some("/v1/whoami"),
        ),
        (
            "DELETE",
            "/v1/graduations".into(),
            Routing::WrongMethod(["GET".to_owned(), "HEAD".to_owned(), "POST".to_owned()].into()),
            Some("/v1/graduations"),
        ),
    ];
    let probes: Vec<Probe> = cases
        .iter()
        .map(|(method, target, _, _)| Probe {
            method: (*method).to_owned(),
            target: target.clone(),
        })
        .collect();
    let run = run_probes(app, &probes).await;
    let expected: Vec<Option<&str>> = cases.iter().map(|(.., route)| *route).collect();
    let audited = audited_routes(app, &run, &expected).await;
    for (((method, target, want, route), sent), audited) in
        cases.iter().zip(&run.sent).zip(&audited)
    {
        let answer = &sent.answer;
        let at = format!("{method} {target}");
        let problem = answer
            .problem()
            .unwrap_or_else(|| panic!("{at}: not a problem: {}", answer.summary()));
        let got = routing(answer, None);
        assert_eq!(&got, want, "{at}: {}", answer.summary());
        match want {
            Routing::NoRoute => {
                assert_eq!(answer.status, 404, "{at}");
                assert_eq!(problem["type"], "urn:sinergi:problem:no-route", "{at}");
                // Never the path: it could hold a NIK.
                assert_eq!(
                    problem["detail"], "no endpoint has this path; check the base URL and the path",
                    "{at}"
                );
            }
            Routing::Route => {
                // The same status as the fallback's, another problem type.
                assert_eq!(answer.status, 404, "{at}: {}", answer.summary());
                assert_eq!(problem["type"], "urn:sinergi:problem:not-found", "{at}");
            }
            Routing::WrongMethod(allow) => {
                assert_eq!(
                    problem["type"], "urn:sinergi:problem:method-not-allowed",
                    "{at}"
                );
                assert_eq!(&answer.allow(), allow, "{at}");
            }
        }
        assert_eq!(
            audited.as_ref().and_then(|r| r.as_deref()),
            *route,
            "{at}: the route the audit log recorded"
        );
    }
}

// ----------------------------------------------------------------------------------------
// Probing.

#[derive(Debug, Clone)]
struct Probe {
    method: String,
    target: String,
}

/// A probe as sent, with its `X-Request-Id` and the answer.
#[derive(Debug)]
struct Sent {
    probe: Probe,
    request_id: String,
    answer: Answer,
}

/// The probes of one run and the loopback address they were sent from: requests that name
/// no client are counted per source address in the audit log, not recorded one by one, so
/// a source of its own tells this run's counts from any other's.
struct Run {
    source: Ipv4Addr,
    sent: Vec<Sent>,
}

/// Sends every probe (a few at a time) with a token holding every scope, so that
/// authorization is never what answers; in the order given.
async fn run_probes(app: &TestApp, probes: &[Probe]) -> Run {
    static SOURCES: AtomicU8 = AtomicU8::new(2);
    let source = Ipv4Addr::new(127, 0, 0, SOURCES.fetch_add(1, Ordering::Relaxed));
    let auth = format!("Bearer {}", app.admin_token);
    assert!(!app.admin_token.is_empty(), "the demo admin has a token");
    // Unique per run, as one server may see several runs.
    let run = uuid::Uuid::new_v4().simple().to_string();
    let sent = futures_util::stream::iter(probes.iter().enumerate())
        .map(|(at, probe)| {
            let auth = auth.clone();
            let request_id = format!("route-inventory-{}-{at}", &run[..12]);
            async move {
                let mut headers = vec![
                    ("Authorization", auth.as_str()),
                    ("X-Request-Id", request_id.as_str()),
                ];
                let body: &[u8] = match probe.method.as_str() {
                    "POST" | "PUT" | "PATCH"
                        if normalised_path(&probe.target) == "/oauth/token" =>
                    {
                        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
                        b""
                    }
                    "POST" | "PUT" | "PATCH" => {
                        headers.push(("Content-Type", "application/json"));
                        b"{}"
                    }
                    _ => b"",
                };
                let answer = send_from(
                    source,
                    app.port,
                    &probe.method,
                    &probe.target,
                    &headers,
                    body,
                )
                .await;
                Sent {
                    probe: probe.clone(),
                    request_id,
                    answer,
                }
            }
        })
        .buffered(8)
        .collect()
        .await;
    Run { source, sent }
}

/// The route template the audit log recorded for each probe of a run, in the run's order.
/// Entries are listed once they joined the Merkle tree, moments after their request.
///
/// A probe that named a client (a route that checked the token) has an entry of its own,
/// found by request id. The others (no route, a wrong method, the docs) are counted in
/// aggregate entries per source address, method, route and status; each such probe is
/// given a route its aggregates counted for its method and status, the route `expected`
/// for it when they counted one, so that any route they counted beyond the expected ones
/// shows up as a mismatch. `None` for the liveness probe, which is not recorded.
async fn audited_routes(
    app: &TestApp,
    run: &Run,
    expected: &[Option<&str>],
) -> Vec<Option<Option<String>>> {
    let recorded = |s: &Sent| !UNRECORDED.contains(&normalised_path(&s.probe.target).as_str());
    let wanted = run.sent.iter().filter(|s| recorded(s)).count();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut individual: HashMap<String, Option<String>> = HashMap::new();
        // (method, status) -> route -> requests counted
        let mut counted: HashMap<(String, u16), BTreeMap<Option<String>, u64>> = HashMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = "/v1/audit/entries?limit=1000".to_owned();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={}", urlencode(c)));
            }
            let (status, page) = app.get_json(&path).await;
            assert_eq!(status, 200, "{path}: {page}");
            for entry in page["items"].as_array().expect("entries") {
                let route = entry["route"].as_str().map(str::to_owned);
                if let Some(requests) = entry["aggregate"]["requests"].as_u64() {
                    if entry["source_address"] == run.source.to_string() {
                        let key = (
                            entry["method"].as_str().unwrap().to_owned(),
                            entry["status"].as_u64().unwrap() as u16,
                        );
                        *counted.entry(key).or_default().entry(route).or_default() += requests;
                    }
                } else if let Some(id) = entry["request_id"].as_str() {
                    individual.insert(id.to_owned(), route);
                }
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        let aggregated: u64 = counted.values().flat_map(|routes| routes.values()).sum();
        let found = run
            .sent
            .iter()
            .filter(|s| individual.contains_key(&s.request_id))
            .count();
        if found + aggregated as usize >= wanted {
            return run
                .sent
                .iter()
                .zip(expected)
                .map(|(sent, expected)| {
                    if !recorded(sent) {
                        return None;
                    }
                    if let Some(route) = individual.get(&sent.request_id) {
                        return Some(route.clone());
                    }
                    let key = (audited_method(&sent.probe.method), sent.answer.status);
                    let routes = counted.entry(key).or_default();
                    let wanted = expected.map(str::to_owned);
                    let chosen = match routes.get(&wanted) {
                        Some(n) if *n > 0 => wanted,
                        _ => routes
                            .iter()
                            .find(|(_, n)| **n > 0)
                            .map(|(route, _)| route.clone())
                            .unwrap_or_else(|| Some("<counted nowhere>".into())),
                    };
                    if let Some(n) = routes.get_mut(&chosen) {
                        *n -= 1;
                    }
                    Some(chosen)
                })
                .collect();
        }
        assert!(
            Instant::now() < deadline,
            "the audit log accounts for {found} probes one by one and {aggregated} in \
             aggregates after 20 s, of {wanted}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The method as the audit log names it: the standard ones by name, any other as `OTHER`.
fn audited_method(method: &str) -> String {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ];
    if KNOWN.contains(&method) {
        method.to_owned()
    } else {
        "OTHER".to_owned()
    }
}

fn urlencode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Sends every probe and fails, listing each mismatch, unless every answer and audited
/// route is what the document and `OUTSIDE_DOCUMENT` promise.
async fn assert_probes_agree(app: &TestApp, inventory: &Inventory, probes: &[Probe]) {
    let started = Instant::now();
    let failures = mismatches(app, inventory, probes).await;
    let (backend, count) = (app.db.backend, probes.len());
    println!("{backend:?}: {count} probes in {:?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{backend:?}: {} of {count} probes disagree with the document:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Checks every probe's answer and audited route against what the document and
/// `OUTSIDE_DOCUMENT` promise; returns one line per mismatch.
async fn mismatches(app: &TestApp, inventory: &Inventory, probes: &[Probe]) -> Vec<String> {
    let run = run_probes(app, probes).await;
    let wants: Vec<Expect> = run
        .sent
        .iter()
        .map(|s| expect(inventory, &s.probe.method, &s.probe.target))
        .collect();
    let expected: Vec<Option<&str>> = wants.iter().map(Expect::audited_route).collect();
    let audited = audited_routes(app, &run, &expected).await;
    let mut failures = Vec::new();
    let mut seen_patterns = BTreeSet::new();
    for ((Sent { probe, answer, .. }, want), audited) in run.sent.iter().zip(&wants).zip(&audited) {
        let (method, target) = (probe.method.as_str(), probe.target.as_str());
        let head_routed = (method == "HEAD").then(|| audited.as_ref().is_some_and(Option::is_some));
        let got = routing(answer, head_routed);
        let at = format!("{method} {target}");
        let mut fail = |why: String| {
            failures.push(format!("{at}: {why}: {}", answer.summary()));
        };
        match want {
            Expect::Operation { template } => {
                if got != Routing::Route {
                    fail(format!(
                        "documented as {method} {template}, but no route answered"
                    ));
                } else if matches!(answer.status, 401 | 403) && template != "/oauth/token" {
                    fail("refused a token with every scope".into());
                } else if answer.status >= 500 {
                    fail("failed".into());
                }
            }
            Expect::WrongMethod { template, allow } => {
                if got != Routing::WrongMethod(allow.clone()) {
                    fail(format!(
                        "{template} documents only {allow:?}; expected 405 with that Allow"
                    ));
                }
            }
            Expect::NonApi { pattern } => {
                if got != Routing::Route {
                    fail(format!("the non-API route {pattern} did not answer"));
                }
            }
            Expect::NonApiRefused { pattern } => {
                if got == Routing::Route {
                    fail(format!(
                        "the non-API route {pattern} answers a method it is not listed for"
                    ));
                }
            }
            Expect::Nothing => {
                if got != Routing::NoRoute {
                    fail("undocumented, yet not the no-route answer".into());
                }
            }
        }
        // The liveness probe is not audited, on purpose.
        let Some(recorded) = audited else {
            continue;
        };
        let recorded = recorded.as_deref();
        if let Some(pattern) = recorded {
            seen_patterns.insert(pattern.to_owned());
        }
        let expected = want.audited_route();
        if recorded != expected {
            failures.push(format!(
                "{at}: the audit log recorded route {recorded:?}, expected {expected:?}"
            ));
        }
    }
    // The headline: no template the router matched is missing from the inventory.
    for pattern in &seen_patterns {
        let known = inventory.contains_key(pattern)
            || OUTSIDE_DOCUMENT.iter().any(|r| r.pattern == pattern);
        if !known {
            failures.push(format!(
                "the router matched {pattern}, which is neither documented nor in OUTSIDE_DOCUMENT"
            ));
        }
    }
    failures
}

/// The served document, checked to be the one the code generates.
async fn served_document(app: &TestApp) -> Value {
    let answer = send(app.port, "GET", "/openapi.json", &[], b"").await;
    assert_eq!(answer.status, 200, "{}", answer.summary());
    let served: Value = serde_json::from_slice(&answer.body).expect("JSON");
    assert!(
        served == document(),
        "/openapi.json is not the generated document"
    );
    served
}

/// The demo server, counting anonymous requests per second, so that their aggregate entries
/// are there to read moments after the probes, and with room for an aggregate per probe
/// (by default, aggregates beyond 100 a window are folded into one per status).
async fn spawn(backend: Backend) -> TestApp {
    let db = TestDb::new(backend);
    sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
    spawn_with(db, |s| {
        s.audit_anonymous_window_secs = 1;
        s.audit_anonymous_max_entries = 10_000;
    })
    .await
}

both_backends! {
    async fn the_no_route_answer_differs_from_a_missing_object(backend: Backend) {
        let app = spawn(backend).await;
        assert_no_route_answer_is_distinct(&app).await;
    }

    async fn every_documented_path_answers_exactly_its_documented_methods(backend: Backend) {
        let app = spawn(backend).await;
        assert_no_route_answer_is_distinct(&app).await;
        let doc = served_document(&app).await;
        let inventory = inventory_of(&doc);
        let mut probes = Vec::new();
        for (template, target) in filled_paths(&doc) {
            assert_eq!(
                documented_template(&inventory, &target),
                Some(template.as_str()),
                "{target} must be matched by its own template"
            );
            for method in METHODS {
                probes.push(Probe { method: method.into(), target: target.clone() });
            }
        }
        // The non-API routes too, with every method.
        for target in ["/docs", "/docs/", "/docs/index.html"] {
            for method in METHODS {
                probes.push(Probe { method: method.into(), target: target.into() });
            }
        }
        assert_probes_agree(&app, &inventory, &probes).await;

        // What the non-API routes answer, specifically.
        let docs = send(app.port, "GET", "/docs", &[], b"").await;
        assert_eq!(docs.status, 307, "{}", docs.summary());
        assert_eq!(docs.header("location"), Some("/docs/"));
        let ui = send(app.port, "GET", "/docs/", &[], b"").await;
        assert_eq!(ui.status, 200, "{}", ui.summary());
        assert!(ui.header("content-type").unwrap_or_default().starts_with("text/html"));
    }

    async fn paths_an_attacker_would_try_get_the_no_route_answer_unless_documented(
        backend: Backend
    ) {
        let app = spawn(backend).await;
        assert_no_route_answer_is_distinct(&app).await;
        let inventory = inventory_of(&served_document(&app).await);
        let probes: Vec<Probe> = WORDLIST
            .iter()
            .flat_map(|target| {
                ["GET", "POST"].map(|method| Probe {
                    method: method.into(),
                    target: (*target).into(),
                })
            })
            .collect();
        assert_probes_agree(&app, &inventory, &probes).await;
    }
}

#[test]
fn the_expectations_follow_the_document() {
    let inventory = inventory_of(&document());
    let op = |t: &str| Expect::Operation {
        template: t.to_owned(),
    };
    assert_eq!(
        expect(&inventory, "GET", "/v1/whoami?x=1"),
        op("/v1/whoami")
    );
    assert_eq!(
        expect(&inventory, "GET", "/%76%31/whoami"),
        op("/v1/whoami")
    );
    assert_eq!(
        expect(&inventory, "POST", "/v1/graduations/batch"),
        op("/v1/graduations/batch")
    );
    assert!(matches!(
        expect(&inventory, "GET", "/v1/graduations/batch"),
        Expect::WrongMethod { ref template, .. } if template == "/v1/graduations/batch"
    ));
    assert_eq!(
        expect(&inventory, "GET", "/v1/graduations/a%2Fb"),
        op("/v1/graduations/{id}")
    );
    for nothing in [
        "/v1/graduations/",
        "/v1//whoami",
        "/v1%2Fwhoami",
        "/v1/../v1/whoami",
        "/V1/whoami",
        "*",
        "/docsx",
    ] {
        assert_eq!(
            expect(&inventory, "GET", nothing),
            Expect::Nothing,
            "{nothing}"
        );
    }
    assert_eq!(
        expect(&inventory, "DELETE", "/docs"),
        Expect::NonApiRefused { pattern: "/docs" }
    );
    assert_eq!(
        expect(&inventory, "GET", "/docs/../x"),
        Expect::NonApi {
            pattern: "/docs/{_:.*}"
        }
    );
    assert_eq!(
        expect(&inventory, "POST", "/docs/"),
        Expect::NonApiRefused {
            pattern: "/docs/{_:.*}"
        }
    );
}
