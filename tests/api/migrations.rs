//! Migrations up, down and up again on an empty database, and the one-time region load.

use std::time::{Duration, Instant};

use crate::common::{Backend, TestDb};
use diesel::prelude::*;
use diesel::sql_types::Text;
use sinergi::db::schema::{meta, regions};
use sinergi::db::{AnyConnection, DatabaseUrl, meta as db_meta, migrate, revert_all};

const APP_TABLES: [&str; 28] = [
    "agencies",
    "agreement_versions",
    "agreements",
    "audit_checkpoints",
    "audit_entries",
    "audit_entry_niks",
    "audit_entry_records",
    "audit_nodes",
    "audit_queue",
    "changes",
    "clients",
    "deliveries",
    "follow_up_signals",
    "household_events",
    "household_links",
    "meta",
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
        assert_eq!(tables(&mut conn), APP_TABLES);
        assert_eq!(
            indexes(&mut conn),
            [
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
                "used_assertions_expires_at_idx"
            ]
        );
        assert_eq!(migrate(&mut conn).expect("nothing pending"), 0);

        let reverted = revert_all(&mut conn).expect("migrate down");
        assert_eq!(reverted, applied);
        assert_eq!(tables(&mut conn), Vec::<String>::new());
        assert_eq!(indexes(&mut conn), Vec::<String>::new());

        assert_eq!(migrate(&mut conn).expect("migrate up again"), applied);
        assert_eq!(tables(&mut conn), APP_TABLES);
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
        assert_eq!(tables(&mut conn), APP_TABLES);
        assert!(sinergi::db::agencies::list(&mut conn).unwrap().is_empty());
        assert_eq!(region_count(&mut conn, None), 0);
    }

    async fn preparing_a_database_loads_the_region_table_once(backend: Backend) {
        let db = TestDb::empty(backend);
        let mut conn = sinergi::startup::prepare_database(&url(&db)).expect("prepare");
        assert_eq!(tables(&mut conn), APP_TABLES);
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
