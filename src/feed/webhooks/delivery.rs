//! One delivery attempt: a signed POST, and what came of it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;

use super::signature::SigningSecret;
use super::ssrf::{AllowList, GuardedResolver, Unreachable, check_url};
use crate::feed::read::Change;

/// Most bytes of a public receiver's answer read, for the error text of a failed attempt.
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
    /// None when the receiver acknowledged (2xx). It never repeats the URL, its host or
    /// the addresses the host resolves to.
    pub error: Option<String>,
}

/// Sends deliveries: no redirects, no proxies, a deadline per attempt, and connections only
/// to addresses the SSRF guard let through.
///
/// The deadline is one `tokio` timer around the whole attempt, not a setting of the HTTP
/// client: resolving the host, connecting, the TLS handshake, sending, waiting for the
/// answer and reading its start all count. A receiver that accepts the connection and
/// never answers, or never finishes the handshake, thus fails the attempt at the deadline
/// like any other, and frees its agency's and host's share of the attempts in flight.
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
        let deadline = tokio::time::Instant::from_std(started + self.timeout);
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
        // An allow-listed receiver may be an internal service the subscriber could not
        // reach otherwise: its answer is not passed on, lest webhooks read the inside of
        // the exchange's network.
        let show_answer = !self.allow.exempts(&url);
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
        let sent = self.client.post(url).headers(headers).body(body).send();
        let response = match tokio::time::timeout_at(deadline, sent).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return failed(None, describe(&e)),
            Err(_) => {
                let waited = self.timeout.as_millis();
                return failed(None, format!("no answer within {waited} ms"));
            }
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
        if show_answer {
            let answer = read_start(response, deadline).await;
            if !answer.is_empty() {
                error.push_str(": ");
                error.push_str(&answer);
            }
        }
        failed(Some(status.as_u16()), error)
    }
}

/// The cause of a transport failure in words of our own. The errors underneath may repeat
/// the host (a TLS certificate error names it and the names the certificate holds), and the
/// URL's query may hold a token: none of their text is passed on.
fn describe(e: &reqwest::Error) -> String {
    use std::io::ErrorKind;
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if let Some(unreachable) = cause.downcast_ref::<Unreachable>() {
            return unreachable.to_string();
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            let what = match io.kind() {
                ErrorKind::ConnectionRefused => "the connection was refused",
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                    "the host is unreachable"
                }
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof => "the connection was closed before an answer",
                // How rustls reports a failed handshake, a bad certificate included.
                ErrorKind::InvalidData if e.is_connect() => {
                    "the TLS handshake failed (is the certificate valid for the host?)"
                }
                _ if e.is_connect() => "cannot connect",
                _ => "the request failed",
            };
            return what.into();
        }
        source = cause.source();
    }
    if e.is_connect() {
        "cannot connect".into()
    } else {
        "no valid HTTP answer (the connection closed or the answer was malformed)".into()
    }
}

/// The start of an answer's body as one line of text: read only up to
/// [`MAX_ANSWER_BYTES`] and until `deadline`, control characters replaced, cut at
/// [`MAX_ANSWER_CHARS`].
async fn read_start(mut response: reqwest::Response, deadline: tokio::time::Instant) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < MAX_ANSWER_BYTES {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => bytes.extend_from_slice(&chunk),
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

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    use super::*;

    /// A receiver on 127.0.0.1 that answers one connection with `head`, then `body`
    /// `repeats` times or until the client hangs up; answers its URL and, once it is done,
    /// how many bytes of the body it could write.
    fn serve(
        head: &'static [u8],
        body: &'static [u8],
        repeats: usize,
    ) -> (String, mpsc::Receiver<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/hooks",
            listener.local_addr().unwrap().port()
        );
        let (done, written) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 16 * 1024];
            let _ = stream.read(&mut request);
            let mut sent = 0;
            if stream.write_all(head).is_ok() {
                for _ in 0..repeats {
                    if stream.write_all(body).is_err() {
                        break;
                    }
                    sent += body.len();
                }
            }
            done.send(sent).ok();
        });
        (url, written)
    }

    fn sender(allow: AllowList) -> Sender {
        Sender::new(Arc::new(allow), Duration::from_secs(5)).unwrap()
    }

    async fn attempt(sender: &Sender, url: &str) -> Attempt {
        sender
            .send(url, &SigningSecret::generate(), "id-1", b"{}".to_vec())
            .await
    }

    #[tokio::test]
    async fn a_host_that_resolves_inward_fails_without_naming_the_host_or_its_address() {
        let attempt = attempt(
            &sender(AllowList::default()),
            "https://localhost:9/hooks?kk=3201012308150007",
        )
        .await;
        assert_eq!(attempt.status, None);
        assert_eq!(
            attempt.error.as_deref(),
            Some("the host resolves to a non-public address")
        );
    }

    #[tokio::test]
    async fn an_allow_listed_receiver_shows_only_its_status() {
        let (url, _) = serve(
            b"HTTP/1.1 500 Oops\r\ncontent-length: 26\r\nconnection: close\r\n\r\n",
            b"{\"AccessKeyId\": \"ASIA...\"}",
            1,
        );
        let attempt = attempt(&sender(AllowList::new(["127.0.0.1"])), &url).await;
        assert_eq!(attempt.status, Some(500));
        assert_eq!(attempt.error.as_deref(), Some("HTTP 500"));
    }

    #[tokio::test]
    async fn only_the_start_of_an_answer_is_read_however_long_it_is() {
        // OWASP API10: a gibibyte-long answer costs a few KiB. (Only a public receiver's
        // answer is read, and tests reach none: read_start is called directly.)
        const CHUNK: &[u8] = &[b'x'; 64 * 1024];
        let (url, written) = serve(
            b"HTTP/1.1 500 Endless\r\ncontent-length: 1073741824\r\nconnection: close\r\n\r\n",
            CHUNK,
            16 * 1024,
        );
        let response = reqwest::Client::new().get(&url).send().await.unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let text = read_start(response, deadline).await;
        assert_eq!(text, "x".repeat(MAX_ANSWER_CHARS));
        // The receiver stops writing once the connection is dropped; the connection's task
        // runs on this thread, so wait without blocking it.
        let written = loop {
            match written.try_recv() {
                Ok(written) => break written,
                Err(mpsc::TryRecvError::Empty) => {
                    tokio::time::sleep(Duration::from_millis(10)).await
                }
                Err(e) => panic!("the receiver stopped: {e}"),
            }
        };
        assert!(written < 1 << 30, "the whole answer was read");
    }
}
