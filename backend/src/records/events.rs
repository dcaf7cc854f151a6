//! Events as a record family: crime, intelligence, custody, stop and search
//! and case files.

use super::family::{Family, Prepared, Stored};
use super::handlers;
use super::store::ListFilter;
use crate::auth::RequestContext;
use crate::error::ApiError;
use shared::error::FieldErrors;
use shared::events::{Event, EventDetails, EventInput, EventKind, RuleContext};
use shared::links::RecordType;
// The list's OpenAPI schema names `Page` as written here.
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
            statements: s.statements,
            restricted: s.restricted,
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

super::http::record_handlers! {
    family: Events,
    input: EventInput,
    output: Event,
    tag: "events",
    collection: "/api/v1/events",
    item: "/api/v1/events/{id}",
    params: EventListParams,
    sort: "occurred_at",
    filter: |p, ascending, after| ListFilter {
            kind: handlers::code_filter("kind", p.kind, |k| EventKind::parse(k).is_some())?,
            status: p.status.filter(|s| !s.trim().is_empty()),
            lookup_prefix: None,
            ascending,
            after,
        },
}
