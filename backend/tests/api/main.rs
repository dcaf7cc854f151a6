//! Integration tests: the real application against real PostgreSQL, a fresh
//! database per test cloned from a migrated template. One test binary, so
//! the template is built once per run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod audit;
mod audit_integrity;
mod audit_tamper;
mod auth;
mod bad_input;
mod erasure;
mod hardening;
mod imports;
mod operations;
mod people;
mod permissions;
mod record_kinds;
mod records;
mod restore;
mod restriction;
mod retention;
mod rights;
mod rights_changes;
mod route_matrix;
mod search;
mod search_conformance;
mod search_recovery;
mod support;
