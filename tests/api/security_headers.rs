//! Every answer carries the headers that keep a browser from treating it as a page, and the
//! API grants no other site's script access (no CORS).

use crate::common::{Backend, spawn_app};

both_backends! {
    async fn every_answer_carries_the_security_headers(backend: Backend) {
        let app = spawn_app(backend).await;
        let mut answers = Vec::new();
        for path in ["/healthz", "/v1/whoami", "/no/such/path", "/openapi.json"] {
            answers.push(app.get_anonymous(path).await);
        }
        for path in ["/v1/whoami", "/v1/graduations?nik=123"] {
            answers.push(app.get(path).await);
        }
        for res in answers {
            let what = format!("{} {}", res.url().path(), res.status());
            let header = |name: &str| {
                res.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
            assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{what}");
            assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"), "{what}");
            assert_eq!(
                header("content-security-policy").as_deref(),
                Some("default-src 'none'; frame-ancestors 'none'"),
                "{what}"
            );
            assert!(header("cache-control").is_some(), "{what}");
            assert!(header("access-control-allow-origin").is_none(), "{what}");
        }
        // The docs may run their own scripts, and still not be framed.
        let docs = app.get_anonymous("/docs/").await;
        assert_eq!(docs.status(), 200);
        let policy = docs.headers()["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }

    async fn a_cross_origin_preflight_is_not_granted(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/v1/graduations"))
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
            .await
            .unwrap();
        // Deliberately 405: no route answers OPTIONS, and `Allow` does not offer it.
        assert_eq!(res.status(), 405);
        let allow = res.headers().get("allow").unwrap().to_str().unwrap();
        assert!(!allow.contains("OPTIONS"), "{allow}");
        for name in [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-allow-credentials",
        ] {
            assert!(res.headers().get(name).is_none(), "{name}");
        }
        // A simple cross-origin GET is answered, but without a grant the browser hides it.
        let res = app
            .client
            .get(app.url("/v1/agencies"))
            .header("Origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert!(res.headers().get("access-control-allow-origin").is_none());
    }
}
