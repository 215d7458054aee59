//! Waiting for the audit log, for tests that read what it recorded.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use sinergi::db::schema::audit_queue;

use super::TestApp;

/// Waits until every entry stored so far has joined the tree (and, with the test settings,
/// is under a signed checkpoint). A response is released only once its entry is stored, so
/// after this the entries of all answered requests are searchable. Reads the database, so
/// that waiting adds nothing to the log.
pub async fn settle(app: &TestApp) {
    let mut conn = app.db.connect();
    let last: Option<i64> = audit_queue::table
        .select(diesel::dsl::max(audit_queue::id))
        .first(&mut conn)
        .unwrap();
    let Some(last) = last else { return };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = audit_queue::table
            .filter(audit_queue::id.le(last))
            .count()
            .get_result(&mut conn)
            .unwrap();
        if waiting == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} entries still queued after 10 s"
        );
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
}
