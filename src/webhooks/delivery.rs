//! One delivery attempt: a signed POST, and what came of it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;

use super::signature::SigningSecret;
use super::ssrf::{AllowList, GuardedResolver, check_url};
use crate::records::feed::Change;

/// Most bytes of a receiver's answer read, for the error text of a failed attempt.
const MAX_ANSWER_BYTES: usize = 4 * 1024;
/// Characters of that answer kept in the error text.
const MAX_ANSWER_CHARS: usize = 200;

/// The body of a delivery, as the Standard Webhooks convention shapes it.
#[derive(Serialize)]
struct Payload<'a> {
    /// `graduation.created`, `enrollment.retracted`, …
    #[serde(rename = "type")]
    event_type: String,
    /// When the change happened (the same in every attempt, so the body is too).
    timestamp: chrono::DateTime<chrono::Utc>,
    /// Exactly an item of the change feed.
    data: &'a Change,
}

/// The body delivering `change`.
pub fn body(change: &Change) -> Vec<u8> {
    let action = serde_json::to_value(change.action).expect("an action serialises");
    let payload = Payload {
        event_type: format!("{}.{}", change.kind, action.as_str().unwrap_or_default()),
        timestamp: change.occurred_at,
        data: change,
    };
    serde_json::to_vec(&payload).expect("a change serialises")
}

/// How an attempt went.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: Option<u16>,
    pub latency: Duration,
    /// None when the receiver acknowledged (2xx).
    pub error: Option<String>,
}

/// Sends deliveries: no redirects, no proxies, a deadline per attempt, and connections only
/// to addresses the SSRF guard let through.
pub struct Sender {
    client: reqwest::Client,
    allow: Arc<AllowList>,
    timeout: Duration,
}

impl Sender {
    pub fn new(allow: Arc<AllowList>, timeout: Duration) -> reqwest::Result<Self> {
        let client = reqwest::Client::builder()
            // A redirect would lead the request to a URL nobody checked.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve and connect on our behalf, past the guard.
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver::new(allow.clone())))
            .timeout(timeout)
            .user_agent(concat!("sinergi-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            allow,
            timeout,
        })
    }

    /// POSTs `body` to `url`, signed with `secret` under `message_id`.
    pub async fn send(
        &self,
        url: &str,
        secret: &SigningSecret,
        message_id: &str,
        body: Vec<u8>,
    ) -> Attempt {
        let started = Instant::now();
        let failed = |status: Option<u16>, error: String| Attempt {
            status,
            latency: started.elapsed(),
            error: Some(error),
        };
        // Checked again at every attempt: the operator's allow-list may have changed since
        // the subscription was created. Names are checked by the resolver as they connect.
        let url = match check_url(url, &self.allow) {
            Ok(url) => url,
            Err(refused) => return failed(None, format!("the URL is refused: it {refused}")),
        };
        let timestamp = chrono::Utc::now().timestamp();
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let signature = secret.sign(message_id, timestamp, &body);
        for (name, value) in [
            ("webhook-id", message_id.to_owned()),
            ("webhook-timestamp", timestamp.to_string()),
            ("webhook-signature", signature),
        ] {
            headers.insert(
                name,
                HeaderValue::from_str(&value).expect("ids, numbers and base64 are header-safe"),
            );
        }
        let response = match self
            .client
            .post(url)
            .headers(headers)
            .body(body)
            .send()
            .await
        {
            Ok(response) => response,
            Err(e) => return failed(None, self.describe(&e)),
        };
        let status = response.status();
        if status.is_success() {
            return Attempt {
                status: Some(status.as_u16()),
                latency: started.elapsed(),
                error: None,
            };
        }
        let mut error = format!("HTTP {}", status.as_u16());
        if status.is_redirection() {
            error.push_str(" (redirects are not followed)");
        }
        let answer = read_start(response).await;
        if !answer.is_empty() {
            error.push_str(": ");
            error.push_str(&answer);
        }
        failed(Some(status.as_u16()), error)
    }

    /// The cause of a transport failure, without the URL (its query may hold a token).
    fn describe(&self, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            return format!("no answer within {} ms", self.timeout.as_millis());
        }
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !causes.contains(&text) {
                causes.push(text);
            }
            source = cause.source();
        }
        let what = if e.is_connect() {
            "cannot connect"
        } else {
            "the request failed"
        };
        if causes.is_empty() {
            what.to_owned()
        } else {
            format!("{what}: {}", causes.join(": "))
        }
    }
}

/// The start of an answer's body as one line of text: read only up to
/// [`MAX_ANSWER_BYTES`], control characters replaced, cut at [`MAX_ANSWER_CHARS`].
async fn read_start(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < MAX_ANSWER_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(MAX_ANSWER_BYTES);
    String::from_utf8_lossy(&bytes)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_ANSWER_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}
