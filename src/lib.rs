//! Sinergi: the exchange of graduation and program-enrollment records between ministries.
//!
//! Layers, outside in (each may use those after it, never one before it):
//! `startup`/`cli` (the composition root) → `api` and `http` (actix, the only code that knows
//! HTTP) → `records`, `subscriptions`, `feed`, `auth`, `audit` (the application layer: typed
//! operations with their own errors) → `db` (the only code that knows diesel and the two
//! backends) and `domain` (the shared schema's types, no I/O). README's "Layout" section maps
//! each request to the modules that serve it.

pub mod agreements;
pub mod api;
pub mod audit;
pub mod auth;
pub mod canonical_json;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod db;
pub mod demo;
pub mod domain;
pub mod feed;
pub mod follow_up;
pub mod hex;
pub mod households;
pub mod http;
pub mod records;
pub mod referrals;
pub mod startup;
pub mod stats;
pub mod subscriptions;
pub mod sync;
pub mod telemetry;
