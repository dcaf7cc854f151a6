//! Rectification (DPA 2018 s.46) and telling earlier recipients of a change
//! (s.48): a field corrected, or, where the record must be kept as it was
//! (it is evidence), a supplementary statement shown wherever it is shown.

use crate::error::FieldErrors;
use crate::links::RecordKey;
use crate::rights::{REASON_MAX, REASON_MIN};
use crate::rules::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const STATEMENT_MIN: usize = 10;
pub const STATEMENT_MAX: usize = 4_000;

/// One rectification on a request case: either `field` and `value` (a
/// correction) or `statement` (a supplementary statement).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RectificationInput {
    pub record: Option<RecordKey>,
    /// The field to correct, as the record's form names it: `surname`,
    /// `date_of_birth`, `details.narrative`, `details.address`.
    #[serde(default)]
    pub field: String,
    /// Its correct value, as the form would send it.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// The statement to append instead, where the original must be kept.
    #[serde(default)]
    pub statement: String,
    /// Why: what the subject showed to be inaccurate or incomplete.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rectify {
    Correct {
        field: String,
        value: serde_json::Value,
    },
    Supplement {
        statement: String,
    },
}

impl RectificationInput {
    pub fn validate(&self) -> Result<(RecordKey, Rectify, String), FieldErrors> {
        let mut c = Checker::default();
        if self.record.is_none() {
            c.fail("record", "required", "Choose the record to rectify");
        }
        let reason = c.text("reason", &self.reason, REASON_MIN, REASON_MAX, "why");
        let field = self.field.trim();
        let statement = self.statement.trim();
        let what = match (field.is_empty(), statement.is_empty()) {
            (false, true) => {
                let ok_path = field.split('.').all(|p| {
                    !p.is_empty()
                        && p.chars().all(|ch| {
                            ch.is_ascii_alphanumeric() || ch == '_' || ch == '[' || ch == ']'
                        })
                });
                if !ok_path {
                    c.fail("field", "invalid", "Name a field such as details.narrative");
                }
                match &self.value {
                    Some(v) if !v.is_object() && !v.is_array() => Some(Rectify::Correct {
                        field: field.to_owned(),
                        value: v.clone(),
                    }),
                    _ => {
                        c.fail("value", "required", "Give the correct value of the field");
                        None
                    }
                }
            }
            (true, false) => {
                let statement = c.text(
                    "statement",
                    statement,
                    STATEMENT_MIN,
                    STATEMENT_MAX,
                    "the statement",
                );
                Some(Rectify::Supplement { statement })
            }
            (false, false) => {
                c.fail(
                    "statement",
                    "one_of",
                    "Correct a field or add a statement, not both",
                );
                None
            }
            (true, true) => {
                c.fail(
                    "field",
                    "one_of",
                    "Name the field to correct, or write a supplementary statement",
                );
                None
            }
        };
        match (self.record, what) {
            (Some(record), Some(what)) if c.errors.is_empty() => Ok((record, what, reason)),
            _ => Err(c.errors),
        }
    }
}

/// A statement appended to a record that is kept as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SupplementaryStatement {
    pub id: Uuid,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
    pub added_at: DateTime<Utc>,
}

crate::code_list!(
    /// What changed, for an earlier recipient.
    ChangeKind {
        Rectification = ("rectification", "Rectified (s.46)"),
        Erasure = ("erasure", "Erased (s.47)"),
        Restriction = ("restriction", "Restricted (s.47)"),
    }
);

/// A record named in a notification: its id, and the force reference the
/// recipient knows it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NotifiedRecord {
    pub record: RecordKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// When it was disclosed to them (the first time).
    pub disclosed_at: DateTime<Utc>,
}

/// A letter owed to an organisation that received a record before it
/// changed (s.48). Sending it is itself a disclosure, logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RecipientNotification {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
    pub recipient: Uuid,
    pub recipient_name: String,
    pub change: String,
    pub records: Vec<NotifiedRecord>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// What a rectification did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Rectified {
    pub record: RecordKey,
    /// `correction` or `supplementary_statement`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Uuid>,
    /// The record's version after a correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    /// Letters owed to every earlier recipient of the record.
    pub notifications: Vec<RecipientNotification>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::RecordType;

    fn key() -> Option<RecordKey> {
        Some(RecordKey {
            record_type: RecordType::Event,
            id: Uuid::nil(),
        })
    }

    #[test]
    fn a_rectification_corrects_a_field_or_adds_a_statement_not_both() {
        let both = RectificationInput {
            record: key(),
            field: "details.narrative".into(),
            value: Some("x".into()),
            statement: "The subject says they were not present".into(),
            reason: "The subject showed a travel ticket".into(),
        };
        assert_eq!(both.validate().unwrap_err().0[0].code, "one_of");
        let statement = RectificationInput {
            field: String::new(),
            value: None,
            ..both.clone()
        };
        assert!(matches!(
            statement.validate().unwrap().1,
            Rectify::Supplement { .. }
        ));
        let correction = RectificationInput {
            statement: String::new(),
            ..both
        };
        assert!(matches!(
            correction.validate().unwrap().1,
            Rectify::Correct { .. }
        ));
    }

    #[test]
    fn a_correction_names_a_plain_value() {
        let input = RectificationInput {
            record: key(),
            field: "details.narrative".into(),
            value: Some(serde_json::json!({"a": 1})),
            reason: "The subject showed a travel ticket".into(),
            ..RectificationInput::default()
        };
        assert_eq!(input.validate().unwrap_err().0[0].field, "value");
    }
}
