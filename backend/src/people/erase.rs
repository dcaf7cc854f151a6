//! `DELETE /api/v1/people/{id}`: erase a person at once (DPA 2018 s.47),
//! through the same plan, transaction and certificate as a planned
//! erasure. When kept records name the person, their passages need an
//! officer's eye: the plan is made and the erasure waits for it.

use crate::audit;
use crate::auth::{Authorised, perm};
use crate::erasure::{execute, plan};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::{ErrorCode, Problem};
use shared::ids::PersonId;
use shared::people::Erased;

#[utoipa::path(
    delete, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    security(("bearer" = ["person.erase"])),
    responses(
        (status = 200, description = "Erased with every record only about them, every duplicate merged into them and every copy; the certificate is named", body = Erased),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Under a legal hold (named), or kept records name the person: the plan is made (Location) and its passages wait to be confirmed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn erase(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let made = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(plan::make(tx, id, None, false))
    })
    .await?;
    if made.unconfirmed > 0 {
        let mut e = ApiError::new(ErrorCode::Conflict).detail(format!(
            "{} passage(s) of records kept for others name the person: confirm their redaction in plan {} (GET /api/v1/erasure-plans/{}), then run it",
            made.unconfirmed, made.id, made.id
        ));
        e.fields = vec![shared::error::FieldError::new(
            "plan",
            "passages_to_confirm",
            format!("/api/v1/erasure-plans/{}", made.id),
        )];
        return Err(e);
    }
    let done = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(execute::execute(tx, made.id))
    })
    .await?;
    let issued = crate::erasure::http::run_finish(&state, &auth.ctx, &done).await?;
    let cleared = |place: &str| {
        issued
            .certificate
            .copies
            .iter()
            .filter(|c| c.place.starts_with(place))
            .map(|c| c.count)
            .sum::<i64>()
    };
    let erased = Erased {
        people: done.erased_people.iter().copied().map(PersonId).collect(),
        records_erased: done.erased_records.len(),
        audit_texts_cleared: cleared("justification texts"),
        working_contexts_ended: cleared("working contexts"),
        certificate: Some(issued.certificate.id),
    };
    tracing::info!(
        person.id = %id,
        erased = erased.people.len(),
        records = erased.records_erased,
        certificate = %issued.certificate.id,
        "person erased"
    );
    Ok(HttpResponse::Ok().json(erased))
}
