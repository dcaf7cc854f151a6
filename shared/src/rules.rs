//! Small parsers every form uses, collecting errors under JSON paths such as
//! `details.officers_present[1].sex`, so the browser and the server point at
//! the same field.

use crate::error::{FieldError, FieldErrors};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Trims and collapses runs of whitespace.
pub fn tidy(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether free text holds a control character other than a line break or
/// a tab: never meant, and PostgreSQL refuses a NUL.
pub fn has_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Collects every broken rule of one form.
#[derive(Default)]
pub struct Checker {
    pub errors: FieldErrors,
}

impl Checker {
    pub fn fail(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.errors.0.push(FieldError::new(field, code, message));
    }

    /// Free text between `min` and `max` characters after tidying; `min` of 0
    /// makes it optional. Multi-line text keeps its line breaks.
    pub fn text(&mut self, field: &str, raw: &str, min: usize, max: usize, what: &str) -> String {
        let value = if raw.contains('\n') {
            raw.trim().to_owned()
        } else {
            tidy(raw)
        };
        if has_control_characters(&value) {
            self.fail(field, "invalid_characters", "Remove the control characters");
            return value;
        }
        let len = value.chars().count();
        if len == 0 && min > 0 {
            self.fail(field, "required", format!("Enter {what}"));
        } else if len > 0 && len < min {
            self.fail(
                field,
                "too_short",
                format!("Give more detail: at least {min} characters"),
            );
        } else if len > max {
            self.fail(field, "too_long", format!("At most {max} characters"));
        }
        value
    }

    /// A required choice from a code list.
    pub fn required<T: Copy>(&mut self, field: &str, value: Option<T>, what: &str) -> Option<T> {
        if value.is_none() {
            self.fail(field, "required", format!("Choose {what}"));
        }
        value
    }

    /// A date and time, as `YYYY-MM-DDTHH:MM[:SS]` (taken as UTC) or RFC 3339.
    /// Returns the normalised text and the instant.
    pub fn datetime(
        &mut self,
        field: &str,
        raw: &str,
        required: bool,
        now: DateTime<Utc>,
    ) -> (String, Option<DateTime<Utc>>) {
        let raw = raw.trim();
        if raw.is_empty() {
            if required {
                self.fail(field, "required", "Enter the date and time");
            }
            return (String::new(), None);
        }
        match parse_datetime(raw) {
            Some(at) if at > now + chrono::Duration::minutes(5) => {
                self.fail(field, "in_future", "This cannot be in the future");
                (raw.to_owned(), None)
            }
            Some(at) => (format_datetime(at), Some(at)),
            None => {
                self.fail(
                    field,
                    "invalid_datetime",
                    "Enter a real date and time as YYYY-MM-DDTHH:MM",
                );
                (raw.to_owned(), None)
            }
        }
    }

    /// A calendar date as `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, raw: &str, required: bool) -> (String, Option<NaiveDate>) {
        let raw = raw.trim();
        if raw.is_empty() {
            if required {
                self.fail(field, "required", "Enter the date");
            }
            return (String::new(), None);
        }
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) if YEARS.contains(&chrono::Datelike::year(&d)) => {
                (d.format("%Y-%m-%d").to_string(), Some(d))
            }
            _ => {
                self.fail(field, "invalid_date", "Enter a real date as YYYY-MM-DD");
                (raw.to_owned(), None)
            }
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// Years a record can sensibly carry (and PostgreSQL can store).
const YEARS: std::ops::RangeInclusive<i32> = 1800..=9999;

pub fn parse_datetime(raw: &str) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    let at = match DateTime::parse_from_rfc3339(raw) {
        Ok(at) => Some(at.with_timezone(&Utc)),
        Err(_) => ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
            .map(|n| n.and_utc()),
    };
    at.filter(|at| YEARS.contains(&at.year()))
}

pub fn format_datetime(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whole years between a date of birth and a day.
pub fn age_on(date_of_birth: NaiveDate, day: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = day.year() - date_of_birth.year();
    if (day.month(), day.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_turns_on_the_birthday() {
        let dob = NaiveDate::from_ymd_opt(2011, 6, 15).unwrap();
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()),
            14
        );
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()),
            15
        );
    }

    #[test]
    fn a_datetime_from_a_form_or_rfc3339_is_normalised() {
        let now = parse_datetime("2026-11-27T12:00:00Z").unwrap();
        let mut c = Checker::default();
        assert_eq!(
            c.datetime("at", "2026-11-27T10:30", true, now).0,
            "2026-11-27T10:30:00Z"
        );
        assert_eq!(
            c.datetime("at", "2026-11-27T10:30:00+01:00", true, now).0,
            "2026-11-27T09:30:00Z"
        );
        assert!(c.errors.is_empty());
        c.datetime("at", "2026-11-28T10:30", true, now);
        c.datetime("at2", "yesterday", true, now);
        c.datetime("at3", "-5000-01-01T00:00", true, now);
        c.text("t", "nul\u{0}here", 0, 100, "");
        let codes: Vec<_> = c.errors.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "in_future",
                "invalid_datetime",
                "invalid_datetime",
                "invalid_characters"
            ]
        );
    }
}
