//! Objects as a record family: vehicles, property and exhibits, phones,
//! weapons.

use super::family::{Family, Prepared, Stored};
use super::handlers;
use crate::auth::RequestContext;
use crate::error::ApiError;
use shared::error::FieldErrors;
use shared::events::RuleContext;
use shared::links::RecordType;
// The list's OpenAPI schema names `Page` as written here.
use shared::objects::{Object, ObjectDetails, ObjectInput, ObjectKind};
use shared::page::Page;
// utoipa reads a bare `Object` as "any JSON object"; the alias keeps our schema.
use super::store::ListFilter;
use shared::objects::Object as PoleObject;
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
            statements: s.statements,
            restricted: s.restricted,
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

super::http::record_handlers! {
    family: Objects,
    input: ObjectInput,
    output: PoleObject,
    tag: "objects",
    collection: "/api/v1/objects",
    item: "/api/v1/objects/{id}",
    params: ObjectListParams,
    sort: "created_at",
    filter: |p, ascending, after| ListFilter {
            kind: handlers::code_filter("kind", p.kind, |k| ObjectKind::parse(k).is_some())?,
            status: None,
            lookup_prefix: p
                .lookup
                .map(|l| shared::objects::normalise_vrm(&l))
                .filter(|l| !l.is_empty()),
            ascending,
            after,
        },
}
