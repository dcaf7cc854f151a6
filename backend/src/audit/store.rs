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
    reference_hash: Option<Vec<u8>>,
    reason_hash: Option<Vec<u8>>,
    text_hashes: Vec<Vec<u8>>,
    text_keys: Vec<Vec<u8>>,
    texts: Vec<String>,
}

impl QueryId for InsertEvent<'_> {
    type QueryId = InsertEvent<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Pg> for InsertEvent<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let e = self.e;
        // The typed texts go to their erasable table in the same statement;
        // a text already held (the same reason sent again) is left as it is.
        out.push_sql(
            "WITH texts AS (INSERT INTO audit_texts (hash, key, text) \
             SELECT * FROM unnest(",
        );
        out.push_bind_param::<Array<Bytea>, _>(&self.text_hashes)?;
        out.push_sql("::bytea[], ");
        out.push_bind_param::<Array<Bytea>, _>(&self.text_keys)?;
        out.push_sql("::bytea[], ");
        out.push_bind_param::<Array<Text>, _>(&self.texts)?;
        out.push_sql(
            "::text[]) AS t(hash, key, text) \
             WHERE NOT EXISTS (SELECT 1 FROM audit_texts_erased x WHERE x.hash = t.hash) \
             ON CONFLICT (hash) DO NOTHING), \
             ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, \
             actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference_hash, reason_hash, \
             recipients, client_addr, user_agent, request_id, content_hash, working_context, canonical_version) VALUES (",
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
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&e.purpose)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Bytea>, _>(&self.reference_hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Bytea>, _>(&self.reason_hash)?;
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
        out.push_sql(", ");
        out.push_bind_param::<diesel::sql_types::SmallInt, _>(&e.canonical_version)?;
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

/// The columns of the typed texts an event names, for its insert.
#[derive(Default)]
struct TextColumns {
    hashes: Vec<Vec<u8>>,
    keys: Vec<Vec<u8>>,
    texts: Vec<String>,
}

impl TextColumns {
    fn of<'a>(events: impl Iterator<Item = &'a StampedEvent>) -> Self {
        let mut columns = Self::default();
        let mut seen = std::collections::HashSet::new();
        for text in events.flat_map(StampedEvent::free_texts) {
            if let Some(kept) = &text.kept
                && seen.insert(text.hash)
            {
                columns.hashes.push(text.hash.to_vec());
                columns.keys.push(kept.key.to_vec());
                columns.texts.push(kept.text.clone());
            }
        }
        columns
    }
}

fn hash_of(text: &Option<super::texts::FreeText>) -> Option<Vec<u8>> {
    text.as_ref().map(|t| t.hash.to_vec())
}

/// Inserts stamped events and the records they touched, on the caller's
/// connection (and so inside the caller's transaction). Any failure is
/// reported as `AuditUnavailable` so the caller rolls back.
pub(super) async fn insert(
    conn: &mut AsyncPgConnection,
    events: &[StampedEvent],
) -> Result<(), ApiError> {
    // A batch (an import) goes in one statement: one round trip instead of
    // one per record is what lets a million people import at thousands a second.
    if events.len() > 8 {
        return insert_many(conn, events).await.map(|_| ()).map_err(|e| {
            ApiError::new(ErrorCode::AuditUnavailable).with_cause(format!("audit insert: {e}"))
        });
    }
    for e in events {
        let texts = TextColumns::of(std::iter::once(e));
        InsertEvent {
            e,
            hash: e.content_hash().to_vec(),
            kinds: e.records.iter().map(|r| r.kind.as_str()).collect(),
            ids: e.records.iter().map(|r| r.id).collect(),
            reference_hash: hash_of(&e.reference_text),
            reason_hash: hash_of(&e.reason_text),
            text_hashes: texts.hashes,
            text_keys: texts.keys,
            texts: texts.texts,
        }
        .execute(conn)
        .await
        .map_err(|e| {
            ApiError::new(ErrorCode::AuditUnavailable).with_cause(format!("audit insert: {e}"))
        })?;
    }
    Ok(())
}

/// Many events and their records in one statement. Array-valued columns
/// travel as JSON text, since PostgreSQL cannot unnest an array of arrays.
async fn insert_many(conn: &mut AsyncPgConnection, events: &[StampedEvent]) -> QueryResult<usize> {
    use diesel::sql_types::{Int2, Int4};
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let col = |f: fn(&StampedEvent) -> String| events.iter().map(f).collect::<Vec<_>>();
    let opt = |f: fn(&StampedEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
    let (mut rec_events, mut rec_positions, mut rec_types, mut rec_ids) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in events {
        for (i, r) in e.records.iter().enumerate() {
            rec_events.push(e.id);
            rec_positions.push(i as i32);
            rec_types.push(r.kind.clone());
            rec_ids.push(r.id);
        }
    }
    let texts = TextColumns::of(events.iter());
    diesel::sql_query(
        "WITH texts AS (INSERT INTO audit_texts (hash, key, text) \
         SELECT * FROM unnest($25::bytea[], $26::bytea[], $27::text[]) AS t(hash, key, text) \
         WHERE NOT EXISTS (SELECT 1 FROM audit_texts_erased x WHERE x.hash = t.hash) \
         ON CONFLICT (hash) DO NOTHING), \
         ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, \
         actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference_hash, reason_hash, \
         recipients, client_addr, user_agent, request_id, content_hash, working_context, canonical_version) \
         SELECT e.id, e.at, e.op, e.action, e.outcome, e.actor_type, e.actor_id, \
         ARRAY(SELECT x FROM jsonb_array_elements_text(e.roles::jsonb) WITH ORDINALITY AS a(x, n) ORDER BY n), e.on_behalf_of, \
         ARRAY(SELECT x FROM jsonb_array_elements_text(e.fields::jsonb) WITH ORDINALITY AS a(x, n) ORDER BY n), e.purpose, e.reference_hash, e.reason_hash, \
         ARRAY(SELECT x FROM jsonb_array_elements_text(e.recipients::jsonb) WITH ORDINALITY AS a(x, n) ORDER BY n), e.client_addr, e.user_agent, \
         e.request_id, e.hash, e.working_context, e.version \
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], \
         $7::uuid[], $8::text[], $9::uuid[], $10::text[], $11::text[], $12::bytea[], $13::bytea[], \
         $14::text[], $15::text[], $16::text[], $17::text[], $18::bytea[], $19::uuid[], $24::int2[]) WITH ORDINALITY \
         AS e(id, at, op, action, outcome, actor_type, actor_id, roles, on_behalf_of, fields, purpose, \
         reference_hash, reason_hash, recipients, client_addr, user_agent, request_id, hash, working_context, version, ord) \
         ORDER BY e.ord RETURNING seq, id) \
         INSERT INTO audit_event_records (event_seq, position, record_type, record_id) \
         SELECT ev.seq, r.position, r.record_type, r.record_id FROM ev \
         JOIN unnest($20::uuid[], $21::int[], $22::text[], $23::uuid[]) \
         AS r(event_id, position, record_type, record_id) ON r.event_id = ev.id",
    )
    .bind::<Array<SqlUuid>, _>(events.iter().map(|e| e.id).collect::<Vec<_>>())
    .bind::<Array<Timestamptz>, _>(events.iter().map(|e| e.time).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(col(|e| e.operation.clone()))
    .bind::<Array<Text>, _>(col(|e| e.action.clone()))
    .bind::<Array<Text>, _>(col(|e| e.outcome.clone()))
    .bind::<Array<Text>, _>(col(|e| e.actor_type.clone()))
    .bind::<Array<Nullable<SqlUuid>>, _>(events.iter().map(|e| e.actor_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(events.iter().map(|e| json(&e.actor_roles)).collect::<Vec<_>>())
    .bind::<Array<Nullable<SqlUuid>>, _>(events.iter().map(|e| e.on_behalf_of).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(events.iter().map(|e| json(&e.fields)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(opt(|e| e.purpose.clone()))
    .bind::<Array<Nullable<Bytea>>, _>(events.iter().map(|e| hash_of(&e.reference_text)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Bytea>>, _>(events.iter().map(|e| hash_of(&e.reason_text)).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(events.iter().map(|e| json(&e.recipients)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(opt(|e| e.client_addr.clone()))
    .bind::<Array<Nullable<Text>>, _>(opt(|e| e.user_agent.clone()))
    .bind::<Array<Text>, _>(col(|e| e.request_id.clone()))
    .bind::<Array<Bytea>, _>(events.iter().map(|e| e.content_hash().to_vec()).collect::<Vec<_>>())
    .bind::<Array<Nullable<SqlUuid>>, _>(events.iter().map(|e| e.working_context).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(rec_events)
    .bind::<Array<Int4>, _>(rec_positions)
    .bind::<Array<Text>, _>(rec_types)
    .bind::<Array<SqlUuid>, _>(rec_ids)
    .bind::<Array<Int2>, _>(events.iter().map(|e| e.canonical_version).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(texts.hashes)
    .bind::<Array<Bytea>, _>(texts.keys)
    .bind::<Array<Text>, _>(texts.texts)
    .execute(conn)
    .await
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
    let stamped = StampedEvent::stamp(event, ctx, &state.audit_texts);
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
