//! `PUT` and `DELETE /api/v1/people/{id}/restriction`: take a person out of
//! ordinary processing instead of erasing them (DPA 2018 s.47(2)), and back.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::{Person, RestrictionRequest};

#[utoipa::path(
    put, path = "/api/v1/people/{id}/restriction", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = RestrictionRequest, security(("bearer" = ["person.restrict"])),
    responses(
        (status = 200, description = "Restricted: hidden from lists and refused to ordinary reads", body = Person),
        (status = 403, description = "Requires person.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn restrict(
    auth: Authorised<perm::PersonRestrict>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    body: ValidJson<RestrictionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, ground) = (id.into_inner(), body.ground.as_str());
    let person = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::set_restricted(tx, id, Some(ground)))
    })
    .await?;
    Ok(HttpResponse::Ok().json(person))
}

#[utoipa::path(
    delete, path = "/api/v1/people/{id}/restriction", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    security(("bearer" = ["person.restrict"])),
    responses(
        (status = 200, description = "Restriction lifted", body = Person),
        (status = 403, description = "Requires person.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lift(
    auth: Authorised<perm::PersonRestrict>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let person = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::set_restricted(tx, id, None))
    })
    .await?;
    Ok(HttpResponse::Ok().json(person))
}
