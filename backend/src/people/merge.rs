//! `POST /api/v1/people/{id}/merge`: a supervisor folds a duplicate record
//! into this one (a combination); the duplicate's id keeps resolving here.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::{MergeRequest, Person};

#[utoipa::path(
    post, path = "/api/v1/people/{id}/merge", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "The surviving person's id")),
    request_body = MergeRequest, security(("bearer" = ["person.merge"])),
    responses(
        (status = 200, description = "Merged; the survivor", body = Person),
        (status = 403, description = "Requires person.merge", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survivor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Duplicate missing, the same person, or already merged", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn merge(
    auth: Authorised<perm::PersonMerge>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (survivor, duplicate) = (id.into_inner(), body.duplicate);
    let person = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::merge(tx, survivor, duplicate))
    })
    .await?;
    Ok(HttpResponse::Ok().json(person))
}
