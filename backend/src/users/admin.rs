//! `/api/v1/users`: account administration handlers.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::{FieldError, Problem};
use shared::ids::UserId;
use shared::users::{NewUser, UserSummary};

#[utoipa::path(
    post, path = "/api/v1/users", tag = "users",
    request_body = NewUser, security(("bearer" = ["user.admin"])),
    responses(
        (status = 201, description = "Account created", body = UserSummary),
        (status = 403, description = "Requires user.admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    auth: Authorised<perm::UserAdmin>,
    state: web::Data<AppState>,
    body: ValidJson<NewUser>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::validation)?;
    let hash = state.passwords.hash_blocking(body.0.password).await?;
    let user = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::create(tx, valid, hash))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .json(user))
}

#[utoipa::path(
    get, path = "/api/v1/users", tag = "users", security(("bearer" = ["user.admin"])),
    responses(
        (status = 200, description = "Every account", body = Vec<UserSummary>),
        (status = 403, description = "Requires user.admin", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::UserAdmin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let users = audit::run(&state, &auth.ctx, |tx| Box::pin(store::list(tx))).await?;
    Ok(HttpResponse::Ok().json(users))
}

async fn set_disabled(
    auth: Authorised<perm::UserAdmin>,
    state: web::Data<AppState>,
    id: UserId,
    disabled: bool,
) -> Result<HttpResponse, ApiError> {
    if disabled && auth.ctx.actor.id() == Some(id.0) {
        return Err(ApiError::field(FieldError::new(
            "id",
            "self",
            "You cannot disable your own account",
        )));
    }
    let user = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::set_disabled(tx, id, disabled))
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

#[utoipa::path(
    post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = ["user.admin"])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    responses(
        (status = 200, description = "Disabled; every session ended", body = UserSummary),
        (status = 403, description = "Requires user.admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn disable(
    auth: Authorised<perm::UserAdmin>,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(auth, state, id.into_inner(), true).await
}

#[utoipa::path(
    post, path = "/api/v1/users/{id}/enable", tag = "users", security(("bearer" = ["user.admin"])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    responses(
        (status = 200, description = "Re-enabled", body = UserSummary),
        (status = 403, description = "Requires user.admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enable(
    auth: Authorised<perm::UserAdmin>,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(auth, state, id.into_inner(), false).await
}
