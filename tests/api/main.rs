//! The integration tests, as one test binary: each module was a test crate of its own,
//! and each of those linked the whole service again, which was most of the build time.
//! Tests that must not share this process live beside it (see `tests/slow_clients.rs`).
//!
//! Every test here runs in one process, on as many threads as the test harness chooses, so
//! nothing may set process-wide state (environment variables, resource limits, a global
//! subscriber) or depend on running alone; each test starts its own server or child process
//! over a database of its own (`common`).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod admin_clients;
mod agreement_reads;
mod agreements;
mod anonymous_traffic;
mod audit_log;
mod audit_merkle;
mod auth;
mod authorization_walk;
mod changes;
mod cli;
mod cli_audit;
mod cli_bulk;
mod cli_clients;
mod console;
mod faults;
mod follow_up;
mod guide;
mod hostile_input;
mod households;
mod http_foundations;
mod integrators;
mod keys;
mod migrations;
mod no_echo;
mod openapi;
mod records_bad_input;
mod records_publish;
mod records_search;
mod reference_data;
mod referrals;
mod route_inventory;
mod schemathesis;
mod security_headers;
mod shutdown;
mod stats;
mod token_fuzz;
mod unparsed_requests;
mod webhooks;
