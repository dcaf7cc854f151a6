//! Pieces the pages are built from.

pub mod error_banner;
pub mod field;
pub mod shell;
pub mod working_context;
