//! Bulk import from legacy systems: NDJSON, one record per line.

use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A line that could not be written, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LineError {
    /// 1-based line number in the upload.
    pub line: u64,
    pub errors: Vec<FieldError>,
}

/// Progress and result of one upload. `GET /api/v1/imports/{id}` shows it
/// while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub id: Uuid,
    pub record_type: String,
    pub source_system: String,
    pub status: String,
    pub lines_read: i64,
    /// Records written by this upload.
    pub written: i64,
    /// Lines already imported earlier (same source system and source id).
    pub already_imported: i64,
    pub failed: i64,
    /// The first failures (up to 1,000), each with its line number.
    pub errors: Vec<LineError>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub const MAX_REPORTED_ERRORS: usize = 1000;
