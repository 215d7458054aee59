//! Refused writes and reads of records, on both backends. Every refusal is an RFC 9457
//! problem whose `errors[].pointer` names the field, and leaves the database exactly as it
//! was: the three record tables, row for row, and what searches answer.
//!
//! Each bad record is sent four ways: as an update of an existing record, as a new record,
//! alone in a batch (rejected item, pointer under `/items/0`) and after a valid item in an
//! atomic batch (400, pointer under `/items/1`, the valid item not written either).

use crate::common::problem::{assert_invalid, assert_problem, pointers_of, sorted};
use crate::common::records::{
    self, AUDITOR, HEAD, KEMENDES, KEMENKOP, KEMENSOS, SERVER_FIELDS, WIFE, batch_results, delete,
    delete_with, get, get_with, graduation, nik, post, post_batch, post_raw, post_with,
};
use crate::common::{Backend, TestApp, spawn_app};
use diesel::prelude::*;
use serde_json::{Value, json};

/// A PKTD enrollment with every optional field but `graduation_id` set.
fn enrollment(srid: &str) -> Value {
    let mut e = records::enrollment(srid, "PKTD");
    e["ended_on"] = json!("2026-12-31");
    e
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
        assert_eq!(delete(&app, &kemensos, &path).await.status, 200);
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

    /// [`Ctx::refuse`] with `value` set at `pointer`: a 400 naming that pointer.
    async fn refuse_set(
        &self,
        token: &str,
        collection: &str,
        base: &Value,
        pointer: &str,
        value: Value,
    ) {
        let mutate = |b: &mut Value| set(b, pointer, value.clone());
        self.refuse(token, collection, base, mutate, 400, &[pointer])
            .await
    }

    /// [`Ctx::refuse`] without the field at `pointer`: a 400 naming that pointer.
    async fn refuse_without(&self, token: &str, collection: &str, base: &Value, pointer: &str) {
        self.refuse(
            token,
            collection,
            base,
            |b| remove(b, pointer),
            400,
            &[pointer],
        )
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
        let path = format!("/v1/{collection}/batch");
        let a = post_batch(app, token, &path, vec![body.clone()]).await;
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
        let a = post_batch(
            app,
            token,
            &format!("{path}?atomic=true"),
            vec![valid, body],
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
        let (sos, des) = (&ctx.kemensos, &ctx.kemendes);
        for (bad, _why) in BAD_NIKS {
            for (token, collection, base, pointer) in [
                (sos, "graduations", &grad, "/household/head_nik"),
                (sos, "graduations", &grad, "/member_niks/0"),
                (des, "enrollments", &enr, "/subject/nik"),
            ] {
                ctx.refuse_set(token, collection, base, pointer, json!(bad))
                    .await;
            }
        }
        // Not a string, or missing.
        let head = "/household/head_nik";
        ctx.refuse_set(sos, "graduations", &grad, head, json!(3201011507850003_u64))
            .await;
        ctx.refuse_without(sos, "graduations", &grad, head).await;
        // Members: a bad second one, a repeat, one too many, not a list.
        let too_many: Vec<String> = (1..=31).map(nik).collect();
        for (members, pointer) in [
            (json!([WIFE, "3201013102900001"]), "/member_niks/1"),
            (json!([WIFE, HEAD, WIFE]), "/member_niks/2"),
            (json!(too_many), "/member_niks"),
            (json!(WIFE), "/member_niks"),
        ] {
            let mutate = |b: &mut Value| set(b, "/member_niks", members.clone());
            ctx.refuse(sos, "graduations", &grad, mutate, 400, &[pointer])
                .await;
        }
    }

    async fn invalid_kks_and_region_codes_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        let (sos, des) = (&ctx.kemensos, &ctx.kemendes);
        for (bad, _why) in BAD_KKS {
            ctx.refuse_set(sos, "graduations", &grad, "/household/kk", json!(bad))
                .await;
            ctx.refuse_set(des, "enrollments", &enr, "/subject/kk", json!(bad))
                .await;
        }
        let kk = "/household/kk";
        ctx.refuse_set(sos, "graduations", &grad, kk, json!(3201012308150007_u64))
            .await;
        ctx.refuse_without(sos, "graduations", &grad, kk).await;

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
            ctx.refuse_set(sos, "graduations", &grad, "/region_code", json!(region))
                .await;
            ctx.refuse_set(des, "enrollments", &enr, "/region_code", json!(region))
                .await;
        }
        ctx.refuse_set(
            sos,
            "graduations",
            &grad,
            "/region_code",
            json!(3201011002_u64),
        )
        .await;
    }

    async fn programs_are_checked_for_existence_owner_and_kind(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        let (sos, des) = (&ctx.kemensos, &ctx.kemendes);
        // Unknown or malformed: 400.
        for program in ["NOPE", "pkh", "", "P"] {
            ctx.refuse_set(sos, "graduations", &grad, "/program", json!(program))
                .await;
            ctx.refuse_set(des, "enrollments", &enr, "/program", json!(program))
                .await;
        }
        // Another agency's program: 403 (a rejected item in a batch).
        for (token, collection, base, program) in [
            (sos, "graduations", &grad, "PKTD"),
            (des, "enrollments", &enr, "PKH"),
            (des, "enrollments", &enr, "PENA"),
            (des, "enrollments", &enr, "KOPDES_MP"),
        ] {
            let mutate = |b: &mut Value| set(b, "/program", json!(program));
            ctx.refuse(token, collection, base, mutate, 403, &["/program"])
                .await;
        }
        let a = post(&ctx.app, des, "/v1/enrollments", &{
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
        ctx.refuse_as_is(des, "graduations", &pktd, 400, &["/program"])
            .await;
        ctx.refuse_set(sos, "graduations", &grad, "/program", json!("PENA"))
            .await;
        let kemenkop = ctx.app.token(KEMENKOP, None).await;
        let mut kop = graduation("KOP-1");
        kop["program"] = json!("KOPDES_MP");
        ctx.refuse_as_is(&kemenkop, "graduations", &kop, 400, &["/program"])
            .await;

        // An inactive program of the agency's own: refused too.
        let code = sinergi::domain::code::ProgramCode::parse("PKTD").unwrap();
        assert!(
            sinergi::db::programs::set_active(&mut ctx.app.db.connect(), &code, false).unwrap()
        );
        ctx.refuse_as_is(des, "enrollments", &enr, 403, &["/program"])
            .await;
    }

    async fn enrollment_rules_are_enforced(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let enr = enrollment("BASE-E");
        let t = &ctx.kemendes;
        for (pointer, value) in [
            ("/ended_on", json!("2026-07-31")),
            ("/ended_on", json!("2026-02-30")),
            ("/subject", json!({})),
            ("/subject", json!({"nik": null})),
            ("/subject", json!({"nik": null, "kk": null})),
            ("/subject", json!(HEAD)),
        ] {
            ctx.refuse_set(t, "enrollments", &enr, pointer, value).await;
        }
        ctx.refuse_without(t, "enrollments", &enr, "/subject").await;
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
        for id in [
            json!(unknown),
            json!(ctx.enrollment_id),
            json!("G-1"),
            json!(""),
            json!(42),
        ] {
            ctx.refuse_set(t, "enrollments", &enr, "/graduation_id", id)
                .await;
        }
        for (pointer, value) in [
            ("/status", json!("done")),
            ("/status", json!("Active")),
            ("/enrolled_on", json!("2026-8-01")),
            ("/enrolled_on", json!("1899-12-31")),
            ("/attributes", json!([1, 2])),
        ] {
            ctx.refuse_set(t, "enrollments", &enr, pointer, value).await;
        }
        for pointer in [
            "/status",
            "/enrolled_on",
            "/region_code",
            "/program",
            "/source_record_id",
        ] {
            ctx.refuse_without(t, "enrollments", &enr, pointer).await;
        }
        // The graduation it names may be read by its id (under the demo agreement, for its
        // purpose): the link was checked, not faked.
        let a = get_with(
            &ctx.app,
            t,
            &format!("/v1/graduations/{}", ctx.graduation_id),
            &[("Sinergi-Purpose", "PEMBERDAYAAN_EKONOMI")],
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
    }

    async fn wrong_types_and_unknown_fields_are_refused_by_name(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let grad = graduation("BASE-G");
        let t = &ctx.kemensos;
        let long = "x".repeat(129);
        for (pointer, value) in [
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
            ctx.refuse_set(t, "graduations", &grad, pointer, value)
                .await;
        }
        for pointer in [
            "/graduation_type",
            "/graduated_on",
            "/household",
            "/region_code",
        ] {
            ctx.refuse_without(t, "graduations", &grad, pointer).await;
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
        assert_eq!(
            values.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            SERVER_FIELDS
        );
        for (field, value) in &values {
            let pointer = format!("/{field}");
            ctx.refuse_set(t, "graduations", &grad, &pointer, value.clone())
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
        ctx.refuse_set(
            &ctx.kemendes,
            "enrollments",
            &enrollment("BASE-E"),
            "/version",
            json!(2),
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

    async fn a_nik_or_kk_in_free_text_is_refused_and_changes_nothing(backend: Backend) {
        // The audit log traces NIKs by their hash only where the schema puts them; one in a
        // reason or in attributes would be disclosed without a trace.
        let ctx = Ctx::new(backend).await;
        let base = graduation("BASE-G");
        for (pointer, value) in [
            ("/reason", json!(format!("Data ganda dengan NIK {WIFE}"))),
            ("/attributes", json!({"pendamping": WIFE})),
            ("/attributes", json!({"anggota": [{"kk": "3201 0123 0815 0007"}]})),
            ("/attributes", json!({ WIFE: "istri" })),
            ("/attributes", json!({"nomor": 3_201_015_508_870_002u64})),
            // Glued to letters, where a hexadecimal id would not explain it.
            ("/reason", json!(format!("Data ganda dengan NIK{WIFE}"))),
            ("/attributes", json!({"pendamping": format!("abc{WIFE}")})),
            ("/attributes", json!({ format!("NIK{WIFE}"): "istri" })),
        ] {
            ctx.refuse_set(&ctx.kemensos, "graduations", &base, pointer, value)
                .await;
        }
        let mut enrollment = enrollment("BASE-E");
        enrollment["graduation_id"] = json!(ctx.graduation_id);
        ctx.refuse_set(
            &ctx.kemendes,
            "enrollments",
            &enrollment,
            "/attributes",
            json!({"wali": HEAD}),
        )
        .await;
    }

    async fn unknown_fields_are_refused_naming_only_the_schemas_own_names(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (grad, enr) = (graduation("BASE-G"), enrollment("BASE-E"));
        let (sos, des) = (&ctx.kemensos, &ctx.kemendes);
        // A typo is refused rather than silently dropped. A name the schema does not know
        // could be anything a client typed (a personal name, a number), so the problem
        // points at the object holding it and says so, without repeating it.
        for (field, at) in [
            ("/foo", ""),
            ("/Program", ""),
            ("/member_nik", ""),
            ("/graduated", ""),
            ("/Siti_Rahayu", ""),
            ("/household/extra", "/household"),
        ] {
            let mutate = |b: &mut Value| set(b, field, json!(1));
            ctx.refuse(sos, "graduations", &grad, mutate, 400, &[at])
                .await;
        }
        ctx.refuse(des, "enrollments", &enr, |b| set(b, "/foo", json!(2)), 400, &[""])
            .await;
        let mut body = grad.clone();
        body["household"]["Siti_Rahayu"] = json!(1);
        let a = post(&ctx.app, sos, "/v1/graduations", &body).await;
        let error = &a.body["errors"][0];
        assert_eq!(error["pointer"], "/household", "{}", a.body);
        let detail = error["detail"].as_str().unwrap();
        assert!(detail.contains("not repeated here"), "{detail}");
        assert!(!a.body.to_string().contains("Siti"), "{}", a.body);
        // A name the schema has elsewhere is the server's own word, and is named: nested in
        // the subject, and in the batch envelope.
        ctx.refuse_set(des, "enrollments", &enr, "/subject/name", json!("Budi"))
            .await;
        let a = post(
            &ctx.app,
            sos,
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
        for (to, what) in [
            (path.to_owned(), "1,001 items"),
            (format!("{path}?atomic=true"), "1,001 items, atomic"),
        ] {
            let a = post_batch(app, t, &to, items.clone()).await;
            assert_problem(&a, 413, what);
            assert_eq!(a.body["type"], "urn:sinergi:problem:payload-too-large");
            ctx.assert_unchanged(what).await;
        }

        // The same source id twice: both rejected, each naming the other.
        let mut other = graduation("BASE-G");
        other["welfare_decile"] = json!(2);
        let dup = vec![
            graduation("BASE-G"),
            graduation("NEW-DUP"),
            other,
            graduation("NEW-DUP"),
        ];
        let a = post_batch(app, t, path, dup.clone()).await;
        assert_eq!(batch_results(&a), ["rejected"; 4]);
        let results = a.body["results"].as_array().unwrap();
        for (i, other) in [(0, 2), (1, 3), (2, 0), (3, 1)] {
            let errors = results[i]["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0]["pointer"], format!("/items/{i}/source_record_id"));
            let detail = errors[0]["detail"].as_str().unwrap();
            assert!(detail.contains(&format!("/items/{other}")), "{detail}");
        }
        ctx.assert_unchanged("repeated source ids").await;
        let a = post_batch(app, t, &format!("{path}?atomic=true"), dup).await;
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
        let items = vec![
            graduation("C"),
            bad_kk,
            graduation("D"),
            bad_nik,
            json!("x"),
        ];
        let a = post_batch(app, t, &format!("{path}?atomic=true"), items).await;
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
        for (query, pointer) in [("atomic=maybe", "#/query/atomic"), ("foo=1", "#/query")] {
            let a = post(app, t, &format!("{path}?{query}"), &body).await;
            assert_invalid(&a, &[pointer], query);
            ctx.assert_unchanged(query).await;
        }
        // Enrollments: a rejected-only batch writes nothing.
        let mut bad = enrollment("NEW-E");
        bad["subject"] = json!({});
        let items = vec![bad.clone(), bad];
        let a = post_batch(app, &ctx.kemendes, "/v1/enrollments/batch", items).await;
        assert_eq!(batch_results(&a), ["rejected"; 2]);
        ctx.assert_unchanged("bad enrollments").await;
    }

    // Issue 16: a messy export is fixed in one round trip, not one field per request.
    async fn every_invalid_field_is_reported_at_once(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let (app, t) = (&ctx.app, &ctx.kemensos);
        let messy = |srid: &str| {
            let mut g = graduation(srid);
            g["household"] = json!({"kk": "123", "head_nik": "3578111508850000"});
            g["region_code"] = json!("99.99.99.9999");
            g["welfare_decile"] = json!(0);
            g
        };
        let four = [
            "/household/head_nik",
            "/household/kk",
            "/region_code",
            "/welfare_decile",
        ];
        let a = post(app, t, "/v1/graduations", &messy("NEW-MESSY")).await;
        assert_invalid(&a, &four, "a record with four bad fields");
        assert_eq!(a.body["detail"], "4 fields are not valid");
        // Missing fields and a server-set one are reported beside the refused values.
        let mut sparse = messy("NEW-SPARSE");
        for field in ["graduation_type", "graduated_on"] {
            sparse.as_object_mut().unwrap().remove(field);
        }
        sparse["version"] = json!(3);
        let a = post(app, t, "/v1/graduations", &sparse).await;
        let mut seven = four.to_vec();
        seven.extend(["/graduation_type", "/graduated_on", "/version"]);
        assert_invalid(&a, &seven, "a record with missing and server-set fields");
        ctx.assert_unchanged("records with several bad fields").await;

        // In a batch, each item lists all of its own; a rule spanning fields still counts.
        let mut repeated_member = messy("NEW-MESSY-2");
        repeated_member["member_niks"] = json!([WIFE, WIFE]);
        let items = vec![messy("NEW-MESSY-1"), repeated_member];
        let a = post_batch(app, t, "/v1/graduations/batch?atomic=true", items.clone()).await;
        let mut all: Vec<String> = four.iter().map(|p| format!("/items/0{p}")).collect();
        all.extend(four.iter().map(|p| format!("/items/1{p}")));
        all.push("/items/1/member_niks/1".into());
        assert_invalid(&a, &all.iter().map(String::as_str).collect::<Vec<_>>(), "batch");
        ctx.assert_unchanged("an atomic batch of messy items").await;

        // Two items with one source id: both rejected, each naming the other, the second
        // also with its own errors.
        let items = vec![graduation("NEW-TWICE"), messy("NEW-TWICE")];
        let a = post_batch(app, t, "/v1/graduations/batch", items).await;
        assert_eq!(batch_results(&a), ["rejected"; 2]);
        for (i, other) in [(0, 1), (1, 0)] {
            let errors = &a.body["results"][i]["errors"];
            assert_eq!(errors[0]["pointer"], format!("/items/{i}/source_record_id"));
            let detail = errors[0]["detail"].as_str().unwrap();
            assert!(detail.contains(&format!("/items/{other}")), "{detail}");
        }
        let second = pointers_of(&a.body["results"][1]["errors"]);
        assert_eq!(second.len(), 5, "{second:?}");
        ctx.assert_unchanged("a repeated source id with a bad item").await;

        // At most 100 errors per request, the last entry saying the list was cut.
        let mut crowded = graduation("NEW-CROWDED");
        for i in 0..150 {
            crowded[format!("extra_{i}")] = json!(i);
        }
        let a = post(app, t, "/v1/graduations", &crowded).await;
        assert_problem(&a, 400, "150 unknown fields");
        let errors = a.body["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 101, "{}", a.body);
        let last = errors[100]["detail"].as_str().unwrap();
        assert!(last.contains("at most 100"), "{last}");
        let items: Vec<Value> = (0..60).map(|i| messy(&format!("NEW-M-{i}"))).collect();
        let a = post_batch(app, t, "/v1/graduations/batch", items).await;
        let results = a.body["results"].as_array().unwrap();
        let reported: usize = results
            .iter()
            .map(|r| r["errors"].as_array().unwrap().len())
            .sum();
        // 25 items with their 4 errors, then one error and the notice for each of the rest.
        assert_eq!(reported, 25 * 4 + 35 * 2, "{}", a.body);
        let notice = &results[59]["errors"][1];
        assert_eq!(notice["pointer"], "/items/59");
        ctx.assert_unchanged("more than 100 errors").await;

        // Query parameters too.
        let a = get(app, t, "/v1/graduations?limit=many&include_retracted=maybe").await;
        assert_invalid(
            &a,
            &["#/query/include_retracted", "#/query/limit"],
            "two bad parameters",
        );
    }

    async fn bad_retractions_are_refused_and_change_nothing(backend: Backend) {
        let ctx = Ctx::new(backend).await;
        let app = &ctx.app;
        let gpath = format!("/v1/graduations/{}", ctx.graduation_id);
        let epath = format!("/v1/enrollments/{}", ctx.enrollment_id);
        let long = format!("reason={}", "x".repeat(1_001));
        let kemenkop = app.token(KEMENKOP, None).await;
        let read_only = app.token(KEMENSOS, Some("graduations:read")).await;
        let auditor = app.token(AUDITOR, None).await;
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
                "a NIK in the reason",
                &ctx.kemensos,
                format!("{gpath}?reason=Ganda%20dengan%20NIK%203201011507850003"),
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
                // Not a name of the schema's, so not repeated.
                Some("#/query"),
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
        let auditor = app.token(AUDITOR, None).await;
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
