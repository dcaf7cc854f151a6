//! The audit log's filter: as the form and the address hold it (plain text,
//! days as YYYY-MM-DD) and as the API takes it (ids and RFC 3339 times).
//!
//! The address is the source of truth, so a filter can be bookmarked or
//! linked to from other screens (`/audit?person=<id>`).

use crate::api::AuditFilter;
use chrono::{Days, NaiveDate, SecondsFormat};
use leptos_router::params::ParamsMap;
use shared::error::{FieldError, FieldErrors};
use shared::justification::Purpose;
use uuid::Uuid;

/// The processing operations DPA 2018 s.62 requires logs of, and the two
/// more Probity records, as the API names them.
pub const OPERATIONS: [(&str, &str); 8] = [
    ("collection", "Collection"),
    ("alteration", "Alteration"),
    ("consultation", "Consultation"),
    ("disclosure", "Disclosure"),
    ("combination", "Combination"),
    ("erasure", "Erasure"),
    ("restriction", "Restriction"),
    ("administration", "Administration"),
];

pub const OUTCOMES: [(&str, &str); 2] = [("allowed", "Allowed"), ("refused", "Refused")];

/// The label for a code in one of the lists above, or the code itself.
pub fn label_of(list: &[(&str, &'static str)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| (*label).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The filter form's values. Days are whole UTC days, `to` included.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterForm {
    pub person: String,
    pub actor: String,
    pub operation: String,
    pub purpose: String,
    pub outcome: String,
    pub from: String,
    pub to: String,
}

impl FilterForm {
    const NAMES: [&str; 7] = [
        "person",
        "actor",
        "operation",
        "purpose",
        "outcome",
        "from",
        "to",
    ];

    fn values(&self) -> [&String; 7] {
        [
            &self.person,
            &self.actor,
            &self.operation,
            &self.purpose,
            &self.outcome,
            &self.from,
            &self.to,
        ]
    }

    pub fn from_query(query: &ParamsMap) -> Self {
        let get = |name: &str| query.get(name).unwrap_or_default().trim().to_owned();
        Self {
            person: get("person"),
            actor: get("actor"),
            operation: get("operation"),
            purpose: get("purpose"),
            outcome: get("outcome"),
            from: get("from"),
            to: get("to"),
        }
    }

    /// `?person=…&operation=…`, naming only what is set.
    pub fn to_query(&self) -> String {
        let pairs: Vec<String> = Self::NAMES
            .iter()
            .zip(self.values())
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| {
                let value = String::from(js_sys::encode_uri_component(value.trim()));
                format!("{name}={value}")
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// Checks every field, reporting every problem at once, before anything
    /// is sent: the server would refuse the same values.
    pub fn parse(&self) -> Result<AuditFilter, FieldErrors> {
        let mut errors = FieldErrors::default();
        let person = errors.check(parse_id("person", &self.person));
        // A sign-in name or an id: the server says if it knows neither.
        let actor = Some(Some(self.actor.trim().to_owned()).filter(|a| !a.is_empty()));
        let operation = errors.check(parse_code(
            "operation",
            &self.operation,
            &OPERATIONS,
            "Choose an operation from the list",
        ));
        let purpose = errors.check(if self.purpose.is_empty() {
            Ok(None)
        } else {
            Purpose::parse(&self.purpose).map(|p| Some(p.as_str().to_owned()))
        });
        let outcome = errors.check(parse_code(
            "outcome",
            &self.outcome,
            &OUTCOMES,
            "Choose allowed or refused",
        ));
        let from = errors.check(parse_day("from", &self.from));
        let to = errors.check(parse_day("to", &self.to));
        if let (Some(Some(from)), Some(Some(to))) = (from, to)
            && to < from
        {
            errors.0.push(FieldError::new(
                "to",
                "before_from",
                "The last day cannot be before the first",
            ));
        }
        match (person, actor, operation, purpose, outcome, from, to) {
            (
                Some(person),
                Some(actor),
                Some(operation),
                Some(purpose),
                Some(outcome),
                Some(from),
                Some(to),
            ) if errors.is_empty() => Ok(AuditFilter {
                person,
                actor,
                operation,
                purpose,
                outcome,
                from: from.map(start_of),
                to: to.map(end_of),
            }),
            _ => Err(errors),
        }
    }
}

fn parse_id(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(raw)
        .map(|id| Some(id.to_string()))
        .map_err(|_| {
            FieldError::new(
                field,
                "invalid",
                "Enter a whole id, such as 0b9d3c1e-4f6a-4c2b-9a7e-2f1d8c5b6a40",
            )
        })
}

fn parse_code(
    field: &str,
    raw: &str,
    list: &[(&str, &str)],
    message: &str,
) -> Result<Option<String>, FieldError> {
    if raw.is_empty() {
        return Ok(None);
    }
    list.iter()
        .find(|(code, _)| *code == raw)
        .map(|(code, _)| Some((*code).to_owned()))
        .ok_or_else(|| FieldError::new(field, "unknown", message))
}

/// A day as a date input gives it: YYYY-MM-DD.
pub fn parse_day(field: &str, raw: &str) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, "invalid_date", "Enter a real date as YYYY-MM-DD"))
}

/// The first instant of a UTC day, as RFC 3339.
pub fn start_of(day: NaiveDate) -> String {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The first instant after a UTC day (the API's `to` is exclusive).
pub fn end_of(day: NaiveDate) -> String {
    start_of(day.checked_add_days(Days::new(1)).unwrap_or(day))
}
