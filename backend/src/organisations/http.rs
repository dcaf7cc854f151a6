//! `/api/v1/organisations`: the list of recipients, and its upkeep.

use crate::audit;
use crate::auth::{Authenticated, Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::ids::OrganisationId;
use shared::organisations::{Organisation, OrganisationInput};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Also list organisations no longer offered as recipients.
    pub include_inactive: Option<bool>,
}

#[utoipa::path(
    get, path = "/api/v1/organisations", tag = "organisations",
    params(ListParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisations records may be disclosed to, by name", body = Vec<Organisation>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    _who: Authenticated,
    state: web::Data<AppState>,
    params: crate::body::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    // A directory of public bodies, no one's personal data: not a
    // consultation to log.
    let mut conn = state.pool.get().await?;
    let list = super::list(&mut conn, params.include_inactive.unwrap_or(false)).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(
    post, path = "/api/v1/organisations", tag = "organisations",
    request_body = OrganisationInput, security(("bearer" = ["organisation.admin"])),
    responses(
        (status = 201, description = "Added to the list", body = Organisation),
        (status = 403, description = "Requires organisation.admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An organisation of that name is on the list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    auth: Authorised<perm::OrganisationAdmin>,
    state: web::Data<AppState>,
    body: ValidJson<OrganisationInput>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::validation)?;
    let made = audit::run(&state, &auth.ctx, |tx| Box::pin(super::create(tx, valid))).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organisations/{}", made.id)))
        .json(made))
}

#[utoipa::path(
    put, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id")),
    request_body = OrganisationInput, security(("bearer" = ["organisation.admin"])),
    responses(
        (status = 200, description = "Corrected (set active false to stop offering it)", body = Organisation),
        (status = 403, description = "Requires organisation.admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another organisation has that name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    auth: Authorised<perm::OrganisationAdmin>,
    state: web::Data<AppState>,
    id: web::Path<OrganisationId>,
    body: ValidJson<OrganisationInput>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::validation)?;
    let id = id.into_inner();
    let updated = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(super::update(tx, id, valid))
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(updated))
}
