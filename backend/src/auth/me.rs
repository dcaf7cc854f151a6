//! `GET /api/v1/auth/me` and the public keys.

use super::authorised::Authenticated;
use super::context::Actor;
use super::sessions::UserRow;
use crate::db::schema::users;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::auth::Me;
use shared::error::Problem;

#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user, roles and permissions", body = Me),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API clients have no user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(state: web::Data<AppState>, who: Authenticated) -> Result<HttpResponse, ApiError> {
    let Actor::User { id, .. } = who.0.actor else {
        return Err(ApiError::forbidden().detail("API clients have no user account"));
    };
    let mut conn = state.pool.get().await?;
    let user: UserRow = users::table
        .find(id.0)
        .select((
            users::id,
            users::username,
            users::display_name,
            users::roles,
        ))
        .first(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(user.me()))
}

#[utoipa::path(
    get, path = "/api/v1/auth/jwks.json", tag = "auth",
    responses((status = 200, description = "Public keys (JWK Set) that verify Probity's access tokens and audit checkpoints"))
)]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(state.keys.jwks())
}
