//! Refused writes and reads of records, on both backends. Every refusal is an RFC 9457
//! problem whose `errors[].pointer` names the field, and leaves the database exactly as it
//! was: the three record tables, row for row, and what searches answer.
//!
//! Each bad record is sent four ways: as an update of an existing record, as a new record,
//! alone in a batch (rejected item, pointer under `/items/0`) and after a valid item in an
//! atomic batch (400, pointer under `/items/1`, the valid item not written either).

mod common;

use common::{Backend, TestApp, spawn_app};
use diesel::prelude::*;
use serde_json::{Value, json};

const HEAD: &str = "3201011507850003";
const WIFE: &str = "3201015508870002";
const KK: &str = "3201012308150007";
const VILLAGE: &str = "32.01.01.1002";

const KEMENSOS: &str = "demo-kemensos";
const KEMENDES: &str = "demo-kemendes";

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}

async fn post_with(
    app: &TestApp,
    token: &str,
    path: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = app.client.post(app.url(path)).bearer_auth(token).json(body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    answer(req.send().await.expect("request")).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Answer {
    post_with(app, token, path, body, &[]).await
}

/// POSTs raw bytes with the given content type (none when `None`).
async fn post_raw(
    app: &TestApp,
    token: &str,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Answer {
    let mut req = app.client.post(app.url(path)).bearer_auth(token);
    if let Some(content_type) = content_type {
        req = req.header("content-type", content_type);
    }
    answer(req.body(body).send().await.expect("request")).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> Answer {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    answer(res).await
}

async fn delete_with(app: &TestApp, token: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = app.client.delete(app.url(path)).bearer_auth(token);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    answer(req.send().await.expect("request")).await
}

/// Checks an RFC 9457 problem with `status`.
fn assert_problem(a: &Answer, status: u16, what: &str) {
    assert_eq!(a.status, status, "{what}: {}", a.body);
    assert_eq!(
        a.header("content-type"),
        Some("application/problem+json"),
        "{what}: {}",
        a.body
    );
    assert_eq!(a.body["status"], status, "{what}: {}", a.body);
    assert!(
        a.body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("urn:sinergi:problem:")),
        "{what}: {}",
        a.body
    );
    assert!(
        a.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{what}: {}",
        a.body
    );
    assert_eq!(
        a.body["instance"].as_str(),
        a.header("x-request-id"),
        "{what}"
    );
}

/// The pointers of a list of field errors, sorted.
fn pointers_of(errors: &Value) -> Vec<String> {
    let mut pointers: Vec<String> = errors
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {errors}"))
        .iter()
        .map(|e| {
            assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()), "{e}");
            e["pointer"].as_str().unwrap().to_owned()
        })
        .collect();
    pointers.sort();
    pointers
}

fn sorted(pointers: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = pointers.into_iter().collect();
    v.sort();
    v
}

/// A 400 validation problem naming exactly these pointers.
fn assert_invalid(a: &Answer, expected: &[&str], what: &str) {
    assert_problem(a, 400, what);
    assert_eq!(
        a.body["type"], "urn:sinergi:problem:validation",
        "{what}: {}",
        a.body
    );
    assert_eq!(
        pointers_of(&a.body["errors"]),
        sorted(expected.iter().map(|p| p.to_string())),
        "{what}: {}",
        a.body
    );
}

fn graduation(srid: &str) -> Value {
    json!({
        "source_record_id": srid,
        "program": "PKH",
        "household": {"kk": KK, "head_nik": HEAD},
        "member_niks": [WIFE],
        "region_code": VILLAGE,
        "graduation_type": "natural",
        "graduated_on": "2026-06-30",
        "welfare_decile": 6,
        "reason": "Pendapatan keluarga di atas garis kemiskinan",
        "attributes": {"pendamping": "PD-3201-17"}
    })
}

fn enrollment(srid: &str) -> Value {
    json!({
        "source_record_id": srid,
        "program": "PKTD",
        "subject": {"nik": HEAD, "kk": KK},
        "region_code": VILLAGE,
        "status": "active",
        "enrolled_on": "2026-08-01",
        "ended_on": "2026-12-31",
        "attributes": {"kelompok": "KUBE Mawar"}
    })
}

/// What must not change: the record tables row for row, and what searches answer.
#[derive(Debug, PartialEq)]
struct Snapshot {
    tables: String,
    graduations: Value,
    enrollments: Value,
}

type RecordKeys = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);
type VersionRow = (String, i64, String, String, i64, bool, Option<String>);

fn dump_tables(app: &TestApp) -> String {
    use sinergi::db::records::StoredRecord;
    use sinergi::db::schema::{record_niks, record_versions, records};
    let mut conn = app.db.connect();
    let current: Vec<StoredRecord> = records::table
        .order(records::id)
        .select(StoredRecord::as_select())
        .load(&mut conn)
        .unwrap();
    let keys: Vec<RecordKeys> = records::table
        .order(records::id)
        .select((
            records::id,
            records::kind,
            records::publisher,
            records::source_record_id,
            records::program,
            records::kk,
            records::region_digits,
            records::event_on,
            records::status,
            records::graduation_id,
        ))
        .load(&mut conn)
        .unwrap();
    let versions: Vec<VersionRow> = record_versions::table
        .order((record_versions::record_id, record_versions::version))
        .select((
            record_versions::record_id,
            record_versions::version,
            record_versions::content,
            record_versions::content_hash,
            record_versions::recorded_at,
            record_versions::retracted,
            record_versions::retraction_reason,
        ))
        .load(&mut conn)
        .unwrap();
    let niks: Vec<(String, String)> = record_niks::table
        .order((record_niks::record_id, record_niks::nik))
        .select((record_niks::record_id, record_niks::nik))
        .load(&mut conn)
        .unwrap();
    format!("{current:#?}\n{keys:#?}\n{versions:#?}\n{niks:#?}")
}

async fn snapshot(app: &TestApp) -> Snapshot {
    let mut found = Vec::new();
    for collection in ["graduations", "enrollments"] {
        let a = get(
            app,
            &app.admin_token,
            &format!("/v1/{collection}?include_retracted=true&limit=1000"),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        found.push(a.body);
    }
    let enrollments = found.pop().unwrap();
    let graduations = found.pop().unwrap();
    Snapshot {
        tables: dump_tables(app),
        graduations,
        enrollments,
    }
}

/// A database with a few records (one of them retracted) and its snapshot.
struct Ctx {
    app: TestApp,
    kemensos: String,
    kemendes: String,
    graduation_id: String,
    enrollment_id: String,
    before: Snapshot,
}

impl Ctx {
    async fn new(backend: Backend) -> Self {
        let app = spawn_app(backend).await;
        let kemensos = app.token(KEMENSOS, None).await;
        let kemendes = app.token(KEMENDES, None).await;
        let g = post(&app, &kemensos, "/v1/graduations", &graduation("BASE-G")).await;
        assert_eq!(g.status, 201, "{}", g.body);
        let mut second = graduation("BASE-G");
        second["welfare_decile"] = json!(7);
        let g2 = post(&app, &kemensos, "/v1/graduations", &second).await;
        assert_eq!(g2.status, 200, "{}", g2.body);
        let r = post(&app, &kemensos, "/v1/graduations", &graduation("BASE-R")).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let path = format!("/v1/graduations/{}", r.body["id"].as_str().unwrap());
        assert_eq!(delete_with(&app, &kemensos, &path, &[]).await.status, 200);
        let graduation_id = g.body["id"].as_str().unwrap().to_owned();
        let mut e = enrollment("BASE-E");
        e["graduation_id"] = json!(graduation_id);
        let e = post(&app, &kemendes, "/v1/enrollments", &e).await;
        assert_eq!(e.status, 201, "{}", e.body);
        let enrollment_id = e.body["id"].as_str().unwrap().to_owned();
        let before = snapshot(&app).await;
        assert_eq!(before.graduations["items"].as_array().unwrap().len(), 2);
        assert_eq!(before.enrollments["items"].as_array().unwrap().len(), 1);
        Ctx {
            app,
            kemensos,
            kemendes,
            graduation_id,
            enrollment_id,
            before,
        }
    }

    async fn assert_unchanged(&self, what: &str) {
        let now = snapshot(&self.app).await;
        assert_eq!(now, self.before, "{what} changed the database");
    }

    /// Sends `base` changed by `mutate` four ways (see the module comment) and checks each
    /// refusal: `status` for a single record, with `expected` pointers relative to the record.
    async fn refuse(
        &self,
        token: &str,
        collection: &str,
        base: &Value,
        mutate: impl Fn(&mut Value),
        status: u16,
        expected: &[&str],
    ) {
        self.refuse_impl(token, collection, base, mutate, status, expected, true)
            .await
    }

    /// Like [`Ctx::refuse`] for a `base` that is itself refused as it is, so that the
    /// atomic batch holds two refused items.
    async fn refuse_as_is(
        &self,
        token: &str,
        collection: &str,
        base: &Value,
        status: u16,
        expected: &[&str],
    ) {
        self.refuse_impl(token, collection, base, |_| {}, status, expected, false)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn refuse_impl(
        &self,
        token: &str,
        collection: &str,
        base: &Value,
        mutate: impl Fn(&mut Value),
        status: u16,
        expected: &[&str],
        base_valid: bool,
    ) {
        let app = &self.app;
        let bad = |srid: &Value| {
            let mut body = base.clone();
            body["source_record_id"] = srid.clone();
            mutate(&mut body);
            body
        };
        for srid in [base["source_record_id"].clone(), json!("NEW-RECORD")] {
            let body = bad(&srid);
            let what = format!("POST /v1/{collection} {body}");
            let a = post(app, token, &format!("/v1/{collection}"), &body).await;
            if status == 400 {
                assert_invalid(&a, expected, &what);
            } else {
                assert_problem(&a, status, &what);
            }
            self.assert_unchanged(&what).await;
        }

        let body = bad(&json!("NEW-RECORD"));
        let what = format!("POST /v1/{collection}/batch with {body}");
        let a = post(
            app,
            token,
            &format!("/v1/{collection}/batch"),
            &json!({"items": [body]}),
        )
        .await;
        assert_eq!(a.status, 200, "{what}: {}", a.body);
        let result = &a.body["results"][0];
        assert_eq!(result["index"], 0, "{what}: {result}");
        assert_eq!(result["result"], "rejected", "{what}: {result}");
        assert_eq!(result["id"], Value::Null, "{what}: {result}");
        assert_eq!(result["version"], Value::Null, "{what}: {result}");
        assert_eq!(
            pointers_of(&result["errors"]),
            sorted(expected.iter().map(|p| format!("/items/0{p}"))),
            "{what}: {result}"
        );
        self.assert_unchanged(&what).await;

        let mut valid = base.clone();
        valid["source_record_id"] = json!("NEW-VALID");
        let what = format!("atomic batch with {body}");
        let a = post(
            app,
            token,
            &format!("/v1/{collection}/batch?atomic=true"),
            &json!({"items": [valid, body]}),
        )
        .await;
        let mut at: Vec<String> = expected.iter().map(|p| format!("/items/1{p}")).collect();
        if !base_valid {
            at.extend(expected.iter().map(|p| format!("/items/0{p}")));
        }
        let expected: Vec<&str> = at.iter().map(String::as_str).collect();
        assert_invalid(&a, &expected, &what);
        self.assert_unchanged(&what).await;
    }
}

/// Sets the value at a JSON pointer, creating the last key or replacing an array item.
fn set(body: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match body.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set {pointer} in {other}"),
    }
}

fn remove(body: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    body.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
}

/// A refused retraction: what it is, the token, the path, headers, the status and, for a
/// 400, the pointer.
type Retraction<'a> = (
    &'a str,
    &'a str,
    String,
    Vec<(&'a str, &'a str)>,
    u16,
    Option<&'a str>,
);

/// NIKs that the shared schema refuses, each with what is wrong with it.
const BAD_NIKS: [(&str, &str); 16] = [
    ("3201013102900001", "31 February"),
    (
        "3201012902010001",
        "29 February in neither a 19xx nor a 20xx leap year",
    ),
    ("3201011507850000", "serial 0000"),
    ("320101150785003", "15 digits"),
    ("32010115078500031", "17 digits"),
    ("32010115078500AB", "letters"),
    ("３２０１０１１５０７８５０００３", "full-width digits"),
    ("٣٢٠١٠١١٥٠٧٨٥٠٠٠٣", "Arabic-Indic digits"),
    ("9901011507850003", "unknown province 99"),
    ("0001011507850003", "unknown province 00"),
    ("3200011507850003", "regency 00"),
    ("3201001507850003", "district 00"),
    ("3201013507850003", "day 35"),
    ("3201010007850003", "day 00"),
    ("3201011513850003", "month 13"),
    ("3201011507850003 ", "trailing space"),
];

/// KKs that the shared schema refuses.
const BAD_KKS: [(&str, &str); 8] = [
    ("320101230815000", "15 digits"),
    ("3201012308150000", "serial 0000"),
    ("0001012308150007", "province 00"),
    ("9901012308150007", "province 99"),
    ("32010123081500O7", "a letter O"),
    ("３２０１０１２３０８１５０００７", "full-width digits"),
    ("", "empty"),
    (" 3201012308150007", "leading space"),
];

both_backends! {
    async fn invalid_niks_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        for (nik, _why) in BAD_NIKS {
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, "/household/head_nik", json!(nik)),
                400,
                &["/household/head_nik"],
            )
            .await;
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, "/member_niks/0", json!(nik)),
                400,
                &["/member_niks/0"],
            )
            .await;
            ctx.refuse(
                &ctx.kemendes,
                "enrollments",
                &enr,
                |b| set(b, "/subject/nik", json!(nik)),
                400,
                &["/subject/nik"],
            )
            .await;
        }
        // Not a string, or missing.
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/household/head_nik", json!(3201011507850003_u64)),
            400,
            &["/household/head_nik"],
        )
        .await;
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| remove(b, "/household/head_nik"),
            400,
            &["/household/head_nik"],
        )
        .await;
        // Members: a bad second one, a repeat, one too many, not a list.
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/member_niks", json!([WIFE, "3201013102900001"])),
            400,
            &["/member_niks/1"],
        )
        .await;
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/member_niks", json!([WIFE, HEAD, WIFE])),
            400,
            &["/member_niks/2"],
        )
        .await;
        let too_many: Vec<String> = (1..=31).map(|n| format!("320101150785{n:04}")).collect();
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/member_niks", json!(too_many)),
            400,
            &["/member_niks"],
        )
        .await;
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/member_niks", json!(WIFE)),
            400,
            &["/member_niks"],
        )
        .await;
    }

    async fn invalid_kks_and_region_codes_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        for (kk, _why) in BAD_KKS {
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, "/household/kk", json!(kk)),
                400,
                &["/household/kk"],
            )
            .await;
            ctx.refuse(
                &ctx.kemendes,
                "enrollments",
                &enr,
                |b| set(b, "/subject/kk", json!(kk)),
                400,
                &["/subject/kk"],
            )
            .await;
        }
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/household/kk", json!(3201012308150007_u64)),
            400,
            &["/household/kk"],
        )
        .await;
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| remove(b, "/household/kk"),
            400,
            &["/household/kk"],
        )
        .await;

        for region in [
            "99.99.99.9999",
            "32.01.01.9999",
            "3201019999",
            "32.01.01",
            "32.01",
            "32",
            "3201011002x",
            "32-01-01-1002",
            "32.1.01.1002",
            "",
            "32.01.01.1002 ",
            "３２.01.01.1002",
        ] {
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, "/region_code", json!(region)),
                400,
                &["/region_code"],
            )
            .await;
            ctx.refuse(
                &ctx.kemendes,
                "enrollments",
                &enr,
                |b| set(b, "/region_code", json!(region)),
                400,
                &["/region_code"],
            )
            .await;
        }
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/region_code", json!(3201011002_u64)),
            400,
            &["/region_code"],
        )
        .await;
    }

    async fn programs_are_checked_for_existence_owner_and_kind(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        // Unknown or malformed: 400.
        for program in ["NOPE", "pkh", "", "P"] {
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, "/program", json!(program)),
                400,
                &["/program"],
            )
            .await;
            ctx.refuse(
                &ctx.kemendes,
                "enrollments",
                &enr,
                |b| set(b, "/program", json!(program)),
                400,
                &["/program"],
            )
            .await;
        }
        // Another agency's program: 403 (a rejected item in a batch).
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/program", json!("PKTD")),
            403,
            &["/program"],
        )
        .await;
        for program in ["PKH", "PENA", "KOPDES_MP"] {
            ctx.refuse(
                &ctx.kemendes,
                "enrollments",
                &enr,
                |b| set(b, "/program", json!(program)),
                403,
                &["/program"],
            )
            .await;
        }
        let a = post(&ctx.app, &ctx.kemendes, "/v1/enrollments", &{
            let mut e = enrollment("NEW");
            e["program"] = json!("PKH");
            e
        })
        .await;
        assert_problem(&a, 403, "enrollment for another agency's program");
        assert_eq!(a.body["type"], "urn:sinergi:problem:forbidden");
        assert!(
            a.body["detail"].as_str().unwrap().contains("PKH"),
            "{}",
            a.body
        );

        // A graduation only from a social_assistance program, even the agency's own.
        let mut pktd = graduation("BASE-G");
        pktd["program"] = json!("PKTD");
        ctx.refuse_as_is(&ctx.kemendes, "graduations", &pktd, 400, &["/program"])
            .await;
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/program", json!("PENA")),
            400,
            &["/program"],
        )
        .await;
        let kemenkop = ctx.app.token("demo-kemenkop", None).await;
        let mut kop = graduation("KOP-1");
        kop["program"] = json!("KOPDES_MP");
        ctx.refuse_as_is(&kemenkop, "graduations", &kop, 400, &["/program"])
            .await;

        // An inactive program of the agency's own: refused too.
        let code = sinergi::domain::code::ProgramCode::parse("PKTD").unwrap();
        assert!(
            sinergi::db::programs::set_active(&mut ctx.app.db.connect(), &code, false).unwrap()
        );
        ctx.refuse_as_is(&ctx.kemendes, "enrollments", &enr, 403, &["/program"])
            .await;
    }

    async fn enrollment_rules_are_enforced(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let enr = enrollment("BASE-E");
        let t = &ctx.kemendes;
        ctx.refuse(
            t,
            "enrollments",
            &enr,
            |b| set(b, "/ended_on", json!("2026-07-31")),
            400,
            &["/ended_on"],
        )
        .await;
        ctx.refuse(
            t,
            "enrollments",
            &enr,
            |b| set(b, "/ended_on", json!("2026-02-30")),
            400,
            &["/ended_on"],
        )
        .await;
        for subject in [
            json!({}),
            json!({"nik": null}),
            json!({"nik": null, "kk": null}),
        ] {
            ctx.refuse(
                t,
                "enrollments",
                &enr,
                |b| set(b, "/subject", subject.clone()),
                400,
                &["/subject"],
            )
            .await;
        }
        ctx.refuse(
            t,
            "enrollments",
            &enr,
            |b| set(b, "/subject", json!(HEAD)),
            400,
            &["/subject"],
        )
        .await;
        ctx.refuse(
            t,
            "enrollments",
            &enr,
            |b| remove(b, "/subject"),
            400,
            &["/subject"],
        )
        .await;
        // Both rules broken at once: both named.
        ctx.refuse(
            t,
            "enrollments",
            &enr,
            |b| {
                set(b, "/subject", json!({}));
                set(b, "/ended_on", json!("2026-01-01"));
            },
            400,
            &["/subject", "/ended_on"],
        )
        .await;

        // graduation_id must name an existing graduation.
        let unknown = uuid::Uuid::now_v7().to_string();
        let enrollment_id = ctx.enrollment_id.clone();
        for id in [unknown.as_str(), enrollment_id.as_str()] {
            ctx.refuse(
                t,
                "enrollments",
                &enr,
                |b| set(b, "/graduation_id", json!(id)),
                400,
                &["/graduation_id"],
            )
            .await;
        }
        for id in [json!("G-1"), json!(""), json!(42)] {
            ctx.refuse(
                t,
                "enrollments",
                &enr,
                |b| set(b, "/graduation_id", id.clone()),
                400,
                &["/graduation_id"],
            )
            .await;
        }
        for (field, value) in [
            ("/status", json!("done")),
            ("/status", json!("Active")),
            ("/enrolled_on", json!("2026-8-01")),
            ("/enrolled_on", json!("1899-12-31")),
            ("/attributes", json!([1, 2])),
        ] {
            ctx.refuse(
                t,
                "enrollments",
                &enr,
                |b| set(b, field, value.clone()),
                400,
                &[field],
            )
            .await;
        }
        for field in [
            "/status",
            "/enrolled_on",
            "/region_code",
            "/program",
            "/source_record_id",
        ] {
            ctx.refuse(t, "enrollments", &enr, |b| remove(b, field), 400, &[field])
                .await;
        }
        // The graduation it names may be read by its id: the link was checked, not faked.
        let a = get(
            &ctx.app,
            t,
            &format!("/v1/graduations/{}", ctx.graduation_id),
        )
        .await;
        assert_eq!(a.status, 200);
    }

    async fn wrong_types_and_unknown_fields_are_refused_by_name(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let grad = graduation("BASE-G");
        let t = &ctx.kemensos;
        let long = "x".repeat(129);
        for (field, value) in [
            ("/welfare_decile", json!("6")),
            ("/welfare_decile", json!(11)),
            ("/welfare_decile", json!(0)),
            ("/welfare_decile", json!(-1)),
            ("/welfare_decile", json!(6.5)),
            ("/welfare_decile", json!(300)),
            ("/graduation_type", json!("graduated")),
            ("/graduation_type", json!(1)),
            ("/graduated_on", json!("2026-02-30")),
            ("/graduated_on", json!("30-06-2026")),
            ("/graduated_on", json!("2026-06-30T00:00:00Z")),
            ("/graduated_on", json!(20260630)),
            ("/source_record_id", json!("")),
            ("/source_record_id", json!(long)),
            ("/source_record_id", json!("PKH\n1")),
            ("/source_record_id", json!(123)),
            ("/reason", json!("")),
            ("/reason", json!("line one\u{0007}")),
            ("/reason", json!(["a"])),
            ("/household", json!("3201012308150007")),
            ("/household", json!(null)),
            ("/program", json!(["PKH"])),
            ("/attributes", json!("pendamping")),
            ("/attributes", json!([{"a": 1}])),
            (
                "/attributes",
                json!({"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}),
            ),
            ("/attributes", json!({"a": [[[[[[1]]]]]]})),
        ] {
            ctx.refuse(
                t,
                "graduations",
                &grad,
                |b| set(b, field, value.clone()),
                400,
                &[field],
            )
            .await;
        }
        for field in [
            "/graduation_type",
            "/graduated_on",
            "/household",
            "/region_code",
        ] {
            ctx.refuse(t, "graduations", &grad, |b| remove(b, field), 400, &[field])
                .await;
        }

        // Fields the exchange sets are refused by name, one or all at once.
        let values = [
            ("id", json!(ctx.graduation_id)),
            ("publisher", json!("KEMENSOS")),
            ("version", json!(1)),
            ("created_at", json!("2026-01-01T00:00:00Z")),
            ("updated_at", json!("2026-01-01T00:00:00Z")),
            ("retracted", json!(false)),
            ("retraction_reason", json!(null)),
        ];
        for (field, value) in &values {
            let pointer = format!("/{field}");
            ctx.refuse(
                t,
                "graduations",
                &grad,
                |b| set(b, &pointer, value.clone()),
                400,
                &[pointer.as_str()],
            )
            .await;
        }
        let all: Vec<String> = values.iter().map(|(f, _)| format!("/{f}")).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        ctx.refuse(
            t,
            "graduations",
            &grad,
            |b| {
                for (field, value) in &values {
                    set(b, &format!("/{field}"), value.clone())
                }
            },
            400,
            &all,
        )
        .await;
        // Enrollments too.
        ctx.refuse(
            &ctx.kemendes,
            "enrollments",
            &enrollment("BASE-E"),
            |b| set(b, "/version", json!(2)),
            400,
            &["/version"],
        )
        .await;

        // The whole body must be an object.
        for body in [json!([]), json!("x"), json!(null), json!(42)] {
            let a = post(&ctx.app, t, "/v1/graduations", &body).await;
            assert_invalid(&a, &[""], &format!("body {body}"));
            ctx.assert_unchanged(&format!("body {body}")).await;
        }

        // Six levels of attributes are still accepted (and this one is written).
        let mut six = graduation("SIX");
        six["attributes"] = json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}});
        assert_eq!(post(&ctx.app, t, "/v1/graduations", &six).await.status, 201);
    }

    async fn unknown_fields_are_refused_naming_the_field(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        // At the top: a typo is refused rather than silently dropped.
        for field in ["/foo", "/Program", "/member_nik", "/graduated"] {
            ctx.refuse(
                &ctx.kemensos,
                "graduations",
                &grad,
                |b| set(b, field, json!(1)),
                400,
                &[field],
            )
            .await;
        }
        ctx.refuse(
            &ctx.kemendes,
            "enrollments",
            &enr,
            |b| set(b, "/foo", json!(2)),
            400,
            &["/foo"],
        )
        .await;
        // Nested in the household and the subject.
        ctx.refuse(
            &ctx.kemensos,
            "graduations",
            &grad,
            |b| set(b, "/household/extra", json!(1)),
            400,
            &["/household/extra"],
        )
        .await;
        ctx.refuse(
            &ctx.kemendes,
            "enrollments",
            &enr,
            |b| set(b, "/subject/name", json!("Budi")),
            400,
            &["/subject/name"],
        )
        .await;
        // In the batch envelope.
        let a = post(
            &ctx.app,
            &ctx.kemensos,
            "/v1/graduations/batch",
            &json!({"items": [graduation("X")], "atomic": true}),
        )
        .await;
        assert_invalid(&a, &["/atomic"], "an unknown envelope field");
        ctx.assert_unchanged("an unknown envelope field").await;
    }

    async fn bad_batches_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (app, t) = (&ctx.app, &ctx.kemensos);
        let path = "/v1/graduations/batch";

        let items: Vec<Value> = (0..1_001)
            .map(|i| graduation(&format!("BIG-{i}")))
            .collect();
        let a = post(app, t, path, &json!({"items": items})).await;
        assert_problem(&a, 413, "1,001 items");
        assert_eq!(a.body["type"], "urn:sinergi:problem:payload-too-large");
        ctx.assert_unchanged("1,001 items").await;
        let a = post(
            app,
            t,
            &format!("{path}?atomic=true"),
            &json!({"items": items}),
        )
        .await;
        assert_problem(&a, 413, "1,001 items, atomic");
        ctx.assert_unchanged("1,001 items, atomic").await;

        // The same source id twice: both rejected, each naming the other.
        let mut other = graduation("BASE-G");
        other["welfare_decile"] = json!(2);
        let dup = json!({"items": [graduation("BASE-G"), graduation("NEW-DUP"), other,
                                  graduation("NEW-DUP")]});
        let a = post(app, t, path, &dup).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let results = a.body["results"].as_array().unwrap();
        for (i, other) in [(0, 2), (1, 3), (2, 0), (3, 1)] {
            assert_eq!(results[i]["result"], "rejected", "{}", results[i]);
            let errors = results[i]["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0]["pointer"], format!("/items/{i}/source_record_id"));
            let detail = errors[0]["detail"].as_str().unwrap();
            assert!(detail.contains(&format!("/items/{other}")), "{detail}");
        }
        ctx.assert_unchanged("repeated source ids").await;
        let a = post(app, t, &format!("{path}?atomic=true"), &dup).await;
        assert_invalid(
            &a,
            &[
                "/items/0/source_record_id",
                "/items/1/source_record_id",
                "/items/2/source_record_id",
                "/items/3/source_record_id",
            ],
            "atomic dup",
        );
        ctx.assert_unchanged("repeated source ids, atomic").await;

        // Several bad items in an atomic batch: every error named, nothing written.
        let mut bad_kk = graduation("A");
        bad_kk["household"]["kk"] = json!("320101230815000");
        let mut bad_nik = graduation("B");
        bad_nik["member_niks"] = json!(["3201013102900001"]);
        let a = post(
            app,
            t,
            &format!("{path}?atomic=true"),
            &json!({"items": [graduation("C"), bad_kk, graduation("D"), bad_nik, "x"]}),
        )
        .await;
        assert_invalid(
            &a,
            &[
                "/items/1/household/kk",
                "/items/3/member_niks/0",
                "/items/4",
            ],
            "atomic with several bad items",
        );
        ctx.assert_unchanged("atomic with several bad items").await;

        // If-Match makes no sense on a batch.
        let body = json!({"items": [graduation("NEW-IFM")]});
        let a = post_with(app, t, path, &body, &[("if-match", "\"1\"")]).await;
        assert_invalid(&a, &["#/header/If-Match"], "If-Match on a batch");
        ctx.assert_unchanged("If-Match on a batch").await;

        // The batch envelope itself.
        for (what, body, pointer) in [
            ("no items", json!({"items": []}), "/items"),
            (
                "items not a list",
                json!({"items": graduation("X")}),
                "/items",
            ),
            ("items missing", json!({}), "/items"),
        ] {
            let a = post(app, t, path, &body).await;
            assert_invalid(&a, &[pointer], what);
            ctx.assert_unchanged(what).await;
        }
        for body in [json!([graduation("X")]), json!(null)] {
            let a = post(app, t, path, &body).await;
            assert_problem(&a, 400, "a batch that is not an object");
            ctx.assert_unchanged("a batch that is not an object").await;
        }
        for (query, pointer) in [("atomic=maybe", "#/query/atomic"), ("foo=1", "#/query/foo")] {
            let a = post(app, t, &format!("{path}?{query}"), &body).await;
            assert_invalid(&a, &[pointer], query);
            ctx.assert_unchanged(query).await;
        }
        // Enrollments: a rejected-only batch writes nothing.
        let mut bad = enrollment("NEW-E");
        bad["subject"] = json!({});
        let a = post(
            app,
            &ctx.kemendes,
            "/v1/enrollments/batch",
            &json!({"items": [bad.clone(), bad]}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(
            a.body["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["result"] == "rejected")
        );
        ctx.assert_unchanged("bad enrollments").await;
    }

    async fn bad_retractions_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let app = &ctx.app;
        let gpath = format!("/v1/graduations/{}", ctx.graduation_id);
        let epath = format!("/v1/enrollments/{}", ctx.enrollment_id);
        let long = format!("reason={}", "x".repeat(1_001));
        let kemenkop = app.token("demo-kemenkop", None).await;
        let read_only = app.token(KEMENSOS, Some("graduations:read")).await;
        let auditor = app.token("demo-auditor", None).await;
        let unknown = uuid::Uuid::now_v7();
        let cases: Vec<Retraction> = vec![
            (
                "another agency",
                &ctx.kemendes,
                gpath.clone(),
                vec![],
                403,
                None,
            ),
            (
                "another agency",
                &kemenkop,
                format!("{epath}?reason=x"),
                vec![],
                403,
                None,
            ),
            (
                "not the publisher",
                &ctx.kemensos,
                epath.clone(),
                vec![],
                403,
                None,
            ),
            (
                "unknown id",
                &ctx.kemensos,
                format!("/v1/graduations/{unknown}"),
                vec![],
                404,
                None,
            ),
            (
                "not a UUID",
                &ctx.kemensos,
                "/v1/graduations/BASE-G".into(),
                vec![],
                404,
                None,
            ),
            (
                "wrong kind",
                &ctx.kemensos,
                format!("/v1/enrollments/{}", ctx.graduation_id),
                vec![],
                404,
                None,
            ),
            (
                "stale If-Match",
                &ctx.kemensos,
                gpath.clone(),
                vec![("if-match", "\"1\"")],
                412,
                None,
            ),
            (
                "malformed If-Match",
                &ctx.kemensos,
                gpath.clone(),
                vec![("if-match", "2")],
                412,
                None,
            ),
            (
                "the batch resource",
                &ctx.kemensos,
                "/v1/graduations/batch".into(),
                vec![],
                405,
                None,
            ),
            (
                "empty reason",
                &ctx.kemensos,
                format!("{gpath}?reason="),
                vec![],
                400,
                Some("#/query/reason"),
            ),
            (
                "control character",
                &ctx.kemensos,
                format!("{gpath}?reason=a%0Ab"),
                vec![],
                400,
                Some("#/query/reason"),
            ),
            (
                "too long",
                &ctx.kemensos,
                format!("{gpath}?{long}"),
                vec![],
                400,
                Some("#/query/reason"),
            ),
            (
                "unknown parameter",
                &ctx.kemensos,
                format!("{gpath}?why=x"),
                vec![],
                400,
                Some("#/query/why"),
            ),
            (
                "no write scope",
                &read_only,
                gpath.clone(),
                vec![],
                403,
                None,
            ),
            ("auditor", &auditor, gpath.clone(), vec![], 403, None),
        ];
        for (what, token, path, headers, status, pointer) in cases {
            let a = delete_with(app, token, &path, &headers).await;
            match pointer {
                Some(p) => assert_invalid(&a, &[p], what),
                None => assert_problem(&a, status, what),
            }
            ctx.assert_unchanged(what).await;
        }
        // Without a token: 401.
        let res = app.client.delete(app.url(&gpath)).send().await.unwrap();
        assert_eq!(res.status(), 401);
        ctx.assert_unchanged("no token").await;
    }

    async fn writes_need_the_write_scope_of_their_kind(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let app = &ctx.app;
        let enrollments_only = app
            .token(KEMENSOS, Some("enrollments:write graduations:read"))
            .await;
        let auditor = app.token("demo-auditor", None).await;
        for token in [&enrollments_only, &auditor] {
            for path in ["/v1/graduations", "/v1/graduations/batch"] {
                let body = if path.ends_with("batch") {
                    json!({"items": [graduation("NEW-SCOPE")]})
                } else {
                    graduation("NEW-SCOPE")
                };
                let a = post(app, token, path, &body).await;
                assert_problem(&a, 403, path);
                assert_eq!(a.body["type"], "urn:sinergi:problem:insufficient-scope");
                ctx.assert_unchanged(path).await;
                // Even a malformed body is refused for the scope, not for its shape.
                let a = post_raw(app, token, path, Some("application/json"), "{").await;
                assert_problem(&a, 403, path);
                ctx.assert_unchanged(path).await;
            }
        }
        let res = app
            .client
            .post(app.url("/v1/graduations"))
            .json(&graduation("NEW-SCOPE"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        ctx.assert_unchanged("no token").await;
    }

    async fn malformed_bodies_and_content_types_are_refused(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let app = &ctx.app;
        let valid = graduation("NEW-RAW").to_string();
        for path in [
            "/v1/graduations",
            "/v1/graduations/batch",
            "/v1/enrollments",
            "/v1/enrollments/batch",
        ] {
            let token = if path.contains("enrollments") {
                &ctx.kemendes
            } else {
                &ctx.kemensos
            };
            for (what, body) in [
                ("truncated", b"{\"items\": [".to_vec()),
                ("trailing garbage", b"{\"items\": []} x".to_vec()),
                ("two documents", b"{\"items\": []}{\"items\": []}".to_vec()),
                ("empty", Vec::new()),
                ("not UTF-8", b"{\"items\": \"\xff\xfe\"}".to_vec()),
                ("single quotes", b"{'items': []}".to_vec()),
                ("a comment", b"{\"items\": [] /* c */}".to_vec()),
            ] {
                let a = post_raw(app, token, path, Some("application/json"), body).await;
                let what = format!("{path} {what}");
                assert_problem(&a, 400, &what);
                assert_eq!(
                    a.body["type"], "urn:sinergi:problem:malformed-body",
                    "{what}"
                );
                ctx.assert_unchanged(&what).await;
            }
            for content_type in [
                Some("text/plain"),
                Some("application/x-www-form-urlencoded"),
                Some("application/xml"),
                None,
            ] {
                let body = if path.ends_with("batch") {
                    format!("{{\"items\": [{valid}]}}")
                } else {
                    valid.clone()
                };
                let a = post_raw(app, token, path, content_type, body).await;
                let what = format!("{path} as {content_type:?}");
                assert_problem(&a, 415, &what);
                assert_eq!(a.body["type"], "urn:sinergi:problem:unsupported-media-type");
                ctx.assert_unchanged(&what).await;
            }
        }
        // A JSON body with a charset parameter is still JSON.
        let a = post_raw(
            app,
            &ctx.kemensos,
            "/v1/graduations",
            Some("application/json; charset=utf-8"),
            valid,
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.body);
    }

    async fn bad_search_cursors_are_refused(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let app = &ctx.app;
        let first = get(
            app,
            &app.admin_token,
            "/v1/graduations?limit=1&include_retracted=true",
        )
        .await;
        let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
        let mut tampered = cursor.clone().into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        let enrollments = get(app, &app.admin_token, "/v1/enrollments?limit=1").await;
        assert_eq!(enrollments.body["next_cursor"], Value::Null);
        for (what, path) in [
            (
                "tampered",
                format!("/v1/graduations?limit=1&include_retracted=true&cursor={tampered}"),
            ),
            (
                "other filters",
                format!("/v1/graduations?limit=1&cursor={cursor}"),
            ),
            (
                "other kind",
                format!("/v1/enrollments?limit=1&include_retracted=true&cursor={cursor}"),
            ),
            ("garbage", "/v1/graduations?cursor=%00%01".to_owned()),
        ] {
            let a = get(app, &app.admin_token, &path).await;
            assert_invalid(&a, &["#/query/cursor"], what);
            ctx.assert_unchanged(what).await;
        }
    }
}
