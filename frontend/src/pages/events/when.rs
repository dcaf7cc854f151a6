//! Times on the tablet and on the wire.
//!
//! Officers enter and read times on the clock on the wall, but the rules
//! take a bare `YYYY-MM-DDTHH:MM` as UTC. So a time typed into a form is
//! sent with the tablet's offset (RFC 3339), and a time from the server is
//! shown in local time: in summer a time sent bare would be an hour out,
//! and a parent told "ten minutes ago" would be refused as in the future.

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use shared::rules::parse_datetime;

const INPUT: &str = "%Y-%m-%dT%H:%M";

/// What a `datetime-local` input shows for an instant.
pub fn to_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format(INPUT).to_string()
}

/// A time as the server stored it, for the form; anything unreadable is
/// left for the rules to report.
pub fn stored_to_input(raw: &str) -> String {
    match parse_datetime(raw.trim()) {
        Some(at) => to_input(at),
        None => raw.to_owned(),
    }
}

/// A form's local time with the tablet's offset, for the rules and the
/// server.
pub fn input_to_wire(raw: &str) -> String {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, INPUT)
        .ok()
        .and_then(|naive| Local.from_local_datetime(&naive).earliest())
        .map(|at| at.to_rfc3339())
        .unwrap_or_else(|| raw.to_owned())
}

/// Now, for a new form.
pub fn now_input() -> String {
    to_input(Utc::now())
}

/// Dates and times as officers in England and Wales write them.
pub fn uk(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// A stored time for reading; "Not recorded" when empty.
pub fn uk_stored(raw: &str) -> String {
    match parse_datetime(raw.trim()) {
        Some(at) => uk(at),
        None if raw.trim().is_empty() => "Not recorded".to_owned(),
        None => raw.to_owned(),
    }
}

/// A stored `YYYY-MM-DD` for reading.
pub fn uk_date(raw: &str) -> String {
    match chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) if raw.trim().is_empty() => "Not recorded".to_owned(),
        Err(_) => raw.to_owned(),
    }
}
