//! Types and rules shared by the Probity server and its browser app.
//!
//! One rule, enforced twice: the Leptos form calls these parsers to show
//! messages before submit, and the server calls the same parsers again before
//! anything is written. This crate must never depend on server-only crates
//! (Diesel, actix): the test command builds it for wasm32 and checks that.

pub mod audit;
pub mod auth;
pub mod codes;
pub mod codes_police;
pub mod error;
pub mod events;
pub mod ids;
pub mod imports;
pub mod justification;
pub mod links;
pub mod locations;
pub mod objects;
pub mod organisations;
pub mod page;
pub mod people;
pub mod permissions;
pub mod profile;
pub mod rights;
pub mod rules;
pub mod search;
pub mod users;

#[cfg(feature = "server")]
pub use utoipa;
