//! Logs: JSON lines on stdout, filtered by `SINERGI_LOG`.
//!
//! Nothing a client sent may appear in a log line, and a client must not be able to flood the
//! log. The service's own lines are written that way (`http::logging`); this module also
//! keeps actix-http's lines about the HTTP protocol in check (see [`HttpLayerEvents`]).

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Least time between two reports of unparseable requests.
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// Installs the global subscriber; a second call (tests) is a no-op.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|e| {
        eprintln!("SINERGI_LOG {filter:?} is not a valid filter ({e}); using \"info\"");
        EnvFilter::new("info")
    });
    let refused = Arc::new(AtomicU64::new(0));
    let format = tracing_subscriber::fmt::layer()
        .json()
        .with_span_events(FmtSpan::NONE)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(std::io::stdout);
    let installed = tracing_subscriber::registry()
        .with(HttpLayerEvents {
            refused: refused.clone(),
        })
        .with(format.with_filter(filter))
        .try_init();
    if installed.is_ok() {
        report_refused(refused);
    }
}

/// actix-http, which parses requests before any of the service's code sees them, logs a
/// request it cannot parse at ERROR (`stream error: request parse error: …`), and at DEBUG
/// quotes header values it refused (`illegal Content-Length: "…"`). The first lets any
/// client flood the error log with its own mistakes, the second repeats what a client sent.
/// So its lines below WARN are dropped whatever `SINERGI_LOG` says, and the requests it could
/// not parse are counted instead and reported at WARN at most once a minute.
struct HttpLayerEvents {
    refused: Arc<AtomicU64>,
}

impl<S: Subscriber> Layer<S> for HttpLayerEvents {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let meta = event.metadata();
        if !meta.target().starts_with("actix_http") {
            return true;
        }
        if *meta.level() > Level::WARN {
            return false;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if is_client_error(&message.0) {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        true
    }
}

/// The messages actix-http logs for a request that broke the protocol: a head it could not
/// parse, a body it could not decode, a head larger than its buffer.
fn is_client_error(message: &str) -> bool {
    message.starts_with("stream error") || message.starts_with("MAX_BUFFER_SIZE")
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        }
    }
}

/// Reports the count of unparseable requests from a thread of its own: an event logged from
/// inside the subscriber would be dropped by tracing, which does not dispatch re-entrantly.
fn report_refused(refused: Arc<AtomicU64>) {
    let spawned = std::thread::Builder::new()
        .name("log-reports".into())
        .spawn(move || {
            let mut last: Option<Instant> = None;
            loop {
                std::thread::sleep(Duration::from_secs(1));
                if last.is_some_and(|at| at.elapsed() < REPORT_EVERY) {
                    continue;
                }
                let count = refused.swap(0, Ordering::Relaxed);
                if count > 0 {
                    last = Some(Instant::now());
                    tracing::warn!(
                        requests = count,
                        "requests the HTTP layer could not parse were refused with 400 \
                         (counted, not logged one by one)"
                    );
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "unparseable requests will not be reported");
    }
}
