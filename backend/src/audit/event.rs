//! What an audit event says, and its canonical form for hashing.

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
            Permission::PersonUpdate | Permission::RecordUpdate => Operation::Alteration,
            Permission::PersonRead
            | Permission::PersonList
            | Permission::AuditRead
            | Permission::RecordRead
            | Permission::RecordList
            | Permission::IntelligenceRead
            | Permission::IntelligenceConditioned
            | Permission::IntelligenceSource => Operation::Consultation,
            Permission::RecordLink => Operation::Combination,
            Permission::PersonDisclose | Permission::PersonExport => Operation::Disclosure,
            Permission::PersonMerge => Operation::Combination,
            Permission::PersonRestrict => Operation::Restriction,
            Permission::PersonErase => Operation::Erasure,
            Permission::UserAdmin | Permission::ApiClientAdmin => Operation::Administration,
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
/// Field order here is the canonical order: never reorder, only append with
/// a new version prefix.
#[derive(Clone, Debug, Serialize)]
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
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub recipients: Vec<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
    pub working_context: Option<Uuid>,
    #[serde(skip)]
    pub time: DateTime<Utc>,
}

const CANONICAL_PREFIX: &[u8] = b"probity-audit-event-v1\n";

impl StampedEvent {
    pub fn stamp(event: AuditEvent, ctx: &RequestContext) -> Self {
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
            reference: justification.and_then(|j| j.reference.clone()),
            reason: justification.and_then(|j| j.reason.clone()),
            recipients,
            client_addr: ctx.client_addr.clone(),
            user_agent: ctx.user_agent.clone(),
            request_id: ctx.request_id.clone(),
            working_context: ctx.working_context,
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

    /// The canonical JSON of the event: its fields in declaration order,
    /// compact, as exports hand it to outside parties.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// SHA-256 over the versioned canonical JSON of the event.
    pub fn content_hash(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(CANONICAL_PREFIX);
        hasher.update(self.canonical_json().as_bytes());
        hasher.finalize().into()
    }
}
