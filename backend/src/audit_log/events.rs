//! `GET /api/v1/audit/events`: who consulted or received a person's
//! records, what one user did, refused attempts; newest first.

use crate::audit::rows::{EventRow, records_of};
use crate::audit::{self, AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::auth::{Authorised, perm};
use crate::db::schema::{api_clients, audit_chain, audit_event_records, audit_events, users};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use shared::audit::AuditEventView;
use shared::error::{FieldError, Problem};
use shared::page::Page;
use utoipa::IntoParams;
use uuid::Uuid;

pub const MAX_LIMIT: i64 = 200;

/// The codes an event's operation and outcome can hold: anything else is a
/// mistake the auditor should hear about, not an empty page.
const OPERATIONS: [&str; 8] = [
    "collection",
    "alteration",
    "consultation",
    "disclosure",
    "combination",
    "erasure",
    "restriction",
    "administration",
];
const OUTCOMES: [&str; 2] = ["allowed", "refused"];

fn one_of(field: &str, value: Option<&str>, allowed: &[&str]) -> Result<(), FieldError> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(FieldError::new(
            field,
            "unknown",
            format!("Use one of: {}", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

#[derive(Deserialize, IntoParams, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct EventFilter {
    /// Events that touched this person.
    pub person: Option<Uuid>,
    /// Events by this user or API client: their id, a user's sign-in name
    /// or an API client's client id.
    pub actor: Option<String>,
    /// collection, alteration, consultation, disclosure, combination, erasure, restriction, administration
    pub operation: Option<String>,
    /// A purpose code, e.g. investigation.
    pub purpose: Option<String>,
    /// allowed or refused.
    pub outcome: Option<String>,
    /// From this time (inclusive), RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<i64>,
}

fn decode_cursor(raw: &str) -> Result<(DateTime<Utc>, i64), ApiError> {
    let bad = || {
        ApiError::field(FieldError::new(
            "cursor",
            "invalid",
            "Not a cursor from this list",
        ))
    };
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?).map_err(|_| bad())?;
    let (micros, seq) = text.split_once(':').ok_or_else(bad)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at, seq.parse().map_err(|_| bad())?))
}

fn encode_cursor(at: DateTime<Utc>, seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{seq}", at.timestamp_micros()))
}

/// The filter's own records, so the search itself is audited against them.
fn searched_records(f: &EventFilter, actor: Option<Uuid>) -> Vec<RecordRef> {
    let mut records = Vec::new();
    if let Some(p) = f.person {
        records.push(RecordRef::new("person", p));
    }
    if let Some(a) = actor {
        records.push(RecordRef::new("actor", a));
    }
    records
}

/// The actor the auditor named: an id as it is, or the user or API client
/// that a sign-in name or client id belongs to.
async fn actor_named(tx: &mut Tx, named: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    let Some(named) = named.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if let Ok(id) = Uuid::parse_str(named) {
        return Ok(Some(id));
    }
    // Sign-in names are held in lower case, as sign-in reads them.
    let user: Option<Uuid> = users::table
        .filter(users::username.eq(named.to_lowercase()))
        .select(users::id)
        .first(tx.conn()?)
        .await
        .optional()?;
    let found = match user {
        Some(id) => Some(id),
        None => api_clients::table
            .filter(api_clients::client_id.eq(named))
            .select(api_clients::id)
            .first(tx.conn()?)
            .await
            .optional()?,
    };
    found.map(Some).ok_or_else(|| {
        ApiError::field(FieldError::new(
            "actor",
            "unknown",
            "No user or API client by that name or id",
        ))
    })
}

/// Each actor's sign-in name or client id, so the auditor reads who acted.
async fn actor_names(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, ApiError> {
    let mut names: std::collections::HashMap<Uuid, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username))
        .load::<(Uuid, String)>(tx.conn()?)
        .await?
        .into_iter()
        .collect();
    names.extend(
        api_clients::table
            .filter(api_clients::id.eq_any(ids))
            .select((api_clients::id, api_clients::client_id))
            .load::<(Uuid, String)>(tx.conn()?)
            .await?,
    );
    Ok(names)
}

fn filter_names(f: &EventFilter) -> Vec<String> {
    [
        ("person", f.person.is_some()),
        ("actor", f.actor.is_some()),
        ("operation", f.operation.is_some()),
        ("purpose", f.purpose.is_some()),
        ("outcome", f.outcome.is_some()),
        ("from", f.from.is_some()),
        ("to", f.to.is_some()),
    ]
    .into_iter()
    .filter(|(_, used)| *used)
    .map(|(name, _)| name.to_owned())
    .collect()
}

pub async fn search(
    tx: &mut Tx,
    f: EventFilter,
) -> Result<Audited<Page<AuditEventView>>, ApiError> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "out_of_range",
            format!("Use 1 to {MAX_LIMIT}"),
        )));
    }
    let purposes: Vec<&str> = shared::justification::Purpose::ALL
        .iter()
        .map(|p| p.as_str())
        .collect();
    let unknown: Vec<FieldError> = [
        one_of("operation", f.operation.as_deref(), &OPERATIONS),
        one_of("purpose", f.purpose.as_deref(), &purposes),
        one_of("outcome", f.outcome.as_deref(), &OUTCOMES),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if !unknown.is_empty() {
        return Err(ApiError::validation(shared::error::FieldErrors(unknown)));
    }
    let after = f.cursor.as_deref().map(decode_cursor).transpose()?;
    let actor = actor_named(tx, f.actor.as_deref()).await?;
    let mut q = audit_events::table
        .left_join(audit_chain::table)
        .select((
            EventRow::as_select(),
            audit_chain::position.nullable(),
            audit_chain::chain_hash.nullable(),
        ))
        .order((audit_events::occurred_at.desc(), audit_events::seq.desc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(person) = f.person {
        q = q.filter(
            audit_events::seq.eq_any(
                audit_event_records::table
                    .filter(audit_event_records::record_type.eq("person"))
                    .filter(audit_event_records::record_id.eq(person))
                    .select(audit_event_records::event_seq),
            ),
        );
    }
    if let Some(actor) = actor {
        q = q.filter(audit_events::actor_id.eq(actor));
    }
    if let Some(op) = f.operation.clone() {
        if op != "consultation" {
            // Said in the SQL itself, not only as a parameter, so that the
            // planner can prove the partial indexes on operation apply
            // (migrations 000009 and 000010) even to a generic prepared plan.
            q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "audit_events.operation <> 'consultation'",
            ));
        }
        q = q.filter(audit_events::operation.eq(op));
    }
    if let Some(purpose) = f.purpose.clone() {
        q = q.filter(audit_events::purpose.eq(purpose));
    }
    if let Some(outcome) = f.outcome.clone() {
        if outcome == "refused" {
            // As for operations above: the partial index on refusals
            // (migration 000010) needs its predicate in the SQL text.
            q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "audit_events.outcome = 'refused'",
            ));
        }
        q = q.filter(audit_events::outcome.eq(outcome));
    }
    if let Some(from) = f.from {
        q = q.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(audit_events::occurred_at.lt(to));
    }
    if let Some((at, seq)) = after {
        q = q.filter(
            audit_events::occurred_at
                .lt(at)
                .or(audit_events::occurred_at
                    .eq(at)
                    .and(audit_events::seq.lt(seq))),
        );
    }
    let mut rows: Vec<(EventRow, Option<i64>, Option<Vec<u8>>)> = q.load(tx.conn()?).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|(e, _, _)| encode_cursor(e.occurred_at, e.seq))
    } else {
        None
    };
    let seqs: Vec<i64> = rows.iter().map(|(e, _, _)| e.seq).collect();
    let records = records_of(tx.conn()?, &seqs).await?;
    let actors: Vec<Uuid> = rows.iter().filter_map(|(e, _, _)| e.actor_id).collect();
    let names = actor_names(tx, &actors).await?;
    let hashes: Vec<Vec<u8>> = rows
        .iter()
        .flat_map(|(e, _, _)| e.text_hashes().cloned())
        .collect();
    let held = crate::audit::texts::load(tx.conn()?, &hashes).await?;
    let items = rows
        .iter()
        .map(|(e, position, hash)| {
            let chain = position.zip(hash.as_deref());
            let mut view = e.to_view(
                records.get(&e.seq).map(Vec::as_slice).unwrap_or(&[]),
                chain,
                &held,
            );
            view.actor_name = e.actor_id.and_then(|id| names.get(&id).cloned());
            view
        })
        .collect();
    let event = AuditEvent::new(
        Operation::Consultation,
        "audit.search",
        searched_records(&f, actor),
    )
    .fields(filter_names(&f));
    Ok(Audited::new(Page { items, next_cursor }, event))
}

#[utoipa::path(
    get, path = "/api/v1/audit/events", tag = "audit",
    params(EventFilter, ("Probity-Justification" = String, Header, description = "Why: usually purpose=audit")),
    security(("bearer" = ["audit.read"])),
    responses(
        (status = 200, description = "Events, newest first", body = Page<AuditEventView>),
        (status = 403, description = "Requires audit.read (auditor, data protection officer)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
    filter: crate::body::Query<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    let filter = filter.into_inner();
    let page = audit::run(&state, &auth.ctx, |tx| Box::pin(search(tx, filter))).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}
