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
    /// The justification's reference and reason, while held: they are kept
    /// beside the log, not in it, so erasure can clear them (`texts_erased`).
    pub reference: Option<String>,
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub texts_erased: bool,
    /// `organisation:<id>` for an organisation from the maintained list,
    /// `api_client:<client id>` for a third-party application.
    pub recipients: Vec<String>,
    pub client_addr: Option<String>,
    /// The caller's product and major version ("Chrome/156"), or "other".
    pub user_agent: Option<String>,
    pub request_id: String,
    pub working_context: Option<Uuid>,
    /// Hex SHA-256 of the event's canonical form.
    pub content_hash: String,
    pub chain_position: Option<i64>,
    pub chain_hash: Option<String>,
    /// In exports only: the exact canonical JSON whose SHA-256 (after the
    /// line `probity-audit-event-v<canonical_version>`) is `content_hash`, so
    /// that a recipient can check each event without Probity's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// 1 for events written before typed texts left the log, else 2.
    #[serde(default = "second_version")]
    pub canonical_version: i16,
    /// In exports only: each typed text still held, with the key its hash
    /// in `canonical` was made with: hex HMAC-SHA256(key, "probity-audit-text-v1\n" + text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<HeldTextView>,
}

fn second_version() -> i16 {
    2
}

/// A justification text as an export hands it over, so the recipient can
/// check it against the hash the event's canonical form holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeldTextView {
    /// `reference` or `reason`.
    pub field: String,
    pub hash: String,
    pub key: String,
    pub text: String,
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
/// Verify only reads: it never seals or signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VerifyReport {
    pub ok: bool,
    pub from_position: i64,
    pub to_position: i64,
    pub events_verified: i64,
    pub checkpoints_verified: i64,
    /// The last position a verified signed checkpoint vouches for. Links
    /// after it hold together, but only a signature (or a witness copy)
    /// shows they are the ones first sealed.
    #[serde(default)]
    pub signed_to_position: i64,
    /// Hex chain hash at `to_position`.
    pub head_hash: Option<String>,
    /// Events committed but not yet sealed (normal for a second or so).
    pub awaiting_seal: i64,
    /// Justification texts checked against the hashes their events hold,
    /// and texts erased since (their hashes still verify).
    #[serde(default)]
    pub texts_checked: i64,
    #[serde(default)]
    pub texts_erased: i64,
    /// Checkpoints of an outside witness copy compared with the database.
    #[serde(default)]
    pub witness_checkpoints: i64,
    /// Not failures, but what an auditor should know (a long unsigned tail).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Set when this server's sealer is refusing to seal or sign, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealer_refusing: Option<String>,
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
    /// 1: position, hash and time only. 2: also the log, the checkpoint's
    /// number and the checkpoint before it.
    #[serde(default = "first_version")]
    pub version: i16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_position: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_chain_hash: Option<String>,
    /// Version 2: the RFC 6962 Merkle root over every position up to this
    /// one (leaf = SHA-256(0x00 ‖ position ‖ content hash)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merkle_root: Option<String>,
}

fn first_version() -> i16 {
    1
}
