//! Faults of the real binary: killed (SIGKILL) in the middle of a publishing batch, stopped
//! (SIGTERM) with long-polls and batches in flight, and its PostgreSQL crashed under load.
//! Nothing acknowledged may be lost, a retried sync must not duplicate anything, and the
//! audit log must still verify. Each test is written as its phases, one function each.

mod own_postgres;
mod postgres_crash;
mod sigkill;
mod sigterm;

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use crate::common::service::Service;
use diesel::prelude::*;
use reqwest::blocking::Client;
use serde_json::{Value, json};

/// The demo client with every scope: it reads records, the change feed and the audit log.
const ADMIN: &str = "demo-admin";

/// A client that opens a connection per request when `fresh`, so that no idle keep-alive
/// connection outlives the request that made it.
fn client(fresh: bool) -> Client {
    let mut builder = Client::builder().timeout(Duration::from_secs(60));
    if fresh {
        builder = builder.pool_max_idle_per_host(0);
    }
    builder.build().unwrap()
}

fn token(http: &Client, service: &Service, client_id: &str) -> String {
    let secret = sinergi::demo::demo_secret(client_id);
    let res = http
        .post(service.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .expect("token request");
    assert_eq!(res.status(), 200, "token for {client_id}");
    res.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// GET that must answer 200 with JSON.
fn get_json(http: &Client, url: &str, token: &str, query: &[(&str, &str)]) -> Value {
    get_json_for(http, url, token, query, None)
}

/// GET that must answer 200 with JSON, declaring `purpose` when given.
fn get_json_for(
    http: &Client,
    url: &str,
    token: &str,
    query: &[(&str, &str)],
    purpose: Option<&str>,
) -> Value {
    let mut req = http.get(url).query(query).bearer_auth(token);
    if let Some(purpose) = purpose {
        req = req.header("Sinergi-Purpose", purpose);
    }
    let res = req
        .send()
        .unwrap_or_else(|e| panic!("GET {url} {query:?}: {e}"));
    let status = res.status();
    let text = res.text().unwrap();
    assert_eq!(status, 200, "GET {url} {query:?}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// GET that must answer 200; the body as text.
fn get_text(http: &Client, url: &str, token: &str) -> (u16, String) {
    let res = http
        .get(url)
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (res.status().as_u16(), res.text().unwrap())
}

/// POSTs a graduation batch with our own request id; the status and the JSON body, or the
/// transport error when no complete answer came.
fn post_batch(
    http: &Client,
    service_base: &str,
    token: &str,
    items: &[Value],
    request_id: &str,
) -> Result<(u16, Value), reqwest::Error> {
    let res = http
        .post(format!("{service_base}/v1/graduations/batch"))
        .bearer_auth(token)
        .header("x-request-id", request_id)
        .json(&json!({ "items": items }))
        .send()?;
    let status = res.status().as_u16();
    let text = res.text()?;
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{request_id}: {status} is not JSON ({e}): {text}"));
    Ok((status, body))
}

/// The `result` of each item of a batch answer, checked to be at version 1 and in order.
fn results_of(body: &Value, items: &[Value]) -> Vec<String> {
    let results = body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {body}"));
    assert_eq!(results.len(), items.len(), "{body}");
    results
        .iter()
        .zip(items)
        .map(|(r, item)| {
            assert_eq!(r["source_record_id"], item["source_record_id"], "{r}");
            assert_eq!(r["version"], 1, "{r}");
            r["result"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// Every graduation Kemensos published whose source id starts with `prefix`, found by
/// paging the search with its cursor.
fn graduations_with_prefix(
    http: &Client,
    service: &Service,
    token: &str,
    prefix: &str,
) -> Vec<Value> {
    let url = service.url("/v1/graduations");
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("publisher", "KEMENSOS"), ("limit", "1000")];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.as_str()));
        }
        let page = get_json(http, &url, token, &query);
        for item in page["items"].as_array().expect("items") {
            if item["source_record_id"]
                .as_str()
                .unwrap()
                .starts_with(prefix)
            {
                found.push(item.clone());
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return found,
        }
    }
}

/// The whole change feed from its start up to the head, as Kemensos sees it under the
/// demo agreements for `MONITORING_GRADUASI` (its own changes and every enrollment).
fn whole_feed(http: &Client, service: &Service, token: &str) -> Vec<Value> {
    let url = service.url("/v1/changes");
    let mut changes = Vec::new();
    let mut after = 0_u64;
    loop {
        let after_text = after.to_string();
        // Kemensos's own changes, under the demo's agreements for this purpose the other
        // ministries' enrollments, and the steps of those agreements and of the demo's
        // referrals (each has Kemensos for a party), and the follow-up signals of its
        // graduations: the whole feed.
        let page = get_json_for(
            http,
            &url,
            token,
            &[
                ("after", &after_text),
                ("limit", "1000"),
                (
                    "types",
                    "graduation,enrollment,agreement,referral,follow_up",
                ),
            ],
            Some("MONITORING_GRADUASI"),
        );
        let items = page["changes"].as_array().expect("changes");
        changes.extend(items.iter().cloned());
        after = page["next"].as_u64().expect("next");
        if items.len() < 1000 {
            return changes;
        }
    }
}

/// The checkpoint, the public key and the export of exactly the entries it covers, once the
/// checkpoint covers the entries of every request id in `expected`; verified offline.
/// Returns the entries.
fn verified_audit_log(
    http: &Client,
    service: &Service,
    token: &str,
    expected: &BTreeSet<String>,
) -> Vec<Value> {
    let (status, key) = get_text(http, &service.url("/v1/audit/public-key"), token);
    assert_eq!(status, 200, "{key}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, checkpoint) = get_text(http, &service.url("/v1/audit/checkpoint"), token);
        if status == 200 {
            let size: u64 = checkpoint
                .lines()
                .nth(1)
                .and_then(|l| l.parse().ok())
                .unwrap_or_else(|| panic!("no tree size in the checkpoint: {checkpoint}"));
            let res = http
                .get(service.url("/v1/audit/export"))
                .query(&[("to", size.to_string())])
                .bearer_auth(token)
                .send()
                .expect("export");
            assert_eq!(res.status(), 200, "export?to={size}");
            let bytes = res.bytes().unwrap();
            let entries: Vec<Value> = bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice(l).expect("an entry is JSON"))
                .collect();
            let covered: HashSet<&str> = entries
                .iter()
                .filter_map(|e| e["request_id"].as_str())
                .collect();
            let missing: Vec<&String> = expected
                .iter()
                .filter(|id| !covered.contains(id.as_str()))
                .collect();
            if missing.is_empty() {
                let verified =
                    sinergi::audit::verify::verify_export(&bytes[..], &checkpoint, &key, &[])
                        .unwrap_or_else(|e| panic!("the audit export does not verify: {e}"));
                assert_eq!(verified.size, size);
                assert_eq!(entries.len() as u64, size);
                return entries;
            }
            assert!(
                Instant::now() < deadline,
                "no checkpoint covered {} of the expected requests within 30 s, e.g. {:?}",
                missing.len(),
                &missing[..missing.len().min(5)]
            );
        } else {
            assert_eq!(status, 404, "{checkpoint}");
            assert!(Instant::now() < deadline, "no checkpoint within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Records in each batch the tests publish.
const PER_BATCH: usize = 50;

/// Counts rows with a query of the form `SELECT COUNT(*) AS n …`.
fn count(conn: &mut sinergi::db::AnyConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}
