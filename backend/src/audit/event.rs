//! What an audit event says, and its canonical form for hashing.

use super::texts::{FreeText, TextKeys};
use crate::auth::context::RequestContext;
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use shared::permissions::Permission;
use uuid::Uuid;

/// The six operations of s.62, plus restriction (s.47) and account
/// administration, which are not personal-data operations on subjects but
/// are recorded the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Collection,
    Alteration,
    Consultation,
    Disclosure,
    Combination,
    Erasure,
    Restriction,
    Administration,
}

impl Operation {
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Collection => "collection",
            Operation::Alteration => "alteration",
            Operation::Consultation => "consultation",
            Operation::Disclosure => "disclosure",
            Operation::Combination => "combination",
            Operation::Erasure => "erasure",
            Operation::Restriction => "restriction",
            Operation::Administration => "administration",
        }
    }

    /// The operation an attempt to use a permission would have been.
    pub const fn of(permission: Permission) -> Self {
        match permission {
            Permission::PersonCreate | Permission::RecordCreate | Permission::RecordImport => {
                Operation::Collection
            }
            // A review's decision to retain alters the schedule; to dispose,
            // it erases under its own logged event.
            Permission::PersonUpdate
            | Permission::RecordUpdate
            | Permission::RightsManage
            | Permission::RetentionReview => Operation::Alteration,
            Permission::PersonRead
            | Permission::PersonList
            | Permission::AuditRead
            | Permission::RecordRead
            | Permission::RecordList
            | Permission::IntelligenceRead
            | Permission::IntelligenceConditioned
            | Permission::IntelligenceSource
            | Permission::RightsRead
            | Permission::OversightRead => Operation::Consultation,
            Permission::RecordLink => Operation::Combination,
            Permission::PersonDisclose | Permission::PersonExport => Operation::Disclosure,
            Permission::PersonMerge => Operation::Combination,
            Permission::PersonRestrict | Permission::RecordRestrict => Operation::Restriction,
            Permission::PersonErase => Operation::Erasure,
            Permission::UserAdmin | Permission::ApiClientAdmin | Permission::OrganisationAdmin => {
                Operation::Administration
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    Refused,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Refused => "refused",
        }
    }
}

/// A record touched: its type and id, never its contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
}

impl RecordRef {
    pub fn new(kind: &str, id: Uuid) -> Self {
        Self {
            kind: kind.to_owned(),
            id,
        }
    }
}

/// What domain code says happened; the request context adds who and why.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub operation: Operation,
    /// A stable action name such as `person.update`.
    pub action: &'static str,
    pub records: Vec<RecordRef>,
    /// Names of fields changed (alteration) or disclosed, never values.
    pub fields: Vec<String>,
    /// Who received a disclosure.
    pub recipients: Vec<String>,
    pub outcome: Outcome,
}

impl AuditEvent {
    pub fn new(operation: Operation, action: &'static str, records: Vec<RecordRef>) -> Self {
        Self {
            operation,
            action,
            records,
            fields: Vec::new(),
            recipients: Vec::new(),
            outcome: Outcome::Allowed,
        }
    }

    pub fn fields(mut self, fields: Vec<String>) -> Self {
        self.fields = fields;
        self
    }
}

/// An event with everything the row holds, in the exact form that is hashed.
/// Field order is the canonical order: never reorder; a new form gets a new
/// version (`canonical_version`) and its own prefix.
///
/// Version 2 (every event written now) holds no text a user typed: the
/// justification's reference and reason appear only as keyed hashes
/// ([`super::texts`]), the text itself lives in `audit_texts`, which erasure
/// may clear; the user agent is cut down to a known product and version.
/// Version 1 events, written before, held the texts themselves and verify as
/// they were hashed.
#[derive(Clone, Debug)]
pub struct StampedEvent {
    pub id: Uuid,
    /// RFC 3339 UTC with microseconds.
    pub occurred_at: String,
    pub operation: String,
    pub action: String,
    pub outcome: String,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub actor_roles: Vec<String>,
    pub on_behalf_of: Option<Uuid>,
    pub records: Vec<RecordRef>,
    pub fields: Vec<String>,
    pub purpose: Option<String>,
    /// Version 1 only: the texts as they were hashed.
    pub reference: Option<String>,
    pub reason: Option<String>,
    /// Version 2: the justification's texts, each named in the hashed form
    /// by its keyed hash.
    pub reference_text: Option<FreeText>,
    pub reason_text: Option<FreeText>,
    pub recipients: Vec<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
    pub working_context: Option<Uuid>,
    pub canonical_version: i16,
    pub time: DateTime<Utc>,
}

/// Version 1's hashed form: the texts themselves.
#[derive(Serialize)]
struct CanonicalV1<'a> {
    id: Uuid,
    occurred_at: &'a str,
    operation: &'a str,
    action: &'a str,
    outcome: &'a str,
    actor_type: &'a str,
    actor_id: Option<Uuid>,
    actor_roles: &'a [String],
    on_behalf_of: Option<Uuid>,
    records: &'a [RecordRef],
    fields: &'a [String],
    purpose: Option<&'a str>,
    reference: Option<&'a str>,
    reason: Option<&'a str>,
    recipients: &'a [String],
    client_addr: Option<&'a str>,
    user_agent: Option<&'a str>,
    request_id: &'a str,
    working_context: Option<Uuid>,
}

/// Version 2's hashed form: the texts' keyed hashes, in hex, in their place.
#[derive(Serialize)]
struct CanonicalV2<'a> {
    id: Uuid,
    occurred_at: &'a str,
    operation: &'a str,
    action: &'a str,
    outcome: &'a str,
    actor_type: &'a str,
    actor_id: Option<Uuid>,
    actor_roles: &'a [String],
    on_behalf_of: Option<Uuid>,
    records: &'a [RecordRef],
    fields: &'a [String],
    purpose: Option<&'a str>,
    reference_hash: Option<String>,
    reason_hash: Option<String>,
    recipients: &'a [String],
    client_addr: Option<&'a str>,
    user_agent: Option<&'a str>,
    request_id: &'a str,
    working_context: Option<Uuid>,
}

const CANONICAL_PREFIX_V1: &[u8] = b"probity-audit-event-v1\n";
const CANONICAL_PREFIX_V2: &[u8] = b"probity-audit-event-v2\n";

/// The line hashed before an event's canonical JSON, by version.
pub fn canonical_prefix(version: i16) -> &'static str {
    if version == 1 {
        "probity-audit-event-v1"
    } else {
        "probity-audit-event-v2"
    }
}

impl StampedEvent {
    pub fn stamp(event: AuditEvent, ctx: &RequestContext, texts: &TextKeys) -> Self {
        let time = Utc::now().trunc_subsecs(6);
        let mut operation = event.operation;
        let mut recipients = event.recipients;
        // A third-party application reading personal data is a disclosure to
        // that application (s.62(1)(d) and (3)).
        if let crate::auth::context::Actor::ApiClient { client_id, .. } = &ctx.actor
            && operation == Operation::Consultation
        {
            operation = Operation::Disclosure;
            recipients.push(format!("api_client:{client_id}"));
        }
        let justification = ctx.justification.as_ref();
        Self {
            id: Uuid::new_v4(),
            occurred_at: time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            operation: operation.as_str().to_owned(),
            action: event.action.to_owned(),
            outcome: event.outcome.as_str().to_owned(),
            actor_type: ctx.actor.kind().to_owned(),
            actor_id: ctx.actor.id(),
            actor_roles: ctx.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            on_behalf_of: ctx.on_behalf_of,
            records: event.records,
            fields: event.fields,
            purpose: justification.map(|j| j.purpose.as_str().to_owned()),
            reference: None,
            reason: None,
            reference_text: justification
                .and_then(|j| j.reference.as_deref())
                .map(|t| texts.keyed(t)),
            reason_text: justification
                .and_then(|j| j.reason.as_deref())
                .map(|t| texts.keyed(t)),
            recipients,
            client_addr: ctx.client_addr.clone(),
            user_agent: ctx.user_agent.as_deref().map(super::agent::product),
            request_id: ctx.request_id.clone(),
            working_context: ctx.working_context,
            canonical_version: 2,
            time,
        }
    }

    /// Whether the work this event records may have changed people or
    /// records (and so the search index), rather than only read them.
    pub fn may_change_records(&self) -> bool {
        ![Operation::Consultation, Operation::Disclosure]
            .iter()
            .any(|op| op.as_str() == self.operation)
    }

    /// The texts a user typed that this event names, to keep beside it.
    pub fn free_texts(&self) -> impl Iterator<Item = &FreeText> {
        self.reference_text.iter().chain(self.reason_text.iter())
    }

    /// The canonical JSON of the event: its fields in declaration order,
    /// compact, as exports hand it to outside parties.
    pub fn canonical_json(&self) -> String {
        let result = if self.canonical_version == 1 {
            serde_json::to_string(&CanonicalV1 {
                id: self.id,
                occurred_at: &self.occurred_at,
                operation: &self.operation,
                action: &self.action,
                outcome: &self.outcome,
                actor_type: &self.actor_type,
                actor_id: self.actor_id,
                actor_roles: &self.actor_roles,
                on_behalf_of: self.on_behalf_of,
                records: &self.records,
                fields: &self.fields,
                purpose: self.purpose.as_deref(),
                reference: self.reference.as_deref(),
                reason: self.reason.as_deref(),
                recipients: &self.recipients,
                client_addr: self.client_addr.as_deref(),
                user_agent: self.user_agent.as_deref(),
                request_id: &self.request_id,
                working_context: self.working_context,
            })
        } else {
            serde_json::to_string(&CanonicalV2 {
                id: self.id,
                occurred_at: &self.occurred_at,
                operation: &self.operation,
                action: &self.action,
                outcome: &self.outcome,
                actor_type: &self.actor_type,
                actor_id: self.actor_id,
                actor_roles: &self.actor_roles,
                on_behalf_of: self.on_behalf_of,
                records: &self.records,
                fields: &self.fields,
                purpose: self.purpose.as_deref(),
                reference_hash: self.reference_text.as_ref().map(|t| hex::encode(t.hash)),
                reason_hash: self.reason_text.as_ref().map(|t| hex::encode(t.hash)),
                recipients: &self.recipients,
                client_addr: self.client_addr.as_deref(),
                user_agent: self.user_agent.as_deref(),
                request_id: &self.request_id,
                working_context: self.working_context,
            })
        };
        result.unwrap_or_default()
    }

    /// SHA-256 over the versioned canonical JSON of the event.
    pub fn content_hash(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(if self.canonical_version == 1 {
            CANONICAL_PREFIX_V1
        } else {
            CANONICAL_PREFIX_V2
        });
        hasher.update(self.canonical_json().as_bytes());
        hasher.finalize().into()
    }
}
