//! Objects as a record family: vehicles, property and exhibits, phones,
//! weapons.

use super::family::{Family, Prepared, Stored};
use crate::auth::RequestContext;
use crate::error::ApiError;
use shared::error::FieldErrors;
use shared::events::RuleContext;
use shared::links::RecordType;
use shared::objects::{Object, ObjectDetails, ObjectInput, ObjectKind};
// utoipa reads a bare `Object` as "any JSON object"; the alias keeps our schema.
use super::handlers;
use super::store::ListFilter;
use crate::auth::{Authorised, perm};
use crate::body::ValidJson;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::error::Problem;
use shared::objects::Object as PoleObject;
use shared::page::Page;
use uuid::Uuid;

pub struct Objects;

impl Family for Objects {
    const RECORD_TYPE: RecordType = RecordType::Object;
    const NAME: &'static str = "object";
    const CREATE: &'static str = "object.create";
    const READ: &'static str = "object.read";
    const UPDATE: &'static str = "object.update";
    const LIST: &'static str = "object.list";
    const IMPORT: &'static str = "object.import";
    const PATH: &'static str = "/api/v1/objects";

    type Input = ObjectInput;
    type Output = Object;

    fn prepare(
        input: &ObjectInput,
        id: Uuid,
        rules: &RuleContext,
    ) -> Result<Prepared, FieldErrors> {
        let valid = input.validate(id, rules)?;
        let lookup_key = match &valid.details {
            ObjectDetails::Vehicle(v) => Some(v.vrm.clone()),
            ObjectDetails::Phone(p) if !p.imei.is_empty() => Some(p.imei.clone()),
            ObjectDetails::Property(p) if !p.exhibit_reference.is_empty() => {
                Some(shared::objects::normalise_vrm(&p.exhibit_reference))
            }
            _ => None,
        };
        Ok(Prepared {
            kind: valid.details.kind().as_str(),
            occurred_at: None,
            status: "recorded".to_owned(),
            handling_code: None,
            summary: valid.details.summary(),
            lookup_key,
            details: serde_json::to_value(&valid.details).map_err(|_| FieldErrors::default())?,
            links: valid.links,
            source_identity: None,
            read_only: false,
        })
    }

    fn output(s: Stored, _ctx: &RequestContext) -> Result<Object, ApiError> {
        Ok(Object {
            id: s.id,
            kind: ObjectKind::parse(&s.kind)
                .ok_or_else(|| ApiError::internal("unknown object kind"))?,
            summary: s.summary,
            details: serde_json::from_value(s.details).map_err(ApiError::internal)?,
            links: s.links,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }

    /// An exhibit's chain of custody is evidence: hand-overs are added,
    /// never edited or removed.
    fn check_update(before: &serde_json::Value, after: &Prepared) -> Result<(), FieldErrors> {
        let chain = |v: &serde_json::Value| -> Vec<serde_json::Value> {
            v.get("chain_of_custody")
                .and_then(|c| c.as_array())
                .cloned()
                .unwrap_or_default()
        };
        let (old, new) = (chain(before), chain(&after.details));
        if new.len() < old.len() || new[..old.len()] != old[..] {
            return Err(FieldErrors(vec![shared::error::FieldError::new(
                "details.chain_of_custody",
                "append_only",
                "Hand-overs already recorded cannot be changed or removed; add new ones",
            )]));
        }
        Ok(())
    }

    fn version(o: &Object) -> i32 {
        o.version
    }

    fn id(o: &Object) -> Uuid {
        o.id
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ObjectListParams {
    /// Only this kind: vehicle, property, phone, weapon.
    pub kind: Option<String>,
    /// Vehicles whose registration mark starts with this (spaces ignored),
    /// phones by IMEI, exhibits by label.
    pub lookup: Option<String>,
    /// `created_at` (oldest first) or `-created_at` (newest first, the default).
    pub sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<u32>,
}

#[utoipa::path(
    post, path = "/api/v1/objects", tag = "objects",
    request_body = ObjectInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per create; a retry with the same key and body returns the first result instead of a duplicate")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded (or, on a retry with the same Idempotency-Key, the record made the first time)", body = PoleObject, headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String))),
        (status = 403, description = "Requires record.create", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused for a different body, or link already exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule failed: one entry per bad field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    req: HttpRequest,
    auth: Authorised<perm::RecordCreate>,
    state: web::Data<AppState>,
    body: ValidJson<ObjectInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::create::<Objects>(&req, &auth.ctx, &state, body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/objects/{id}", tag = "objects",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record with its links", body = PoleObject, headers(("ETag" = String))),
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
    handlers::read::<Objects>(&auth.ctx, &state, id.into_inner()).await
}

#[utoipa::path(
    put, path = "/api/v1/objects/{id}", tag = "objects",
    params(
        ("id" = uuid::Uuid, Path, description = "The record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale write gets 412"),
    ),
    request_body = ObjectInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = PoleObject, headers(("ETag" = String))),
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
    body: ValidJson<ObjectInput>,
) -> Result<HttpResponse, ApiError> {
    handlers::update::<Objects>(&req, &auth.ctx, &state, id.into_inner(), body.0).await
}

#[utoipa::path(
    get, path = "/api/v1/objects", tag = "objects",
    params(
        ObjectListParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = Page<PoleObject>),
        (status = 403, description = "Requires record.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter, sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::RecordList>,
    state: web::Data<AppState>,
    params: web::Query<ObjectListParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let (limit, after) = handlers::paging(p.limit, p.cursor.as_deref())?;
    let ascending = handlers::ascending(p.sort.as_deref(), "created_at")?;
    let filter = ListFilter {
        kind: handlers::code_filter("kind", p.kind, |k| ObjectKind::parse(k).is_some())?,
        status: None,
        lookup_prefix: p
            .lookup
            .map(|l| shared::objects::normalise_vrm(&l))
            .filter(|l| !l.is_empty()),
        ascending,
        after,
    };
    handlers::list::<Objects>(&auth.ctx, &state, filter, limit).await
}
