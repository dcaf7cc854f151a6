//! `POST /api/v1/auth/sign-in`: username and password for a token pair.

use super::sessions::{self, UserRow};
use crate::body::ValidJson;
use crate::db::schema::users;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::auth::{SignInRequest, TokenPair};
use shared::error::{ErrorCode, Problem};
use uuid::Uuid;

#[derive(Queryable)]
struct Account {
    id: Uuid,
    username: String,
    display_name: String,
    roles: Vec<String>,
    password_hash: String,
    disabled_at: Option<DateTime<Utc>>,
    throttled_until: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post, path = "/api/v1/auth/sign-in", tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        (status = 401, description = "Username or password not recognised, account disabled, or throttled after repeated failures (the same answer, so usernames cannot be probed)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_in(
    state: web::Data<AppState>,
    body: ValidJson<SignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let refused = || ApiError::new(ErrorCode::InvalidCredentials);
    let username = body.username.trim().to_lowercase();
    let mut conn = state.pool.get().await?;
    let account: Option<Account> = users::table
        .filter(users::username.eq(&username))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::roles,
            users::password_hash,
            users::disabled_at,
            users::throttled_until,
        ))
        .first(&mut conn)
        .await
        .optional()?;
    let Some(account) = account else {
        state
            .passwords
            .waste_time_like_a_verify(body.0.password)
            .await;
        return Err(refused());
    };
    let now = Utc::now();
    // A throttled account is refused like a wrong password, so the answer
    // never tells a guesser that the username exists.
    if account.throttled_until.is_some_and(|t| t > now) {
        state
            .passwords
            .waste_time_like_a_verify(body.0.password)
            .await;
        tracing::warn!(user.id = %account.id, "sign-in refused: throttled");
        return Err(refused());
    }
    let ok = state
        .passwords
        .verify_blocking(body.0.password, account.password_hash.clone())
        .await;
    if !ok {
        // Counted in the database, so parallel guesses cannot overwrite
        // each other's failures.
        let failures: i32 = diesel::update(users::table.find(account.id))
            .set(users::failed_sign_ins.eq(users::failed_sign_ins + 1))
            .returning(users::failed_sign_ins)
            .get_result(&mut conn)
            .await?;
        let throttle = failures >= state.config.sign_in_max_failures;
        if throttle {
            diesel::update(users::table.find(account.id))
                .set((
                    users::failed_sign_ins.eq(0),
                    users::throttled_until
                        .eq(now + Duration::seconds(state.config.sign_in_throttle_secs)),
                ))
                .execute(&mut conn)
                .await?;
        }
        tracing::warn!(user.id = %account.id, failures, throttled = throttle, "sign-in failed");
        return Err(refused());
    }
    if account.disabled_at.is_some() {
        return Err(refused().detail("This account is disabled"));
    }
    diesel::update(users::table.find(account.id))
        .set((
            users::failed_sign_ins.eq(0),
            users::throttled_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(&mut conn)
        .await?;
    let user = UserRow {
        id: account.id,
        username: account.username,
        display_name: account.display_name,
        roles: account.roles,
    };
    let pair = sessions::start(&state, &mut conn, &user).await?;
    tracing::info!(user.id = %user.id, "signed in");
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pair))
}
