//! Search (roadmap 4): people by name and date of birth, records by words,
//! registration mark or postcode.
//!
//! PostgreSQL is the source of truth; the index is derived through the
//! outbox (`outbox`) and can be rebuilt at any time (`rebuild`). Engines sit
//! behind one trait (`engine`): the embedded Tantivy index by default
//! (`embedded`), Meilisearch when configured (`meili`). Engines find
//! candidates by keys Probity computes (`keys`, `documents`); the matcher
//! (`matching`) ranks them the same way whatever the engine, and `hits`
//! confirms them against the database in the audited transaction.

pub mod documents;
pub mod embedded;
mod embedded_traces;
pub mod engine;
pub mod hits;
pub mod http;
pub mod keys;
pub mod matching;
pub mod meili;
pub mod outbox;
pub mod query;
pub mod rebuild;
pub mod service;
pub mod traces;

pub use service::Search;
