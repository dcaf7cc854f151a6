//! Events: stop and search, custody, intelligence, occurrences and case
//! files. Recording one needs no working context; listing and reading them
//! are consultations and do.

use super::{ApiError, Call, Method, authed, decode};
use crate::session::Session;
use shared::events::{Event, EventInput, EventKind, EventSummary, SearchPolicy};
use shared::page::{DEFAULT_PAGE_SIZE, Page};
use uuid::Uuid;

/// The force's search policy, so the form checks the ranks and rules the
/// server will check.
pub async fn search_policy(session: Session) -> Result<SearchPolicy, ApiError> {
    decode(authed(session, &Call::get("/policy".into())).await?).await
}

/// Newest first unless `oldest_first`; `kind` of `None` lists every kind.
pub async fn list_events(
    session: Session,
    kind: Option<EventKind>,
    oldest_first: bool,
    cursor: Option<String>,
) -> Result<Page<EventSummary>, ApiError> {
    let mut call = Call::get("/events".into()).consulting();
    if let Some(kind) = kind {
        call.query.push(("kind", kind.as_str().to_owned()));
    }
    let sort = if oldest_first {
        "occurred_at"
    } else {
        "-occurred_at"
    };
    call.query.push(("sort", sort.to_owned()));
    call.query.push(("limit", DEFAULT_PAGE_SIZE.to_string()));
    if let Some(cursor) = cursor {
        call.query.push(("cursor", cursor));
    }
    decode(authed(session, &call).await?).await
}

pub async fn get_event(session: Session, id: Uuid) -> Result<Event, ApiError> {
    decode(authed(session, &Call::get(format!("/events/{id}")).consulting()).await?).await
}

/// Records a new event. `idempotency_key` names this submission: a tablet
/// that lost the answer and sends the same form again gets the event the
/// first attempt made, never a second one.
pub async fn create_event(
    session: Session,
    input: &EventInput,
    idempotency_key: Uuid,
) -> Result<Event, ApiError> {
    let mut call = Call::with_body(Method::Post, "/events".into(), input)?.consulting();
    call.headers
        .push(("Idempotency-Key", idempotency_key.to_string()));
    decode(authed(session, &call).await?).await
}

/// Saves a correction made to `version`; if someone else has saved since,
/// the server refuses with 412 `precondition_failed`.
pub async fn update_event(
    session: Session,
    id: Uuid,
    version: i32,
    input: &EventInput,
) -> Result<Event, ApiError> {
    let mut call = Call::with_body(Method::Put, format!("/events/{id}"), input)?.consulting();
    call.headers.push(("If-Match", format!("\"v{version}\"")));
    decode(authed(session, &call).await?).await
}
