//! HEAD, as RFC 9110 §9.3.2 has it: the answer GET would give, without its body.
//!
//! actix-web routes by method, so a HEAD request is routed as the GET it stands for. actix-
//! http knows the request was HEAD from the moment it parsed it, and sends the GET answer's
//! status and headers without the body. Logs and the audit log, which look at the request
//! before this layer, still see HEAD.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
