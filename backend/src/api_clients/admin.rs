//! `/api/v1/api-clients`: registering third-party applications.

use crate::audit::{self, AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::db::schema::api_clients;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rand::RngCore;
use shared::error::Problem;
use shared::ids::ApiClientId;
use shared::permissions::Permission;
use shared::users::{ApiClientCreated, NewApiClient};
use uuid::Uuid;

fn random(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

struct Registration {
    name: String,
    scopes: Vec<Permission>,
    client_id: String,
    secret: String,
    secret_hash: String,
}

async fn insert(tx: &mut Tx, r: Registration) -> Result<Audited<ApiClientCreated>, ApiError> {
    let id = Uuid::new_v4();
    let created_by = tx.ctx().actor.id();
    let scopes: Vec<String> = r.scopes.iter().map(|p| p.as_str().to_owned()).collect();
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(id),
            api_clients::client_id.eq(&r.client_id),
            api_clients::name.eq(&r.name),
            api_clients::secret_hash.eq(&r.secret_hash),
            api_clients::scopes.eq(scopes),
            api_clients::created_by.eq(created_by),
        ))
        .execute(tx.conn()?)
        .await?;
    let event = AuditEvent::new(
        Operation::Administration,
        "api_client.create",
        vec![RecordRef::new("api_client", id)],
    )
    .fields(vec!["name".into(), "scopes".into()]);
    Ok(Audited::new(
        ApiClientCreated {
            id: ApiClientId(id),
            client_id: r.client_id,
            client_secret: r.secret,
            name: r.name,
            scopes: r.scopes,
        },
        event,
    ))
}

#[utoipa::path(
    post, path = "/api/v1/api-clients", tag = "api clients",
    request_body = NewApiClient, security(("bearer" = ["api_client.admin"])),
    responses(
        (status = 201, description = "Registered. The secret is shown this once only.", body = ApiClientCreated),
        (status = 403, description = "Requires api_client.admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    auth: Authorised<perm::ApiClientAdmin>,
    state: web::Data<AppState>,
    body: ValidJson<NewApiClient>,
) -> Result<HttpResponse, ApiError> {
    let (name, scopes) = body.validate().map_err(ApiError::validation)?;
    let secret = random(32);
    let secret_hash = state.passwords.hash_blocking(secret.clone()).await?;
    let registration = Registration {
        name,
        scopes,
        client_id: format!("pc_{}", random(12)),
        secret,
        secret_hash,
    };
    let created = audit::run(&state, &auth.ctx, |tx| Box::pin(insert(tx, registration))).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}
