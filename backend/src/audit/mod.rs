//! The audit log required by DPA 2018 s.62: the one choke point.
//!
//! Data-access functions take a [`Tx`], which only [`run`] can create, and
//! return [`Audited`] values, whose contents only [`run`] can unwrap, after it
//! has written their events in the same transaction. So no handler can reach
//! personal data without its audit event, and if the event cannot be written
//! the whole operation rolls back (fail closed).
//!
//! Events hold identifiers and codes only, never personal values.

mod agent;
mod canonical;
mod event;
pub mod merkle;
pub mod proofs;
pub mod restore;
pub mod rows;
pub mod seal;
mod store;
pub mod texts;
mod tx;
pub mod verify;
pub mod witness;
pub mod witness_serve;

pub use canonical::{CheckpointStatement, chain_link};
pub use event::{AuditEvent, Operation, Outcome, RecordRef, StampedEvent, canonical_prefix};
pub use store::record_refusal;
pub use tx::{Audited, Tx, run};
