//! Sessions and their rotating refresh tokens.
//!
//! A refresh token is single use. Presenting one that was already used means
//! it was copied: the whole session (the token family) is revoked, ending the
//! thief's and the owner's tokens alike (reuse detection, OAuth 2.0 Security
//! BCP §4.14).

use super::tokens::{self, Claims, Subject};
use crate::db::schema::{refresh_tokens, sessions, users};
use crate::error::ApiError;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::auth::{Me, TokenPair};
use shared::error::ErrorCode;
use shared::ids::UserId;
use shared::permissions::{Permission, Role};
use uuid::Uuid;

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[derive(Queryable, Clone)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
}

impl UserRow {
    pub fn me(&self) -> Me {
        let roles: Vec<Role> = self.roles.iter().filter_map(|r| r.parse().ok()).collect();
        let mut permissions: Vec<Permission> = roles
            .iter()
            .flat_map(|r| r.permissions().iter().copied())
            .collect();
        permissions.sort();
        permissions.dedup();
        Me {
            id: UserId(self.id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles,
            permissions,
        }
    }
}

/// Signs an access token for a user in a session and stores a fresh
/// refresh token in the same family.
async fn issue(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    user: &UserRow,
    session: Uuid,
) -> Result<TokenPair, ApiError> {
    let now = Utc::now();
    let ttl = state.config.access_token_ttl_secs;
    let claims = Claims {
        iss: state.config.jwt_issuer.clone(),
        aud: state.config.jwt_issuer.clone(),
        sub: user.id,
        typ: Subject::User,
        iat: now.timestamp(),
        exp: now.timestamp() + ttl,
        jti: Uuid::new_v4(),
        sid: Some(session),
        roles: user.roles.clone(),
        scope: None,
    };
    let access_token = tokens::sign(&state.keys, &claims)?;
    let refresh_token = new_refresh_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(hash_token(&refresh_token)),
            refresh_tokens::session_id.eq(session),
        ))
        .execute(conn)
        .await?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        refresh_token,
        user: user.me(),
    })
}

/// Starts a new session for a user who has just proved who they are.
pub async fn start(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    user: &UserRow,
) -> Result<TokenPair, ApiError> {
    let session = Uuid::new_v4();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(session),
            sessions::user_id.eq(user.id),
            sessions::expires_at
                .eq(Utc::now() + Duration::seconds(state.config.refresh_token_ttl_secs)),
        ))
        .execute(conn)
        .await?;
    issue(state, conn, user, session).await
}

pub async fn revoke(
    conn: &mut AsyncPgConnection,
    session: Uuid,
    reason: &str,
) -> Result<(), ApiError> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(Utc::now()),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Exchanges a refresh token for a new pair, detecting reuse.
pub async fn rotate(state: &AppState, presented: &str) -> Result<TokenPair, ApiError> {
    let refused = || ApiError::new(ErrorCode::InvalidRefreshToken);
    let mut conn = state.pool.get().await?;
    let hash = hash_token(presented);
    let found: Option<(Uuid, Option<chrono::DateTime<Utc>>)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select((refresh_tokens::session_id, refresh_tokens::used_at))
        .first(&mut conn)
        .await
        .optional()?;
    let Some((session, used_at)) = found else {
        return Err(refused());
    };
    if used_at.is_some() {
        revoke(&mut conn, session, "refresh token reused").await?;
        tracing::warn!(session.id = %session, "refresh token reuse detected: session revoked");
        return Err(
            refused().detail("This refresh token was already used; the session has been ended")
        );
    }
    // Mark used only if still unused: two racing refreshes cannot both win.
    let claimed = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Utc::now()))
    .execute(&mut conn)
    .await?;
    if claimed != 1 {
        revoke(&mut conn, session, "refresh token reused").await?;
        return Err(refused());
    }
    let user: Option<UserRow> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .filter(users::disabled_at.is_null())
        .select((
            users::id,
            users::username,
            users::display_name,
            users::roles,
        ))
        .first(&mut conn)
        .await
        .optional()?;
    let user = user.ok_or_else(refused)?;
    issue(state, &mut conn, &user, session).await
}
