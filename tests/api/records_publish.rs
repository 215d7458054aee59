//! Publishing graduation and enrollment records over HTTP, on both backends: single writes
//! (created, updated, unchanged on canonical content), conditional writes, batches,
//! retraction, history, conditional reads and concurrent writers of one record.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{
    KEMENDES, KEMENKOP, KEMENSOS, SERVER_FIELDS, VILLAGE, batch_results, delete, delete_with,
    enrollment, get, get_with, graduation, post, post_batch, post_text, post_with, publish,
};
use crate::common::{Backend, TestApp, spawn_app};
use diesel::prelude::*;
use serde_json::{Value, json};

/// The record without the fields the exchange sets: what the publisher sent, normalised.
fn content_of(record: &Value) -> Value {
    let mut content = record.clone();
    for field in SERVER_FIELDS {
        content.as_object_mut().unwrap().remove(field);
    }
    content
}

/// Checks a freshly written record against what was sent and returns its id.
fn assert_record(record: &Value, sent: &Value, publisher: &str, version: i64) -> String {
    let mut expected = sent.clone();
    let object = expected.as_object_mut().unwrap();
    if object.contains_key("household") {
        for (field, default) in [
            ("member_niks", json!([])),
            ("welfare_decile", Value::Null),
            ("reason", Value::Null),
            ("attributes", Value::Null),
        ] {
            object.entry(field).or_insert(default);
        }
    } else {
        for field in ["ended_on", "graduation_id", "attributes"] {
            object.entry(field).or_insert(Value::Null);
        }
    }
    assert_eq!(content_of(record), expected, "{record}");
    assert_eq!(record["publisher"], publisher, "{record}");
    assert_eq!(record["version"], version, "{record}");
    assert_eq!(record["retracted"], false, "{record}");
    assert_eq!(record["retraction_reason"], Value::Null, "{record}");
    let id = record["id"].as_str().unwrap().to_owned();
    uuid::Uuid::parse_str(&id).expect("a UUID id");
    id
}

fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    value.as_str().unwrap().parse().unwrap()
}

/// Every version number in a record's history, in the order answered.
async fn history_versions(app: &TestApp, token: &str, collection: &str, id: &str) -> Vec<i64> {
    let a = get(app, token, &format!("/v1/{collection}/{id}/history")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect()
}

/// Rows in the three record tables: (records, record_versions, record_niks).
fn row_counts(app: &TestApp) -> (i64, i64, i64) {
    use sinergi::db::schema::{record_niks, record_versions, records};
    let mut conn = app.db.connect();
    (
        records::table.count().get_result(&mut conn).unwrap(),
        record_versions::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        record_niks::table.count().get_result(&mut conn).unwrap(),
    )
}

/// Graduation records of a publisher with this source id, straight from the database.
fn stored_ids(app: &TestApp, kind: &str, publisher: &str, srid: &str) -> Vec<String> {
    use sinergi::db::schema::records;
    records::table
        .filter(records::kind.eq(kind))
        .filter(records::publisher.eq(publisher))
        .filter(records::source_record_id.eq(srid))
        .select(records::id)
        .load(&mut app.db.connect())
        .unwrap()
}

/// What a writer thread was answered: the status, the `Sinergi-Result` header and the body.
type Outcome = (u16, Option<String>, Value);

fn outcome(res: reqwest::Result<reqwest::blocking::Response>) -> Outcome {
    let res = res.expect("request");
    let status = res.status().as_u16();
    let result = res
        .headers()
        .get("sinergi-result")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = res.json().unwrap();
    (status, result, body)
}

/// Runs `f` on `n` threads at once, each with its own blocking HTTP client, and returns
/// their results in thread order.
async fn on_threads<T, F>(n: usize, f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize, &reqwest::blocking::Client) -> T + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (f, barrier) = (f.clone(), barrier.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                barrier.wait();
                f(i, &client)
            })
        })
        .collect();
    actix_web::rt::task::spawn_blocking(move || {
        handles
            .into_iter()
            .map(|h| h.join().expect("writer thread"))
            .collect()
    })
    .await
    .unwrap()
}

both_backends! {
    async fn a_graduation_is_created_then_updated_then_found_unchanged(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let sent = graduation("PKH-2026-0001");

        let created = post(&app, &token, "/v1/graduations", &sent).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.header("sinergi-result"), Some("created"));
        assert_eq!(created.header("etag"), Some("\"1\""));
        let id = assert_record(&created.body, &sent, "KEMENSOS", 1);
        assert_eq!(
            created.header("location"),
            Some(format!("/v1/graduations/{id}").as_str())
        );
        assert_eq!(created.body["created_at"], created.body["updated_at"]);

        // The Location names the record as stored.
        let read = get(&app, &token, &format!("/v1/graduations/{id}")).await;
        assert_eq!(read.status, 200, "{}", read.body);
        assert_eq!(read.header("etag"), Some("\"1\""));
        assert_eq!(read.body, created.body);

        let mut changed = sent.clone();
        changed["graduation_type"] = json!("self_reliant");
        changed["welfare_decile"] = json!(7);
        let updated = post(&app, &token, "/v1/graduations", &changed).await;
        assert_eq!(updated.status, 200, "{}", updated.body);
        assert_eq!(updated.header("sinergi-result"), Some("updated"));
        assert_eq!(updated.header("etag"), Some("\"2\""));
        assert_eq!(assert_record(&updated.body, &changed, "KEMENSOS", 2), id);
        assert_eq!(updated.body["created_at"], created.body["created_at"]);
        assert!(instant(&updated.body["updated_at"]) > instant(&created.body["updated_at"]));

        let again = post(&app, &token, "/v1/graduations", &changed).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.header("sinergi-result"), Some("unchanged"));
        assert_eq!(again.header("etag"), Some("\"2\""));
        assert_eq!(again.body, updated.body);

        let read = get(&app, &token, &format!("/v1/graduations/{id}")).await;
        assert_eq!(read.body, updated.body);
        assert_eq!(read.header("etag"), Some("\"2\""));
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1, 2]
        );
        assert_eq!(row_counts(&app), (1, 2, 2));
    }

    async fn an_enrollment_is_created_updated_and_found_unchanged(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let grad = post(&app, &kemensos, "/v1/graduations", &graduation("G-1")).await;
        assert_eq!(grad.status, 201, "{}", grad.body);

        let mut sent = enrollment("PKTD-2026-000045", "PKTD");
        sent["graduation_id"] = grad.body["id"].clone();
        let created = post(&app, &kemendes, "/v1/enrollments", &sent).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.header("sinergi-result"), Some("created"));
        assert_eq!(created.header("etag"), Some("\"1\""));
        let id = assert_record(&created.body, &sent, "KEMENDES", 1);
        assert_eq!(
            created.header("location"),
            Some(format!("/v1/enrollments/{id}").as_str())
        );

        let mut ended = sent.clone();
        ended["status"] = json!("completed");
        ended["ended_on"] = json!("2026-12-31");
        let updated = post(&app, &kemendes, "/v1/enrollments", &ended).await;
        assert_eq!(updated.status, 200, "{}", updated.body);
        assert_eq!(updated.header("sinergi-result"), Some("updated"));
        assert_eq!(assert_record(&updated.body, &ended, "KEMENDES", 2), id);

        let again = post(&app, &kemendes, "/v1/enrollments", &ended).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.header("sinergi-result"), Some("unchanged"));
        assert_eq!(again.header("etag"), Some("\"2\""));

        let read = get(&app, &kemendes, &format!("/v1/enrollments/{id}")).await;
        assert_eq!(read.body, updated.body);
        assert_eq!(
            history_versions(&app, &kemendes, "enrollments", &id).await,
            [1, 2]
        );
        // An enrollment and a graduation are separate kinds even under one source id.
        let same_id = post(
            &app,
            &kemensos,
            "/v1/enrollments",
            &enrollment("G-1", "PENA"),
        )
        .await;
        assert_eq!(same_id.status, 201, "{}", same_id.body);
        assert_ne!(same_id.body["id"], grad.body["id"]);
    }

    async fn unchanged_is_decided_on_canonical_content(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let original = r#"{
            "source_record_id": "CANON-1",
            "program": "PKH",
            "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
            "member_niks": ["3201015508870002"],
            "region_code": "32.01.01.1002",
            "graduation_type": "natural",
            "graduated_on": "2026-06-30",
            "welfare_decile": 6,
            "attributes": {"alpha": 1, "beta": {"x": 2.5, "y": [1, 2]}, "gamma": "g"}
        }"#;
        let created = post_text(&app, &token, "/v1/graduations", original).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.body["id"].as_str().unwrap().to_owned();

        let same_meaning = [
            // Keys in another order, at the top and inside attributes and household.
            r#"{"attributes": {"gamma": "g", "beta": {"y": [1, 2], "x": 2.5}, "alpha": 1},
                "welfare_decile": 6, "graduated_on": "2026-06-30",
                "graduation_type": "natural", "region_code": "32.01.01.1002",
                "member_niks": ["3201015508870002"],
                "household": {"head_nik": "3201011507850003", "kk": "3201012308150007"},
                "program": "PKH", "source_record_id": "CANON-1"}"#,
            // The region code without dots.
            r#"{"source_record_id": "CANON-1", "program": "PKH",
                "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
                "member_niks": ["3201015508870002"], "region_code": "3201011002",
                "graduation_type": "natural", "graduated_on": "2026-06-30", "welfare_decile": 6,
                "attributes": {"alpha": 1, "beta": {"x": 2.5, "y": [1, 2]}, "gamma": "g"}}"#,
            // Numbers spelt differently: 1 as 1.0, 2.5 as 2.50 and 25e-1.
            r#"{"source_record_id": "CANON-1", "program": "PKH",
                "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
                "member_niks": ["3201015508870002"], "region_code": "32.01.01.1002",
                "graduation_type": "natural", "graduated_on": "2026-06-30", "welfare_decile": 6,
                "attributes": {"alpha": 1.0, "beta": {"x": 2.50, "y": [1.0, 2]}, "gamma": "g"}}"#,
            r#"{"source_record_id": "CANON-1", "program": "PKH",
                "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
                "member_niks": ["3201015508870002"], "region_code": "32.01.01.1002",
                "graduation_type": "natural", "graduated_on": "2026-06-30", "welfare_decile": 6,
                "attributes": {"alpha": 1, "beta": {"x": 25e-1, "y": [1, 2]}, "gamma": "g"}}"#,
            // Absent optional fields spelt as null.
            r#"{"source_record_id": "CANON-1", "program": "PKH",
                "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
                "member_niks": ["3201015508870002"], "region_code": "32.01.01.1002",
                "graduation_type": "natural", "graduated_on": "2026-06-30", "welfare_decile": 6,
                "reason": null,
                "attributes": {"alpha": 1, "beta": {"x": 2.5, "y": [1, 2]}, "gamma": "g"}}"#,
        ];
        for body in same_meaning {
            let a = post_text(&app, &token, "/v1/graduations", body).await;
            assert_eq!(a.status, 200, "{body}: {}", a.body);
            assert_eq!(a.header("sinergi-result"), Some("unchanged"), "{body}");
            assert_eq!(a.header("etag"), Some("\"1\""), "{body}");
            assert_eq!(a.body["version"], 1, "{body}");
            assert_eq!(a.body["id"].as_str(), Some(id.as_str()));
            assert_eq!(a.body["region_code"], VILLAGE);
        }
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1]
        );
        let read = get(&app, &token, &format!("/v1/graduations/{id}")).await;
        assert_eq!(read.body["updated_at"], created.body["updated_at"]);
        assert_eq!(read.body["region_code"], VILLAGE);
        assert_eq!(
            read.body["attributes"],
            json!({"alpha": 1, "beta": {"x": 2.5, "y": [1, 2]}, "gamma": "g"})
        );

        // A real change of one nested value is a new version.
        let changed = original.replace("\"x\": 2.5", "\"x\": 2.6");
        let a = post_text(&app, &token, "/v1/graduations", changed).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("updated"));
        assert_eq!(a.body["version"], 2);
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1, 2]
        );

        // Enrollments too: an absent ended_on and `"ended_on": null` are one content.
        let kemendes = app.token(KEMENDES, None).await;
        let sent = enrollment("E-CANON", "PKTD");
        let first = post(&app, &kemendes, "/v1/enrollments", &sent).await;
        assert_eq!(first.status, 201, "{}", first.body);
        let mut with_nulls = sent.clone();
        with_nulls["ended_on"] = Value::Null;
        with_nulls["graduation_id"] = Value::Null;
        with_nulls["region_code"] = json!("3201011002");
        let a = post(&app, &kemendes, "/v1/enrollments", &with_nulls).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("unchanged"));
        assert_eq!(a.body["version"], 1);
    }

    async fn if_match_makes_a_write_conditional(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let write_if = async |body: &Value, tag: &str| {
            post_with(&app, &token, "/v1/graduations", body, &[("if-match", tag)]).await
        };
        let sent = graduation("IFM-1");
        let created = post(&app, &token, "/v1/graduations", &sent).await;
        assert_eq!(created.status, 201);
        let id = created.body["id"].as_str().unwrap().to_owned();

        // A stale or unknown tag: 412, nothing written.
        let mut v2 = sent.clone();
        v2["graduation_type"] = json!("self_reliant");
        for tag in ["\"2\"", "\"0\"", "W/\"1\"", "\"2\", \"3\""] {
            let a = write_if(&v2, tag).await;
            assert_problem(&a, 412, tag);
            assert_eq!(a.body["type"], "urn:sinergi:problem:precondition-failed");
        }
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1]
        );

        // The current tag (alone or in a list) lets the write through.
        let a = write_if(&v2, "\"7\", \"1\"").await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("updated"));
        assert_eq!(a.header("etag"), Some("\"2\""));

        // The old tag no longer matches.
        let mut v3 = v2.clone();
        v3["welfare_decile"] = json!(9);
        assert_problem(&write_if(&v3, "\"1\"").await, 412, "the old tag");
        let a = write_if(&v3, "\"2\"").await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.body["version"], 3);

        // `*`: the record exists, so it is written.
        let mut v4 = v3.clone();
        v4["welfare_decile"] = json!(10);
        let a = write_if(&v4, "*").await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.body["version"], 4);
        // A matching tag with the same content: unchanged.
        let a = write_if(&v4, "\"4\"").await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("unchanged"));

        // A value that is neither `*` nor entity tags matches nothing: 412, not a blind write.
        let mut v5 = v4.clone();
        v5["welfare_decile"] = json!(1);
        for tag in ["4", "\"4", "", "W/4", "\"4\" \"5\""] {
            assert_problem(&write_if(&v5, tag).await, 412, tag);
        }

        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1, 2, 3, 4]
        );
        let read = get(&app, &token, &format!("/v1/graduations/{id}")).await;
        assert_eq!(content_of(&read.body), content_of(&a_record(&v4)));
    }

    async fn if_match_on_a_record_that_does_not_exist_fails_and_creates_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        for (t, path, body, tag) in [
            (&token, "/v1/graduations", graduation("NEVER"), "\"1\""),
            (&token, "/v1/graduations", graduation("NEVER"), "*"),
            (
                &kemendes,
                "/v1/enrollments",
                enrollment("NEVER", "PKTD"),
                "\"1\"",
            ),
        ] {
            let a = post_with(&app, t, path, &body, &[("if-match", tag)]).await;
            assert_problem(&a, 412, &format!("{path} If-Match: {tag}"));
        }
        assert_eq!(row_counts(&app), (0, 0, 0));
        let search = get(&app, &token, "/v1/graduations?include_retracted=true").await;
        assert_eq!(search.body["items"], json!([]));
    }

    async fn a_batch_answers_one_result_per_item_in_order_and_keeps_the_valid_ones(
        backend: Backend
    ) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let existing = post(&app, &token, "/v1/graduations", &graduation("B-EXISTING")).await;
        let same = post(&app, &token, "/v1/graduations", &graduation("B-SAME")).await;
        assert_eq!((existing.status, same.status), (201, 201));

        let mut changed = graduation("B-EXISTING");
        changed["graduation_type"] = json!("exit_noncompliance");
        let mut bad_kk = graduation("B-BAD-KK");
        bad_kk["household"]["kk"] = json!("320101230815000");
        let mut foreign = graduation("B-FOREIGN");
        foreign["program"] = json!("PKTD");
        let items = vec![
            graduation("B-NEW-1"),
            bad_kk,
            changed,
            graduation("B-SAME"),
            foreign,
            json!({"program": "PKH"}),
            graduation("B-NEW-2"),
        ];
        let a = post_batch(&app, &token, "/v1/graduations/batch", items).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let results = a.body["results"].as_array().unwrap();
        assert_eq!(results.len(), 7, "{}", a.body);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r["index"], i, "{r}");
        }
        let summary: Vec<(&str, &str)> = results
            .iter()
            .map(|r| {
                (
                    r["source_record_id"].as_str().unwrap_or("-"),
                    r["result"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("B-NEW-1", "created"),
                ("B-BAD-KK", "rejected"),
                ("B-EXISTING", "updated"),
                ("B-SAME", "unchanged"),
                ("B-FOREIGN", "rejected"),
                ("-", "rejected"),
                ("B-NEW-2", "created"),
            ]
        );
        // Written items carry their id and version and no errors.
        assert_eq!(results[2]["id"], existing.body["id"]);
        assert_eq!(results[2]["version"], 2);
        assert_eq!(results[3]["id"], same.body["id"]);
        assert_eq!(results[3]["version"], 1);
        for i in [0, 6] {
            assert_eq!(results[i]["version"], 1);
            assert_eq!(results[i]["errors"], json!([]));
            let id = results[i]["id"].as_str().unwrap();
            let read = get(&app, &token, &format!("/v1/graduations/{id}")).await;
            assert_eq!(read.status, 200);
            assert_eq!(
                read.body["source_record_id"],
                results[i]["source_record_id"]
            );
        }
        // Rejected items carry pointers into the batch and no id or version.
        for (i, pointer) in [(1, "/items/1/household/kk"), (4, "/items/4/program")] {
            assert_eq!(results[i]["id"], Value::Null);
            assert_eq!(results[i]["version"], Value::Null);
            let errors = results[i]["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "{}", results[i]);
            assert_eq!(errors[0]["pointer"], pointer);
        }
        assert_eq!(
            results[5]["errors"][0]["pointer"],
            "/items/5/source_record_id"
        );

        let search = get(&app, &token, "/v1/graduations").await;
        let mut srids: Vec<&str> = search.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["source_record_id"].as_str().unwrap())
            .collect();
        srids.sort();
        assert_eq!(srids, ["B-EXISTING", "B-NEW-1", "B-NEW-2", "B-SAME"]);
        assert!(stored_ids(&app, "graduation", "KEMENSOS", "B-BAD-KK").is_empty());

        // Enrollments batch the same way.
        let kemendes = app.token(KEMENDES, None).await;
        let mut bad_end = enrollment("E-2", "PKTD");
        bad_end["ended_on"] = json!("2026-07-01");
        let items = vec![enrollment("E-1", "PKTD"), bad_end];
        let a = post_batch(&app, &kemendes, "/v1/enrollments/batch", items).await;
        assert_eq!(batch_results(&a), ["created", "rejected"]);
        assert_eq!(a.body["results"][1]["source_record_id"], "E-2");
        assert_eq!(
            a.body["results"][1]["errors"][0]["pointer"],
            "/items/1/ended_on"
        );
    }

    async fn an_atomic_batch_is_all_or_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let existing = post(&app, &token, "/v1/graduations", &graduation("A-EXISTING")).await;
        assert_eq!(existing.status, 201);
        let before = row_counts(&app);

        let mut changed = graduation("A-EXISTING");
        changed["graduation_type"] = json!("self_reliant");
        let mut bad = graduation("A-BAD");
        bad["household"]["head_nik"] = json!("3201013102900001");
        let items = vec![graduation("A-NEW"), changed.clone(), bad];
        let a = post_batch(&app, &token, "/v1/graduations/batch?atomic=true", items).await;
        assert_invalid(&a, &["/items/2/household/head_nik"], "atomic batch");
        assert_eq!(row_counts(&app), before);
        assert!(stored_ids(&app, "graduation", "KEMENSOS", "A-NEW").is_empty());
        let id = existing.body["id"].as_str().unwrap();
        assert_eq!(history_versions(&app, &token, "graduations", id).await, [1]);

        // Without the bad item, the atomic batch writes everything.
        let items = vec![graduation("A-NEW"), changed];
        let a = post_batch(&app, &token, "/v1/graduations/batch?atomic=true", items).await;
        assert_eq!(batch_results(&a), ["created", "updated"]);
        assert_eq!(
            history_versions(&app, &token, "graduations", id).await,
            [1, 2]
        );

        // `atomic=false` is the default behaviour.
        let mut bad = graduation("A-BAD-2");
        bad["region_code"] = json!("99.99.99.9999");
        let items = vec![graduation("A-NEW-2"), bad];
        let a = post_batch(&app, &token, "/v1/graduations/batch?atomic=false", items).await;
        assert_eq!(batch_results(&a), ["created", "rejected"]);
        assert_eq!(
            a.body["results"][1]["errors"][0]["pointer"],
            "/items/1/region_code"
        );
    }

    async fn a_batch_of_more_than_1000_items_is_refused_with_413(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let items =
            |n: usize| -> Vec<Value> { (0..n).map(|i| graduation(&format!("BIG-{i}"))).collect() };
        let a = post_batch(&app, &token, "/v1/graduations/batch", items(1_001)).await;
        assert_problem(&a, 413, "1,001 items");
        assert_eq!(row_counts(&app), (0, 0, 0));

        // Exactly 1,000 is accepted.
        let a = post_batch(&app, &token, "/v1/graduations/batch", items(1_000)).await;
        assert_eq!(batch_results(&a), ["created"; 1_000]);
        assert_eq!(row_counts(&app), (1_000, 1_000, 2_000));
    }

    async fn a_source_record_id_repeated_in_one_batch_rejects_every_copy(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let mut second = graduation("DUP");
        second["graduation_type"] = json!("self_reliant");
        let items = vec![
            graduation("SOLO-1"),
            graduation("DUP"),
            graduation("SOLO-2"),
            second,
            graduation("TRIP"),
            graduation("TRIP"),
            graduation("TRIP"),
        ];
        let a = post_batch(&app, &token, "/v1/graduations/batch", items).await;
        assert_eq!(
            batch_results(&a),
            [
                "created", "rejected", "created", "rejected", "rejected", "rejected", "rejected"
            ]
        );
        let results = a.body["results"].as_array().unwrap();
        let error = |i: usize| {
            let errors = results[i]["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "{}", results[i]);
            assert_eq!(errors[0]["pointer"], format!("/items/{i}/source_record_id"));
            errors[0]["detail"].as_str().unwrap().to_owned()
        };
        assert!(error(1).contains("/items/3"), "{}", error(1));
        assert!(error(3).contains("/items/1"), "{}", error(3));
        for (i, others) in [(4, [5, 6]), (5, [4, 6]), (6, [4, 5])] {
            for other in others {
                assert!(
                    error(i).contains(&format!("/items/{other}")),
                    "{}",
                    error(i)
                );
            }
        }
        assert_eq!(results[1]["source_record_id"], "DUP");
        assert!(stored_ids(&app, "graduation", "KEMENSOS", "DUP").is_empty());
        assert!(stored_ids(&app, "graduation", "KEMENSOS", "TRIP").is_empty());
        assert_eq!(row_counts(&app).0, 2);
    }

    async fn if_match_on_a_batch_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let body = json!({"items": [graduation("IFM-B")]});
        for tag in ["\"1\"", "*"] {
            let headers = [("if-match", tag)];
            let a = post_with(&app, &token, "/v1/graduations/batch", &body, &headers).await;
            assert_invalid(&a, &["#/header/If-Match"], tag);
        }
        assert_eq!(row_counts(&app), (0, 0, 0));
    }

    async fn the_publisher_retracts_and_restores_a_record(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let sent = graduation("RET-1");
        let created = post(&app, &token, "/v1/graduations", &sent).await;
        assert_eq!(created.status, 201);
        let id = created.body["id"].as_str().unwrap().to_owned();
        let path = format!("/v1/graduations/{id}");

        // Another agency may not retract it, an unknown id is 404, and a graduation id is
        // not an enrollment id.
        let kemendes = app.token(KEMENDES, None).await;
        for (what, t, p, status) in [
            (
                "another agency",
                &kemendes,
                format!("{path}?reason=bukan%20punya%20saya"),
                403,
            ),
            (
                "unknown id",
                &token,
                format!("/v1/graduations/{}", uuid::Uuid::now_v7()),
                404,
            ),
            (
                "an enrollment",
                &token,
                format!("/v1/enrollments/{id}"),
                404,
            ),
        ] {
            assert_problem(&delete(&app, t, &p).await, status, what);
        }
        // A stale If-Match is 412.
        let a = delete_with(&app, &token, &path, &[("if-match", "\"2\"")]).await;
        assert_problem(&a, 412, "stale If-Match");
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1]
        );

        let reason = "Data ganda: keluarga sudah tercatat dengan id lain";
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("reason", reason)
            .finish();
        let a = delete_with(
            &app,
            &token,
            &format!("{path}?{query}"),
            &[("if-match", "\"1\"")],
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("retracted"));
        assert_eq!(a.header("etag"), Some("\"2\""));
        assert_eq!(a.body["version"], 2);
        assert_eq!(a.body["retracted"], true);
        assert_eq!(a.body["retraction_reason"], reason);
        assert_eq!(content_of(&a.body), content_of(&created.body));
        assert_eq!(a.body["created_at"], created.body["created_at"]);

        let read = get(&app, &token, &path).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.body, a.body);

        // Again: nothing changes.
        let again = delete(&app, &token, &format!("{path}?reason=lagi")).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.header("sinergi-result"), Some("unchanged"));
        assert_eq!(again.body["version"], 2);
        assert_eq!(again.body["retraction_reason"], reason);
        let a = delete(&app, &kemendes, &path).await;
        assert_problem(&a, 403, "another agency, after the retraction");

        // Publishing the same source id restores it as a new version.
        let restored = post(&app, &token, "/v1/graduations", &sent).await;
        assert_eq!(restored.status, 200, "{}", restored.body);
        assert_eq!(restored.header("sinergi-result"), Some("updated"));
        assert_eq!(restored.header("etag"), Some("\"3\""));
        assert_eq!(assert_record(&restored.body, &sent, "KEMENSOS", 3), id);

        let history = get(&app, &token, &format!("{path}/history")).await;
        let flags: Vec<(i64, bool, Value)> = history.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["version"].as_i64().unwrap(),
                    v["retracted"].as_bool().unwrap(),
                    v["retraction_reason"].clone(),
                )
            })
            .collect();
        assert_eq!(
            flags,
            [
                (1, false, Value::Null),
                (2, true, json!(reason)),
                (3, false, Value::Null)
            ]
        );

        // Enrollments retract the same way, without a reason too.
        let enrolled = publish(&app, &kemendes, "enrollments", &enrollment("E-RET", "PKTD")).await;
        let eid = enrolled["id"].as_str().unwrap();
        let a = delete(&app, &token, &format!("/v1/enrollments/{eid}")).await;
        assert_problem(&a, 403, "another agency's enrollment");
        let a = delete(&app, &kemendes, &format!("/v1/enrollments/{eid}")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("sinergi-result"), Some("retracted"));
        assert_eq!(a.body["retracted"], true);
        assert_eq!(a.body["retraction_reason"], Value::Null);
        assert_eq!(a.body["version"], 2);
    }

    async fn each_agency_upserts_only_its_own_records_and_programs(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let kemenkop = app.token(KEMENKOP, None).await;
        let enroll = async |token: &str, srid: &str, program: &str| {
            post(&app, token, "/v1/enrollments", &enrollment(srid, program)).await
        };

        let theirs = enroll(&kemensos, "SHARED-1", "PENA").await;
        assert_eq!(theirs.status, 201, "{}", theirs.body);
        // The same source id from another agency is another record.
        let mine = enroll(&kemendes, "SHARED-1", "PKTD").await;
        assert_eq!(mine.status, 201, "{}", mine.body);
        assert_eq!(mine.header("sinergi-result"), Some("created"));
        assert_ne!(mine.body["id"], theirs.body["id"]);
        assert_eq!(mine.body["publisher"], "KEMENDES");
        let kop = enroll(&kemenkop, "SHARED-1", "KOPDES_MP").await;
        assert_eq!(kop.status, 201, "{}", kop.body);

        let id = theirs.body["id"].as_str().unwrap();
        let read = get(&app, &kemensos, &format!("/v1/enrollments/{id}")).await;
        assert_eq!(read.body, theirs.body);
        assert_eq!(
            history_versions(&app, &kemensos, "enrollments", id).await,
            [1]
        );

        // Publishing for a program another agency owns is 403, single or in a batch.
        let a = enroll(&kemendes, "SHARED-1", "PENA").await;
        assert_problem(&a, 403, "an enrollment in another agency's program");
        assert!(
            a.body["detail"].as_str().unwrap().contains("PENA"),
            "{}",
            a.body
        );
        let a = post(
            &app,
            &kemendes,
            "/v1/graduations",
            &graduation("G-NOT-MINE"),
        )
        .await;
        assert_problem(&a, 403, "a graduation in another agency's program");
        let items = vec![enrollment("SHARED-2", "PENA")];
        let a = post_batch(&app, &kemendes, "/v1/enrollments/batch", items).await;
        assert_eq!(batch_results(&a), ["rejected"]);
        assert_eq!(
            a.body["results"][0]["errors"][0]["pointer"],
            "/items/0/program"
        );

        assert_eq!(
            stored_ids(&app, "enrollment", "KEMENDES", "SHARED-1").len(),
            1
        );
        assert_eq!(
            stored_ids(&app, "enrollment", "KEMENSOS", "SHARED-1").len(),
            1
        );
        assert_eq!(row_counts(&app).0, 3);
        let kemensos_read = get(&app, &kemensos, &format!("/v1/enrollments/{id}")).await;
        assert_eq!(kemensos_read.body["program"], "PENA");
        assert_eq!(kemensos_read.body["version"], 1);
    }

    async fn history_lists_every_version_oldest_first(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let types = [
            "natural",
            "self_reliant",
            "exit_noncompliance",
            "exit_data_correction",
        ];
        let mut written = Vec::new();
        for t in types {
            let mut g = graduation("HIST-1");
            g["graduation_type"] = json!(t);
            written.push(publish(&app, &token, "graduations", &g).await);
        }
        let id = written[0]["id"].as_str().unwrap().to_owned();
        let history = get(&app, &token, &format!("/v1/graduations/{id}/history")).await;
        assert_eq!(history.status, 200, "{}", history.body);
        let items = history.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 4);
        for (i, (version, written)) in items.iter().zip(&written).enumerate() {
            assert_eq!(version["version"], i + 1);
            assert_eq!(version, written, "version {}", i + 1);
        }
        for path in [
            format!("/v1/graduations/{}/history", uuid::Uuid::now_v7()),
            "/v1/graduations/not-a-uuid/history".to_owned(),
            format!("/v1/enrollments/{id}/history"),
        ] {
            assert_problem(&get(&app, &token, &path).await, 404, &path);
        }
    }

    async fn a_read_answers_304_while_the_etag_is_current(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let created = post(&app, &token, "/v1/graduations", &graduation("ETAG-1")).await;
        let path = format!("/v1/graduations/{}", created.body["id"].as_str().unwrap());

        let read = get(&app, &token, &path).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.header("etag"), Some("\"1\""));
        for tag in ["\"1\"", "W/\"1\"", "\"9\", \"1\"", "*"] {
            let a = get_with(&app, &token, &path, &[("if-none-match", tag)]).await;
            assert_eq!(a.status, 304, "If-None-Match: {tag}");
            assert_eq!(a.header("etag"), Some("\"1\""));
            assert_eq!(a.body, Value::Null);
        }
        let a = get_with(&app, &token, &path, &[("if-none-match", "\"2\"")]).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.body, read.body);

        let mut changed = graduation("ETAG-1");
        changed["welfare_decile"] = json!(8);
        assert_eq!(
            post(&app, &token, "/v1/graduations", &changed).await.status,
            200
        );
        let a = get_with(&app, &token, &path, &[("if-none-match", "\"1\"")]).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.header("etag"), Some("\"2\""));
        assert_eq!(a.body["welfare_decile"], 8);

        let unknown = format!("/v1/graduations/{}", uuid::Uuid::now_v7());
        assert_problem(&get(&app, &token, &unknown).await, 404, &unknown);
    }

    async fn concurrent_writers_of_one_record_make_one_record_with_contiguous_versions(
        backend: Backend
    ) {
        const WRITERS: usize = 8;
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let url = app.url("/v1/graduations");
        let mut seen = Vec::new();
        for round in 0..2 {
            let (url, token) = (url.clone(), token.clone());
            let outcomes = on_threads(WRITERS, move |i, client| {
                let mut g = graduation("RACE-1");
                g["attributes"] = json!({"round": round, "writer": i});
                outcome(client.post(&url).bearer_auth(&token).json(&g).send())
            })
            .await;
            for (status, result, body) in &outcomes {
                let expected = if round == 0 && *status == 201 {
                    "created"
                } else {
                    "updated"
                };
                assert!(*status == 200 || *status == 201, "{status}: {body}");
                assert_eq!(result.as_deref(), Some(expected), "{body}");
            }
            let created = outcomes.iter().filter(|o| o.0 == 201).count();
            assert_eq!(created, if round == 0 { 1 } else { 0 });
            seen.extend(outcomes.into_iter().map(|o| o.2));
        }
        let ids: BTreeSet<&str> = seen.iter().map(|b| b["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 1, "{ids:?}");
        let mut versions: Vec<i64> = seen
            .iter()
            .map(|b| b["version"].as_i64().unwrap())
            .collect();
        versions.sort();
        assert_eq!(versions, (1..=16).collect::<Vec<i64>>());

        let id = *ids.first().unwrap();
        let history = get(&app, &token, &format!("/v1/graduations/{id}/history")).await;
        let items = history.body["items"].as_array().unwrap();
        assert_eq!(
            items
                .iter()
                .map(|v| v["version"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            (1..=16).collect::<Vec<i64>>()
        );
        // Each version in the history is what the writer that got that version sent.
        for body in &seen {
            let v = body["version"].as_u64().unwrap() as usize;
            assert_eq!(
                items[v - 1]["attributes"],
                body["attributes"],
                "version {v}"
            );
        }
        assert_eq!(stored_ids(&app, "graduation", "KEMENSOS", "RACE-1"), [id]);
        assert_eq!(row_counts(&app), (1, 16, 2));
        let current = get(&app, &token, &format!("/v1/graduations/{id}")).await;
        assert_eq!(current.body["version"], 16);
        assert_eq!(current.body["attributes"], items[15]["attributes"]);
    }

    async fn concurrent_identical_publications_make_one_version(backend: Backend) {
        const WRITERS: usize = 8;
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let (url, writer_token) = (app.url("/v1/graduations"), token.clone());
        let outcomes = on_threads(WRITERS, move |_, client| {
            let req = client.post(&url).bearer_auth(&writer_token);
            outcome(req.json(&graduation("SAME-1")).send())
        })
        .await;
        let mut results: Vec<(u16, Option<String>)> =
            outcomes.iter().map(|o| (o.0, o.1.clone())).collect();
        results.sort();
        let mut expected = vec![(200, Some("unchanged".to_owned())); WRITERS - 1];
        expected.push((201, Some("created".to_owned())));
        assert_eq!(results, expected);
        let ids: BTreeSet<&str> = outcomes
            .iter()
            .map(|o| o.2["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 1);
        assert!(outcomes.iter().all(|o| o.2["version"] == 1));
        let id = *ids.first().unwrap();
        assert_eq!(history_versions(&app, &token, "graduations", id).await, [1]);
        assert_eq!(row_counts(&app), (1, 1, 2));
    }

    async fn concurrent_retractions_of_one_record_retract_it_once(backend: Backend) {
        const WRITERS: usize = 8;
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let created = post(&app, &token, "/v1/graduations", &graduation("RET-RACE")).await;
        let id = created.body["id"].as_str().unwrap().to_owned();
        let (url, writer_token) = (app.url(&format!("/v1/graduations/{id}")), token.clone());
        let outcomes = on_threads(WRITERS, move |i, client| {
            let req = client.delete(format!("{url}?reason=retraction-{i}"));
            outcome(req.bearer_auth(&writer_token).send())
        })
        .await;
        assert!(outcomes.iter().all(|o| o.0 == 200), "{:?}", outcomes);
        let retracted: Vec<&Value> = outcomes
            .iter()
            .filter(|o| o.1.as_deref() == Some("retracted"))
            .map(|o| &o.2)
            .collect();
        assert_eq!(retracted.len(), 1, "{outcomes:?}");
        assert!(outcomes.iter().all(|o| o.1.as_deref() != Some("updated")));
        // Every answer shows the one retraction that happened, with its reason.
        let reason = &retracted[0]["retraction_reason"];
        for (_, _, body) in &outcomes {
            assert_eq!(body["version"], 2);
            assert_eq!(body["retracted"], true);
            assert_eq!(&body["retraction_reason"], reason);
        }
        assert_eq!(
            history_versions(&app, &token, "graduations", &id).await,
            [1, 2]
        );
    }

    async fn concurrent_batches_over_the_same_records_keep_versions_contiguous(backend: Backend) {
        const WRITERS: usize = 8;
        const RECORDS: usize = 10;
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let (url, writer_token) = (app.url("/v1/graduations/batch"), token.clone());
        let outcomes = on_threads(WRITERS, move |i, client| {
            let mut items: Vec<Value> = (0..RECORDS)
                .map(|r| {
                    let mut g = graduation(&format!("RACE-B-{r:02}"));
                    g["attributes"] = json!({"writer": i});
                    g
                })
                .collect();
            // Half of the writers list the records in the other order.
            if i % 2 == 1 {
                items.reverse();
            }
            let res = client
                .post(&url)
                .bearer_auth(&writer_token)
                .json(&json!({"items": items}))
                .send()
                .unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().unwrap();
            (status, body)
        })
        .await;
        let mut versions: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
        for (status, body) in &outcomes {
            assert_eq!(*status, 200, "{body}");
            for r in body["results"].as_array().unwrap() {
                assert!(r["result"] == "created" || r["result"] == "updated", "{r}");
                versions
                    .entry(r["source_record_id"].as_str().unwrap().to_owned())
                    .or_default()
                    .push(r["version"].as_i64().unwrap());
            }
        }
        assert_eq!(versions.len(), RECORDS);
        let search = get(&app, &token, "/v1/graduations?limit=1000").await;
        let records = search.body["items"].as_array().unwrap();
        assert_eq!(records.len(), RECORDS);
        for record in records {
            let srid = record["source_record_id"].as_str().unwrap();
            let mut got = versions[srid].clone();
            got.sort();
            assert_eq!(got, (1..=WRITERS as i64).collect::<Vec<_>>(), "{srid}");
            let id = record["id"].as_str().unwrap();
            assert_eq!(
                history_versions(&app, &token, "graduations", id).await,
                (1..=WRITERS as i64).collect::<Vec<_>>()
            );
        }
        assert_eq!(
            row_counts(&app),
            (RECORDS as i64, (RECORDS * WRITERS) as i64, 20)
        );
    }
}

/// A graduation as sent, with the record's fields, for comparing contents.
fn a_record(sent: &Value) -> Value {
    let mut record = sent.clone();
    let object = record.as_object_mut().unwrap();
    object.entry("member_niks").or_insert(json!([]));
    for field in ["welfare_decile", "reason", "attributes"] {
        object.entry(field).or_insert(Value::Null);
    }
    record
}
