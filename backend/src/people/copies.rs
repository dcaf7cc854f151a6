//! `GET /api/v1/people/{id}/print` and `GET /api/v1/people/{id}/export`: a
//! copy of a person's profile that leaves Probity, on paper or as a file.
//! Once out, Probity can no longer say who reads it, so each copy is a
//! disclosure (DPA 2018 s.62), naming whom it is for when the officer says.

use super::profile::{Shown, profile};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::ids::PersonId;
use shared::profile::PersonProfile;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CopyParams {
    /// The organisation the copy is for (its id on the list at
    /// `GET /api/v1/organisations`), if not the officer's own use.
    pub recipient: Option<String>,
}

async fn copy(
    auth: &Authorised<perm::PersonExport>,
    state: &AppState,
    id: PersonId,
    shown: Shown,
    params: &CopyParams,
) -> Result<PersonProfile, ApiError> {
    let recipient = params
        .recipient
        .as_deref()
        .map(|r| crate::organisations::parse_id(r, "recipient"))
        .transpose()?;
    audit::run(state, &auth.ctx, |tx| {
        Box::pin(async move {
            let recipient = match recipient {
                Some(r) => Some(crate::organisations::recipient(tx, r, "recipient").await?),
                None => None,
            };
            profile(tx, id, shown, recipient.as_deref()).await
        })
    })
    .await?
    .ok_or_else(ApiError::not_found)
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/print", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id (a merged duplicate's id resolves to the survivor)"),
        ("Probity-Justification" = String, Header, description = "Why the copy is made: purpose=<purpose>&reference=<ref> or &reason=<text>"),
        CopyParams,
    ),
    security(("bearer" = ["person.export"])),
    responses(
        (status = 200, description = "The profile to print; the print is logged as a disclosure", body = PersonProfile),
        (status = 403, description = "Requires person.export", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The recipient is not an active organisation on the list", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn print(
    auth: Authorised<perm::PersonExport>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    params: crate::body::Query<CopyParams>,
) -> Result<HttpResponse, ApiError> {
    let found = copy(&auth, &state, id.into_inner(), Shown::Printed, &params).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/export", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id (a merged duplicate's id resolves to the survivor)"),
        ("Probity-Justification" = String, Header, description = "Why the copy is made: purpose=<purpose>&reference=<ref> or &reason=<text>"),
        CopyParams,
    ),
    security(("bearer" = ["person.export"])),
    responses(
        (status = 200, description = "The profile as a JSON file to save (Content-Disposition: attachment); the export is logged as a disclosure", body = PersonProfile),
        (status = 403, description = "Requires person.export", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The recipient is not an active organisation on the list", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export(
    auth: Authorised<perm::PersonExport>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    params: crate::body::Query<CopyParams>,
) -> Result<HttpResponse, ApiError> {
    let found = copy(&auth, &state, id.into_inner(), Shown::Exported, &params).await?;
    // Named by the record's id, never by the person's name: the file name
    // shows in download lists and browser history.
    let filename = format!("probity-person-{}.json", found.person.id);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .json(found))
}
