//! Webhooks end to end, on both backends, against a real receiver on 127.0.0.1: deliveries
//! arrive in position order with signatures the Standard Webhooks reference library accepts,
//! a failing or absent receiver gets every change later (across a restart of the service
//! too), a subscription is its agency's alone and stops with its client, one agency's
//! silent receivers do not hold up another's deliveries, internal targets are refused, and
//! the secret is shown once.

mod receiver;
mod tarpit;

use std::time::{Duration, Instant};

use crate::common::answer::{Answer, answer};
use crate::common::problem::{assert_invalid, assert_problem};
use crate::common::records::{KEMENDES, KEMENSOS, enrollment, graduation};
use crate::common::{Backend, TestApp, TestDb, spawn_app, spawn_with, start_server, test_settings};
use receiver::{Received, Receiver, Reply};
use serde_json::{Value, json};
use sinergi::config::Settings;
use tarpit::Tarpit;

/// The purpose of the demo agreements by which KEMENDES reads KEMENSOS graduations.
const PURPOSE: &str = "PEMBERDAYAAN_EKONOMI";

/// Delivery settings for tests: the receiver's host allowed, quick retries and polls, and
/// attempts that give up on a silent receiver after half a second.
fn quick_webhooks(settings: &mut Settings) {
    settings.webhook_allow_hosts = vec!["127.0.0.1".into()];
    settings.webhook_retry_base_ms = 5;
    settings.webhook_poll_interval_ms = 20;
    settings.webhook_timeout_ms = 500;
}

async fn spawn_receiving(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let db = TestDb::new(backend);
    sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
    spawn_with(db, |s| {
        quick_webhooks(s);
        tweak(s);
    })
    .await
}

/// A base URL and a client: enough to drive an instance that is not a [`TestApp`].
struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    fn of(app: &TestApp) -> Self {
        Self::at(app.port)
    }

    fn at(port: u16) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn token(&self, client_id: &str) -> String {
        self.token_with(client_id, &sinergi::demo::demo_secret(client_id))
            .await
    }

    async fn token_with(&self, client_id: &str, secret: &str) -> String {
        let res = self
            .client
            .post(format!("{}/oauth/token", self.base))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
            ])
            .send()
            .await
            .expect("token request");
        assert_eq!(res.status(), 200, "token for {client_id}");
        let body: Value = res.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    async fn send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        // Reads of another agency's changes serve the purpose of the demo's agreements.
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("Sinergi-Purpose", PURPOSE);
        if let Some(body) = body {
            req = req.json(body);
        }
        answer(req.send().await.expect("request")).await
    }

    async fn get(&self, token: &str, path: &str) -> Answer {
        self.send(reqwest::Method::GET, token, path, None).await
    }

    async fn post(&self, token: &str, path: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::POST, token, path, Some(body))
            .await
    }

    async fn delete(&self, token: &str, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, token, path, None).await
    }

    async fn publish(&self, token: &str, collection: &str, body: &Value) -> Value {
        let a = self.post(token, &format!("/v1/{collection}"), body).await;
        assert!(a.status == 200 || a.status == 201, "{}", a.body);
        a.body
    }

    /// Subscribes to `types` at `url`; answers the created subscription (with its secret).
    async fn subscribe(&self, token: &str, url: &str, types: &[&str]) -> Value {
        let a = self
            .post(
                token,
                "/v1/subscriptions",
                &json!({"url": url, "types": types, "purpose": PURPOSE}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        a.body
    }

    /// The feed's changes of `types` after `after`, once it holds at least `count`.
    async fn feed(&self, token: &str, after: i64, types: &str, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let a = self
                .get(
                    token,
                    &format!("/v1/changes?after={after}&types={types}&limit=1000"),
                )
                .await;
            assert_eq!(a.status, 200, "{}", a.body);
            let changes = a.body["changes"].as_array().unwrap().clone();
            if changes.len() >= count {
                return changes;
            }
            assert!(Instant::now() < deadline, "the feed holds only {changes:?}");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The subscription's first delivery attempt, once there is one.
    async fn first_attempt(&self, token: &str, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(first) = self.attempts(token, id).await.into_iter().next() {
                return first;
            }
            assert!(Instant::now() < deadline, "no attempt recorded for {id}");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The subscription's delivery attempts, oldest first.
    async fn attempts(&self, token: &str, id: &str) -> Vec<Value> {
        let a = self
            .get(
                token,
                &format!("/v1/subscriptions/{id}/deliveries?limit=1000"),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let mut items = a.body["items"].as_array().unwrap().clone();
        items.reverse();
        items
    }

    /// The delivery attempts once there are two (a failed one and its retry), which follow
    /// moments after the receiver's answers.
    async fn two_attempts(&self, token: &str, id: &str) -> Vec<Value> {
        let mut attempts = self.attempts(token, id).await;
        for _ in 0..500 {
            if attempts.len() == 2 {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            attempts = self.attempts(token, id).await;
        }
        assert_eq!(attempts.len(), 2, "{attempts:?}");
        attempts
    }
}

/// Waits until `done` holds, for at most `secs` seconds.
async fn wait_for(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "waited {secs} s for {what}");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The positions of `received`, each once, in the order they first arrived.
fn positions_once(received: &[Received]) -> Vec<i64> {
    let mut seen = Vec::new();
    for r in received {
        let p = r.position();
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen
}

fn positions_of(changes: &[Value]) -> Vec<i64> {
    changes
        .iter()
        .map(|c| c["position"].as_i64().unwrap())
        .collect()
}

/// Verifies a delivery with the Standard Webhooks reference library (Python), an
/// implementation that shares nothing with ours.
fn verify_with_standardwebhooks(secret: &str, delivery: &Received) {
    const VERIFY: &str = "import sys\n\
        from standardwebhooks.webhooks import Webhook\n\
        secret, msg_id, timestamp, signature = sys.argv[1:5]\n\
        Webhook(secret).verify(sys.stdin.read(), {'webhook-id': msg_id,\n\
            'webhook-timestamp': timestamp, 'webhook-signature': signature})\n";
    use std::io::Write;
    let header = |name: &str| {
        delivery
            .headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .clone()
    };
    let mut child = std::process::Command::new("python3")
        .args(["-c", VERIFY, secret])
        .args([
            header("webhook-id"),
            header("webhook-timestamp"),
            header("webhook-signature"),
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (with `pip install standardwebhooks`)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(delivery.body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "standardwebhooks refused the delivery: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

both_backends! {
    async fn deliveries_arrive_in_position_order_and_the_reference_library_verifies_them(
        backend: Backend
    ) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let receiver = Receiver::start(&[]);
        let sub = api.subscribe(&kemendes, &receiver.url(), &["graduation"]).await;
        let (id, secret) = (sub["id"].as_str().unwrap(), sub["secret"].as_str().unwrap());
        let start = sub["position"].as_i64().unwrap();

        let first = api.publish(&kemensos, "graduations", &graduation("WH-1")).await;
        api.publish(&kemensos, "graduations", &graduation("WH-2")).await;
        // Not a type the subscription asked for.
        api.publish(&kemendes, "enrollments", &enrollment("WH-E-1", "PKTD")).await;
        let mut changed = graduation("WH-1");
        changed["welfare_decile"] = 7.into();
        api.publish(&kemensos, "graduations", &changed).await;
        let retracted = api
            .delete(&kemensos, &format!("/v1/graduations/{}?reason=Data%20ganda", first["id"].as_str().unwrap()))
            .await;
        assert_eq!(retracted.status, 200, "{}", retracted.body);

        // The feed as the subscriber sees it: each record shaped by the agreement.
        let feed = api.feed(&kemendes, start, "graduation", 4).await;
        wait_for(10, "four deliveries", || receiver.acknowledged().len() >= 4).await;
        let got = receiver.acknowledged();
        assert_eq!(got.len(), 4, "each change once: {got:?}");
        let types: Vec<Value> = got.iter().map(|r| r.json()["type"].clone()).collect();
        assert_eq!(
            types,
            ["graduation.created", "graduation.created", "graduation.updated", "graduation.retracted"]
        );
        for (delivery, change) in got.iter().zip(&feed) {
            let body = delivery.json();
            // The demo agreement leaves out the members' NIKs.
            assert!(body["data"]["record"].get("member_niks").is_none(), "{body}");
            // Exactly the feed's item, and in the feed's order.
            assert_eq!(&body["data"], change);
            assert_eq!(body["timestamp"], change["occurred_at"]);
            assert_eq!(delivery.path, "/hooks/sinergi");
            assert_eq!(delivery.headers["content-type"], "application/json");
            assert_eq!(
                delivery.headers["webhook-id"],
                format!("{id}-{}", change["position"])
            );
            assert!(delivery.headers["webhook-signature"].starts_with("v1,"));
            verify_with_standardwebhooks(secret, delivery);
        }

        let attempts = api.attempts(&kemendes, id).await;
        assert_eq!(positions_of(&attempts), positions_of(&feed));
        for attempt in &attempts {
            assert_eq!(attempt["attempt"], 1, "{attempt}");
            assert_eq!(attempt["status_code"], 204, "{attempt}");
            assert_eq!(attempt["error"], Value::Null, "{attempt}");
            assert!(attempt["latency_ms"].as_i64().unwrap() >= 0, "{attempt}");
        }
        let (status, now) = app.get_json("/v1/changes?after=0&limit=1000").await;
        assert_eq!(status, 200);
        let head = now["next"].as_i64().unwrap();
        let a = api.get(&kemendes, &format!("/v1/subscriptions/{id}")).await;
        assert_eq!(a.body["position"], head, "caught up with the feed: {}", a.body);
        assert_eq!(a.body["state"], "active");

        // Each delivery disclosed a record to another agency: each is an audit entry.
        let deadline = Instant::now() + Duration::from_secs(10);
        let entries = loop {
            let (status, body) = app.get_json("/v1/audit/entries?route=webhook&limit=1000").await;
            assert_eq!(status, 200, "{body}");
            let items = body["items"].as_array().unwrap().clone();
            if items.len() >= 4 {
                break items;
            }
            assert!(Instant::now() < deadline, "no audit entries for the deliveries: {body}");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(entries.len(), 4, "{entries:?}");
        for (entry, change) in entries.iter().zip(&feed) {
            assert_eq!(entry["request_id"], format!("{id}-{}", change["position"]));
            assert_eq!(entry["method"], "POST");
            assert_eq!(entry["client_id"], KEMENDES);
            assert_eq!(entry["agency"], "KEMENDES");
            assert_eq!(entry["status"], 204);
            assert_eq!(entry["outcome"], "allowed");
            assert_eq!(entry["record_ids"], json!([change["record_id"]]));
            assert_eq!(entry["nik_hashes"].as_array().unwrap().len(), 2, "head and member");
            assert_eq!(entry["purpose"], PURPOSE);
            assert_eq!(entry["agreements"].as_array().unwrap().len(), 1, "{entry}");
        }
    }

    async fn deliveries_stop_while_the_agreement_is_not_in_force_and_resume_without_gaps(
        backend: Backend
    ) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let (_, all) = app.get_json("/v1/agreements").await;
        let agreement = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["consumer_agency"] == "KEMENDES" && a["provider_agency"] == "KEMENSOS")
            .expect("the demo agreement")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let decide = |action: &'static str| {
            let path = format!("/v1/agreements/{agreement}/{action}");
            let (api, kemensos) = (&api, &kemensos);
            async move {
                let a = api.post(kemensos, &path, &json!(null)).await;
                assert_eq!(a.status, 200, "{action}: {}", a.body);
            }
        };
        let receiver = Receiver::start(&[]);
        let a = api
            .post(&kemendes, "/v1/subscriptions", &json!({"url": receiver.url(),
                "types": ["graduation"], "publishers": ["KEMENSOS"], "purpose": PURPOSE}))
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.body["excluded_publishers"], json!([]));
        // The provider has the agreement's steps pushed to it.
        let steps = Receiver::start(&[]);
        let b = api
            .post(&kemensos, "/v1/subscriptions", &json!({"url": steps.url(), "types": ["agreement"]}))
            .await;
        assert_eq!(b.status, 201, "{}", b.body);
        let id = a.body["id"].as_str().unwrap().to_owned();
        let subscription = || async { api.get(&kemendes, &format!("/v1/subscriptions/{id}")).await.body };

        api.publish(&kemensos, "graduations", &graduation("WH-A-1")).await;
        wait_for(10, "the first delivery", || receiver.acknowledged().len() == 1).await;
        let record = &receiver.acknowledged()[0].json()["data"]["record"];
        assert!(record.get("member_niks").is_none(), "projected: {record}");

        // Suspended by the provider: nothing more is delivered, and the subscription says why.
        decide("suspend").await;
        let waiting = subscription().await;
        assert_eq!(waiting["state"], "not_covered", "{waiting}");
        assert_eq!(
            waiting["excluded_publishers"],
            json!([{"agency": "KEMENSOS", "reason": "no-agreement"}])
        );
        api.publish(&kemensos, "graduations", &graduation("WH-A-2")).await;
        // `enable` does not bypass the agreement.
        let enabled = api.post(&kemendes, &format!("/v1/subscriptions/{id}/enable"), &json!(null)).await;
        assert_eq!(enabled.status, 200, "{}", enabled.body);
        assert_eq!(enabled.body["state"], "not_covered", "{}", enabled.body);
        actix_web::rt::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(receiver.received().len(), 1, "nothing delivered while suspended");

        // In force again: the change held back arrives, nothing skipped.
        decide("approve").await;
        wait_for(10, "the held change", || receiver.acknowledged().len() == 2).await;
        let held = &receiver.acknowledged()[1].json()["data"]["record"];
        assert_eq!(held["source_record_id"], "WH-A-2");
        assert_eq!(subscription().await["state"], "active");

        // Terminated: deliveries stop for good, however often the subscriber enables.
        decide("terminate").await;
        api.publish(&kemensos, "graduations", &graduation("WH-A-3")).await;
        let enabled = api.post(&kemendes, &format!("/v1/subscriptions/{id}/enable"), &json!(null)).await;
        assert_eq!(enabled.body["state"], "not_covered", "{}", enabled.body);
        actix_web::rt::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(receiver.received().len(), 2, "nothing delivered once terminated");
        wait_for(10, "three agreement steps", || steps.acknowledged().len() >= 3).await;
        let types: Vec<Value> = steps.acknowledged().iter().map(|r| r.json()["type"].clone()).collect();
        assert_eq!(types, ["agreement.suspended", "agreement.resumed", "agreement.terminated"]);
        let last = steps.acknowledged()[2].json();
        assert_eq!(last["data"]["record"]["id"], agreement.as_str(), "{last}");

        // Creating another one for a publisher no agreement covers is refused, naming why.
        let refused = api
            .post(&kemendes, "/v1/subscriptions", &json!({"url": receiver.url(),
                "types": ["graduation"], "publishers": ["KEMENSOS"], "purpose": PURPOSE}))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert_eq!(refused.body["type"], "urn:sinergi:problem:no-agreement");
        for (body, detail) in [
            (json!({"url": receiver.url(), "types": ["graduation"], "publishers": ["KEMENSOS"]}),
                "is required when publishers names another agency"),
            (json!({"url": receiver.url(), "types": ["graduation"], "purpose": "TIDAK_ADA"}),
                "no purpose has this code"),
        ] {
            let a = api.post(&kemendes, "/v1/subscriptions", &body).await;
            assert_eq!(a.status, 400, "{}", a.body);
            assert_eq!(a.body["errors"][0]["pointer"], "/purpose", "{}", a.body);
            assert!(a.body["errors"][0]["detail"].as_str().unwrap().starts_with(detail), "{}", a.body);
        }
    }

    async fn a_failing_receiver_gets_every_change_later_in_order(backend: Backend) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[
            Reply::Status(500),
            Reply::Hang,
            Reply::Close,
            Reply::Redirect,
        ]);
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let id = sub["id"].as_str().unwrap();
        for n in 1..=3 {
            api.publish(&kemensos, "graduations", &graduation(&format!("WH-F-{n}"))).await;
        }
        let feed = api.feed(&kemensos, sub["position"].as_i64().unwrap(), "graduation", 3).await;
        let expected = positions_of(&feed);
        wait_for(30, "every change acknowledged", || {
            positions_once(&receiver.acknowledged()) == expected
        })
        .await;

        // Never the next change before the previous one was acknowledged.
        let received = receiver.received();
        let arrived: Vec<i64> = received.iter().map(Received::position).collect();
        assert!(arrived.windows(2).all(|w| w[0] <= w[1]), "{arrived:?}");
        assert_eq!(&arrived[..5], [expected[0]; 5], "five attempts of the first change");
        let ids: Vec<&String> = received[..5].iter().map(|r| &r.headers["webhook-id"]).collect();
        assert!(ids.iter().all(|i| *i == ids[0]), "the id is stable across retries: {ids:?}");
        assert!(
            received.iter().all(|r| r.path == "/hooks/sinergi"),
            "the redirect was not followed"
        );

        let attempts = api.attempts(&kemensos, id).await;
        let first: Vec<&Value> = attempts
            .iter()
            .filter(|a| a["position"] == expected[0])
            .collect();
        let statuses: Vec<&Value> = first.iter().map(|a| &a["status_code"]).collect();
        assert_eq!(statuses, [&json!(500), &Value::Null, &Value::Null, &json!(302), &json!(204)]);
        let numbers: Vec<&Value> = first.iter().map(|a| &a["attempt"]).collect();
        assert_eq!(numbers, [&json!(1), &json!(2), &json!(3), &json!(4), &json!(5)]);
        let errors: Vec<&str> = first[..4].iter().map(|a| a["error"].as_str().unwrap()).collect();
        // The receiver is allow-listed: its answer is not shown, only the status.
        assert_eq!(errors[0], "HTTP 500");
        assert_eq!(errors[1], "no answer within 500 ms");
        assert!(!errors[2].is_empty());
        assert!(errors[3].contains("redirects are not followed"), "{}", errors[3]);
        assert_eq!(first[4]["error"], Value::Null);
        for error in errors {
            assert!(!error.contains("127.0.0.1"), "no URL in errors: {error}");
        }
    }

    async fn an_endless_answer_costs_neither_memory_nor_the_attempts_timeout(backend: Backend) {
        // OWASP API10: an allow-listed receiver's answer is not read at all (a public one's
        // only up to a few KiB: see the unit tests of webhooks::delivery), so an endless one
        // costs neither memory nor the attempt's timeout.
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[Reply::Endless]);
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let id = sub["id"].as_str().unwrap();
        api.publish(&kemensos, "graduations", &graduation("WH-ENDLESS")).await;
        wait_for(30, "the change acknowledged", || !receiver.acknowledged().is_empty()).await;
        // The receiver has answered; the attempt's record follows.
        let attempts = api.two_attempts(&kemensos, id).await;
        assert_eq!(attempts[0]["status_code"], 500, "{attempts:?}");
        let error = attempts[0]["error"].as_str().unwrap();
        // Reading the gibibyte would have run into the 500 ms timeout instead.
        assert_eq!(error, "HTTP 500");
        assert_eq!(attempts[1]["status_code"], 204, "{attempts:?}");
    }

    async fn a_receiver_down_across_a_restart_of_the_service_still_gets_everything(
        backend: Backend
    ) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
        let mut settings = test_settings(&db.url);
        quick_webhooks(&mut settings);
        let (port, first_instance) = start_server(settings.clone()).await;
        let api = Api::at(port);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[]);
        let receiver_port = receiver.port;
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let (id, start) = (sub["id"].as_str().unwrap().to_owned(), sub["position"].as_i64().unwrap());
        for n in 1..=2 {
            api.publish(&kemensos, "graduations", &graduation(&format!("WH-R-{n}"))).await;
        }
        wait_for(10, "the first two", || receiver.acknowledged().len() == 2).await;
        let mut acknowledged = receiver.acknowledged();

        drop(receiver);
        for n in 3..=4 {
            api.publish(&kemensos, "graduations", &graduation(&format!("WH-R-{n}"))).await;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while !api.attempts(&kemensos, &id).await.iter().any(|a| a["error"].is_string()) {
            assert!(Instant::now() < deadline, "no failed attempt while the receiver is down");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        drop(first_instance);

        // The service comes back over the same database, another change is published, and
        // then the receiver comes back where it was.
        let (port, _second_instance) = start_server(settings).await;
        let api = Api::at(port);
        let kemensos = api.token(KEMENSOS).await;
        api.publish(&kemensos, "graduations", &graduation("WH-R-5")).await;
        let feed = api.feed(&kemensos, start, "graduation", 5).await;
        let receiver = Receiver::on_port(receiver_port, &[]);
        wait_for(30, "the other three", || receiver.acknowledged().len() >= 3).await;
        acknowledged.extend(receiver.acknowledged());
        assert_eq!(positions_once(&acknowledged), positions_of(&feed));
        let arrived: Vec<i64> = acknowledged.iter().map(Received::position).collect();
        assert!(arrived.windows(2).all(|w| w[0] <= w[1]), "{arrived:?}");
        for (delivery, change) in acknowledged.iter().zip(&feed) {
            assert_eq!(delivery.json()["data"], *change);
        }
    }

    async fn with_two_instances_each_change_is_delivered_once_and_in_order(backend: Backend) {
        let db = TestDb::new(backend);
        sinergi::demo::seed(&mut db.connect()).expect("seed demo data");
        let mut settings = test_settings(&db.url);
        quick_webhooks(&mut settings);
        let (port, _one) = start_server(settings.clone()).await;
        let (other_port, _other) = start_server(settings).await;
        let apis = [Api::at(port), Api::at(other_port)];
        let tokens = [apis[0].token(KEMENSOS).await, apis[1].token(KEMENSOS).await];
        let receiver = Receiver::start(&[]);
        // Slow answers leave time for a second instance to deliver meanwhile, were it able to.
        receiver.answer_after(Duration::from_millis(30));
        let sub = apis[0].subscribe(&tokens[0], &receiver.url(), &["graduation"]).await;
        for n in 0..10 {
            let i = n % 2;
            apis[i].publish(&tokens[i], "graduations", &graduation(&format!("WH-2-{n}"))).await;
        }
        let feed = apis[1].feed(&tokens[1], sub["position"].as_i64().unwrap(), "graduation", 10).await;
        wait_for(30, "ten deliveries", || receiver.acknowledged().len() >= 10).await;
        let arrived: Vec<i64> = receiver.acknowledged().iter().map(Received::position).collect();
        assert_eq!(arrived, positions_of(&feed));
        assert_eq!(receiver.most_at_once(), 1, "one delivery at a time");
    }

    async fn one_agencys_silent_receivers_do_not_hold_up_another_agencys_deliveries(
        backend: Backend
    ) {
        // Kemensos has 24 subscriptions, more than the instance's 16 slots, at three
        // receivers that accept connections and never answer; Kemendes has one at a receiver
        // that answers at once, created last and so due last. Attempts give up after 60 s,
        // far beyond this test: Kemendes's delivery must not wait for a slot.
        let tarpits = ["127.0.0.2", "127.0.0.3", "127.0.0.4"].map(Tarpit::start);
        let app = spawn_receiving(backend, |s| {
            s.webhook_allow_hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
                .map(String::from)
                .to_vec();
            s.webhook_timeout_ms = 60_000;
            s.webhook_max_in_flight = 16;
            s.webhook_max_in_flight_per_agency = 4;
            s.webhook_max_in_flight_per_host = 2;
        })
        .await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let mut silent = Vec::new();
        for n in 0..24 {
            let url = tarpits[n % 3].url("http", &format!("/hooks/{n}"));
            let sub = api.subscribe(&kemensos, &url, &["graduation"]).await;
            silent.push(sub["id"].as_str().unwrap().to_owned());
        }
        let receiver = Receiver::start(&[]);
        let sub = api.subscribe(&kemendes, &receiver.url(), &["graduation"]).await;
        api.publish(&kemensos, "graduations", &graduation("WH-FAIR-1")).await;

        // Had Kemendes queued behind Kemensos, its delivery would come only once Kemensos's
        // attempts gave up (after 60 s), and the tarpits would no longer hold them.
        wait_for(90, "Kemendes's delivery", || !receiver.acknowledged().is_empty()).await;
        let accepted = || tarpits.iter().map(Tarpit::accepted).sum::<usize>();
        wait_for(30, "Kemensos's share under way", || accepted() >= 4).await;
        let most: Vec<usize> = tarpits.iter().map(Tarpit::most_open).collect();
        assert!(most.iter().all(|n| *n <= 2), "one host, at most two at once: {most:?}");
        assert_eq!(accepted(), 4, "one agency, at most four at once");
        let open: usize = tarpits.iter().map(Tarpit::open).sum();
        assert_eq!(open, 4, "none of Kemensos's attempts has ended");
        for id in &silent {
            assert_eq!(api.attempts(&kemensos, id).await, Vec::<Value>::new(), "{id}");
        }
        let delivered = api.first_attempt(&kemendes, sub["id"].as_str().unwrap()).await;
        assert_eq!(delivered["status_code"], 204, "{delivered}");
    }

    async fn an_attempt_at_a_receiver_that_accepts_and_never_answers_fails_at_the_deadline(
        backend: Backend
    ) {
        // The 500 ms deadline counts the TLS handshake (which never completes here) as it
        // counts waiting for an answer over plain http.
        let tarpit = Tarpit::start("127.0.0.2");
        let app = spawn_receiving(backend, |s| s.webhook_allow_hosts.push("127.0.0.2".into())).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let tls = api.subscribe(&kemensos, &tarpit.url("https", "/hooks"), &["graduation"]).await;
        let plain = api.subscribe(&kemensos, &tarpit.url("http", "/hooks"), &["graduation"]).await;
        api.publish(&kemensos, "graduations", &graduation("WH-TARPIT-1")).await;
        for sub in [tls, plain] {
            let first = api.first_attempt(&kemensos, sub["id"].as_str().unwrap()).await;
            assert_eq!(first["status_code"], Value::Null, "{first}");
            assert_eq!(first["error"], "no answer within 500 ms", "{first}");
            assert!(first["latency_ms"].as_i64().unwrap() >= 500, "{first}");
        }
        assert!(tarpit.accepted() >= 2, "both connections were accepted");
    }

    async fn an_agency_may_have_only_so_many_subscriptions(backend: Backend) {
        let app = spawn_receiving(backend, |s| s.webhook_max_subscriptions_per_agency = 3).await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let receiver = Receiver::start(&[]);
        let body = json!({"url": receiver.url(), "types": ["graduation"]});
        let mut ids = Vec::new();
        for _ in 0..2 {
            let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
            ids.push(sub["id"].as_str().unwrap().to_owned());
        }
        // Five at once for the one place left: exactly one gets it.
        let racing = (0..5).map(|_| api.post(&kemensos, "/v1/subscriptions", &body));
        let answers = futures_util::future::join_all(racing).await;
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
        for a in answers.iter().filter(|a| a.status != 201) {
            assert_problem(a, 409, "beyond the cap");
            assert_eq!(a.body["type"], "urn:sinergi:problem:conflict", "{}", a.body);
            let detail = a.body["detail"].as_str().unwrap();
            assert!(detail.contains("3 subscriptions"), "says the limit: {detail}");
            assert!(detail.contains("delete one"), "says how to make room: {detail}");
            assert!(!detail.contains("127.0.0.1"), "no URL repeated: {detail}");
        }
        let listed = api.get(&kemensos, "/v1/subscriptions").await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 3, "{}", listed.body);

        // The cap is each agency's own, and deleting one makes room again.
        api.subscribe(&kemendes, &receiver.url(), &["graduation"]).await;
        let deleted = api.delete(&kemensos, &format!("/v1/subscriptions/{}", ids[0])).await;
        assert_eq!(deleted.status, 204, "{}", deleted.body);
        api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
    }

    async fn a_subscription_is_invisible_to_other_agencies(backend: Backend) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let receiver = Receiver::start(&[]);
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation", "enrollment"]).await;
        let id = sub["id"].as_str().unwrap();
        assert_eq!(sub["agency"], "KEMENSOS");
        assert_eq!(sub["created_by"], KEMENSOS);

        for (what, a) in [
            ("GET", api.get(&kemendes, &format!("/v1/subscriptions/{id}")).await),
            ("deliveries", api.get(&kemendes, &format!("/v1/subscriptions/{id}/deliveries")).await),
            ("replay", api.post(&kemendes, &format!("/v1/subscriptions/{id}/replay?from=0"), &json!({})).await),
            ("enable", api.post(&kemendes, &format!("/v1/subscriptions/{id}/enable"), &json!({})).await),
            ("DELETE", api.delete(&kemendes, &format!("/v1/subscriptions/{id}")).await),
        ] {
            assert_problem(&a, 404, what);
        }
        let theirs = api.get(&kemendes, "/v1/subscriptions").await;
        assert_eq!(theirs.status, 200);
        assert_eq!(theirs.body["items"], json!([]));

        let mine = api.get(&kemensos, "/v1/subscriptions").await;
        assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(mine.body["items"][0]["id"], id);
        let deleted = api.delete(&kemensos, &format!("/v1/subscriptions/{id}")).await;
        assert_eq!(deleted.status, 204);
        assert_problem(&api.get(&kemensos, &format!("/v1/subscriptions/{id}")).await, 404, "deleted");
        assert_problem(&api.get(&kemensos, "/v1/subscriptions/not-a-uuid").await, 404, "no UUID");
    }

    async fn internal_and_unsafe_targets_are_refused(backend: Backend) {
        // Nothing allow-listed: 127.0.0.1 is as internal as any other address here.
        let app = spawn_app(backend).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        for url in [
            "https://10.0.0.1/hooks",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/hooks",
            "https://[::ffff:127.0.0.1]/hooks",
            "https://[fd00:ec2::254]/hooks",
            "https://127.0.0.1:8443/hooks",
            "https://100.64.0.1/hooks",
            "http://example.com/hooks",
            "https://user:secret@example.com/hooks",
            "https://localhost/hooks",
            "ftp://example.com/hooks",
            "/relative/hooks",
        ] {
            let a = api
                .post(&kemensos, "/v1/subscriptions", &json!({"url": url, "types": ["graduation"]}))
                .await;
            assert_invalid(&a, &["/url"], url);
        }
        let none = api.get(&kemensos, "/v1/subscriptions").await;
        assert_eq!(none.body["items"], json!([]));
    }

    async fn ipv6_forms_of_ipv4_and_names_that_resolve_inward_are_refused_without_echo(
        backend: Backend
    ) {
        // Nothing allow-listed. IPv6 forms that embed or translate to an IPv4 address are
        // refused whatever that address is: these two reached 169.254.169.254 (the cloud
        // metadata service) before.
        let app = spawn_app(backend).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let subscribe = |url: &str| {
            let body = json!({"url": url, "types": ["graduation"]});
            let api = &api;
            let kemensos = &kemensos;
            async move { api.post(kemensos, "/v1/subscriptions", &body).await }
        };
        for url in [
            "https://[::ffff:0:a9fe:a9fe]/",
            "https://[64:ff9b:1::a9fe:a9fe]/",
            "https://[::a9fe:a9fe]/",
            "https://[::ffff:808:808]/",
            "https://[64:ff9b::808:808]/",
            "https://[2002:a9fe:a9fe::1]/",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
            "https://[2001:2::1]/",
            "https://[100::1]/",
            "https://[3fff::1]/",
            "https://[5f00::1]/",
        ] {
            let a = subscribe(url).await;
            assert_invalid(&a, &["/url"], url);
            assert_eq!(a.body["errors"][0]["detail"], "must not point at a non-public address", "{url}");
        }
        // A name that resolves inward: said so, without the name or what it resolves to.
        let a = subscribe("https://localhost/hooks?nik=3201011507850003").await;
        assert_invalid(&a, &["/url"], "localhost");
        assert_eq!(a.body["errors"][0]["detail"], "the host resolves to a non-public address");
        let text = a.body.to_string();
        for echoed in ["localhost", "127.0.0.1", "::1", "3201011507850003"] {
            assert!(!text.contains(echoed), "{echoed} echoed: {text}");
        }
        let none = api.get(&kemensos, "/v1/subscriptions").await;
        assert_eq!(none.body["items"], json!([]));
    }

    async fn an_allow_listed_receivers_answer_is_not_shown_only_its_status(backend: Backend) {
        // An allow-listed receiver may be an internal service: what it answers must not
        // reach the subscriber through the delivery log.
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[Reply::Status(500)]);
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let id = sub["id"].as_str().unwrap();
        api.publish(&kemensos, "graduations", &graduation("WH-ALLOWED-1")).await;
        wait_for(30, "the retry acknowledged", || !receiver.acknowledged().is_empty()).await;
        let attempts = api.two_attempts(&kemensos, id).await;
        assert_eq!(attempts[0]["status_code"], 500, "{attempts:?}");
        assert_eq!(attempts[0]["error"], "HTTP 500", "the answer was shown: {attempts:?}");
    }

    async fn a_subscription_asks_for_existing_filters_and_the_scopes_to_read_them(
        backend: Backend
    ) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let url = Receiver::start(&[]).url();
        for (body, pointers) in [
            (json!({"url": url, "types": []}), vec!["/types"]),
            (json!({"url": url, "types": ["graduations"]}), vec!["/types/0"]),
            (json!({"url": url, "types": ["graduation"], "programs": ["NOPE"]}), vec!["/programs/0"]),
            (json!({"url": url, "types": ["graduation"], "publishers": ["PKH", "KEMENSOS"]}), vec!["/publishers/0"]),
            (json!({"url": url, "types": ["graduation"], "after": 1_000_000}), vec!["/after"]),
            (json!({"url": url, "types": ["graduation"], "secret": "mine"}), vec!["/secret"]),
        ] {
            let a = api.post(&kemensos, "/v1/subscriptions", &body).await;
            assert_invalid(&a, &pointers, &body.to_string());
        }
        // The payload carries records: each subscribed type needs its read scope.
        let narrow = app
            .token(KEMENSOS, Some("subscriptions:write changes:read graduations:read"))
            .await;
        let a = api
            .post(&narrow, "/v1/subscriptions", &json!({"url": url, "types": ["enrollment"]}))
            .await;
        assert_problem(&a, 403, "without enrollments:read");
        let a = api
            .post(&narrow, "/v1/subscriptions", &json!({"url": url, "types": ["graduation"],
                "programs": ["PKH"], "publishers": ["KEMENSOS"], "after": 0}))
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.body["programs"], json!(["PKH"]));
        assert_eq!(a.body["publishers"], json!(["KEMENSOS"]));
        assert_eq!(a.body["position"], 0);
    }

    async fn subscribing_enabling_and_replaying_need_changes_read_like_the_feed(
        backend: Backend
    ) {
        // A subscription is the feed pushed instead of polled: a client that may not read
        // the feed may not have it delivered either. It used to subscribe with "after": 0
        // and receive the whole feed.
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[]);
        api.publish(&kemensos, "graduations", &graduation("WH-SCOPE-1")).await;
        api.feed(&kemensos, 0, "graduation", 1).await;
        // From the head on: the change above is not this subscription's to deliver.
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let (id, start) = (sub["id"].as_str().unwrap(), sub["position"].clone());
        assert!(start.as_i64().unwrap() > 0, "{sub}");

        let no_feed = app.token(KEMENSOS, Some("subscriptions:write graduations:read")).await;
        assert_lacks_scope(&api.get(&no_feed, "/v1/changes?after=0").await, "changes:read", "feed");
        let everything = json!({"url": receiver.url(), "types": ["graduation"], "after": 0});
        for (what, a) in [
            ("create", api.post(&no_feed, "/v1/subscriptions", &everything).await),
            ("enable", api.post(&no_feed, &format!("/v1/subscriptions/{id}/enable"), &json!({})).await),
            ("replay", api.post(&no_feed, &format!("/v1/subscriptions/{id}/replay?from=0"), &json!({})).await),
        ] {
            assert_lacks_scope(&a, "changes:read", what);
        }
        // Showing a subscription, its attempts, or deleting it starts no delivery: the
        // management scope alone will do.
        let listed = api.get(&no_feed, "/v1/subscriptions").await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1, "no subscription was added");
        let shown = api.get(&no_feed, &format!("/v1/subscriptions/{id}")).await;
        assert_eq!(shown.status, 200, "{}", shown.body);
        assert_eq!(shown.body["position"], start, "the refused replay moved nothing");
        let attempts = api.get(&no_feed, &format!("/v1/subscriptions/{id}/deliveries")).await;
        assert_eq!(attempts.status, 200, "{}", attempts.body);
        assert!(receiver.received().is_empty(), "nothing was delivered from position 0");
        let deleted = api.delete(&no_feed, &format!("/v1/subscriptions/{id}")).await;
        assert_eq!(deleted.status, 204, "{}", deleted.body);
    }

    async fn the_secret_is_shown_once_stored_sealed_and_the_write_is_audited(backend: Backend) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let url = Receiver::start(&[]).url();
        let created = api
            .post(&kemensos, "/v1/subscriptions", &json!({"url": url, "types": ["graduation"]}))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.body["id"].as_str().unwrap().to_owned();
        assert_eq!(created.header("location"), Some(format!("/v1/subscriptions/{id}").as_str()));
        let secret = created.body["secret"].as_str().unwrap();
        let key = secret.strip_prefix("whsec_").expect("the whsec_ form");
        use base64::Engine;
        assert_eq!(base64::engine::general_purpose::STANDARD.decode(key).unwrap().len(), 32);

        let one = api.get(&kemensos, &format!("/v1/subscriptions/{id}")).await;
        let all = api.get(&kemensos, "/v1/subscriptions").await;
        for shown in [one.body.to_string(), all.body.to_string()] {
            assert!(!shown.contains("secret"), "{shown}");
            assert!(!shown.contains(key), "{shown}");
        }
        let stored = stored_secret(&app, &id);
        assert!(!stored.contains(key), "the secret is stored sealed");

        // The write's audit entry was stored with it.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, body) = app
                .get_json("/v1/audit/entries?route=/v1/subscriptions&limit=1000")
                .await;
            assert_eq!(status, 200, "{body}");
            let found = body["items"].as_array().unwrap().iter().any(|e| {
                e["method"] == "POST" && e["status"] == 201 && e["client_id"] == KEMENSOS
            });
            if found {
                break;
            }
            assert!(Instant::now() < deadline, "no audit entry for the POST: {body}");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn a_subscription_that_failed_for_the_whole_schedule_is_paused_until_enabled(
        backend: Backend
    ) {
        // A 1 ms base makes the 24-hour schedule last about 17 seconds.
        let app = spawn_receiving(backend, |s| s.webhook_retry_base_ms = 1).await;
        let api = Api::of(&app);
        let kemensos = api.token(KEMENSOS).await;
        let receiver = Receiver::start(&[]);
        receiver.answer_from_now(Reply::Status(503));
        let sub = api.subscribe(&kemensos, &receiver.url(), &["graduation"]).await;
        let (id, start) = (sub["id"].as_str().unwrap(), sub["position"].as_i64().unwrap());
        api.publish(&kemensos, "graduations", &graduation("WH-P-1")).await;

        let path = format!("/v1/subscriptions/{id}");
        let deadline = Instant::now() + Duration::from_secs(60);
        let paused = loop {
            let a = api.get(&kemensos, &path).await;
            if a.body["state"] == "failing" {
                break a.body;
            }
            assert!(Instant::now() < deadline, "still not paused: {}", a.body);
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(paused["attempts"].as_i64().unwrap() > 5, "{paused}");
        assert_eq!(paused["next_attempt_at"], Value::Null);
        assert_eq!(paused["position"], start);
        let tried = receiver.received().len();
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.received().len(), tried, "a paused subscription is not tried");

        receiver.answer_from_now(Reply::Status(200));
        let enabled = api.post(&kemensos, &format!("{path}/enable"), &json!({})).await;
        assert_eq!(enabled.status, 200, "{}", enabled.body);
        assert_eq!(enabled.body["state"], "active");
        assert_eq!(enabled.body["attempts"], 0);
        wait_for(10, "the delivery after enabling", || receiver.acknowledged().len() == 1).await;

        // A replay delivers the same change again, under the same id.
        let beyond = api.post(&kemensos, &format!("{path}/replay?from=999999"), &json!({})).await;
        assert_invalid(&beyond, &["#/query/from"], "replay beyond the head");
        let replayed = api
            .post(&kemensos, &format!("{path}/replay?from={start}"), &json!({}))
            .await;
        assert_eq!(replayed.status, 200, "{}", replayed.body);
        assert_eq!(replayed.body["position"], start);
        wait_for(10, "the replayed delivery", || receiver.acknowledged().len() == 2).await;
        let got = receiver.acknowledged();
        assert_eq!(got[0].headers["webhook-id"], got[1].headers["webhook-id"]);
        assert_eq!(got[0].body, got[1].body);
    }

    async fn a_disabled_clients_subscription_is_suspended_until_another_client_takes_it_over(
        backend: Backend
    ) {
        let app = spawn_receiving(backend, |_| {}).await;
        let api = Api::of(&app);
        let (kemensos, kemendes) = (api.token(KEMENSOS).await, api.token(KEMENDES).await);
        let admin = api.token("demo-admin").await;
        let receiver = Receiver::start(&[]);
        let sub = api.subscribe(&kemendes, &receiver.url(), &["graduation"]).await;
        let id = sub["id"].as_str().unwrap();
        let start = sub["position"].as_i64().unwrap();
        api.publish(&kemensos, "graduations", &graduation("WH-S-1")).await;
        wait_for(10, "the first delivery", || receiver.acknowledged().len() == 1).await;

        // Three more Kemendes clients: one may not read graduations, one may not read the
        // feed, one may do both. Then the subscribing client is disabled, and more is
        // published.
        let (narrow_id, narrow_secret) =
            new_client(&api, &admin, "KEMENDES", &["subscriptions:write", "changes:read"]).await;
        let (no_feed_id, no_feed_secret) =
            new_client(&api, &admin, "KEMENDES", &["subscriptions:write", "graduations:read"])
                .await;
        let (heir_id, heir_secret) = new_client(
            &api,
            &admin,
            "KEMENDES",
            &["subscriptions:write", "changes:read", "graduations:read"],
        )
        .await;
        let disabled = api
            .post(&admin, &format!("/v1/admin/clients/{KEMENDES}/disable"), &json!({}))
            .await;
        assert_eq!(disabled.status, 200, "{}", disabled.body);
        api.publish(&kemensos, "graduations", &graduation("WH-S-2")).await;
        api.publish(&kemensos, "graduations", &graduation("WH-S-3")).await;

        let narrow = api.token_with(&narrow_id, &narrow_secret).await;
        let path = format!("/v1/subscriptions/{id}");
        let seen = api.get(&narrow, &path).await;
        assert_eq!(seen.status, 200, "{}", seen.body);
        assert_eq!(seen.body["state"], "suspended", "{}", seen.body);
        assert_eq!(seen.body["created_by"], KEMENDES);
        let listed = api.get(&narrow, "/v1/subscriptions").await;
        assert_eq!(listed.body["items"][0]["state"], "suspended", "{}", listed.body);
        // 25 polls of the worker at least: nothing goes out for a disabled client.
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(receiver.received().len(), 1, "delivered for a disabled client");

        // Taking it over needs the read scope of what it delivers, and the feed's: a refusal
        // changes nothing.
        let refused = api.post(&narrow, &format!("{path}/enable"), &json!({})).await;
        assert_problem(&refused, 403, "a takeover without graduations:read");
        let no_feed = api.token_with(&no_feed_id, &no_feed_secret).await;
        for action in ["enable", "replay?from=0"] {
            let refused = api.post(&no_feed, &format!("{path}/{action}"), &json!({})).await;
            assert_lacks_scope(&refused, "changes:read", action);
        }
        let unchanged = api.get(&narrow, &path).await;
        assert_eq!(unchanged.body["state"], "suspended");
        assert_eq!(unchanged.body["created_by"], KEMENDES);

        let heir = api.token_with(&heir_id, &heir_secret).await;
        let taken = api.post(&heir, &format!("{path}/enable"), &json!({})).await;
        assert_eq!(taken.status, 200, "{}", taken.body);
        assert_eq!(taken.body["state"], "active");
        assert_eq!(taken.body["created_by"], heir_id.as_str());
        wait_for(10, "the changes held back", || receiver.acknowledged().len() == 3).await;
        let published = api.feed(&kemensos, start, "graduation", 3).await;
        assert_eq!(positions_once(&receiver.received()), positions_of(&published));

        // Each delivery is recorded under the client it was made for.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, body) = app.get_json("/v1/audit/entries?route=webhook&limit=1000").await;
            assert_eq!(status, 200, "{body}");
            let clients: Vec<&str> = body["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["outcome"] == "allowed")
                .map(|e| e["client_id"].as_str().unwrap())
                .collect();
            if clients.len() == 3 {
                assert_eq!(clients.iter().filter(|c| **c == KEMENDES).count(), 1, "{body}");
                assert_eq!(clients.iter().filter(|c| **c == heir_id).count(), 2, "{body}");
                break;
            }
            assert!(Instant::now() < deadline, "not every delivery is audited: {body}");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A 403 `insufficient_scope` problem that names `scope` as the one lacking.
fn assert_lacks_scope(a: &Answer, scope: &str, what: &str) {
    assert_problem(a, 403, what);
    assert_eq!(
        a.body["type"], "urn:sinergi:problem:insufficient-scope",
        "{what}: {}",
        a.body
    );
    let challenge = a.header("www-authenticate").unwrap_or_default();
    assert!(
        challenge.contains(&format!("scope=\"{scope}\"")),
        "{what}: {challenge}"
    );
}

/// Creates a client of `agency` holding `scopes` through the admin API; answers its id and
/// secret.
async fn new_client(api: &Api, admin: &str, agency: &str, scopes: &[&str]) -> (String, String) {
    let created = api
        .post(
            admin,
            "/v1/admin/clients",
            &json!({"agency": agency, "name": "receiver of a subscription", "scopes": scopes}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let field = |name: &str| created.body[name].as_str().unwrap().to_owned();
    (field("client_id"), field("client_secret"))
}

/// The sealed secret as stored.
fn stored_secret(app: &TestApp, id: &str) -> String {
    use diesel::prelude::*;
    use sinergi::db::schema::subscriptions;
    subscriptions::table
        .find(id)
        .select(subscriptions::secret)
        .first(&mut app.db.connect())
        .unwrap()
}
