//! `POST /api/v1/people`: record a new person (a collection).

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::people::{Person, PersonInput};

#[utoipa::path(
    post, path = "/api/v1/people", tag = "people",
    request_body = PersonInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = Person, headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires person.create", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    auth: Authorised<perm::PersonCreate>,
    state: web::Data<AppState>,
    body: ValidJson<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(state.today()).map_err(ApiError::validation)?;
    let person = audit::run(&state, &auth.ctx, |tx| Box::pin(store::create(tx, valid))).await?;
    tracing::info!(person.id = %person.id, "person recorded");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/people/{}", person.id)))
        .insert_header(("ETag", super::etag(person.version)))
        .json(person))
}
