//! `DELETE /api/v1/people/{id}`: erase a person (DPA 2018 s.47): the
//! records are deleted, not hidden; the log keeps only their ids.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::Erased;

#[utoipa::path(
    delete, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    security(("bearer" = ["person.erase"])),
    responses(
        (status = 200, description = "Erased, with every duplicate merged into them, and the justification texts beside the log that named them", body = Erased),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn erase(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (erased, names) =
        audit::run(&state, &auth.ctx, |tx| Box::pin(store::erase(tx, id))).await?;
    // Texts written by requests in flight during the erasure, which it could
    // not see, go now; and this server's remembered keys are forgotten.
    let erasure = crate::audit::texts::Erasure {
        request_id: auth.ctx.request_id.clone(),
        person: id.0,
    };
    let late = crate::audit::texts::erase_naming_after_commit(&state, &names, &erasure).await?;
    let erased = shared::people::Erased {
        audit_texts_cleared: erased.audit_texts_cleared + late,
        ..erased
    };
    tracing::info!(
        person.id = %id,
        erased = erased.people.len(),
        audit_texts = erased.audit_texts_cleared,
        "person erased"
    );
    Ok(HttpResponse::Ok().json(erased))
}
