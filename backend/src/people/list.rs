//! `GET /api/v1/people`: a page of people in surname order.

use super::store::{self, Cursor};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::{FieldError, Problem};
use shared::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page};
use shared::people::Person;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only people whose surname starts with this (case-insensitive).
    pub surname: Option<String>,
    /// `surname` (A to Z, the default) or `-surname` (Z to A).
    pub sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<u32>,
}

#[utoipa::path(
    get, path = "/api/v1/people", tag = "people",
    params(
        ListParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["person.list"])),
    responses(
        (status = 200, description = "One page", body = Page<Person>),
        (status = 403, description = "Requires person.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::PersonList>,
    state: web::Data<AppState>,
    params: crate::body::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = params.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "out_of_range",
            format!("Use 1 to {MAX_PAGE_SIZE}"),
        )));
    }
    let after = params.cursor.as_deref().map(Cursor::parse).transpose()?;
    let descending = match params.sort.as_deref() {
        None | Some("surname") => false,
        Some("-surname") => true,
        Some(_) => {
            return Err(ApiError::field(FieldError::new(
                "sort",
                "unknown",
                "Sort by surname or -surname",
            )));
        }
    };
    let prefix = params
        .surname
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    let page = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::list(tx, prefix, after, descending, limit))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}
