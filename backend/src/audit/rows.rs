//! Reading events back: rows to views, and rows to the canonical form so
//! their hashes can be recomputed.

use super::event::{RecordRef, StampedEvent};
use crate::db::schema::{audit_checkpoints, audit_event_records, audit_events};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::audit::{AuditEventView, AuditRecord};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = audit_events)]
pub struct EventRow {
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub operation: String,
    pub action: String,
    pub outcome: String,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub actor_roles: Vec<String>,
    pub on_behalf_of: Option<Uuid>,
    pub fields: Vec<String>,
    pub purpose: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub recipients: Vec<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
    pub content_hash: Vec<u8>,
    pub working_context: Option<Uuid>,
}

impl EventRow {
    pub fn to_stamped(&self, records: &[RecordRef]) -> StampedEvent {
        StampedEvent {
            id: self.id,
            occurred_at: self
                .occurred_at
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string(),
            operation: self.operation.clone(),
            action: self.action.clone(),
            outcome: self.outcome.clone(),
            actor_type: self.actor_type.clone(),
            actor_id: self.actor_id,
            actor_roles: self.actor_roles.clone(),
            on_behalf_of: self.on_behalf_of,
            records: records.to_vec(),
            fields: self.fields.clone(),
            purpose: self.purpose.clone(),
            reference: self.reference.clone(),
            reason: self.reason.clone(),
            recipients: self.recipients.clone(),
            client_addr: self.client_addr.clone(),
            user_agent: self.user_agent.clone(),
            request_id: self.request_id.clone(),
            working_context: self.working_context,
            time: self.occurred_at,
        }
    }

    pub fn to_view(&self, records: &[RecordRef], chain: Option<(i64, &[u8])>) -> AuditEventView {
        AuditEventView {
            seq: self.seq,
            id: self.id,
            occurred_at: self.occurred_at,
            operation: self.operation.clone(),
            action: self.action.clone(),
            outcome: self.outcome.clone(),
            actor_type: self.actor_type.clone(),
            actor_id: self.actor_id,
            actor_name: None,
            actor_roles: self.actor_roles.clone(),
            on_behalf_of: self.on_behalf_of,
            records: records
                .iter()
                .map(|r| AuditRecord {
                    record_type: r.kind.clone(),
                    id: r.id,
                })
                .collect(),
            fields: self.fields.clone(),
            purpose: self.purpose.clone(),
            reference: self.reference.clone(),
            reason: self.reason.clone(),
            recipients: self.recipients.clone(),
            client_addr: self.client_addr.clone(),
            user_agent: self.user_agent.clone(),
            request_id: self.request_id.clone(),
            working_context: self.working_context,
            content_hash: hex::encode(&self.content_hash),
            chain_position: chain.map(|(p, _)| p),
            chain_hash: chain.map(|(_, h)| hex::encode(h)),
            canonical: None,
        }
    }
}

/// The records of each event, in the order they were written.
pub async fn records_of(
    conn: &mut AsyncPgConnection,
    seqs: &[i64],
) -> Result<HashMap<i64, Vec<RecordRef>>, ApiError> {
    let rows: Vec<(i64, String, Uuid)> = audit_event_records::table
        .filter(audit_event_records::event_seq.eq_any(seqs))
        .order((
            audit_event_records::event_seq,
            audit_event_records::position,
        ))
        .select((
            audit_event_records::event_seq,
            audit_event_records::record_type,
            audit_event_records::record_id,
        ))
        .load(conn)
        .await?;
    let mut map: HashMap<i64, Vec<RecordRef>> = HashMap::new();
    for (seq, kind, id) in rows {
        map.entry(seq).or_default().push(RecordRef { kind, id });
    }
    Ok(map)
}

/// A signed checkpoint as stored: position, chain hash, signing time, key
/// id, public key and signature.
pub type CheckpointRow = (i64, Vec<u8>, DateTime<Utc>, String, Vec<u8>, Vec<u8>);

/// The columns of a `CheckpointRow`, in its order.
pub fn checkpoint_columns() -> (
    audit_checkpoints::position,
    audit_checkpoints::chain_hash,
    audit_checkpoints::signed_at,
    audit_checkpoints::key_id,
    audit_checkpoints::public_key,
    audit_checkpoints::signature,
) {
    (
        audit_checkpoints::position,
        audit_checkpoints::chain_hash,
        audit_checkpoints::signed_at,
        audit_checkpoints::key_id,
        audit_checkpoints::public_key,
        audit_checkpoints::signature,
    )
}
