//! Sinergi: the exchange of graduation and program-enrollment records between ministries.

pub mod api;
pub mod audit;
pub mod auth;
pub mod canonical_json;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod feed;
pub mod http;
pub mod records;
pub mod startup;
pub mod subscriptions;
pub mod sync;
pub mod telemetry;
