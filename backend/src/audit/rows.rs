//! Reading events back: rows to views, and rows to the canonical form so
//! their hashes can be recomputed.

use super::canonical::CheckpointStatement;
use super::event::{RecordRef, StampedEvent};
use super::texts::{KeptText, named};
use crate::db::schema::{audit_checkpoints, audit_event_records, audit_events};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::audit::{AuditEventView, AuditRecord, CheckpointView};
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
    pub canonical_version: i16,
    pub reference_hash: Option<Vec<u8>>,
    pub reason_hash: Option<Vec<u8>>,
}

impl EventRow {
    /// Version 1 holds its texts, version 2 their hashes, never both: text
    /// written into the other form's columns is not covered by the hash,
    /// so it would be an addition nobody could detect from the hash alone.
    pub fn texts_kept_one_way(&self) -> bool {
        if self.canonical_version == 1 {
            self.reference_hash.is_none() && self.reason_hash.is_none()
        } else {
            self.reference.is_none() && self.reason.is_none()
        }
    }

    /// The hashes of the typed texts this event names (version 2).
    pub fn text_hashes(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.reference_hash.iter().chain(self.reason_hash.iter())
    }

    /// The event in the form it was hashed in; `held` gives the texts still
    /// kept beside the log (needed only to show or check them).
    pub fn to_stamped(
        &self,
        records: &[RecordRef],
        held: &HashMap<Vec<u8>, KeptText>,
    ) -> StampedEvent {
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
            reference_text: named(self.reference_hash.as_ref(), held),
            reason_text: named(self.reason_hash.as_ref(), held),
            recipients: self.recipients.clone(),
            client_addr: self.client_addr.clone(),
            user_agent: self.user_agent.clone(),
            request_id: self.request_id.clone(),
            working_context: self.working_context,
            canonical_version: self.canonical_version,
            time: self.occurred_at,
        }
    }

    /// How auditors read the event: the typed texts shown while held.
    pub fn to_view(
        &self,
        records: &[RecordRef],
        chain: Option<(i64, &[u8])>,
        held: &HashMap<Vec<u8>, KeptText>,
    ) -> AuditEventView {
        let text = |v1: &Option<String>, hash: &Option<Vec<u8>>| {
            v1.clone().or_else(|| {
                hash.as_ref()
                    .and_then(|h| held.get(h))
                    .map(|k| k.text.clone())
            })
        };
        let erased = |hash: &Option<Vec<u8>>| hash.as_ref().is_some_and(|h| !held.contains_key(h));
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
            reference: text(&self.reference, &self.reference_hash),
            reason: text(&self.reason, &self.reason_hash),
            texts_erased: erased(&self.reference_hash) || erased(&self.reason_hash),
            recipients: self.recipients.clone(),
            client_addr: self.client_addr.clone(),
            user_agent: self.user_agent.clone(),
            request_id: self.request_id.clone(),
            working_context: self.working_context,
            content_hash: hex::encode(&self.content_hash),
            chain_position: chain.map(|(p, _)| p),
            chain_hash: chain.map(|(_, h)| hex::encode(h)),
            canonical: None,
            canonical_version: self.canonical_version,
            texts: Vec::new(),
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

/// A signed checkpoint as stored.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = audit_checkpoints)]
pub struct CheckpointRow {
    pub position: i64,
    pub chain_hash: Vec<u8>,
    pub signed_at: DateTime<Utc>,
    pub key_id: String,
    pub public_key: Vec<u8>,
    pub signature: Vec<u8>,
    pub version: i16,
    pub log_id: Option<Uuid>,
    pub number: Option<i64>,
    pub previous_position: Option<i64>,
    pub previous_chain_hash: Option<Vec<u8>>,
    pub merkle_root: Option<Vec<u8>>,
}

impl CheckpointRow {
    /// What the signature was made over.
    pub fn statement(&self) -> CheckpointStatement {
        CheckpointStatement {
            version: self.version,
            log_id: self.log_id,
            number: self.number,
            position: self.position,
            chain_hash: self.chain_hash.clone(),
            previous_position: self.previous_position,
            previous_chain_hash: self.previous_chain_hash.clone(),
            merkle_root: self.merkle_root.clone(),
            signed_at: self.signed_at,
        }
    }

    pub fn view(&self) -> CheckpointView {
        let statement = self.statement();
        CheckpointView {
            message: String::from_utf8_lossy(&statement.message()).into_owned(),
            position: self.position,
            chain_hash: hex::encode(&self.chain_hash),
            signed_at: self.signed_at,
            key_id: self.key_id.clone(),
            public_key: hex::encode(&self.public_key),
            signature: hex::encode(&self.signature),
            version: self.version,
            log_id: self.log_id,
            number: self.number,
            previous_position: self.previous_position,
            previous_chain_hash: self.previous_chain_hash.as_ref().map(hex::encode),
            merkle_root: self.merkle_root.as_ref().map(hex::encode),
        }
    }
}
