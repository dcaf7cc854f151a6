//! `GET /api/v1/audit/verify`: the chain and checkpoints, checked now.

use crate::audit::{self, AuditEvent, Audited, Operation, Tx};
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::audit::VerifyReport;
use shared::error::Problem;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct VerifyParams {
    /// Start from the signed checkpoint at this chain position instead of the beginning.
    pub from_checkpoint: Option<i64>,
}

#[utoipa::path(
    get, path = "/api/v1/audit/verify", tag = "audit",
    params(VerifyParams, ("Probity-Justification" = String, Header, description = "Why: usually purpose=audit")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The range verified and its head hash, or the first event that breaks", body = VerifyReport),
        (status = 403, description = "Requires audit.read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No checkpoint at that position, or it fails its signature", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
    params: web::Query<VerifyParams>,
) -> Result<HttpResponse, ApiError> {
    let from = params.from_checkpoint;
    // Seal what has committed so the report reaches the present.
    crate::audit::seal::seal_once(&state).await?;
    let keys = state.keys.clone();
    let report = audit::run(&state, &auth.ctx, move |tx: &mut Tx| {
        Box::pin(async move {
            let report = crate::audit::verify::verify(tx.conn()?, &keys, from).await?;
            let event = AuditEvent::new(Operation::Consultation, "audit.verify", Vec::new());
            Ok(Audited::new(report, event))
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
