//! Requests that name no client (no token, a made-up or forged one, no route) are limited
//! per source address and counted in aggregate audit entries instead of one entry each, so that a
//! flood cannot grow the permanent log, while authenticated clients are served throughout.

use std::time::Duration;

use crate::common::{Backend, TestApp, TestDb, spawn_with};
use futures_util::StreamExt;
use serde_json::Value;

/// Requests in the flood.
const FLOOD: usize = 4_000;

/// A token shaped like the service's own (an EdDSA JWT with a `kid`) that no key of it
/// signed.
const FORGED: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6IjAwMDAwMDAwMDAwMDAwMDAifQ.\
    eyJzdWIiOiJkZW1vLWtlbWVuc29zIiwiYWdlbmN5IjoiS0VNRU5TT1MiLCJzY29wZSI6ImFkbWluIn0.\
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Every entry in the log, oldest first, once the sequencer has taken in `at_least`.
async fn all_entries(app: &TestApp, at_least: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = "/v1/audit/entries?limit=1000".to_owned();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let (status, page) = app.get_json(&path).await;
            assert_eq!(status, 200, "{page}");
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        if items.len() >= at_least {
            return items;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{} entries after 20 s, expected at least {at_least}",
            items.len()
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

fn counted(entries: &[Value]) -> u64 {
    entries
        .iter()
        .filter_map(|e| e["aggregate"]["requests"].as_u64())
        .sum()
}

both_backends! {
    async fn an_anonymous_flood_adds_a_handful_of_entries_and_clients_are_served_throughout(
        backend: Backend
    ) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).unwrap();
        // The default anonymous allowance (5 a second, bursts of 50); aggregates per second,
        // so that the test need not wait a minute for them.
        let app = spawn_with(db, |s| {
            s.anonymous_rate_per_second = 5.0;
            s.anonymous_rate_burst = 50;
            s.audit_anonymous_window_secs = 1;
        })
        .await;
        let kemensos = app.token("demo-kemensos", None).await;
        let before = all_entries(&app, 0).await.len();

        let flood = futures_util::stream::iter(0..FLOOD)
            .map(|i| {
                let client = app.client.clone();
                let url = if i % 2 == 0 {
                    app.url("/v1/whoami")
                } else {
                    app.url(&format!("/v1/no-such-path/{i}"))
                };
                // A third of the flood carries a token that is not one: credentials refused
                // with 401 count like none, on both routes.
                let mut request = client.get(url);
                match i % 6 {
                    0 | 1 => request = request.bearer_auth(format!("bogus-{i}")),
                    2 | 3 => request = request.bearer_auth(FORGED),
                    _ => {}
                }
                async move { request.send().await.unwrap().status().as_u16() }
            })
            .buffer_unordered(32)
            .collect::<Vec<u16>>();
        // An authenticated client, from the same address, all through the flood.
        let served = async {
            let mut statuses = Vec::new();
            for _ in 0..100 {
                let res = app
                    .client
                    .get(app.url("/v1/whoami"))
                    .bearer_auth(&kemensos)
                    .send()
                    .await
                    .unwrap();
                statuses.push(res.status().as_u16());
            }
            statuses
        };
        let started = std::time::Instant::now();
        let (flooded, served) = tokio::join!(flood, served);
        // The bounds below follow from the configured rates and how long the flood lasted,
        // so that a loaded machine, where it lasts longer, does not change the verdict.
        let lasted = started.elapsed().as_secs() + 1;
        assert!(served.iter().all(|s| *s == 200), "the client was refused: {served:?}");
        let refused = flooded.iter().filter(|s| **s == 429).count();
        let allowance = 50 + 5 * lasted as usize;
        assert!(
            FLOOD - refused <= allowance,
            "the address was held to its allowance of {allowance} in {lasted} s: only \
             {refused} of {FLOOD} got 429"
        );
        assert!(
            flooded.iter().all(|s| [401, 404, 429].contains(s)),
            "{:?}",
            flooded.iter().filter(|s| ![401, 404, 429].contains(*s)).collect::<Vec<_>>()
        );

        // Wait until every anonymous request is counted (the last window must end) and the
        // sequencer has taken in the authenticated requests' own entries too.
        let own_entries = |entries: &[Value]| {
            entries
                .iter()
                .filter(|e| e["client_id"] == "demo-kemensos" && e["route"] == "/v1/whoami")
                .count()
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let entries = loop {
            let entries = all_entries(&app, before).await;
            if counted(&entries) >= FLOOD as u64 && own_entries(&entries[before..]) >= 100 {
                break entries;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} counted, {} own entries",
                counted(&entries),
                own_entries(&entries[before..])
            );
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        };
        let new = &entries[before..];
        println!(
            "{backend:?}: {FLOOD} anonymous requests ({refused} refused with 429) and 100 \
             authenticated ones made {} entries",
            new.len()
        );
        assert_eq!(counted(new), FLOOD as u64, "every anonymous request is counted once");
        let anonymous: Vec<&Value> = new.iter().filter(|e| e["client_id"].is_null()).collect();
        // At most one aggregate per route and status (the flood has two routes, each
        // answered with its own status or 429) per one-second window, counting the window
        // open when the flood began and the one after it ended.
        assert!(
            anonymous.len() as u64 <= 4 * (lasted + 2),
            "{FLOOD} anonymous requests in {lasted} s took {} entries",
            anonymous.len()
        );
        for entry in &anonymous {
            assert!(entry["aggregate"].is_object(), "{entry}");
            assert_eq!(entry["source_address"], "127.0.0.1", "{entry}");
            assert!(
                [Some("/v1/whoami"), None].contains(&entry["route"].as_str()),
                "{entry}"
            );
        }
        let whoami: u64 = anonymous
            .iter()
            .filter(|e| e["route"] == "/v1/whoami")
            .filter_map(|e| e["aggregate"]["requests"].as_u64())
            .sum();
        assert_eq!(whoami, FLOOD as u64 / 2, "the flood of /v1/whoami, counted under its route");
        // The authenticated requests each have their own entry.
        assert_eq!(own_entries(new), 100);
        assert!(new.len() <= 300, "{} entries for {} requests", new.len(), FLOOD + 100);
    }
}
