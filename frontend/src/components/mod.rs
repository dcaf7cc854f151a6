//! Pieces the pages are built from.

pub mod confirm;
pub mod download;
pub mod error_banner;
pub mod error_summary;
pub mod field;
pub mod file_offer;
pub mod form;
pub mod loaded_pages;
pub mod record_links;
pub mod record_ref;
pub mod shell;
pub mod statements;
pub mod working_context;
