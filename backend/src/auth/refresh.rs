//! `POST /api/v1/auth/refresh` and `POST /api/v1/auth/sign-out`.

use super::authorised::Authenticated;
use super::context::Actor;
use super::sessions;
use crate::body::ValidJson;
use crate::db::schema::refresh_tokens;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::auth::{RefreshRequest, TokenPair};
use shared::error::Problem;

#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair; the presented refresh token is now spent", body = TokenPair),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token (reuse ends the session)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let pair = sessions::rotate(&state, &body.refresh_token).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pair))
}

#[utoipa::path(
    post, path = "/api/v1/auth/sign-out", tag = "auth",
    request_body = RefreshRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Session ended: its refresh and access tokens no longer work"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_out(
    state: web::Data<AppState>,
    who: Authenticated,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.pool.get().await?;
    // The session in the access token ends; so does the one the refresh
    // token belongs to, if it is a different one of the same user.
    if let Actor::User { session, .. } = who.0.actor {
        sessions::revoke(&mut conn, session, "signed out").await?;
    }
    let other: Option<uuid::Uuid> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(sessions::hash_token(&body.refresh_token)))
        .select(refresh_tokens::session_id)
        .first(&mut conn)
        .await
        .optional()?;
    if let Some(session) = other {
        let owner: Option<uuid::Uuid> = crate::db::schema::sessions::table
            .find(session)
            .select(crate::db::schema::sessions::user_id)
            .first(&mut conn)
            .await
            .optional()?;
        if owner.is_some() && owner == who.0.actor.id() {
            sessions::revoke(&mut conn, session, "signed out").await?;
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
