//! Searching graduations and enrollments over HTTP, on both backends: every filter, page
//! limits, keyset paging (also while others write), cursor checks and read scopes.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::answer::Answer;
use crate::common::problem::assert_invalid;
use crate::common::records::{
    AUDITOR, KEMENDES, KEMENKOP, KEMENSOS, delete, get, get_with, kk, nik, post, post_batch,
    publish,
};
use crate::common::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

/// Checks a 400 validation problem naming exactly `pointer`.
fn assert_bad_query(a: &Answer, pointer: &str) {
    assert_invalid(a, &[pointer], pointer);
}

fn query_string(query: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in query {
        s.append_pair(k, v);
    }
    s.finish()
}

/// One page of a search.
async fn search(app: &TestApp, token: &str, collection: &str, query: &[(&str, &str)]) -> Answer {
    get(
        app,
        token,
        &format!("/v1/{collection}?{}", query_string(query)),
    )
    .await
}

/// A search and what it must find: the collection, the query and the source ids in order.
type Found<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);

/// Checks that a search finds exactly these source ids, in this order.
async fn assert_found(app: &TestApp, collection: &str, query: &[(&str, &str)], expected: &[&str]) {
    let got = found(app, collection, query).await;
    assert_eq!(got, expected, "{collection} {query:?}");
}

/// The source ids a search finds, in the order answered (one page, at most 1,000).
async fn found(app: &TestApp, collection: &str, query: &[(&str, &str)]) -> Vec<String> {
    let mut query = query.to_vec();
    query.push(("limit", "1000"));
    let a = search(app, &app.admin_token, collection, &query).await;
    assert_eq!(a.status, 200, "{query:?}: {}", a.body);
    assert_eq!(a.body["next_cursor"], Value::Null);
    a.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source_record_id"].as_str().unwrap().to_owned())
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn graduation(
    srid: &str,
    program: &str,
    village: &str,
    on: &str,
    head: u32,
    members: &[u32],
    family: u32,
) -> Value {
    json!({
        "source_record_id": srid,
        "program": program,
        "household": {"kk": kk(family), "head_nik": nik(head)},
        "member_niks": members.iter().map(|m| nik(*m)).collect::<Vec<_>>(),
        "region_code": village,
        "graduation_type": "natural",
        "graduated_on": on,
    })
}

fn enrollment(
    srid: &str,
    program: &str,
    subject: Value,
    village: &str,
    status: &str,
    on: &str,
) -> Value {
    json!({
        "source_record_id": srid,
        "program": program,
        "subject": subject,
        "region_code": village,
        "status": status,
        "enrolled_on": on,
    })
}

/// Five graduations and four enrollments spread over regions, dates, programs and agencies.
struct Fixture {
    kemensos: String,
    kemendes: String,
    graduations: Vec<Value>,
    enrollments: Vec<Value>,
}

impl Fixture {
    fn graduation_id(&self, i: usize) -> &str {
        self.graduations[i]["id"].as_str().unwrap()
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let kemensos = app.token(KEMENSOS, None).await;
    let kemendes = app.token(KEMENDES, None).await;
    let kemenkop = app.token(KEMENKOP, None).await;
    let mut graduations = Vec::new();
    for g in [
        graduation("G1", "PKH", "32.01.01.1002", "2026-01-15", 1, &[2, 3], 1),
        graduation("G2", "PKH", "32.01.01.1003", "2026-02-15", 4, &[], 2),
        graduation("G3", "SEMBAKO", "3201022001", "2026-03-15", 5, &[2], 3),
        graduation("G4", "SEMBAKO", "32.02.01.1001", "2026-04-15", 6, &[], 1),
        graduation("G5", "PKH", "33.01.01.2001", "2026-05-15", 7, &[], 4),
    ] {
        graduations.push(publish(app, &kemensos, "graduations", &g).await);
    }
    let g1 = graduations[0]["id"].clone();
    let g3 = graduations[2]["id"].clone();
    let mut enrollments = Vec::new();
    let mut e1 = enrollment(
        "E1",
        "PKTD",
        json!({"nik": nik(1), "kk": kk(1)}),
        "32.01.01.1002",
        "active",
        "2026-02-01",
    );
    e1["graduation_id"] = g1;
    enrollments.push(publish(app, &kemendes, "enrollments", &e1).await);
    let mut e2 = enrollment(
        "E2",
        "PKTD",
        json!({"kk": kk(2)}),
        "32.01.02.2001",
        "completed",
        "2026-03-01",
    );
    e2["ended_on"] = json!("2026-06-01");
    enrollments.push(publish(app, &kemendes, "enrollments", &e2).await);
    let mut e3 = enrollment(
        "E3",
        "KOPDES_MP",
        json!({"nik": nik(5)}),
        "33.01.01.2001",
        "active",
        "2026-04-01",
    );
    e3["graduation_id"] = g3;
    enrollments.push(publish(app, &kemenkop, "enrollments", &e3).await);
    let e4 = enrollment(
        "E4",
        "PENA",
        json!({"nik": nik(2)}),
        "32.02.01.1001",
        "suspended",
        "2026-05-01",
    );
    enrollments.push(publish(app, &kemensos, "enrollments", &e4).await);
    Fixture {
        kemensos,
        kemendes,
        graduations,
        enrollments,
    }
}

/// Publishes `n` graduations `{prefix}-00`… in one batch and returns their ids in order.
async fn publish_many(app: &TestApp, token: &str, prefix: &str, n: usize) -> Vec<String> {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let program = if i % 2 == 0 { "PKH" } else { "SEMBAKO" };
            graduation(
                &format!("{prefix}-{i:02}"),
                program,
                "32.01.01.1002",
                "2026-06-30",
                1 + i as u32,
                &[],
                1 + i as u32,
            )
        })
        .collect();
    let a = post_batch(app, token, "/v1/graduations/batch", items).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["result"], "created", "{r}");
            r["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// Follows `next_cursor` from the first page to the last and returns every page.
async fn all_pages(
    app: &TestApp,
    collection: &str,
    query: &[(&str, &str)],
    mut between: impl AsyncFnMut(usize),
) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = query.to_vec();
        if let Some(c) = &cursor {
            q.push(("cursor", c.as_str()));
        }
        let a = search(app, &app.admin_token, collection, &q).await;
        assert_eq!(a.status, 200, "{}", a.body);
        pages.push(a.body["items"].as_array().unwrap().clone());
        match a.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return pages,
        }
        between(pages.len()).await;
        assert!(pages.len() < 1_000, "paging does not end");
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    async fn nik_finds_a_household_head_any_member_and_an_enrollment_subject(backend: Backend) {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let n = nik;
        assert_found(&app, "graduations", &[("nik", &n(1))], &["G1"]).await;
        assert_found(&app, "graduations", &[("nik", &n(2))], &["G1", "G3"]).await;
        assert_found(&app, "graduations", &[("nik", &n(3))], &["G1"]).await;
        assert_found(&app, "graduations", &[("nik", &n(5))], &["G3"]).await;
        assert_found(&app, "graduations", &[("nik", &n(9999))], &[]).await;
        assert_found(&app, "enrollments", &[("nik", &n(1))], &["E1"]).await;
        assert_found(&app, "enrollments", &[("nik", &n(2))], &["E4"]).await;
        assert_found(&app, "enrollments", &[("nik", &n(5))], &["E3"]).await;
        // E2 names only a family.
        assert_found(&app, "enrollments", &[("nik", &n(4))], &[]).await;

        // The current version counts: a member dropped from G1 no longer finds it.
        publish(
            &app,
            &f.kemensos,
            "graduations",
            &graduation("G1", "PKH", "32.01.01.1002", "2026-01-15", 1, &[2], 1),
        )
        .await;
        assert_found(&app, "graduations", &[("nik", &n(3))], &[]).await;
        assert_found(&app, "graduations", &[("nik", &n(2))], &["G1", "G3"]).await;
        // The subject of an enrollment changes the same way.
        publish(
            &app,
            &f.kemendes,
            "enrollments",
            &enrollment(
                "E2",
                "PKTD",
                json!({"nik": nik(4), "kk": kk(2)}),
                "32.01.02.2001",
                "completed",
                "2026-03-01",
            ),
        )
        .await;
        assert_found(&app, "enrollments", &[("nik", &n(4))], &["E2"]).await;

        // A head listed among the members too is found once.
        let a = post(
            &app,
            &f.kemensos,
            "/v1/graduations",
            &graduation("G6", "PKH", "32.01.01.1002", "2026-06-15", 8, &[8, 9], 5),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_found(&app, "graduations", &[("nik", &n(8))], &["G6"]).await;
        assert_found(&app, "graduations", &[("nik", &n(9))], &["G6"]).await;

        // A malformed NIK filter is refused; a well-formed one that cannot exist finds nothing.
        for bad in [
            "123",
            "32010115078500031",
            "320101150785000x",
            "３２０１０１１５０７８５０００３",
        ] {
            let a = search(&app, &app.admin_token, "graduations", &[("nik", bad)]).await;
            assert_bad_query(&a, "#/query/nik");
        }
        assert_found(&app, "graduations", &[("nik", "0000000000000000")], &[]).await;
    }

    async fn kk_program_and_publisher_filter_exactly(backend: Backend) {
        let app = spawn_app(backend).await;
        let _f = fixture(&app).await;
        let (kk1, kk2, kk3) = (kk(1), kk(2), kk(3));
        let cases: &[Found] = &[
            ("graduations", &[("kk", &kk1)], &["G1", "G4"]),
            ("graduations", &[("kk", &kk2)], &["G2"]),
            ("enrollments", &[("kk", &kk1)], &["E1"]),
            ("enrollments", &[("kk", &kk2)], &["E2"]),
            ("enrollments", &[("kk", &kk3)], &[]),
            ("graduations", &[("program", "PKH")], &["G1", "G2", "G5"]),
            ("graduations", &[("program", "SEMBAKO")], &["G3", "G4"]),
            ("graduations", &[("program", "PKTD")], &[]),
            ("enrollments", &[("program", "PKTD")], &["E1", "E2"]),
            ("enrollments", &[("program", "KOPDES_MP")], &["E3"]),
            ("enrollments", &[("program", "PENA")], &["E4"]),
            (
                "graduations",
                &[("publisher", "KEMENSOS")],
                &["G1", "G2", "G3", "G4", "G5"],
            ),
            ("graduations", &[("publisher", "KEMENDES")], &[]),
            ("enrollments", &[("publisher", "KEMENDES")], &["E1", "E2"]),
            ("enrollments", &[("publisher", "KEMENKOP")], &["E3"]),
            ("enrollments", &[("publisher", "KEMENSOS")], &["E4"]),
            // Filters combine with AND.
            (
                "graduations",
                &[("kk", &kk1), ("program", "SEMBAKO")],
                &["G4"],
            ),
            (
                "enrollments",
                &[("publisher", "KEMENDES"), ("kk", &kk2)],
                &["E2"],
            ),
            ("graduations", &[("kk", &kk2), ("program", "SEMBAKO")], &[]),
        ];
        for (collection, query, expected) in cases {
            assert_found(&app, collection, query, expected).await;
        }

        for (param, bad) in [
            ("kk", "3201"),
            ("program", "pkh"),
            ("publisher", "kemensos"),
        ] {
            let a = search(&app, &app.admin_token, "graduations", &[(param, bad)]).await;
            assert_bad_query(&a, &format!("#/query/{param}"));
        }
    }

    async fn region_is_a_prefix_at_every_level(backend: Backend) {
        let app = spawn_app(backend).await;
        let _f = fixture(&app).await;
        let cases: [(&str, &[&str]); 12] = [
            ("32", &["G1", "G2", "G3", "G4"]),
            ("33", &["G5"]),
            ("11", &[]),
            ("32.01", &["G1", "G2", "G3"]),
            ("3201", &["G1", "G2", "G3"]),
            ("32.02", &["G4"]),
            ("32.01.01", &["G1", "G2"]),
            ("320101", &["G1", "G2"]),
            ("32.01.02", &["G3"]),
            ("32.01.01.1002", &["G1"]),
            ("3201011002", &["G1"]),
            ("32.01.01.1001", &[]),
        ];
        for (region, expected) in cases {
            assert_found(&app, "graduations", &[("region", region)], expected).await;
        }
        let cases: [(&str, &[&str]); 6] = [
            ("32", &["E1", "E2", "E4"]),
            ("3201", &["E1", "E2"]),
            ("32.01.02", &["E2"]),
            ("33.01.01.2001", &["E3"]),
            ("32.02.01.1001", &["E4"]),
            ("91", &[]),
        ];
        for (region, expected) in cases {
            assert_found(&app, "enrollments", &[("region", region)], expected).await;
        }
        for bad in ["3", "320", "32.1", "32.01.01.100", "32-01", "3２"] {
            let a = search(&app, &app.admin_token, "graduations", &[("region", bad)]).await;
            assert_bad_query(&a, "#/query/region");
        }
    }

    async fn date_ranges_are_inclusive(backend: Backend) {
        let app = spawn_app(backend).await;
        let _f = fixture(&app).await;
        let app = &app;
        let g = move |q: &'static [(&'static str, &'static str)]| found(app, "graduations", q);
        assert_eq!(
            g(&[("graduated_from", "2026-02-15")]).await,
            ["G2", "G3", "G4", "G5"]
        );
        assert_eq!(g(&[("graduated_to", "2026-02-15")]).await, ["G1", "G2"]);
        assert_eq!(
            g(&[
                ("graduated_from", "2026-02-15"),
                ("graduated_to", "2026-02-15")
            ])
            .await,
            ["G2"]
        );
        assert_eq!(
            g(&[
                ("graduated_from", "2026-02-16"),
                ("graduated_to", "2026-04-15")
            ])
            .await,
            ["G3", "G4"]
        );
        assert!(g(&[("graduated_from", "2027-01-01")]).await.is_empty());
        assert!(
            g(&[
                ("graduated_from", "2026-05-01"),
                ("graduated_to", "2026-04-01")
            ])
            .await
            .is_empty()
        );

        let e = move |q: &'static [(&'static str, &'static str)]| found(app, "enrollments", q);
        assert_eq!(
            e(&[
                ("enrolled_from", "2026-03-01"),
                ("enrolled_to", "2026-04-01")
            ])
            .await,
            ["E2", "E3"]
        );
        assert_eq!(e(&[("enrolled_to", "2026-02-01")]).await, ["E1"]);
        assert_eq!(e(&[("enrolled_from", "2026-05-01")]).await, ["E4"]);

        for (collection, param, bad) in [
            ("graduations", "graduated_from", "2026-02-30"),
            ("graduations", "graduated_to", "15-02-2026"),
            ("enrollments", "enrolled_from", "2026-1-01"),
            // Each kind has its own names for the range.
            ("enrollments", "graduated_from", "2026-01-01"),
            ("graduations", "enrolled_to", "2026-01-01"),
        ] {
            let a = search(app, &app.admin_token, collection, &[(param, bad)]).await;
            assert_bad_query(&a, &format!("#/query/{param}"));
        }
    }

    async fn updated_after_finds_records_written_later(backend: Backend) {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let g2 = f.graduations[1]["updated_at"].as_str().unwrap().to_owned();
        assert_found(
            &app,
            "graduations",
            &[("updated_after", &g2)],
            &["G3", "G4", "G5"],
        )
        .await;
        // The same instant with another offset.
        let instant: chrono::DateTime<chrono::Utc> = g2.parse().unwrap();
        let jakarta = instant
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
        assert!(jakarta.ends_with("+07:00"), "{jakarta}");
        assert_found(
            &app,
            "graduations",
            &[("updated_after", &jakarta)],
            &["G3", "G4", "G5"],
        )
        .await;
        let last = f.graduations[4]["updated_at"].as_str().unwrap();
        assert_found(&app, "graduations", &[("updated_after", last)], &[]).await;
        // Publishing identical content again writes nothing, so it is not "updated".
        let same = post(
            &app,
            &f.kemensos,
            "/v1/graduations",
            &graduation("G3", "SEMBAKO", "3201022001", "2026-03-15", 5, &[2], 3),
        )
        .await;
        assert_eq!(same.header("sinergi-result"), Some("unchanged"));
        assert_eq!(same.body["updated_at"], f.graduations[2]["updated_at"]);
        assert_found(&app, "graduations", &[("updated_after", last)], &[]).await;

        // Updating G1 and retracting G5 (with include_retracted) count as writes.
        let g1 = publish(
            &app,
            &f.kemensos,
            "graduations",
            &graduation("G1", "PKH", "32.01.01.1002", "2026-01-15", 1, &[2], 1),
        )
        .await;
        assert_eq!(g1["version"], 2);
        assert_found(&app, "graduations", &[("updated_after", last)], &["G1"]).await;
        let path = format!("/v1/graduations/{}", f.graduation_id(4));
        assert_eq!(delete(&app, &f.kemensos, &path).await.status, 200);
        assert_found(
            &app,
            "graduations",
            &[("updated_after", last), ("include_retracted", "true")],
            &["G1", "G5"],
        )
        .await;
        let e1 = f.enrollments[0]["updated_at"].as_str().unwrap();
        assert_found(
            &app,
            "enrollments",
            &[("updated_after", e1)],
            &["E2", "E3", "E4"],
        )
        .await;

        for bad in ["yesterday", "2026-01-01", "2026-01-01 00:00:00"] {
            let a = search(
                &app,
                &app.admin_token,
                "graduations",
                &[("updated_after", bad)],
            )
            .await;
            assert_bad_query(&a, "#/query/updated_after");
        }
    }

    async fn enrollments_filter_by_status_and_graduation(backend: Backend) {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        assert_found(&app, "enrollments", &[("status", "active")], &["E1", "E3"]).await;
        assert_found(&app, "enrollments", &[("status", "completed")], &["E2"]).await;
        assert_found(&app, "enrollments", &[("status", "suspended")], &["E4"]).await;
        assert_found(&app, "enrollments", &[("status", "exited")], &[]).await;

        assert_found(
            &app,
            "enrollments",
            &[("graduation_id", f.graduation_id(0))],
            &["E1"],
        )
        .await;
        assert_found(
            &app,
            "enrollments",
            &[("graduation_id", f.graduation_id(2))],
            &["E3"],
        )
        .await;
        assert_found(
            &app,
            "enrollments",
            &[("graduation_id", f.graduation_id(1))],
            &[],
        )
        .await;
        let other = uuid::Uuid::now_v7().to_string();
        assert_found(&app, "enrollments", &[("graduation_id", &other)], &[]).await;
        assert_found(
            &app,
            "enrollments",
            &[("status", "active"), ("graduation_id", f.graduation_id(2))],
            &["E3"],
        )
        .await;

        // A status change moves the record between filters.
        let mut e1 = enrollment(
            "E1",
            "PKTD",
            json!({"nik": nik(1), "kk": kk(1)}),
            "32.01.01.1002",
            "exited",
            "2026-02-01",
        );
        e1["graduation_id"] = json!(f.graduation_id(0));
        e1["ended_on"] = json!("2026-09-01");
        publish(&app, &f.kemendes, "enrollments", &e1).await;
        assert_found(&app, "enrollments", &[("status", "active")], &["E3"]).await;
        assert_found(&app, "enrollments", &[("status", "exited")], &["E1"]).await;

        for (param, bad) in [
            ("status", "done"),
            ("status", "ACTIVE"),
            ("graduation_id", "G1"),
        ] {
            let a = search(&app, &app.admin_token, "enrollments", &[(param, bad)]).await;
            assert_bad_query(&a, &format!("#/query/{param}"));
        }
        // Graduations have neither filter.
        for param in ["status", "graduation_id"] {
            let value = if param == "status" {
                "active"
            } else {
                f.graduation_id(0)
            };
            let a = search(&app, &app.admin_token, "graduations", &[(param, value)]).await;
            assert_bad_query(&a, &format!("#/query/{param}"));
        }
    }

    async fn retracted_records_are_hidden_unless_asked_for(backend: Backend) {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let path = format!(
            "/v1/graduations/{}?reason=salah%20input",
            f.graduation_id(1)
        );
        assert_eq!(delete(&app, &f.kemensos, &path).await.status, 200);
        let eid = f.enrollments[1]["id"].as_str().unwrap();
        let path = format!("/v1/enrollments/{eid}");
        assert_eq!(delete(&app, &f.kemendes, &path).await.status, 200);

        assert_found(&app, "graduations", &[], &["G1", "G3", "G4", "G5"]).await;
        assert_found(
            &app,
            "graduations",
            &[("include_retracted", "false")],
            &["G1", "G3", "G4", "G5"],
        )
        .await;
        assert_found(
            &app,
            "graduations",
            &[("include_retracted", "true")],
            &["G1", "G2", "G3", "G4", "G5"],
        )
        .await;
        // Every filter still finds a retracted record when asked to.
        assert_found(&app, "graduations", &[("nik", &nik(4))], &[]).await;
        assert_found(
            &app,
            "graduations",
            &[("nik", &nik(4)), ("include_retracted", "true")],
            &["G2"],
        )
        .await;
        assert_found(
            &app,
            "graduations",
            &[("kk", &kk(2)), ("include_retracted", "true")],
            &["G2"],
        )
        .await;
        let a = search(
            &app,
            &app.admin_token,
            "graduations",
            &[("include_retracted", "true")],
        )
        .await;
        let g2 = &a.body["items"][1];
        assert_eq!(g2["source_record_id"], "G2");
        assert_eq!(g2["retracted"], true);
        assert_eq!(g2["retraction_reason"], "salah input");
        assert_eq!(g2["version"], 2);

        assert_found(&app, "enrollments", &[], &["E1", "E3", "E4"]).await;
        assert_found(
            &app,
            "enrollments",
            &[("include_retracted", "true"), ("status", "completed")],
            &["E2"],
        )
        .await;
        // Restoring a record shows it again.
        publish(
            &app,
            &f.kemensos,
            "graduations",
            &graduation("G2", "PKH", "32.01.01.1003", "2026-02-15", 4, &[], 2),
        )
        .await;
        assert_found(&app, "graduations", &[("nik", &nik(4))], &["G2"]).await;

        let a = search(
            &app,
            &app.admin_token,
            "graduations",
            &[("include_retracted", "yes")],
        )
        .await;
        assert_bad_query(&a, "#/query/include_retracted");
    }

    async fn limit_is_between_1_and_1000_and_unknown_parameters_are_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let _f = fixture(&app).await;
        for bad in ["0", "1001", "-1", "abc", "70000", ""] {
            for collection in ["graduations", "enrollments"] {
                let a = search(&app, &app.admin_token, collection, &[("limit", bad)]).await;
                assert_bad_query(&a, "#/query/limit");
            }
        }
        let a = search(&app, &app.admin_token, "graduations", &[("limit", "1")]).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(a.body["items"][0]["source_record_id"], "G1");
        assert!(a.body["next_cursor"].is_string());
        let a = search(&app, &app.admin_token, "graduations", &[("limit", "5")]).await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 5);
        assert_eq!(a.body["next_cursor"], Value::Null);
        let a = search(&app, &app.admin_token, "graduations", &[("limit", "1000")]).await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 5);
        // No parameters at all: everything on one page.
        let a = get(&app, &app.admin_token, "/v1/graduations").await;
        assert_eq!(a.status, 200);
        assert_eq!(a.body["items"].as_array().unwrap().len(), 5);
        assert_eq!(a.body["next_cursor"], Value::Null);

        // Without a limit, a page holds 100 records.
        let token = app.token(KEMENSOS, None).await;
        publish_many(&app, &token, "L", 101).await;
        let a = get(&app, &app.admin_token, "/v1/graduations").await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 100);
        let cursor = a.body["next_cursor"].as_str().unwrap();
        let rest = search(&app, &app.admin_token, "graduations", &[("cursor", cursor)]).await;
        assert_eq!(rest.status, 200, "{}", rest.body);
        assert_eq!(rest.body["items"].as_array().unwrap().len(), 6);
        assert_eq!(rest.body["next_cursor"], Value::Null);

        for collection in ["graduations", "enrollments"] {
            let a = search(&app, &app.admin_token, collection, &[("foo", "bar")]).await;
            // A name the schema does not have is not repeated; one it has is.
            assert_bad_query(&a, "#/query");
            let a = search(&app, &app.admin_token, collection, &[("region_code", "32")]).await;
            assert_bad_query(&a, "#/query/region_code");
        }
    }

    async fn paging_returns_every_record_once_in_id_order(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let mut expected = publish_many(&app, &token, "P", 25).await;
        expected.sort();

        let pages = all_pages(&app, "graduations", &[("limit", "4")], async |_| {}).await;
        assert_eq!(pages.len(), 7);
        assert!(pages[..6].iter().all(|p| p.len() == 4));
        assert_eq!(pages[6].len(), 1);
        let got: Vec<String> = pages.iter().flat_map(|p| ids(p)).collect();
        assert_eq!(got, expected);

        // A filtered search pages through exactly its own records.
        let pages = all_pages(
            &app,
            "graduations",
            &[("program", "PKH"), ("limit", "3")],
            async |_| {},
        )
        .await;
        let got: Vec<Value> = pages.into_iter().flatten().collect();
        assert_eq!(got.len(), 13);
        assert!(got.iter().all(|r| r["program"] == "PKH"));
        let got = ids(&got);
        let mut sorted = got.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(got, sorted);

        // An exact multiple of the page size ends with next_cursor null, not an empty page.
        let pages = all_pages(&app, "graduations", &[("limit", "5")], async |_| {}).await;
        assert_eq!(
            pages.iter().map(Vec::len).collect::<Vec<_>>(),
            [5, 5, 5, 5, 5]
        );
    }

    async fn paging_stays_correct_while_others_write(backend: Backend) {
        let app = spawn_app(backend).await;
        let token = app.token(KEMENSOS, None).await;
        let mut initial = publish_many(&app, &token, "P", 30).await;
        initial.sort();

        // A writer on its own thread publishes new records and updates existing ones for as
        // long as the paging lasts, up to WRITES rounds: a writer faster than the reader
        // (a loaded machine) must not keep the paging from ever reaching the end.
        const WRITES: u32 = 300;
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            let (url, token) = (app.url("/v1/graduations"), token.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                let mut n: u32 = 0;
                while !stop.load(Ordering::SeqCst) && n < WRITES {
                    n += 1;
                    let mut fresh = graduation(
                        &format!("W-{n}"),
                        "PKH",
                        "32.01.01.1002",
                        "2026-07-01",
                        100 + n,
                        &[],
                        100 + n,
                    );
                    fresh["attributes"] = json!({"n": n});
                    let mut update = graduation(
                        &format!("P-{:02}", n % 30),
                        "PKH",
                        "32.01.01.1002",
                        "2026-06-30",
                        1 + n % 30,
                        &[],
                        1 + n % 30,
                    );
                    update["attributes"] = json!({"rev": n});
                    for body in [fresh, update] {
                        let res = client
                            .post(&url)
                            .bearer_auth(&token)
                            .json(&body)
                            .send()
                            .unwrap();
                        assert!(res.status().is_success(), "{}", res.status());
                    }
                }
            })
        };

        // Between pages, this task also writes: a new record, and updates of records on
        // pages already read and on pages still to come.
        let mut n = 0;
        let pages = all_pages(&app, "graduations", &[("limit", "4")], async |page| {
            n += 1;
            publish(
                &app,
                &token,
                "graduations",
                &graduation(
                    &format!("M-{n}"),
                    "SEMBAKO",
                    "32.02.01.1001",
                    "2026-07-02",
                    200 + n,
                    &[],
                    200 + n,
                ),
            )
            .await;
            for i in [(page * 4 - 1) % 30, (page * 4 + 2) % 30] {
                let mut update = graduation(
                    &format!("P-{i:02}"),
                    "SEMBAKO",
                    "32.01.01.1002",
                    "2026-06-30",
                    1 + i as u32,
                    &[],
                    1 + i as u32,
                );
                update["attributes"] = json!({"page": page});
                publish(&app, &token, "graduations", &update).await;
            }
        })
        .await;
        stop.store(true, Ordering::SeqCst);
        actix_web::rt::task::spawn_blocking(move || writer.join().expect("writer"))
            .await
            .unwrap();

        let got: Vec<String> = pages.iter().flat_map(|p| ids(p)).collect();
        // In id order, each record once.
        let mut sorted = got.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(got, sorted, "duplicates or out of order");
        // Every record that existed at the start was returned.
        let got_set: BTreeSet<&String> = got.iter().collect();
        let missing: Vec<&String> = initial.iter().filter(|id| !got_set.contains(id)).collect();
        assert!(missing.is_empty(), "skipped: {missing:?}");
        // Whatever else was returned exists (the writer may have made more than a page).
        let now: usize = all_pages(&app, "graduations", &[("limit", "1000")], async |_| {})
            .await
            .iter()
            .map(Vec::len)
            .sum();
        assert!(got.len() <= now);
        assert!(n >= 7, "this task wrote between {n} pages");
    }

    async fn a_cursor_is_refused_with_other_filters_or_when_tampered(backend: Backend) {
        let app = spawn_app(backend).await;
        let _f = fixture(&app).await;
        let token = app.token(KEMENSOS, None).await;
        publish_many(&app, &token, "C", 6).await;
        let first = search(&app, &app.admin_token, "graduations", &[("limit", "2")]).await;
        let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();

        // The cursor works with the search it came from.
        let next = search(
            &app,
            &app.admin_token,
            "graduations",
            &[("limit", "2"), ("cursor", &cursor)],
        )
        .await;
        assert_eq!(next.status, 200, "{}", next.body);
        assert_eq!(next.body["items"][0]["source_record_id"], "G3");

        let other_filters: [&[(&str, &str)]; 5] = [
            &[("program", "PKH")],
            &[("region", "32")],
            &[("include_retracted", "true")],
            &[("nik", "3201011507850001")],
            &[("graduated_from", "2026-01-01")],
        ];
        for filters in other_filters {
            let mut q = filters.to_vec();
            q.push(("limit", "2"));
            q.push(("cursor", &cursor));
            let a = search(&app, &app.admin_token, "graduations", &q).await;
            assert_bad_query(&a, "#/query/cursor");
        }
        // A cursor of a filtered search does not continue the unfiltered one.
        let filtered = search(
            &app,
            &app.admin_token,
            "graduations",
            &[("program", "PKH"), ("limit", "1")],
        )
        .await;
        let filtered_cursor = filtered.body["next_cursor"].as_str().unwrap().to_owned();
        let a = search(
            &app,
            &app.admin_token,
            "graduations",
            &[("cursor", &filtered_cursor)],
        )
        .await;
        assert_bad_query(&a, "#/query/cursor");
        // Nor a graduation search's cursor an enrollment search.
        let a = search(
            &app,
            &app.admin_token,
            "enrollments",
            &[("limit", "2"), ("cursor", &cursor)],
        )
        .await;
        assert_bad_query(&a, "#/query/cursor");

        // Tampered: every single character changed in turn, and other garbage.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for i in 0..cursor.len() {
            let c = cursor.as_bytes()[i] as char;
            let replacement = alphabet.chars().find(|r| *r != c).unwrap();
            let mut tampered = cursor.clone();
            tampered.replace_range(i..=i, &replacement.to_string());
            let a = search(
                &app,
                &app.admin_token,
                "graduations",
                &[("limit", "2"), ("cursor", &tampered)],
            )
            .await;
            assert_bad_query(&a, "#/query/cursor");
        }
        let truncated = &cursor[..cursor.len() - 2];
        let longer = format!("{cursor}AA");
        for bad in ["", "garbage", "not base64 !", truncated, &longer] {
            let a = search(
                &app,
                &app.admin_token,
                "graduations",
                &[("limit", "2"), ("cursor", bad)],
            )
            .await;
            assert_bad_query(&a, "#/query/cursor");
        }
    }

    async fn reading_records_needs_the_read_scope_of_their_kind(backend: Backend) {
        let app = spawn_app(backend).await;
        let f = fixture(&app).await;
        let gid = f.graduation_id(0).to_owned();
        let eid = f.enrollments[0]["id"].as_str().unwrap().to_owned();
        let graduation_paths = [
            "/v1/graduations".to_owned(),
            format!("/v1/graduations/{gid}"),
            format!("/v1/graduations/{gid}/history"),
        ];
        let enrollment_paths = [
            "/v1/enrollments".to_owned(),
            format!("/v1/enrollments/{eid}"),
            format!("/v1/enrollments/{eid}/history"),
        ];
        let forbidden = |a: &Answer, scope: &str| {
            assert_eq!(a.status, 403, "{}", a.body);
            assert_eq!(
                a.body["type"], "urn:sinergi:problem:insufficient-scope",
                "{}",
                a.body
            );
            let challenge = a.header("www-authenticate").unwrap();
            assert!(challenge.contains(scope), "{challenge}");
            assert!(a.body.get("items").is_none());
        };

        // The auditor holds audit:read only.
        let auditor = app.token(AUDITOR, None).await;
        for path in &graduation_paths {
            forbidden(&get(&app, &auditor, path).await, "graduations:read");
        }
        for path in &enrollment_paths {
            forbidden(&get(&app, &auditor, path).await, "enrollments:read");
        }
        // A token narrowed to one kind reads only that kind.
        let enrollments_only = app.token(KEMENSOS, Some("enrollments:read")).await;
        for path in &graduation_paths {
            forbidden(
                &get(&app, &enrollments_only, path).await,
                "graduations:read",
            );
        }
        // (Another agency's enrollments, read under the demo agreement for its purpose.)
        let monitoring = [("Sinergi-Purpose", "MONITORING_GRADUASI")];
        for path in &enrollment_paths {
            let a = get_with(&app, &enrollments_only, path, &monitoring).await;
            assert_eq!(a.status, 200, "{path}: {}", a.body);
        }
        // Writing does not imply reading.
        let writer = app.token(KEMENSOS, Some("graduations:write")).await;
        forbidden(
            &get(&app, &writer, "/v1/graduations").await,
            "graduations:read",
        );
        let reader = app.token(KEMENDES, Some("graduations:read")).await;
        let empowerment = [("Sinergi-Purpose", "PEMBERDAYAAN_EKONOMI")];
        for path in &graduation_paths {
            let a = get_with(&app, &reader, path, &empowerment).await;
            assert_eq!(a.status, 200, "{path}: {}", a.body);
        }
        // With the scope, another agency's records are read under its agreement.
        let a = get_with(&app, &reader, "/v1/graduations?publisher=KEMENSOS", &empowerment).await;
        assert_eq!(a.body["items"].as_array().unwrap().len(), 5, "{}", a.body);
        // Without a token: 401.
        for path in graduation_paths.iter().chain(&enrollment_paths) {
            assert_eq!(app.get_anonymous(path).await.status(), 401, "{path}");
        }
    }
}
