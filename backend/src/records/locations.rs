//! Locations as a record family.

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
use shared::events::RuleContext;
use shared::links::RecordType;
use shared::locations::{Location, LocationInput};
use shared::page::Page;
use uuid::Uuid;

pub struct Locations;

impl Family for Locations {
    const RECORD_TYPE: RecordType = RecordType::Location;
    const NAME: &'static str = "location";
    const CREATE: &'static str = "location.create";
    const READ: &'static str = "location.read";
    const UPDATE: &'static str = "location.update";
    const LIST: &'static str = "location.list";
    const IMPORT: &'static str = "location.import";
    const PATH: &'static str = "/api/v1/locations";

    type Input = LocationInput;
    type Output = Location;

    fn prepare(
        input: &LocationInput,
        id: Uuid,
        rules: &RuleContext,
    ) -> Result<Prepared, FieldErrors> {
        let valid = input.validate(id, rules)?;
        let d = &valid.details;
        Ok(Prepared {
            kind: d.place_type.as_str(),
            occurred_at: None,
            status: "recorded".to_owned(),
            handling_code: None,
            summary: d.summary(),
            // Postcodes are looked up without their space.
            lookup_key: Some(d.postcode.replace(' ', "")).filter(|p| !p.is_empty()),
            details: serde_json::to_value(d).map_err(|_| FieldErrors::default())?,
            links: valid.links,
            source_identity: None,
            read_only: false,
        })
    }

    fn output(s: Stored, _ctx: &RequestContext) -> Result<Location, ApiError> {
        Ok(Location {
            id: s.id,
            summary: s.summary,
            details: serde_json::from_value(s.details).map_err(ApiError::internal)?,
            links: s.links,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }

    fn version(l: &Location) -> i32 {
        l.version
    }

    fn id(l: &Location) -> Uuid {
        l.id
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LocationListParams {
    /// Only this type of place (`dwelling`, `street`, ...).
    pub place_type: Option<String>,
    /// Postcodes starting with this (spaces ignored): `LS1` or `LS14AP`.
    pub postcode: Option<String>,
    /// `created_at` (oldest first) or `-created_at` (newest first, the default).
    pub sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<u32>,
}

#[utoipa::path(
    post, path = "/api/v1/locations", tag = "locations",
    request_body = LocationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per create; a retry with the same key and body returns the first result instead of a duplicate")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded (or, on a retry with the same Idempotency-Key, the record made the first time)", body = Location, headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String))),
        (status = 403, description = "Requires record.create", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused for a different body, or link already exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    req: HttpRequest,
    auth: Authorised<perm::RecordCreate>,
    state: web::Data<AppState>,
    body: ValidJson<LocationInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::create::<Locations>(&req, &auth.ctx, &state, body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/locations/{id}", tag = "locations",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record with its links", body = Location, headers(("ETag" = String))),
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
    handlers::read::<Locations>(&auth.ctx, &state, id.into_inner()).await
}

#[utoipa::path(
    put, path = "/api/v1/locations/{id}", tag = "locations",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale write gets 412"),
    ),
    request_body = LocationInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = Location, headers(("ETag" = String))),
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
    body: ValidJson<LocationInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::update::<Locations>(&req, &auth.ctx, &state, id.into_inner(), body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/locations", tag = "locations",
    params(
        LocationListParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = Page<Location>),
        (status = 403, description = "Requires record.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter, sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::RecordList>,
    state: web::Data<AppState>,
    params: web::Query<LocationListParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let (limit, after) = handlers::paging(p.limit, p.cursor.as_deref())?;
    let ascending = handlers::ascending(p.sort.as_deref(), "created_at")?;
    let filter = ListFilter {
        kind: handlers::code_filter("place_type", p.place_type, |k| {
            shared::codes_police::PlaceType::parse(k).is_some()
        })?,
        status: None,
        lookup_prefix: p
            .postcode
            .map(|pc| pc.replace(' ', "").to_uppercase())
            .filter(|pc| !pc.is_empty()),
        ascending,
        after,
    };
    handlers::list::<Locations>(&auth.ctx, &state, filter, limit).await
}
