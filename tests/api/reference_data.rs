//! Agencies, programs and region lookups over HTTP, on both backends.

use crate::common::{Backend, spawn_app};
use serde_json::json;

both_backends! {
    async fn the_demo_agencies_are_listed_in_code_order(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, body) = app.get_json("/v1/agencies").await;
        assert_eq!(status, 200);
        let codes: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["KEMENDES", "KEMENEKRAF", "KEMENKOP", "KEMENKOPM", "KEMENSOS", "KEMENUMKM"]
        );
        assert_eq!(body["items"][4]["name"], "Kementerian Sosial");
    }

    async fn programs_can_be_filtered_by_agency_kind_and_activity(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, body) = app
            .get_json("/v1/programs?agency=KEMENSOS&kind=social_assistance&active=true")
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            body,
            json!({"items": [
                {"code": "PKH", "name": "Program Keluarga Harapan", "agency": "KEMENSOS",
                 "kind": "social_assistance", "active": true},
                {"code": "SEMBAKO", "name": "Program Sembako", "agency": "KEMENSOS",
                 "kind": "social_assistance", "active": true},
            ]})
        );
        let (_, empowerment) = app.get_json("/v1/programs?kind=empowerment").await;
        let items = empowerment["items"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert!(items.iter().all(|p| p["kind"] == "empowerment"));
        let (_, inactive) = app.get_json("/v1/programs?active=false").await;
        assert_eq!(inactive, json!({"items": []}));
    }

    async fn a_deactivated_program_is_reported_inactive(backend: Backend) {
        let app = spawn_app(backend).await;
        let code = sinergi::domain::code::ProgramCode::parse("PENA").unwrap();
        assert!(sinergi::db::programs::set_active(&mut app.db.connect(), &code, false).unwrap());
        let (status, body) = app.get_json("/v1/programs/PENA").await;
        assert_eq!(status, 200);
        assert_eq!(body["active"], false);
        let (_, inactive) = app.get_json("/v1/programs?active=false").await;
        assert_eq!(inactive["items"][0]["code"], "PENA");
    }

    async fn one_program_is_found_by_code(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, body) = app.get_json("/v1/programs/PKH").await;
        assert_eq!(status, 200);
        assert_eq!(body["agency"], "KEMENSOS");
        assert_eq!(body["kind"], "social_assistance");
    }

    async fn an_unknown_program_is_404_and_a_malformed_code_400(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, body) = app.get_json("/v1/programs/NOPE").await;
        assert_eq!(status, 404);
        assert_eq!(body["type"], "urn:sinergi:problem:not-found");
        let (status, body) = app.get_json("/v1/programs/pkh").await;
        assert_eq!(status, 400);
        assert_eq!(body["errors"][0]["pointer"], "#/path/code");
    }

    async fn bad_program_filters_are_refused_by_name(backend: Backend) {
        let app = spawn_app(backend).await;
        // A misspelt name is not the schema's, so it is not repeated.
        for (query, pointer) in [
            ("kind=bansos", "#/query/kind"),
            ("active=yes", "#/query/active"),
            ("agency=kemensos", "#/query/agency"),
            ("agensy=KEMENSOS", "#/query"),
            ("agency=KEMENSOS&agency=KEMENDES", "#/query/agency"),
        ] {
            let (status, body) = app.get_json(&format!("/v1/programs?{query}")).await;
            assert_eq!(status, 400, "{query}");
            assert_eq!(body["errors"][0]["pointer"], pointer, "{query}");
        }
    }

    async fn regions_are_found_at_every_level_with_or_without_dots(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, village) = app.get_json("/v1/regions/3301012001").await;
        assert_eq!(status, 200);
        assert_eq!(
            village,
            json!({"code": "33.01.01.2001", "name": "Tambakreja", "level": "village",
                   "parent": "33.01.01"})
        );
        let (_, district) = app.get_json("/v1/regions/33.01.01").await;
        assert_eq!(district["level"], "district");
        assert_eq!(district["parent"], "33.01");
        let (_, regency) = app.get_json("/v1/regions/3301").await;
        assert_eq!(regency["name"], "Kabupaten Cilacap");
        let (_, province) = app.get_json("/v1/regions/33").await;
        assert_eq!(province, json!({"code": "33", "name": "Jawa Tengah", "level": "province",
                                    "parent": null}));
    }

    async fn unknown_and_malformed_region_codes_are_told_apart(backend: Backend) {
        let app = spawn_app(backend).await;
        let (status, _) = app.get_json("/v1/regions/99").await;
        assert_eq!(status, 404);
        let (status, _) = app.get_json("/v1/regions/33.01.01.9999").await;
        assert_eq!(status, 404);
        for bad in ["3", "33.0101", "33.01.01.200", "%D9%A1%D9%A2", "33%2001"] {
            let (status, body) = app.get_json(&format!("/v1/regions/{bad}")).await;
            assert_eq!(status, 400, "{bad}");
            assert_eq!(body["errors"][0]["pointer"], "#/path/code", "{bad}");
        }
    }
}
