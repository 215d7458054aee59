//! The HTTP API: one module per resource, thin handlers that extract, call and map.
//!
//! Owns the routes, their `#[utoipa::path]` documentation ([`openapi`] assembles the
//! document from the registrations in [`configure`]), typed path ids ([`ids`]) and the mapping
//! of every layer's error to a problem ([`errors`]). It must not decide anything a rule of
//! the exchange decides (who may do what, what is valid, what is written): that is the
//! application layer's, which it calls. It never touches the database directly.

pub mod admin_clients;
pub mod agreements;
pub mod audit;
pub mod changes;
pub mod enrollments;
mod errors;
pub mod follow_up;
pub mod graduations;
pub mod households;
mod ids;
pub mod oauth;
pub mod openapi;
pub mod ops;
pub mod problems;
pub mod purposes;
pub mod records;
pub mod reference;
pub mod referrals;
pub mod regions;
pub mod stats;
pub mod subscriptions;
pub mod whoami;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every route together with its OpenAPI operation, so the two cannot drift.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ops::get_healthz)
        .service(ops::get_readyz)
        .service(ops::get_metrics)
        .service(ops::get_openapi)
        .service(reference::list_agencies)
        .service(reference::list_programs)
        .service(reference::get_program)
        .service(purposes::list_purposes)
        .service(purposes::create_purpose)
        .service(regions::get_region)
        .service(oauth::post_token)
        .service(oauth::get_jwks)
        .service(whoami::get_whoami)
        .service(admin_clients::create_client)
        .service(admin_clients::list_clients)
        .service(admin_clients::get_client)
        .service(admin_clients::disable_client)
        .service(admin_clients::rotate_client_secret)
        .service(agreements::propose_agreement)
        .service(agreements::list_agreements)
        .service(agreements::get_agreement)
        .service(agreements::amend_agreement)
        .service(agreements::agreement_versions)
        .service(agreements::approve_agreement)
        .service(agreements::suspend_agreement)
        .service(agreements::terminate_agreement)
        .service(referrals::create_referral)
        .service(referrals::list_referrals)
        .service(referrals::get_referral)
        .service(referrals::transition_referral)
        .service(referrals::list_referral_reasons)
        .service(follow_up::list_follow_up)
        .service(stats::get_stats)
        .service(households::record_household_event)
        .service(households::household_lineage)
        .service(graduations::publish_graduation)
        .service(graduations::publish_graduation_batch)
        .service(graduations::search_graduations)
        .service(graduations::get_graduation)
        .service(graduations::graduation_history)
        .service(graduations::retract_graduation)
        .service(enrollments::publish_enrollment)
        .service(enrollments::publish_enrollment_batch)
        .service(enrollments::search_enrollments)
        .service(enrollments::get_enrollment)
        .service(enrollments::enrollment_history)
        .service(enrollments::retract_enrollment)
        .service(changes::list_changes)
        .service(subscriptions::create_subscription)
        .service(subscriptions::list_subscriptions)
        .service(subscriptions::get_subscription)
        .service(subscriptions::delete_subscription)
        .service(subscriptions::replay_subscription)
        .service(subscriptions::enable_subscription)
        .service(subscriptions::list_deliveries)
        .service(audit::list_entries)
        .service(audit::export_entries)
        .service(audit::get_checkpoint)
        .service(audit::inclusion_proof)
        .service(audit::consistency_proof)
        .service(audit::get_public_key);
}
