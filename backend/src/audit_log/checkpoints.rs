//! `GET /api/v1/audit/checkpoints`: signed chain heads for outside parties.

use crate::audit::{self, AuditEvent, Audited, Operation, Tx};
use crate::auth::{Authorised, perm};
use crate::db::schema::audit_checkpoints;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::audit::CheckpointView;
use shared::error::Problem;

type Row = (i64, Vec<u8>, DateTime<Utc>, String, Vec<u8>, Vec<u8>);

pub fn view(row: Row) -> CheckpointView {
    let (position, hash, signed_at, key_id, public_key, signature) = row;
    CheckpointView {
        message: String::from_utf8_lossy(&crate::audit::checkpoint_message(
            position, &hash, &signed_at,
        ))
        .into_owned(),
        position,
        chain_hash: hex::encode(hash),
        signed_at,
        key_id,
        public_key: hex::encode(public_key),
        signature: hex::encode(signature),
    }
}

pub async fn load(
    tx: &mut Tx,
    from: i64,
    to: Option<i64>,
) -> Result<Vec<CheckpointView>, ApiError> {
    let mut q = audit_checkpoints::table
        .filter(audit_checkpoints::position.ge(from))
        .select((
            audit_checkpoints::position,
            audit_checkpoints::chain_hash,
            audit_checkpoints::signed_at,
            audit_checkpoints::key_id,
            audit_checkpoints::public_key,
            audit_checkpoints::signature,
        ))
        .order(audit_checkpoints::position)
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(audit_checkpoints::position.le(to));
    }
    let rows: Vec<Row> = q.load(tx.conn()?).await?;
    Ok(rows.into_iter().map(view).collect())
}

#[utoipa::path(
    get, path = "/api/v1/audit/checkpoints", tag = "audit",
    params(("Probity-Justification" = String, Header, description = "Why: usually purpose=audit")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every signed checkpoint, oldest first; verify each signature over `message` with `public_key` (Ed25519)", body = Vec<CheckpointView>),
        (status = 403, description = "Requires audit.read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let checkpoints = audit::run(&state, &auth.ctx, |tx: &mut Tx| {
        Box::pin(async move {
            let list = load(tx, 0, None).await?;
            Ok(Audited::new(
                list,
                AuditEvent::new(Operation::Consultation, "audit.checkpoints", Vec::new()),
            ))
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(checkpoints))
}
