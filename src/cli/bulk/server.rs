//! The exchange as `sinergi validate --server` and `sinergi push` call it: a
//! client-credentials token kept until shortly before it expires and fetched again after a
//! `401`, and requests tried again, with exponential back-off honouring `Retry-After`, when
//! the server is busy (`429`, `503`) or cannot be reached. Every upsert is idempotent, so a
//! batch whose answer was lost may be sent again.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::code::AgencyCode;
use crate::domain::record::RecordKind;
use crate::domain::reference::Program;
use crate::records::batch::BatchItemResult;

/// Tries of one request before giving up (the push can then be resumed).
const ATTEMPTS: u32 = 8;
/// The first wait; each next one doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The longest `Retry-After` waited for; a longer one is taken as this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
/// A token is renewed this long before it expires, so that none expires on the way.
const RENEW_BEFORE: Duration = Duration::from_secs(30);

pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
}

pub struct Server {
    http: Client,
    /// The base URL without a trailing slash.
    base: String,
    credentials: Credentials,
    token: Option<Token>,
}

struct Token {
    value: String,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

impl Server {
    pub fn new(base: &str, credentials: Credentials) -> anyhow::Result<Self> {
        let url = url::Url::parse(base).with_context(|| format!("--server {base}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            bail!("--server {base}: must be an http or https URL");
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name == "localhost",
            None => false,
        };
        if url.scheme() == "http" && !loopback {
            eprintln!(
                "warning: {base} is plain http: the records' NIKs and the client secret travel \
                 unencrypted; use https"
            );
        }
        let http = Client::builder()
            // A redirect would take the records and the token to a URL nobody gave.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            // A batch of 1,000 records is written in one transaction; give it time.
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("sinergi-cli/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            credentials,
            token: None,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The agency of the client, which publishes whatever it sends.
    pub fn agency(&mut self) -> anyhow::Result<AgencyCode> {
        #[derive(Deserialize)]
        struct Identity {
            agency: AgencyCode,
        }
        let url = format!("{}/v1/whoami", self.base);
        let answer = self.send("GET /v1/whoami", true, |http| http.get(&url))?;
        Ok(success(answer, "GET /v1/whoami")?
            .json::<Identity>()?
            .agency)
    }

    /// Every program the exchange knows, as `records::checks::References` takes them.
    pub fn programs(&mut self) -> anyhow::Result<Vec<Program>> {
        #[derive(Deserialize)]
        struct Programs {
            items: Vec<Program>,
        }
        let url = format!("{}/v1/programs", self.base);
        let answer = self.send("GET /v1/programs", true, |http| http.get(&url))?;
        Ok(success(answer, "GET /v1/programs")?
            .json::<Programs>()?
            .items)
    }

    /// Publishes `items` in one batch; one result per item, in their order.
    pub fn publish(
        &mut self,
        kind: RecordKind,
        items: &[Value],
    ) -> anyhow::Result<Vec<BatchItemResult>> {
        #[derive(Deserialize)]
        struct Results {
            results: Vec<BatchItemResult>,
        }
        let what = format!("POST /v1/{}/batch", kind.collection());
        let url = format!("{}/v1/{}/batch", self.base, kind.collection());
        let body = json!({ "items": items });
        let answer = self.send(&what, true, |http| http.post(&url).json(&body))?;
        if answer.status() == StatusCode::PAYLOAD_TOO_LARGE {
            bail!(
                "{what}: the server refused a batch this large (413); give a smaller --batch-size"
            );
        }
        let results = success(answer, &what)?.json::<Results>()?.results;
        if results.len() != items.len() {
            bail!(
                "{what}: the server answered {} results for {} items",
                results.len(),
                items.len()
            );
        }
        Ok(results)
    }

    /// The current token, fetched when there is none or it is about to expire.
    fn token(&mut self) -> anyhow::Result<String> {
        if let Some(token) = &self.token
            && Instant::now() < token.renew_at
        {
            return Ok(token.value.clone());
        }
        let url = format!("{}/oauth/token", self.base);
        let (id, secret) = (
            self.credentials.client_id.clone(),
            self.credentials.client_secret.clone(),
        );
        let answer = self.send("POST /oauth/token", false, |http| {
            http.post(&url)
                .basic_auth(&id, Some(&secret))
                .form(&[("grant_type", "client_credentials")])
        })?;
        if answer.status() == StatusCode::UNAUTHORIZED {
            bail!(
                "the server refused the client credentials of {}: check --client-id and the \
                 secret (SINERGI_CLIENT_SECRET or --client-secret)",
                self.credentials.client_id
            );
        }
        let answer: TokenAnswer = success(answer, "POST /oauth/token")?.json()?;
        let lifetime = Duration::from_secs(answer.expires_in);
        self.token = Some(Token {
            value: answer.access_token.clone(),
            renew_at: Instant::now() + keep_for(lifetime),
        });
        Ok(answer.access_token)
    }

    /// Sends the request `build` makes until it gets an answer to keep: tried again after
    /// `429`, `503` and failures to connect or to hear back, and once with a new token after
    /// a `401` when `authorized`.
    fn send(
        &mut self,
        what: &str,
        authorized: bool,
        build: impl Fn(&Client) -> RequestBuilder,
    ) -> anyhow::Result<Response> {
        let mut renewed = false;
        let mut attempt = 0;
        loop {
            let mut request = build(&self.http);
            if authorized {
                request = request.bearer_auth(self.token()?);
            }
            let (why, retry_after) = match request.send() {
                Ok(answer) if authorized && answer.status() == StatusCode::UNAUTHORIZED => {
                    if renewed {
                        bail!("{what}: the server refused a token it had just issued (401)");
                    }
                    // Revoked or expired early (a rotated secret, a rotated key): once more
                    // with a new one.
                    self.token = None;
                    renewed = true;
                    continue;
                }
                Ok(answer)
                    if matches!(
                        answer.status(),
                        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
                    ) =>
                {
                    (
                        format!("answered {}", answer.status()),
                        retry_after(&answer),
                    )
                }
                Ok(answer) => return Ok(answer),
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() => {
                    (format!("could not be reached ({})", causes(&e)), None)
                }
                Err(e) => return Err(e).context(what.to_owned()),
            };
            attempt += 1;
            if attempt >= ATTEMPTS {
                bail!("{what}: the server {why}; gave up after {attempt} tries");
            }
            let wait = backoff(attempt, retry_after);
            eprintln!(
                "{what}: the server {why}; trying again in {} s",
                wait.as_secs_f32()
            );
            std::thread::sleep(wait);
        }
    }
}

/// An error and its causes, `reqwest`'s own line being only "error sending request".
fn causes(e: &dyn std::error::Error) -> String {
    let mut said = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        said.push(cause.to_string());
        source = cause.source();
    }
    said.join(": ")
}

/// How long to wait before try `attempt` + 1 (`attempt` from 1): `Retry-After` when the
/// server gave one, else 1 s doubling each time, at most a minute.
fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    match retry_after {
        Some(wait) => wait.min(MAX_RETRY_AFTER),
        None => FIRST_BACKOFF
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(MAX_BACKOFF),
    }
}

/// How long a token with this lifetime is used: until [`RENEW_BEFORE`] its end, or half its
/// lifetime when that is short.
fn keep_for(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(RENEW_BEFORE).max(lifetime / 2)
}

/// `Retry-After` in seconds (the form the exchange sends).
fn retry_after(answer: &Response) -> Option<Duration> {
    let seconds = answer
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// The answer when it is a success; otherwise an error with the server's problem: its
/// title, detail and field errors are the server's words, which never repeat what was sent.
fn success(answer: Response, what: &str) -> anyhow::Result<Response> {
    let status = answer.status();
    if status.is_success() {
        return Ok(answer);
    }
    let problem: Value = answer.json().unwrap_or(Value::Null);
    let mut said: Vec<String> = ["title", "detail", "error_description"]
        .iter()
        .filter_map(|key| problem.get(*key).and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    said.dedup();
    bail!("{what}: the server answered {status}: {}", said.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_second_up_to_a_minute() {
        let waits: Vec<u64> = (1..=8).map(|a| backoff(a, None).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(backoff(40, None), MAX_BACKOFF);
    }

    #[test]
    fn retry_after_is_honoured_within_reason() {
        let wait = |s| backoff(1, Some(Duration::from_secs(s)));
        assert_eq!(wait(7), Duration::from_secs(7));
        assert_eq!(
            wait(120),
            Duration::from_secs(120),
            "longer than the back-off"
        );
        assert_eq!(wait(0), Duration::ZERO);
        assert_eq!(wait(86_400), MAX_RETRY_AFTER);
    }

    #[test]
    fn a_token_is_renewed_shortly_before_it_expires() {
        let keep = |s| keep_for(Duration::from_secs(s)).as_secs();
        assert_eq!(keep(900), 870);
        assert_eq!(keep(60), 30);
        assert_eq!(keep(20), 10, "a short token lives half its life");
        assert_eq!(keep(0), 0);
    }
}
