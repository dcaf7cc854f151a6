//! Aggregates for those who hold the force to account: counts that name no
//! one. Every read is still logged, with its purpose.

use crate::audit::{self, AuditEvent, Audited, Operation};
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::rights::{KindCounts, RightsTimeliness};

#[utoipa::path(
    get, path = "/api/v1/oversight/rights", tag = "oversight",
    security(("bearer" = ["oversight.read"])),
    responses(
        (status = 200, description = "Open and overdue rights requests by kind: counts, never a case", body = RightsTimeliness),
        (status = 403, description = "Requires oversight.read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rights(
    auth: Authorised<perm::OversightRead>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = state.today();
    let counts = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            let counts = crate::rights::timeliness::count(tx.conn()?, today).await?;
            let event = AuditEvent::new(Operation::Consultation, "oversight.rights", Vec::new());
            Ok(Audited::new(counts, event))
        })
    })
    .await?;
    let kinds = counts
        .into_iter()
        .map(|(kind, (open, overdue))| KindCounts {
            kind: kind.as_str().to_owned(),
            open,
            overdue,
        })
        .collect();
    Ok(HttpResponse::Ok().json(RightsTimeliness {
        as_of: today,
        kinds,
    }))
}
