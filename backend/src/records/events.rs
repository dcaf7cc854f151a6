//! Events as a record family: crime, intelligence, custody, stop and search
//! and case files.

use super::family::{Family, Prepared, Stored};
use super::handlers;
use super::store::ListFilter;
use crate::auth::RequestContext;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::error::FieldErrors;
use shared::error::Problem;
use shared::events::{Event, EventDetails, EventInput, EventKind, RuleContext};
use shared::links::RecordType;
use shared::page::Page;
use uuid::Uuid;

pub struct Events;

impl Family for Events {
    const RECORD_TYPE: RecordType = RecordType::Event;
    const NAME: &'static str = "event";
    const CREATE: &'static str = "event.create";
    const READ: &'static str = "event.read";
    const UPDATE: &'static str = "event.update";
    const LIST: &'static str = "event.list";
    const IMPORT: &'static str = "event.import";
    const PATH: &'static str = "/api/v1/events";

    type Input = EventInput;
    type Output = Event;

    fn prepare(input: &EventInput, id: Uuid, rules: &RuleContext) -> Result<Prepared, FieldErrors> {
        let valid = input.validate(id, rules)?;
        let mut details = valid.details;
        // The source's identity never sits in the report itself.
        let mut source_identity = None;
        let mut read_only = false;
        if let EventDetails::Intelligence(report) = &mut details {
            source_identity = report.source_identity.take();
            read_only = report.legacy_grading.is_some();
        }
        Ok(Prepared {
            kind: details.kind().as_str(),
            occurred_at: Some(valid.occurred_at),
            status: details.status().to_owned(),
            handling_code: details.handling_code(),
            summary: details.summary(),
            lookup_key: None,
            details: serde_json::to_value(&details).map_err(|_| FieldErrors::default())?,
            links: valid.links,
            source_identity,
            read_only,
        })
    }

    fn output(s: Stored, _ctx: &RequestContext) -> Result<Event, ApiError> {
        let mut details: EventDetails =
            serde_json::from_value(s.details).map_err(ApiError::internal)?;
        if let EventDetails::Intelligence(report) = &mut details {
            report.source_identity = s.source_identity;
        }
        Ok(Event {
            id: s.id,
            reference: s.reference.unwrap_or_default(),
            kind: EventKind::parse(&s.kind)
                .ok_or_else(|| ApiError::internal("unknown event kind"))?,
            occurred_at: s.occurred_at.unwrap_or(s.created_at),
            summary: s.summary,
            status: s.status,
            details,
            links: s.links,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }

    fn version(e: &Event) -> i32 {
        e.version
    }

    fn id(e: &Event) -> Uuid {
        e.id
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventListParams {
    /// Only this kind: occurrence, intelligence, custody, stop_search, case_file.
    pub kind: Option<String>,
    /// Only this status (for example `under_investigation`, `in_custody`).
    pub status: Option<String>,
    /// `occurred_at` (oldest first) or `-occurred_at` (newest first, the default).
    pub sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<u32>,
}

#[utoipa::path(
    post, path = "/api/v1/events", tag = "events",
    request_body = EventInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per create; a retry with the same key and body returns the first result instead of a duplicate")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded (or, on a retry with the same Idempotency-Key, the record made the first time)", body = Event, headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String))),
        (status = 403, description = "Requires record.create", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused for a different body, or link already exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    req: HttpRequest,
    auth: Authorised<perm::RecordCreate>,
    state: web::Data<AppState>,
    body: ValidJson<EventInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::create::<Events>(&req, &auth.ctx, &state, body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/events/{id}", tag = "events",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record with its links", body = Event, headers(("ETag" = String))),
        (status = 403, description = "Requires record.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    auth: Authorised<perm::RecordRead>,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    handlers::read::<Events>(&auth.ctx, &state, id.into_inner()).await
}

#[utoipa::path(
    put, path = "/api/v1/events/{id}", tag = "events",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale write gets 412"),
    ),
    request_body = EventInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = Event, headers(("ETag" = String))),
        (status = 403, description = "Requires record.update", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Read-only legacy record", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    req: HttpRequest,
    auth: Authorised<perm::RecordUpdate>,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ValidJson<EventInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::update::<Events>(&req, &auth.ctx, &state, id.into_inner(), body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/events", tag = "events",
    params(
        EventListParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = Page<Event>),
        (status = 403, description = "Requires record.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter, sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::RecordList>,
    state: web::Data<AppState>,
    params: web::Query<EventListParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let (limit, after) = handlers::paging(p.limit, p.cursor.as_deref())?;
    let ascending = handlers::ascending(p.sort.as_deref(), "occurred_at")?;
    let filter = ListFilter {
        kind: handlers::code_filter("kind", p.kind, |k| EventKind::parse(k).is_some())?,
        status: p.status.filter(|s| !s.trim().is_empty()),
        lookup_prefix: None,
        ascending,
        after,
    };
    handlers::list::<Events>(&auth.ctx, &state, filter, limit).await
}
