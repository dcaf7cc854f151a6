//! Rectification, the letters owed to earlier recipients, and answering a
//! rectification, erasure or restriction request.

use super::{notify, rectify, respond};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::rights::RightsResponse;
use shared::rights::rectification::{RecipientNotification, RectificationInput, Rectified};
use uuid::Uuid;

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/rectifications", tag = "rights",
    params(("id" = Uuid, Path, description = "A rectification request"), ("Probity-Justification" = String, Header, description = "Why: purpose=data_subject_rights")),
    request_body = RectificationInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Corrected (through the record's own rules) or completed by a statement; the letters owed to earlier recipients", body = Rectified),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not an open rectification request, or a legacy record kept read-only (add a statement instead)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such record or field, or the corrected record breaks a rule (named)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rectify(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<RectificationInput>,
) -> Result<HttpResponse, ApiError> {
    let (record, what, reason) = body.validate().map_err(ApiError::validation)?;
    let (id, today, rules) = (id.into_inner(), state.today(), state.rules());
    let done = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(rectify::rectify(tx, id, record, what, reason, today, rules))
    })
    .await?;
    Ok(HttpResponse::Ok().json(done))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/notifications", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The letters owed to earlier recipients of the changed records (s.48), sent or not", body = Vec<RecipientNotification>),
        (status = 403, description = "Requires rights.read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn notifications(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let list = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(notify::for_request(tx, id))
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(
    get, path = "/api/v1/notifications/{id}/letter.pdf", tag = "rights",
    params(("id" = Uuid, Path, description = "The notification"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "The letter to the recipient, naming records by id and reference only", content_type = "application/pdf"),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notification", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn letter_pdf(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (n, reference) = audit::run(&state, &auth.ctx, |tx| Box::pin(notify::one(tx, id))).await?;
    let pdf = notify::render(&n, &state.config.controller_name, reference.as_deref())
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"notification-{id}.pdf\""),
        ))
        .body(pdf))
}

/// A letter as data, for a recipient's own systems.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Letter {
    pub notification: RecipientNotification,
    pub paragraphs: Vec<String>,
}

#[utoipa::path(
    get, path = "/api/v1/notifications/{id}/letter.json", tag = "rights",
    params(("id" = Uuid, Path, description = "The notification"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "The letter as JSON", body = Letter),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notification", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn letter_json(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (n, reference) = audit::run(&state, &auth.ctx, |tx| Box::pin(notify::one(tx, id))).await?;
    let paragraphs = notify::letter(&n, &state.config.controller_name, reference.as_deref());
    Ok(HttpResponse::Ok().json(Letter {
        notification: n,
        paragraphs,
    }))
}

#[utoipa::path(
    post, path = "/api/v1/notifications/{id}/send", tag = "rights",
    params(("id" = Uuid, Path, description = "The notification"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Sent: a disclosure to the recipient, logged with the records it names", body = RecipientNotification),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notification", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already sent", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let n = audit::run(&state, &auth.ctx, |tx| Box::pin(notify::send(tx, id))).await?;
    Ok(HttpResponse::Ok().json(n))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/respond", tag = "rights",
    params(("id" = Uuid, Path, description = "A rectification, erasure or restriction request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Answered: the response (ids, counts, a letter naming no one); after an erasure the requester's details leave the case", body = RightsResponse),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An access request (release its pack instead), closed already, or nothing done yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn respond(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today, controller) = (
        id.into_inner(),
        state.today(),
        state.config.controller_name.clone(),
    );
    let r = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(respond::respond(tx, id, controller, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(r))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/answer.pdf", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The answer to a rectification, erasure or restriction request as sent", content_type = "application/pdf"),
        (status = 409, description = "Not answered yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn answer_pdf(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let r = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(respond::responded(tx, id, "rights.answer_pdf"))
    })
    .await?;
    let pdf = respond::render(&r).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"answer-{id}.pdf\""),
        ))
        .body(pdf))
}
