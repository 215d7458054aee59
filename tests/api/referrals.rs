//! Referrals on both backends: a graduated family handed from Kemensos to the empowerment
//! ministries, every legal and illegal step of the state machine, first-accept-wins under
//! concurrency, idempotent creation, completion by a published enrollment, deadlines kept by
//! the exchange with two instances running, and the agreements deciding who may be offered
//! a family and what each sees of it.

use std::time::{Duration, Instant};

use crate::common::answer::{Answer, answer};
use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{
    HEAD, KEMENDES, KEMENKOP, KEMENSOS, KK, enrollment, get, graduation, post, publish,
};
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

const KEMENUMKM: &str = "demo-kemenumkm";
const KEMENEKRAF: &str = "demo-kemenekraf";

/// A KEMENSOS graduation of the test household; its id.
async fn graduated(app: &TestApp, srid: &str) -> String {
    let kemensos = app.token(KEMENSOS, None).await;
    let g = publish(app, &kemensos, "graduations", &graduation(srid)).await;
    g["id"].as_str().unwrap().to_owned()
}

/// A referral of `graduation` to `offered` agencies (with `fallback` ones).
fn referral(srid: &str, graduation: &str, offered: &[&str], fallback: &[&str]) -> Value {
    let list = |agencies: &[&str]| -> Vec<Value> {
        agencies.iter().map(|a| json!({"agency": a})).collect()
    };
    json!({
        "source_record_id": srid,
        "graduation_id": graduation,
        "purpose": "PEMBERDAYAAN_EKONOMI",
        "offered_to": list(offered),
        "fallback_to": list(fallback),
        "reason_code": "USAHA_MIKRO",
        "priority": "routine",
        "note": "Keluarga berjualan makanan ringan sejak 2025"
    })
}

async fn refer(app: &TestApp, token: &str, body: &Value) -> Answer {
    post(app, token, "/v1/referrals", body).await
}

/// Asks for a step with `If-Match` set to `etag` (none when empty).
async fn step(app: &TestApp, token: &str, id: &str, etag: &str, body: Value) -> Answer {
    let mut req = app
        .client
        .post(app.url(&format!("/v1/referrals/{id}/transitions")))
        .bearer_auth(token)
        .json(&body);
    if !etag.is_empty() {
        req = req.header("If-Match", etag);
    }
    answer(req.send().await.unwrap()).await
}

fn etag(a: &Answer) -> String {
    a.header("etag").expect("an ETag").to_owned()
}

/// The actions of the referral's changes on `token`'s feed, waiting until there are at
/// least `at_least` of them (or 10 s passed).
async fn feed_actions(app: &TestApp, token: &str, id: &str, at_least: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = get(app, token, "/v1/changes?types=referral&limit=1000").await;
        assert_eq!(a.status, 200, "{}", a.body);
        let actions: Vec<String> = a.body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["record_id"] == id)
            .map(|c| {
                assert_eq!(c["type"], "referral");
                c["action"].as_str().unwrap().to_owned()
            })
            .collect();
        if actions.len() >= at_least || Instant::now() > deadline {
            return actions;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The offer states, by agency.
fn offers(referral: &Value) -> Vec<(String, String)> {
    ["offered_to", "fallback_to"]
        .iter()
        .flat_map(|list| referral[list].as_array().unwrap().iter())
        .map(|o| {
            (
                o["agency"].as_str().unwrap().to_owned(),
                o["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_illegal(a: &Answer, allowed: &[&str], what: &str) {
    assert_problem(a, 409, what);
    assert_eq!(
        a.body["type"], "urn:sinergi:problem:illegal-transition",
        "{what}"
    );
    assert_eq!(
        a.body["allowed_transitions"],
        json!(allowed),
        "{what}: {}",
        a.body
    );
}

both_backends! {
    async fn a_family_is_referred_accepted_and_enrolled_by_the_enrollment_itself(backend: Backend) {
        let app = spawn_app(backend).await;
        let g = graduated(&app, "G-REF-1").await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let kemenkop = app.token(KEMENKOP, None).await;
        let umkm = app.token(KEMENUMKM, None).await;

        let mut body = referral("R-1", &g, &[], &[]);
        body["offered_to"] = json!([{"agency": "KEMENDES", "target_program": "PKTD"},
            {"agency": "KEMENKOP"}]);
        let made = refer(&app, &kemensos, &body).await;
        assert_eq!(made.status, 201, "{}", made.body);
        assert_eq!(etag(&made), "\"1\"");
        let id = made.body["id"].as_str().unwrap().to_owned();
        assert_eq!(made.header("location"), Some(format!("/v1/referrals/{id}").as_str()));
        assert_eq!(made.body["status"], "offered");
        assert_eq!(made.body["requester_agency"], "KEMENSOS");
        assert_eq!(made.body["subject"], json!({"kk": KK, "head_nik": HEAD}));
        assert_eq!(offers(&made.body), [("KEMENDES".into(), "offered".into()),
            ("KEMENKOP".into(), "offered".into())]);
        // Defaults: two weeks to answer, 90 days to enrol.
        let respond: chrono::DateTime<chrono::Utc> =
            made.body["respond_by"].as_str().unwrap().parse().unwrap();
        assert!(respond > chrono::Utc::now() + chrono::Duration::days(13));

        // Idempotent: the same request answers the same referral; another one under the
        // same id is a conflict that names no value.
        let again = refer(&app, &kemensos, &body).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.body["id"], id.as_str());
        body["priority"] = json!("urgent");
        let other = refer(&app, &kemensos, &body).await;
        assert_problem(&other, 409, "another referral under R-1");

        // The receiving agencies see the family as their demo agreement allows (KK and the
        // head's NIK); an agency it was not offered to does not see the referral at all.
        let seen = get(&app, &kemendes, &format!("/v1/referrals/{id}")).await;
        assert_eq!(seen.status, 200, "{}", seen.body);
        assert_eq!(seen.body["subject"], json!({"kk": KK, "head_nik": HEAD}));
        assert_problem(&get(&app, &umkm, &format!("/v1/referrals/{id}")).await, 404, "not offered");
        let queue = get(&app, &kemenkop, "/v1/referrals?role=received&status=offered").await;
        assert_eq!(queue.body["items"].as_array().unwrap().len(), 1, "{}", queue.body);
        let none = get(&app, &umkm, "/v1/referrals").await;
        assert_eq!(none.body["items"], json!([]));

        let accepted = step(&app, &kemendes, &id, "\"1\"", json!({"to": "accepted"})).await;
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        assert_eq!(accepted.body["status"], "accepted");
        assert_eq!(accepted.body["owner_agency"], "KEMENDES");
        assert_eq!(etag(&accepted), "\"2\"");
        // The other agency was too late.
        let late = step(&app, &kemenkop, &id, "", json!({"to": "accepted"})).await;
        assert_illegal(&late, &[], "accept after another agency did");

        // Kemendes publishes the enrollment that follows the graduation: the referral is
        // enrolled without another call.
        let mut e = enrollment("E-REF-1", "PKTD");
        e["graduation_id"] = json!(g);
        let e = publish(&app, &kemendes, "enrollments", &e).await;
        let done = get(&app, &kemensos, &format!("/v1/referrals/{id}")).await;
        assert_eq!(done.body["status"], "enrolled", "{}", done.body);
        assert_eq!(done.body["enrollment_id"], e["id"]);
        assert_eq!(etag(&done), "\"3\"");

        // Every step reached the feed of each party, and of no one else.
        let expected = ["offered", "accepted", "enrolled"];
        assert_eq!(feed_actions(&app, &kemensos, &id, 3).await, expected);
        assert_eq!(feed_actions(&app, &kemenkop, &id, 3).await, expected);
        assert!(feed_actions(&app, &umkm, &id, 0).await.is_empty());
        // The default feed of a records consumer is unchanged.
        let records = get(&app, &kemenkop, "/v1/changes?limit=1000").await;
        assert!(records.body["changes"].as_array().unwrap().iter().all(|c| c["type"] != "referral"));
    }

    async fn every_step_is_checked_against_the_state_and_the_caller(backend: Backend) {
        let app = spawn_app(backend).await;
        let g = graduated(&app, "G-REF-2").await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let kemenkop = app.token(KEMENKOP, None).await;
        let made = refer(&app, &kemensos, &referral("R-2", &g, &["KEMENDES", "KEMENKOP"], &[])).await;
        let id = made.body["id"].as_str().unwrap().to_owned();

        // Offered: the requester may only withdraw, a receiver accept or decline, and
        // nobody asks for a lapse.
        assert_illegal(&step(&app, &kemensos, &id, "", json!({"to": "accepted"})).await,
            &["withdrawn"], "requester accepts");
        assert_illegal(&step(&app, &kemendes, &id, "", json!({"to": "withdrawn",
            "reason_code": "DATA_KELIRU"})).await, &["accepted", "declined"], "receiver withdraws");
        assert_illegal(&step(&app, &kemendes, &id, "", json!({"to": "lapsed"})).await,
            &["accepted", "declined"], "receiver lapses it");
        assert_illegal(&step(&app, &kemendes, &id, "", json!({"to": "enrolled",
            "enrollment_id": g})).await, &["accepted", "declined"], "enrolled while offered");
        // Reasons: required to decline, and of the right use.
        assert_invalid(&step(&app, &kemendes, &id, "", json!({"to": "declined"})).await,
            &["/reason_code"], "decline without a reason");
        assert_invalid(&step(&app, &kemendes, &id, "", json!({"to": "declined",
            "reason_code": "DATA_KELIRU"})).await, &["/reason_code"], "a withdrawal reason");
        assert_invalid(&step(&app, &kemendes, &id, "", json!({"to": "accepted",
            "reason_code": "KUOTA_PENUH"})).await, &["/reason_code"], "a reason to accept");
        assert_invalid(&step(&app, &kemendes, &id, "", json!({"to": "declined",
            "reason_code": "KUOTA_PENUH", "note": "NIK 3201011507850003"})).await,
            &["/note"], "a NIK in the note");
        assert_invalid(&step(&app, &kemendes, &id, "", json!({"to": "paused"})).await,
            &["/to"], "an unknown state");
        // A stale ETag.
        assert_problem(&step(&app, &kemendes, &id, "\"7\"", json!({"to": "accepted"})).await,
            412, "stale If-Match");

        // One agency declines: the referral stays open for the other.
        let declined = step(&app, &kemendes, &id, "\"1\"", json!({"to": "declined",
            "reason_code": "KUOTA_PENUH", "note": "Kuota 2026 penuh"})).await;
        assert_eq!(declined.status, 200, "{}", declined.body);
        assert_eq!(declined.body["status"], "offered");
        assert_illegal(&step(&app, &kemendes, &id, "", json!({"to": "accepted"})).await,
            &[], "accept after declining");

        // The other accepts, then releases it: nobody is left, so it is released.
        let accepted = step(&app, &kemenkop, &id, "", json!({"to": "accepted"})).await;
        assert_eq!(accepted.body["status"], "accepted", "{}", accepted.body);
        assert_illegal(&step(&app, &kemensos, &id, "", json!({"to": "released",
            "reason_code": "KELUARGA_MENOLAK"})).await, &["withdrawn"], "requester releases");
        assert_invalid(&step(&app, &kemenkop, &id, "", json!({"to": "enrolled"})).await,
            &["/enrollment_id"], "enrolled without the enrollment");
        assert_invalid(&step(&app, &kemenkop, &id, "", json!({"to": "enrolled",
            "enrollment_id": g})).await, &["/enrollment_id"], "a graduation as enrollment");
        let released = step(&app, &kemenkop, &id, "", json!({"to": "released",
            "reason_code": "TIDAK_DAPAT_DIHUBUNGI"})).await;
        assert_eq!(released.status, 200, "{}", released.body);
        assert_eq!(released.body["status"], "released");
        assert_eq!(released.body["status_reason"], "TIDAK_DAPAT_DIHUBUNGI");
        assert!(released.body.get("owner_agency").is_none());
        for who in [&kemensos, &kemendes, &kemenkop] {
            assert_illegal(&step(&app, who, &id, "", json!({"to": "withdrawn",
                "reason_code": "DATA_KELIRU"})).await, &[], "anything after release");
        }

        // A release with another agency still to answer offers it again; the requester may
        // withdraw what is accepted.
        let made = refer(&app, &kemensos, &referral("R-3", &g, &["KEMENDES", "KEMENKOP"], &[])).await;
        let id = made.body["id"].as_str().unwrap().to_owned();
        step(&app, &kemendes, &id, "", json!({"to": "accepted"})).await;
        let back = step(&app, &kemendes, &id, "", json!({"to": "released",
            "reason_code": "KELUARGA_MENOLAK"})).await;
        assert_eq!(back.body["status"], "offered", "{}", back.body);
        assert_eq!(offers(&back.body), [("KEMENDES".into(), "released".into()),
            ("KEMENKOP".into(), "offered".into())]);
        step(&app, &kemenkop, &id, "", json!({"to": "accepted"})).await;
        assert_invalid(&step(&app, &kemensos, &id, "", json!({"to": "withdrawn"})).await,
            &["/reason_code"], "withdraw without a reason");
        let withdrawn = step(&app, &kemensos, &id, "", json!({"to": "withdrawn",
            "reason_code": "SUDAH_TERTANGANI"})).await;
        assert_eq!(withdrawn.body["status"], "withdrawn", "{}", withdrawn.body);
        assert_eq!(feed_actions(&app, &kemenkop, &id, 5).await,
            ["offered", "accepted", "released", "accepted", "withdrawn"]);

        // Every agency declining ends it as declined.
        let made = refer(&app, &kemensos, &referral("R-4", &g, &["KEMENDES"], &[])).await;
        let id = made.body["id"].as_str().unwrap();
        let last = step(&app, &kemendes, id, "", json!({"to": "declined",
            "reason_code": "DI_LUAR_WILAYAH"})).await;
        assert_eq!(last.body["status"], "declined", "{}", last.body);
        assert_eq!(last.body["status_reason"], "DI_LUAR_WILAYAH");
    }

    async fn concurrent_accepts_have_exactly_one_winner(backend: Backend) {
        let app = spawn_app(backend).await;
        let g = graduated(&app, "G-REF-3").await;
        let kemensos = app.token(KEMENSOS, None).await;
        let agencies = [KEMENDES, KEMENKOP, KEMENUMKM, KEMENEKRAF];
        let made = refer(&app, &kemensos, &referral("R-5", &g,
            &["KEMENDES", "KEMENKOP", "KEMENUMKM", "KEMENEKRAF"], &[])).await;
        let id = made.body["id"].as_str().unwrap().to_owned();
        let mut tokens = Vec::new();
        for client in agencies {
            tokens.push(app.token(client, None).await);
        }
        let answers = futures_util::future::join_all(tokens.iter().map(|t| {
            step(&app, t, &id, "\"1\"", json!({"to": "accepted"}))
        }))
        .await;
        let winners: Vec<&Answer> = answers.iter().filter(|a| a.status == 200).collect();
        assert_eq!(winners.len(), 1, "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
        for loser in answers.iter().filter(|a| a.status != 200) {
            // Decided again on the winner's write: no longer acceptable (or the ETag moved).
            assert!(loser.status == 409 || loser.status == 412, "{}", loser.body);
        }
        let owner = winners[0].body["owner_agency"].clone();
        let now = get(&app, &kemensos, &format!("/v1/referrals/{id}")).await;
        assert_eq!(now.body["owner_agency"], owner);
        assert_eq!(now.body["version"], 2);
        assert_eq!(feed_actions(&app, &kemensos, &id, 2).await, ["offered", "accepted"]);
    }

    async fn a_referral_is_checked_before_it_discloses_anything(backend: Backend) {
        let app = spawn_app(backend).await;
        let g = graduated(&app, "G-REF-4").await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;

        let mut bad = referral("R-6", &g, &["KEMENSOS", "KEMENDES", "KEMENDES"], &["NOSUCH"]);
        bad["offered_to"][1]["target_program"] = json!("PKH");
        bad["reason_code"] = json!("KUOTA_PENUH");
        bad["respond_by"] = json!("2020-01-01T00:00:00Z");
        bad["note"] = json!("KK 3201012308150007");
        let a = refer(&app, &kemensos, &bad).await;
        assert_invalid(&a, &["/fallback_to/0/agency", "/note", "/offered_to/0/agency",
            "/offered_to/1/target_program", "/offered_to/2/agency", "/reason_code",
            "/respond_by"], "a wrong referral");
        assert!(!a.body.to_string().contains("3201012308150007"), "{}", a.body);

        let mut late = referral("R-7", &g, &["KEMENDES"], &[]);
        late["respond_by"] = json!((chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339());
        late["complete_by"] = json!((chrono::Utc::now() + chrono::Duration::days(20)).to_rfc3339());
        assert_invalid(&refer(&app, &kemensos, &late).await, &["/complete_by"], "complete before respond");
        late["complete_by"] = json!((chrono::Utc::now() + chrono::Duration::days(400)).to_rfc3339());
        assert_invalid(&refer(&app, &kemensos, &late).await, &["/complete_by"], "beyond a year");

        // Only the graduation's publisher (or the coordinator) refers its family.
        let theirs = refer(&app, &kemendes, &referral("R-8", &g, &["KEMENKOP"], &[])).await;
        assert_invalid(&theirs, &["/graduation_id"], "another agency's graduation");
        let unknown = refer(&app, &kemensos, &referral("R-9", &uuid::Uuid::now_v7().to_string(),
            &["KEMENDES"], &[])).await;
        assert_invalid(&unknown, &["/graduation_id"], "no such graduation");

        // A purpose the receiver's agreement does not cover, and an agreement suspended.
        let mut purpose = referral("R-10", &g, &["KEMENDES"], &[]);
        purpose["purpose"] = json!("VERIFIKASI_KELAYAKAN");
        let refused = refer(&app, &kemensos, &purpose).await;
        assert_problem(&refused, 403, "purpose not covered");
        assert_eq!(refused.body["type"], "urn:sinergi:problem:purpose-not-covered");
        assert!(refused.body["detail"].as_str().unwrap().starts_with("/offered_to/0/agency"));
        let (_, all) = app.get_json("/v1/agreements").await;
        let kemenkop_reads = all["items"].as_array().unwrap().iter()
            .find(|a| a["consumer_agency"] == "KEMENKOP" && a["provider_agency"] == "KEMENSOS"
                && a["record_kinds"] == json!(["graduation"]))
            .unwrap()["id"].as_str().unwrap().to_owned();
        let suspended = post(&app, &kemensos, &format!("/v1/agreements/{kemenkop_reads}/suspend"),
            &json!({})).await;
        assert_eq!(suspended.status, 200, "{}", suspended.body);
        // The agreement cache of this instance was invalidated by the change itself.
        let fallback = refer(&app, &kemensos, &referral("R-11", &g, &["KEMENDES"], &["KEMENKOP"])).await;
        assert_problem(&fallback, 403, "a fallback without an agreement");
        assert_eq!(fallback.body["type"], "urn:sinergi:problem:no-agreement");
        assert!(fallback.body["detail"].as_str().unwrap().starts_with("/fallback_to/0/agency"));

        // Without the write scope.
        let reader = app.token(KEMENSOS, Some("referrals:read")).await;
        assert_problem(&refer(&app, &reader, &referral("R-12", &g, &["KEMENDES"], &[])).await,
            403, "no referrals:write");

        // The coordinator may refer any family; without an agreement of its own for the
        // purpose it sees only the family's pseudonym.
        let made = refer(&app, &app.admin_token, &referral("R-13", &g, &["KEMENDES"], &[])).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let subject = made.body["subject"].as_object().unwrap();
        assert_eq!(subject.keys().collect::<Vec<_>>(), ["subject_ref"], "{}", made.body);
        let reasons = get(&app, &kemendes, "/v1/referral-reasons").await;
        assert!(reasons.body["items"].as_array().unwrap().iter()
            .any(|r| r["code"] == "KUOTA_PENUH" && r["applies_to"] == "decline"));
    }

    async fn deadlines_pass_to_the_fallback_then_lapse_once_with_two_instances(backend: Backend) {
        // Two instances over one database: each signal is still raised once.
        let (app, _second) = crate::common::spawn_two_instances(backend).await;

        let g = graduated(&app, "G-REF-5").await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemenkop = app.token(KEMENKOP, None).await;
        let mut body = referral("R-14", &g, &["KEMENDES"], &["KEMENKOP"]);
        body["respond_by"] = json!((chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339());
        let made = refer(&app, &kemensos, &body).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let id = made.body["id"].as_str().unwrap().to_owned();
        // A fallback does not see the referral before it is offered it.
        assert_problem(&get(&app, &kemenkop, &format!("/v1/referrals/{id}")).await, 404, "waiting");

        // Past respond_by the sweep (every few seconds, on either instance) offers it to
        // the fallback.
        let deadline = Instant::now() + Duration::from_secs(20);
        let moved = loop {
            let a = get(&app, &kemensos, &format!("/v1/referrals/{id}")).await;
            if a.body["version"] != 1 || Instant::now() > deadline {
                break a;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(moved.body["status"], "offered", "{}", moved.body);
        assert_eq!(offers(&moved.body), [("KEMENDES".into(), "lapsed".into()),
            ("KEMENKOP".into(), "offered".into())]);
        let new_respond: chrono::DateTime<chrono::Utc> =
            moved.body["respond_by"].as_str().unwrap().parse().unwrap();
        assert!(new_respond > chrono::Utc::now() + chrono::Duration::days(13));
        let seen = get(&app, &kemenkop, &format!("/v1/referrals/{id}")).await;
        assert_eq!(seen.status, 200, "{}", seen.body);

        // A fallback whose agreement was suspended before the deadline is skipped: it is
        // never shown the family, and the referral lapses.
        let umkm = app.token(KEMENUMKM, None).await;
        let mut body = referral("R-16", &g, &["KEMENDES"], &["KEMENUMKM"]);
        body["respond_by"] = json!((chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339());
        let made = refer(&app, &kemensos, &body).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let skipped = made.body["id"].as_str().unwrap().to_owned();
        let (_, all) = app.get_json("/v1/agreements").await;
        let umkm_reads = all["items"].as_array().unwrap().iter()
            .find(|a| a["consumer_agency"] == "KEMENUMKM" && a["provider_agency"] == "KEMENSOS"
                && a["record_kinds"] == json!(["graduation"]))
            .unwrap()["id"].as_str().unwrap().to_owned();
        let suspended = post(&app, &kemensos, &format!("/v1/agreements/{umkm_reads}/suspend"),
            &json!({})).await;
        assert_eq!(suspended.status, 200, "{}", suspended.body);

        // Accepted, then complete_by passes: overdue and lapsed, each once.
        let mut body = referral("R-15", &g, &["KEMENDES"], &[]);
        let now = chrono::Utc::now();
        body["respond_by"] = json!((now + chrono::Duration::seconds(1)).to_rfc3339());
        body["complete_by"] = json!((now + chrono::Duration::seconds(3)).to_rfc3339());
        let made = refer(&app, &kemensos, &body).await;
        let short = made.body["id"].as_str().unwrap().to_owned();
        let kemendes = app.token(KEMENDES, None).await;
        let accepted = step(&app, &kemendes, &short, "", json!({"to": "accepted"})).await;
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        let deadline = Instant::now() + Duration::from_secs(20);
        let lapsed = loop {
            let a = get(&app, &kemensos, &format!("/v1/referrals/{short}")).await;
            if a.body["status"] != "accepted" || Instant::now() > deadline {
                break a;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(lapsed.body["status"], "lapsed", "{}", lapsed.body);
        let gone = get(&app, &kemensos, &format!("/v1/referrals/{skipped}")).await;
        assert_eq!(gone.body["status"], "lapsed", "{}", gone.body);
        assert_eq!(offers(&gone.body), [("KEMENDES".into(), "lapsed".into()),
            ("KEMENUMKM".into(), "skipped".into())]);
        assert_problem(&get(&app, &umkm, &format!("/v1/referrals/{skipped}")).await, 404,
            "a skipped fallback");
        assert!(feed_actions(&app, &umkm, &skipped, 0).await.is_empty());
        // Both instances swept for a while: each deadline was announced exactly once.
        tokio::time::sleep(Duration::from_secs(6)).await;
        assert_eq!(feed_actions(&app, &kemensos, &id, 3).await, ["offered", "overdue", "offered"]);
        assert_eq!(feed_actions(&app, &kemensos, &short, 4).await,
            ["offered", "accepted", "overdue", "lapsed"]);
        // Each missed deadline is one open follow-up signal, seen by the referral's parties.
        let overdue = get(&app, &kemensos, "/v1/follow-up?kind=referral.overdue").await;
        let mut causes: Vec<(String, String)> = overdue.body["items"].as_array().unwrap().iter()
            .map(|s| (s["referral_id"].as_str().unwrap().to_owned(),
                s["cause"].as_str().unwrap().to_owned()))
            .collect();
        causes.sort();
        let mut expected = vec![
            (id.clone(), "respond_by".to_owned()),
            (short.clone(), "complete_by".to_owned()),
            (skipped.clone(), "respond_by".to_owned()),
        ];
        expected.sort();
        assert_eq!(causes, expected, "{}", overdue.body);
        let fallback = get(&app, &kemenkop, "/v1/follow-up?kind=referral.overdue").await;
        assert_eq!(fallback.body["items"].as_array().unwrap().len(), 1, "{}", fallback.body);
        // Accepted by the fallback: the referral moved on, and its signal closes.
        step(&app, &kemenkop, &id, "", json!({"to": "accepted"})).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let open = get(&app, &kemenkop, "/v1/follow-up?kind=referral.overdue").await;
            if open.body["items"].as_array().unwrap().is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "still open: {}", open.body);
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}
