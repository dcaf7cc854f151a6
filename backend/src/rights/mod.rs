//! Data subjects' rights (DPA 2018 ss.45-48, 53-54). Requests are cases
//! with the legal clock (`store`), the pack of everything held about the
//! subject is compiled from PostgreSQL, never from the search index
//! (`compile`), decided on item by item (`decide`) and released as a letter,
//! a PDF and a JSON document (`release`, `pdf`). Open and overdue cases are
//! counted for operators (`timeliness`). A case is personal data: every
//! read and change of it is audited, as record type `rights_request`.

pub mod changes_http;
pub mod compile;
pub mod decide;
pub mod http;
mod letter;
pub mod notify;
pub mod pdf;
pub mod rectify;
pub mod release;
pub mod respond;
pub mod store;
pub mod timeliness;

use crate::audit::RecordRef;
use crate::db::schema::rights_requests;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use shared::rights::clock::ClockFacts;
use shared::rights::{Clock, RequestKind, RequestStatus};
use uuid::Uuid;

pub const RECORD_TYPE: &str = "rights_request";

pub fn record(id: Uuid) -> RecordRef {
    RecordRef::new(RECORD_TYPE, id)
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = rights_requests)]
pub struct CaseRow {
    pub id: Uuid,
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub requester_name: String,
    pub requester_contact: String,
    pub received_on: NaiveDate,
    pub identity_proved_on: Option<NaiveDate>,
    pub identity_means: Option<String>,
    pub notes: Option<String>,
    pub extension_months: i32,
    pub extension_reason: Option<String>,
    pub paused_days: i32,
    pub paused_since: Option<NaiveDate>,
    pub closing_reason: Option<String>,
    pub ncnd_reason: Option<String>,
    pub released_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// Reading a case row as the rules see it.
pub struct Case<'a>(pub &'a CaseRow);

impl Case<'_> {
    pub fn kind(&self) -> RequestKind {
        RequestKind::parse(&self.0.kind).unwrap_or(RequestKind::Access)
    }

    pub fn status(&self) -> RequestStatus {
        RequestStatus::parse(&self.0.status).unwrap_or(RequestStatus::Received)
    }

    pub fn facts(&self) -> ClockFacts {
        ClockFacts {
            received_on: Some(self.0.received_on),
            identity_proved_on: self.0.identity_proved_on,
            extension_months: self.0.extension_months.max(0) as u32,
            paused_days: i64::from(self.0.paused_days),
            paused_since: self.0.paused_since,
        }
    }

    pub fn clock(&self, today: NaiveDate) -> Clock {
        let reading = self.facts().read(today);
        let open = self.status().is_open();
        Clock {
            starts_on: reading.starts_on,
            due_on: reading.due_on,
            days_left: if open { reading.days_left } else { None },
            overdue: open && reading.days_left.is_some_and(|d| d < 0),
            paused: reading.paused,
            paused_since: self.0.paused_since,
            extension_deadline: reading.extension_deadline,
            extension_months: self.0.extension_months.max(0) as u32,
            extension_reason: self.0.extension_reason.clone(),
        }
    }
}
