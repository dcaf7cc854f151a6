//! `GET /api/v1/people/duplicates`: likely duplicates offered before a new
//! person is saved, so one person does not become two records.

use super::store;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::people::keys::{first_forename_key, name_key};
use shared::people::{DuplicateCandidate, Surname, parse_date_of_birth};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DuplicateParams {
    pub surname: String,
    #[serde(default)]
    pub forenames: String,
    /// `YYYY-MM-DD`, if known.
    #[serde(default)]
    pub date_of_birth: String,
}

#[utoipa::path(
    get, path = "/api/v1/people/duplicates", tag = "people",
    params(
        DuplicateParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["person.list"])),
    responses(
        (status = 200, description = "Possible duplicates, each with why (may be empty)", body = Vec<DuplicateCandidate>),
        (status = 403, description = "Requires person.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad surname or date of birth", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check(
    auth: Authorised<perm::PersonList>,
    state: web::Data<AppState>,
    params: crate::body::Query<DuplicateParams>,
) -> Result<HttpResponse, ApiError> {
    let surname = Surname::parse(&params.surname).map_err(ApiError::field)?;
    let dob = parse_date_of_birth(&params.date_of_birth, state.today()).map_err(ApiError::field)?;
    let surname_key = name_key(surname.as_str());
    let forename_key = first_forename_key(&params.forenames);
    let found = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::duplicates(tx, surname_key, forename_key, dob))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}
