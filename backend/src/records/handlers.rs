//! The HTTP side shared by objects, locations and events: create (with
//! Idempotency-Key), read, update (with If-Match) and list. Each family's
//! module wraps these in handlers that name their permission and document
//! themselves in the OpenAPI document.

use super::family::Family;
use super::store::{self, Cursor, ListFilter};
use crate::audit;
use crate::auth::RequestContext;
use crate::error::ApiError;
use crate::idempotency::{Claim, IdempotencyKey};
use crate::people::{etag, if_match};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse};
use shared::error::{ErrorCode, FieldError};
use shared::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use shared::permissions::Permission;
use uuid::Uuid;

pub async fn create<F: Family>(
    req: &HttpRequest,
    ctx: &RequestContext,
    state: &AppState,
    body: F::Input,
) -> Result<HttpResponse, ApiError> {
    let id = Uuid::new_v4();
    let key = IdempotencyKey::from_request(req, F::CREATE, &body)?;
    let prepared = F::prepare(&body, id, &state.rules()).map_err(ApiError::validation)?;
    let (output, replayed) = audit::run(state, ctx, |tx| {
        Box::pin(async move {
            if let Some(key) = &key
                && let Claim::Replay(earlier) = key.claim(tx).await?
            {
                // Replaying shows the record as it is now: a read.
                if !tx.ctx().can(Permission::RecordRead) {
                    return Err(ApiError::new(ErrorCode::Conflict).detail(format!(
                        "Already recorded as {}/{earlier}; reading it needs record.read",
                        F::PATH
                    )));
                }
                let found = store::get::<F>(tx, earlier).await?;
                return Ok(found.map(|o| o.map(|o| (o, true))));
            }
            let created = store::create::<F>(tx, id, prepared).await?;
            if let Some(key) = &key {
                key.complete(tx, id).await?;
            }
            Ok(created.map(|o| Some((o, false))))
        })
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    tracing::info!(record.id = %F::id(&output), record.family = F::NAME, replayed, "record created");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("{}/{}", F::PATH, F::id(&output))))
        .insert_header(("ETag", etag(F::version(&output))))
        .insert_header((
            "Idempotent-Replayed",
            if replayed { "true" } else { "false" },
        ))
        .json(output))
}

pub async fn read<F: Family>(
    ctx: &RequestContext,
    state: &AppState,
    id: Uuid,
) -> Result<HttpResponse, ApiError> {
    let output = audit::run(state, ctx, |tx| Box::pin(store::get::<F>(tx, id)))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(F::version(&output))))
        .insert_header(("Cache-Control", "no-store"))
        .json(output))
}

pub async fn update<F: Family>(
    req: &HttpRequest,
    ctx: &RequestContext,
    state: &AppState,
    id: Uuid,
    body: F::Input,
) -> Result<HttpResponse, ApiError> {
    let prepared = F::prepare(&body, id, &state.rules()).map_err(ApiError::validation)?;
    let expected = if_match(req);
    let output = audit::run(state, ctx, |tx| {
        Box::pin(store::update::<F>(tx, id, prepared, expected))
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(F::version(&output))))
        .json(output))
}

/// Page size and cursor, checked the same way on every list.
pub fn paging(limit: Option<u32>, cursor: Option<&str>) -> Result<(u32, Option<Cursor>), ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "out_of_range",
            format!("Use 1 to {MAX_PAGE_SIZE}"),
        )));
    }
    Ok((limit, cursor.map(Cursor::parse).transpose()?))
}

/// `sort` as `field` (oldest first) or `-field` (newest first, the default).
pub fn ascending(sort: Option<&str>, field: &str) -> Result<bool, ApiError> {
    match sort {
        None => Ok(false),
        Some(s) if s == field => Ok(true),
        Some(s) if s.strip_prefix('-') == Some(field) => Ok(false),
        Some(_) => Err(ApiError::field(FieldError::new(
            "sort",
            "unknown",
            format!("Sort by {field} or -{field}"),
        ))),
    }
}

/// A code-list filter: unknown values are a 422, not an empty page.
pub fn code_filter(
    field: &str,
    raw: Option<String>,
    known: impl Fn(&str) -> bool,
) -> Result<Option<String>, ApiError> {
    match raw.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()) {
        Some(value) if !known(&value) => Err(ApiError::field(FieldError::new(
            field,
            "unknown",
            "Not a known code",
        ))),
        other => Ok(other),
    }
}

pub async fn list<F: Family>(
    ctx: &RequestContext,
    state: &AppState,
    filter: ListFilter,
    limit: u32,
) -> Result<HttpResponse, ApiError> {
    let page = audit::run(state, ctx, |tx| {
        Box::pin(store::list::<F>(tx, filter, limit))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}
