//! Staff accounts as administrators manage them: create, list, disable,
//! re-enable. Account changes are audited as administration.

pub mod admin;
pub mod store;
