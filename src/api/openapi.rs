//! The OpenAPI document: operations come from the registered routes themselves.

use actix_web::App;
use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::api;
use crate::auth::Scope;
use crate::http::problem::PROBLEM_JSON;

mod flattened;
mod links;
pub mod names;
mod projected;
mod typed_feed;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sinergi",
        description = "The exchange through which Indonesian ministries publish and consume \
            graduation records (a family, KPM, leaves social assistance) and program-enrollment \
            records through one shared schema.\n\n\
            Every error is an RFC 9457 problem (`application/problem+json`) whose `instance` is \
            the request id, also sent as the `X-Request-Id` response header. Error details say \
            which part of a request is wrong and why, and never repeat what was sent there.\n\n\
            Every GET operation also answers HEAD (RFC 9110 §9.3.2): the same status and \
            headers, without the body.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "Sinergi maintainers")
    ),
    servers((url = "/", description = "This server")),
    modifiers(&SecuritySchemes),
    components(responses(
        api::problems::BadRequest,
        api::problems::Unauthorized,
        api::problems::Forbidden,
        api::problems::NotCovered,
        api::problems::NotFound,
        api::problems::TooManyRequests,
        api::problems::Unavailable,
        api::problems::InternalError,
        api::problems::PayloadTooLarge,
        api::problems::UnsupportedMediaType,
        api::problems::PreconditionFailed
    )),
    tags(
        (name = "operations", description = "Health, readiness, metrics and this document"),
        (name = "authentication", description = "OAuth 2.0 client credentials and the token signing keys"),
        (name = "reference data", description = "Agencies, programs, purposes of processing and region codes"),
        (name = "graduations", description = "Graduation records (graduasi): a family (KPM) \
            leaves a social-assistance program such as PKH or Sembako. Published by the agency \
            that runs the program, readable by every agency with `graduations:read`."),
        (name = "enrollments", description = "Enrollment records (kepesertaan): a person or \
            family joins a program, often an empowerment program after graduating from \
            social assistance."),
        (name = "changes", description = "The change feed (scope `changes:read`): every \
            created, updated or retracted record version, in order, with long-polling."),
        (name = "subscriptions", description = "Webhooks (scope `subscriptions:write`; \
            creating, enabling and replaying also need `changes:read`, as they start the \
            feed flowing): the change feed pushed to your HTTPS endpoint, in order, signed per \
            the Standard Webhooks convention and retried for at least 24 hours. An agency sees \
            and manages only its own subscriptions."),
        (name = "agreements", description = "Data-sharing agreements (perjanjian kerja sama \
            pertukaran data, UU 27/2022): a provider agency lets a consumer agency read some of \
            its records, for listed purposes, on a lawful basis, until a date. The consumer \
            proposes; the provider approves, suspends or terminates; every version is kept and \
            recorded in the audit log."),
        (name = "referrals", description = "Referrals (rujukan): a graduated family handed to \
            the agencies that may take it up, with deadlines the exchange keeps. The \
            graduation's publisher (or the coordinating ministry) refers; the agencies it is \
            offered to accept (first wins) or decline; the owner enrols the family or releases \
            it; overdue referrals go to fallback agencies or lapse. Every step is a change on \
            the feed (`types=referral`) and reaches webhooks."),
        (name = "households", description = "Households across family-card changes: KK \
            splits (pecah KK), merges, members joining or leaving, renumbering. Records keep the \
            KK they were published with; these events link the cards, and the follow-up watch \
            and `follow_lineage=true` searches follow them."),
        (name = "stats", description = "Aggregate statistics (scope `stats:read`): graduations, \
            enrollments, referrals, follow-up signals and the graduation→enrollment conversion \
            by month, program, agency, province or regency. No NIK, KK or record id; every \
            count below 5 is withheld, and so are the counts it could be computed from."),
        (name = "administration", description = "Operating the exchange (scope `admin`)"),
        (name = "audit", description = "The tamper-evident audit log (scope `audit:read`): \
            every request of a client leaves one entry, durable before its response; requests \
            that name no client are counted in aggregate entries per source address. Entries \
            form an RFC 9162 Merkle tree with signed C2SP checkpoints, so an export can be \
            verified offline with `sinergi audit verify`."),
    )
)]
struct ApiDoc;

/// The OAuth 2.0 client-credentials scheme, with every scope and what it allows.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let scopes = Scopes::from_iter(Scope::ALL.map(|s| (s.as_str(), s.description())));
        let flow = Flow::ClientCredentials(ClientCredentials::new("/oauth/token", scopes));
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "oauth2",
                SecurityScheme::OAuth2(OAuth2::with_description(
                    [flow],
                    "Client credentials (RFC 6749 §4.4) with client_secret_basic, \
                     client_secret_post or private_key_jwt (RFC 7523). Access tokens are EdDSA \
                     JWTs valid for at most 15 minutes; send them as `Authorization: Bearer`.",
                )),
            );
    }
}

/// The recorder wraps every route but the liveness probe (see `audit::recorder`), so every
/// other operation takes the `Sinergi-Purpose` header, refuses a malformed one with 400, and
/// answers 503 when its audit entry cannot be stored. Said once here rather than on each
/// operation, so that no operation can forget it; applied after the routes are registered.
struct AuditedOperations;

impl Modify for AuditedOperations {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{Content, ObjectBuilder, Ref, RefOr, Required, Type};

        let purpose = ParameterBuilder::new()
            .name("Sinergi-Purpose")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Why the caller processes this data (UU 27/2022: processing is bound to a \
                 purpose), recorded in the request's audit entry. A read of another agency's \
                 records must declare a purpose code of `GET /v1/purposes`, as `CODE` or \
                 `CODE: free text`, that a data-sharing agreement in force covers; elsewhere \
                 free text will do. At most 200 characters (UTF-8, or ISO-8859-1), no control \
                 characters, and no NIK or KK (it would be stored in clear: name the purpose, \
                 not the person): no 16 digits in a row, next to letters or not, or grouped by \
                 single spaces, dots, dashes, underscores, colons or slashes; digits inside a \
                 UUID or a hexadecimal id of 32 or more digits do not count. The pattern says \
                 this for ASCII digits, except that it refuses digits inside a hexadecimal id \
                 too; other scripts' digits count as well.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(crate::http::declared::MAX_PURPOSE_CHARS))
                    .pattern(Some(crate::http::declared::purpose_pattern()))
                    .examples(["PEMBERDAYAAN_EKONOMI: verifikasi calon peserta"]),
            ))
            .build();
        doc.components
            .get_or_insert_with(Default::default)
            .parameters
            .insert("SinergiPurpose".into(), RefOr::T(purpose));
        for (path, item) in doc.paths.paths.iter_mut() {
            if crate::http::recorder::UNRECORDED.contains(&path.as_str()) {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(RefOr::Ref(Ref::new(
                        "#/components/parameters/SinergiPurpose",
                    )));
                let responses = &mut operation.responses.responses;
                for (status, name) in [("400", "BadRequest"), ("503", "Unavailable")] {
                    responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
                // An operation with its own 400 body (the token endpoint's OAuth errors) also
                // answers the purpose header's problem.
                if let Some(RefOr::T(bad_request)) = responses.get_mut("400")
                    && !bad_request.content.contains_key(PROBLEM_JSON)
                {
                    bad_request.description.push_str(
                        "; a malformed `Sinergi-Purpose` header is refused with a problem",
                    );
                    bad_request.content.insert(
                        PROBLEM_JSON.into(),
                        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
                    );
                }
            }
        }
    }
}

/// The answers every operation behind a token can give, declared here once rather than on
/// each operation: 401 (no valid token), 429 (the client's rate), 500 and 503, and 403 when
/// the operation needs a scope (`insufficient_scope`, or another agency's resource).
struct AuthenticatedOperations;

impl Modify for AuthenticatedOperations {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Ref, RefOr};

        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let Some(scopes) = operation.security.as_ref().and_then(|requirements| {
                    requirements.iter().find_map(|r| {
                        serde_json::to_value(r)
                            .ok()?
                            .get("oauth2")?
                            .as_array()
                            .map(Vec::len)
                    })
                }) else {
                    continue;
                };
                let mut answers = vec![
                    ("401", "Unauthorized"),
                    ("429", "TooManyRequests"),
                    ("500", "InternalError"),
                    ("503", "Unavailable"),
                ];
                if scopes > 0 {
                    answers.push(("403", "Forbidden"));
                }
                for (status, name) in answers {
                    operation
                        .responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
}

/// The complete document, as served at `/openapi.json` and committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(api::configure)
        .split_for_parts();
    AuthenticatedOperations.modify(&mut doc);
    AuditedOperations.modify(&mut doc);
    links::add(&mut doc);
    projected::add(&mut doc);
    typed_feed::add(&mut doc);
    flattened::merge(&mut doc);
    doc
}

/// The document as pretty JSON with a final newline, byte for byte the committed file.
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    let mut json = doc.to_pretty_json().expect("the document serialises");
    json.push('\n');
    json
}
