//! Erasure of every copy (DPA 2018 s.47): first a plan that says what will
//! be deleted, what redacted, what restricted instead and what kept, and
//! why; then the act, and a certificate that lists ids and counts, never
//! content, with the result of a search for what might be left.

use crate::error::FieldErrors;
use crate::ids::PersonId;
use crate::links::RecordKey;
use crate::rules::Checker;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::code_list!(
    /// Why an item is in a plan.
    PlanReason {
        Person = ("person", "The person themselves"),
        MergedDuplicate = ("merged_duplicate", "A duplicate record merged into the person"),
        OnlySubject = ("only_subject", "A record whose only subject is the person"),
        OnlyTheirs = ("only_theirs", "An object or location linked to nothing but what is erased"),
        SharedRecord = ("shared_record", "A record about others too: it loses the link and the person's data in it"),
        Mentions = ("mentions", "A record not linked to the person whose text names them"),
        LegalHold = ("legal_hold", "Under a legal hold: restricted instead (s.47(2))"),
    }
);

/// One record the plan deletes, unlinks or restricts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanEntry {
    pub record: RecordKey,
    /// The record's kind (`stop_search`, `vehicle`…).
    pub kind: String,
    /// The force reference, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The code of a [`PlanReason`].
    pub reason: String,
}

/// A passage of a kept record that names the person: the text as held and
/// the text it will hold. The data protection officer confirms (or writes)
/// the redacted text before the plan can run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Passage {
    pub record: RecordKey,
    /// Where in the record: `summary` or a path into its details
    /// (`details.narrative`, `details.content[0].text`).
    pub field: String,
    /// The whole text as held today.
    pub held: String,
    /// Probity's proposal: each mention replaced by `[erased]`, or the
    /// field emptied when it holds nothing else.
    pub proposed: String,
    /// The text the officer confirmed, once they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
}

/// An item kept because of a legal hold, restricted instead of erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeldEntry {
    pub record: RecordKey,
    pub kind: String,
    pub hold: Uuid,
    pub hold_reason: String,
    pub review_on: NaiveDate,
}

/// Something the plan keeps on purpose, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct KeptEntry {
    pub what: String,
    pub why: String,
}

/// What erasing a person will do, item by item. Until it runs it holds the
/// passages (personal data, seen only by the data protection officer);
/// once it has run only the ids remain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErasurePlan {
    pub id: Uuid,
    pub person: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// People deleted: the person and every duplicate merged into them.
    pub people: Vec<PersonId>,
    pub delete: Vec<PlanEntry>,
    /// Kept records that lose their link to the person and every copy of
    /// their data.
    pub unlink: Vec<PlanEntry>,
    pub passages: Vec<Passage>,
    pub restrict: Vec<HeldEntry>,
    pub keep: Vec<KeptEntry>,
    /// How many distinctive values (names, dates of birth, identifiers)
    /// the plan and the probe look for. The values are not shown.
    pub values_sought: usize,
    /// Passages still to confirm: the plan cannot run until this is 0.
    pub unconfirmed: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Uuid>,
}

impl ErasurePlan {
    pub fn count_unconfirmed(&self) -> usize {
        self.passages
            .iter()
            .filter(|p| p.confirmed.is_none())
            .count()
    }
}

pub const PASSAGE_MAX: usize = 100_000;

/// The officer's redacted text for one passage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PassageInput {
    /// The text the field will hold; may be empty to clear it.
    pub text: String,
}

impl PassageInput {
    /// The length rule only: whether the text still names the person is
    /// checked by the server, which alone holds what to look for.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut c = Checker::default();
        if self.text.chars().count() > PASSAGE_MAX {
            c.fail(
                "text",
                "too_long",
                format!("At most {PASSAGE_MAX} characters"),
            );
        }
        c.finish(self.text.clone())
    }
}

/// One kind of record and how many of it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErasedKind {
    pub record_type: String,
    pub kind: String,
    pub count: usize,
    pub ids: Vec<Uuid>,
}

/// Where the probe found something it looked for: a table and column, or
/// an index. Never the value found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TracePlace {
    pub place: String,
    pub count: i64,
}

/// The search for the person's distinctive values after the erasure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProbeReport {
    pub ran_at: DateTime<Utc>,
    pub took_ms: u64,
    pub values_sought: usize,
    /// Every database table searched, with its text and JSON columns.
    pub tables: usize,
    pub columns: usize,
    /// The search engine's indexes, asked for ids, words and values,
    /// deleted documents included.
    pub indexes: Vec<String>,
    /// Files under the data directory read byte by byte (keys excepted).
    pub files: usize,
    pub traces: Vec<TracePlace>,
    /// "0 traces", or how many places held something.
    pub result: String,
}

/// The proof that an erasure was done: what went, what was restricted and
/// why, who authorised it, when, and what a search afterwards found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErasureCertificate {
    pub id: Uuid,
    pub plan: Uuid,
    pub controller: String,
    pub person: PersonId,
    /// The rights request it answers, by reference, or the review that
    /// decided disposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Uuid>,
    /// Who authorised it: the user's id and role names, never a name.
    pub authorised_by: Option<Uuid>,
    pub authorised_roles: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub erased_at: DateTime<Utc>,
    /// When the search index no longer held the erased documents.
    pub index_purged_at: DateTime<Utc>,
    pub erased: Vec<ErasedKind>,
    /// Records kept, without the link or the person's data.
    pub unlinked: Vec<RecordKey>,
    /// Passages of kept records redacted.
    pub passages_redacted: usize,
    pub restricted: Vec<HeldEntry>,
    /// Other copies removed: idempotency keys, import source ids (kept
    /// as a digest so a re-import cannot bring them back), search outbox
    /// rows, justification texts, working contexts, pack copies.
    pub copies: Vec<TracePlace>,
    pub kept: Vec<KeptEntry>,
    pub probe: ProbeReport,
    /// Position in the audit log of the erasure event holding this
    /// certificate's hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_position: Option<i64>,
    /// Re-applied to a database restored from a backup taken before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reapplies: Option<Uuid>,
}

/// A certificate as served: the document and its SHA-256 (hex) over the
/// document's canonical JSON, which the audit log holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssuedCertificate {
    pub certificate: ErasureCertificate,
    pub sha256: String,
}

/// Starting an erasure plan outside a request: a disposal after review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub person: PersonId,
}
