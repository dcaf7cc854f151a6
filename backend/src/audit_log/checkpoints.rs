//! `GET /api/v1/audit/checkpoints`: signed chain heads for outside parties.

use crate::audit::rows::CheckpointRow;
use crate::audit::{self, AuditEvent, Audited, Operation, Tx};
use crate::auth::{Authorised, perm};
use crate::db::schema::audit_checkpoints;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use shared::audit::CheckpointView;
use shared::error::{FieldError, Problem};
use utoipa::IntoParams;

/// One is signed every few minutes: years of them are too many for one reply.
const MAX_LIMIT: i64 = 1_000;

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct CheckpointParams {
    /// From this chain position (inclusive), oldest first; without it, the
    /// latest `limit` checkpoints. For every checkpoint, ask again from the
    /// last position returned plus one until the reply is empty.
    pub from: Option<i64>,
    /// 1 to 1000, default 100.
    pub limit: Option<i64>,
}

/// Up to `limit` checkpoints from position `from` (to `to`), oldest first.
pub async fn load(
    tx: &mut Tx,
    from: i64,
    to: Option<i64>,
    limit: i64,
) -> Result<Vec<CheckpointView>, ApiError> {
    let mut q = audit_checkpoints::table
        .filter(audit_checkpoints::position.ge(from))
        .select(CheckpointRow::as_select())
        .order(audit_checkpoints::position)
        .limit(limit)
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(audit_checkpoints::position.le(to));
    }
    let rows: Vec<CheckpointRow> = q.load(tx.conn()?).await?;
    Ok(rows.iter().map(CheckpointRow::view).collect())
}

/// The latest `limit` checkpoints, oldest first.
async fn latest(tx: &mut Tx, limit: i64) -> Result<Vec<CheckpointView>, ApiError> {
    let mut rows: Vec<CheckpointRow> = audit_checkpoints::table
        .select(CheckpointRow::as_select())
        .order(audit_checkpoints::position.desc())
        .limit(limit)
        .load(tx.conn()?)
        .await?;
    rows.reverse();
    Ok(rows.iter().map(CheckpointRow::view).collect())
}

#[utoipa::path(
    get, path = "/api/v1/audit/checkpoints", tag = "audit",
    params(CheckpointParams, ("Probity-Justification" = String, Header, description = "Why: usually purpose=audit")),
    security(("bearer" = ["audit.read"])),
    responses(
        (status = 200, description = "Signed checkpoints, oldest first (the latest, unless `from` is given); verify each signature over `message` with `public_key` (Ed25519)", body = Vec<CheckpointView>),
        (status = 403, description = "Requires audit.read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
    params: crate::body::Query<CheckpointParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "out_of_range",
            format!("Use 1 to {MAX_LIMIT}"),
        )));
    }
    let from = params.from;
    let checkpoints = audit::run(&state, &auth.ctx, move |tx: &mut Tx| {
        Box::pin(async move {
            let list = match from {
                Some(from) => load(tx, from, None, limit).await?,
                None => latest(tx, limit).await?,
            };
            Ok(Audited::new(
                list,
                AuditEvent::new(Operation::Consultation, "audit.checkpoints", Vec::new()),
            ))
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(checkpoints))
}
