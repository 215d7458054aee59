//! The follow-up watch on both backends, with two instances running: a graduation nobody
//! picked up, a family back in social assistance (by the head's NIK, by the KK of a member,
//! by a decile drop), each signal raised exactly once, none outside the window, closed when
//! a referral follows, and shown only to the agencies entitled to see it.

use std::time::{Duration, Instant};

use crate::common::problem::assert_invalid;
use crate::common::records::{KEMENDES, KEMENSOS, get, graduation, kk, nik, post, publish};
use crate::common::{Backend, TestApp};
use serde_json::{Value, json};

/// A KEMENSOS graduation of family `n` that graduated `days_ago` days ago; its id.
async fn graduated(app: &TestApp, n: u32, days_ago: i64, decile: u8) -> String {
    let token = app.token(KEMENSOS, None).await;
    let mut g = graduation(&format!("G-FU-{n}"));
    g["household"] = json!({"kk": kk(n), "head_nik": nik(n)});
    g["member_niks"] = json!([nik(100 + n)]);
    g["welfare_decile"] = json!(decile);
    g["graduated_on"] = json!(
        (chrono::Utc::now() - chrono::Duration::days(days_ago))
            .date_naive()
            .to_string()
    );
    publish(app, &token, "graduations", &g).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An enrollment by `client` in `program` of `subject`.
async fn enrolled(
    app: &TestApp,
    client: &str,
    srid: &str,
    program: &str,
    subject: Value,
) -> String {
    let token = app.token(client, None).await;
    let e = json!({"source_record_id": srid, "program": program, "subject": subject,
        "region_code": "32.01.01.1002", "status": "active",
        "enrolled_on": chrono::Utc::now().date_naive().to_string()});
    publish(app, &token, "enrollments", &e).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The signals `token` sees with `query`.
async fn signals(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let a = get(app, token, &format!("/v1/follow-up{query}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["items"].as_array().unwrap().clone()
}

/// (kind, cause, graduation id) of each signal, sorted.
fn summary(items: &[Value]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = items
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_owned(),
                s["cause"].as_str().unwrap().to_owned(),
                s["graduation_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

both_backends! {
    async fn the_watch_raises_each_signal_once_inside_the_window_for_those_entitled(backend: Backend) {
        // Two instances over one database: each signal is still raised once.
        let (app, _second) = crate::common::spawn_two_instances(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;

        let unreferred = graduated(&app, 1, 40, 6).await;
        let _outside = graduated(&app, 2, 400, 6).await;
        let referred = graduated(&app, 3, 40, 6).await;
        let _recent = graduated(&app, 4, 10, 6).await;
        let by_nik = graduated(&app, 5, 60, 6).await;
        let by_member_kk = graduated(&app, 6, 60, 6).await;
        let by_decile = graduated(&app, 7, 60, 6).await;
        let empowered = graduated(&app, 8, 20, 6).await;
        let made = post(&app, &kemensos, "/v1/referrals", &json!({"source_record_id": "R-FU-3",
            "graduation_id": referred, "purpose": "PEMBERDAYAAN_EKONOMI",
            "offered_to": [{"agency": "KEMENDES"}], "reason_code": "USAHA_MIKRO"})).await;
        assert_eq!(made.status, 201, "{}", made.body);

        // Back in social assistance: the head by NIK in Sembako; a member, under the family
        // card only, in PKH. An empowerment program is no relapse.
        let e_nik = enrolled(&app, KEMENSOS, "SBK-FU-5", "SEMBAKO", json!({"nik": nik(5)})).await;
        let e_kk = enrolled(&app, KEMENSOS, "PKH-FU-6", "PKH", json!({"kk": kk(6)})).await;
        enrolled(&app, KEMENDES, "PKTD-FU-8", "PKTD", json!({"nik": nik(8)})).await;
        // A new version with the decile at 3.
        let mut g = graduation("G-FU-7");
        g["household"] = json!({"kk": kk(7), "head_nik": nik(7)});
        g["member_niks"] = json!([nik(107)]);
        g["welfare_decile"] = json!(3);
        g["graduated_on"] = json!((chrono::Utc::now() - chrono::Duration::days(60))
            .date_naive()
            .to_string());
        publish(&app, &kemensos, "graduations", &g).await;

        let expected = {
            let mut e = vec![
                ("graduation.relapse".to_owned(), "social_assistance_enrollment".to_owned(), by_nik.clone()),
                ("graduation.relapse".into(), "social_assistance_enrollment".into(), by_member_kk.clone()),
                ("graduation.relapse".into(), "welfare_decile".into(), by_decile.clone()),
                ("graduation.unreferred".into(), "no_referral".into(), unreferred.clone()),
            ];
            // Graduated 60 days ago and unreferred too.
            for g in [&by_nik, &by_member_kk, &by_decile] {
                e.push(("graduation.unreferred".into(), "no_referral".into(), g.to_string()));
            }
            e.sort();
            e
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            seen = summary(&signals(&app, &kemensos, "").await);
            if seen.len() >= expected.len() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(seen, expected);
        assert!(!seen.iter().any(|s| s.2 == empowered));
        // Both instances ran the watch several times more: nothing was raised twice.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let items = signals(&app, &kemensos, "").await;
        assert_eq!(summary(&items), expected);
        let relapse = items.iter().find(|s| s["graduation_id"] == by_nik.as_str()
            && s["kind"] == "graduation.relapse").unwrap();
        assert_eq!(relapse["records"], json!([by_nik, e_nik]));
        assert_eq!(relapse["program"], "PKH");
        assert_eq!(relapse["region_code"], "32.01.01.1002");
        let member = items.iter().find(|s| s["graduation_id"] == by_member_kk.as_str()
            && s["kind"] == "graduation.relapse").unwrap();
        assert_eq!(member["records"], json!([by_member_kk, e_kk]));
        // No NIK or KK in any signal.
        let text = serde_json::to_string(&items).unwrap();
        for n in 1..=8 {
            assert!(!text.contains(&nik(n)) && !text.contains(&kk(n)), "{text}");
        }

        // Filters.
        assert_eq!(signals(&app, &kemensos, "?kind=graduation.relapse").await.len(), 3);
        assert_eq!(signals(&app, &kemensos, "?program=SEMBAKO").await.len(), 0);
        assert_eq!(signals(&app, &kemensos, "?region=32.01").await.len(), 7);
        assert_eq!(signals(&app, &kemensos, "?region=33").await.len(), 0);
        assert_eq!(signals(&app, &kemensos, "?min_age_days=1").await.len(), 0);
        let first = get(&app, &kemensos, "/v1/follow-up?limit=2").await;
        let next = first.body["next"].as_str().unwrap();
        let rest = signals(&app, &kemensos, &format!("?after={next}")).await;
        assert_eq!(rest.len(), 5);
        assert_invalid(&get(&app, &kemensos, "/v1/follow-up?kind=graduation.lost").await,
            &["#/query/kind"], "an unknown kind");

        // Another ministry sees none of Kemensos's graduations' signals; the coordinator all.
        let kemendes = app.token(KEMENDES, None).await;
        assert!(signals(&app, &kemendes, "").await.is_empty());
        assert_eq!(signals(&app, &app.admin_token, "").await.len(), expected.len());

        // A referral for the unreferred graduation closes its signal.
        let made = post(&app, &kemensos, "/v1/referrals", &json!({"source_record_id": "R-FU-1",
            "graduation_id": unreferred, "purpose": "PEMBERDAYAAN_EKONOMI",
            "offered_to": [{"agency": "KEMENDES"}], "reason_code": "USAHA_MIKRO"})).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline
            && signals(&app, &kemensos, "").await.len() == expected.len()
        {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let open = summary(&signals(&app, &kemensos, "").await);
        assert_eq!(open.len(), expected.len() - 1);
        assert!(!open.iter().any(|s| s.2 == unreferred && s.0 == "graduation.unreferred"));
        let all = signals(&app, &kemensos, "?include_closed=true").await;
        let closed = all.iter().find(|s| s["graduation_id"] == unreferred.as_str()).unwrap();
        assert!(closed["closed_at"].is_string(), "{closed}");

        // Every signal raised, and the one closed, is on the feed for the graduation's
        // publisher (and the coordinator), not for another ministry.
        let feed = |token: String| {
            let app = &app;
            async move {
                let page = get(app, &token, "/v1/changes?types=follow_up&limit=1000").await;
                assert_eq!(page.status, 200, "{}", page.body);
                page.body["changes"].as_array().unwrap().clone()
            }
        };
        let changes = feed(kemensos.clone()).await;
        let mut announced: Vec<_> = changes
            .iter()
            .map(|c| {
                assert_eq!(c["type"], "follow_up");
                (
                    c["action"].as_str().unwrap().to_owned(),
                    c["record"]["kind"].as_str().unwrap().to_owned(),
                    c["record"]["graduation_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        announced.sort();
        let mut wanted: Vec<_> = expected
            .iter()
            .map(|(kind, _, g)| ("raised".to_owned(), kind.clone(), g.clone()))
            .collect();
        wanted.push(("closed".into(), "graduation.unreferred".into(), unreferred.clone()));
        wanted.sort();
        assert_eq!(announced, wanted);
        let closing = changes.iter().find(|c| c["action"] == "closed").unwrap();
        assert_eq!(closing["record_id"], closed["id"]);
        assert!(closing["record"]["closed_at"].is_string(), "{closing}");
        assert!(feed(kemendes.clone()).await.is_empty());
        assert_eq!(feed(app.admin_token.clone()).await.len(), wanted.len());
    }
}
