//! `POST /api/v1/imports/{record_type}?source_system=…` with an NDJSON body,
//! and progress at `GET /api/v1/imports/{record_type}/{id}`.

use super::lines::Piece;
use super::{BATCH_LINES, Import, LineSplitter, RawLine, RecordType};
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use serde::Deserialize;
use shared::error::{ErrorCode, FieldError, Problem};
use shared::imports::{ImportReport, LineError};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The legacy system the lines come from; with each line's `source_id`
    /// it makes re-running an upload safe.
    pub source_system: String,
}

fn record_type(raw: &str) -> Result<RecordType, ApiError> {
    RecordType::parse(raw).ok_or_else(|| {
        ApiError::field(FieldError::new(
            "record_type",
            "unknown",
            "Import people, events, objects or locations",
        ))
    })
}

fn source_system(raw: &str) -> Result<String, ApiError> {
    let s = raw.trim();
    if s.is_empty()
        || s.len() > 50
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(ApiError::field(FieldError::new(
            "source_system",
            "invalid",
            "Name the source system in 1 to 50 letters, digits, '-', '_' or '.'",
        )));
    }
    Ok(s.to_owned())
}

/// Reads the whole stream through one import, batch by batch.
pub async fn run<S, E>(
    state: &AppState,
    ctx: &crate::auth::RequestContext,
    kind: RecordType,
    system: &str,
    mut stream: S,
) -> Result<ImportReport, ApiError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut import = Import::start(state, ctx, kind, system).await?;
    let mut splitter = LineSplitter::default();
    let mut pieces = Vec::new();
    let mut batch: Vec<RawLine> = Vec::with_capacity(2 * BATCH_LINES);
    let mut too_long = Vec::new();
    loop {
        let chunk = match stream.next().await {
            Some(Ok(chunk)) => Some(chunk),
            Some(Err(e)) => {
                tracing::warn!(import.id = %import.report.id, error = %e, "upload interrupted");
                import.finish("failed").await?;
                return Err(
                    ApiError::new(ErrorCode::MalformedBody).detail("The upload was interrupted")
                );
            }
            None => None,
        };
        match &chunk {
            Some(bytes) => splitter.feed(bytes, &mut pieces),
            None => splitter.finish(&mut pieces),
        }
        for piece in pieces.drain(..) {
            match piece {
                Piece::Line(line) => batch.push(line),
                Piece::TooLong(line) => too_long.push(LineError {
                    line,
                    errors: vec![FieldError::new(
                        "line",
                        "too_long",
                        "A line may be at most 64 KiB",
                    )],
                }),
            }
        }
        if batch.len() >= 2 * BATCH_LINES || (chunk.is_none() && !batch.is_empty()) {
            let lines = std::mem::replace(&mut batch, Vec::with_capacity(2 * BATCH_LINES));
            if let Err(e) = import.batch(lines).await {
                import.finish("failed").await?;
                return Err(e);
            }
        }
        if !too_long.is_empty() {
            import.report.lines_read += too_long.len() as i64;
            import.report.failed += too_long.len() as i64;
            import.report.errors.append(&mut too_long);
        }
        if chunk.is_none() {
            break;
        }
    }
    import.report.errors.sort_by_key(|e| e.line);
    import.finish("finished").await
}

#[utoipa::path(
    post, path = "/api/v1/imports/{record_type}", tag = "imports",
    params(
        ("record_type" = String, Path, description = "people, events, objects or locations"),
        UploadParams,
    ),
    request_body(content = String, content_type = "application/x-ndjson", description = "One JSON object per line: `source_id` plus the fields of the record type's create body"),
    security(("bearer" = ["record.import"])),
    responses(
        (status = 200, description = "Finished: counts, and each bad line with its number and field errors", body = ImportReport),
        (status = 403, description = "Requires record.import", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown record type or bad source system", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload(
    auth: Authorised<perm::RecordImport>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    params: crate::body::Query<UploadParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let kind = record_type(&path)?;
    let system = source_system(&params.source_system)?;
    let report = run(&state, &auth.ctx, kind, &system, payload).await?;
    tracing::info!(
        import.id = %report.id, written = report.written, failed = report.failed,
        already = report.already_imported, "import finished"
    );
    Ok(HttpResponse::Ok().json(report))
}

#[utoipa::path(
    get, path = "/api/v1/imports/{record_type}/{id}", tag = "imports",
    params(
        ("record_type" = String, Path, description = "people, events, objects or locations"),
        ("id" = uuid::Uuid, Path, description = "The import's id"),
    ),
    security(("bearer" = ["record.import"])),
    responses(
        (status = 200, description = "Progress so far, updated after every batch", body = ImportReport),
        (status = 403, description = "Requires record.import", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn progress(
    _auth: Authorised<perm::RecordImport>,
    state: web::Data<AppState>,
    path: web::Path<(String, uuid::Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (kind, id) = path.into_inner();
    let report = super::load(&state, record_type(&kind)?, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(report))
}
