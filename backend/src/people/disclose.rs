//! `POST /api/v1/people/{id}/disclosures`: share a person's record with a
//! named organisation (a disclosure naming the recipient).

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::ids::PersonId;
use shared::people::{DisclosureRequest, Person};

#[utoipa::path(
    post, path = "/api/v1/people/{id}/disclosures", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id"),
        ("Probity-Justification" = String, Header, description = "Why the record is shared"),
    ),
    request_body = DisclosureRequest, security(("bearer" = ["person.disclose"])),
    responses(
        (status = 200, description = "The record as disclosed; the disclosure is logged with its recipient", body = Person),
        (status = 403, description = "Requires person.disclose", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The recipient is not an active organisation on the list", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn disclose(
    auth: Authorised<perm::PersonDisclose>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    body: ValidJson<DisclosureRequest>,
) -> Result<HttpResponse, ApiError> {
    let recipient = body.recipient;
    let id = id.into_inner();
    let person = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            let recipient = crate::organisations::recipient(tx, recipient, "recipient").await?;
            store::disclose(tx, id, recipient).await
        })
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(person))
}
