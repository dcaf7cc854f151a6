//! Restriction of any record (DPA 2018 s.47(2)) and legal holds: kept, but
//! out of ordinary processing, with the reason, who asked and when to look
//! again.

use crate::error::FieldErrors;
use crate::links::RecordKey;
use crate::people::RestrictionGround;
use crate::rights::{REASON_MAX, REASON_MIN};
use crate::rules::Checker;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Restricting a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RestrictInput {
    pub ground: RestrictionGround,
    /// Why, in words a reviewer will understand.
    pub reason: String,
    /// `YYYY-MM-DD`: when to decide again whether it should stay restricted.
    pub review_on: String,
    /// The rights request that asked for it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
}

pub struct ValidRestriction {
    pub ground: RestrictionGround,
    pub reason: String,
    pub review_on: NaiveDate,
    pub request: Option<Uuid>,
}

/// A review date: after today, within five years.
fn review_date(c: &mut Checker, field: &str, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (_, date) = c.date(field, raw, true);
    let date = date?;
    if date <= today {
        c.fail(
            field,
            "not_in_future",
            "The review date must be after today",
        );
        return None;
    }
    if date > today + chrono::Days::new(5 * 366) {
        c.fail(
            field,
            "too_far",
            "Review within five years: a restriction or hold is looked at again",
        );
        return None;
    }
    Some(date)
}

impl RestrictInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRestriction, FieldErrors> {
        let mut c = Checker::default();
        let reason = c.text("reason", &self.reason, REASON_MIN, REASON_MAX, "the reason");
        let review_on = review_date(&mut c, "review_on", &self.review_on, today);
        match review_on {
            Some(review_on) if c.errors.is_empty() => Ok(ValidRestriction {
                ground: self.ground,
                reason,
                review_on,
                request: self.request,
            }),
            _ => Err(c.errors),
        }
    }
}

/// A record's restriction as shown to those who decide restriction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Restriction {
    pub record: RecordKey,
    pub kind: String,
    /// The force reference of an event, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `accuracy_contested` or `needed_as_evidence`; a legal hold's
    /// restriction by an erasure has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<String>,
    pub restricted_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
}

/// Placing a legal hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegalHoldInput {
    /// What it is needed for: the proceedings, the order, the inquiry.
    pub reason: String,
    /// `YYYY-MM-DD`: when to decide again whether it is still needed.
    pub review_on: String,
}

impl LegalHoldInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(String, NaiveDate), FieldErrors> {
        let mut c = Checker::default();
        let reason = c.text("reason", &self.reason, REASON_MIN, REASON_MAX, "the reason");
        let review_on = review_date(&mut c, "review_on", &self.review_on, today);
        match review_on {
            Some(d) if c.errors.is_empty() => Ok((reason, d)),
            _ => Err(c.errors),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LegalHold {
    pub id: Uuid,
    pub record: RecordKey,
    /// The record's kind and force reference, when it still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub reason: String,
    pub review_on: NaiveDate,
    pub placed_by: Option<Uuid>,
    pub placed_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifted_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restriction_needs_a_reason_and_a_review_date_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let input = RestrictInput {
            ground: RestrictionGround::AccuracyContested,
            reason: "short".into(),
            review_on: "2026-12-01".into(),
            request: None,
        };
        let e = input.validate(today).err().unwrap();
        let fields: Vec<_> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "review_on"]);
        let ok = RestrictInput {
            reason: "The subject disputes the address recorded".into(),
            review_on: "2027-06-01".into(),
            ..input
        };
        assert!(ok.validate(today).is_ok());
    }

    #[test]
    fn a_hold_is_reviewed_within_five_years() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let far = LegalHoldInput {
            reason: "Evidence in R v Example, trial listed".into(),
            review_on: "2035-01-01".into(),
        };
        assert_eq!(far.validate(today).unwrap_err().0[0].code, "too_far");
    }
}
