//! Erasure of every copy (DPA 2018 s.47): a plan first (`plan`, worked out
//! from the links by `scope`, with the passages of kept text that name the
//! person found by `values`), then the act in one audited transaction
//! (`execute`), the index purge, a probe of everything that could still hold
//! the person (`probe`), and a certificate whose hash the log keeps
//! (`certificate`). The `ledger` keeps a restored backup from bringing
//! anyone back.

pub mod certificate;
pub mod execute;
pub mod http;
pub mod ledger;
pub mod plan;
pub mod probe;
pub mod scope;
pub mod values;
