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
    security(("bearer" = ["audit.read"])),
    responses(
        (status = 200, description = "The range verified and its head hash, or the first event that breaks; compared with this server's witness file. Never seals or signs.", body = VerifyReport),
        (status = 403, description = "Requires audit.read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No checkpoint at that position, or it fails its signature", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
    params: crate::body::Query<VerifyParams>,
) -> Result<HttpResponse, ApiError> {
    let from = params.from_checkpoint;
    // Verify only reads: it never seals or signs, so it cannot vouch for a
    // chain by signing it. It compares the database with this server's
    // witness file, which lives outside the database.
    let witness = match state.sealer.witnesses.file() {
        Some(path) => crate::audit::witness::read(path).map_err(|e| {
            ApiError::internal("the audit witness file could not be read").with_cause(e.to_string())
        })?,
        None => Vec::new(),
    };
    let keys = state.keys.clone();
    let mut report = audit::run(&state, &auth.ctx, move |tx: &mut Tx| {
        Box::pin(async move {
            let report = crate::audit::verify::verify(
                tx.conn()?,
                &keys,
                from,
                &witness,
                crate::audit::verify::OtherLogs::SetAside,
            )
            .await?;
            let event = AuditEvent::new(Operation::Consultation, "audit.verify", Vec::new());
            Ok(Audited::new(report, event))
        })
    })
    .await?;
    report.sealer_refusing = state.sealer.refusing();
    Ok(HttpResponse::Ok().json(report))
}
