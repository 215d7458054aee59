//! Migrations up, down and up again on an empty database, and the one-time region load.

use std::time::{Duration, Instant};

use crate::common::{Backend, TestDb};
use diesel::prelude::*;
use diesel::sql_types::Text;
use sinergi::db::schema::{meta, regions};
use sinergi::db::{AnyConnection, DatabaseUrl, meta as db_meta, migrate, revert_all};

/// The application's tables on both backends, and on SQLite the side tables in which the
/// audit log keeps what an entry touched (PostgreSQL keeps arrays on the entry's row).
const APP_TABLES: [&str; 28] = [
    "agencies",
    "agreement_versions",
    "agreements",
    "audit_checkpoints",
    "audit_entries",
    "audit_nodes",
    "audit_queue",
    "changes",
    "clients",
    "console_sessions",
    "deliveries",
    "follow_up_signals",
    "household_events",
    "household_links",
    "meta",
    "people",
    "programs",
    "purposes",
    "record_niks",
    "record_versions",
    "records",
    "referral_offers",
    "referral_reasons",
    "referrals",
    "regions",
    "signing_keys",
    "subscriptions",
    "used_assertions",
];
const SQLITE_ONLY_TABLES: [&str; 2] = ["audit_entry_niks", "audit_entry_records"];

fn app_tables(backend: Backend) -> Vec<&'static str> {
    let mut names = APP_TABLES.to_vec();
    if backend == Backend::Sqlite {
        names.extend(SQLITE_ONLY_TABLES);
    }
    names.sort();
    names
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The application's tables according to the backend's own catalog, sorted.
fn tables(conn: &mut AnyConnection) -> Vec<String> {
    let found = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .load::<Name>(c),
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = 'public'",
        )
        .load::<Name>(c),
    };
    let mut names: Vec<String> = found
        .expect("read the catalog")
        .into_iter()
        .map(|n| n.name)
        .filter(|n| n != "__diesel_schema_migrations")
        .collect();
    names.sort();
    names
}

/// Indexes the migrations created (the implicit primary-key ones aside).
fn indexes(conn: &mut AnyConnection) -> Vec<String> {
    let found = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        )
        .load::<Name>(c),
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT indexname::text AS name FROM pg_indexes \
             WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
        )
        .load::<Name>(c),
    };
    let mut names: Vec<String> = found
        .expect("read the catalog")
        .into_iter()
        .map(|n| n.name)
        .collect();
    names.sort();
    names
}

fn region_count(conn: &mut AnyConnection, level: Option<&str>) -> i64 {
    let mut query = regions::table.into_boxed();
    if let Some(level) = level {
        query = query.filter(regions::level.eq(level.to_owned()));
    }
    query.count().get_result(conn).expect("count regions")
}

fn url(db: &TestDb) -> DatabaseUrl {
    DatabaseUrl::parse(&db.url).unwrap()
}

both_backends! {
    async fn migrations_go_up_down_and_up_again_on_an_empty_database(backend: Backend) {
        let db = TestDb::empty(backend);
        let mut conn = db.connect();
        assert_eq!(tables(&mut conn), Vec::<String>::new());

        let applied = migrate(&mut conn).expect("migrate up");
        assert!(applied >= 1, "{applied}");
        assert_eq!(tables(&mut conn), app_tables(backend));
        let mut expected = vec![
                "agreements_consumer_idx",
                "agreements_provider_idx",
                "audit_entries_agency_idx",
                "audit_entries_client_idx",
                "audit_entries_outcome_idx",
                "audit_entries_purpose_idx",
                "audit_entries_recorded_at_idx",
                "audit_entries_request_id_idx",
                "audit_entries_route_idx",
                "changes_agreement_idx",
                "changes_position_idx",
                "changes_unpositioned_idx",
                "clients_agency_code_idx",
                "console_sessions_username_idx",
                "deliveries_attempted_at_idx",
                "deliveries_subscription_idx",
                "follow_up_signals_graduation_idx",
                "follow_up_signals_open_idx",
                "follow_up_signals_referral_idx",
                "follow_up_signals_trigger_idx",
                "household_events_source_idx",
                "household_links_from_idx",
                "household_links_to_idx",
                "programs_agency_code_idx",
                "record_niks_record_id_idx",
                "records_event_on_idx",
                "records_graduation_id_idx",
                "records_kind_id_idx",
                "records_kk_idx",
                "records_program_idx",
                "records_publisher_idx",
                "records_region_idx",
                "records_source_idx",
                "records_status_idx",
                "records_updated_at_idx",
                "referral_offers_agency_idx",
                "referrals_complete_idx",
                "referrals_graduation_idx",
                "referrals_respond_idx",
                "referrals_source_idx",
                "regions_parent_code_idx",
                "subscriptions_agency_idx",
                "subscriptions_due_idx",
                "used_assertions_expires_at_idx",
        ];
        if backend == Backend::Postgres {
            expected.extend(["audit_entries_record_ids_idx", "audit_entries_subject_hashes_idx"]);
            expected.sort();
        }
        assert_eq!(indexes(&mut conn), expected);
        assert_eq!(migrate(&mut conn).expect("nothing pending"), 0);

        let reverted = revert_all(&mut conn).expect("migrate down");
        assert_eq!(reverted, applied);
        assert_eq!(tables(&mut conn), Vec::<String>::new());
        assert_eq!(indexes(&mut conn), Vec::<String>::new());

        assert_eq!(migrate(&mut conn).expect("migrate up again"), applied);
        assert_eq!(tables(&mut conn), app_tables(backend));
        assert_eq!(region_count(&mut conn, None), 0);
    }

    async fn a_loaded_database_with_data_can_be_migrated_down(backend: Backend) {
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        sinergi::demo::seed(&mut conn).expect("seed demo data");
        assert_eq!(region_count(&mut conn, None), 91_599);

        assert!(revert_all(&mut conn).expect("migrate down with data in place") >= 1);
        assert_eq!(tables(&mut conn), Vec::<String>::new());
        assert!(migrate(&mut conn).expect("migrate up again") >= 1);
        assert_eq!(tables(&mut conn), app_tables(backend));
        assert!(sinergi::db::agencies::list(&mut conn).unwrap().is_empty());
        assert_eq!(region_count(&mut conn, None), 0);
    }

    async fn preparing_a_database_loads_the_region_table_once(backend: Backend) {
        let db = TestDb::empty(backend);
        let mut conn = sinergi::startup::prepare_database(&url(&db)).expect("prepare");
        assert_eq!(tables(&mut conn), app_tables(backend));
        assert_eq!(region_count(&mut conn, Some("province")), 38);
        assert_eq!(region_count(&mut conn, Some("regency")), 514);
        assert_eq!(region_count(&mut conn, Some("district")), 7_285);
        assert_eq!(region_count(&mut conn, Some("village")), 83_762);
        assert_eq!(region_count(&mut conn, None), 38 + 514 + 7_285 + 83_762);
        let version = sinergi::domain::region::data_version();
        assert_eq!(
            db_meta::get(&mut conn, db_meta::REGION_DATA_VERSION).unwrap().as_deref(),
            Some(version)
        );

        // Nothing to do the second time: the table is not reloaded.
        assert!(!sinergi::db::regions::sync(&mut conn).expect("sync again"));
        drop(conn);
        let started = Instant::now();
        let mut conn = sinergi::startup::prepare_database(&url(&db)).expect("prepare again");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(!sinergi::db::regions::sync(&mut conn).unwrap());
        assert_eq!(region_count(&mut conn, None), 91_599);
        assert_eq!(
            db_meta::get(&mut conn, db_meta::REGION_DATA_VERSION).unwrap().as_deref(),
            Some(version)
        );
    }

    async fn a_stale_region_table_is_reloaded(backend: Backend) {
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        db_meta::set(&mut conn, db_meta::REGION_DATA_VERSION, "an older release").unwrap();
        diesel::delete(regions::table.filter(regions::level.eq("village")))
            .execute(&mut conn)
            .unwrap();
        assert_eq!(region_count(&mut conn, None), 91_599 - 83_762);

        assert!(sinergi::db::regions::sync(&mut conn).expect("reload"));
        assert_eq!(region_count(&mut conn, None), 91_599);
        let stored: String = meta::table
            .find(db_meta::REGION_DATA_VERSION)
            .select(meta::value)
            .first(&mut conn)
            .unwrap();
        assert_eq!(stored, sinergi::domain::region::data_version());
        assert!(!sinergi::db::regions::sync(&mut conn).unwrap());
    }
}

/// PostgreSQL moved what an entry touched from side tables into arrays on the entry's row:
/// entries already in the log keep it, both ways, and not one byte of an entry changes.
#[actix_web::test]
async fn audit_arrays_keep_what_entries_already_in_the_log_touched() {
    const STEP: &str = "../../migrations/postgres/2026-12-06-000001_audit_subject_arrays";
    const UP: &str =
        include_str!("../../migrations/postgres/2026-12-06-000001_audit_subject_arrays/up.sql");
    const DOWN: &str =
        include_str!("../../migrations/postgres/2026-12-06-000001_audit_subject_arrays/down.sql");
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Touched {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        entry_index: i64,
        #[diesel(sql_type = Text)]
        entry: String,
        #[diesel(sql_type = diesel::sql_types::Array<Text>)]
        record_ids: Vec<String>,
        #[diesel(sql_type = diesel::sql_types::Array<Text>)]
        subject_hashes: Vec<String>,
    }
    let touched = |conn: &mut AnyConnection| -> Vec<Touched> {
        let AnyConnection::Postgresql(conn) = conn else {
            unreachable!("arrays are PostgreSQL's")
        };
        diesel::sql_query(
            "SELECT entry_index, entry, record_ids::text[] AS record_ids, \
             subject_hashes::text[] AS subject_hashes FROM audit_entries ORDER BY entry_index",
        )
        .load(conn)
        .expect("read the entries")
    };
    let db = TestDb::new(Backend::Postgres);
    let mut conn = db.connect();
    let run = |conn: &mut AnyConnection, sql: &str| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{STEP}: {e}"));
    };
    run(&mut conn, DOWN);
    run(
        &mut conn,
        "INSERT INTO audit_entries (entry_index, entry, recorded_at, request_id, outcome) \
         VALUES (0, '{\"a\":0}', 1, 'r0', 'allowed'), (1, '{\"a\":1}', 2, 'r1', 'denied'), \
                (2, '{\"a\":2}', 3, 'r2', 'allowed'); \
         INSERT INTO audit_entry_records VALUES ('rec-b', 0), ('rec-a', 0), ('rec-a', 2); \
         INSERT INTO audit_entry_niks VALUES ('h2', 0), ('h1', 0), ('h3', 2);",
    );
    run(&mut conn, UP);
    let up = touched(&mut conn);
    let expected = |i: i64, records: &[&str], hashes: &[&str]| Touched {
        entry_index: i,
        entry: format!("{{\"a\":{i}}}"),
        record_ids: records.iter().map(|s| s.to_string()).collect(),
        subject_hashes: hashes.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(
        up,
        [
            expected(0, &["rec-a", "rec-b"], &["h1", "h2"]),
            expected(1, &[], &[]),
            expected(2, &["rec-a"], &["h3"]),
        ]
    );
    // The log refuses changes again once the step has filled the arrays.
    let refused = diesel::sql_query("UPDATE audit_entries SET record_ids = '{}'")
        .execute(&mut conn)
        .expect_err("the log took an update");
    assert!(refused.to_string().contains("append-only"), "{refused}");

    // And back: the side tables get the same rows, and up again gives the same arrays.
    run(&mut conn, DOWN);
    run(&mut conn, UP);
    assert_eq!(touched(&mut conn), up);
}

/// PostgreSQL stores an entry's text and hashes without trying to compress them (they do not
/// compress), and the down step gives the columns the default back.
#[actix_web::test]
async fn audit_values_are_stored_without_compressing_them() {
    const DOWN: &str =
        include_str!("../../migrations/postgres/2026-12-06-000002_audit_storage/down.sql");
    #[derive(QueryableByName)]
    struct Storage {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        storage: String,
    }
    let storage = |conn: &mut AnyConnection| -> Vec<(String, String)> {
        let AnyConnection::Postgresql(conn) = conn else {
            unreachable!("storage is PostgreSQL's")
        };
        diesel::sql_query(
            "SELECT attrelid::regclass::text || '.' || attname AS name, attstorage::text AS storage \
             FROM pg_attribute WHERE attrelid IN ('audit_entries'::regclass, 'audit_queue'::regclass) \
             AND attname IN ('entry', 'record_ids', 'subject_hashes') ORDER BY 1",
        )
        .load::<Storage>(conn)
        .expect("read the storage")
        .into_iter()
        .map(|s| (s.name, s.storage))
        .collect()
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect()
    };
    let db = TestDb::new(Backend::Postgres);
    let mut conn = db.connect();
    assert_eq!(
        storage(&mut conn),
        pairs(&[
            ("audit_entries.entry", "e"),
            ("audit_entries.record_ids", "x"),
            ("audit_entries.subject_hashes", "e"),
            ("audit_queue.entry", "e"),
        ])
    );
    use diesel::connection::SimpleConnection;
    conn.batch_execute(DOWN).expect("the down step");
    assert_eq!(
        storage(&mut conn),
        pairs(&[
            ("audit_entries.entry", "x"),
            ("audit_entries.record_ids", "x"),
            ("audit_entries.subject_hashes", "x"),
            ("audit_queue.entry", "x"),
        ])
    );
}

both_backends! {
    async fn graduation_types_already_stored_are_copied_into_their_column(backend: Backend) {
        let (down, up) = match backend {
            Backend::Postgres => (
                include_str!("../../migrations/postgres/2026-12-06-000003_graduation_type/down.sql"),
                include_str!("../../migrations/postgres/2026-12-06-000003_graduation_type/up.sql"),
            ),
            Backend::Sqlite => (
                include_str!("../../migrations/sqlite/2026-12-06-000003_graduation_type/down.sql"),
                include_str!("../../migrations/sqlite/2026-12-06-000003_graduation_type/up.sql"),
            ),
        };
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        sinergi::demo::seed_with_records(&mut conn).expect("seed the demo records");
        let types = |conn: &mut AnyConnection| -> Vec<(String, String, Option<String>, String)> {
            use sinergi::db::schema::records;
            records::table
                .select((records::id, records::kind, records::graduation_type, records::content))
                .order(records::id)
                .load(conn)
                .expect("read the records")
        };
        let written = types(&mut conn);
        use diesel::connection::SimpleConnection;
        conn.batch_execute(down).expect("down");
        conn.batch_execute(up).expect("up");
        let copied = types(&mut conn);
        let stored = |rows: &[(String, String, Option<String>, String)]| -> Vec<(String, Option<String>)> {
            rows.iter().map(|(id, _, t, _)| (id.clone(), t.clone())).collect()
        };
        assert!(stored(&copied) == stored(&written), "the column holds what publishing wrote");
        for (id, kind, stored, content) in copied {
            let content: serde_json::Value = serde_json::from_str(&content).unwrap();
            assert_eq!(stored.as_deref(), content["graduation_type"].as_str(), "{id}");
            assert_eq!(stored.is_some(), kind == "graduation", "{id}");
        }
    }
}
