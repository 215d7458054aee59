//! Every read of another agency's records is bound to an agreement, a purpose and a set of
//! fields: by id, history and search, on both backends, each refusal reason produced by a
//! request a real integrator could make, and nothing shown beyond the agreement's fields.

use std::collections::BTreeSet;

use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{
    HEAD, KEMENDES, KEMENKOP, KEMENSOS, enrollment, get, get_with, graduation, post, publish,
};
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

const EMPOWERMENT: (&str, &str) = (
    "Sinergi-Purpose",
    "PEMBERDAYAAN_EKONOMI: pendampingan usaha",
);
const MONITORING: (&str, &str) = ("Sinergi-Purpose", "MONITORING_GRADUASI");

/// The fields a reader under `fields` may see: the always-shown ones, the listed ones and
/// the pseudonym.
fn allowed(fields: &[&str]) -> BTreeSet<String> {
    let mut allowed: BTreeSet<String> = sinergi::domain::agreement::ALWAYS_SHOWN
        .into_iter()
        .chain(["/subject_ref"])
        .map(String::from)
        .collect();
    allowed.extend(fields.iter().map(|f| f.to_string()));
    allowed
}

/// Every leaf of `record` as a JSON pointer (arrays count as leaves).
fn leaves(record: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match record {
        Value::Object(map) if !prefix.is_empty() || !map.is_empty() => {
            for (k, v) in map {
                let p = format!("{prefix}/{k}");
                if prefix == "/attributes" || k == "attributes" {
                    out.insert(p);
                } else {
                    leaves(v, &p, out);
                }
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

/// Checks that `record` shows nothing outside `fields` (an enclosing object covers its
/// members).
fn assert_within(record: &Value, fields: &[&str]) {
    let allowed = allowed(fields);
    let mut shown = BTreeSet::new();
    leaves(record, "", &mut shown);
    for leaf in shown {
        let covered = allowed
            .iter()
            .any(|a| leaf == *a || leaf.starts_with(&format!("{a}/")));
        assert!(covered, "{leaf} is outside {fields:?}: {record}");
    }
}

/// The demo graduation agreement's fields.
const DEMO_GRADUATION_FIELDS: [&str; 6] = [
    "/household/kk",
    "/household/head_nik",
    "/region_code",
    "/graduation_type",
    "/graduated_on",
    "/welfare_decile",
];

struct Published {
    graduation: String,
    enrollment: String,
}

/// A KEMENSOS graduation and a KEMENKOP enrollment.
async fn publish_both(app: &TestApp) -> Published {
    let kemensos = app.token(KEMENSOS, None).await;
    let kemenkop = app.token(KEMENKOP, None).await;
    let g = publish(app, &kemensos, "graduations", &graduation("G-1")).await;
    let e = publish(
        app,
        &kemenkop,
        "enrollments",
        &enrollment("E-1", "KOPDES_MP"),
    )
    .await;
    Published {
        graduation: g["id"].as_str().unwrap().to_owned(),
        enrollment: e["id"].as_str().unwrap().to_owned(),
    }
}

/// The demo agreement by which `consumer` reads `provider`'s records.
async fn demo_agreement(app: &TestApp, consumer: &str, provider: &str) -> Value {
    let (_, all) = app.get_json("/v1/agreements").await;
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["consumer_agency"] == consumer && a["provider_agency"] == provider)
        .cloned()
        .expect("a demo agreement")
}

/// Replaces the terms of `agreement` (as its consumer, with `token`) by `change(terms)`.
async fn change_terms(
    app: &TestApp,
    token: &str,
    agreement: &Value,
    change: impl FnOnce(&mut Value),
) -> Value {
    let mut terms = agreement.clone();
    let object = terms.as_object_mut().unwrap();
    for server in [
        "id",
        "provider_agency",
        "consumer_agency",
        "status",
        "version",
        "pending_version",
        "latest_version",
        "created_at",
        "updated_at",
    ] {
        object.remove(server);
    }
    change(&mut terms);
    let id = agreement["id"].as_str().unwrap();
    let res = app
        .client
        .put(app.url(&format!("/v1/agreements/{id}")))
        .bearer_auth(token)
        .json(&terms)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

both_backends! {
    async fn one_reads_its_own_records_in_full_without_purpose_or_agreement(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = publish_both(&app).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let own = get(&app, &kemensos, &format!("/v1/graduations/{}", p.graduation)).await;
        assert_eq!(own.status, 200, "{}", own.body);
        assert_eq!(own.body["member_niks"], json!(["3201015508870002"]));
        assert_eq!(own.body["reason"].as_str().map(str::is_empty), Some(false));
        assert!(own.body.get("subject_ref").is_none());
        let page = get(&app, &kemensos, "/v1/graduations").await;
        assert_eq!(page.body["items"].as_array().unwrap().len(), 1, "{}", page.body);
    }

    async fn a_read_by_id_needs_a_purpose_the_agreement_covers(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let path = format!("/v1/graduations/{}", p.graduation);

        let none = get(&app, &kemendes, &path).await;
        assert_invalid(&none, &["#/header/Sinergi-Purpose"], "no purpose");
        let unknown = get_with(&app, &kemendes, &path, &[("Sinergi-Purpose", "Verifikasi data")]).await;
        assert_invalid(&unknown, &["#/header/Sinergi-Purpose"], "no code");
        let other = get_with(&app, &kemendes, &path, &[MONITORING]).await;
        assert_problem(&other, 403, "a purpose the agreement does not cover");
        assert_eq!(other.body["type"], "urn:sinergi:problem:purpose-not-covered");

        let read = get_with(&app, &kemendes, &path, &[EMPOWERMENT]).await;
        assert_eq!(read.status, 200, "{}", read.body);
        assert_within(&read.body, &DEMO_GRADUATION_FIELDS);
        assert_eq!(read.body["household"]["head_nik"], HEAD);
        assert!(read.body.get("member_niks").is_none(), "{}", read.body);
        assert!(read.body.get("reason").is_none() && read.body.get("attributes").is_none());

        // No agreement at all: KEMENDES and KEMENKOP have none.
        let enrollment = format!("/v1/enrollments/{}", p.enrollment);
        let refused = get_with(&app, &kemendes, &enrollment, &[EMPOWERMENT]).await;
        assert_problem(&refused, 403, "no agreement");
        assert_eq!(refused.body["type"], "urn:sinergi:problem:no-agreement");
        // History is projected alike, version by version.
        let history = get_with(&app, &kemendes, &format!("{path}/history"), &[EMPOWERMENT]).await;
        assert_eq!(history.status, 200, "{}", history.body);
        for version in history.body["items"].as_array().unwrap() {
            assert_within(version, &DEMO_GRADUATION_FIELDS);
        }
        let history = get_with(&app, &kemendes, &format!("{enrollment}/history"), &[EMPOWERMENT]).await;
        assert_eq!(history.body["type"], "urn:sinergi:problem:no-agreement");
    }

    async fn a_search_says_whom_it_left_out_and_why(backend: Backend) {
        let app = spawn_app(backend).await;
        publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let excluded = |page: &Value| -> Vec<(String, String)> {
            page["excluded_publishers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e["agency"].as_str().unwrap().into(), e["reason"].as_str().unwrap().into()))
                .collect()
        };
        // Without a purpose only the caller's own records are searched, and it is told.
        let plain = get(&app, &kemendes, "/v1/graduations").await;
        assert_eq!(plain.status, 200, "{}", plain.body);
        assert_eq!(plain.body["items"], json!([]));
        assert!(excluded(&plain.body).contains(&("KEMENSOS".into(), "purpose-missing".into())));
        // With the agreement's purpose KEMENSOS's graduations are found, projected.
        let page = get_with(&app, &kemendes, "/v1/graduations", &[EMPOWERMENT]).await;
        let items = page.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}", page.body);
        assert_within(&items[0], &DEMO_GRADUATION_FIELDS);
        let left_out = excluded(&page.body);
        assert!(!left_out.iter().any(|(a, _)| a == "KEMENSOS" || a == "KEMENDES"), "{left_out:?}");
        assert!(left_out.contains(&("KEMENKOP".into(), "no-agreement".into())));
        // Naming a publisher without an agreement is refused outright.
        let named = get_with(&app, &kemendes, "/v1/enrollments?publisher=KEMENKOP", &[EMPOWERMENT]).await;
        assert_eq!(named.body["type"], "urn:sinergi:problem:no-agreement", "{}", named.body);
        let named = get(&app, &kemendes, "/v1/graduations?publisher=KEMENSOS").await;
        assert_invalid(&named, &["#/header/Sinergi-Purpose"], "a named publisher needs a purpose");
        // Kemensos follows the families up in KEMENKOP's enrollments.
        let kemensos = app.token(KEMENSOS, None).await;
        let follow = get_with(&app, &kemensos, &format!("/v1/enrollments?nik={HEAD}"), &[MONITORING]).await;
        assert_eq!(follow.body["items"].as_array().unwrap().len(), 1, "{}", follow.body);
        assert!(follow.body["items"][0].get("attributes").is_none());
    }

    async fn a_search_key_outside_the_agreement_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let agreement = demo_agreement(&app, "KEMENDES", "KEMENSOS").await;
        // Narrowed to searching by KK: in force at once.
        change_terms(&app, &kemendes, &agreement, |t| t["search_keys"] = json!(["kk"])).await;
        let by_nik = format!("/v1/graduations?publisher=KEMENSOS&nik={HEAD}");
        let refused = get_with(&app, &kemendes, &by_nik, &[EMPOWERMENT]).await;
        assert_problem(&refused, 403, "nik not a search key");
        assert_eq!(refused.body["type"], "urn:sinergi:problem:search-key-not-covered");
        assert!(!refused.body.to_string().contains(HEAD), "the NIK is not repeated");
        let everyone = get_with(&app, &kemendes, &format!("/v1/graduations?nik={HEAD}"), &[EMPOWERMENT]).await;
        assert_eq!(everyone.body["items"], json!([]));
        assert!(
            everyone.body["excluded_publishers"]
                .as_array()
                .unwrap()
                .contains(&json!({"agency": "KEMENSOS", "reason": "search-key-not-covered"})),
            "{}",
            everyone.body
        );
        let by_kk = get_with(&app, &kemendes, "/v1/graduations?kk=3201012308150007", &[EMPOWERMENT]).await;
        assert_eq!(by_kk.body["items"].as_array().unwrap().len(), 1, "{}", by_kk.body);
    }

    async fn without_the_nik_field_a_consumer_gets_its_own_stable_pseudonym(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = publish_both(&app).await;
        let path = format!("/v1/graduations/{}", p.graduation);
        let mut refs = Vec::new();
        for (client, agency) in [(KEMENKOP, "KEMENKOP"), ("demo-kemenumkm", "KEMENUMKM")] {
            let token = app.token(client, None).await;
            let agreement = demo_agreement(&app, agency, "KEMENSOS").await;
            let narrowed = change_terms(&app, &token, &agreement, |t| {
                t["fields"] = json!(["/household/kk", "/region_code", "/graduated_on"]);
            })
            .await;
            assert_eq!(narrowed["pending_version"], Value::Null, "narrowing is at once");
            let first = get_with(&app, &token, &path, &[EMPOWERMENT]).await;
            assert_eq!(first.status, 200, "{}", first.body);
            assert!(first.body["household"].get("head_nik").is_none(), "{}", first.body);
            assert_within(&first.body, &["/household/kk", "/region_code", "/graduated_on"]);
            let reference = first.body["subject_ref"].as_str().unwrap().to_owned();
            assert_eq!(reference.len(), 64);
            assert!(!reference.contains(HEAD));
            let again = get_with(&app, &token, "/v1/graduations", &[EMPOWERMENT]).await;
            assert_eq!(again.body["items"][0]["subject_ref"], reference.as_str(), "stable");
            refs.push(reference);
        }
        assert_ne!(refs[0], refs[1], "two consumers cannot join on it");
    }

    async fn suspension_and_expiry_stop_reads_at_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let path = format!("/v1/graduations/{}", p.graduation);
        let agreement = demo_agreement(&app, "KEMENDES", "KEMENSOS").await;
        let id = agreement["id"].as_str().unwrap();
        let suspended = post(&app, &kemensos, &format!("/v1/agreements/{id}/suspend"), &json!({})).await;
        assert_eq!(suspended.body["status"], "suspended", "{}", suspended.body);
        let refused = get_with(&app, &kemendes, &path, &[EMPOWERMENT]).await;
        assert_eq!(refused.body["type"], "urn:sinergi:problem:no-agreement", "{}", refused.body);
        post(&app, &kemensos, &format!("/v1/agreements/{id}/approve"), &json!({})).await;
        assert_eq!(get_with(&app, &kemendes, &path, &[EMPOWERMENT]).await.status, 200);

        // An earlier end is a narrowing, in force at once; once passed, the read is refused
        // as expired.
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
        change_terms(&app, &kemendes, &agreement, |t| t["valid_until"] = soon.into()).await;
        actix_web::rt::time::sleep(std::time::Duration::from_millis(1_500)).await;
        let expired = get_with(&app, &kemendes, &path, &[EMPOWERMENT]).await;
        assert_problem(&expired, 403, "expired");
        assert_eq!(expired.body["type"], "urn:sinergi:problem:agreement-expired");
    }

    async fn a_persons_trail_names_the_agency_purpose_and_agreement_of_each_read(backend: Backend) {
        let app = spawn_app(backend).await;
        let p = publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let agreement = demo_agreement(&app, "KEMENDES", "KEMENSOS").await;
        let read = get_with(&app, &kemendes, &format!("/v1/graduations/{}", p.graduation), &[EMPOWERMENT]).await;
        let request_id = read.header("x-request-id").unwrap().to_owned();
        // The head of the household's trail, as a data subject's request (Art. 32) gets it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let entry = loop {
            let (_, page) = app.get_json(&format!("/v1/audit/entries?nik={HEAD}&limit=1000")).await;
            if let Some(e) = page["items"].as_array().unwrap().iter().find(|e| e["request_id"] == request_id.as_str()) {
                break e.clone();
            }
            assert!(std::time::Instant::now() < deadline);
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert_eq!(entry["agency"], "KEMENDES");
        assert_eq!(entry["purpose"], EMPOWERMENT.1);
        assert_eq!(
            entry["agreements"],
            json!([{"id": agreement["id"], "version": agreement["version"]}]),
            "{entry}"
        );
    }
}

both_backends! {
    async fn a_change_made_on_another_instance_takes_effect_within_the_refresh_bound(
        backend: Backend
    ) {
        // Two instances over one database, as behind a load balancer.
        let kek = sinergi::auth::secrets::KeyEncryptionKey::generate().to_base64();
        let db = crate::common::TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        let setting = kek.clone();
        let app = crate::common::spawn_with(db, move |s| s.key_encryption_key = Some(setting)).await;
        let mut settings = crate::common::test_settings(&app.db.url);
        settings.key_encryption_key = Some(kek);
        let (port, _replica) = crate::common::start_server(settings).await;
        let replica = format!("http://127.0.0.1:{port}");

        let p = publish_both(&app).await;
        let kemendes = app.token(KEMENDES, None).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let read_on_replica = || {
            let url = format!("{replica}/v1/graduations/{}", p.graduation);
            let req = app.client.get(url).bearer_auth(&kemendes).header(EMPOWERMENT.0, EMPOWERMENT.1);
            async move { req.send().await.unwrap().status().as_u16() }
        };
        assert_eq!(read_on_replica().await, 200, "the replica caches the agreement in force");

        let agreement = demo_agreement(&app, "KEMENDES", "KEMENSOS").await;
        let id = agreement["id"].as_str().unwrap();
        let suspended = post(&app, &kemensos, &format!("/v1/agreements/{id}/suspend"), &json!({})).await;
        assert_eq!(suspended.body["status"], "suspended", "{}", suspended.body);
        let suspended_at = std::time::Instant::now();
        // The bound is `policy::REFRESH` (2 s); the deadline leaves room for a loaded machine.
        loop {
            if read_on_replica().await == 403 {
                break;
            }
            assert!(
                suspended_at.elapsed() < std::time::Duration::from_secs(10),
                "the replica still serves under a suspended agreement"
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        println!(
            "{backend:?}: the replica refused {:?} after the suspension (bound: {:?})",
            suspended_at.elapsed(),
            sinergi::agreements::policy::REFRESH
        );
    }
}
