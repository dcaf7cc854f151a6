//! The audit log as auditors and data protection officers use it: search,
//! verify, checkpoints and export for the Information Commissioner. Only
//! `audit.read` may use it, and every use is itself audited (s.62(4)).

pub mod checkpoints;
pub mod events;
pub mod export;
pub mod verify;
