//! A person (nominal): what may be recorded about them, and the rules.

pub mod details;
pub mod keys;

pub use details::PersonDetails;

use crate::error::{FieldError, FieldErrors};
use crate::ids::PersonId;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const SURNAME_MAX: usize = 100;
pub const FORENAMES_MAX: usize = 150;
/// Nobody alive was born more than this many years ago.
pub const MAX_AGE_YEARS: i32 = 120;

/// Letters of any script, and the marks names really contain
/// (O'Neil, Smith-Jones, St. John). Digits and symbols are typos.
fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '’' || c == '.'
}

/// Trims and collapses runs of whitespace, so "  Smith   Jones " is stored as
/// "Smith Jones" and found by the same key however it was typed.
fn tidy(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_name(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let name = tidy(raw);
    if name.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("At most {max} characters"),
        ));
    }
    if !name.chars().all(is_name_char) {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "Use letters, spaces, hyphens, apostrophes and full stops only",
        ));
    }
    Ok(name)
}

/// A family name: required, trimmed, at most 100 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Surname(String);

impl Surname {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = parse_name("surname", raw, SURNAME_MAX)?;
        if name.is_empty() {
            return Err(FieldError::new("surname", "required", "Enter a surname"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Given names, in order. Optional: a nominal may be known by surname only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forenames(String);

impl Forenames {
    pub fn parse(raw: &str) -> Result<Option<Self>, FieldError> {
        let name = parse_name("forenames", raw, FORENAMES_MAX)?;
        Ok((!name.is_empty()).then_some(Self(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A date of birth: a real calendar date, not in the future and not more
/// than 120 years ago. `today` is passed in so the rule is the same in the
/// browser and on the server and can be tested on any day.
pub fn parse_date_of_birth(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "date_of_birth",
            "invalid_date",
            "Enter a real date as YYYY-MM-DD",
        )
    })?;
    if date > today {
        return Err(FieldError::new(
            "date_of_birth",
            "in_future",
            "A date of birth cannot be in the future",
        ));
    }
    let earliest = today
        .with_year(today.year() - MAX_AGE_YEARS)
        // 29 February has no counterpart 120 years earlier in some years.
        .or_else(|| NaiveDate::from_ymd_opt(today.year() - MAX_AGE_YEARS, 3, 1))
        .unwrap_or(NaiveDate::MIN);
    if date < earliest {
        return Err(FieldError::new(
            "date_of_birth",
            "too_old",
            format!("A date of birth cannot be more than {MAX_AGE_YEARS} years ago"),
        ));
    }
    Ok(Some(date))
}

/// Gender as recorded, following the POLE data standard's short list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
    #[default]
    NotKnown,
}

impl Gender {
    pub const ALL: [Gender; 4] = [
        Gender::Male,
        Gender::Female,
        Gender::Other,
        Gender::NotKnown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
            Gender::NotKnown => "not_known",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Gender::Male => "Male",
            Gender::Female => "Female",
            Gender::Other => "Other",
            Gender::NotKnown => "Not known",
        }
    }

    pub fn parse(raw: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.as_str() == raw)
    }
}

/// What a client sends to create or replace a person. Dates travel as text so
/// that a bad date is reported against its field, like any other rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub surname: String,
    #[serde(default)]
    pub forenames: String,
    /// `YYYY-MM-DD`, or empty when not known.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub gender: Gender,
    /// Aliases, other dates of birth, ethnicity, identifiers, warning
    /// markers and addresses.
    #[serde(default)]
    pub details: PersonDetails,
}

/// A person's details once every rule has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPerson {
    pub surname: Surname,
    pub forenames: Option<Forenames>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Gender,
    pub details: PersonDetails,
}

impl PersonInput {
    /// Applies every rule and reports every broken one at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPerson, FieldErrors> {
        let mut errors = FieldErrors::default();
        let surname = errors.check(Surname::parse(&self.surname));
        let forenames = errors.check(Forenames::parse(&self.forenames));
        let date_of_birth = errors.check(parse_date_of_birth(&self.date_of_birth, today));
        let mut checker = crate::rules::Checker::default();
        let details = self.details.clean(today, &mut checker);
        errors.0.extend(checker.errors.0.into_iter().map(|mut e| {
            e.field = format!("details.{}", e.field);
            e
        }));
        match (surname, forenames, date_of_birth) {
            (Some(surname), Some(forenames), Some(date_of_birth)) if errors.is_empty() => {
                Ok(ValidPerson {
                    surname,
                    forenames,
                    date_of_birth,
                    gender: self.gender,
                    details,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Sharing a person's record with an organisation from the maintained list
/// (a disclosure naming it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisclosureRequest {
    /// The receiving organisation's id (`GET /api/v1/organisations`).
    pub recipient: crate::ids::OrganisationId,
}

/// Why a record is restricted rather than erased (DPA 2018 s.47(2)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RestrictionGround {
    /// The subject contests its accuracy and it cannot be settled.
    AccuracyContested,
    /// It must be kept as evidence.
    NeededAsEvidence,
}

impl RestrictionGround {
    pub const fn as_str(self) -> &'static str {
        match self {
            RestrictionGround::AccuracyContested => "accuracy_contested",
            RestrictionGround::NeededAsEvidence => "needed_as_evidence",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RestrictionRequest {
    pub ground: RestrictionGround,
}

/// A supervisor's decision that two records are the same person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The duplicate, folded into the person named in the path. Its id keeps
    /// resolving to that person.
    pub duplicate: PersonId,
}

/// What an erasure removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Erased {
    /// Every person record erased: the person and any duplicates merged
    /// into them.
    pub people: Vec<PersonId>,
    /// Events, objects and locations only about them, erased with them.
    #[serde(default)]
    pub records_erased: usize,
    /// Justification texts kept beside the audit log (reasons, references)
    /// that named them, now deleted; their events keep only a hash.
    #[serde(default)]
    pub audit_texts_cleared: i64,
    /// Working contexts whose reference or reason named them, now ended.
    #[serde(default)]
    pub working_contexts_ended: i64,
    /// The erasure certificate (`GET /api/v1/erasure-certificates/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<uuid::Uuid>,
}

/// A record that may be the same person as one about to be created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DuplicateCandidate {
    pub person: Person,
    /// Why it was offered: `same_name_and_date_of_birth`, `same_name_no_date_of_birth`, `alias_and_date_of_birth`.
    pub reason: String,
}

/// A person as the API returns them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: PersonId,
    pub surname: String,
    pub forenames: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Gender,
    #[serde(default)]
    pub details: PersonDetails,
    /// Increases with every change; the ETag of the record.
    pub version: i32,
    /// Restricted (DPA 2018 s.47): kept, but out of ordinary processing.
    #[serde(default)]
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Supplementary statements that complete the record (s.46).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<crate::rights::rectification::SupplementaryStatement>,
}

impl Person {
    /// "SMITH, John" as officers read nominals on a list.
    pub fn display_name(&self) -> String {
        match &self.forenames {
            Some(f) => format!("{}, {}", self.surname.to_uppercase(), f),
            None => self.surname.to_uppercase(),
        }
    }

    /// The form's starting values when editing.
    pub fn to_input(&self) -> PersonInput {
        PersonInput {
            surname: self.surname.clone(),
            forenames: self.forenames.clone().unwrap_or_default(),
            date_of_birth: self
                .date_of_birth
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            gender: self.gender,
            details: self.details.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_surname_is_trimmed_and_inner_spaces_collapsed() {
        assert_eq!(
            Surname::parse("  Smith   Jones ").unwrap().as_str(),
            "Smith Jones"
        );
    }

    #[test]
    fn a_blank_surname_is_required() {
        assert_eq!(Surname::parse("   ").unwrap_err().code, "required");
    }

    #[test]
    fn a_surname_of_101_characters_is_too_long_but_100_is_fine() {
        assert!(Surname::parse(&"a".repeat(100)).is_ok());
        assert_eq!(
            Surname::parse(&"a".repeat(101)).unwrap_err().code,
            "too_long"
        );
    }

    #[test]
    fn names_from_other_scripts_and_with_apostrophes_are_accepted() {
        assert!(Surname::parse("O'Neil").is_ok());
        assert!(Surname::parse("Smith-Jones").is_ok());
        assert!(Surname::parse("Müller").is_ok());
        assert!(Surname::parse("محمد").is_ok());
        assert_eq!(
            Surname::parse("Sm1th").unwrap_err().code,
            "invalid_characters"
        );
    }

    #[test]
    fn a_date_of_birth_in_the_future_is_refused() {
        assert_eq!(
            parse_date_of_birth("2026-11-28", today()).unwrap_err().code,
            "in_future"
        );
        assert!(
            parse_date_of_birth("2026-11-27", today())
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn a_date_of_birth_over_120_years_ago_is_refused() {
        assert_eq!(
            parse_date_of_birth("1906-11-26", today()).unwrap_err().code,
            "too_old"
        );
        assert!(
            parse_date_of_birth("1906-11-27", today())
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn an_impossible_date_is_reported_as_invalid() {
        assert_eq!(
            parse_date_of_birth("2001-02-30", today()).unwrap_err().code,
            "invalid_date"
        );
        assert_eq!(
            parse_date_of_birth("not a date", today()).unwrap_err().code,
            "invalid_date"
        );
    }

    #[test]
    fn a_leap_day_today_still_has_a_limit_120_years_back() {
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert!(parse_date_of_birth("1908-03-01", leap).unwrap().is_some());
        assert!(parse_date_of_birth("1908-02-28", leap).is_err());
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let input = PersonInput {
            surname: " ".into(),
            forenames: "J0hn".into(),
            date_of_birth: "2999-01-01".into(),
            gender: Gender::NotKnown,
            details: PersonDetails::default(),
        };
        let errors = input.validate(today()).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["surname", "forenames", "date_of_birth"]);
    }
}
