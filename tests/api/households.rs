//! Households across KK changes on both backends: events recorded idempotently and checked
//! field by field, lineage walked both ways and as of a day or a moment, disagreeing
//! accounts of two agencies both kept and flagged, member NIKs shown only to the recorder,
//! searches that follow lineage, and a relapse seen through a member's new card after a
//! split.

use std::time::{Duration, Instant};

use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{KEMENDES, KEMENSOS, get, graduation, kk, nik, post, publish};
use crate::common::{Backend, TestDb, spawn_app, spawn_with};
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .date_naive()
        .to_string()
}

/// A split of card `from` on `on`: the card goes on, and member `member` leaves for `to`.
fn split(srid: &str, on: &str, from: u32, to: u32, member: u32) -> Value {
    json!({"source_record_id": srid, "kind": "split", "effective_on": on,
        "predecessor_kks": [kk(from)], "successor_kks": [kk(from), kk(to)],
        "member_moves": [{"nik": nik(member), "from_kk": kk(from), "to_kk": kk(to)}],
        "source": "dukcapil"})
}

fn kks(list: &Value) -> Vec<(String, u64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kk"].as_str().unwrap().to_owned(),
                r["links_away"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    async fn household_events_build_a_lineage_and_keep_accounts_that_disagree(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let on = days_ago(30);

        let first = post(&app, &kemensos, "/v1/household-events", &split("PK-1", &on, 1, 2, 101)).await;
        assert_eq!(first.status, 201, "{}", first.body);
        let first_id = first.body["id"].as_str().unwrap().to_owned();
        assert_eq!(first.body["recorded_by"], "KEMENSOS");
        assert_eq!(first.body["effective_on"], on.as_str());
        assert_eq!(first.body["conflicts_with"], json!([]));
        assert_eq!(first.body["member_moves"][0]["nik"], nik(101).as_str());

        // Idempotent per source_record_id; another event under the same id is refused.
        let again = post(&app, &kemensos, "/v1/household-events", &split("PK-1", &on, 1, 2, 101)).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.body["id"], first_id.as_str());
        let other = post(&app, &kemensos, "/v1/household-events", &split("PK-1", &on, 1, 3, 101)).await;
        assert_problem(&other, 409, "a different event under a used source_record_id");

        // Kemendes tells the same split differently (the member went to card 3): kept, and
        // both name each other. Its account that agrees with Kemensos's corroborates.
        let elsewhere = post(&app, &kemendes, "/v1/household-events", &split("FV-1", &on, 1, 3, 101)).await;
        assert_eq!(elsewhere.status, 201, "{}", elsewhere.body);
        let elsewhere_id = elsewhere.body["id"].as_str().unwrap().to_owned();
        assert_eq!(elsewhere.body["conflicts_with"], json!([first_id]));
        let mut same = split("FV-2", &on, 1, 2, 101);
        same["source"] = json!("field_verification");
        let agreeing = post(&app, &kemendes, "/v1/household-events", &same).await;
        assert_eq!(agreeing.status, 201, "{}", agreeing.body);
        assert_eq!(agreeing.body["conflicts_with"], json!([]));
        // The member's NIK only for the agency that recorded the move.
        assert!(agreeing.body["member_moves"][0]["nik"].is_string());

        // Card 3 is later renumbered to card 4.
        let renumber = post(&app, &kemensos, "/v1/household-events", &json!({
            "source_record_id": "RN-1", "kind": "renumber", "effective_on": days_ago(5),
            "predecessor_kks": [kk(3)], "successor_kks": [kk(4)], "source": "dukcapil"})).await;
        assert_eq!(renumber.status, 201, "{}", renumber.body);

        let lineage = get(&app, &kemensos, &format!("/v1/households/{}/lineage", kk(4))).await;
        assert_eq!(lineage.status, 200, "{}", lineage.body);
        assert_eq!(kks(&lineage.body["ancestors"]), [(kk(3), 1), (kk(1), 2)]);
        assert_eq!(kks(&lineage.body["descendants"]), []);
        assert_eq!(lineage.body["has_conflicts"], true);
        assert_eq!(lineage.body["truncated"], false);
        let events = lineage.body["events"].as_array().unwrap();
        assert_eq!(events.len(), 4, "{}", lineage.body);
        let theirs = events.iter().find(|e| e["id"] == elsewhere_id.as_str()).unwrap();
        assert_eq!(theirs["conflicts_with"], json!([first_id]));
        let mine = events.iter().find(|e| e["id"] == first_id.as_str()).unwrap();
        assert_eq!(mine["conflicts_with"], json!([elsewhere_id]));
        // Kemendes's events show Kemensos the member as its own pseudonym, never the NIK.
        assert!(theirs["member_moves"][0].get("nik").is_none(), "{theirs}");
        assert_eq!(theirs["member_moves"][0]["subject_ref"].as_str().unwrap().len(), 64);
        assert_eq!(mine["member_moves"][0]["nik"], nik(101).as_str());

        let down = get(&app, &kemendes, &format!("/v1/households/{}/lineage", kk(1))).await;
        assert_eq!(kks(&down.body["descendants"]), [(kk(2), 1), (kk(3), 1), (kk(4), 2)]);
        assert_eq!(kks(&down.body["ancestors"]), []);

        // As of a day before the split nothing had happened; as known before Kemendes spoke,
        // Kemensos's account stood alone.
        let before = get(&app, &kemensos, &format!("/v1/households/{}/lineage?as_of={}", kk(2), days_ago(31))).await;
        assert_eq!(before.status, 200, "{}", before.body);
        assert_eq!(before.body["events"], json!([]));
        assert_eq!(before.body["ancestors"], json!([]));
        let recorded_at = first.body["recorded_at"].as_str().unwrap();
        let known = get(&app, &kemensos, &format!("/v1/households/{}/lineage?known_at={}", kk(2),
            recorded_at.replace('+', "%2B"))).await;
        assert_eq!(known.status, 200, "{}", known.body);
        assert_eq!(ids(&known.body["events"]), std::slice::from_ref(&first_id));
        assert_eq!(known.body["has_conflicts"], false);

        // A card nothing is known of has an empty lineage.
        let unknown = get(&app, &kemensos, &format!("/v1/households/{}/lineage", kk(99))).await;
        assert_eq!(unknown.status, 200);
        assert_eq!(unknown.body["events"], json!([]));
    }
}

both_backends! {
    async fn household_events_refuse_what_does_not_hold_together(backend: Backend) {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let on = days_ago(3);
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (json!({"source_record_id": "X-1", "kind": "merge", "effective_on": on,
                "predecessor_kks": [kk(1)], "successor_kks": [kk(2), kk(3)], "source": "dukcapil"}),
             &["/predecessor_kks", "/successor_kks"], "a merge of one card into two"),
            (json!({"source_record_id": "X-2", "kind": "renumber", "effective_on": on,
                "predecessor_kks": [kk(1)], "successor_kks": [kk(1)], "source": "dukcapil"}),
             &["/successor_kks"], "a card renumbered to itself"),
            (json!({"source_record_id": "X-3", "kind": "member_join", "effective_on": on,
                "predecessor_kks": [kk(1)], "successor_kks": [kk(2)], "source": "dukcapil",
                "member_moves": [{"nik": nik(1), "from_kk": kk(5), "to_kk": kk(2)}]}),
             &["/member_moves/0/from_kk"], "a member moving from a card not in the event"),
            (json!({"source_record_id": "X-4", "kind": "split", "effective_on": days_ago(-2),
                "predecessor_kks": [kk(1)], "successor_kks": [kk(2)], "source": "dukcapil"}),
             &["/effective_on"], "an event in the future"),
            (json!({"source_record_id": "X-5", "kind": "split", "effective_on": on,
                "predecessor_kks": [kk(1)], "successor_kks": [kk(2)], "source": "dukcapil",
                "note": format!("NIK {}", nik(7))}),
             &["/note"], "a NIK in the note"),
            (json!({"source_record_id": "X-6", "kind": "split", "effective_on": on,
                "predecessor_kks": ["3201012308150000"], "successor_kks": [kk(2)],
                "source": "dukcapil"}),
             &["/predecessor_kks/0"], "an invalid KK"),
            (json!({"source_record_id": "X-7", "kind": "split", "effective_on": on,
                "predecessor_kks": [kk(1)], "successor_kks": [kk(2)], "source": "rumor"}),
             &["/source"], "an unknown source"),
        ];
        for (body, pointers, what) in cases {
            let answer = post(&app, &kemensos, "/v1/household-events", &body).await;
            assert_invalid(&answer, pointers, what);
            let text = answer.body.to_string();
            assert!(!text.contains(&nik(7)) && !text.contains("3201012308150000"), "{what}: {text}");
        }
        // Nothing of the refused events was stored.
        let lineage = get(&app, &kemensos, &format!("/v1/households/{}/lineage", kk(1))).await;
        assert_eq!(lineage.body["events"], json!([]));

        let bad = get(&app, &kemensos, "/v1/households/32010123081500x7/lineage").await;
        assert_invalid(&bad, &["#/path/kk"], "a malformed KK in the path");
        let bad = get(&app, &kemensos, &format!("/v1/households/{}/lineage?as_of=yesterday", kk(1))).await;
        assert_invalid(&bad, &["#/query/as_of"], "a malformed day");

        // Each needs its scope.
        let reader = app.token(KEMENSOS, Some("graduations:read")).await;
        assert_problem(&get(&app, &reader, &format!("/v1/households/{}/lineage", kk(1))).await,
            403, "lineage without households:read");
        assert_problem(&post(&app, &reader, "/v1/household-events",
            &split("S-1", &on, 1, 2, 3)).await, 403, "an event without households:write");
    }
}

/// A KEMENSOS graduation of family `n` (head `nik(n)`, a member `nik(100 + n)`) that
/// graduated `days` days ago; its id.
async fn graduated(app: &crate::common::TestApp, n: u32, days: i64) -> String {
    let token = app.token(KEMENSOS, None).await;
    let mut g = graduation(&format!("G-HH-{n}"));
    g["household"] = json!({"kk": kk(n), "head_nik": nik(n)});
    g["member_niks"] = json!([nik(100 + n)]);
    g["welfare_decile"] = json!(6);
    g["graduated_on"] = json!(days_ago(days));
    publish(app, &token, "graduations", &g).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn a_family_is_followed_to_its_new_cards(backend: Backend) {
        let db = TestDb::new(backend);
        {
            let mut conn = db.connect();
            sinergi::demo::seed(&mut conn).expect("seed demo data");
            crate::common::oversight::grant(&mut conn);
        }
        let app = spawn_with(db, |s| s.follow_up_every_secs = 1).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let followed = graduated(&app, 11, 60).await;
        let unrelated = graduated(&app, 13, 60).await;
        // Thirty days ago the member left card 11 for a new card 12.
        let made = post(&app, &kemensos, "/v1/household-events", &split("PK-11", &days_ago(30), 11, 12, 111)).await;
        assert_eq!(made.status, 201, "{}", made.body);

        // A search under the new card finds the graduation only when following lineage, and
        // the graduation keeps the card it was published with.
        let plain = get(&app, &kemensos, &format!("/v1/graduations?kk={}", kk(12))).await;
        assert_eq!(plain.body["items"], json!([]));
        let lineage = get(&app, &kemensos, &format!("/v1/graduations?kk={}&follow_lineage=true", kk(12))).await;
        assert_eq!(lineage.status, 200, "{}", lineage.body);
        assert_eq!(ids(&lineage.body["items"]), std::slice::from_ref(&followed));
        assert_eq!(lineage.body["items"][0]["household"]["kk"], kk(11).as_str());
        assert_invalid(&get(&app, &kemensos, "/v1/graduations?follow_lineage=true").await,
            &["#/query/follow_lineage"], "follow_lineage without kk");

        // The member's new family (its head not in the graduation) enrols in PKH under the
        // new card: the graduated family is back in social assistance. Under a card with no
        // lineage to a graduation, nothing.
        let token = app.token(KEMENSOS, None).await;
        for (srid, card, head) in [("PKH-HH-12", 12, 212), ("PKH-HH-14", 14, 214)] {
            let e = json!({"source_record_id": srid, "program": "PKH",
                "subject": {"kk": kk(card), "nik": nik(head)}, "region_code": "32.01.01.1002",
                "status": "active", "enrolled_on": days_ago(0)});
            publish(&app, &token, "enrollments", &e).await;
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut relapses = Vec::new();
        while Instant::now() < deadline {
            let page = get(&app, &kemensos, "/v1/follow-up?kind=graduation.relapse").await;
            relapses = page.body["items"].as_array().unwrap().clone();
            if !relapses.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(relapses.len(), 1, "{relapses:?}");
        assert_eq!(relapses[0]["graduation_id"], followed.as_str());
        assert_eq!(relapses[0]["cause"], "social_assistance_enrollment");
        // The watch ran several times more: nothing else, and nothing for the other family.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let page = get(&app, &kemensos, "/v1/follow-up?kind=graduation.relapse").await;
        assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
        assert!(!page.body.to_string().contains(&unrelated));
    }
}
