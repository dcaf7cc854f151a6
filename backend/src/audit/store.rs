//! Writing events. Only this module inserts into the audit tables.

use super::event::{AuditEvent, Operation, Outcome, RecordRef, StampedEvent};
use crate::auth::context::RequestContext;
use crate::error::ApiError;
use crate::state::AppState;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::ErrorCode;
use shared::permissions::Permission;
use uuid::Uuid;

/// One event and the records it touched, in one statement (one round trip
/// on the hottest path in Probity: every read writes one of these).
const INSERT_EVENT: &str = "WITH ev AS ( \
    INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, actor_id, \
        actor_roles, on_behalf_of, fields, purpose, reference, reason, recipients, client_addr, \
        user_agent, request_id, content_hash, working_context) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
    RETURNING seq) \
  INSERT INTO audit_event_records (event_seq, position, record_type, record_id) \
  SELECT ev.seq, (r.ord - 1)::int, r.record_type, r.record_id \
  FROM ev, unnest($20::text[], $21::uuid[]) WITH ORDINALITY AS r(record_type, record_id, ord)";

/// Inserts stamped events and the records they touched, on the caller's
/// connection (and so inside the caller's transaction). Any failure is
/// reported as `AuditUnavailable` so the caller rolls back.
pub(super) async fn insert(
    conn: &mut AsyncPgConnection,
    events: &[StampedEvent],
) -> Result<(), ApiError> {
    use diesel::sql_types::{Array, Bytea, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    for e in events {
        let kinds: Vec<&str> = e.records.iter().map(|r| r.kind.as_str()).collect();
        let ids: Vec<Uuid> = e.records.iter().map(|r| r.id).collect();
        diesel::sql_query(INSERT_EVENT)
            .bind::<SqlUuid, _>(e.id)
            .bind::<Timestamptz, _>(e.time)
            .bind::<Text, _>(&e.operation)
            .bind::<Text, _>(&e.action)
            .bind::<Text, _>(&e.outcome)
            .bind::<Text, _>(&e.actor_type)
            .bind::<Nullable<SqlUuid>, _>(e.actor_id)
            .bind::<Array<Text>, _>(&e.actor_roles)
            .bind::<Nullable<SqlUuid>, _>(e.on_behalf_of)
            .bind::<Array<Text>, _>(&e.fields)
            .bind::<Nullable<Text>, _>(e.purpose.as_deref())
            .bind::<Nullable<Text>, _>(e.reference.as_deref())
            .bind::<Nullable<Text>, _>(e.reason.as_deref())
            .bind::<Array<Text>, _>(&e.recipients)
            .bind::<Nullable<Text>, _>(e.client_addr.as_deref())
            .bind::<Nullable<Text>, _>(e.user_agent.as_deref())
            .bind::<Text, _>(&e.request_id)
            .bind::<Bytea, _>(e.content_hash().to_vec())
            .bind::<Nullable<SqlUuid>, _>(e.working_context)
            .bind::<Array<Text>, _>(kinds)
            .bind::<Array<SqlUuid>, _>(ids)
            .execute(conn)
            .await
            .map_err(|e| {
                ApiError::new(ErrorCode::AuditUnavailable).with_cause(format!("audit insert: {e}"))
            })?;
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
