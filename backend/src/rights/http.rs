//! `/api/v1/rights/requests`: data subjects' rights requests and the
//! subject access pack. The data protection officer manages them
//! (`rights.manage`); auditors may read them (`rights.read`).

use super::{compile, decide, release, store};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::body::{Query, ValidJson};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::ids::PersonId;
use shared::rights::pack::{CompileSummary, DecisionInput, SubjectAccessPack, WorkingPack};
use shared::rights::{
    AttachInput, ExtensionInput, IdentityInput, ReasonInput, RequestInput, RequestStatus,
    RequestSummary, RightsRequest, StatusInput,
};
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only requests still to be answered.
    pub open: Option<bool>,
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests", tag = "rights",
    params(ListParams, ("Probity-Justification" = String, Header, description = "Why: usually purpose=subject_access")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "Requests still to be answered first, fewest days left (overdue) first; then the rest, newest first", body = Vec<RequestSummary>),
        (status = 403, description = "Requires rights.read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    params: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let (today, open) = (state.today(), params.open.unwrap_or(false));
    let list = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::list(tx, today, open))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(list))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests", tag = "rights",
    request_body = RequestInput, security(("bearer" = ["rights.manage"])),
    params(("Probity-Justification" = String, Header, description = "Why: usually purpose=subject_access")),
    responses(
        (status = 201, description = "Recorded, with its reference and clock", body = RightsRequest),
        (status = 403, description = "Requires rights.manage", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: no received date, identity proved before receipt…", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    body: ValidJson<RequestInput>,
) -> Result<HttpResponse, ApiError> {
    let today = state.today();
    let valid = body.validate(today).map_err(ApiError::validation)?;
    let made = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::create(tx, valid, today))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/rights/requests/{}", made.id)))
        .json(made))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The request with its clock, subjects, timeline and latest compile", body = RightsRequest),
        (status = 403, description = "Requires rights.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let view = audit::run(&state, &auth.ctx, |tx| Box::pin(store::read(tx, id, today))).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(view))
}

#[utoipa::path(
    put, path = "/api/v1/rights/requests/{id}/identity", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = IdentityInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Recorded; the clock runs from the later of receipt and this", body = RightsRequest),
        (status = 409, description = "The request is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Proved before receipt, in the future, or without saying how", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn identity(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<IdentityInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let body = body.0;
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            let case = store::row(tx, id, false).await?;
            let identity = body
                .validate(case.received_on, today)
                .map_err(ApiError::validation)?;
            store::record_identity(tx, id, identity, today).await
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/status", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = StatusInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Moved, with who and when on the timeline", body = RightsRequest),
        (status = 409, description = "The request is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a move open from here, or a refusal without its reasons (s.53)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn status(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<StatusInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let to = RequestStatus::parse(body.status.trim()).ok_or_else(|| {
        ApiError::field(shared::error::FieldError::new(
            "status",
            "unknown",
            "Not a state a request can be in",
        ))
    })?;
    let reason = match to {
        RequestStatus::Refused => {
            Some(shared::rights::reason("reason", &body.reason).map_err(ApiError::validation)?)
        }
        _ if !body.reason.trim().is_empty() => {
            Some(shared::rights::reason("reason", &body.reason).map_err(ApiError::validation)?)
        }
        _ => None,
    };
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::change_status(tx, id, to, reason, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/extension", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = ExtensionInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Extended; the new due date is on the clock", body = RightsRequest),
        (status = 422, description = "More than two months, no reason, or after the first month (says why)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn extend(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<ExtensionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let body = body.0;
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            let case = store::row(tx, id, false).await?;
            let first_month = super::Case(&case).facts().first_month_ends();
            let (months, reason) = body
                .validate(first_month, today)
                .map_err(ApiError::validation)?;
            store::extend(tx, id, months, reason, today).await
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/pause", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = ReasonInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "The clock stands still while waiting for clarification", body = RightsRequest),
        (status = 409, description = "Already paused, or closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pause(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let reason = shared::rights::reason("reason", &body.reason).map_err(ApiError::validation)?;
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::pause(tx, id, reason, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/resume", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "The clock runs again, the days already used kept", body = RightsRequest),
        (status = 409, description = "Not paused, or closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn resume(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::resume(tx, id, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/subjects", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why: purpose=subject_access")),
    request_body = AttachInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Attached (a merged duplicate as its survivor)", body = RightsRequest),
        (status = 422, description = "No person record has that id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn attach(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<AttachInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today, person) = (id.into_inner(), state.today(), body.person);
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::attach(tx, id, person, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    delete, path = "/api/v1/rights/requests/{id}/subjects/{person}", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("person" = Uuid, Path, description = "The person record"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Detached", body = RightsRequest),
        (status = 404, description = "Not attached", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn detach(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let ((id, person), today) = (path.into_inner(), state.today());
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::detach(tx, id, PersonId(person), today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/compile", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why: purpose=subject_access")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Compiled from the database; what changed since the last compile", body = CompileSummary),
        (status = 409, description = "Identity not proved yet, or the request is closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn compile(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    // Everything committed sealed and a checkpoint signed over it (after the
    // sealer has verified the chain), so every consultation so far can be
    // proved against one signature.
    crate::audit::seal::seal_and_sign(&state).await?;
    let blocks = state.audit_blocks.clone();
    let summary = audit::run(&state, &auth.ctx, move |tx| {
        Box::pin(async move { compile::compile(tx, &blocks, id, today).await })
    })
    .await?;
    Ok(HttpResponse::Ok().json(summary))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/pack", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The latest compile, unredacted, with the decisions so far: the working view, for the case", body = WorkingPack),
        (status = 404, description = "No such request, or nothing compiled yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pack(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(async move {
            store::row(tx, id, false).await?;
            let pack = compile::latest(tx, id)
                .await?
                .ok_or_else(ApiError::not_found)?;
            let mut read = vec![super::record(id)];
            read.extend(
                pack.items
                    .iter()
                    .filter_map(|i| Some(crate::audit::RecordRef::new(&i.category, i.record_id?))),
            );
            Ok(crate::audit::Audited::new(
                pack,
                crate::audit::AuditEvent::new(
                    crate::audit::Operation::Consultation,
                    "rights.pack",
                    read,
                ),
            ))
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pack))
}

#[utoipa::path(
    put, path = "/api/v1/rights/requests/{id}/decisions", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = Vec<DecisionInput>, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Recorded; the pack with every decision so far", body = WorkingPack),
        (status = 409, description = "Nothing compiled yet, or the request is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown item, withholding without a ground or reason, a redaction of no field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decisions(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<Vec<DecisionInput>>,
) -> Result<HttpResponse, ApiError> {
    let (id, today, inputs) = (id.into_inner(), state.today(), body.0);
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(decide::decide(tx, id, inputs, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(pack))
}

#[utoipa::path(
    put, path = "/api/v1/rights/requests/{id}/neither-confirm-nor-deny", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    request_body = ReasonInput, security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "The response will neither confirm nor deny (s.45(5)); the reason stays with the case", body = RightsRequest),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ncnd(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ValidJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let reason = shared::rights::reason("reason", &body.reason).map_err(ApiError::validation)?;
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::set_ncnd(tx, id, Some(reason), today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    delete, path = "/api/v1/rights/requests/{id}/neither-confirm-nor-deny", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.manage"])),
    responses((status = 200, description = "The response will say what is held", body = RightsRequest))
)]
pub async fn confirm(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today) = (id.into_inner(), state.today());
    let view = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(store::set_ncnd(tx, id, None, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/preview", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The pack the decisions make, as the subject would receive it", body = SubjectAccessPack),
        (status = 409, description = "Items still undecided (listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn preview(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, controller) = (id.into_inner(), state.config.controller_name.clone());
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(release::preview(tx, id, controller))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pack))
}

#[utoipa::path(
    post, path = "/api/v1/rights/requests/{id}/release", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why: purpose=subject_access")),
    security(("bearer" = ["rights.manage"])),
    responses(
        (status = 200, description = "Released: a disclosure to the subject of every record in it; the request is answered", body = SubjectAccessPack),
        (status = 409, description = "Items still undecided (listed), nothing compiled, or the request is closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn release(
    auth: Authorised<perm::RightsManage>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, today, controller) = (
        id.into_inner(),
        state.today(),
        state.config.controller_name.clone(),
    );
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(release::release(tx, id, controller, today))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(pack))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/response.json", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The pack as released, to save", body = SubjectAccessPack),
        (status = 409, description = "Not released yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn response_json(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(release::released(tx, id, "rights.response_json"))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"subject-access-{id}.json\""),
        ))
        .json(pack))
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/response.pdf", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The letter and pack as released, a PDF with its fonts embedded, every page footed with the reference", content_type = "application/pdf"),
        (status = 409, description = "Not released yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn response_pdf(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pack: SubjectAccessPack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(release::released(tx, id, "rights.response_pdf"))
    })
    .await?;
    pdf_response(id, pack, "response").await
}

#[utoipa::path(
    get, path = "/api/v1/rights/requests/{id}/preview.pdf", tag = "rights",
    params(("id" = Uuid, Path, description = "The request"), ("Probity-Justification" = String, Header, description = "Why")),
    security(("bearer" = ["rights.read"])),
    responses(
        (status = 200, description = "The PDF the decisions make, before release", content_type = "application/pdf"),
        (status = 409, description = "Items still undecided (listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn preview_pdf(
    auth: Authorised<perm::RightsRead>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, controller) = (id.into_inner(), state.config.controller_name.clone());
    let pack = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(release::preview(tx, id, controller))
    })
    .await?;
    pdf_response(id, pack, "preview").await
}

/// A pack as a PDF, made off the async threads (krilla's documents are
/// built in one go, and not `Send`).
async fn pdf_response(
    id: Uuid,
    pack: SubjectAccessPack,
    name: &str,
) -> Result<HttpResponse, ApiError> {
    let pdf = web::block(move || super::pdf::render(&pack))
        .await
        .map_err(|e| ApiError::internal("the PDF could not be made").with_cause(e))?
        .map_err(|e| ApiError::internal("the PDF could not be made").with_cause(e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"subject-access-{name}-{id}.pdf\""),
        ))
        .body(pdf))
}
