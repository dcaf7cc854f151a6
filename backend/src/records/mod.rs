//! Objects, locations and events (the O, L and E of POLE): one table, one
//! store and one visibility rule, with each family's rules and shapes in the
//! `shared` crate. People keep their own table and module.

pub mod events;
pub mod family;
pub mod handlers;
mod http;
pub mod links;
pub mod locations;
pub mod objects;
pub mod policy;
pub mod restriction;
pub mod restriction_http;
pub mod store;
pub mod visibility;

pub use family::{Family, Prepared};
