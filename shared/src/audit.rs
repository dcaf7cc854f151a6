//! The audit log as auditors and data protection officers read it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A record an event touched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    #[serde(rename = "type")]
    pub record_type: String,
    pub id: Uuid,
}

/// One audit event with its place in the hash chain (once sealed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEventView {
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// collection, alteration, consultation, disclosure, combination,
    /// erasure, restriction or administration.
    pub operation: String,
    pub action: String,
    /// allowed or refused.
    pub outcome: String,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    /// The user's sign-in name or the API client's id, for reading the log;
    /// looked up when listed, not part of the hashed event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    pub actor_roles: Vec<String>,
    pub on_behalf_of: Option<Uuid>,
    pub records: Vec<AuditRecord>,
    pub fields: Vec<String>,
    pub purpose: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub recipients: Vec<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
    pub working_context: Option<Uuid>,
    /// Hex SHA-256 of the event's canonical form.
    pub content_hash: String,
    pub chain_position: Option<i64>,
    pub chain_hash: Option<String>,
    /// In exports only: the exact canonical JSON whose SHA-256 (after the
    /// line `probity-audit-event-v1`) is `content_hash`, so that a recipient
    /// can check each event without Probity's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VerifyFailure {
    pub position: Option<i64>,
    pub event_seq: Option<i64>,
    pub event_id: Option<Uuid>,
    pub reason: String,
}

/// What `verify` found: the range checked and its head, or the first break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VerifyReport {
    pub ok: bool,
    pub from_position: i64,
    pub to_position: i64,
    pub events_verified: i64,
    pub checkpoints_verified: i64,
    /// Hex chain hash at `to_position`.
    pub head_hash: Option<String>,
    /// Events committed but not yet sealed (normal for a second or so).
    pub awaiting_seal: i64,
    pub first_failure: Option<VerifyFailure>,
}

/// A signed statement of the chain head, for outside parties to hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CheckpointView {
    pub position: i64,
    pub chain_hash: String,
    pub signed_at: DateTime<Utc>,
    pub key_id: String,
    /// Hex Ed25519 public key.
    pub public_key: String,
    /// Hex Ed25519 signature over `message`.
    pub signature: String,
    /// The exact text signed.
    pub message: String,
}
