//! The subject access pack: what is held about the subject, where it came
//! from, who received it and who has seen it (s.45), item by item with the
//! data protection officer's decision, and the pack as released.

use super::{ItemDecision, WithholdingGround};
use crate::audit::CheckpointView;
use crate::error::{FieldError, FieldErrors};
use crate::rules::Checker;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One value of a record, by its path in the record (`details.narrative`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PackField {
    pub path: String,
    pub label: String,
    pub value: String,
    /// Redacted unless the officer releases it: another person's identity
    /// (an officer, an appropriate adult, a witness).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redacted_by_default: bool,
    /// What is released unless the officer releases the text as it is: the
    /// text with other people linked to the record named "[another person]".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_value: Option<String>,
}

impl PackField {
    /// The value released under a decision.
    pub fn released(&self, decision: &Decision) -> String {
        if decision.redactions.contains(&self.path) {
            return "[redacted]".into();
        }
        if decision.unredacted.contains(&self.path) {
            return self.value.clone();
        }
        if self.redacted_by_default {
            return "[withheld: another person]".into();
        }
        self.release_value
            .clone()
            .unwrap_or_else(|| self.value.clone())
    }
}

/// One item to decide on: a record held about the subject, or the list of
/// its recipients, or the history of who has seen it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PackItem {
    /// Stable across compiles: `person:<id>`, `event:<id>`, `recipients`,
    /// `consultations`.
    pub key: String,
    /// person, event, object, location, recipients or consultations.
    pub category: String,
    pub title: String,
    pub record_id: Option<Uuid>,
    pub reference: Option<String>,
    /// The subject's role on the record and their category (s.38(3)).
    pub role: Option<String>,
    pub subject_category: Option<String>,
    /// Where the record came from: the role that made it, or the legacy
    /// system and its id.
    pub source: String,
    pub fields: Vec<PackField>,
    /// What happens to the item unless the officer decides otherwise
    /// (intelligence is withheld under s.45(4)(b) by default).
    pub default: Option<Decision>,
    pub decision: Option<Decision>,
    /// A digest of the content, so a later compile can say what changed.
    pub digest: String,
}

impl PackItem {
    /// The decision in force: the officer's, or the default.
    pub fn in_force(&self) -> Option<&Decision> {
        self.decision.as_ref().or(self.default.as_ref())
    }
}

/// A decision on one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Decision {
    pub decision: ItemDecision,
    /// Paths of the fields redacted (with `redact`).
    #[serde(default)]
    pub redactions: Vec<String>,
    /// Paths of fields redacted by default (another person named) that the
    /// officer releases as they are.
    #[serde(default)]
    pub unredacted: Vec<String>,
    pub ground: Option<WithholdingGround>,
    /// For the Commissioner; never enters the pack.
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A decision as the officer sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// The item's key.
    pub item: String,
    /// release, redact or withhold.
    pub decision: String,
    /// Field paths to redact, with `redact`.
    #[serde(default)]
    pub redactions: Vec<String>,
    /// Field paths redacted by default (another person named in them) to
    /// release as they are, with `release` or `redact`.
    #[serde(default)]
    pub unredact: Vec<String>,
    /// a to e: required to withhold or redact.
    #[serde(default)]
    pub ground: String,
    /// Required to withhold or redact; kept with the case, never released.
    #[serde(default)]
    pub reason: String,
}

impl DecisionInput {
    /// Checks the decision against the item's fields.
    pub fn validate(&self, fields: &[PackField]) -> Result<Decision, FieldErrors> {
        let mut c = Checker::default();
        let decision = ItemDecision::parse(self.decision.trim());
        if decision.is_none() {
            c.fail("decision", "unknown", "Choose release, redact or withhold");
        }
        let restricting = matches!(
            decision,
            Some(ItemDecision::Redact | ItemDecision::Withhold)
        );
        let ground = WithholdingGround::parse(self.ground.trim());
        if restricting && ground.is_none() {
            c.fail(
                "ground",
                "required",
                "Choose the ground in s.45(4) that applies",
            );
        }
        let reason = c.text(
            "reason",
            &self.reason,
            if restricting { super::REASON_MIN } else { 0 },
            super::REASON_MAX,
            "the reason, for the Commissioner",
        );
        for (i, path) in self.unredact.iter().enumerate() {
            if !fields
                .iter()
                .any(|f| &f.path == path && (f.redacted_by_default || f.release_value.is_some()))
            {
                c.errors.0.push(FieldError::new(
                    &format!("unredact[{i}]"),
                    "unknown",
                    "The item has no field redacted by default at that path",
                ));
            }
        }
        if decision == Some(ItemDecision::Redact) {
            if self.redactions.is_empty() {
                c.fail("redactions", "required", "Choose the fields to redact");
            }
            for (i, path) in self.redactions.iter().enumerate() {
                if !fields.iter().any(|f| &f.path == path) {
                    c.errors.0.push(FieldError::new(
                        &format!("redactions[{i}]"),
                        "unknown",
                        "The item has no such field",
                    ));
                }
            }
        }
        let Some(decision) = decision else {
            return Err(c.errors);
        };
        c.finish(Decision {
            decision,
            redactions: if decision == ItemDecision::Redact {
                self.redactions.clone()
            } else {
                Vec::new()
            },
            unredacted: if decision == ItemDecision::Withhold {
                Vec::new()
            } else {
                self.unredact.clone()
            },
            ground: if restricting { ground } else { None },
            reason: (!reason.is_empty()).then_some(reason),
            decided_by: None,
            decided_at: None,
        })
    }
}

/// A recipient of the subject's records (from the disclosure log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DisclosureEntry {
    pub occurred_at: DateTime<Utc>,
    pub recipient: String,
    pub purpose: Option<String>,
}

/// One consultation or disclosure of the subject's records, with what an
/// outsider needs to check it is in the signed log: the canonical text its
/// hash is taken over, and the RFC 6962 audit path from its leaf to the
/// Merkle root the pack's checkpoint signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsultationEntry {
    pub occurred_at: DateTime<Utc>,
    /// consultation or disclosure.
    pub operation: String,
    pub purpose: Option<String>,
    /// The roles of whoever looked (staff names are withheld, s.45(4)(e)).
    pub by: String,
    pub position: i64,
    pub canonical_version: i16,
    pub canonical: String,
    /// Hex SHA-256 of `probity-audit-event-v<version>\n` + canonical.
    pub content_hash: String,
    /// Hex hashes, leaf to root.
    pub audit_path: Vec<String>,
}

/// Who has seen the subject's records, and the proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsultationHistory {
    pub entries: Vec<ConsultationEntry>,
    /// The signed checkpoint whose Merkle root every audit path leads to.
    pub checkpoint: Option<CheckpointView>,
    pub how_to_verify: String,
}

/// What a compile found, and how it differs from the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CompileSummary {
    pub number: i32,
    pub compiled_at: DateTime<Utc>,
    pub items: usize,
    pub undecided: usize,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// The unredacted working view, kept with the case for the Commissioner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkingPack {
    pub summary: CompileSummary,
    pub items: Vec<PackItem>,
    pub recipients: Vec<DisclosureEntry>,
    pub consultations: ConsultationHistory,
}

crate::code_list!(
    /// What the response says.
    Outcome {
        DataEnclosed = ("data_enclosed", "Personal data held is enclosed"),
        NoDataHeld = ("no_data_held", "No personal data is held"),
        NeitherConfirmNorDeny = ("neither_confirm_nor_deny", "Neither confirm nor deny"),
    }
);

/// A record as released: its fields after the decisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReleasedRecord {
    pub title: String,
    pub category: String,
    pub reference: Option<String>,
    pub role: Option<String>,
    pub subject_category: Option<String>,
    pub source: String,
    /// Label and value; a redacted value reads "[redacted]".
    pub fields: Vec<(String, String)>,
}

/// What the law says the subject must be told (s.45(2)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProcessingInformation {
    pub purposes: String,
    pub legal_basis: String,
    pub categories: String,
    pub retention: String,
    pub your_rights: String,
    pub complaints: String,
}

/// The response to a subject access request, as the subject receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SubjectAccessPack {
    pub reference: String,
    pub controller: String,
    pub generated_at: DateTime<Utc>,
    pub requester_name: String,
    pub requester_contact: String,
    pub received_on: NaiveDate,
    pub outcome: Outcome,
    /// The response letter, paragraph by paragraph.
    pub letter: Vec<String>,
    pub records: Vec<ReleasedRecord>,
    pub recipients: Vec<DisclosureEntry>,
    pub processing: Option<ProcessingInformation>,
    pub consultations: Option<ConsultationHistory>,
    /// Some information was withheld (s.45(4)); never why.
    pub withheld: bool,
}
