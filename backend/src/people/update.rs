//! `PUT /api/v1/people/{id}`: correct or complete a person's details (an alteration).

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::{Person, PersonInput};

#[utoipa::path(
    put, path = "/api/v1/people/{id}", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale write gets 412"),
    ),
    request_body = PersonInput,
    security(("bearer" = ["person.update"])),
    responses(
        (status = 200, description = "Updated", body = Person, headers(("ETag" = String))),
        (status = 403, description = "Requires person.update", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    req: HttpRequest,
    auth: Authorised<perm::PersonUpdate>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    body: ValidJson<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(state.today()).map_err(ApiError::validation)?;
    let expected = super::if_match(&req);
    let id = id.into_inner();
    let person = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::update(tx, id, valid, expected))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", super::etag(person.version)))
        .json(person))
}
