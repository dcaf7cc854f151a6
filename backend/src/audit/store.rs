//! Writing events. Only this module inserts into the audit tables.

use super::event::{AuditEvent, Operation, Outcome, RecordRef, StampedEvent};
use crate::auth::context::RequestContext;
use crate::db::schema::{audit_event_records, audit_events};
use crate::error::ApiError;
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::ErrorCode;
use shared::permissions::Permission;
use uuid::Uuid;

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct NewEventRow<'a> {
    id: Uuid,
    occurred_at: chrono::DateTime<chrono::Utc>,
    operation: &'a str,
    action: &'a str,
    outcome: &'a str,
    actor_type: &'a str,
    actor_id: Option<Uuid>,
    actor_roles: &'a [String],
    on_behalf_of: Option<Uuid>,
    fields: &'a [String],
    purpose: Option<&'a str>,
    reference: Option<&'a str>,
    reason: Option<&'a str>,
    recipients: &'a [String],
    client_addr: Option<&'a str>,
    user_agent: Option<&'a str>,
    request_id: &'a str,
    content_hash: Vec<u8>,
    working_context: Option<Uuid>,
}

#[derive(Insertable)]
#[diesel(table_name = audit_event_records)]
struct NewRecordRow<'a> {
    event_seq: i64,
    position: i32,
    record_type: &'a str,
    record_id: Uuid,
}

/// Inserts stamped events and the records they touched, on the caller's
/// connection (and so inside the caller's transaction). Any failure is
/// reported as `AuditUnavailable` so the caller rolls back.
pub(super) async fn insert(
    conn: &mut AsyncPgConnection,
    events: &[StampedEvent],
) -> Result<(), ApiError> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewEventRow<'_>> = events
        .iter()
        .map(|e| NewEventRow {
            id: e.id,
            occurred_at: e.time,
            operation: &e.operation,
            action: &e.action,
            outcome: &e.outcome,
            actor_type: &e.actor_type,
            actor_id: e.actor_id,
            actor_roles: &e.actor_roles,
            on_behalf_of: e.on_behalf_of,
            fields: &e.fields,
            purpose: e.purpose.as_deref(),
            reference: e.reference.as_deref(),
            reason: e.reason.as_deref(),
            recipients: &e.recipients,
            client_addr: e.client_addr.as_deref(),
            user_agent: e.user_agent.as_deref(),
            request_id: &e.request_id,
            content_hash: e.content_hash().to_vec(),
            working_context: e.working_context,
        })
        .collect();
    let unavailable = |e: diesel::result::Error| {
        ApiError::new(ErrorCode::AuditUnavailable).with_cause(format!("audit insert: {e}"))
    };
    let seqs: Vec<(Uuid, i64)> = diesel::insert_into(audit_events::table)
        .values(&rows)
        .returning((audit_events::id, audit_events::seq))
        .get_results(conn)
        .await
        .map_err(unavailable)?;
    let mut record_rows = Vec::new();
    for event in events {
        let Some(&(_, seq)) = seqs.iter().find(|(id, _)| *id == event.id) else {
            return Err(ApiError::new(ErrorCode::AuditUnavailable).with_cause("audit seq missing"));
        };
        record_rows.extend(event.records.iter().enumerate().map(|(i, r)| NewRecordRow {
            event_seq: seq,
            position: i32::try_from(i).unwrap_or(i32::MAX),
            record_type: &r.kind,
            record_id: r.id,
        }));
    }
    // PostgreSQL allows 65,535 bind parameters per statement; 4 per row.
    for chunk in record_rows.chunks(10_000) {
        diesel::insert_into(audit_event_records::table)
            .values(chunk)
            .execute(conn)
            .await
            .map_err(unavailable)?;
    }
    Ok(())
}

/// Records a refused attempt (no permission, no justification) in its own
/// transaction: the refusal itself is what must be kept. If it cannot be
/// written the caller still refuses, so this only logs the failure.
pub async fn record_refusal(
    state: &AppState,
    ctx: &RequestContext,
    permission: Permission,
    records: Vec<RecordRef>,
) {
    let mut event = AuditEvent::new(Operation::of(permission), permission.as_str(), records);
    event.outcome = Outcome::Refused;
    let stamped = StampedEvent::stamp(event, ctx);
    let result = async {
        let mut conn = state.pool.get().await?;
        insert(&mut conn, std::slice::from_ref(&stamped)).await
    }
    .await;
    match result {
        Ok(()) => state
            .metrics
            .audit_events
            .with_label_values(&[&stamped.operation, "refused"])
            .inc(),
        Err(e) => tracing::error!(error = %e, "could not audit a refused attempt"),
    }
}
