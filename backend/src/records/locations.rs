//! Locations as a record family.

use super::family::{Family, Prepared, Stored};
use super::handlers;
use super::store::ListFilter;
use crate::auth::RequestContext;
use crate::error::ApiError;
use shared::error::FieldErrors;
use shared::events::RuleContext;
use shared::links::RecordType;
// The list's OpenAPI schema names `Page` as written here.
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
            statements: s.statements,
            restricted: s.restricted,
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

super::http::record_handlers! {
    family: Locations,
    input: LocationInput,
    output: Location,
    tag: "locations",
    collection: "/api/v1/locations",
    item: "/api/v1/locations/{id}",
    params: LocationListParams,
    sort: "created_at",
    filter: |p, ascending, after| ListFilter {
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
        },
}
