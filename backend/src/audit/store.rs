//! Writing events. Only this module inserts into the audit tables.

use super::event::{AuditEvent, Operation, Outcome, RecordRef, StampedEvent};
use crate::auth::context::RequestContext;
use crate::error::ApiError;
use crate::state::AppState;
use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bytea, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::ErrorCode;
use shared::permissions::Permission;
use uuid::Uuid;

/// One event and the records it touched, in one statement with a fixed
/// text, so PostgreSQL plans it once per connection (Diesel caches the
/// prepared statement): this runs on the hottest path in Probity, since
/// every read writes one.
struct InsertEvent<'a> {
    e: &'a StampedEvent,
    hash: Vec<u8>,
    kinds: Vec<&'a str>,
    ids: Vec<Uuid>,
}

impl QueryId for InsertEvent<'_> {
    type QueryId = InsertEvent<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Pg> for InsertEvent<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let e = self.e;
        out.push_sql(
            "WITH ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, \
             actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference, reason, \
             recipients, client_addr, user_agent, request_id, content_hash, working_context) VALUES (",
        );
        out.push_bind_param::<SqlUuid, _>(&e.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamptz, _>(&e.time)?;
        for text in [&e.operation, &e.action, &e.outcome, &e.actor_type] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<SqlUuid>, _>(&e.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&e.actor_roles)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<SqlUuid>, _>(&e.on_behalf_of)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&e.fields)?;
        for text in [&e.purpose, &e.reference, &e.reason] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&e.recipients)?;
        for text in [&e.client_addr, &e.user_agent] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&e.request_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Bytea, _>(&self.hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<SqlUuid>, _>(&e.working_context)?;
        out.push_sql(
            ") RETURNING seq) \
             INSERT INTO audit_event_records (event_seq, position, record_type, record_id) \
             SELECT ev.seq, (r.ord - 1)::int, r.record_type, r.record_id FROM ev, unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.kinds)?;
        out.push_sql("::text[], ");
        out.push_bind_param::<Array<SqlUuid>, _>(&self.ids)?;
        out.push_sql("::uuid[]) WITH ORDINALITY AS r(record_type, record_id, ord)");
        Ok(())
    }
}

/// Inserts stamped events and the records they touched, on the caller's
/// connection (and so inside the caller's transaction). Any failure is
/// reported as `AuditUnavailable` so the caller rolls back.
pub(super) async fn insert(
    conn: &mut AsyncPgConnection,
    events: &[StampedEvent],
) -> Result<(), ApiError> {
    for e in events {
        InsertEvent {
            e,
            hash: e.content_hash().to_vec(),
            kinds: e.records.iter().map(|r| r.kind.as_str()).collect(),
            ids: e.records.iter().map(|r| r.id).collect(),
        }
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
