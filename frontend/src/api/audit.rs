//! The audit log's calls: events, verification, checkpoints and export.
//! Every one of them is a consultation of the log, so each needs the
//! working context and is itself audited by the server.

use super::{ApiError, Call, authed, decode, problem};
use crate::session::Session;
use shared::audit::{AuditEventView, CheckpointView, VerifyReport};
use shared::page::Page;

/// The audit log's filters, as the query string names them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub person: Option<String>,
    pub actor: Option<String>,
    pub operation: Option<String>,
    pub purpose: Option<String>,
    pub outcome: Option<String>,
    /// RFC 3339, inclusive.
    pub from: Option<String>,
    /// RFC 3339, exclusive.
    pub to: Option<String>,
}

pub const AUDIT_PAGE_SIZE: u32 = 50;

pub async fn audit_events(
    session: Session,
    filter: &AuditFilter,
    cursor: Option<String>,
) -> Result<Page<AuditEventView>, ApiError> {
    let mut call = Call::get("/audit/events".into()).consulting();
    let named = [
        ("person", &filter.person),
        ("actor", &filter.actor),
        ("operation", &filter.operation),
        ("purpose", &filter.purpose),
        ("outcome", &filter.outcome),
        ("from", &filter.from),
        ("to", &filter.to),
    ];
    for (name, value) in named {
        if let Some(value) = value {
            call.query.push((name, value.clone()));
        }
    }
    call.query.push(("limit", AUDIT_PAGE_SIZE.to_string()));
    if let Some(cursor) = cursor {
        call.query.push(("cursor", cursor));
    }
    decode(authed(session, &call).await?).await
}

pub async fn verify_audit(session: Session) -> Result<VerifyReport, ApiError> {
    decode(authed(session, &Call::get("/audit/verify".into()).consulting()).await?).await
}

pub async fn audit_checkpoints(session: Session) -> Result<Vec<CheckpointView>, ApiError> {
    decode(
        authed(
            session,
            &Call::get("/audit/checkpoints".into()).consulting(),
        )
        .await?,
    )
    .await
}

/// An export as the server sent it, ready to offer as a download.
pub struct Download {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The filename in a `Content-Disposition: attachment; filename="…"`.
fn attachment_name(disposition: &str) -> Option<String> {
    let (_, rest) = disposition.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    // Only a plain name: never a path.
    (!name.is_empty() && !name.contains(['/', '\\'])).then(|| name.to_owned())
}

pub async fn export_audit(
    session: Session,
    from: String,
    to: String,
    format: &'static str,
) -> Result<Download, ApiError> {
    let mut call = Call::get("/audit/export".into()).consulting();
    call.query.push(("from", from));
    call.query.push(("to", to));
    call.query.push(("format", format.to_owned()));
    download(session, &call, format!("probity-audit.{format}")).await
}

/// A file the server sends as an attachment, named as the server names it.
pub(super) async fn download(
    session: Session,
    call: &Call,
    fallback_name: String,
) -> Result<Download, ApiError> {
    let response = authed(session, call).await?;
    if !response.ok() {
        return Err(ApiError::Problem(problem(response).await));
    }
    let headers = response.headers();
    let filename = headers
        .get("content-disposition")
        .as_deref()
        .and_then(attachment_name)
        .unwrap_or(fallback_name);
    let content_type = headers
        .get("content-type")
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiError::Network(format!("The file could not be read: {e}")))?;
    Ok(Download {
        filename,
        content_type,
        bytes,
    })
}
