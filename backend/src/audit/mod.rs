//! The audit log required by DPA 2018 s.62: the one choke point.
//!
//! Data-access functions take a [`Tx`], which only [`run`] can create, and
//! return [`Audited`] values, whose contents only [`run`] can unwrap, after it
//! has written their events in the same transaction. So no handler can reach
//! personal data without its audit event, and if the event cannot be written
//! the whole operation rolls back (fail closed).
//!
//! Events hold identifiers and codes only, never personal values.

mod canonical;
mod event;
pub mod rows;
pub mod seal;
mod store;
mod tx;
pub mod verify;

pub use canonical::{chain_link, checkpoint_message};
pub use event::{AuditEvent, Operation, Outcome, RecordRef, StampedEvent};
pub use store::record_refusal;
pub use tx::{Audited, Tx, run};
