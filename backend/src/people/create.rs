//! `POST /api/v1/people`: record a new person (a collection).

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::idempotency::{Claim, IdempotencyKey};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::error::{ErrorCode, Problem};
use shared::ids::PersonId;
use shared::people::{Person, PersonInput};
use shared::permissions::Permission;
use uuid::Uuid;

#[utoipa::path(
    post, path = "/api/v1/people", tag = "people",
    request_body = PersonInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per create; a retry with the same key and body returns the first result instead of a duplicate")),
    security(("bearer" = ["person.create"])),
    responses(
        (status = 201, description = "Recorded (or, on a retry with the same Idempotency-Key, the person recorded the first time)", body = Person, headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires person.create", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused for a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    req: HttpRequest,
    auth: Authorised<perm::PersonCreate>,
    state: web::Data<AppState>,
    body: ValidJson<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let key = IdempotencyKey::from_request(&req, "person.create", &*body)?;
    let valid = body.validate(state.today()).map_err(ApiError::validation)?;
    let id = Uuid::new_v4();
    let (person, replayed) = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            if let Some(key) = &key
                && let Claim::Replay(earlier) = key.claim(tx).await?
            {
                // Replaying shows the person as they are now: a read.
                if !tx.ctx().can(Permission::PersonRead) {
                    return Err(ApiError::new(ErrorCode::Conflict).detail(format!(
                        "Already recorded as /api/v1/people/{earlier}; reading it needs person.read"
                    )));
                }
                let found = store::get(tx, PersonId(earlier)).await?;
                return Ok(found.map(|p| p.map(|p| (p, true))));
            }
            let created = store::create(tx, id, valid).await?;
            if let Some(key) = &key {
                key.complete(tx, id).await?;
            }
            Ok(created.map(|p| Some((p, false))))
        })
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    tracing::info!(person.id = %person.id, replayed, "person recorded");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/people/{}", person.id)))
        .insert_header(("ETag", super::etag(person.version)))
        .insert_header((
            "Idempotent-Replayed",
            if replayed { "true" } else { "false" },
        ))
        .json(person))
}
