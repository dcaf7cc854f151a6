//! Erasure over HTTP: plans (on a rights request, or on their own), the
//! passages the officer confirms, running a plan, and its certificate.

use super::{certificate, execute, plan};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::db::schema::{rights_request_subjects, rights_requests};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError, Problem};
use shared::rights::erasure::{ErasurePlan, IssuedCertificate, PassageInput, PlanInput};
use uuid::Uuid;

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/erasure-plan", tag = "rights",
    params(("id" = Uuid, Path, description = "An erasure request"), ("Probity-Justification" = String, Header, description = "Why: purpose=data_subject_rights")),
    request_body = PlanInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 201, description = "What erasing the person would delete, redact, restrict and keep, and why; passages of kept text that name them, to confirm", body = ErasurePlan),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not an open erasure request, or the person is under a legal hold (named)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The person is not one of the request's subjects", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn plan_for_request(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    let (request, person) = (id.into_inner(), body.person);
    let made = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            let case: Option<(String, String)> = rights_requests::table
                .find(request)
                .select((rights_requests::kind, rights_requests::status))
                .first(tx.conn()?)
                .await
                .optional()?;
            let (kind, status) = case.ok_or_else(ApiError::not_found)?;
            if kind != "erasure" {
                return Err(ApiError::new(ErrorCode::Conflict)
                    .detail(format!("This is a request for {kind}, not erasure")));
            }
            if ["responded", "refused", "withdrawn"].contains(&status.as_str()) {
                return Err(ApiError::new(ErrorCode::Conflict)
                    .detail(format!("The request is {status}: it is no longer open")));
            }
            let attached: i64 = rights_request_subjects::table
                .filter(rights_request_subjects::request_id.eq(request))
                .filter(rights_request_subjects::person_id.eq(person.0))
                .count()
                .get_result(tx.conn()?)
                .await?;
            if attached == 0 {
                return Err(ApiError::field(FieldError::new(
                    "person",
                    "not_attached",
                    "Attach the person to the request first: only its subjects are erased through it",
                )));
            }
            plan::make(tx, person, Some(request), false).await
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/erasure-plans/{}", made.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(made))
}

#[utoipa::path(
    post, path = "/api/v1/erasure-plans", tag = "erasure",
    params(("Probity-Justification" = String, Header, description = "Why: a court order's reference, say")),
    request_body = PlanInput, security(("bearer" = ["person.erase"])),
    responses(
        (status = 201, description = "The plan, outside any request (an order, a review)", body = ErasurePlan),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person is under a legal hold (named), or was merged into another", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn plan_alone(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    body: ValidJson<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    let person = body.person;
    let made = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(plan::make(tx, person, None, false))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/erasure-plans/{}", made.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(made))
}

#[utoipa::path(
    get, path = "/api/v1/erasure-plans/{id}", tag = "erasure",
    params(("id" = Uuid, Path, description = "The plan"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["person.erase"])),
    responses(
        (status = 200, description = "The plan; once it has run, ids only", body = ErasurePlan),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let plan = audit::run(&state, &auth.ctx, |tx| Box::pin(plan::read(tx, id))).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(plan))
}

#[utoipa::path(
    put, path = "/api/v1/erasure-plans/{id}/passages/{n}", tag = "erasure",
    params(("id" = Uuid, Path, description = "The plan"), ("n" = usize, Path, description = "The passage's place in the plan, from 0"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = PassageInput, security(("bearer" = ["person.erase"])),
    responses(
        (status = 200, description = "Confirmed; the plan as it stands", body = ErasurePlan),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan or passage", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The plan has already run", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The text still names the person: where, by character", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, String)>,
    body: ValidJson<PassageInput>,
) -> Result<HttpResponse, ApiError> {
    // Parsed here, after the permission check, so a stranger learns nothing.
    let (id, n) = path.into_inner();
    let n: usize = n.parse().map_err(|_| ApiError::not_found())?;
    let text = body.validate().map_err(ApiError::validation)?;
    let plan = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(plan::confirm(tx, id, n, text))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(plan))
}

/// Runs a plan and issues its certificate.
pub async fn run_and_certify(
    state: &AppState,
    ctx: &crate::auth::RequestContext,
    id: Uuid,
) -> Result<IssuedCertificate, ApiError> {
    let done = audit::run(state, ctx, |tx| Box::pin(execute::execute(tx, id))).await?;
    run_finish(state, ctx, &done).await
}

/// The work after commit; its failure says the erasure itself stands.
pub async fn run_finish(
    state: &AppState,
    ctx: &crate::auth::RequestContext,
    done: &execute::Done,
) -> Result<IssuedCertificate, ApiError> {
    certificate::finish(state, ctx, done.plan, None)
        .await
        .map_err(|e| {
            tracing::error!(plan = %done.plan, error = %e, "erased, but the certificate is not yet issued");
            ApiError::new(ErrorCode::ServiceUnavailable).detail(format!(
                "Erased (committed); certificate {} is not yet issued: the index purge or the probe failed, and is tried again at the next start",
                done.certificate
            ))
        })
}

#[utoipa::path(
    post, path = "/api/v1/erasure-plans/{id}/execute", tag = "erasure",
    params(("id" = Uuid, Path, description = "The plan"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["person.erase"])),
    responses(
        (status = 200, description = "Erased in one transaction, the index purged, the probe run: the certificate and its SHA-256, which the audit log holds", body = IssuedCertificate),
        (status = 403, description = "Requires person.erase", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Passages unconfirmed, the plan has run, or the records changed since it was made (a legal hold placed since is named): nothing was erased", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run(
    auth: Authorised<perm::PersonErase>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let issued = run_and_certify(&state, &auth.ctx, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Location",
            format!("/api/v1/erasure-certificates/{}", issued.certificate.id),
        ))
        .json(issued))
}

#[utoipa::path(
    get, path = "/api/v1/erasure-certificates/{id}", tag = "erasure",
    params(("id" = Uuid, Path, description = "The certificate"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "What was erased (kinds, ids, counts), restricted and kept, who authorised it, when, and what the probe found", body = IssuedCertificate),
        (status = 403, description = "Requires rights.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read_certificate(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let issued = certificate::read(&state, &auth.ctx, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(issued))
}

#[utoipa::path(
    get, path = "/api/v1/erasure-certificates/{id}/certificate.pdf", tag = "erasure",
    params(("id" = Uuid, Path, description = "The certificate"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The certificate as a PDF", content_type = "application/pdf"),
        (status = 403, description = "Requires rights.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn certificate_pdf(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let issued = certificate::read(&state, &auth.ctx, id.into_inner()).await?;
    let pdf = certificate::render(&issued).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"erasure-certificate-{}.pdf\"",
                issued.certificate.id
            ),
        ))
        .body(pdf))
}
