//! `/api/v1/restrictions` and `/api/v1/legal-holds`: for those who decide
//! restriction (`record.restrict`, the data protection officer).

use super::restriction;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::links::{RecordKey, RecordType};
use shared::rights::restriction::{LegalHold, LegalHoldInput, RestrictInput, Restriction};
use utoipa::ToSchema;
use uuid::Uuid;

fn key(path: (String, Uuid)) -> Result<RecordKey, ApiError> {
    let record_type = RecordType::parse(&path.0).ok_or_else(ApiError::not_found)?;
    Ok(RecordKey {
        record_type,
        id: path.1,
    })
}

#[utoipa::path(
    get, path = "/api/v1/restrictions", tag = "restriction",
    params(("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["record.restrict"])),
    responses(
        (status = 200, description = "Every restricted record and person, soonest review first", body = Vec<Restriction>),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = audit::run(&state, &auth.ctx, |tx| Box::pin(restriction::list(tx))).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(list))
}

#[utoipa::path(
    put, path = "/api/v1/restrictions/{type}/{id}", tag = "restriction",
    params(
        ("type" = String, Path, description = "person, event, object or location"),
        ("id" = Uuid, Path, description = "The record"),
        ("Probity-Justification" = String, Header, description = "Why"),
    ),
    request_body = RestrictInput, security(("bearer" = ["record.restrict"])),
    responses(
        (status = 200, description = "Restricted: out of search, lists, profiles and links for everyone else", body = Restriction),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or a review date not in the next five years", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn restrict(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<RestrictInput>,
) -> Result<HttpResponse, ApiError> {
    let record = key(path.into_inner())?;
    let valid = body.validate(state.today()).map_err(ApiError::validation)?;
    let done = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(restriction::restrict(tx, record, valid))
    })
    .await?;
    Ok(HttpResponse::Ok().json(done))
}

#[utoipa::path(
    delete, path = "/api/v1/restrictions/{type}/{id}", tag = "restriction",
    params(
        ("type" = String, Path, description = "person, event, object or location"),
        ("id" = Uuid, Path, description = "The record"),
        ("Probity-Justification" = String, Header, description = "Why"),
    ),
    security(("bearer" = ["record.restrict"])),
    responses(
        (status = 204, description = "Lifted: back in ordinary processing"),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not restricted", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lift(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let record = key(path.into_inner())?;
    audit::run(&state, &auth.ctx, |tx| {
        Box::pin(restriction::lift(tx, record))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A hold to place.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    pub record: RecordKey,
    #[serde(flatten)]
    pub hold: LegalHoldInput,
}

#[utoipa::path(
    get, path = "/api/v1/legal-holds", tag = "restriction",
    params(("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["record.restrict"])),
    responses(
        (status = 200, description = "Holds in force, soonest review first", body = Vec<LegalHold>),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn holds(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = audit::run(&state, &auth.ctx, |tx| Box::pin(restriction::holds(tx))).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(
    post, path = "/api/v1/legal-holds", tag = "restriction",
    params(("Probity-Justification" = String, Header, description = "Why")),
    request_body = NewHold, security(("bearer" = ["record.restrict"])),
    responses(
        (status = 201, description = "Placed: an erasure restricts the item instead", body = LegalHold),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such record, no reason, or a review date out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn place(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
    body: ValidJson<NewHold>,
) -> Result<HttpResponse, ApiError> {
    let record = body.record;
    let (reason, review_on) = body
        .hold
        .validate(state.today())
        .map_err(ApiError::validation)?;
    let hold = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(restriction::hold(tx, record, reason, review_on))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/legal-holds/{}", hold.id)))
        .json(hold))
}

#[utoipa::path(
    delete, path = "/api/v1/legal-holds/{id}", tag = "restriction",
    params(("id" = Uuid, Path, description = "The hold"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["record.restrict"])),
    responses(
        (status = 200, description = "Lifted", body = LegalHold),
        (status = 403, description = "Requires record.restrict", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hold in force", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lift_hold(
    auth: Authorised<perm::RecordRestrict>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let hold = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(restriction::release_hold(tx, id))
    })
    .await?;
    Ok(HttpResponse::Ok().json(hold))
}
