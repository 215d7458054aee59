//! Data-sharing agreements and purposes over HTTP on both backends: the life of an
//! agreement (propose, approve, narrow, widen, suspend, resume, terminate, expire), who may
//! do and see what, every version kept, each change in the audit log; and the CLI verbs.

use std::time::Duration;

use crate::common::answer::{Answer, answer};
use crate::common::cli::json_of;
use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

/// A request with `token`, answered whole.
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
    if_match: Option<&str>,
) -> Answer {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(body);
    }
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    answer(req.send().await.unwrap()).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    call(app, reqwest::Method::GET, path, token, None, None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Option<&Value>) -> Answer {
    call(app, reqwest::Method::POST, path, token, body, None).await
}

/// Terms by which KEMENDES reads KEMENKOP's enrollments (no demo agreement covers them).
fn terms() -> Value {
    json!({
        "record_kinds": ["enrollment"],
        "programs": ["KOPDES_MP"],
        "purposes": ["PEMBERDAYAAN_EKONOMI"],
        "fields": ["/subject/kk", "/region_code", "/status", "/enrolled_on"],
        "search_keys": ["kk"],
        "lawful_basis": "public_task",
        "legal_reference": "PKS Nomor 7/PKS/2026",
        "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2030-12-31T16:59:59Z",
        "retention_days": 365
    })
}

fn proposal() -> Value {
    let mut body = terms();
    body["provider_agency"] = "KEMENKOP".into();
    body
}

struct Parties {
    consumer: String,
    provider: String,
    outsider: String,
}

async fn parties(app: &TestApp) -> Parties {
    Parties {
        consumer: app.token("demo-kemendes", None).await,
        provider: app.token("demo-kemenkop", None).await,
        outsider: app.token("demo-kemenumkm", None).await,
    }
}

/// Proposes [`proposal`] as the consumer; returns the agreement's id.
async fn propose(app: &TestApp, p: &Parties) -> String {
    let created = post(app, "/v1/agreements", &p.consumer, Some(&proposal())).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/v1/agreements/{id}").as_str())
    );
    id
}

both_backends! {
    async fn purposes_are_listed_and_the_operator_adds_one(backend: Backend) {
        let app = spawn_app(backend).await;
        let listed = get(&app, "/v1/purposes", &app.admin_token).await;
        assert_eq!(listed.status, 200);
        let codes: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["AUDIT", "MONITORING_GRADUASI", "PEMBERDAYAAN_EKONOMI", "VERIFIKASI_KELAYAKAN"]
        );
        assert!(listed.body["items"][0]["name_id"].as_str().is_some_and(|n| !n.is_empty()));

        let new = json!({"code": "PENELITIAN", "name_id": "Penelitian kebijakan",
            "name_en": "Policy research", "description": "Analisis tanpa identitas."});
        let created = post(&app, "/v1/admin/purposes", &app.admin_token, Some(&new)).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body, new);
        let again = post(&app, "/v1/admin/purposes", &app.admin_token, Some(&new)).await;
        assert_eq!(again.status, 409, "{}", again.body);
        let bad = json!({"code": "X1", "name_id": " ", "name_en": "", "description": ""});
        let refused = post(&app, "/v1/admin/purposes", &app.admin_token, Some(&bad)).await;
        assert_invalid(&refused, &["/name_id", "/name_en", "/description"], "bad purpose");
        // A NUL (which PostgreSQL cannot store) or another stray control character in the
        // description is refused by name, where line breaks and tabs are fine.
        for control in ["\u{0}", "\u{1b}[31m"] {
            let mut bad = new.clone();
            bad["code"] = json!("PENELITIAN_2");
            bad["description"] = json!(format!("Analisis{control} tanpa identitas."));
            let refused = post(&app, "/v1/admin/purposes", &app.admin_token, Some(&bad)).await;
            assert_invalid(&refused, &["/description"], "a control character");
        }
        let mut lines = new.clone();
        lines["code"] = json!("PENELITIAN_3");
        lines["description"] = json!("Analisis kebijakan:\n\t- tanpa identitas.");
        let created = post(&app, "/v1/admin/purposes", &app.admin_token, Some(&lines)).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let kemendes = app.token("demo-kemendes", None).await;
        let forbidden = post(&app, "/v1/admin/purposes", &kemendes, Some(&new)).await;
        assert_eq!(forbidden.status, 403);
    }

    async fn the_consumer_proposes_and_only_the_provider_approves(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let id = propose(&app, &p).await;
        let path = format!("/v1/agreements/{id}");

        let seen = get(&app, &path, &p.provider).await;
        assert_eq!(seen.status, 200, "{}", seen.body);
        assert_eq!(seen.body["status"], "proposed");
        assert_eq!(seen.body["consumer_agency"], "KEMENDES");
        assert_eq!(seen.body["provider_agency"], "KEMENKOP");
        assert_eq!(seen.body["version"], 1);
        assert_eq!(seen.header("etag"), Some("\"1\""));
        // An agency that is no party does not learn that the agreement exists.
        let outsider = get(&app, &path, &p.outsider).await;
        assert_problem(&outsider, 404, "an outsider's read");
        let unlisted = get(&app, "/v1/agreements", &p.outsider).await;
        assert!(
            unlisted.body["items"].as_array().unwrap().iter().all(|a| a["id"] != id.as_str()),
            "{}",
            unlisted.body
        );
        // The coordinating ministry sees every agreement.
        let all = get(&app, "/v1/agreements", &app.admin_token).await;
        assert!(all.body["items"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()));

        let by_consumer = post(&app, &format!("{path}/approve"), &p.consumer, None).await;
        assert_eq!(by_consumer.status, 403, "{}", by_consumer.body);
        let approved = post(&app, &format!("{path}/approve"), &p.provider, None).await;
        assert_eq!(approved.status, 200, "{}", approved.body);
        assert_eq!(approved.body["status"], "active");
        let twice = post(&app, &format!("{path}/approve"), &p.provider, None).await;
        assert_eq!(twice.status, 409, "{}", twice.body);

        // Suspend (the provider only), resume, terminate (either party), and no way back.
        let by_consumer = post(&app, &format!("{path}/suspend"), &p.consumer, None).await;
        assert_eq!(by_consumer.status, 403);
        let suspended = post(&app, &format!("{path}/suspend"), &p.provider, None).await;
        assert_eq!(suspended.body["status"], "suspended", "{}", suspended.body);
        let resumed = post(&app, &format!("{path}/approve"), &p.provider, None).await;
        assert_eq!(resumed.body["status"], "active", "{}", resumed.body);
        // Suspended again, widened meanwhile: approving the pending version resumes the
        // agreement under it.
        post(&app, &format!("{path}/suspend"), &p.provider, None).await;
        let mut wider = terms();
        wider["retention_days"] = 730.into();
        let put = call(&app, reqwest::Method::PUT, &path, &p.consumer, Some(&wider), None).await;
        assert_eq!(put.body["pending_version"], 2, "{}", put.body);
        let approved = post(&app, &format!("{path}/approve"), &p.provider, None).await;
        assert_eq!(approved.body["status"], "active", "{}", approved.body);
        assert_eq!(approved.body["version"], 2, "{}", approved.body);
        let terminated = post(&app, &format!("{path}/terminate"), &p.consumer, None).await;
        assert_eq!(terminated.body["status"], "terminated", "{}", terminated.body);
        for action in ["approve", "suspend", "terminate"] {
            let late = post(&app, &format!("{path}/{action}"), &p.provider, None).await;
            assert_eq!(late.status, 409, "{action}: {}", late.body);
        }
        let amend = call(&app, reqwest::Method::PUT, &path, &p.consumer, Some(&terms()), None).await;
        assert_eq!(amend.status, 409, "{}", amend.body);
    }

    async fn narrowing_is_immediate_and_widening_waits_for_the_provider(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let id = propose(&app, &p).await;
        let path = format!("/v1/agreements/{id}");
        post(&app, &format!("{path}/approve"), &p.provider, None).await;

        // Fewer fields and a shorter retention: in force at once.
        let mut narrower = terms();
        narrower["fields"] = json!(["/subject/kk", "/status"]);
        narrower["retention_days"] = 90.into();
        let put = |body: Value, tag: &'static str| {
            let (app, path, token) = (&app, path.clone(), p.consumer.clone());
            async move { call(app, reqwest::Method::PUT, &path, &token, Some(&body), Some(tag)).await }
        };
        let stale = put(narrower.clone(), "\"7\"").await;
        assert_problem(&stale, 412, "a stale If-Match");
        let narrowed = put(narrower.clone(), "\"1\"").await;
        assert_eq!(narrowed.status, 200, "{}", narrowed.body);
        assert_eq!(narrowed.body["version"], 2);
        assert_eq!(narrowed.body["pending_version"], Value::Null);
        assert_eq!(narrowed.body["fields"], json!(["/status", "/subject/kk"]));

        // A NIK field and the NIK search key: pending, the narrowed terms stay in force.
        let mut wider = narrower.clone();
        wider["fields"] = json!(["/subject/kk", "/subject/nik", "/status"]);
        wider["search_keys"] = json!(["kk", "nik"]);
        let widened = put(wider, "\"2\"").await;
        assert_eq!(widened.status, 200, "{}", widened.body);
        assert_eq!(widened.body["version"], 2);
        assert_eq!(widened.body["pending_version"], 3);
        assert_eq!(widened.body["latest_version"], 3);
        assert_eq!(widened.body["fields"], json!(["/status", "/subject/kk"]));
        let approved = post(&app, &format!("{path}/approve"), &p.provider, None).await;
        assert_eq!(approved.body["version"], 3, "{}", approved.body);
        assert_eq!(approved.body["pending_version"], Value::Null);
        assert_eq!(approved.body["search_keys"], json!(["kk", "nik"]));

        // Every version kept, with who proposed it and when it came into force.
        let versions = get(&app, &format!("{path}/versions"), &p.provider).await;
        let items = versions.body["items"].as_array().unwrap();
        let states: Vec<(i64, &str)> = items
            .iter()
            .map(|v| (v["version"].as_i64().unwrap(), v["state"].as_str().unwrap()))
            .collect();
        assert_eq!(states, [(1, "approved"), (2, "approved"), (3, "approved")]);
        assert!(items.iter().all(|v| v["proposed_by"] == "KEMENDES" && v["approved_at"].is_string()));
        assert_eq!(items[0]["retention_days"], 365);

        // Each change is an audit entry naming the version it made.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let (_, page) = app.get_json("/v1/audit/entries?limit=1000").await;
            let named: Vec<i64> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|e| e["agreements"].as_array().cloned().unwrap_or_default())
                .filter(|a| a["id"] == id.as_str())
                .map(|a| a["version"].as_i64().unwrap())
                .collect();
            if named.len() >= 5 {
                assert_eq!(named, [1, 1, 2, 3, 3], "propose, approve, narrow, widen, approve");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{named:?}");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn bad_terms_are_refused_naming_each_field(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let mut bad = proposal();
        bad["purposes"] = json!(["PEMBERDAYAAN_EKONOMI", "NO_SUCH_PURPOSE"]);
        bad["programs"] = json!(["PKH"]);
        bad["fields"] = json!(["/household/kk", "/id"]);
        bad["region_prefixes"] = json!(["99"]);
        bad["valid_until"] = bad["valid_from"].clone();
        bad["retention_days"] = 0.into();
        let refused = post(&app, "/v1/agreements", &p.consumer, Some(&bad)).await;
        assert_invalid(
            &refused,
            &[
                "/purposes/1",
                "/programs/0",
                "/fields/0",
                "/fields/1",
                "/region_prefixes/0",
                "/valid_until",
                "/retention_days",
            ],
            "bad terms",
        );
        let mut own = proposal();
        own["provider_agency"] = "KEMENDES".into();
        let refused = post(&app, "/v1/agreements", &p.consumer, Some(&own)).await;
        assert_invalid(&refused, &["/provider_agency"], "own agency");
        let mut unknown = proposal();
        unknown["lawful_basis"] = "because".into();
        let refused = post(&app, "/v1/agreements", &p.consumer, Some(&unknown)).await;
        assert_invalid(&refused, &["/lawful_basis"], "unknown basis");
        // Nothing was stored.
        let listed = get(&app, "/v1/agreements", &p.consumer).await;
        assert!(
            listed.body["items"].as_array().unwrap().iter().all(|a| a["provider_agency"] != "KEMENKOP"),
            "{}",
            listed.body
        );
        // Scopes: reading needs agreements:read, changing agreements:write.
        let read_only = app.token("demo-kemendes", Some("agreements:read")).await;
        let refused = post(&app, "/v1/agreements", &read_only, Some(&proposal())).await;
        assert_eq!(refused.status, 403);
        let no_scope = app.token("demo-kemendes", Some("graduations:read")).await;
        assert_eq!(get(&app, "/v1/agreements", &no_scope).await.status, 403);
        let malformed = get(&app, "/v1/agreements/not-a-uuid", &p.consumer).await;
        assert_eq!(malformed.status, 404);
    }

    async fn an_agreement_past_its_end_is_expired(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let mut body = proposal();
        body["valid_until"] = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339().into();
        let created = post(&app, "/v1/agreements", &p.consumer, Some(&body)).await;
        let id = created.body["id"].as_str().unwrap().to_owned();
        let approved = post(&app, &format!("/v1/agreements/{id}/approve"), &p.provider, None).await;
        assert_eq!(approved.body["status"], "active", "{}", approved.body);
        actix_web::rt::time::sleep(Duration::from_millis(2_500)).await;
        let later = get(&app, &format!("/v1/agreements/{id}"), &p.consumer).await;
        assert_eq!(later.body["status"], "expired", "{}", later.body);
    }

    async fn the_demo_seeds_the_agreements_of_the_walk_through(backend: Backend) {
        let app = spawn_app(backend).await;
        let all = get(&app, "/v1/agreements", &app.admin_token).await;
        // The harness's own oversight agreements (KEMENKOPM's) aside.
        let demo: Vec<&Value> = all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["consumer_agency"] != "KEMENKOPM")
            .collect();
        let mut pairs: Vec<(String, String, String)> = demo
            .iter()
            .map(|a| {
                assert_eq!(a["status"], "active", "{a}");
                (
                    a["consumer_agency"].as_str().unwrap().to_owned(),
                    a["provider_agency"].as_str().unwrap().to_owned(),
                    a["purposes"][0].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        pairs.sort();
        let mut expected = Vec::new();
        for agency in ["KEMENDES", "KEMENEKRAF", "KEMENKOP", "KEMENUMKM"] {
            expected.push((agency.to_owned(), "KEMENSOS".to_owned(), "PEMBERDAYAAN_EKONOMI".to_owned()));
            expected.push(("KEMENSOS".to_owned(), agency.to_owned(), "MONITORING_GRADUASI".to_owned()));
        }
        expected.sort();
        assert_eq!(pairs, expected);
        // The graduation agreements leave out members' NIKs.
        for a in demo {
            assert!(!a["fields"].as_array().unwrap().contains(&json!("/member_niks")), "{a}");
        }
    }
}

both_backends! {
    async fn operators_decide_and_read_agreements_from_the_command_line(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let id = propose(&app, &p).await;
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = crate::common::sinergi_command(dir.path(), Some(&app.db.url), args)
                .env("SINERGI_KEY_ENCRYPTION_KEY", sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64())
                .output()
                .unwrap();
            json_of(&out, args)
        };
        let approved = run(&["agreements", "approve", &id]);
        assert_eq!(approved["status"], "active", "{approved}");
        let suspended = run(&["agreements", "suspend", &id]);
        assert_eq!(suspended["status"], "suspended");
        let shown = run(&["agreements", "show", &id]);
        assert_eq!(shown["agreement"]["status"], "suspended");
        assert_eq!(shown["versions"].as_array().unwrap().len(), 1);
        let listed = run(&["agreements", "list"]);
        assert_eq!(
            listed["items"].as_array().unwrap().len(),
            14,
            "eight of the demo, five of the harness and this one"
        );
        let terminated = run(&["agreements", "terminate", &id]);
        assert_eq!(terminated["status"], "terminated");
        let purposes = run(&["purposes", "list"]);
        assert_eq!(purposes["items"].as_array().unwrap().len(), 4);
        let added = run(&[
            "purposes", "add", "--code", "PENELITIAN", "--name-id", "Penelitian kebijakan",
            "--name-en", "Policy research", "--description", "Analisis tanpa identitas.",
        ]);
        assert_eq!(added["code"], "PENELITIAN");
        // The API sees what the command line decided.
        let seen = get(&app, &format!("/v1/agreements/{id}"), &p.provider).await;
        assert_eq!(seen.body["status"], "terminated");
    }
}

/// The agreement changes on the feed as `token` sees them, once `count` are about `id`.
async fn agreement_changes(app: &TestApp, token: &str, id: &str, count: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let a = get(app, "/v1/changes?types=agreement&limit=1000", token).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let changes = a.body["changes"].as_array().unwrap().clone();
        if actions_of(&changes, id).len() >= count || std::time::Instant::now() > deadline {
            return changes;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

fn actions_of(changes: &[Value], id: &str) -> Vec<String> {
    changes
        .iter()
        .filter(|c| c["record_id"] == id)
        .map(|c| c["action"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    async fn both_parties_and_the_coordinator_follow_an_agreement_on_the_feed(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let id = propose(&app, &p).await;
        let path = format!("/v1/agreements/{id}");
        for (action, token) in [
            ("approve", &p.provider),
            ("suspend", &p.provider),
            ("approve", &p.provider),
            ("terminate", &p.consumer),
        ] {
            let a = post(&app, &format!("{path}/{action}"), token, None).await;
            assert_eq!(a.status, 200, "{action}: {}", a.body);
        }
        let expected = ["proposed", "approved", "suspended", "resumed", "terminated"];
        for token in [&p.consumer, &p.provider, &app.admin_token] {
            let changes = agreement_changes(&app, token, &id, expected.len()).await;
            assert_eq!(actions_of(&changes, &id), expected);
            let last = changes.iter().rfind(|c| c["record_id"] == id).unwrap();
            assert_eq!(last["type"], "agreement");
            assert_eq!(last["publisher"], "KEMENKOP");
            assert_eq!(last["record"]["status"], "terminated", "{last}");
            assert_eq!(last["record"]["consumer_agency"], "KEMENDES");
        }
        // Not a party: nothing of it, and records only by default without the scope.
        let outsider = agreement_changes(&app, &p.outsider, &id, 0).await;
        assert_eq!(actions_of(&outsider, &id), Vec::<String>::new());
        let no_scope = app.token("demo-kemenumkm", Some("changes:read enrollments:read")).await;
        let refused = get(&app, "/v1/changes?types=agreement", &no_scope).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        let records_only = get(&app, "/v1/changes", &no_scope).await;
        assert_eq!(records_only.status, 200, "{}", records_only.body);
        assert!(
            records_only.body["changes"].as_array().unwrap().iter().all(|c| c["type"] != "agreement"),
            "{}",
            records_only.body
        );
    }

    async fn the_feed_tells_both_parties_before_and_when_an_agreement_ends(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = parties(&app).await;
        let mut soon = proposal();
        let until = chrono::Utc::now() + chrono::Duration::seconds(8);
        soon["valid_until"] = until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into();
        let created = post(&app, "/v1/agreements", &p.consumer, Some(&soon)).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.body["id"].as_str().unwrap().to_owned();
        let approved = post(&app, &format!("/v1/agreements/{id}/approve"), &p.provider, None).await;
        assert_eq!(approved.status, 200, "{}", approved.body);

        // Well within 30 days of its end: `expiring` at once (the clock looks every 5 s),
        // then `expired` once the end has passed; each once, for both parties.
        for token in [&p.consumer, &p.provider] {
            let changes = agreement_changes(&app, token, &id, 4).await;
            assert_eq!(
                actions_of(&changes, &id),
                ["proposed", "approved", "expiring", "expired"]
            );
            let expired = changes.iter().rfind(|c| c["record_id"] == id).unwrap();
            assert_eq!(expired["record"]["status"], "expired", "{expired}");
            assert_eq!(expired["version"], 1);
        }
        actix_web::rt::time::sleep(Duration::from_secs(6)).await;
        let again = agreement_changes(&app, &p.consumer, &id, 0).await;
        assert_eq!(actions_of(&again, &id).len(), 4, "announced once: {again:?}");
    }
}
