//! One JSON log line per request, without anything that could hold personal data.
//!
//! tracing-actix-web's default span records the full target, whose query string may carry a
//! NIK; this builder records the route template instead, and never headers or bodies.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

use super::request_id::RequestId;

pub struct SafeRootSpan;

impl RootSpanBuilder for SafeRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request.id = %id,
            http.method = super::echo::method(request.method()),
            http.route = tracing::field::Empty,
            http.status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (route, status) = match outcome {
            Ok(res) => (res.request().match_pattern(), res.status()),
            Err(e) => (None, e.as_response_error().status_code()),
        };
        let route = route.unwrap_or_else(|| "unmatched".into());
        span.record("http.route", route.as_str());
        span.record("http.status", status.as_u16());
        span.in_scope(|| tracing::info!("request completed"));
    }
}
