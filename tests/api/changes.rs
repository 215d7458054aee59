//! The change feed: every new record version once, in position order, whatever the writers
//! do; filters; long-polling; and clear refusals.

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::*;
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

/// The purposes the demo agreements cover: KEMENDES reads Kemensos graduations for the
/// first, Kemensos the other ministries' enrollments for the second.
const EMPOWERMENT: (&str, &str) = ("Sinergi-Purpose", "PEMBERDAYAAN_EKONOMI");
const MONITORING: (&str, &str) = ("Sinergi-Purpose", "MONITORING_GRADUASI");

/// Follows the feed from `after` until `count` changes were read (or a deadline passes),
/// as a consumer would: always asking `after=<next>`, declaring `purpose`.
async fn follow(
    app: &TestApp,
    token: &str,
    purpose: (&str, &str),
    query: &str,
    count: usize,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut after = 0;
    let mut seen = Vec::new();
    while seen.len() < count {
        assert!(
            Instant::now() < deadline,
            "only {} of {count} changes arrived",
            seen.len()
        );
        let a = get_with(
            app,
            token,
            &format!("/v1/changes?after={after}&wait=1{query}"),
            &[purpose],
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let next = a.body["next"].as_i64().unwrap();
        assert!(next >= after, "next {next} went back from {after}");
        seen.extend(a.body["changes"].as_array().unwrap().iter().cloned());
        after = next;
    }
    seen
}

fn positions(changes: &[Value]) -> Vec<i64> {
    changes
        .iter()
        .map(|c| c["position"].as_i64().unwrap())
        .collect()
}

fn actions(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect()
}

both_backends! {
    async fn concurrent_writers_are_seen_once_each_in_position_order(backend: Backend) {
        let app = spawn_app(backend).await;
        let (kemensos, kemendes) = (app.token(KEMENSOS, None).await, app.token(KEMENDES, None).await);
        let reader = app.token(KEMENDES, None).await;
        // Four writers at once: single records and batches, graduations and enrollments, new
        // records and new versions of them.
        let writers = (0..4).map(|w| {
            let (app, kemensos, kemendes) = (&app, &kemensos, &kemendes);
            async move {
                for i in 0..6 {
                    publish(app, kemensos, "graduations", &graduation(&format!("W{w}-G{i}"))).await;
                    let items = (0..3)
                        .map(|j| enrollment(&format!("W{w}-E{i}-{j}"), "PKTD"))
                        .collect();
                    let a = post_batch(app, kemendes, "/v1/enrollments/batch", items).await;
                    assert_eq!(a.status, 200, "{}", a.body);
                    let mut changed = graduation(&format!("W{w}-G{i}"));
                    changed["welfare_decile"] = json!(7);
                    publish(app, kemensos, "graduations", &changed).await;
                }
            }
        });
        let expected = 4 * 6 * (1 + 3 + 1);
        let (_, seen) = futures_util::future::join(
            futures_util::future::join_all(writers),
            follow(&app, &reader, EMPOWERMENT, "", expected),
        )
        .await;
        let seen_positions = positions(&seen);
        assert!(
            seen_positions.windows(2).all(|w| w[0] < w[1]),
            "positions must strictly increase: {seen_positions:?}"
        );
        let versions: HashSet<(String, i64)> = seen
            .iter()
            .map(|c| (c["record_id"].as_str().unwrap().to_owned(), c["version"].as_i64().unwrap()))
            .collect();
        assert_eq!(versions.len(), expected, "every version exactly once");
        // Nothing more arrives: the feed holds exactly the versions written.
        let last = seen_positions.last().unwrap();
        let a = get_with(&app, &reader, &format!("/v1/changes?after={last}"), &[EMPOWERMENT]).await;
        assert_eq!(a.body["changes"], json!([]), "{}", a.body);
        for change in &seen {
            let record = &change["record"];
            assert_eq!(record["id"], change["record_id"]);
            assert_eq!(record["version"], change["version"]);
            assert_eq!(record["publisher"], change["publisher"]);
            let expected_action = if change["version"] == 1 { "created" } else { "updated" };
            assert_eq!(change["action"], expected_action, "{change}");
        }
    }

    async fn retraction_and_restoring_are_changes_and_unchanged_writes_are_not(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let created = publish(&app, &kemensos, "graduations", &graduation("R-1")).await;
        let id = created["id"].as_str().unwrap();
        // The same content again: no new version, no change.
        publish(&app, &kemensos, "graduations", &graduation("R-1")).await;
        let a = delete(&app, &kemensos, &format!("/v1/graduations/{id}?reason=Data%20ganda")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        publish(&app, &kemensos, "graduations", &graduation("R-1")).await;

        let changes = follow(&app, &kemensos, MONITORING, "", 3).await;
        assert_eq!(actions(&changes), ["created", "retracted", "updated"]);
        assert_eq!(changes[1]["record"]["retracted"], true);
        assert_eq!(changes[1]["record"]["retraction_reason"], "Data ganda");
        assert_eq!(changes[2]["record"]["retracted"], false);
        assert_eq!(
            changes.iter().map(|c| c["version"].as_i64().unwrap()).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    async fn filters_narrow_the_feed_and_next_skips_what_they_leave_out(backend: Backend) {
        let app = spawn_app(backend).await;
        let (kemensos, kemendes) = (app.token(KEMENSOS, None).await, app.token(KEMENDES, None).await);
        publish(&app, &kemensos, "graduations", &graduation("F-G1")).await;
        publish(&app, &kemendes, "enrollments", &enrollment("F-E1", "PKTD")).await;
        let mut sembako = graduation("F-G2");
        sembako["program"] = json!("SEMBAKO");
        publish(&app, &kemensos, "graduations", &sembako).await;
        let all = follow(&app, &kemendes, EMPOWERMENT, "", 3).await;
        let head = *positions(&all).last().unwrap();

        for (query, expected) in [
            ("&types=graduation", vec!["F-G1", "F-G2"]),
            ("&types=enrollment", vec!["F-E1"]),
            ("&types=graduation,enrollment", vec!["F-G1", "F-E1", "F-G2"]),
            ("&programs=SEMBAKO,PKTD", vec!["F-E1", "F-G2"]),
            ("&publishers=KEMENDES", vec!["F-E1"]),
            ("&publishers=KEMENSOS&programs=PKH", vec!["F-G1"]),
        ] {
            let path = format!("/v1/changes?after=0{query}");
            let a = get_with(&app, &kemendes, &path, &[EMPOWERMENT]).await;
            assert_eq!(a.status, 200, "{query}: {}", a.body);
            let ids: Vec<&str> = a.body["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["record"]["source_record_id"].as_str().unwrap())
                .collect();
            assert_eq!(ids, expected, "{query}");
            // A page that is not full continues from the head, past what the filter left out.
            assert_eq!(a.body["next"], head, "{query}");
        }
        // A full page continues right after its last change.
        let a = get_with(&app, &kemendes, "/v1/changes?limit=2", &[EMPOWERMENT]).await;
        assert_eq!(a.body["next"], all[1]["position"], "{}", a.body);
        // No agreement lets KEMENDES read KEMENKOP's records: naming it is refused, and
        // without a purpose code the feed holds KEMENDES's own changes only.
        let a = get_with(&app, &kemendes, "/v1/changes?publishers=KEMENKOP", &[EMPOWERMENT]).await;
        assert_problem(&a, 403, "a publisher without an agreement");
        assert_eq!(a.body["type"], "urn:sinergi:problem:no-agreement");
        let own = get(&app, &kemendes, "/v1/changes").await;
        let ids: Vec<&str> = own.body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["record"]["source_record_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["F-E1"]);
    }

    async fn a_long_poll_answers_as_soon_as_a_change_arrives(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let started = Instant::now();
        let (poll, _) = futures_util::future::join(
            get(&app, &kemensos, "/v1/changes?after=0&wait=30"),
            async {
                actix_web::rt::time::sleep(Duration::from_millis(300)).await;
                publish(&app, &kemensos, "graduations", &graduation("LP-1")).await;
            },
        )
        .await;
        assert_eq!(poll.status, 200, "{}", poll.body);
        assert_eq!(actions(poll.body["changes"].as_array().unwrap()), ["created"]);
        // Well before the 30 s: the answer came with the change, not at the deadline.
        assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
        // Nothing new: an empty page after the wait, with the same `next`.
        let next = poll.body["next"].as_i64().unwrap();
        let a = get(&app, &kemensos, &format!("/v1/changes?after={next}&wait=1")).await;
        assert_eq!(a.body["changes"], json!([]));
        assert_eq!(a.body["next"], next);
    }

    async fn bad_feed_requests_are_refused_naming_the_parameter(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        publish(&app, &kemensos, "graduations", &graduation("B-1")).await;
        follow(&app, &kemensos, MONITORING, "", 1).await;
        // The head counts every change, agreements' included.
        let head = get(&app, &kemensos, "/v1/changes").await.body["next"].as_i64().unwrap();
        let beyond = format!("after={}", head + 1);
        for (query, pointer) in [
            (beyond.as_str(), "#/query/after"),
            ("after=-1", "#/query/after"),
            ("after=abc", "#/query/after"),
            ("after=99999999999999999999", "#/query/after"),
            ("types=bansos", "#/query/types"),
            ("types=graduation,", "#/query/types"),
            ("programs=pkh", "#/query/programs"),
            ("publishers=kemensos", "#/query/publishers"),
            ("limit=0", "#/query/limit"),
            ("limit=1001", "#/query/limit"),
            ("wait=31", "#/query/wait"),
            // A name the schema does not have is not repeated.
            ("colour=red", "#/query"),
        ] {
            let a = get(&app, &kemensos, &format!("/v1/changes?{query}")).await;
            assert_invalid(&a, &[pointer], query);
        }
    }

    async fn the_feed_needs_its_scope_and_the_read_scope_of_each_type(backend: Backend) {
        let app = spawn_app(backend).await;
        let auditor = app.token(AUDITOR, None).await;
        let a = get(&app, &auditor, "/v1/changes").await;
        assert_problem(&a, 403, "no changes:read");
        let enrollments_only = app
            .token(KEMENDES, Some("changes:read enrollments:read"))
            .await;
        let a = get(&app, &enrollments_only, "/v1/changes?types=graduation").await;
        assert_problem(&a, 403, "graduations without graduations:read");
        let a = get(&app, &enrollments_only, "/v1/changes?types=enrollment").await;
        assert_eq!(a.status, 200, "{}", a.body);
        // Without `types`, the feed holds what the token may read.
        let kemensos = app.token(KEMENSOS, None).await;
        publish(&app, &kemensos, "graduations", &graduation("S-1")).await;
        let kemendes = app.token(KEMENDES, None).await;
        publish(&app, &kemendes, "enrollments", &enrollment("S-E1", "PKTD")).await;
        follow(&app, &kemensos, MONITORING, "", 2).await;
        let a = get(&app, &enrollments_only, "/v1/changes").await;
        let types: BTreeSet<&str> = a.body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, BTreeSet::from(["enrollment"]));
    }
}
