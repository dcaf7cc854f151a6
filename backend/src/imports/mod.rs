//! Bulk import from legacy systems: NDJSON, one record per line, streamed so
//! a million people never sit in memory at once.
//!
//! Each line carries `source_id` (the record's id in the old system) beside
//! the fields of the record type's create body. Lines are validated by the
//! same shared rules as the forms, then written in batches: a line is either
//! fully written (with its own collection event citing the import batch) or
//! reported with its line number and field errors. Re-running an upload
//! skips lines already imported from the same source system.

pub mod cli;
pub mod http;
mod lines;
mod people;
mod records;

use crate::auth::RequestContext;
use crate::db::schema::imports;
use crate::error::ApiError;
use crate::state::AppState;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{FieldError, FieldErrors};
use shared::imports::{ImportReport, LineError, MAX_REPORTED_ERRORS};
use uuid::Uuid;

pub use lines::LineSplitter;

/// Lines per transaction: large enough to amortise the commit, small enough
/// that progress shows and memory stays flat.
pub const BATCH_LINES: usize = 500;
/// A longer line is refused on its own rather than buffered without limit.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The record types that can be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordType {
    People,
    Events,
    Objects,
    Locations,
}

impl RecordType {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "people" => Some(Self::People),
            "events" => Some(Self::Events),
            "objects" => Some(Self::Objects),
            "locations" => Some(Self::Locations),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Events => "events",
            Self::Objects => "objects",
            Self::Locations => "locations",
        }
    }
}

/// One line read from the upload, before validation.
pub struct RawLine {
    pub number: u64,
    pub bytes: Vec<u8>,
}

/// The source id and the rest of a line as JSON, or why not.
pub(crate) fn split_source(line: &RawLine) -> Result<(String, serde_json::Value), FieldErrors> {
    // Messages here never quote the line: reports are kept, and a value
    // from the line could be personal data.
    let mut value: serde_json::Value = serde_json::from_slice(&line.bytes).map_err(|_| {
        FieldErrors(vec![FieldError::new(
            "line",
            "malformed_json",
            "Not a JSON object",
        )])
    })?;
    let source = value
        .as_object_mut()
        .and_then(|o| o.remove("source_id"))
        .and_then(|v| match v {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() <= 100);
    match source {
        Some(s) => Ok((s, value)),
        None => Err(FieldErrors(vec![FieldError::new(
            "source_id",
            "required",
            "Each line needs its id in the old system (source_id), up to 100 characters",
        )])),
    }
}

/// Parses the rest of a line as the record type's create body, naming the
/// bad field the way the API does.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, FieldErrors> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        // The same naming as request bodies, which never echoes a value.
        let mut error = crate::body::field_error(&path, &e.inner().to_string());
        if error.field == "." || error.field.is_empty() {
            error.field = "line".to_owned();
        }
        FieldErrors(vec![error])
    })
}

/// What is kept of an erased imported record's source id: enough to refuse
/// it if the same file is imported again, nothing to read it back by.
pub(crate) fn tombstone_digest(source_system: &str, source_id: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"probity-import-tombstone\0");
    h.update(source_system.as_bytes());
    h.update([0]);
    h.update(source_id.as_bytes());
    h.finalize().to_vec()
}

/// The outcome of one batch.
#[derive(Default)]
pub struct BatchResult {
    pub written: i64,
    pub already_imported: i64,
    pub failed: Vec<LineError>,
}

/// Runs a whole upload: the progress row is updated after every batch, so
/// `GET /api/v1/imports/{type}/{id}` shows it while it runs.
pub struct Import<'a> {
    state: &'a AppState,
    ctx: &'a RequestContext,
    pub report: ImportReport,
    kind: RecordType,
}

impl<'a> Import<'a> {
    pub async fn start(
        state: &'a AppState,
        ctx: &'a RequestContext,
        kind: RecordType,
        source_system: &str,
    ) -> Result<Import<'a>, ApiError> {
        let report = ImportReport {
            id: Uuid::new_v4(),
            record_type: kind.as_str().to_owned(),
            source_system: source_system.to_owned(),
            status: "running".to_owned(),
            lines_read: 0,
            written: 0,
            already_imported: 0,
            failed: 0,
            errors: Vec::new(),
            started_at: Utc::now(),
            finished_at: None,
        };
        let mut conn = state.pool.get().await?;
        diesel::insert_into(imports::table)
            .values((
                imports::id.eq(report.id),
                imports::record_type.eq(&report.record_type),
                imports::source_system.eq(&report.source_system),
                imports::started_by.eq(ctx.actor.id()),
                imports::status.eq("running"),
                imports::started_at.eq(report.started_at),
            ))
            .execute(&mut conn)
            .await?;
        Ok(Self {
            state,
            ctx,
            report,
            kind,
        })
    }

    /// Validates and writes one batch of lines.
    async fn write(&self, lines: Vec<RawLine>) -> Result<BatchResult, ApiError> {
        if lines.is_empty() {
            return Ok(BatchResult::default());
        }
        let system = &self.report.source_system;
        let batch = self.report.id;
        let (state, ctx) = (self.state, self.ctx);
        match self.kind {
            RecordType::People => people::write(state, ctx, system, batch, lines).await,
            RecordType::Events => {
                records::write::<crate::records::events::Events>(state, ctx, system, batch, lines)
                    .await
            }
            RecordType::Objects => {
                records::write::<crate::records::objects::Objects>(state, ctx, system, batch, lines)
                    .await
            }
            RecordType::Locations => {
                records::write::<crate::records::locations::Locations>(
                    state, ctx, system, batch, lines,
                )
                .await
            }
        }
    }

    /// Writes up to two batches at once, so that the database works on one
    /// while this process validates the other (two cores, both busy).
    pub async fn batch(&mut self, mut lines: Vec<RawLine>) -> Result<(), ApiError> {
        self.report.lines_read += lines.len() as i64;
        let second = lines.split_off(lines.len().min(BATCH_LINES));
        let (a, b) = futures_util::future::try_join(self.write(lines), self.write(second)).await?;
        for result in [a, b] {
            self.report.written += result.written;
            self.report.already_imported += result.already_imported;
            self.report.failed += result.failed.len() as i64;
            let room = MAX_REPORTED_ERRORS.saturating_sub(self.report.errors.len());
            self.report
                .errors
                .extend(result.failed.into_iter().take(room));
        }
        tracing::info!(
            import.id = %self.report.id, lines = self.report.lines_read, written = self.report.written,
            already = self.report.already_imported, failed = self.report.failed, "import progress"
        );
        self.save("running").await
    }

    pub async fn finish(mut self, status: &str) -> Result<ImportReport, ApiError> {
        self.report.finished_at = Some(Utc::now());
        self.save(status).await?;
        self.report.status = status.to_owned();
        Ok(self.report)
    }

    async fn save(&self, status: &str) -> Result<(), ApiError> {
        let mut conn = self.state.pool.get().await?;
        let r = &self.report;
        diesel::update(imports::table.find(r.id))
            .set((
                imports::status.eq(status),
                imports::lines_read.eq(r.lines_read),
                imports::written.eq(r.written),
                imports::already_imported.eq(r.already_imported),
                imports::failed.eq(r.failed),
                imports::errors.eq(serde_json::to_value(&r.errors).unwrap_or_default()),
                imports::finished_at.eq(r.finished_at),
            ))
            .execute(&mut conn)
            .await?;
        Ok(())
    }
}

/// The progress of an import, for its progress endpoint.
pub async fn load(state: &AppState, kind: RecordType, id: Uuid) -> Result<ImportReport, ApiError> {
    let mut conn = state.pool.get().await?;
    #[allow(clippy::type_complexity)]
    let row: (
        Uuid,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        serde_json::Value,
        chrono::DateTime<Utc>,
        Option<chrono::DateTime<Utc>>,
    ) = imports::table
        .find(id)
        .filter(imports::record_type.eq(kind.as_str()))
        .select((
            imports::id,
            imports::record_type,
            imports::source_system,
            imports::status,
            imports::lines_read,
            imports::written,
            imports::already_imported,
            imports::failed,
            imports::errors,
            imports::started_at,
            imports::finished_at,
        ))
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    Ok(ImportReport {
        id: row.0,
        record_type: row.1,
        source_system: row.2,
        status: row.3,
        lines_read: row.4,
        written: row.5,
        already_imported: row.6,
        failed: row.7,
        errors: serde_json::from_value(row.8).unwrap_or_default(),
        started_at: row.9,
        finished_at: row.10,
    })
}
