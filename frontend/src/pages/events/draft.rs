//! The kind-specific state of an event form, and the link to the person it
//! was opened from.

use super::case_file::CaseFileSection;
use super::custody::{self, CustodySection};
use super::inputs::FormState;
use super::intelligence::{IntelligenceDraft, IntelligenceSection};
use super::occurrence::OccurrenceSection;
use super::stop_search::{self, StopSearchSection};
use leptos::prelude::*;
use shared::codes_police::Sex;
use shared::error::FieldErrors;
use shared::events::{
    CaseFile, CustodyRecord, EventDetails, EventKind, Occurrence, SearchPolicy, StopSearch,
};
use shared::links::LinkRole;
use shared::people::{Gender, Person};

/// The details being edited, one signal for the kind chosen.
#[derive(Clone, Copy)]
pub enum Draft {
    Occurrence(RwSignal<Occurrence>),
    Intelligence(RwSignal<IntelligenceDraft>),
    Custody(RwSignal<CustodyRecord>),
    StopSearch(RwSignal<StopSearch>),
    CaseFile(RwSignal<CaseFile>),
}

impl Draft {
    /// A blank form of `kind`, or the details of the event being corrected.
    /// A person the form was opened from fills what is known of them.
    pub fn new(kind: EventKind, existing: Option<&EventDetails>, subject: Option<&Person>) -> Self {
        match existing {
            Some(EventDetails::Occurrence(o)) => Draft::Occurrence(RwSignal::new(o.clone())),
            Some(EventDetails::Intelligence(i)) => {
                Draft::Intelligence(RwSignal::new(IntelligenceDraft::from_report(i)))
            }
            Some(EventDetails::Custody(c)) => Draft::Custody(RwSignal::new(custody::for_form(c))),
            Some(EventDetails::StopSearch(s)) => {
                Draft::StopSearch(RwSignal::new(stop_search::for_form(s)))
            }
            Some(EventDetails::CaseFile(f)) => Draft::CaseFile(RwSignal::new(f.clone())),
            None => match kind {
                EventKind::Occurrence => Draft::Occurrence(RwSignal::new(Occurrence::default())),
                EventKind::Intelligence => {
                    Draft::Intelligence(RwSignal::new(IntelligenceDraft::default()))
                }
                EventKind::Custody => Draft::Custody(RwSignal::new(CustodyRecord::default())),
                EventKind::StopSearch => Draft::StopSearch(RwSignal::new(searched(subject))),
                EventKind::CaseFile => Draft::CaseFile(RwSignal::new(CaseFile::default())),
            },
        }
    }

    /// The details to check and send (tracked), with anything the form
    /// itself still needs before the shared rules can judge it.
    pub fn details(self) -> (EventDetails, FieldErrors) {
        match self {
            Draft::Occurrence(s) => (EventDetails::Occurrence(s.get()), FieldErrors::default()),
            Draft::Intelligence(s) => {
                let (report, missing) = s.with(IntelligenceDraft::build);
                (EventDetails::Intelligence(report), missing)
            }
            Draft::Custody(s) => (
                EventDetails::Custody(s.with(custody::for_wire)),
                FieldErrors::default(),
            ),
            Draft::StopSearch(s) => (
                EventDetails::StopSearch(s.with(stop_search::for_wire)),
                FieldErrors::default(),
            ),
            Draft::CaseFile(s) => (EventDetails::CaseFile(s.get()), FieldErrors::default()),
        }
    }

    pub fn section(
        self,
        form: FormState,
        occurred_at: RwSignal<String>,
        policy: SearchPolicy,
    ) -> AnyView {
        match self {
            Draft::Occurrence(details) => view! { <OccurrenceSection form details /> }.into_any(),
            Draft::Intelligence(details) => {
                view! { <IntelligenceSection form details /> }.into_any()
            }
            Draft::Custody(details) => view! { <CustodySection form details /> }.into_any(),
            Draft::StopSearch(details) => {
                view! { <StopSearchSection form details occurred_at policy /> }.into_any()
            }
            Draft::CaseFile(details) => view! { <CaseFileSection form details /> }.into_any(),
        }
    }
}

/// A stop and search of a known person starts from what their record says.
fn searched(subject: Option<&Person>) -> StopSearch {
    let Some(person) = subject else {
        return StopSearch::default();
    };
    StopSearch {
        subject_date_of_birth: person
            .date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        subject_sex: match person.gender {
            Gender::Male => Some(Sex::Male),
            Gender::Female => Some(Sex::Female),
            _ => None,
        },
        ..StopSearch::default()
    }
}

/// The parts a person from whose record the form was opened may play in
/// each kind, the usual one first.
pub fn subject_roles(kind: EventKind) -> &'static [LinkRole] {
    match kind {
        EventKind::StopSearch => &[LinkRole::SearchedPerson],
        EventKind::Custody => &[LinkRole::Detainee],
        EventKind::Occurrence => &[
            LinkRole::Suspect,
            LinkRole::Victim,
            LinkRole::Witness,
            LinkRole::Complainant,
            LinkRole::ReportingPerson,
        ],
        EventKind::Intelligence => &[LinkRole::SubjectOfIntelligence, LinkRole::Associate],
        EventKind::CaseFile => &[LinkRole::Defendant, LinkRole::Victim, LinkRole::Witness],
    }
}
