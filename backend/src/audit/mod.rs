//! The audit log required by DPA 2018 s.62: the one choke point.
//!
//! Data-access functions take a [`Tx`], which only [`run`] can create, and
//! return [`Audited`] values, whose contents only [`run`] can unwrap, after it
//! has written their events in the same transaction. So no handler can reach
//! personal data without its audit event, and if the event cannot be written
//! the whole operation rolls back (fail closed).
//!
//! Events hold identifiers and codes only, never personal values.

mod event;
mod store;
mod tx;

pub use event::{AuditEvent, Operation, Outcome, RecordRef};
pub use store::record_refusal;
pub use tx::{Audited, Tx, run};
