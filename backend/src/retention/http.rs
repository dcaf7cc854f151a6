//! `/api/v1/retention`: the reviews due, one person's review, and the
//! decision (`retention.review`: data protection officers and supervisors).

use super::review;
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::{Query, ValidJson};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::ids::PersonId;
use shared::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page};
use shared::rights::retention::{DueReview, RetentionCase, ReviewInput, ReviewOutcome};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct DueParams {
    /// Page size (default 25, at most 100).
    pub limit: Option<u32>,
    /// The `next_cursor` of the page before.
    pub after: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/retention/due", tag = "retention",
    params(DueParams, ("Probity-Justification" = String, Header, description = "Why: purpose=retention_review")),
    security(("bearer" = ["retention.review"])),
    responses(
        (status = 200, description = "People whose review is due, the longest overdue first", body = Page<DueReview>),
        (status = 403, description = "Requires retention.review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn due(
    auth: Authorised<perm::RetentionReview>,
    state: web::Data<AppState>,
    params: Query<DueParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params
        .limit
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let after = params
        .after
        .as_deref()
        .map(review::parse_cursor)
        .transpose()?;
    let today = state.today();
    let page = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(review::due(tx, today, limit, after))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}

#[utoipa::path(
    get, path = "/api/v1/retention/people/{id}", tag = "retention",
    params(("id" = uuid::Uuid, Path, description = "The person"), ("Probity-Justification" = String, Header, description = "Why: purpose=retention_review")),
    security(("bearer" = ["retention.review"])),
    responses(
        (status = 200, description = "Their group and why, the clear period, the review date worked out now, past reviews and holds", body = RetentionCase),
        (status = 403, description = "Requires retention.review", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn case(
    auth: Authorised<perm::RetentionReview>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let case = audit::run(&state, &auth.ctx, |tx| Box::pin(review::case(tx, id))).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(case))
}

#[utoipa::path(
    post, path = "/api/v1/retention/people/{id}/reviews", tag = "retention",
    params(("id" = uuid::Uuid, Path, description = "The person"), ("Probity-Justification" = String, Header, description = "Why: purpose=retention_review")),
    request_body = ReviewInput, security(("bearer" = ["retention.review"])),
    responses(
        (status = 201, description = "Retained until the next review, or disposed of: erased, with the certificate named", body = ReviewOutcome),
        (status = 403, description = "Requires retention.review", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The review date moved since the queue was read (a new event), the review is not due, or a legal hold (named) keeps the person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A yes without a rationale, an unknown question, a bad date", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decide(
    auth: Authorised<perm::RetentionReview>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
    body: ValidJson<ReviewInput>,
) -> Result<HttpResponse, ApiError> {
    let today = state.today();
    let (decision, due_on) = body.validate(today).map_err(ApiError::validation)?;
    let yes: Vec<String> = body.yes.iter().map(|q| q.trim().to_owned()).collect();
    let id = id.into_inner();
    let decided = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(review::decide(tx, id, decision, yes, due_on, today))
    })
    .await?;
    if let Some(done) = &decided.erasure {
        crate::erasure::http::run_finish(&state, &auth.ctx, done).await?;
    }
    Ok(HttpResponse::Created().json(decided.outcome))
}
