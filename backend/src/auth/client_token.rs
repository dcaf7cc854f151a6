//! `POST /api/v1/oauth/token`: the OAuth 2.0 client-credentials grant
//! (RFC 6749 §4.4) for third-party applications.

use super::tokens::{self, Claims, Subject};
use crate::body::ValidForm;
use crate::db::schema::api_clients;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use shared::auth::ClientTokenResponse;
use shared::error::{ErrorCode, FieldError, Problem};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct ClientTokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: String,
    /// Or send client_id and client_secret with HTTP Basic authentication.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated permissions wanted; defaults to everything granted.
    pub scope: Option<String>,
}

/// id, secret hash, granted scopes, disabled at.
type ClientRow = (Uuid, String, Vec<String>, Option<chrono::DateTime<Utc>>);

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

#[utoipa::path(
    post, path = "/api/v1/oauth/token", tag = "auth",
    request_body(content = ClientTokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token for the client", body = ClientTokenResponse),
        (status = 401, description = "Unknown client, wrong secret or disabled client", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unsupported grant type or scope not granted", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn client_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: ValidForm<ClientTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    if form.grant_type != "client_credentials" {
        return Err(ApiError::field(FieldError::new(
            "grant_type",
            "unsupported_grant_type",
            "Only client_credentials is supported",
        )));
    }
    let (client_id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Err(
                ApiError::new(ErrorCode::InvalidCredentials).detail("client credentials missing")
            );
        }
    };
    let mut conn = state.pool.get().await?;
    let client: Option<ClientRow> = api_clients::table
        .filter(api_clients::client_id.eq(&client_id))
        .select((
            api_clients::id,
            api_clients::secret_hash,
            api_clients::scopes,
            api_clients::disabled_at,
        ))
        .first(&mut conn)
        .await
        .optional()?;
    drop(conn);
    let Some((id, secret_hash, granted, disabled_at)) = client else {
        state.passwords.waste_time_like_a_verify(secret).await;
        return Err(ApiError::new(ErrorCode::InvalidCredentials));
    };
    if !state.passwords.verify_blocking(secret, secret_hash).await || disabled_at.is_some() {
        return Err(ApiError::new(ErrorCode::InvalidCredentials));
    }
    let scope: Vec<String> = match form
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => granted.clone(),
        Some(wanted) => {
            let wanted: Vec<String> = wanted.split(' ').map(str::to_owned).collect();
            if let Some(extra) = wanted.iter().find(|w| !granted.contains(w)) {
                return Err(ApiError::field(FieldError::new(
                    "scope",
                    "invalid_scope",
                    format!("`{extra}` is not granted to this client"),
                )));
            }
            wanted
        }
    };
    let now = Utc::now();
    let ttl = state.config.access_token_ttl_secs;
    let scope = scope.join(" ");
    let claims = Claims {
        iss: state.config.jwt_issuer.clone(),
        aud: state.config.jwt_issuer.clone(),
        sub: id,
        typ: Subject::ApiClient,
        iat: now.timestamp(),
        exp: now.timestamp() + ttl,
        jti: Uuid::new_v4(),
        sid: None,
        roles: Vec::new(),
        scope: Some(scope.clone()),
    };
    let access_token = tokens::sign(&state.keys, &claims)?;
    tracing::info!(api_client.id = %id, "client token issued");
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ClientTokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ttl,
            scope,
        }))
}
