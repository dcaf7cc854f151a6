//! Events: what happened, in the old separate systems' terms (crime,
//! intelligence, custody, stop and search, prosecution), as one record type
//! with a kind. Each kind's rules live in its own module and run in the
//! browser before submit and again on the server.

pub mod case_file;
pub mod custody;
pub mod intelligence;
pub mod occurrence;
pub mod policy;
pub mod stop_search;

use crate::code_list;
use crate::error::FieldErrors;
use crate::links::{Link, NewLink, RecordKey, RecordType};
use crate::rules::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use case_file::CaseFile;
pub use custody::CustodyRecord;
pub use intelligence::IntelligenceReport;
pub use occurrence::Occurrence;
pub use policy::SearchPolicy;
pub use stop_search::StopSearch;

code_list!(
    EventKind {
        Occurrence = ("occurrence", "Occurrence / crime report"),
        Intelligence = ("intelligence", "Intelligence report"),
        Custody = ("custody", "Custody record"),
        StopSearch = ("stop_search", "Stop and search"),
        CaseFile = ("case_file", "Case file"),
    }
);

impl EventKind {
    /// The prefix of the force reference (`SS/000123/26`).
    pub const fn prefix(self) -> &'static str {
        match self {
            EventKind::Occurrence => "OCC",
            EventKind::Intelligence => "INT",
            EventKind::Custody => "CUS",
            EventKind::StopSearch => "SS",
            EventKind::CaseFile => "CF",
        }
    }
}

/// The kind-specific part of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventDetails {
    Occurrence(Occurrence),
    Intelligence(IntelligenceReport),
    Custody(CustodyRecord),
    StopSearch(StopSearch),
    CaseFile(CaseFile),
}

impl EventDetails {
    pub fn kind(&self) -> EventKind {
        match self {
            EventDetails::Occurrence(_) => EventKind::Occurrence,
            EventDetails::Intelligence(_) => EventKind::Intelligence,
            EventDetails::Custody(_) => EventKind::Custody,
            EventDetails::StopSearch(_) => EventKind::StopSearch,
            EventDetails::CaseFile(_) => EventKind::CaseFile,
        }
    }

    /// A one-line summary for lists and the person profile.
    pub fn summary(&self) -> String {
        match self {
            EventDetails::Occurrence(o) => o.summary_line(),
            EventDetails::Intelligence(i) => i.summary_line(),
            EventDetails::Custody(c) => c.summary_line(),
            EventDetails::StopSearch(s) => s.summary_line(),
            EventDetails::CaseFile(f) => f.summary_line(),
        }
    }

    /// The handling code that narrows who may read it, if any.
    pub fn handling_code(&self) -> Option<&'static str> {
        match self {
            EventDetails::Intelligence(i) => Some(i.handling.as_str()),
            _ => None,
        }
    }

    /// A status a list can filter on.
    pub fn status(&self) -> &'static str {
        match self {
            EventDetails::Occurrence(o) => o.status.as_str(),
            EventDetails::Intelligence(_) => "recorded",
            EventDetails::Custody(c) => c.status(),
            EventDetails::StopSearch(s) => s.outcome.map(|o| o.as_str()).unwrap_or("recorded"),
            EventDetails::CaseFile(f) => f.file_status.as_str(),
        }
    }
}

/// What the rules need to know besides the form itself.
#[derive(Clone, Debug)]
pub struct RuleContext {
    pub now: DateTime<Utc>,
    pub policy: SearchPolicy,
    /// A legacy import may carry what a form may not (5x5x5 grades).
    pub importing: bool,
}

impl RuleContext {
    pub fn new(now: DateTime<Utc>, policy: SearchPolicy) -> Self {
        Self {
            now,
            policy,
            importing: false,
        }
    }
}

/// What a client sends to create or replace an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// When it happened: `YYYY-MM-DDTHH:MM` (UTC) or RFC 3339.
    pub occurred_at: String,
    pub details: EventDetails,
    /// Links made with the record, in the same transaction. Only on create.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<NewLink>,
}

/// An event once every rule has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEvent {
    pub occurred_at: DateTime<Utc>,
    pub details: EventDetails,
    pub links: Vec<NewLink>,
}

impl EventInput {
    /// Applies every rule for the kind and reports every broken one at once.
    /// `id` is the event's own id, so the links can be checked.
    pub fn validate(&self, id: Uuid, ctx: &RuleContext) -> Result<ValidEvent, FieldErrors> {
        let mut c = Checker::default();
        let (_, occurred_at) = c.datetime("occurred_at", &self.occurred_at, true, ctx.now);
        let details = match &self.details {
            EventDetails::Occurrence(o) => EventDetails::Occurrence(o.clean(&mut c, ctx)),
            EventDetails::Intelligence(i) => EventDetails::Intelligence(i.clean(&mut c, ctx)),
            EventDetails::Custody(r) => EventDetails::Custody(r.clean(&mut c, ctx)),
            EventDetails::StopSearch(s) => {
                EventDetails::StopSearch(s.clean(&mut c, ctx, occurred_at))
            }
            EventDetails::CaseFile(f) => EventDetails::CaseFile(f.clean(&mut c, ctx)),
        };
        let me = RecordKey {
            record_type: RecordType::Event,
            id,
        };
        NewLink::check_on_create(&self.links, me, &mut c);
        let occurred_at = occurred_at.unwrap_or(ctx.now);
        c.finish(ValidEvent {
            occurred_at,
            details,
            links: self.links.clone(),
        })
    }
}

/// An event as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: Uuid,
    /// The force reference officers quote (`SS/000123/26`).
    pub reference: String,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    pub status: String,
    pub details: EventDetails,
    /// Links from or to this event that the caller may see.
    #[serde(default)]
    pub links: Vec<Link>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Supplementary statements that complete it (DPA 2018 s.46), shown
    /// wherever it is shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<crate::rights::rectification::SupplementaryStatement>,
    /// Restricted (s.47(2)): only those who decide restriction see it.
    #[serde(default)]
    pub restricted: bool,
}

impl Event {
    pub fn to_input(&self) -> EventInput {
        EventInput {
            occurred_at: crate::rules::format_datetime(self.occurred_at),
            details: self.details.clone(),
            links: Vec::new(),
        }
    }
}

/// One line of an event list or a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EventSummary {
    pub id: Uuid,
    pub reference: String,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    pub status: String,
}
