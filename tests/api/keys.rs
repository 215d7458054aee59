//! The key-encryption key guards the signing keys stored in the database.

use crate::common::{Backend, TestDb, test_settings};
use sinergi::startup::Application;

both_backends! {
    async fn a_wrong_key_encryption_key_stops_the_service_at_start(backend: Backend) {
        let db = TestDb::new(backend);
        // test_settings draws a fresh key-encryption key each time.
        let first = Application::build(test_settings(&db.url)).await;
        assert!(first.is_ok(), "the first start creates and seals a signing key");
        let error = match Application::build(test_settings(&db.url)).await {
            Ok(_) => panic!("started with a key-encryption key that cannot open the signing key"),
            Err(e) => format!("{e:#}"),
        };
        assert!(error.contains("could not be decrypted"), "{error}");
        assert!(error.contains("SINERGI_KEY_ENCRYPTION_KEY"), "{error}");
    }
}
