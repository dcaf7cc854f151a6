//! `GET /api/v1/people/{id}`: consult one person.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::Person;

#[utoipa::path(
    get, path = "/api/v1/people/{id}", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id"),
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["person.read"])),
    responses(
        (status = 200, description = "The person", body = Person, headers(("ETag" = String))),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires person.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    auth: Authorised<perm::PersonRead>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let person = audit::run(&state, &auth.ctx, |tx| Box::pin(store::get(tx, id)))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", super::etag(person.version)))
        .insert_header(("Cache-Control", "no-store"))
        .json(person))
}
