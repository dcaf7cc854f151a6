//! Probity's server: a REST API for police records that is lawful by
//! construction. See ARCHITECTURE.md for the shape and the request path.

pub mod api_clients;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod body;
pub mod config;
pub mod db;
pub mod demo;
pub mod erasure;
pub mod error;
pub mod health;
pub mod idempotency;
pub mod imports;
pub mod justification;
pub mod metrics;
pub mod openapi;
pub mod organisations;
pub mod oversight;
pub mod pdf;
pub mod people;
pub mod records;
pub mod retention;
pub mod rights;
pub mod routes;
pub mod search;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod users;
