//! What the record tests share: fixture values, record bodies and request helpers that
//! answer an [`Answer`].

use serde_json::{Value, json};

use super::TestApp;
use super::answer::{Answer, answer};

/// A household: its head, the wife, their family card (KK) and their village.
pub const HEAD: &str = "3201011507850003";
pub const WIFE: &str = "3201015508870002";
pub const KK: &str = "3201012308150007";
pub const VILLAGE: &str = "32.01.01.1002";

/// Demo clients.
pub const KEMENSOS: &str = "demo-kemensos";
pub const KEMENDES: &str = "demo-kemendes";
pub const KEMENKOP: &str = "demo-kemenkop";
pub const AUDITOR: &str = "demo-auditor";

/// The fields the exchange sets on every record.
pub const SERVER_FIELDS: [&str; 7] = [
    "id",
    "publisher",
    "version",
    "created_at",
    "updated_at",
    "retracted",
    "retraction_reason",
];

/// A valid NIK for each small number (the serial).
pub fn nik(n: u32) -> String {
    format!("320101150785{n:04}")
}

/// A valid KK for each small number (the serial).
pub fn kk(n: u32) -> String {
    format!("320101230815{n:04}")
}

/// A valid graduation of [`HEAD`]'s household from the PKH program, with every optional
/// field set.
pub fn graduation(srid: &str) -> Value {
    json!({
        "source_record_id": srid,
        "program": "PKH",
        "household": {"kk": KK, "head_nik": HEAD},
        "member_niks": [WIFE],
        "region_code": VILLAGE,
        "graduation_type": "natural",
        "graduated_on": "2026-06-30",
        "welfare_decile": 6,
        "reason": "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan",
        "attributes": {"pendamping": "PD-3201-17", "skor": {"a": 1, "b": 2.5}}
    })
}

/// A valid, still active enrollment of [`HEAD`] in `program`.
pub fn enrollment(srid: &str, program: &str) -> Value {
    json!({
        "source_record_id": srid,
        "program": program,
        "subject": {"nik": HEAD, "kk": KK},
        "region_code": VILLAGE,
        "status": "active",
        "enrolled_on": "2026-08-01",
        "attributes": {"kelompok": "KUBE Mawar"}
    })
}

/// Sends `req` with `token` and the extra `headers`.
async fn send(req: reqwest::RequestBuilder, token: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = req.bearer_auth(token);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    answer(req.send().await.expect("request")).await
}

pub async fn post_with(
    app: &TestApp,
    token: &str,
    path: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Answer {
    send(app.client.post(app.url(path)).json(body), token, headers).await
}

pub async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Answer {
    post_with(app, token, path, body, &[]).await
}

/// POSTs `{"items": items}` to a batch resource (`path` may carry a query).
pub async fn post_batch(app: &TestApp, token: &str, path: &str, items: Vec<Value>) -> Answer {
    post(app, token, path, &json!({"items": items})).await
}

/// POSTs raw bytes with the given content type (none when `None`).
pub async fn post_raw(
    app: &TestApp,
    token: &str,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Answer {
    let mut req = app.client.post(app.url(path)).body(body);
    if let Some(content_type) = content_type {
        req = req.header("content-type", content_type);
    }
    send(req, token, &[]).await
}

/// POSTs JSON given as text, so that key order and number spelling are exactly as written.
pub async fn post_text(
    app: &TestApp,
    token: &str,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> Answer {
    post_raw(app, token, path, Some("application/json"), body).await
}

/// A GET; the operator's declares the oversight purpose unless `headers` name one.
pub async fn get_with(app: &TestApp, token: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut headers = headers.to_vec();
    let declared = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(super::oversight::PURPOSE.0));
    if token == app.admin_token && !declared {
        headers.push(super::oversight::PURPOSE);
    }
    send(app.client.get(app.url(path)), token, &headers).await
}

pub async fn get(app: &TestApp, token: &str, path: &str) -> Answer {
    get_with(app, token, path, &[]).await
}

pub async fn delete_with(
    app: &TestApp,
    token: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Answer {
    send(app.client.delete(app.url(path)), token, headers).await
}

pub async fn delete(app: &TestApp, token: &str, path: &str) -> Answer {
    delete_with(app, token, path, &[]).await
}

/// Publishes one record to `/v1/{collection}` and returns it, checking it was created or
/// updated.
pub async fn publish(app: &TestApp, token: &str, collection: &str, body: &Value) -> Value {
    let a = post(app, token, &format!("/v1/{collection}"), body).await;
    assert!(a.status == 200 || a.status == 201, "{}", a.body);
    a.body
}

/// The `result` of every item of a batch, which must have been answered 200.
pub fn batch_results(a: &Answer) -> Vec<&str> {
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {}", a.body))
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect()
}
