//! One module per screen.

pub mod audit;
pub mod erasure;
pub mod events;
pub mod locations;
pub mod not_found;
pub mod objects;
pub mod people_list;
pub mod person_form;
pub mod person_view;
pub mod restrictions;
pub mod retention;
pub mod rights;
pub mod search;
pub mod sign_in;
