//! Why someone needs personal data: DPA 2018 s.62 requires the consultation
//! and disclosure logs to show the justification.
//!
//! Sent per request in the `Probity-Justification` header, form-encoded:
//! `purpose=investigation&reference=01%2F12345` or
//! `purpose=safeguarding&reason=Concern+raised+by+school`.

use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const JUSTIFICATION_HEADER: &str = "Probity-Justification";
/// Cites a working context declared earlier, instead of a justification.
pub const WORKING_CONTEXT_HEADER: &str = "Probity-Working-Context";
/// Sent by a third-party application acting for a named member of staff
/// (their Probity user id), so the log names both.
pub const ON_BEHALF_OF_HEADER: &str = "Probity-On-Behalf-Of";

/// The fixed list of policing purposes. A force may narrow it in configuration
/// (`PROBITY_PURPOSES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Investigation,
    Intelligence,
    Custody,
    Safeguarding,
    Prosecution,
    SubjectAccess,
    /// Rectification, erasure or restriction asked for by the subject.
    DataSubjectRights,
    /// Review, retention and disposal (MoPI).
    RetentionReview,
    Audit,
    MissingPerson,
    CallHandling,
}

impl Purpose {
    pub const ALL: [Purpose; 11] = [
        Purpose::Investigation,
        Purpose::Intelligence,
        Purpose::Custody,
        Purpose::Safeguarding,
        Purpose::Prosecution,
        Purpose::SubjectAccess,
        Purpose::DataSubjectRights,
        Purpose::RetentionReview,
        Purpose::Audit,
        Purpose::MissingPerson,
        Purpose::CallHandling,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::Investigation => "investigation",
            Purpose::Intelligence => "intelligence",
            Purpose::Custody => "custody",
            Purpose::Safeguarding => "safeguarding",
            Purpose::Prosecution => "prosecution",
            Purpose::SubjectAccess => "subject_access",
            Purpose::DataSubjectRights => "data_subject_rights",
            Purpose::RetentionReview => "retention_review",
            Purpose::Audit => "audit",
            Purpose::MissingPerson => "missing_person",
            Purpose::CallHandling => "call_handling",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Purpose::Investigation => "Investigation",
            Purpose::Intelligence => "Intelligence",
            Purpose::Custody => "Custody",
            Purpose::Safeguarding => "Safeguarding",
            Purpose::Prosecution => "Prosecution",
            Purpose::SubjectAccess => "Subject access request",
            Purpose::DataSubjectRights => "Rectification, erasure or restriction request",
            Purpose::RetentionReview => "Review, retention and disposal (MoPI)",
            Purpose::Audit => "Audit",
            Purpose::MissingPerson => "Missing person",
            Purpose::CallHandling => "Call handling",
        }
    }

    pub fn parse(s: &str) -> Result<Purpose, FieldError> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| FieldError::new("purpose", "unknown", "Choose a purpose from the list"))
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const REFERENCE_MAX: usize = 40;
pub const REASON_MIN: usize = 10;
pub const REASON_MAX: usize = 500;

/// A purpose plus either a reference (occurrence, case, intelligence report
/// or task number) or a free-text reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Justification {
    pub purpose: Purpose,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Justification {
    /// Validates each part, reporting every problem at once.
    pub fn parse(purpose: &str, reference: &str, reason: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let purpose = errors.check(Purpose::parse(purpose));
        let reference = reference.trim();
        let reason = reason.trim();
        if reference.is_empty() && reason.is_empty() {
            errors.0.push(FieldError::new(
                "reference",
                "required",
                "Give a reference (occurrence, case or task number) or a reason",
            ));
        }
        if reference.chars().count() > REFERENCE_MAX {
            errors.0.push(FieldError::new(
                "reference",
                "too_long",
                format!("A reference has at most {REFERENCE_MAX} characters"),
            ));
        } else if !reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.: ".contains(c))
        {
            errors.0.push(FieldError::new(
                "reference",
                "invalid",
                "A reference has letters, digits and / - _ . : only",
            ));
        }
        let reason_len = reason.chars().count();
        if !reason.is_empty() && reason_len < REASON_MIN {
            errors.0.push(FieldError::new(
                "reason",
                "too_short",
                format!("A reason needs at least {REASON_MIN} characters"),
            ));
        }
        if reason_len > REASON_MAX {
            errors.0.push(FieldError::new(
                "reason",
                "too_long",
                format!("A reason has at most {REASON_MAX} characters"),
            ));
        }
        // Kept in the audit log for good, so refused like any form's text.
        if crate::rules::has_control_characters(reason) {
            errors.0.push(FieldError::new(
                "reason",
                "invalid_characters",
                "Remove the control characters",
            ));
        }
        match purpose {
            Some(purpose) if errors.is_empty() => Ok(Justification {
                purpose,
                reference: (!reference.is_empty()).then(|| reference.to_owned()),
                reason: (!reason.is_empty()).then(|| reason.to_owned()),
            }),
            _ => Err(errors),
        }
    }

    /// Reads the header form.
    pub fn from_header(value: &str) -> Result<Self, FieldErrors> {
        let (mut purpose, mut reference, mut reason) =
            (String::new(), String::new(), String::new());
        for pair in value.split('&') {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_decode(raw);
            match key.trim() {
                "purpose" => purpose = decoded,
                "reference" => reference = decoded,
                "reason" => reason = decoded,
                _ => {}
            }
        }
        Self::parse(&purpose, &reference, &reason)
    }

    /// Writes the header form.
    pub fn to_header(&self) -> String {
        let mut out = format!("purpose={}", self.purpose.as_str());
        if let Some(reference) = &self.reference {
            out.push_str("&reference=");
            out.push_str(&percent_encode(reference));
        }
        if let Some(reason) = &self.reason {
            out.push_str("&reason=");
            out.push_str(&percent_encode(reason));
        }
        out
    }
}

/// What a user declares at the start of a task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkingContextInput {
    pub purpose: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub reason: String,
}

/// A declared working context: cite its id in `Probity-Working-Context`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkingContext {
    pub id: crate::ids::WorkingContextId,
    pub justification: Justification,
    pub declared_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_justifies_and_round_trips_through_the_header() {
        let j = Justification::parse("investigation", " 01/12345 ", "").unwrap();
        assert_eq!(j.reference.as_deref(), Some("01/12345"));
        assert_eq!(Justification::from_header(&j.to_header()).unwrap(), j);
    }

    #[test]
    fn a_free_text_reason_round_trips_with_spaces_and_symbols() {
        let j = Justification::parse("safeguarding", "", "Concern raised by school & GP: 100%")
            .unwrap();
        assert_eq!(Justification::from_header(&j.to_header()).unwrap(), j);
    }

    #[test]
    fn a_purpose_alone_is_not_enough() {
        let errors = Justification::parse("investigation", "", "").unwrap_err();
        assert!(errors.for_field("reference").is_some());
    }

    #[test]
    fn unknown_purposes_and_short_reasons_are_each_reported() {
        let errors = Justification::parse("curiosity", "", "nosy").unwrap_err();
        assert!(errors.for_field("purpose").is_some());
        assert!(errors.for_field("reason").is_some());
    }

    #[test]
    fn a_reason_with_a_nul_or_an_escape_is_refused_naming_the_reason() {
        for header in [
            "purpose=safeguarding&reason=Concern+raised%00by+school",
            "purpose=safeguarding&reason=Concern+raised%1B%5B2Jby+school",
        ] {
            let errors = Justification::from_header(header).unwrap_err();
            assert_eq!(
                errors.for_field("reason").map(|e| e.code.as_str()),
                Some("invalid_characters"),
                "{header}"
            );
        }
        let lines = Justification::parse("safeguarding", "", "Concern raised\nby the school");
        assert!(lines.is_ok(), "{lines:?}");
    }

    #[test]
    fn a_truncated_percent_escape_is_kept_literally() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%2F"), "a/");
    }
}
