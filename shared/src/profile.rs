//! The person profile: everything linked to a person across every module,
//! in one response (and one audited consultation).

use crate::events::EventSummary;
use crate::links::{LinkRole, RecordType, SubjectCategory};
use crate::people::Person;
use crate::people::details::WarningMarker;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An event the person is linked to, with the part they played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProfileEvent {
    pub link_id: Uuid,
    pub role: LinkRole,
    pub subject_category: Option<SubjectCategory>,
    pub event: EventSummary,
}

/// Any other linked record (object, location or person).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProfileLink {
    pub link_id: Uuid,
    pub role: LinkRole,
    pub record_type: RecordType,
    pub id: Uuid,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonProfile {
    pub person: Person,
    /// Warning markers first: what an officer must know before anything else.
    pub warning_markers: Vec<WarningMarker>,
    /// Events, newest first, limited to those the viewer may see.
    pub events: Vec<ProfileEvent>,
    pub objects: Vec<ProfileLink>,
    pub locations: Vec<ProfileLink>,
    pub people: Vec<ProfileLink>,
}
