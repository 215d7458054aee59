//! The recorder: a middleware around every route that opens each request's audit trail,
//! hands it to handlers (the `Trail` extractor), and makes the request's entry durable
//! before the response leaves — or, for a request that named no client, counts it in an
//! aggregate (`audit::anonymous`), held in memory until its window ends. A response whose entry cannot be stored is replaced by
//! 503, and nothing was changed: writes store their own entry in their transaction
//! (`audit::write`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, ResponseError, web};

use super::declared;
use super::request_id::RequestId;
use super::source_address;
use super::state::AppState;
use crate::audit::report::Touched;
use crate::audit::trail::{Arrival, Trail};
use crate::audit::writer::Recorder;
use crate::auth::rate_limit::retry_after_secs;
use crate::http::problem::ApiError;

/// Paths that are not recorded: the liveness probe must answer while the database is down
/// (otherwise an outage makes the orchestrator restart every instance), and it touches no
/// data.
pub const UNRECORDED: [&str; 1] = ["/healthz"];

/// The token endpoint, whose requests may carry their credentials in the form.
const TOKEN_ROUTE: &str = "/oauth/token";

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if UNRECORDED.contains(&req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("the app state is registered")
        .clone();
    let recorder = &state.recorder;
    let source = source_address::of_service(&req);
    let address_key = source_address::limit_key(source);
    let declared = declared::purpose(&req);
    let arrival = Arrival {
        time: chrono::Utc::now(),
        request_id: req
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default(),
        method: super::echo::method(req.method()).to_owned(),
        // Matched against the path the router sees (`%76` read as `v`), not the raw one,
        // which `match_pattern` would use before routing.
        route: req
            .request()
            .resource_map()
            .match_pattern(req.match_info().as_str()),
        purpose: declared.as_ref().ok().cloned().flatten(),
        source_address: source.map(|ip| ip.to_string()),
    };
    let at = arrival.time;
    let token_request = arrival.route.as_deref() == Some(TOKEN_ROUTE);
    let trail = Trail::open(arrival, recorder.keys().clone());
    req.extensions_mut().insert(trail.clone());

    // A request without credentials that hold (none, or a token refused with 401) is held to
    // its address's allowance before it is served, so that a made-up token is no way around
    // it. The token endpoint has limits of its own.
    let refused = if token_request
        || super::caller::vouched_for(req.request(), &state.auth).await
        || crate::console::session::vouched_for(req.request(), &state).await
    {
        None
    } else {
        recorder
            .anonymous()
            .admit(&address_key)
            .err()
            .map(|wait| ApiError::TooManyRequests {
                retry_after_secs: retry_after_secs(wait),
            })
    };
    let outcome = match refused.or(declared.err()) {
        Some(problem) => {
            let (req, _) = req.into_parts();
            Ok(ServiceResponse::new(req, problem.error_response()))
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
    };
    // An error no handler turned into a response is recorded with the status it becomes.
    let status = match &outcome {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    }
    .as_u16();
    if trail.is_anonymous() {
        let entry = trail.pending().finish(status, &Touched::default());
        recorder.anonymous().count(&entry, &address_key, at);
        return outcome;
    }
    if status == 503 {
        record_later(recorder, &trail, status);
        return outcome;
    }
    match (record(recorder, &trail, status).await, outcome) {
        (Ok(()), outcome) => outcome,
        (Err(unavailable), Ok(response)) => {
            let (req, _) = response.into_parts();
            Ok(ServiceResponse::new(req, unavailable.error_response()))
        }
        (Err(unavailable), Err(_)) => Err(unavailable.into()),
    }
}

/// Queues the entry of a 503 answer without waiting for it to be stored. A 503 disclosed
/// and changed nothing, and the database being away is its likeliest cause, which would make
/// the entry wait for the pool timeout a second time: clients learn of an outage within one
/// pool timeout instead. The entry is stored with the writer's next commit; if that
/// fails too, the writer logs the loss, as for any entry.
fn record_later(recorder: &Recorder, trail: &Trail, status: u16) {
    if trail.recorded().is_some() {
        return;
    }
    let entry = trail
        .pending()
        .finish(status, &Touched::default())
        .canonical_text();
    if let Err(e) = recorder.submit(entry) {
        tracing::error!(error = %e, "the audit entry of a 503 answer was not queued");
    }
}

/// Makes the request's entry durable, unless its write transaction already did.
async fn record(recorder: &Recorder, trail: &Trail, status: u16) -> Result<(), ApiError> {
    if let Some(recorded) = trail.recorded() {
        // The write committed with its entry, and then something failed on the way out
        // (rendering the answer): the entry tells what was done, the log tells this.
        if recorded != status {
            tracing::warn!(
                recorded,
                status,
                "a write's audit entry records another status than its response"
            );
        }
        return Ok(());
    }
    let entry = trail
        .pending()
        .finish(status, &Touched::default())
        .canonical_text();
    recorder
        .store(entry)
        .await
        .map_err(ApiError::AuditUnavailable)
}

/// The request's trail, if the recorder opened one.
pub fn trail_of(req: &HttpRequest) -> Option<Trail> {
    req.extensions().get::<Trail>().cloned()
}

impl FromRequest for Trail {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The recorder wraps every route; a request without a trail is a wiring bug, and
        // serving it unrecorded would break the log's promise.
        std::future::ready(
            trail_of(req).ok_or(ApiError::Internal("the request has no audit trail")),
        )
    }
}
